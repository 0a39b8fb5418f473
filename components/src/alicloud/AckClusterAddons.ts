/**
 * AckClusterAddons: the add-ons of an ACK cluster, managed for the cluster's whole life.
 *
 * The cluster resource's own `addons` list only acts when the cluster is created (the provider's
 * docs: "Only works for Create Operation"), so every add-on here is an
 * `alicloud.cs.KubernetesAddon`: installed when missing, adopted when ACK installed it at
 * creation ("If the addon already exists in the cluster and its version is the same as the
 * specified version, it will be skipped"), upgraded when its version changes, reconfigured when
 * its config changes, uninstalled when removed. The cluster is created with its CNI only, which
 * ACK requires at creation (ackAddons.ts); after creation the CNI's version and configuration are
 * this component's (the cluster ignores later changes of its create-time list), so no add-on is
 * managed by two resources.
 *
 * Node autoscaling is cluster-level on ACK (ACK docs: "Enable node auto scaling"): an
 * `alicloud.cs.AutoscalingConfig`, and the service role `AliyunCSManagedAutoScalerRole` that
 * ACK's autoscaler assumes (trusted by `cs.aliyuncs.com`, with the system policy
 * `AliyunCSManagedAutoScalerRolePolicy`). The role exists once per account: create it from one
 * cluster (`serviceRole: create`), reference it from the others (`existing`).
 *
 * Add-on versions: see plan/addonVersions.ts. Children are named `<name>-<add-on>`, so adding
 * or removing one add-on renames nothing else.
 */

import { ACK_ADDONS, type Diagnostic, NODE_AUTOSCALER, SPEC_SCHEMA } from "@kubeplat/plan";
import * as pulumi from "@pulumi/pulumi";
import { alicloudSdk } from "../cloudSdks";
import { judge } from "../judgement";
import { type AddonConfig, addonConfigJson, addonResourcesOf } from "../kubernetes/clusterAddons";

/** One add-on to install. */
export interface AckClusterAddonArgs {
  /** The ACK add-on name, e.g. `csi-plugin`. */
  name: string;
  /** Version. Default: ACK's current version at install; never upgraded without one. */
  version?: string;
  /** Configuration (serialised to the add-on's JSON `config`). Default: none. */
  config?: AddonConfig;
}

/** ACK cluster autoscaling (`cs.AutoscalingConfig`). */
export interface AckAutoscalerArgs {
  /**
   * `create`: create the account's `AliyunCSManagedAutoScalerRole`; `existing`: it exists
   * already (created by another cluster or by hand). Default `create`.
   */
  serviceRole?: string;
  /** `least-waste` (default), `random` or `priority`. */
  expander?: string;
  /** Allow scale-in. Default true. */
  scaleDownEnabled?: boolean;
  /** Scale-in utilisation threshold, e.g. `0.5`. Default ACK's (0.5). */
  utilizationThreshold?: string;
  /** Delay before a scale-in, e.g. `10m`. Default ACK's. */
  coolDownDuration?: string;
  /** How long a node must be idle before it is removed, e.g. `10m`. Default ACK's. */
  unneededDuration?: string;
  /** GPU nodes' scale-in utilisation threshold, e.g. `0.5`. Default ACK's. */
  gpuUtilizationThreshold?: string;
  /** How often the autoscaler scans, e.g. `30s`. Default ACK's. */
  scanInterval?: string;
  /** Keep nodes running kube-system pods. Default ACK's. */
  skipNodesWithSystemPods?: boolean;
  /** Keep nodes whose pods use local storage. Default ACK's. */
  skipNodesWithLocalStorage?: boolean;
  /** Longest pod termination during a scale-in, in seconds. Default ACK's. */
  maxGracefulTerminationSec?: number;
}

export interface AckClusterAddonsArgs {
  /** The ACK cluster id. Required. */
  clusterId: pulumi.Input<string>;
  /** The cluster's name (messages). Default: the component name. */
  clusterName?: string;
  /** The add-ons to install (the node autoscaler is `autoscaler`). Default: none. */
  addons?: AckClusterAddonArgs[];
  /** Cluster autoscaling; undefined: not configured. */
  autoscaler?: AckAutoscalerArgs;
}

export const ACK_AUTOSCALER_ROLE = "AliyunCSManagedAutoScalerRole";
export const ACK_AUTOSCALER_POLICY = "AliyunCSManagedAutoScalerRolePolicy";

/** The autoscaler service role's trust policy: ACK (`cs.aliyuncs.com`) assumes it. */
export function ackAutoscalerTrustPolicy(): Record<string, unknown> {
  return {
    Version: "1",
    Statement: [{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: ["cs.aliyuncs.com"] } }],
  };
}

const EXPANDERS = ["least-waste", "random", "priority"];

/** Shape problems of the args. */
export function validateAckClusterAddonsArgs(resource: string, args: AckClusterAddonsArgs): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bad = (path: string, message: string) =>
    out.push({ rule: SPEC_SCHEMA, severity: "mandatory", resource, path, message });
  const seen = new Set<string>();
  (args.addons ?? []).forEach((a, i) => {
    if (!(ACK_ADDONS as readonly string[]).includes(a.name))
      bad(
        `addons[${i}].name`,
        `"${a.name}" is not an ACK add-on this component manages (${ACK_ADDONS.join(", ")})`,
      );
    if (seen.has(a.name))
      bad(`addons[${i}].name`, `add-on "${a.name}" is listed twice; one resource manages it`);
    seen.add(a.name);
  });
  if (seen.has("terway-eniip") && seen.has("flannel"))
    bad("addons", "terway-eniip and flannel are both listed; a cluster runs one CNI");
  const s = args.autoscaler;
  if (s?.serviceRole !== undefined && s.serviceRole !== "create" && s.serviceRole !== "existing")
    bad("autoscaler.serviceRole", `serviceRole "${s.serviceRole}" is not one of create, existing`);
  if (s?.expander !== undefined && !EXPANDERS.includes(s.expander))
    bad("autoscaler.expander", `expander "${s.expander}" is not one of ${EXPANDERS.join(", ")}`);
  return out;
}

/** The add-on's configuration as the provider takes it (JSON text; undefined when empty). */
export function ackAddonConfig(config: Record<string, unknown> | undefined): string | undefined {
  return addonConfigJson(config);
}

export class AckClusterAddons extends pulumi.ComponentResource {
  /**
   * Add-on name → its resource, for the objects that must wait for it. TypeScript only: a
   * resource is no output other languages can hold, so the package schema leaves it out.
   */
  get resources(): Record<string, pulumi.CustomResource> {
    return addonResourcesOf(this);
  }
  /** Installed add-on name → requested version ("" where ACK chooses). */
  readonly versions: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: AckClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    const alicloud = alicloudSdk();
    judge(`AckClusterAddons "${name}"`, args, () => validateAckClusterAddonsArgs(name, args));
    super("platform:alicloud:AckClusterAddons", name, {}, opts);

    for (const a of args.addons ?? []) {
      this.resources[a.name] = new alicloud.cs.KubernetesAddon(
        `${name}-${a.name}`,
        { clusterId: args.clusterId, name: a.name, version: a.version, config: ackAddonConfig(a.config) },
        { parent: this },
      );
    }
    const s = args.autoscaler;
    if (s) {
      const deps: pulumi.Resource[] = [];
      if ((s.serviceRole ?? "create") === "create") {
        const role = new alicloud.ram.Role(
          `${name}-autoscaler-role`,
          {
            roleName: ACK_AUTOSCALER_ROLE,
            assumeRolePolicyDocument: JSON.stringify(ackAutoscalerTrustPolicy()),
            description: "ACK node autoscaling: scales the node pools' scaling groups",
          },
          { parent: this },
        );
        deps.push(
          new alicloud.ram.RolePolicyAttachment(
            `${name}-autoscaler-role`,
            { roleName: role.roleName, policyName: ACK_AUTOSCALER_POLICY, policyType: "System" },
            { parent: this },
          ),
        );
      }
      this.resources[NODE_AUTOSCALER] = new alicloud.cs.AutoscalingConfig(
        `${name}-autoscaling`,
        {
          clusterId: args.clusterId,
          scalerType: "cluster-autoscaler",
          expander: s.expander ?? "least-waste",
          scaleDownEnabled: s.scaleDownEnabled ?? true,
          utilizationThreshold: s.utilizationThreshold,
          coolDownDuration: s.coolDownDuration,
          unneededDuration: s.unneededDuration,
          gpuUtilizationThreshold: s.gpuUtilizationThreshold,
          scanInterval: s.scanInterval,
          skipNodesWithSystemPods: s.skipNodesWithSystemPods,
          skipNodesWithLocalStorage: s.skipNodesWithLocalStorage,
          maxGracefulTerminationSec: s.maxGracefulTerminationSec,
        },
        { parent: this, dependsOn: deps },
      );
    }
    const versions: Record<string, string> = {};
    for (const a of args.addons ?? []) versions[a.name] = a.version ?? "";
    if (s) versions[NODE_AUTOSCALER] = "";
    this.versions = pulumi.output(versions);
    this.registerOutputs({ versions: this.versions });
  }
}
