/**
 * AckCluster: an ACK managed cluster (`alicloud.cs.ManagedKubernetes`), Pro or standard, with
 * its Secrets-encryption KMS key, the API server allow-list, the kubeconfig (a secret) and a
 * `@pulumi/kubernetes` provider for the components that deploy into it.
 *
 * Production defaults are the safe ones: deletion protection on and `protect: true`
 * (ACK docs: Create an ACK dedicated cluster), Secrets encrypted with a KMS key on Pro (ACK docs: Create an ACK Pro cluster), no public API server
 * endpoint (ACK always creates the internal SLB, ACK docs: Create an ACK dedicated cluster; the EIP only when asked,
 * ACK docs: Create an ACK dedicated cluster). The component checks its args with the cluster rules (cluster/zones, name, tags), the
 * security rules (deletion-protection, secrets-encryption, public-api-server, secret-outputs),
 * the cidr rules (incl. cidr/api-acl-missing-ranges) and quota/cluster-nodes and
 * quota/flannel-route-entries and throws one error listing every violation before it registers anything.
 */

import {
  checkCluster,
  checkClusterNodes,
  checkFlannelRouteEntries,
  checkNetwork,
  checkSecurity,
  checkVersionSupported,
  type Diagnostic,
  deployerAccess,
  FLANNEL_NODE_CIDR_MASK,
  kubernetesVersionProblem,
  type NetworkFacts,
  type QuotaFacts,
  SPEC_SCHEMA,
  vpcFactsFromCidrs,
} from "@kubeplat/plan";
import { ackClusterSpec } from "@kubeplat/plan/facts";
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { alicloudSdk } from "../cloudSdks";
import { judge } from "../judgement";
import type { AckEdition } from "../platform/environmentSpec";
import { type AckAddonsArgs, ackAddons } from "./ackAddons";
import { cidrToNamePart, distinct } from "./naming";

/** A vSwitch the cluster uses: its id (usually an AlicloudNetwork output) and its plan data. */
export interface AckVSwitchArgs {
  /** vSwitch id. */
  id: pulumi.Input<string>;
  /** Zone id (for `cluster/zones`). */
  zone: string;
  /** CIDR (for the API server allow-list and the `cidr/*` rules). */
  cidr: string;
}

// The string choices below are `as const` objects with a type of the same name, the pattern
// Pulumi's component schema inference publishes as an enum (other languages get a typed enum).

// Declared once, generated from the spec's schema (platform/environmentSpec.ts).
export { AckEdition } from "../platform/environmentSpec";

/** The container network plugin of an ACK cluster. */
export const AckCni = { Terway: "terway", Flannel: "flannel" } as const;
export type AckCni = (typeof AckCni)[keyof typeof AckCni];

/** kube-proxy mode (ACK docs: Create an ACK dedicated cluster). */
export const KubeProxyMode = { Ipvs: "ipvs", Iptables: "iptables" } as const;
export type KubeProxyMode = (typeof KubeProxyMode)[keyof typeof KubeProxyMode];

/** How the API server allow-list is bound to the ACK-managed 6443 listener. */
export const ApiServerAllowListBinding = {
  /** A `command.local.Command` running the aliyun CLI during `pulumi up`. */
  AliyunCli: "aliyun-cli",
  /** Not bound: bind it yourself. */
  None: "none",
} as const;
export type ApiServerAllowListBinding =
  (typeof ApiServerAllowListBinding)[keyof typeof ApiServerAllowListBinding];

/** Control-plane components whose logs go to SLS (ManagedKubernetes `controlPlaneLogComponents`). */
export const ControlPlaneLogComponent = {
  Apiserver: "apiserver",
  Kcm: "kcm",
  Scheduler: "scheduler",
  Ccm: "ccm",
  ControlplaneEvents: "controlplane-events",
} as const;
export type ControlPlaneLogComponent =
  (typeof ControlPlaneLogComponent)[keyof typeof ControlPlaneLogComponent];

/** Kubernetes Secrets encryption at rest with KMS (Pro only, ACK docs: Create an ACK Pro cluster). */
export interface AckSecretsEncryptionArgs {
  /** Default: true on Pro, false on standard. */
  enabled?: boolean;
  /** An existing KMS key (Aliyun_AES_256). Default: the component creates one. */
  kmsKeyId?: pulumi.Input<string>;
}

/** API server access. The internal SLB always exists. */
export interface AckApiServerArgs {
  /** Expose the API server through an EIP (ACK docs: Create an ACK dedicated cluster). Default false. */
  publicEndpoint?: boolean;
  /**
   * Allow-list of the API server SLB's 6443 listener; must hold 100.104.0.0/16 and every node
   * vSwitch CIDR (ACK docs: Configure access control policies for the API server). Default: no allow-list.
   */
  allowList?: string[];
  /**
   * How the allow-list (an `slb.Acl`) is bound to the ACK-managed 6443 listener, which no
   * Pulumi resource owns: `aliyun-cli` (a `command.local.Command` running the aliyun CLI
   * during `pulumi up`; needs the CLI and credentials) or `none` (bind it yourself). Default
   * `aliyun-cli`.
   */
  allowListBinding?: ApiServerAllowListBinding;
}

/** Control-plane logs to SLS. */
export interface AckControlPlaneLogsArgs {
  /** Default true in production, false elsewhere. */
  enabled?: boolean;
  /** Default: all five. */
  components?: ControlPlaneLogComponent[];
  /** Retention in days. Default 30. */
  ttlDays?: number;
  /** SLS project. Default: ACK creates `k8s-log-{ClusterID}`. */
  project?: string;
}

/** API server audit logs to SLS. */
export interface AckAuditLogArgs {
  /** Default: enabled in production. */
  enabled?: boolean;
  /** SLS project. Default: ACK's. */
  slsProject?: string;
}

/** Maintenance window for managed node pools and auto upgrades. */
export interface AckMaintenanceWindowArgs {
  /** Default true. */
  enabled?: boolean;
  /** First window, RFC 3339, e.g. `2024-10-15T02:00:00.000+08:00`. */
  maintenanceTime: string;
  /** Length, e.g. `3h`. */
  duration: string;
  /** Days, e.g. `Monday,Thursday`. */
  weeklyPeriod: string;
}

/** Raised quotas of an ACK cluster (after a support ticket). */
export interface AckClusterQuotasArgs {
  /** Max nodes of a Pro cluster (default 1,000, at most 5,000). */
  clusterNodes?: number;
  /** VPC route entries (Flannel: one per node; default 48). */
  routeEntries?: number;
}

export interface AckClusterArgs {
  /** Production environment: safe defaults, and the mandatory-in-production rules bind. Default false. */
  production?: boolean;
  /** The ACK cluster name, 1–63 characters (`cluster/name`). Default: the component name. */
  clusterName?: string;
  /** `pro` (ack.pro.small, the default) or `standard` (ack.standard). */
  edition?: AckEdition;
  /** Kubernetes version, e.g. `1.36.1-aliyun.1` (plan/versions.ts). Default: ACK's latest at creation. */
  kubernetesVersion?: string;
  /** The node vSwitches, 1 to 3, one per zone (control plane and API server SLB). */
  vswitches: AckVSwitchArgs[];
  /** The VPC's CIDRs (primary and secondary), for the overlap rules. Default: not checked. */
  vpcCidrs?: string[];
  /** `terway` (default) or `flannel`. Immutable. */
  cni?: AckCni;
  /** Terway: the pod vSwitches, one per node zone. */
  podVSwitches?: AckVSwitchArgs[];
  /** Flannel: the pod CIDR. Immutable. */
  podCidr?: string;
  /** Flannel: the prefix of each node's pod range (24–28). Default 26. Immutable. */
  nodeCidrMask?: number;
  /** Service CIDR. Immutable. */
  serviceCidr: string;
  /** kube-proxy mode: `ipvs` (default) or `iptables` (ACK docs: Create an ACK dedicated cluster). */
  proxyMode?: KubeProxyMode;
  /** The node security group (e.g. AlicloudNetwork's). Default: ACK creates one. */
  securityGroupId?: pulumi.Input<string>;
  /**
   * RRSA (RAM Roles for Service Accounts): the cluster issues OIDC tokens that RAM trusts, so a
   * service account can assume a RAM role (ACK docs: "Use RRSA to authorize different pods to
   * access different cloud services"). Cannot be turned off once on. Default true.
   */
  rrsa?: boolean;
  /** Add-ons installed at creation. Default: see ackAddons. */
  addons?: AckAddonsArgs;
  /** ACK deletion protection (ACK docs: Create an ACK dedicated cluster). Default: `production`. */
  deletionProtection?: boolean;
  /** Pulumi `protect` on the cluster and its KMS key. Default: `production`. */
  protect?: boolean;
  /** Kubernetes Secrets encryption at rest with KMS (Pro only, ACK docs: Create an ACK Pro cluster). */
  secretsEncryption?: AckSecretsEncryptionArgs;
  /** API server access. The internal SLB always exists. */
  apiServer?: AckApiServerArgs;
  /** Control-plane logs to SLS. Default: all components, 30 days, in production; off elsewhere. */
  controlPlaneLogs?: AckControlPlaneLogsArgs;
  /** API server audit logs to SLS. Default: enabled in production. */
  auditLog?: AckAuditLogArgs;
  /** Maintenance window for managed node pools and auto upgrades. Default: none. */
  maintenanceWindow?: AckMaintenanceWindowArgs;
  /**
   * ACK cluster auto upgrade channel (`operationPolicy.clusterAutoUpgrade`, valid values per the
   * provider: patch, stable, rapid); runs in the maintenance window, which it needs. Default: off.
   */
  autoUpgradeChannel?: string;
  /** Planned max nodes (sum of pool max sizes), for the quota and capacity rules. Default: not checked. */
  maxNodes?: number;
  /** Raised quotas (after a support ticket). Default: the documented defaults. */
  quotas?: AckClusterQuotasArgs;
  /** Cluster timezone, e.g. `Asia/Shanghai`. Default: ACK's. */
  timezone?: string;
  /** Tags of the cluster and its nodes (`cluster/tags`: ≤ 20). Default {}. */
  tags?: Record<string, string>;
  /** Resource group of the cluster and the KMS key. Default: the account's default group. */
  resourceGroupId?: string;
  /** Whether the program creates objects through this cluster's API (`provider`). Default true. */
  managesInClusterObjects?: boolean;
  /**
   * Where `pulumi up` runs: `internet` or `vpc` (inside the VPC or a connected network). Default:
   * not checked. A private-only endpoint deployed from the internet is security/deployer-access.
   */
  deployFrom?: string;
}

const COMPONENT = "AckCluster";
/** ACK docs: Use load-aware pod scheduling: Pro Secrets encryption takes an Aliyun_AES_256 key without automatic rotation. */
export const SECRETS_KEY_SPEC = "Aliyun_AES_256";
const ALL_LOG_COMPONENTS: ControlPlaneLogComponent[] = [
  "apiserver",
  "kcm",
  "scheduler",
  "ccm",
  "controlplane-events",
];

/** Args with every default applied. */
export function resolveClusterArgs(name: string, args: AckClusterArgs) {
  const production = args.production ?? false;
  const edition = args.edition ?? "pro";
  const cni = args.cni ?? "terway";
  const encrypt = args.secretsEncryption?.enabled ?? edition === "pro";
  return {
    production,
    clusterName: args.clusterName ?? name,
    edition,
    cni,
    encrypt,
    deletionProtection: args.deletionProtection ?? production,
    protect: args.protect ?? production,
    publicEndpoint: args.apiServer?.publicEndpoint ?? false,
    allowList: args.apiServer?.allowList,
    nodeCidrMask: cni === "flannel" ? (args.nodeCidrMask ?? 26) : undefined,
    logs: args.controlPlaneLogs?.enabled ?? production,
    audit: args.auditLog?.enabled ?? production,
  };
}

/** The provider's cluster auto upgrade channels (ManagedKubernetesOperationPolicyClusterAutoUpgrade.channel). */
export const ACK_AUTO_UPGRADE_CHANNELS: readonly string[] = ["patch", "stable", "rapid"];

function schema(resource: string, path: string, message: string): Diagnostic {
  return { rule: SPEC_SCHEMA, severity: "mandatory", resource, path, message };
}

const known = (v: pulumi.Input<string>): string | undefined => (typeof v === "string" ? v : undefined);

/** Every problem of the args: cluster, security, cidr rules and shape problems. Pure. */
export function validateClusterArgs(name: string, args: AckClusterArgs): Diagnostic[] {
  const r = resolveClusterArgs(name, args);
  const out: Diagnostic[] = [];
  if (args.autoUpgradeChannel !== undefined && !ACK_AUTO_UPGRADE_CHANNELS.includes(args.autoUpgradeChannel))
    out.push(
      schema(
        name,
        "autoUpgradeChannel",
        `autoUpgradeChannel "${args.autoUpgradeChannel}" is none of ${ACK_AUTO_UPGRADE_CHANNELS.join(", ")}`,
      ),
    );
  else if (
    args.autoUpgradeChannel !== undefined &&
    !(args.maintenanceWindow && args.maintenanceWindow.enabled !== false)
  )
    out.push(
      schema(
        name,
        "autoUpgradeChannel",
        `autoUpgradeChannel "${args.autoUpgradeChannel}" needs an enabled maintenanceWindow: ACK runs cluster auto upgrades in it`,
      ),
    );
  // The deploying RAM identity reads its own kubeconfig; only reach is in question on ACK.
  out.push(
    ...deployerAccess({
      resource: name,
      cluster: r.clusterName,
      cloud: "alicloud",
      managesInClusterObjects: args.managesInClusterObjects ?? true,
      publicEndpoint: r.publicEndpoint,
      deployFrom: args.deployFrom,
    }),
  );
  out.push(
    ...checkCluster({
      resource: name,
      path: "",
      production: r.production,
      cloud: "alicloud",
      name: r.clusterName,
      controlPlaneVSwitchIds: args.vswitches.map((v) => known(v.id)),
      zones: args.vswitches.map((v) => v.zone),
      tags: args.tags,
      fieldPaths: { name: "clusterName", controlPlaneVSwitchIds: "vswitches", zones: "vswitches" },
    }),
  );
  out.push(
    ...checkSecurity({
      resource: name,
      path: "",
      production: r.production,
      name: r.clusterName,
      edition: r.edition,
      deletionProtection: r.deletionProtection,
      protect: r.protect,
      secretsEncrypted: r.encrypt,
      publicEndpoint: r.publicEndpoint,
      publicAccessCidrs: r.allowList ?? [],
      outputs: [{ resource: name, path: "kubeconfig", name: "kubeconfig", secret: true }],
      fieldPaths: {
        secretsEncrypted: "secretsEncryption.enabled",
        publicAccessCidrs: "apiServer.allowList",
      },
    }),
  );
  const zones = distinct(args.vswitches.map((v) => v.zone));
  const facts: NetworkFacts = {
    vpcs: vpcFactsFromCidrs(name, args.vpcCidrs),
    vswitches: [
      ...args.vswitches.map((v, i) => ({
        resource: name,
        path: `vswitches[${i}].cidr`,
        cidr: v.cidr,
        vpc: args.vpcCidrs?.length ? "vpc" : undefined,
        zone: v.zone,
        role: "node" as const,
        cluster: r.clusterName,
      })),
      ...(args.podVSwitches ?? []).map((v, i) => ({
        resource: name,
        path: `podVSwitches[${i}].cidr`,
        cidr: v.cidr,
        vpc: args.vpcCidrs?.length ? "vpc" : undefined,
        zone: v.zone,
        role: "pod" as const,
        cluster: r.clusterName,
      })),
    ],
    clusters: [
      {
        resource: name,
        name: r.clusterName,
        path: "",
        vpc: args.vpcCidrs?.length ? "vpc" : undefined,
        cni: r.cni,
        kubernetesVersion: args.kubernetesVersion,
        podCidr: args.podCidr !== undefined ? { cidr: args.podCidr, path: "podCidr" } : undefined,
        serviceCidr: { cidr: args.serviceCidr, path: "serviceCidr" },
        nodeCidrMask: r.nodeCidrMask,
        maxNodes: args.maxNodes,
        zones: zones.map((z) => ({
          zone: z,
          path: `vswitches (zone ${z})`,
          nodeCidrs: args.vswitches.filter((v) => v.zone === z).map((v) => v.cidr),
          podCidrs:
            r.cni === "terway"
              ? (args.podVSwitches ?? []).filter((v) => v.zone === z).map((v) => v.cidr)
              : [],
        })),
        apiAllowList:
          r.allowList !== undefined ? { cidrs: r.allowList, path: "apiServer.allowList" } : undefined,
      },
    ],
    connected: [],
  };
  out.push(...checkNetwork(facts));
  if (args.maxNodes !== undefined) {
    const quota: QuotaFacts = {
      cloud: "alicloud",
      quotas: args.quotas,
      clusters: [
        {
          resource: name,
          path: "",
          name: r.clusterName,
          edition: r.edition,
          cni: r.cni,
          nodePools: [{ resource: name, path: "", name: "all node pools", maxSize: args.maxNodes }],
          paths: { nodePools: "maxNodes" },
        },
      ],
    };
    out.push(...checkClusterNodes(quota), ...checkFlannelRouteEntries(quota));
  }

  // Shape problems: settings that contradict each other.
  const versionProblem =
    args.kubernetesVersion === undefined
      ? undefined
      : kubernetesVersionProblem("alicloud", args.kubernetesVersion);
  if (versionProblem) out.push(schema(name, "kubernetesVersion", versionProblem));
  // Standard support on today's date (cluster/version-supported); the skew rule needs the
  // version deployed before, which a component does not see: the spec check and the pack judge it.
  out.push(
    ...checkVersionSupported({
      resource: name,
      path: "",
      cloud: "alicloud",
      production: args.production ?? false,
      version: args.kubernetesVersion,
    }),
  );
  if (r.cni === "terway") {
    if (!args.podVSwitches || args.podVSwitches.length === 0) {
      out.push(
        schema(
          name,
          "podVSwitches",
          `cni "terway" needs pod vSwitches (one per zone of [${zones.join(", ")}])`,
        ),
      );
    }
    if (args.podCidr !== undefined) {
      out.push(schema(name, "podCidr", `podCidr ${args.podCidr} is a Flannel setting; cni is "terway"`));
    }
  } else {
    if (args.podCidr === undefined) out.push(schema(name, "podCidr", `cni "flannel" needs podCidr`));
    if (args.podVSwitches?.length) {
      out.push(schema(name, "podVSwitches", `pod vSwitches are a Terway setting; cni is "flannel"`));
    }
    const { min, max } = FLANNEL_NODE_CIDR_MASK;
    if (r.nodeCidrMask !== undefined && (r.nodeCidrMask < min || r.nodeCidrMask > max)) {
      out.push(schema(name, "nodeCidrMask", `nodeCidrMask /${r.nodeCidrMask} is outside ${min}–${max}`));
    }
  }
  if (args.secretsEncryption?.kmsKeyId !== undefined && !r.encrypt) {
    out.push(
      schema(name, "secretsEncryption.kmsKeyId", `a KMS key is given but secretsEncryption.enabled is false`),
    );
  }
  if (args.apiServer?.allowListBinding !== undefined && r.allowList === undefined) {
    out.push(
      schema(
        name,
        "apiServer.allowListBinding",
        `allowListBinding is set but there is no apiServer.allowList`,
      ),
    );
  }
  return out;
}

/**
 * Each cluster's Kubernetes provider, behind the `provider` getter: TypeScript programs use it,
 * and the component package schema (which publishes every field) leaves it out, since a provider
 * output cannot be used as a resource option from other languages; they build their own from
 * `kubeconfig`.
 */
const k8sProviders = new WeakMap<AckCluster, k8s.Provider>();

export class AckCluster extends pulumi.ComponentResource {
  /** The ACK cluster id. */
  readonly clusterId: pulumi.Output<string>;
  /** The ACK cluster name. */
  readonly clusterName: pulumi.Output<string>;
  /** The internal API server endpoint (always present). */
  readonly apiServerIntranetEndpoint: pulumi.Output<string | undefined>;
  /** The public API server endpoint; undefined unless `apiServer.publicEndpoint`. */
  readonly apiServerInternetEndpoint: pulumi.Output<string | undefined>;
  /** The API server SLB that ACK created. */
  readonly apiServerLoadBalancerId: pulumi.Output<string>;
  /** The API server allow-list (an `slb.Acl`), when there is one. */
  readonly apiServerAclId: pulumi.Output<string | undefined>;
  /** The node security group. */
  readonly securityGroupId: pulumi.Output<string>;
  /** The worker RAM role ACK created. */
  readonly workerRamRoleName: pulumi.Output<string>;
  /** The KMS key encrypting Secrets, when encryption is on. */
  readonly secretsKmsKeyId: pulumi.Output<string | undefined>;
  /** The kubeconfig (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** RRSA: the issuer URL of the service-account OIDC tokens ("" without RRSA). */
  readonly rrsaOidcIssuerUrl: pulumi.Output<string>;
  /** RRSA: the ARN of the OIDC provider registered in RAM ("" without RRSA). */
  readonly rrsaOidcProviderArn: pulumi.Output<string>;
  /** A Kubernetes provider for this cluster. TypeScript only: not in the component package schema. */
  get provider(): k8s.Provider {
    return k8sProviders.get(this) as k8s.Provider;
  }

  constructor(name: string, args: AckClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const alicloud = alicloudSdk();
    const advisories = judge(`${COMPONENT} "${name}"`, args, () => validateClusterArgs(name, args));
    super(`platform:alicloud:${COMPONENT}`, name, {}, opts);
    for (const d of advisories) pulumi.log.warn(`${d.rule} at ${d.path}: ${d.message}`, this);

    const r = resolveClusterArgs(name, args);
    const tags = args.tags ?? {};

    // Secrets encryption key: Aliyun_AES_256, automatic rotation off (ACK docs: Use load-aware pod scheduling).
    let kmsKeyId: pulumi.Input<string> | undefined;
    if (r.encrypt) {
      kmsKeyId =
        args.secretsEncryption?.kmsKeyId ??
        new alicloud.kms.Key(
          `${name}-secrets`,
          {
            description: `Encrypts the Kubernetes Secrets of ACK cluster ${r.clusterName}`,
            keySpec: SECRETS_KEY_SPEC,
            keyUsage: "ENCRYPT/DECRYPT",
            automaticRotation: "Disabled",
            pendingWindowInDays: 30,
            deletionProtection: r.production ? "Enabled" : "Disabled",
            tags,
          },
          { parent: this, protect: r.protect },
        ).id;
    }

    const logs = args.controlPlaneLogs ?? {};
    const mw = args.maintenanceWindow;
    const cluster = new alicloud.cs.ManagedKubernetes(
      `${name}-cluster`,
      {
        name: r.clusterName,
        clusterSpec: ackClusterSpec(r.edition),
        version: args.kubernetesVersion,
        vswitchIds: args.vswitches.map((v) => v.id),
        podVswitchIds: r.cni === "terway" ? (args.podVSwitches ?? []).map((v) => v.id) : undefined,
        podCidr: r.cni === "flannel" ? args.podCidr : undefined,
        nodeCidrMask: r.nodeCidrMask,
        serviceCidr: args.serviceCidr,
        proxyMode: args.proxyMode ?? "ipvs",
        // The network component owns the NAT gateway; the API server EIP only when asked.
        newNatGateway: false,
        slbInternetEnabled: r.publicEndpoint,
        securityGroupId: args.securityGroupId,
        deletionProtection: r.deletionProtection,
        ...(r.encrypt ? { encryptionProviderKey: kmsKeyId, disableEncryption: false } : {}),
        addons: ackAddons(r.cni, args.addons),
        enableRrsa: args.rrsa ?? true,
        ...(r.logs
          ? {
              controlPlaneLogComponents: logs.components ?? ALL_LOG_COMPONENTS,
              controlPlaneLogTtl: String(logs.ttlDays ?? 30),
              controlPlaneLogProject: logs.project,
            }
          : {}),
        auditLogConfig: { enabled: r.audit, slsProjectName: args.auditLog?.slsProject },
        maintenanceWindow: mw
          ? {
              enable: mw.enabled ?? true,
              maintenanceTime: mw.maintenanceTime,
              duration: mw.duration,
              weeklyPeriod: mw.weeklyPeriod,
            }
          : undefined,
        ...(args.autoUpgradeChannel
          ? { operationPolicy: { clusterAutoUpgrade: { enabled: true, channel: args.autoUpgradeChannel } } }
          : {}),
        timezone: args.timezone,
        resourceGroupId: args.resourceGroupId,
        tags,
        // Keep client certificates out of the state; the kubeconfig comes from the credential API.
        skipSetCertificateAuthority: true,
      },
      {
        parent: this,
        protect: r.protect,
        // Immutable network settings: a change must show as a replacement (ACK docs: Create an ACK dedicated cluster).
        replaceOnChanges: ["podCidr", "serviceCidr", "nodeCidrMask", "clusterSpec"],
        // The provider applies `addons` only when it creates the cluster; after that, add-ons
        // are KubernetesAddon resources (AckClusterAddons), so later edits of the list are noise.
        ignoreChanges: ["addons"],
        additionalSecretOutputs: ["certificateAuthority", "clientCert", "clientKey", "clusterCaCert"],
      },
    );

    // API server allow-list: an ACL with one entry per CIDR, bound to the 6443 listener.
    let aclId: pulumi.Output<string> | undefined;
    if (r.allowList !== undefined) {
      const acl = new alicloud.slb.Acl(
        `${name}-api-acl`,
        {
          name: `${r.clusterName}-apiserver`,
          ipVersion: "ipv4",
          resourceGroupId: args.resourceGroupId,
          tags,
        },
        { parent: this },
      );
      const entries = r.allowList.map(
        (c) =>
          new alicloud.slb.AclEntryAttachment(
            `${name}-api-acl-${cidrToNamePart(c)}`,
            { aclId: acl.id, entry: c, comment: "API server allow-list" },
            { parent: this },
          ),
      );
      aclId = acl.id;
      if ((args.apiServer?.allowListBinding ?? "aliyun-cli") === "aliyun-cli") {
        // ACK docs: Manage Kubernetes clusters with kubectl on Cloud Shell: access control on the API server SLB's 6443 listener, white list.
        const region = alicloud.config.region ?? "";
        const call = (status: "on" | "off") =>
          `aliyun slb SetLoadBalancerTCPListenerAttribute --RegionId "$REGION" --LoadBalancerId "$LB_ID" --ListenerPort 6443 --AclStatus ${status}` +
          (status === "on" ? ` --AclType white --AclId "$ACL_ID"` : "");
        new command.local.Command(
          `${name}-api-acl-binding`,
          {
            create: call("on"),
            update: call("on"),
            delete: call("off"),
            environment: { REGION: region, LB_ID: cluster.slbId, ACL_ID: acl.id },
            triggers: [cluster.slbId, acl.id],
          },
          { parent: this, dependsOn: entries },
        );
      }
    }

    const credential = alicloud.cs.getClusterCredentialOutput({ clusterId: cluster.id }, { parent: this });
    this.kubeconfig = pulumi.secret(credential.kubeConfig);
    k8sProviders.set(
      this,
      new k8s.Provider(
        `${name}-k8s`,
        { kubeconfig: this.kubeconfig, enableServerSideApply: true },
        { parent: this },
      ),
    );

    this.clusterId = cluster.id;
    this.clusterName = cluster.name;
    this.apiServerIntranetEndpoint = cluster.connections.apply((c) => c?.apiServerIntranet);
    this.apiServerInternetEndpoint = cluster.connections.apply((c) => c?.apiServerInternet);
    this.apiServerLoadBalancerId = cluster.slbId;
    this.apiServerAclId = aclId ? aclId.apply((x): string | undefined => x) : pulumi.output(undefined);
    this.securityGroupId = cluster.securityGroupId;
    this.rrsaOidcIssuerUrl = cluster.rrsaMetadata.apply((m) => m?.rrsaOidcIssuerUrl ?? "");
    this.rrsaOidcProviderArn = cluster.rrsaMetadata.apply((m) => m?.ramOidcProviderArn ?? "");
    this.workerRamRoleName = cluster.workerRamRoleName;
    this.secretsKmsKeyId = kmsKeyId
      ? pulumi.output(kmsKeyId).apply((x): string | undefined => x)
      : pulumi.output(undefined);
    this.registerOutputs({
      clusterId: this.clusterId,
      clusterName: this.clusterName,
      apiServerIntranetEndpoint: this.apiServerIntranetEndpoint,
      apiServerInternetEndpoint: this.apiServerInternetEndpoint,
      apiServerLoadBalancerId: this.apiServerLoadBalancerId,
      apiServerAclId: this.apiServerAclId,
      securityGroupId: this.securityGroupId,
      workerRamRoleName: this.workerRamRoleName,
      secretsKmsKeyId: this.secretsKmsKeyId,
      kubeconfig: this.kubeconfig,
      rrsaOidcIssuerUrl: this.rrsaOidcIssuerUrl,
      rrsaOidcProviderArn: this.rrsaOidcProviderArn,
    });
  }
}
