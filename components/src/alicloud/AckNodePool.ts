/**
 * AckNodePool: an ACK node pool (`alicloud.cs.NodePool`): instance types, encrypted system and
 * data disks, fixed size or autoscaling, labels and taints, the OS image (ContainerOS or Alibaba
 * Cloud Linux, or an image id from the node image component), key-pair login, kubelet
 * settings, managed upgrades, spot instances and security groups.
 *
 * Each pool is one scaling group (ACK docs: Node pool overview); ≤ 1,000 nodes per pool, ≤ 20 pools per cluster
 * (ACK docs: Node pool overview); a managed pool (auto repair, auto upgrade) needs an ACK Pro cluster (ACK docs: Overview of managed node pools)
 * and replaces system disks on upgrade (ACK docs: Overview of managed node pools), so an image change replaces nodes
 * rather than patching them. The args are checked with the node, image, name and quota rules
 * (node/login, node/autoscaling-default-pool, node/containeros-requirements, node/max-pods,
 * node/eviction-thresholds, node/immutable-image, cluster/name, quota/nodes-per-pool,
 * quota/node-pool-security-groups, quota/autoscaler-instance-types). With autoscaling the desired size belongs to the autoscaler: it is
 * not set and never diffed.
 */

import {
  ackNodePoolManaged,
  checkAutoscalerInstanceTypes,
  checkName,
  checkNodeImage,
  checkNodePool,
  checkNodePoolSecurityGroups,
  checkNodesPerPool,
  checkScaleStep,
  type Diagnostic,
  type QuotaFacts,
  requestedPoolSize,
  type SecurityGroupType,
  SPEC_SCHEMA,
  type TerwayEniMode,
} from "@kubeplat/plan";
import { nodePoolFacts, T } from "@kubeplat/plan/facts";
import type * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { alicloudSdk } from "../cloudSdks";
import { judge } from "../judgement";
import type { NodeTaintArgs } from "../nodeimage/NodeImage";
import type { ContainerRuntime } from "../platform/environmentSpec";
import { componentContext, registeredResource } from "../registeredResource";
import type { AckCni, AckEdition } from "./AckCluster";

// String choices as `as const` objects with a type of the same name: Pulumi's component schema
// inference publishes them as enums.

/** File system of an auto-formatted data disk. */
export const DataDiskFileSystem = { Ext4: "ext4", Xfs: "xfs" } as const;
export type DataDiskFileSystem = (typeof DataDiskFileSystem)[keyof typeof DataDiskFileSystem];

/** Kubelet CPU manager policy. */
export const CpuManagerPolicy = { None: "none", Static: "static" } as const;
export type CpuManagerPolicy = (typeof CpuManagerPolicy)[keyof typeof CpuManagerPolicy];

// Declared once, generated from the spec's schema (platform/environmentSpec.ts).
export { ContainerRuntime } from "../platform/environmentSpec";

/** How spot instances are bid for. */
export const SpotStrategy = {
  /** Pay the market price. */
  SpotAsPriceGo: "SpotAsPriceGo",
  /** Bid up to `priceLimits`. */
  SpotWithPriceLimit: "SpotWithPriceLimit",
} as const;
export type SpotStrategy = (typeof SpotStrategy)[keyof typeof SpotStrategy];

export interface AckDiskArgs {
  /** Disk category: `cloud_essd` (default), `cloud_auto`, `cloud_ssd`, `cloud_efficiency`. */
  category?: string;
  /** Size in GiB. Default: system 120, data 200. */
  size?: number;
  /** ESSD performance level `PL0`–`PL3`. Default: the provider's (PL1). */
  performanceLevel?: string;
  /** Encrypt the disk. Default true. */
  encrypted?: boolean;
  /** KMS key of the encryption. Default: the account's default CMK (ACK docs: Create an ACK dedicated cluster: data disks only use it). */
  kmsKeyId?: pulumi.Input<string>;
}

export interface AckDataDiskArgs extends AckDiskArgs {
  /** Mount path when auto-formatted, e.g. `/var/lib/container`. Default: ACK's. */
  mountTarget?: string;
  /** File system when auto-formatted: `ext4` (default) or `xfs`. */
  fileSystem?: DataDiskFileSystem;
}

export interface AckKubeletArgs {
  /** Max pods per node (`node/max-pods`: ≤ 256, and the Terway ENI bound). Default: ACK's (64 with Terway). */
  maxPods?: number;
  /** Hard eviction thresholds by signal, e.g. `{"memory.available": "300Mi"}`. Default: kubelet's. */
  evictionHard?: Record<string, string>;
  /** Soft eviction thresholds by signal. Default: none. */
  evictionSoft?: Record<string, string>;
  /** Grace period per soft signal, e.g. `{"memory.available": "1m30s"}`. */
  evictionSoftGracePeriod?: Record<string, string>;
  /** Resources reserved for Kubernetes daemons, e.g. `{cpu: "200m", memory: "1Gi"}`. Default: ACK's. */
  kubeReserved?: Record<string, string>;
  /** Resources reserved for the OS. Default: ACK's. */
  systemReserved?: Record<string, string>;
  /** CPU manager policy `none` (default) or `static`. */
  cpuManagerPolicy?: CpuManagerPolicy;
}

/** For `node/max-pods` under Terway: the instance type's ENI capacity. */
export interface AckInstanceNetworkArgs {
  /** The instance type these numbers describe. */
  instanceType?: string;
  /** ENIs of the instance type. */
  enis: number;
  /** Private IPs per ENI. */
  ipsPerEni?: number;
  /** Terway ENI mode. Default `shared`. */
  terwayEniMode?: TerwayEniMode;
}

/** Autoscaling between min and max. */
export interface AckAutoscalingArgs {
  /** Default true. */
  enabled?: boolean;
  /** Fewest nodes. */
  minSize: number;
  /** Most nodes. */
  maxSize: number;
}

/** Managed node pool (Pro): auto repair, auto upgrade, rolling replacement. */
export interface AckNodePoolManagementArgs {
  /** Default: true on Pro, false on standard. */
  enabled?: boolean;
  /** Restart or replace unhealthy nodes. Default true. */
  autoRepair?: boolean;
  /** Upgrade kubelet and OS in the maintenance window. Default true. */
  autoUpgrade?: boolean;
  /** Patch CVEs automatically. Default false. */
  autoVulFix?: boolean;
  /** Nodes unavailable at once during an upgrade (1–1000). Default 1. */
  maxUnavailable?: number;
  /** Extra nodes added during an upgrade (ACK docs: Manage managed node pools). Default 0. */
  surge?: number;
}

/** A spot price limit for one instance type. */
export interface AckSpotPriceLimitArgs {
  /** The instance type. */
  instanceType: string;
  /** Highest hourly price. */
  priceLimit: string;
}

/** Spot (preemptible) instances. */
export interface AckSpotArgs {
  /** `SpotAsPriceGo` (default) or `SpotWithPriceLimit`. */
  strategy?: SpotStrategy;
  /** Price limits per instance type (`SpotWithPriceLimit`). */
  priceLimits?: AckSpotPriceLimitArgs[];
  /** Keep this many on-demand nodes. Default 0. */
  onDemandBaseCapacity?: number;
  /** Percentage of on-demand nodes above the base. Default 0. */
  onDemandPercentageAboveBaseCapacity?: number;
  /** Fall back to on-demand when spot stock runs out. Default true. */
  compensateWithOnDemand?: boolean;
  /** Replace spot nodes before they are reclaimed. Default true. */
  spotInstanceRemedy?: boolean;
}

export interface AckNodePoolArgs {
  /** Production environment (`node/immutable-image` is mandatory there). Default false. */
  production?: boolean;
  /** The cluster id (AckCluster.clusterId). */
  clusterId: pulumi.Input<string>;
  /** The cluster's name, for messages. */
  clusterName?: string;
  /** The cluster's edition (managed pools and ContainerOS need `pro`). Default `pro`. */
  clusterEdition?: AckEdition;
  /** The cluster's CNI (for `node/max-pods`). Default `terway`. */
  clusterCni?: AckCni;
  /** The node pool name, 1–63 characters (`cluster/name`). Default: the component name. */
  nodePoolName?: string;
  /** The node vSwitches (one per zone). */
  vswitchIds: pulumi.Input<string>[];
  /** Instance types in order of preference (autoscaling: ≤ 10). */
  instanceTypes: string[];
  /** Fixed size: the number of nodes. Ignored with autoscaling. Default 0. */
  desiredSize?: number;
  /** Autoscaling between min and max; the desired size is then the autoscaler's. Default: off. */
  autoscaling?: AckAutoscalingArgs;
  /** The cluster's default pool (`node/autoscaling-default-pool`). Default false. */
  isDefault?: boolean;
  /** System disk. Default: cloud_essd, 120 GiB, encrypted. */
  systemDisk?: AckDiskArgs;
  /** Data disks. Default: one cloud_essd, 200 GiB, encrypted. */
  dataDisks?: AckDataDiskArgs[];
  /** Kubernetes labels of the nodes. Default {}. */
  labels?: Record<string, string>;
  /** Kubernetes taints of the nodes. Default []. */
  taints?: NodeTaintArgs[];
  /**
   * OS image type: `ContainerOS` (default on Pro), `AliyunLinux3`, `AliyunLinux3ContainerOptimized`,
   * ... (NodePool `imageType`). From the node image component when there is one.
   */
  imageType?: pulumi.Input<string>;
  /**
   * A custom image id (NodeImage `imageId`; an empty string means none). Default: the image
   * type's system image.
   */
  imageId?: pulumi.Input<string>;
  /** Node custom data, base64 (NodeImage `userData`). Default: none. */
  userData?: pulumi.Input<string>;
  /** Container runtime. Default `containerd`. */
  runtime?: ContainerRuntime;
  /** Runtime version. Default: the cluster's. */
  runtimeVersion?: string;
  /** Key pair the nodes log in with (`node/login`). */
  keyPairName?: string;
  /** Login password where a key pair cannot be used (`node/login`); kept secret. Default: none. */
  password?: string;
  /** Kubelet settings. Default: ACK's. */
  kubelet?: AckKubeletArgs;
  /** The instance type's ENI capacity, to check `maxPods` against Terway's bound. Default: not checked. */
  instanceNetwork?: AckInstanceNetworkArgs;
  /** Managed node pool (Pro): auto repair, auto upgrade, rolling replacement. */
  management?: AckNodePoolManagementArgs;
  /** Spot (preemptible) instances. Default: on-demand only. */
  spot?: AckSpotArgs;
  /** Security groups of the nodes, ≤ 5, all of one type (`quota/node-pool-security-groups`). */
  securityGroupIds?: pulumi.Input<string>[];
  /** Their type. Default `normal`. */
  securityGroupType?: SecurityGroupType;
  /** ECS tags of the nodes. Default {}. */
  tags?: Record<string, string>;
  /** Resource group of the nodes. Default: the cluster's. */
  resourceGroupId?: string;
  /** Quotas raised above the documented defaults (spec `quotas`). Default: the documented ones. */
  quotas?: AckNodePoolQuotaArgs;
}

export interface AckNodePoolQuotaArgs {
  /** Max nodes of one node pool (quota/nodes-per-pool). Default 1000 (ACK docs: Node pool overview). */
  nodesPerPool?: number;
  /** Nodes one change may add to a fixed pool (quota/scale-step). Default 500 (ACK docs: Manage node pools). */
  scaleStep?: number;
}

const COMPONENT = "AckNodePool";

export function resolveNodePoolArgs(name: string, args: AckNodePoolArgs) {
  const edition = args.clusterEdition ?? "pro";
  const autoscaling = args.autoscaling !== undefined && (args.autoscaling.enabled ?? true);
  return {
    production: args.production ?? false,
    edition,
    cni: args.clusterCni ?? "terway",
    nodePoolName: args.nodePoolName ?? name,
    managed: ackNodePoolManaged(edition, args.management),
    imageType: args.imageType ?? (edition === "pro" ? "ContainerOS" : "AliyunLinux3"),
    /** The image type when known at construction (an Output from NodeImage is not). */
    knownImageType:
      args.imageType === undefined
        ? edition === "pro"
          ? "ContainerOS"
          : "AliyunLinux3"
        : typeof args.imageType === "string"
          ? args.imageType
          : undefined,
    runtime: args.runtime ?? "containerd",
    autoscaling,
    login: (args.keyPairName !== undefined
      ? "key-pair"
      : args.password !== undefined
        ? "password"
        : "none") as "key-pair" | "password" | "none",
  };
}

function schema(resource: string, path: string, message: string): Diagnostic {
  return { rule: SPEC_SCHEMA, severity: "mandatory", resource, path, message };
}

/** Every problem of the args: name, image, kubelet rules and shape problems. Pure. */
export function validateNodePoolArgs(name: string, args: AckNodePoolArgs): Diagnostic[] {
  const r = resolveNodePoolArgs(name, args);
  const out: Diagnostic[] = [];
  // node/* and the image's pool facts: the facts decoded from the NodePool properties this component registers (what the
  // policy pack reads), plus what exists only in the arguments (which pool is the default).
  const { ctx, labels } = componentContext(r.production);
  const decoded = nodePoolFacts(
    registeredResource(T.ackNodePool, name, ackNodePoolProperties(name, args)),
    ctx,
    labels,
  );
  // cluster/name for the pool: checkName reads the pool through ClusterFacts.nodePools.
  out.push(
    ...checkName({
      resource: name,
      path: "",
      production: r.production,
      nodePools: [{ resource: name, path: "", name: r.nodePoolName, fieldPaths: { name: "nodePoolName" } }],
    }),
  );
  out.push(
    ...checkNodeImage({
      resource: name,
      path: "",
      production: r.production,
      image: r.knownImageType,
      cluster: { name: args.clusterName, edition: r.edition, cni: r.cni },
      pool: { managed: decoded?.managed ?? r.managed, runtime: r.runtime, login: r.login },
      kubelet: args.kubelet
        ? {
            maxPods: args.kubelet.maxPods,
            evictionHard: args.kubelet.evictionHard,
            evictionSoft: args.kubelet.evictionSoft,
            evictionSoftGracePeriod: args.kubelet.evictionSoftGracePeriod,
          }
        : undefined,
      network: args.instanceNetwork,
      // New nodes boot the new image; existing ones are replaced (managed: system disk swap).
      rollout: { imageChange: "replace" },
    }),
  );

  if (decoded) {
    out.push(
      ...checkNodePool({
        ...decoded,
        resource: name,
        path: "",
        cluster: args.clusterName,
        default: args.isDefault,
        fieldPaths: {
          keyPairLogin: "keyPairName",
          passwordLogin: "password",
          password: "password",
          default: "isDefault",
          autoscaling: "autoscaling",
        },
      }),
    );
  }
  const quota: QuotaFacts = {
    cloud: "alicloud",
    quotas: { ...(args.quotas ?? {}) },
    clusters: [
      {
        resource: args.clusterName ?? "cluster",
        path: "",
        name: args.clusterName,
        edition: r.edition,
        cni: r.cni,
        nodePools: [
          {
            resource: name,
            path: "",
            name: r.nodePoolName,
            // The size this pool registers (a fixed pool: desiredSize, 0 when unset).
            ...requestedPoolSize({
              autoscaling: r.autoscaling,
              maxSize: args.autoscaling?.maxSize,
              desiredSize: args.desiredSize ?? 0,
            }),
            instanceTypes: args.instanceTypes,
            securityGroups: (args.securityGroupIds ?? []).map((id) => ({
              id: typeof id === "string" ? id : undefined,
              type: args.securityGroupType ?? "normal",
            })),
            paths: { maxSize: "autoscaling.maxSize", securityGroups: "securityGroupIds" },
          },
        ],
      },
    ],
  };
  out.push(
    ...checkNodesPerPool(quota),
    ...checkNodePoolSecurityGroups(quota),
    ...checkAutoscalerInstanceTypes(quota),
    ...checkScaleStep(quota),
  );

  if (args.instanceTypes.length === 0) out.push(schema(name, "instanceTypes", "no instance type"));
  if (args.vswitchIds.length === 0) out.push(schema(name, "vswitchIds", "no vSwitch"));
  const a = args.autoscaling;
  if (a !== undefined) {
    if (
      !Number.isInteger(a.minSize) ||
      !Number.isInteger(a.maxSize) ||
      a.minSize < 0 ||
      a.minSize > a.maxSize
    ) {
      out.push(
        schema(
          name,
          "autoscaling",
          `autoscaling minSize ${a.minSize} and maxSize ${a.maxSize}: need 0 ≤ minSize ≤ maxSize`,
        ),
      );
    }
    if (r.autoscaling && args.desiredSize !== undefined) {
      out.push(
        schema(
          name,
          "desiredSize",
          `desiredSize ${args.desiredSize} with autoscaling ${a.minSize}–${a.maxSize}: the autoscaler owns the size; drop desiredSize`,
        ),
      );
    }
  }
  if (args.desiredSize !== undefined && (!Number.isInteger(args.desiredSize) || args.desiredSize < 0)) {
    out.push(schema(name, "desiredSize", `desiredSize ${args.desiredSize} is not a non-negative integer`));
  }
  if (r.managed && r.edition !== "pro") {
    out.push(
      schema(
        name,
        "management.enabled",
        `a managed node pool needs an ACK Pro cluster, edition is "${r.edition}" (ACK docs: Overview of managed node pools)`,
      ),
    );
  }
  if (args.management?.enabled === false) {
    for (const f of ["autoRepair", "autoUpgrade", "autoVulFix", "maxUnavailable", "surge"] as const) {
      if (args.management[f] !== undefined) {
        out.push(
          schema(name, `management.${f}`, `management.${f} needs management.enabled (a managed pool)`),
        );
      }
    }
  }
  const mu = args.management?.maxUnavailable;
  if (mu !== undefined && (!Number.isInteger(mu) || mu < 1 || mu > 1000)) {
    out.push(schema(name, "management.maxUnavailable", `maxUnavailable ${mu} is outside 1–1000`));
  }
  const spot = args.spot;
  if (spot !== undefined) {
    const strategy = spot.strategy ?? "SpotAsPriceGo";
    if (strategy === "SpotWithPriceLimit" && !spot.priceLimits?.length) {
      out.push(schema(name, "spot.priceLimits", `spot strategy SpotWithPriceLimit needs priceLimits`));
    }
    for (const [i, p] of (spot.priceLimits ?? []).entries()) {
      if (!args.instanceTypes.includes(p.instanceType)) {
        out.push(
          schema(
            name,
            `spot.priceLimits[${i}].instanceType`,
            `price limit for ${p.instanceType}, which is not one of instanceTypes [${args.instanceTypes.join(", ")}]`,
          ),
        );
      }
    }
  }
  return out;
}

/**
 * The `alicloud.cs.NodePool` properties this component registers, as plain values (the image id
 * and the password are wrapped when registered). The component's validation decodes its rule
 * facts from these, with the same decoders the policy pack runs on the registered resource.
 */
export function ackNodePoolProperties(name: string, args: AckNodePoolArgs): alicloud.cs.NodePoolArgs {
  const r = resolveNodePoolArgs(name, args);
  const sys = args.systemDisk ?? {};
  const dataDisks = args.dataDisks ?? [{}];
  const k = args.kubelet;
  const m = args.management ?? {};
  const spot = args.spot;
  const str = (v: number | undefined) => (v === undefined ? undefined : String(v));
  return {
    clusterId: args.clusterId,
    nodePoolName: r.nodePoolName,
    vswitchIds: args.vswitchIds,
    instanceTypes: args.instanceTypes,
    ...(r.autoscaling
      ? {
          scalingConfig: {
            enable: true,
            minSize: args.autoscaling?.minSize,
            maxSize: args.autoscaling?.maxSize,
            type: spot ? "spot" : "cpu",
          },
        }
      : { desiredSize: String(args.desiredSize ?? 0) }),
    systemDiskCategory: sys.category ?? "cloud_essd",
    systemDiskSize: sys.size ?? 120,
    systemDiskPerformanceLevel: sys.performanceLevel,
    systemDiskEncrypted: sys.encrypted ?? true,
    systemDiskEncryptAlgorithm: (sys.encrypted ?? true) ? "aes-256" : undefined,
    systemDiskKmsKey: sys.kmsKeyId,
    dataDisks: dataDisks.map((d) => ({
      category: d.category ?? "cloud_essd",
      size: d.size ?? 200,
      performanceLevel: d.performanceLevel,
      encrypted: String(d.encrypted ?? true),
      kmsKeyId: d.kmsKeyId,
      ...(d.mountTarget !== undefined
        ? { autoFormat: "true", mountTarget: d.mountTarget, fileSystem: d.fileSystem ?? "ext4" }
        : {}),
    })),
    labels: Object.entries(args.labels ?? {}).map(([key, value]) => ({ key, value })),
    taints: (args.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
    imageType: r.imageType,
    imageId:
      args.imageId === undefined ? undefined : pulumi.output(args.imageId).apply((id) => id || undefined),
    userData: args.userData,
    runtimeName: r.runtime,
    runtimeVersion: args.runtimeVersion,
    keyName: args.keyPairName,
    password: args.password,
    kubeletConfiguration: k
      ? {
          maxPods: str(k.maxPods),
          evictionHard: k.evictionHard,
          evictionSoft: k.evictionSoft,
          evictionSoftGracePeriod: k.evictionSoftGracePeriod,
          kubeReserved: k.kubeReserved,
          systemReserved: k.systemReserved,
          cpuManagerPolicy: k.cpuManagerPolicy,
        }
      : undefined,
    management: r.managed
      ? {
          enable: true,
          autoRepair: m.autoRepair ?? true,
          autoUpgrade: m.autoUpgrade ?? true,
          autoVulFix: m.autoVulFix ?? false,
          maxUnavailable: m.maxUnavailable ?? 1,
          surge: m.surge,
        }
      : undefined,
    ...(spot
      ? {
          spotStrategy: spot.strategy ?? "SpotAsPriceGo",
          spotPriceLimits: spot.priceLimits,
          onDemandBaseCapacity: str(spot.onDemandBaseCapacity ?? 0),
          onDemandPercentageAboveBaseCapacity: str(spot.onDemandPercentageAboveBaseCapacity ?? 0),
          compensateWithOnDemand: spot.compensateWithOnDemand ?? true,
          spotInstanceRemedy: spot.spotInstanceRemedy ?? true,
          multiAzPolicy: "COST_OPTIMIZED",
        }
      : {}),
    securityGroupIds: args.securityGroupIds,
    tags: args.tags,
    resourceGroupId: args.resourceGroupId,
  };
}

export class AckNodePool extends pulumi.ComponentResource {
  /** The ACK node pool id. */
  readonly nodePoolId: pulumi.Output<string>;
  /** The pool's scaling group. */
  readonly scalingGroupId: pulumi.Output<string>;

  constructor(name: string, args: AckNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    const alicloud = alicloudSdk();
    const advisories = judge(`${COMPONENT} "${name}"`, args, () => validateNodePoolArgs(name, args));
    super(`platform:alicloud:${COMPONENT}`, name, {}, opts);
    for (const d of advisories) pulumi.log.warn(`${d.rule} at ${d.path}: ${d.message}`, this);

    const r = resolveNodePoolArgs(name, args);
    const props = ackNodePoolProperties(name, args);

    const pool = new alicloud.cs.NodePool(
      `${name}-pool`,
      {
        ...props,
        imageId:
          args.imageId === undefined ? undefined : pulumi.output(args.imageId).apply((id) => id || undefined),
        password: args.password !== undefined ? pulumi.secret(args.password) : undefined,
      },
      {
        parent: this,
        // Security groups cannot change on an existing pool (ACK docs: Manage node pools): a change is a replacement.
        replaceOnChanges: ["securityGroupIds", "clusterId"],
        // With autoscaling the autoscaler owns the size; never diff it.
        ignoreChanges: r.autoscaling ? ["desiredSize", "nodeCount"] : [],
        additionalSecretOutputs: ["password"],
      },
    );

    this.nodePoolId = pool.nodePoolId;
    this.scalingGroupId = pool.scalingGroupId;
    this.registerOutputs({ nodePoolId: this.nodePoolId, scalingGroupId: this.scalingGroupId });
  }
}
