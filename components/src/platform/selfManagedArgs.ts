/**
 * The arguments of a self-managed cluster's child (SelfManagedCluster) from the spec and its
 * plan, and the spec paths its diagnostics land on. Kept apart from platformArgs.ts: the
 * managed clusters' arguments live there.
 */
import {
  bootsEnvironmentImage,
  type ClusterSpec,
  clusterSecurity,
  type Environment,
  type EnvironmentPlan,
} from "@kubeplat/plan";
import type { NodeImageArgs } from "../nodeimage/NodeImage";
import type { SelfManagedClusterArgs } from "../selfmanaged/SelfManagedCluster";
import { environmentOstreeSettings } from "./ostreePoolImage";
import { clusterPlanOf, type Refs, vswitchesOf } from "./platformArgs";

export function selfManagedClusterArgs(
  env: Environment,
  plan: EnvironmentPlan,
  cluster: ClusterSpec,
  refs: Refs,
): SelfManagedClusterArgs {
  const cp = clusterPlanOf(plan, cluster.name);
  const sm = cluster.selfManaged;
  const smPlan = cp.selfManaged;
  const nodeSubnets = vswitchesOf(plan, cp, "node");
  return {
    cloud: env.cloud,
    clusterName: cluster.name,
    zones: cp.zones,
    production: env.production,
    kubernetesVersion: cluster.kubernetesVersion,
    cni: cluster.cni,
    podCidr: cp.podCidr ?? "",
    serviceCidr: cp.serviceCidr,
    joinCidr: sm?.joinCidr,
    apiVip: smPlan?.apiVip ?? "",
    apiVipSubnetCidr: smPlan?.apiVipSubnet,
    apiVipSubnetId: smPlan?.apiVipVSwitchKey !== undefined ? refs.vswitchId(smPlan.apiVipVSwitchKey) : "",
    apiVipZone: smPlan?.apiVipZone,
    apiZoneAddresses: smPlan?.apiZoneAddresses?.map((a) => ({
      zone: a.zone,
      subnetId: refs.vswitchId(a.vswitchKey),
      ip: a.ip,
    })),
    controlPlane: {
      count: sm?.controlPlane.count ?? 0,
      instanceType: sm?.controlPlane.instanceType ?? "",
      diskGiB: sm?.controlPlane.diskGiB ?? 0,
      diskType: sm?.controlPlane.diskCategory,
      nodes: (smPlan?.controlPlaneNodes ?? []).map((n) => ({
        name: n.name,
        ip: n.ip,
        subnetId: refs.vswitchId(n.vswitchKey),
        zone: n.zone,
      })),
    },
    // The explicit override, else the cluster's NodeImage built from the environment's ostreeImage.
    imageId:
      sm?.imageId ??
      (bootsEnvironmentImage(cluster) && env.ostreeImage ? refs.clusterImageId(cluster.name) : ""),
    vpcId: refs.vpcId,
    vpcCidrs: [env.vpc.cidr, ...env.vpc.secondaryCidrs],
    pools: cluster.nodePools.map((p) => {
      const zones = p.zones ?? cp.zones;
      return {
        name: p.name,
        instanceTypes: p.instanceTypes,
        minSize: p.minSize,
        maxSize: p.maxSize,
        desiredSize: p.desiredSize,
        subnetIds: nodeSubnets.filter((v) => zones.includes(v.zone)).map((v) => refs.vswitchId(v.key)),
        labels: p.labels,
        taints: p.taints,
        capacity: p.capacity,
        diskGiB: p.systemDisk?.sizeGiB,
        diskType: p.systemDisk?.category,
        diskPerformanceLevel: p.systemDisk?.performanceLevel,
        diskEncrypted: p.systemDisk?.encrypted,
        diskKmsKeyId: p.systemDisk?.kmsKeyId,
      };
    }),
    encryption: sm?.etcdEncryption.enabled ? { provider: sm.etcdEncryption.provider } : undefined,
    keyName: sm?.loginKeyPair,
    deletionProtection: clusterSecurity(cluster).deletionProtection,
    maxPods: cluster.maxPodsPerNode,
    deployFrom: env.access.deployFrom,
    tags: { ...env.tags, ...cluster.tags },
  };
}

/**
 * The NodeImage of a self-managed cluster that names no `selfManaged.imageId`: the environment's
 * `ostreeImage` composed and imported as the cloud's custom image (`cloudImage`), at the cluster's
 * Kubernetes version. Only `imageId` is used: the nodes' Ignition (kubeadm init and join) is the
 * SelfManagedCluster's own, so the image carries no join settings (no eksJoin, no bootstrap).
 * Undefined when the cluster names its image or the environment declares none.
 */
export function selfManagedNodeImageArgs(env: Environment, cluster: ClusterSpec): NodeImageArgs | undefined {
  const o = env.ostreeImage;
  if (!o || !bootsEnvironmentImage(cluster)) return undefined;
  return {
    family: "ostree",
    kubernetesVersion: cluster.kubernetesVersion,
    production: env.production,
    kubelet: cluster.maxPodsPerNode !== undefined ? { maxPods: cluster.maxPodsPerNode } : undefined,
    // One image per cluster, for the control plane too: x86_64 (checkSelfManagedShape refuses other pools).
    ostree: environmentOstreeSettings({ ...env, ostreeImage: o }, "x86_64"),
  };
}
