/**
 * EksClusterAddons: the managed add-ons of an EKS cluster (`aws.eks.Addon`), the workload
 * identity of the platform's own controllers (EKS Pod Identity), and the Cluster Autoscaler when
 * a node group autoscales.
 *
 *  - vpc-cni (`{"enableNetworkPolicy":"true"}` when the platform generates NetworkPolicies; AWS
 *    docs: "Limit Pod traffic with Kubernetes network policies"), coredns, kube-proxy,
 *    eks-pod-identity-agent, aws-ebs-csi-driver (its controller bound to a Pod Identity role
 *    with AWS's managed `AmazonEBSCSIDriverPolicy`);
 *  - versions: the spec's pin, else the platform's pin for the cluster's Kubernetes minor
 *    (plan/addonVersions.ts), else `aws.eks.getAddonVersion` (AWS's default for the minor, or
 *    the most recent with `latest`);
 *  - `resolveConflictsOnCreate` / `resolveConflictsOnUpdate: OVERWRITE` (the provider's allowed
 *    values: NONE, OVERWRITE, PRESERVE): EKS installs vpc-cni, coredns and kube-proxy itself as
 *    self-managed add-ons, and an upgrade must not fail on fields that drifted from the defaults;
 *  - the Cluster Autoscaler: its pinned Helm chart with the image of the cluster's minor,
 *    auto-discovering the managed node groups, bound to a Pod Identity role that may scale only
 *    this cluster's Auto Scaling groups (podIdentity.ts).
 *
 * Add-ons whose pods need nodes (coredns, the EBS CSI controller, the autoscaler) wait for the
 * component's `dependsOn` (the cluster's node groups): an add-on created before any node exists
 * never becomes ACTIVE. The others (vpc-cni, kube-proxy, the Pod Identity agent) do not: the
 * platform makes the node groups wait for them instead (control plane → add-ons → nodes). The cluster's
 * Kubernetes provider (for the autoscaler's chart) comes through the `provider`/`providers` option.
 */

import {
  CLUSTER_AUTOSCALER_CHART,
  clusterAutoscalerImageTag,
  type Diagnostic,
  EKS_ADDONS,
  kubernetesMinor,
  NODE_AUTOSCALER,
  SPEC_SCHEMA,
} from "@kubeplat/plan";
import type * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { awsSdk } from "../cloudSdks";
import { judge } from "../judgement";
import {
  type AddonConfig,
  addonConfigJson,
  addonResourcesOf,
  dependsOnList,
} from "../kubernetes/clusterAddons";
import {
  CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
  clusterAutoscalerPolicy,
  EBS_CSI_DRIVER_POLICY_ARN,
  EBS_CSI_SERVICE_ACCOUNT,
  podIdentityTrustPolicy,
} from "./podIdentity";

/** One managed add-on. */
export interface EksClusterAddonArgs {
  /** The EKS add-on name, e.g. `vpc-cni`. */
  name: string;
  /** Version, e.g. `v1.19.2-eksbuild.1`; `latest`: the most recent for the minor. Default: AWS's default for the minor. */
  version?: string;
  /** Configuration values (serialised to `configurationValues`). Default: none. */
  config?: AddonConfig;
}

/** The Cluster Autoscaler. */
export interface EksAutoscalerArgs {
  /** Helm chart version. Default: the pinned one. */
  chartVersion?: string;
  /** Extra Helm values merged over the platform's. Default: none. */
  values?: AddonConfig;
}

export interface EksClusterAddonsArgs {
  /** The EKS cluster name. Required. */
  clusterName: pulumi.Input<string>;
  /** The cluster's Kubernetes version (`1.33`). Required: add-on versions are per minor. */
  kubernetesVersion: string;
  /** The region (the autoscaler's `awsRegion`). Required with `autoscaler`. */
  region?: string;
  /** The add-ons to install. Default: none. */
  addons?: EksClusterAddonArgs[];
  /** Install the Cluster Autoscaler. Default: not installed. */
  autoscaler?: EksAutoscalerArgs;
  /** Tags of the IAM roles and add-ons. Default {}. */
  tags?: Record<string, string>;
}

/** Add-ons whose pods must be scheduled before EKS reports them ACTIVE. */
const NEEDS_NODES = new Set(["coredns", "aws-ebs-csi-driver"]);
export const RESOLVE_CONFLICTS = "OVERWRITE";

export function validateEksClusterAddonsArgs(resource: string, args: EksClusterAddonsArgs): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bad = (path: string, message: string) =>
    out.push({ rule: SPEC_SCHEMA, severity: "mandatory", resource, path, message });
  if (kubernetesMinor(args.kubernetesVersion) === undefined)
    bad(
      "kubernetesVersion",
      `kubernetesVersion ${JSON.stringify(args.kubernetesVersion)} is not a Kubernetes version`,
    );
  const seen = new Set<string>();
  (args.addons ?? []).forEach((a, i) => {
    if (!(EKS_ADDONS as readonly string[]).includes(a.name))
      bad(
        `addons[${i}].name`,
        `"${a.name}" is not an EKS add-on this component manages (${EKS_ADDONS.join(", ")})`,
      );
    if (seen.has(a.name))
      bad(`addons[${i}].name`, `add-on "${a.name}" is listed twice; one resource manages it`);
    seen.add(a.name);
  });
  if (seen.has("aws-ebs-csi-driver") && !seen.has("eks-pod-identity-agent"))
    bad(
      "addons",
      "aws-ebs-csi-driver gets its AWS permissions through EKS Pod Identity: install eks-pod-identity-agent too",
    );
  if (args.autoscaler && !seen.has("eks-pod-identity-agent"))
    bad(
      "autoscaler",
      "the Cluster Autoscaler gets its AWS permissions through EKS Pod Identity: install eks-pod-identity-agent too",
    );
  if (args.autoscaler && args.region === undefined) bad("region", "the Cluster Autoscaler needs the region");
  return out;
}

/** The add-on's configuration as the provider takes it (JSON text; undefined when empty). */
export function eksAddonConfiguration(config: Record<string, unknown> | undefined): string | undefined {
  return addonConfigJson(config);
}

/** The Cluster Autoscaler's Helm values. */
export function clusterAutoscalerValues(input: {
  clusterName: string;
  region: string;
  kubernetesVersion: string;
  extra?: Record<string, unknown>;
}): Record<string, unknown> {
  const minor = kubernetesMinor(input.kubernetesVersion) ?? input.kubernetesVersion;
  return {
    cloudProvider: "aws",
    awsRegion: input.region,
    autoDiscovery: { clusterName: input.clusterName },
    image: { tag: clusterAutoscalerImageTag(minor) },
    rbac: { serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name } },
    extraArgs: { "balance-similar-node-groups": true, expander: "least-waste" },
    ...(input.extra ?? {}),
  };
}

export class EksClusterAddons extends pulumi.ComponentResource {
  /**
   * Add-on name → its resource, for the objects that must wait for it. TypeScript only: a
   * resource is no output other languages can hold, so the package schema leaves it out.
   */
  get resources(): Record<string, pulumi.CustomResource> {
    return addonResourcesOf(this);
  }
  /** Add-on name → the version installed (known after resolution). */
  readonly versions: pulumi.Output<Record<string, string>>;
  /** Add-on name → the IAM role its service account assumes through Pod Identity. */
  readonly roleArns: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: EksClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    const aws = awsSdk();
    judge(`EksClusterAddons "${name}"`, args, () => validateEksClusterAddonsArgs(name, args));
    // Only the add-ons that need nodes wait for `dependsOn` (the node groups); the component itself
    // does not, so the node groups can wait for the add-ons that run before nodes (upgradeOrder.ts).
    super("platform:aws:EksClusterAddons", name, {}, { ...opts, dependsOn: undefined });
    const minor = kubernetesMinor(args.kubernetesVersion) as string;
    const nodes = dependsOnList(opts);
    const tags = args.tags ?? {};
    const versions: Record<string, pulumi.Output<string>> = {};
    const roles: Record<string, pulumi.Output<string>> = {};

    const podIdentityRole = (suffix: string, description: string) =>
      new aws.iam.Role(
        `${name}-${suffix}`,
        { description, assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy()), tags },
        { parent: this },
      );

    const agent = (args.addons ?? []).find((a) => a.name === "eks-pod-identity-agent");
    const ordered = [...(args.addons ?? [])].sort((a, b) => (a === agent ? -1 : b === agent ? 1 : 0));
    for (const a of ordered) {
      const version: pulumi.Input<string> =
        a.version !== undefined && a.version !== "latest"
          ? a.version
          : aws.eks
              .getAddonVersionOutput(
                { addonName: a.name, kubernetesVersion: minor, mostRecent: a.version === "latest" },
                { parent: this },
              )
              .apply((v) => v.version);
      const deps: pulumi.Input<pulumi.Resource>[] = [];
      if (NEEDS_NODES.has(a.name)) deps.push(...nodes);
      let podIdentityAssociations: aws.types.input.eks.AddonPodIdentityAssociation[] | undefined;
      if (a.name === "aws-ebs-csi-driver") {
        const role = podIdentityRole("ebs-csi", "EBS CSI driver controller (EKS Pod Identity)");
        const attachment = new aws.iam.RolePolicyAttachment(
          `${name}-ebs-csi`,
          { role: role.name, policyArn: EBS_CSI_DRIVER_POLICY_ARN },
          { parent: this },
        );
        deps.push(attachment);
        if (this.resources["eks-pod-identity-agent"]) deps.push(this.resources["eks-pod-identity-agent"]);
        podIdentityAssociations = [{ roleArn: role.arn, serviceAccount: EBS_CSI_SERVICE_ACCOUNT.name }];
        roles[a.name] = role.arn;
      }
      const addon = new aws.eks.Addon(
        `${name}-${a.name}`,
        {
          clusterName: args.clusterName,
          addonName: a.name,
          addonVersion: version,
          configurationValues: eksAddonConfiguration(a.config),
          resolveConflictsOnCreate: RESOLVE_CONFLICTS,
          resolveConflictsOnUpdate: RESOLVE_CONFLICTS,
          podIdentityAssociations,
          tags,
        },
        { parent: this, dependsOn: deps },
      );
      this.resources[a.name] = addon;
      versions[a.name] = addon.addonVersion;
    }

    if (args.autoscaler) {
      const role = podIdentityRole("autoscaler", "Cluster Autoscaler (EKS Pod Identity)");
      const policy = new aws.iam.RolePolicy(
        `${name}-autoscaler`,
        {
          role: role.name,
          policy: pulumi.output(args.clusterName).apply((c) => JSON.stringify(clusterAutoscalerPolicy(c))),
        },
        { parent: this },
      );
      const association = new aws.eks.PodIdentityAssociation(
        `${name}-autoscaler`,
        {
          clusterName: args.clusterName,
          namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace,
          serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name,
          roleArn: role.arn,
          tags,
        },
        {
          parent: this,
          dependsOn: agent ? [this.resources["eks-pod-identity-agent"] as pulumi.Resource] : [],
        },
      );
      const chartVersion = args.autoscaler.chartVersion ?? CLUSTER_AUTOSCALER_CHART.version;
      this.resources[NODE_AUTOSCALER] = new kubernetes.helm.v3.Release(
        `${name}-autoscaler`,
        {
          name: CLUSTER_AUTOSCALER_CHART.chart,
          chart: CLUSTER_AUTOSCALER_CHART.chart,
          version: chartVersion,
          repositoryOpts: { repo: CLUSTER_AUTOSCALER_CHART.repo },
          namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace,
          maxHistory: 10,
          values: pulumi.output(args.clusterName).apply((clusterName) =>
            clusterAutoscalerValues({
              clusterName,
              region: args.region as string,
              kubernetesVersion: args.kubernetesVersion,
              extra: args.autoscaler?.values,
            }),
          ),
        },
        { parent: this, dependsOn: [policy, association, ...nodes] },
      );
      versions[NODE_AUTOSCALER] = pulumi.output(chartVersion);
      roles[NODE_AUTOSCALER] = role.arn;
    }
    this.versions = pulumi.all(versions);
    this.roleArns = pulumi.all(roles);
    this.registerOutputs({ versions: this.versions, roleArns: this.roleArns });
  }
}
