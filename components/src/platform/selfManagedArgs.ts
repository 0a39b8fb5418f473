/**
 * The arguments of a self-managed cluster's child (SelfManagedCluster) from the spec and its
 * plan, and the spec paths its diagnostics land on. Kept apart from platformArgs.ts: the
 * managed clusters' arguments live there.
 */
import { type ClusterSpec, clusterSecurity, type Environment, type EnvironmentPlan } from "@kubeplat/plan";
import type { SelfManagedClusterArgs } from "../selfmanaged/SelfManagedCluster";
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
    controlPlane: {
      count: sm?.controlPlane.count ?? 0,
      instanceType: sm?.controlPlane.instanceType ?? "",
      diskGiB: sm?.controlPlane.diskGiB ?? 0,
      diskType: sm?.controlPlane.diskCategory,
      nodes: (smPlan?.controlPlaneNodes ?? []).map((n) => ({
        name: n.name,
        ip: n.ip,
        subnetId: refs.vswitchId(n.vswitchKey),
      })),
    },
    imageId: sm?.imageId ?? "",
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
        diskGiB: p.systemDisk?.sizeGiB,
        diskType: p.systemDisk?.category,
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
