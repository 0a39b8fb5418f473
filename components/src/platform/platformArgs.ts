/**
 * The platform's children as arguments: one builder per child component, from the parsed spec,
 * its plan and the references to other children (ids, endpoints) the child needs.
 *
 * The Platform calls each builder twice: first with placeholder references, to run every
 * child's own validator before anything registers; then with the real outputs, to create it.
 * So the arguments a child is validated with are the arguments it is created with.
 */

import type {
  ClusterPlan,
  ClusterSpec,
  Environment,
  EnvironmentPlan,
  IngressSpec,
  NodeCapacitySpec,
  NodePoolSpec,
  PlannedVSwitch,
} from "@kubeplat/plan";
import {
  clusterAddons,
  clusterSecurity,
  enabledAddons,
  NODE_AUTOSCALER,
  poolTaints,
  requestedPoolSize,
} from "@kubeplat/plan";
import type * as pulumi from "@pulumi/pulumi";
import type { AckClusterArgs, AckVSwitchArgs } from "../alicloud/AckCluster";
import type { AckClusterAddonsArgs } from "../alicloud/AckClusterAddons";
import type { AckNodePoolArgs } from "../alicloud/AckNodePool";
import type { AlicloudNetworkArgs } from "../alicloud/AlicloudNetwork";
import type { AwsNetworkArgs } from "../aws/AwsNetwork";
import type { EksClusterArgs } from "../aws/EksCluster";
import type { EksClusterAddonsArgs } from "../aws/EksClusterAddons";
import type { EksNodeGroupArgs } from "../aws/EksNodeGroup";
import { al2023AmiType, al2023UserData } from "../aws/eksAmiType";
import type { KarpenterArgs } from "../aws/Karpenter";
import { KARPENTER_CONTROLLER_LABEL } from "../aws/karpenterDocuments";
import type { InstalledAddonArgs } from "../kubernetes/clusterAddons";
import type { IngressControllerArgs } from "../kubernetes/IngressController";
import type { PlatformRbacArgs } from "../kubernetes/PlatformRbac";
import type { StorageClassesArgs } from "../kubernetes/StorageClasses";
import type { TenancyArgs } from "../kubernetes/Tenancy";
import type { TenantIdentitiesArgs } from "../kubernetes/TenantIdentities";
import type { NodeImageArgs } from "../nodeimage/NodeImage";
import { ostreePoolImageArgs, ostreePoolTags } from "./ostreePoolImage";

type In<T> = pulumi.Input<T>;

/** References a child needs to other children; placeholders during validation. */
export interface Refs {
  vpcId: In<string>;
  vswitchId(key: string): In<string>;
  /** The node security group the network made for a cluster ("" when it made none). */
  securityGroupId(cluster: string): In<string>;
  cluster(name: string): {
    id: In<string>;
    name: In<string>;
    endpoint: In<string>;
    certificateAuthority: In<string>;
    oidcProviderArn: In<string>;
    oidcProviderUrl: In<string>;
  };
  image(
    cluster: string,
    pool: string,
  ): { imageType: In<string>; imageId: In<string>; userData: In<string>; identity: In<string> };
  /** The image id a self-managed cluster's nodes boot: its NodeImage's imported image. */
  clusterImageId(cluster: string): In<string>;
}

/** Placeholders: recognisable strings, never sent anywhere. */
export const PLACEHOLDER_REFS: Refs = {
  vpcId: "(vpc)",
  vswitchId: (key) => `(vswitch ${key})`,
  securityGroupId: (cluster) => `(security group ${cluster})`,
  cluster: (name) => ({
    id: `(cluster ${name})`,
    name,
    endpoint: `https://${name}.placeholder.invalid`,
    certificateAuthority: "(ca)",
    oidcProviderArn: `arn:aws:iam::000000000000:oidc-provider/${name}.placeholder.invalid`,
    oidcProviderUrl: `https://${name}.placeholder.invalid`,
  }),
  image: (cluster, pool) => ({
    imageType: "ContainerOS",
    imageId: `(image ${cluster}/${pool})`,
    userData: "",
    identity: "placeholder",
  }),
  clusterImageId: (cluster) => `(image ${cluster})`,
};

export const childName = {
  network: (platform: string) => `${platform}-network`,
  cluster: (platform: string, cluster: string) => `${platform}-${cluster}`,
  pool: (platform: string, cluster: string, pool: string) => `${platform}-${cluster}-${pool}`,
  storage: (platform: string, cluster: string) => `${platform}-${cluster}-storage`,
  rbac: (platform: string, cluster: string) => `${platform}-${cluster}-rbac`,
  tenancy: (platform: string, cluster: string) => `${platform}-${cluster}-tenancy`,
  ingress: (platform: string, cluster: string, ingress: string) => `${platform}-${cluster}-${ingress}`,
  addons: (platform: string, cluster: string) => `${platform}-${cluster}-addons`,
  identities: (platform: string, cluster: string) => `${platform}-${cluster}-identities`,
};

export function clusterPlanOf(plan: EnvironmentPlan, name: string): ClusterPlan {
  const cp = plan.clusters.find((c) => c.name === name);
  if (!cp) throw new Error(`internal: the plan has no cluster "${name}"`);
  return cp;
}

export function vswitchesOf(
  plan: EnvironmentPlan,
  cp: ClusterPlan,
  role: PlannedVSwitch["role"],
): PlannedVSwitch[] {
  return cp.vswitchKeys
    .map((k) => plan.vswitches.find((v) => v.key === k))
    .filter((v): v is PlannedVSwitch => v !== undefined && v.role === role);
}

export function nodeVSwitches(
  plan: EnvironmentPlan,
  cp: ClusterPlan,
  refs: Refs,
  role: PlannedVSwitch["role"] = "node",
): AckVSwitchArgs[] {
  return vswitchesOf(plan, cp, role).map((v) => ({ id: refs.vswitchId(v.key), zone: v.zone, cidr: v.cidr }));
}

const tagsOf = (env: Environment, cluster: ClusterSpec) => ({ ...env.tags, ...cluster.tags });
/**
 * The network's view of a cluster's CNI: Terway (pods in pod vSwitches) or an overlay whose pods
 * take addresses from a pod CIDR outside the VPC — Flannel on ACK, and Kube-OVN or Calico on a
 * self-managed cluster, which the CIDR rules judge alike.
 */
const cniName = (cp: ClusterPlan): "terway" | "flannel" => (cp.cni === "terway" ? "terway" : "flannel");

// --- Alibaba Cloud ------------------------------------------------------------------------------

export function alicloudNetworkArgs(env: Environment, plan: EnvironmentPlan): AlicloudNetworkArgs {
  return {
    production: env.production,
    vpc: {
      id: env.vpc.id,
      cidr: env.vpc.cidr,
      secondaryCidrs: env.vpc.secondaryCidrs,
      shared: env.vpc.shared,
    },
    vswitches: plan.vswitches.map((v) => ({
      key: v.key,
      cluster: v.cluster,
      zone: v.zone,
      role: v.role,
      cidr: v.cidr,
      ipv6Index: v.ipv6Index,
      existingId: v.existingId,
    })),
    clusters: plan.clusters.map((c) => ({
      name: c.name,
      cni: cniName(c),
      podCidr: c.podCidr,
      serviceCidr: c.serviceCidr,
      // A self-managed cluster's nodes join its own security group (SelfManagedCluster).
      ...(c.selfManaged !== undefined ? { nodeSecurityGroup: false } : {}),
    })),
    nat: { mode: env.production ? "perZone" : "single" },
    quotas: { eips: env.quotas.eips, securityGroups: env.quotas.securityGroups },
    protect: env.production,
    tags: env.tags,
  };
}

export function ackClusterArgs(
  env: Environment,
  plan: EnvironmentPlan,
  cluster: ClusterSpec,
  refs: Refs,
): AckClusterArgs {
  const cp = clusterPlanOf(plan, cluster.name);
  const sec = clusterSecurity(cluster);
  return {
    production: env.production,
    clusterName: cluster.name,
    edition: cluster.edition,
    kubernetesVersion: cluster.kubernetesVersion,
    vswitches: nodeVSwitches(plan, cp, refs),
    vpcCidrs: [env.vpc.cidr, ...env.vpc.secondaryCidrs],
    cni: cniName(cp),
    podVSwitches: cp.cni === "terway" ? nodeVSwitches(plan, cp, refs, "pod") : undefined,
    podCidr: cp.podCidr,
    nodeCidrMask: cp.nodeCidrMask,
    serviceCidr: cp.serviceCidr,
    securityGroupId: refs.securityGroupId(cluster.name),
    deletionProtection: sec.deletionProtection,
    // Protected exactly when deletion protection is on (the default in production): one spec
    // field, clusters[].security.deletionProtection, turns both on.
    protect: sec.deletionProtection,
    secretsEncryption: { enabled: sec.secretsEncryption, kmsKeyId: sec.kmsKeyId },
    apiServer: {
      publicEndpoint: sec.publicApiServer,
      allowList: sec.publicApiServer && sec.apiAllowList.length > 0 ? sec.apiAllowList : undefined,
    },
    addons: {
      managedSeparately: true,
      notInstalled: clusterAddons(env, cluster)
        .filter(
          (a) =>
            !a.enabled && a.name !== "terway-eniip" && a.name !== "flannel" && a.name !== NODE_AUTOSCALER,
        )
        .map((a) => a.name),
      terwayNetworkPolicy: enabledAddons(env, cluster).get("terway-eniip")?.config.NetworkPolicy === "true",
    },
    maxNodes: cp.capacity.maxNodes,
    ...ackUpgradeSettings(cluster),
    deployFrom: env.access.deployFrom,
    quotas: {
      clusterNodes: env.quotas.clusterNodes,
      routeEntries: env.quotas.routeEntries ?? env.vpc.routeEntryQuota,
    },
    tags: tagsOf(env, cluster),
  };
}

/**
 * The node image of a pool: ContainerOS on ACK, Bottlerocket on EKS, the environment's ostree
 * image on either (ostreePoolImage.ts); undefined for other families.
 */
export function nodeImageArgs(
  env: Environment,
  cluster: ClusterSpec,
  pool: NodePoolSpec,
  refs: Refs,
): NodeImageArgs | undefined {
  const family = pool.image;
  const common = {
    // A pinned pool boots the image of its own version (EKS; ACK refuses a pin: cluster/version-skew).
    kubernetesVersion: pool.kubernetesVersion ?? cluster.kubernetesVersion,
    production: env.production,
    kubelet: pool.maxPods !== undefined ? { maxPods: pool.maxPods } : undefined,
    nodeLabels: pool.labels,
    nodeTaints: poolTaints(pool),
  };
  if (family === "ostree" && env.ostreeImage) {
    return ostreePoolImageArgs({ ...env, ostreeImage: env.ostreeImage }, cluster, pool, refs, common);
  }
  if (env.cloud === "alicloud" && family === "containeros") {
    return {
      ...common,
      family: "containeros",
      containerOs: {
        managedPool: true,
        clusterEdition: cluster.edition,
        runtime: pool.runtime,
        loginKeyPair: pool.loginKeyPair,
      },
    };
  }
  if (env.cloud === "aws" && family === "bottlerocket") {
    const c = refs.cluster(cluster.name);
    return {
      ...common,
      family: "bottlerocket",
      bottlerocket: {
        // A GPU pool boots the NVIDIA variant (driver and device plugin included).
        ...(pool.gpu !== undefined ? { flavor: "nvidia" } : {}),
        architecture: pool.architecture,
        clusterName: c.name,
        apiServer: c.endpoint,
        clusterCertificate: c.certificateAuthority,
      },
    };
  }
  return undefined;
}

type SpecDisk = NonNullable<NodePoolSpec["systemDisk"]>;
const ackDisk = (d: SpecDisk) => ({
  category: d.category,
  size: d.sizeGiB,
  performanceLevel: d.performanceLevel,
  encrypted: d.encrypted,
  kmsKeyId: d.kmsKeyId,
});

/** Spot on ACK: spot only is a mix with no on-demand base or percentage. */
function ackSpot(c: NodeCapacitySpec): AckNodePoolArgs["spot"] {
  if (c.type === "on-demand") return undefined;
  return { onDemandBaseCapacity: c.onDemandBase, onDemandPercentageAboveBaseCapacity: c.onDemandPercentage };
}

export function ackNodePoolArgs(
  env: Environment,
  plan: EnvironmentPlan,
  cluster: ClusterSpec,
  pool: NodePoolSpec,
  refs: Refs,
  hasImage: boolean,
): AckNodePoolArgs {
  const cp = clusterPlanOf(plan, cluster.name);
  const family = pool.image;
  // Only a pool with a NodeImage child has an image to refer to (an Alibaba Cloud Linux pool
  // names its imageType and has none).
  const image = hasImage ? refs.image(cluster.name, pool.name) : undefined;
  return {
    production: env.production,
    clusterId: refs.cluster(cluster.name).id,
    clusterName: cluster.name,
    clusterEdition: cluster.edition,
    clusterCni: cniName(cp),
    nodePoolName: pool.name,
    vswitchIds: nodeVSwitches(plan, cp, refs).map((v) => v.id),
    instanceTypes: pool.instanceTypes,
    desiredSize: pool.autoscaling ? undefined : pool.desiredSize,
    autoscaling: pool.autoscaling
      ? { enabled: true, minSize: pool.minSize, maxSize: pool.maxSize }
      : undefined,
    isDefault: pool.default,
    labels: pool.labels,
    taints: poolTaints(pool),
    imageType: image ? image.imageType : family === "alinux" ? "AliyunLinux3" : undefined,
    imageId: image?.imageId,
    runtime: pool.runtime,
    keyPairName: pool.loginKeyPair,
    kubelet: pool.maxPods !== undefined ? { maxPods: pool.maxPods } : undefined,
    systemDisk: pool.systemDisk ? ackDisk(pool.systemDisk) : undefined,
    dataDisks: pool.dataDisks?.map((d) => ({
      ...ackDisk(d),
      mountTarget: d.mountTarget,
      fileSystem: d.fileSystem,
    })),
    spot: ackSpot(pool.capacity),
    // Rolling updates are a managed pool's (specChecks refuses them on an unmanaged one).
    management:
      pool.update !== undefined
        ? {
            maxUnavailable: pool.update.maxUnavailable,
            surge: pool.update.surge,
            autoUpgrade: pool.update.autoUpgrade,
            autoRepair: pool.update.autoRepair,
          }
        : undefined,
    securityGroupIds: pool.securityGroups.length > 0 ? pool.securityGroups : undefined,
    quotas: { nodesPerPool: env.quotas.nodesPerPool, scaleStep: env.quotas.scaleStep },
    tags: { ...tagsOf(env, cluster), ...ostreePoolTags(pool) },
  };
}

// --- AWS ----------------------------------------------------------------------------------------

export function awsNetworkArgs(env: Environment, plan: EnvironmentPlan): AwsNetworkArgs {
  return {
    production: env.production,
    vpc: { id: env.vpc.id, cidr: env.vpc.cidr, secondaryCidrs: env.vpc.secondaryCidrs },
    subnets: plan.vswitches.map((v) => ({
      key: v.key,
      cluster: v.cluster,
      zone: v.zone,
      role: v.role,
      cidr: v.cidr,
      existingId: v.existingId,
      ipv6Index: v.ipv6Index,
    })),
    clusterNames: Object.fromEntries(env.clusters.map((c) => [c.name, c.name])),
    tags: env.tags,
  };
}

export function eksClusterArgs(
  env: Environment,
  plan: EnvironmentPlan,
  cluster: ClusterSpec,
  refs: Refs,
): EksClusterArgs {
  const cp = clusterPlanOf(plan, cluster.name);
  const sec = clusterSecurity(cluster);
  return {
    clusterName: cluster.name,
    production: env.production,
    kubernetesVersion: cluster.kubernetesVersion,
    supportType: cluster.supportType,
    subnets: nodeVSwitches(plan, cp, refs).map((s) => ({ id: s.id, zone: s.zone })),
    vpcCidrs: [env.vpc.cidr, ...env.vpc.secondaryCidrs],
    serviceCidr: cp.serviceCidr,
    endpoint: {
      privateAccess: true,
      publicAccess: sec.publicApiServer,
      publicAccessCidrs: sec.publicApiServer ? sec.apiAllowList : undefined,
    },
    secretsEncryption: { enabled: sec.secretsEncryption, kmsKeyArn: sec.kmsKeyId },
    deletionProtection: sec.deletionProtection,
    // Protected exactly when deletion protection is on (the default in production): one spec
    // field, clusters[].security.deletionProtection, turns both on.
    protect: sec.deletionProtection,
    access: env.access.grants
      .filter((g) => g.principalArn !== undefined && (g.clusters ?? [cluster.name]).includes(cluster.name))
      .map((g) => ({
        principalArn: g.principalArn as string,
        role: g.role,
        group: g.group,
        namespaces: g.namespaces,
      })),
    deployers: env.access.deployers,
    deployFrom: env.access.deployFrom,
    region: env.region,
    tags: tagsOf(env, cluster),
  };
}

/**
 * An EKS node group's scaling config. An autoscaling pool spans minSize–maxSize; a fixed pool holds
 * exactly the size it requests (requestedPoolSize), so its group is pinned there (EKS needs
 * maxSize ≥ 1): a group that could range wider would look autoscaled to the policy pack and to
 * anything else reading the registered sizes, with no autoscaler behind it.
 */
function eksScaling(pool: NodePoolSpec): Pick<EksNodeGroupArgs, "minSize" | "maxSize" | "desiredSize"> {
  if (pool.autoscaling)
    return { minSize: pool.minSize, maxSize: pool.maxSize, desiredSize: pool.desiredSize };
  const size = requestedPoolSize(pool).desiredSize ?? pool.minSize;
  return { minSize: size, maxSize: Math.max(size, 1), desiredSize: size };
}

/**
 * The image of an EKS node group: Bottlerocket boots the AMI its NodeImage child resolves; Amazon
 * Linux 2023 an EKS AMI type (with NVIDIA drivers for a GPU pool), EKS's own bootstrap, and a
 * NodeConfig only for kubelet settings.
 */
function eksNodeImage(
  cluster: ClusterSpec,
  pool: NodePoolSpec,
  refs: Refs,
): Pick<EksNodeGroupArgs, "amiId" | "amiType" | "userData" | "imageIdentity"> {
  if (pool.image === "al2023") {
    const amiType = al2023AmiType(pool.architecture ?? "x86_64", pool.gpu !== undefined);
    // The identity is the AMI type (the component's default): EKS picks the release.
    return { amiType, userData: al2023UserData({ maxPods: pool.maxPods }) };
  }
  const image = refs.image(cluster.name, pool.name);
  return { amiId: image.imageId, userData: image.userData, imageIdentity: image.identity };
}

export function eksNodeGroupArgs(
  env: Environment,
  plan: EnvironmentPlan,
  cluster: ClusterSpec,
  pool: NodePoolSpec,
  refs: Refs,
): EksNodeGroupArgs {
  const cp = clusterPlanOf(plan, cluster.name);
  return {
    clusterName: refs.cluster(cluster.name).name,
    subnetIds: nodeVSwitches(plan, cp, refs).map((s) => s.id),
    production: env.production,
    defaultPool: pool.default,
    ...eksNodeImage(cluster, pool, refs),
    imageFamily: pool.image,
    instanceTypes: pool.instanceTypes,
    ...eksScaling(pool),
    autoscaling: pool.autoscaling,
    // With Karpenter its controller runs on the default node group (specChecks: one is default).
    labels:
      cluster.karpenter && pool.default
        ? { ...pool.labels, [KARPENTER_CONTROLLER_LABEL]: "true" }
        : pool.labels,
    taints: poolTaints(pool),
    // specChecks refuses "mixed" on EKS before this runs.
    capacityType: pool.capacity.type === "spot" ? "SPOT" : "ON_DEMAND",
    maxUnavailable: pool.update?.maxUnavailable,
    maxUnavailablePercentage: pool.update?.maxUnavailablePercentage,
    systemVolumeSizeGiB: pool.systemDisk?.sizeGiB,
    systemVolumeType: pool.systemDisk?.category,
    systemVolumeKmsKeyArn: pool.systemDisk?.kmsKeyId,
    dataVolumeSizeGiB: pool.dataDisks?.[0]?.sizeGiB,
    dataVolumeType: pool.dataDisks?.[0]?.category,
    volumeKmsKeyArn: pool.dataDisks?.[0]?.kmsKeyId,
    quotas: { nodesPerPool: env.quotas.nodesPerPool, scaleStep: env.quotas.scaleStep },
    tags: tagsOf(env, cluster),
  };
}

/** Karpenter of an EKS cluster that chose it (undefined otherwise). */
export function karpenterArgs(
  env: Environment,
  plan: EnvironmentPlan,
  cluster: ClusterSpec,
  refs: Refs,
): KarpenterArgs | undefined {
  const k = cluster.karpenter;
  if (!k) return undefined;
  const c = refs.cluster(cluster.name);
  return {
    clusterName: c.name,
    clusterArn: c.id,
    subnetIds: nodeVSwitches(plan, clusterPlanOf(plan, cluster.name), refs).map((s) => s.id),
    securityGroupIds: [],
    region: env.region,
    amiFamily: k.nodeOs,
    nodePools: k.nodePools.map((p) => ({
      name: p.name,
      capacityTypes: p.capacityTypes,
      architectures: p.architectures,
      instanceCategories: p.instanceCategories,
      instanceFamilies: p.instanceFamilies,
      limits: { cpu: p.cpuLimit, memory: `${p.memoryLimitGiB}Gi` },
      consolidateUnderutilized: p.consolidateUnderutilized,
      consolidateAfter: p.consolidateAfter,
      disruptionBudget: p.disruptionBudget,
      expireAfter: p.expireAfter,
      labels: p.labels,
      taints: [],
    })),
    tags: tagsOf(env, cluster),
  };
}

// --- Inside a cluster ---------------------------------------------------------------------------

export function storageArgs(env: Environment, cluster: ClusterSpec): StorageClassesArgs {
  return {
    cloud: env.cloud,
    defaultClass: cluster.storage.defaultClass,
    encrypted: true,
    clusterName: cluster.name,
    clusterAddons: installedAddons(env, cluster),
  };
}

/** The add-ons a cluster runs, as the in-cluster components check them. */
export function installedAddons(env: Environment, cluster: ClusterSpec): InstalledAddonArgs[] {
  return [...enabledAddons(env, cluster).values()].map((a) => ({ name: a.name, config: a.config }));
}

/** The ACK add-ons of a cluster; `serviceRole`: whether this cluster creates the autoscaler's role. */
export function ackClusterAddonsArgs(
  env: Environment,
  cluster: ClusterSpec,
  refs: Refs,
  serviceRole: "create" | "existing",
): AckClusterAddonsArgs {
  const enabled = [...enabledAddons(env, cluster).values()];
  const autoscaler = enabled.find((a) => a.name === NODE_AUTOSCALER);
  const settings = (autoscaler?.config ?? {}) as Record<string, unknown>;
  // The typed settings (resolved with ACK's defaults); the add-on config holds only serviceRole.
  const a = cluster.autoscaler;
  return {
    clusterId: refs.cluster(cluster.name).id,
    clusterName: cluster.name,
    addons: enabled
      .filter((a) => a.name !== NODE_AUTOSCALER)
      .map((a) => ({ name: a.name, version: a.version, config: a.config })),
    autoscaler: autoscaler
      ? {
          serviceRole: typeof settings.serviceRole === "string" ? settings.serviceRole : serviceRole,
          expander: a?.expander,
          scaleDownEnabled: a?.scaleDownEnabled,
          utilizationThreshold: a && String(a.scaleDownUtilizationThreshold),
          gpuUtilizationThreshold: a && String(a.gpuScaleDownUtilizationThreshold),
          coolDownDuration: a?.scaleDownDelay,
          unneededDuration: a?.scaleDownUnneededTime,
          scanInterval: a?.scanInterval,
          skipNodesWithSystemPods: a?.skipNodesWithSystemPods,
          skipNodesWithLocalStorage: a?.skipNodesWithLocalStorage,
          maxGracefulTerminationSec: a?.maxGracefulTerminationSec,
        }
      : undefined,
  };
}

/** The EKS add-ons of a cluster. */
export function eksClusterAddonsArgs(
  env: Environment,
  cluster: ClusterSpec,
  refs: Refs,
): EksClusterAddonsArgs {
  const enabled = [...enabledAddons(env, cluster).values()];
  const autoscaler = enabled.find((a) => a.name === NODE_AUTOSCALER);
  return {
    clusterName: refs.cluster(cluster.name).name,
    kubernetesVersion: cluster.kubernetesVersion,
    region: env.region,
    addons: enabled
      .filter((a) => a.name !== NODE_AUTOSCALER)
      .map((a) => ({
        name: a.name,
        version: a.versionSource === "latest" ? "latest" : a.version,
        config: a.config,
      })),
    autoscaler: autoscaler
      ? {
          chartVersion: autoscaler.version,
          values: Object.keys(autoscaler.config).length > 0 ? autoscaler.config : undefined,
        }
      : undefined,
    tags: tagsOf(env, cluster),
  };
}

export function rbacArgs(env: Environment, cluster: ClusterSpec): PlatformRbacArgs {
  return {
    production: env.production,
    breakGlassGroups: env.access.breakGlassGroups,
    grants: env.access.grants
      .filter((g) => (g.clusters ?? [cluster.name]).includes(cluster.name))
      .map((g) => ({ group: g.group, role: g.role, namespaces: g.namespaces })),
  };
}

/** Tenancy of one cluster; undefined when no project uses the cluster. */
export function tenancyArgs(
  env: Environment,
  plan: EnvironmentPlan,
  cluster: ClusterSpec,
): TenancyArgs | undefined {
  const cp = clusterPlanOf(plan, cluster.name);
  const projects = env.tenancy.projects
    .filter((p) => p.clusters.some((c) => c.name === cluster.name))
    .map((p) => ({
      name: p.name,
      clusters: p.clusters.map((c) => ({ name: c.name, quota: c.quota, storageClasses: c.storageClasses })),
      namespaces: p.namespaces
        .filter((n) => n.cluster === cluster.name)
        .map((n) => ({
          name: n.name,
          cluster: n.cluster,
          quota: n.quota,
          limitRange: n.limitRange,
          podSecurity: { enforce: n.podSecurity },
          defaultDenyNetworkPolicy: n.defaultDenyNetworkPolicy,
        })),
    }));
  if (projects.length === 0) return undefined;
  return {
    cluster: cluster.name,
    cni: cp.cni,
    production: env.production,
    projects,
    // A self-managed cluster's CNI (Kube-OVN, Calico) enforces NetworkPolicy itself; no managed
    // add-on to require.
    clusterAddons: cluster.kind === "selfmanaged" ? undefined : installedAddons(env, cluster),
  };
}

/** The ingress controllers of a cluster, in spec order (each knows the classes before it). */
export function ingressArgs(
  env: Environment,
  plan: EnvironmentPlan,
  cluster: ClusterSpec,
  refs: Refs,
): [IngressSpec, IngressControllerArgs][] {
  const cp = clusterPlanOf(plan, cluster.name);
  const vswitches = nodeVSwitches(plan, cp, refs).map((v) => ({ zone: v.zone, vSwitchId: v.id }));
  const c = refs.cluster(cluster.name);
  const existingClasses: string[] = [];
  let nginxControllers = 0;
  return cluster.ingress.map((ing) => {
    const args: IngressControllerArgs = {
      kind: ing.kind,
      // The nginx controllers of a cluster share the ingress-nginx namespace: the first creates it.
      namespaceExists: ing.kind === "nginx" ? nginxControllers++ > 0 : undefined,
      cloud: env.cloud,
      production: env.production,
      className: ing.className,
      defaultClass: ing.default,
      existingClasses: [...existingClasses],
      replicas: ing.replicas,
      singleZone: cp.zones.length < 2,
      loadBalancer:
        ing.kind === "nginx"
          ? {
              addressType: ing.addressType,
              spec: ing.loadBalancerSpec,
              deletionProtection: env.production,
              zoneMappings: env.cloud === "alicloud" ? vswitches : undefined,
            }
          : undefined,
      alb:
        ing.kind === "alb"
          ? {
              vSwitches: vswitches,
              // AlbConfig spells address types capitalised (Internet | Intranet).
              addressType: ing.addressType === "internet" ? "Internet" : "Intranet",
              deletionProtection: env.production,
            }
          : undefined,
      clusterAddons: ing.kind === "alb" ? installedAddons(env, cluster) : undefined,
      aws:
        ing.kind === "aws-lb-controller"
          ? {
              clusterName: c.name,
              identity: ing.identity ?? "pod-identity",
              oidcProviderArn: c.oidcProviderArn,
              oidcProviderUrl: c.oidcProviderUrl,
              region: env.region,
              vpcId: refs.vpcId,
            }
          : undefined,
    };
    if (ing.className) existingClasses.push(ing.className);
    return [ing, args];
  });
}

/** The tenants' service-account roles on a cluster; undefined when none asks for one. */
export function tenantIdentitiesArgs(
  env: Environment,
  cluster: ClusterSpec,
  ids: { clusterName: In<string>; oidcProviderArn: In<string>; oidcIssuerUrl: In<string> },
): TenantIdentitiesArgs | undefined {
  const roles = env.tenancy.projects.flatMap((p) =>
    p.namespaces
      .filter((n) => n.cluster === cluster.name)
      .flatMap((n) =>
        n.serviceAccountRoles.map((r) => ({
          namespace: `${p.name}-${n.name}`,
          serviceAccount: r.serviceAccount,
          awsPolicyArns: env.cloud === "aws" ? r.awsPolicyArns : undefined,
          ramPolicies: env.cloud === "alicloud" ? r.ramPolicies : undefined,
        })),
      ),
  );
  if (roles.length === 0) return undefined;
  return env.cloud === "aws"
    ? { cloud: "aws", clusterName: ids.clusterName, roles, tags: tagsOf(env, cluster) }
    : { cloud: "alicloud", oidcProviderArn: ids.oidcProviderArn, oidcIssuerUrl: ids.oidcIssuerUrl, roles };
}

/** ACK maintenance window and cluster auto upgrade (spec: clusters[].maintenanceWindow, autoUpgrade). */
function ackUpgradeSettings(
  cluster: ClusterSpec,
): Pick<AckClusterArgs, "maintenanceWindow" | "autoUpgradeChannel"> {
  const mw = cluster.maintenanceWindow;
  return {
    ...(mw
      ? {
          maintenanceWindow: {
            enabled: true,
            maintenanceTime: mw.start,
            duration: mw.duration,
            weeklyPeriod: mw.weekdays.join(","),
          },
        }
      : {}),
    ...(cluster.autoUpgrade ? { autoUpgradeChannel: cluster.autoUpgrade.channel } : {}),
  };
}
