/**
 * Raw provider properties → NetworkFacts (plan/src/rules/cidr.ts).
 *
 * Read: Alibaba Cloud `vpc.Network` (cidrBlock, secondaryCidrBlocks), `vpc.Ipv4CidrBlock`
 * (secondaryCidrBlock, vpcId), `vpc.Switch` (cidrBlock, vpcId, zoneId), `cs.ManagedKubernetes`
 * (podCidr, serviceCidr, nodeCidrMask, ipStack, version, addons, vswitchIds, workerVswitchIds,
 * podVswitchIds), `cs.NodePool` (clusterId, vswitchIds, scalingConfig, desiredSize,
 * kubeletConfiguration.maxPods); AWS `ec2.Vpc` (cidrBlock), `ec2.VpcIpv4CidrBlockAssociation`
 * (cidrBlock, vpcId), `ec2.Subnet` (cidrBlock, vpcId, availabilityZone), `eks.Cluster`
 * (vpcConfig.subnetIds, kubernetesNetworkConfig.serviceIpv4Cidr, version), `eks.NodeGroup`
 * (clusterName, subnetIds, scalingConfig.maxSize). Paths are the raw property names.
 */
import {
  ALICLOUD_RESERVED_PER_VSWITCH,
  AWS_RESERVED_PER_SUBNET,
  type ClusterNetworkFacts,
  type Cni,
  type ConnectedRangeFacts,
  type NetworkFacts,
  type VpcFacts,
  type VSwitchFacts,
  type ZoneFacts,
} from "../index";
import { arr, bool, num, obj, str } from "./known";
import type { Labels, RawResource, RuleContext } from "./rawResource";
import { CLUSTER_TYPES, NODE_POOL_TYPES, T, VPC_TYPES, VSWITCH_TYPES } from "./resourceTypes";
import { StackIndex } from "./stack";

// ---------------------------------------------------------------------------------------------
// One resource

/** VPC facts of a VPC, or of a secondary-CIDR association (keyed by the VPC it extends). */
export function vpcFacts(r: RawResource, labels: Labels, vpcKey?: string): VpcFacts | undefined {
  const p = r.props;
  switch (r.type) {
    case T.aliVpc: {
      // Absent: no secondary CIDRs; present but unknown: undefined (the VPC's space is not known).
      const secondary =
        "secondaryCidrBlocks" in p
          ? arr(p.secondaryCidrBlocks)?.map((c, i) => ({ cidr: str(c), path: `secondaryCidrBlocks[${i}]` }))
          : [];
      return {
        resource: labels.of(r),
        id: vpcKey ?? labels.of(r),
        primary: { cidr: str(p.cidrBlock), path: "cidrBlock" },
        secondary,
      };
    }
    case T.awsVpc:
      return {
        resource: labels.of(r),
        id: vpcKey ?? labels.of(r),
        primary: { cidr: str(p.cidrBlock), path: "cidrBlock" },
        secondary: [],
      };
    case T.aliVpcCidr:
      return {
        resource: labels.of(r),
        id: vpcKey,
        primary: { cidr: str(p.secondaryCidrBlock), path: "secondaryCidrBlock" },
        secondary: [],
      };
    case T.awsVpcCidr:
      return {
        resource: labels.of(r),
        id: vpcKey,
        primary: { cidr: str(p.cidrBlock), path: "cidrBlock" },
        secondary: [],
      };
    default:
      return undefined;
  }
}

export function vswitchFacts(r: RawResource, labels: Labels): VSwitchFacts {
  const p = r.props;
  const aws = r.type === T.awsSubnet;
  return {
    resource: labels.of(r),
    path: "cidrBlock",
    cidr: str(p.cidrBlock),
    zone: aws
      ? (str(p.availabilityZone) ?? str(p.availabilityZoneId))
      : (str(p.zoneId) ?? str(p.availabilityZone)),
    reserved: aws ? AWS_RESERVED_PER_SUBNET : ALICLOUD_RESERVED_PER_VSWITCH,
  };
}

/** The CNI of an ACK cluster: its network addon, else what its CIDR fields imply. */
export function ackCni(p: Record<string, unknown>): Cni | undefined {
  for (const a of arr(p.addons) ?? []) {
    const name = str(obj(a)?.name);
    if (name?.startsWith("terway")) return "terway";
    if (name === "flannel") return "flannel";
  }
  if ((arr(p.podVswitchIds)?.length ?? 0) > 0) return "terway";
  if (p.podCidr !== undefined) return "flannel";
  return undefined;
}

export function clusterName(r: RawResource): string {
  return str(r.props.name) ?? r.name;
}

/** Network facts of a cluster on its own (no VPC, zones or pools: those need the stack). */
export function clusterFacts(r: RawResource, labels: Labels): ClusterNetworkFacts | undefined {
  const p = r.props;
  if (r.type === T.ack) {
    // ACK takes one serviceCidr; a dual-stack value may list the IPv6 range after a comma.
    const service = str(p.serviceCidr)
      ?.split(",")
      .map((s) => s.trim());
    const ipStack = str(p.ipStack);
    const v6 = service?.find((s) => s.includes(":"));
    return {
      resource: labels.of(r),
      name: clusterName(r),
      path: "",
      cni: ackCni(p),
      ipStack: ipStack === "dual" ? "dual" : ipStack === "ipv4" ? "ipv4" : undefined,
      kubernetesVersion: str(p.version),
      podCidr:
        p.podCidr === undefined && !("podCidr" in p) ? undefined : { cidr: str(p.podCidr), path: "podCidr" },
      serviceCidr:
        "serviceCidr" in p
          ? { cidr: service?.find((s) => !s.includes(":")), path: "serviceCidr" }
          : undefined,
      // The provider has no IPv6 service field: a dual-stack cluster without one in serviceCidr
      // gets it from ACK; present but unknown, so cidr/ipv6-service-range does not report it missing.
      ipv6ServiceCidr: ipStack === "dual" ? { cidr: v6, path: "serviceCidr" } : undefined,
      nodeCidrMask: num(p.nodeCidrMask),
      reservedPerVSwitch: ALICLOUD_RESERVED_PER_VSWITCH,
    };
  }
  if (r.type === T.eks) {
    const net = obj(p.kubernetesNetworkConfig);
    const family = str(net?.ipFamily);
    return {
      resource: labels.of(r),
      name: clusterName(r),
      path: "",
      cni: "vpc-cni",
      ipStack: family === "ipv4" || (net !== undefined && !("ipFamily" in net)) ? "ipv4" : undefined,
      kubernetesVersion: str(p.version),
      serviceCidr:
        net && "serviceIpv4Cidr" in net
          ? { cidr: str(net.serviceIpv4Cidr), path: "kubernetesNetworkConfig.serviceIpv4Cidr" }
          : undefined,
      reservedPerVSwitch: AWS_RESERVED_PER_SUBNET,
    };
  }
  return undefined;
}

export function connectedFacts(ctx: RuleContext): ConnectedRangeFacts[] {
  return ctx.settings.connectedRanges.map((c, i) => ({
    resource: "policy config",
    name: c.name,
    path: `connectedRanges[${i}]`,
    cidr: c.cidr,
    kind: c.kind,
  }));
}

/** NetworkFacts of one resource (the resource-scope cidr policies). */
export function resourceNetworkFacts(
  r: RawResource,
  ctx: RuleContext,
  labels: Labels,
  withConnected = false,
): NetworkFacts {
  const facts: NetworkFacts = {
    vpcs: [],
    vswitches: [],
    clusters: [],
    connected: withConnected ? connectedFacts(ctx) : [],
  };
  if (VPC_TYPES.includes(r.type)) facts.vpcs.push(vpcFacts(r, labels) as VpcFacts);
  else if (r.type === T.aliVpcCidr || r.type === T.awsVpcCidr) {
    const f = vpcFacts(r, labels, str(r.props.vpcId) ?? labels.of(r));
    if (f) facts.vpcs.push(f);
  } else if (VSWITCH_TYPES.includes(r.type)) facts.vswitches.push(vswitchFacts(r, labels));
  else {
    const c = clusterFacts(r, labels);
    if (c) facts.clusters.push(c);
  }
  return facts;
}

// ---------------------------------------------------------------------------------------------
// The whole stack

/** Max size of a node pool / node group: its autoscaling maximum, else its fixed size. */
export function poolMaxSize(r: RawResource): number | undefined {
  const p = r.props;
  const scaling = obj(p.scalingConfig);
  if (r.type === T.eksNodeGroup) return num(scaling?.maxSize);
  if (scaling && bool(scaling.enable) !== false && "maxSize" in scaling) return num(scaling.maxSize);
  return num(p.desiredSize) ?? num(p.nodeCount);
}

/** The cluster a node pool / node group belongs to. */
export function poolCluster(index: StackIndex, pool: RawResource): RawResource | undefined {
  if (pool.type === T.ackNodePool) {
    const c = index.ref(pool, "clusterId", [T.ack]);
    return typeof c === "object" ? c : undefined;
  }
  const c = index.ref(pool, "clusterName", [T.eks]);
  if (typeof c === "object") return c;
  // A literal cluster name: the EKS cluster of that name.
  const name = str(pool.props.clusterName);
  return name === undefined ? undefined : index.of([T.eks]).find((e) => str(e.props.name) === name);
}

/** Node vSwitches (subnets) and pod vSwitches of a cluster. */
export function clusterVSwitches(
  index: StackIndex,
  c: RawResource,
): { node: RawResource[]; pod: RawResource[] } {
  if (c.type === T.eks) {
    const vpcConfig = obj(c.props.vpcConfig);
    return { node: index.refs(c, "vpcConfig", VSWITCH_TYPES, vpcConfig?.subnetIds).resources, pod: [] };
  }
  const node = [
    ...index.refs(c, "workerVswitchIds", VSWITCH_TYPES).resources,
    ...index.refs(c, "vswitchIds", VSWITCH_TYPES).resources,
  ];
  return { node: [...new Set(node)], pod: index.refs(c, "podVswitchIds", VSWITCH_TYPES).resources };
}

export interface NetworkIndex {
  index: StackIndex;
  facts: NetworkFacts;
  /** The VPC key of each vSwitch and cluster (URN → key). */
  vpcOf: Map<string, string>;
  /** Node pools of each cluster (cluster URN → pools). */
  pools: Map<string, RawResource[]>;
  /** A secondary-CIDR association of the stack extends a VPC that is not known. */
  unknownAssociations: boolean;
}

/** NetworkFacts of a whole stack: VPCs, vSwitches with their roles, clusters with zones and pools. */
export function stackNetworkFacts(
  resources: RawResource[],
  ctx: RuleContext,
  labels: Labels,
  withConnected = false,
): NetworkFacts {
  return stackNetwork(resources, ctx, labels, withConnected).facts;
}

/**
 * NetworkFacts for cidr/vswitch-outside-vpc: a VPC whose address space is not fully known (a
 * CIDR unknown, or a secondary-CIDR association whose VPC is unknown) shows no CIDR at all, so
 * a vSwitch that may sit in the unknown range is not reported outside it. The shared facts are
 * returned as they are when every VPC's space is known (no second parse of the stack's CIDRs).
 */
export function outsideVpcFacts(resources: RawResource[], ctx: RuleContext, labels: Labels): NetworkFacts {
  const net = stackNetwork(resources, ctx, labels);
  const partial = new Set<string>();
  let anyUnknown = false;
  for (const v of net.facts.vpcs) {
    if (v.id === undefined) {
      anyUnknown = true;
      continue;
    }
    const fields = [v.primary, ...(v.secondary ?? [])];
    if (v.secondary === undefined || fields.some((f) => f !== undefined && f.cidr === undefined))
      partial.add(v.id);
  }
  if (net.unknownAssociations) anyUnknown = true;
  if (!anyUnknown && partial.size === 0) return net.facts;
  return {
    ...net.facts,
    vpcs: net.facts.vpcs.map((v) =>
      anyUnknown || (v.id !== undefined && partial.has(v.id))
        ? { ...v, primary: undefined, secondary: [] }
        : v,
    ),
  };
}

const networks = new WeakMap<RawResource[], { labels: Labels; net: NetworkIndex }>();

/** The stack's network, built once per resources array and labels (without connected ranges). */
export function stackNetwork(
  resources: RawResource[],
  ctx: RuleContext,
  labels: Labels,
  withConnected = false,
): NetworkIndex {
  if (withConnected) return buildStackNetwork(resources, ctx, labels, true);
  const hit = networks.get(resources);
  if (hit && hit.labels === labels) return hit.net;
  const net = buildStackNetwork(resources, ctx, labels, false);
  networks.set(resources, { labels, net });
  return net;
}

function buildStackNetwork(
  resources: RawResource[],
  ctx: RuleContext,
  labels: Labels,
  withConnected: boolean,
): NetworkIndex {
  const index = StackIndex.of(resources);
  const facts: NetworkFacts = {
    vpcs: [],
    vswitches: [],
    clusters: [],
    connected: withConnected ? connectedFacts(ctx) : [],
  };
  const vpcOf = new Map<string, string>();
  const keyOf = (ref: RawResource | string | undefined) =>
    typeof ref === "string" ? ref : ref ? labels.of(ref) : undefined;

  for (const v of index.of(VPC_TYPES)) facts.vpcs.push(vpcFacts(v, labels) as VpcFacts);
  let unknownAssociations = false;
  for (const a of index.of([T.aliVpcCidr, T.awsVpcCidr])) {
    const key = keyOf(index.ref(a, "vpcId", VPC_TYPES));
    if (key === undefined) {
      unknownAssociations = true; // which VPC it extends is unknown
      continue;
    }
    const f = vpcFacts(a, labels, key);
    if (f) facts.vpcs.push(f);
  }
  const switchFacts = new Map<string, VSwitchFacts>();
  for (const s of index.of(VSWITCH_TYPES)) {
    const f = vswitchFacts(s, labels);
    f.vpc = keyOf(index.ref(s, "vpcId", VPC_TYPES));
    if (f.vpc !== undefined) vpcOf.set(s.urn, f.vpc);
    switchFacts.set(s.urn, f);
    facts.vswitches.push(f);
  }

  const pools = new Map<string, RawResource[]>();
  for (const pool of index.of(NODE_POOL_TYPES)) {
    const c = poolCluster(index, pool);
    if (!c) continue;
    const list = pools.get(c.urn);
    if (list) list.push(pool);
    else pools.set(c.urn, [pool]);
  }

  // Which clusters use each vSwitch, to name the cluster of a vSwitch only one cluster uses.
  const users = new Map<string, Set<string>>();
  const use = (s: RawResource, cluster: string, role: "node" | "pod") => {
    const f = switchFacts.get(s.urn);
    if (!f) return;
    if (role === "pod" || f.role === undefined) f.role = role;
    const set = users.get(s.urn) ?? new Set<string>();
    set.add(cluster);
    users.set(s.urn, set);
  };

  for (const c of index.of(CLUSTER_TYPES)) {
    const f = clusterFacts(c, labels);
    if (!f) continue;
    const { node, pod } = clusterVSwitches(index, c);
    for (const s of node) use(s, f.name, "node");
    for (const s of pod) use(s, f.name, "pod");
    f.vpc = node.map((s) => vpcOf.get(s.urn)).find((v) => v !== undefined) ?? str(c.props.vpcId);
    if (f.vpc !== undefined) vpcOf.set(c.urn, f.vpc);

    // Zones: node and pod vSwitch CIDRs per zone (undefined where a CIDR or zone is unknown).
    const zones = new Map<string, ZoneFacts>();
    let zonesKnown = true;
    const zoneOf = (s: RawResource, role: "node" | "pod") => {
      const sf = switchFacts.get(s.urn);
      if (!sf?.zone) {
        zonesKnown = false;
        return;
      }
      const z = zones.get(sf.zone) ?? {
        zone: sf.zone,
        path: `zones["${sf.zone}"]`,
        nodeCidrs: [],
        podCidrs: [],
      };
      zones.set(sf.zone, z);
      const list = role === "node" ? z.nodeCidrs : z.podCidrs;
      if (sf.cidr === undefined) {
        if (role === "node") z.nodeCidrs = undefined;
        else z.podCidrs = undefined;
      } else list?.push(sf.cidr);
    };
    for (const s of node) zoneOf(s, "node");
    for (const s of pod) zoneOf(s, "pod");
    // The zone picture is complete only when every referenced vSwitch is a known one of the stack.
    const complete = (prop: string, value?: unknown) => {
      const r = index.refs(c, prop, VSWITCH_TYPES, value ?? c.props[prop]);
      return !r.unknown && r.external.length === 0;
    };
    const refsKnown =
      c.type === T.eks
        ? complete("vpcConfig", obj(c.props.vpcConfig)?.subnetIds)
        : ["workerVswitchIds", "vswitchIds", "podVswitchIds"]
            .filter((k) => k in c.props)
            .every((k) => complete(k));

    // Pools: max nodes of the cluster, and planned nodes per zone (each pool spread evenly).
    const clusterPools = pools.get(c.urn) ?? [];
    const maxes = clusterPools.map(poolMaxSize);
    if (clusterPools.length > 0 && maxes.every((m) => m !== undefined)) {
      f.maxNodes = (maxes as number[]).reduce((a, b) => a + b, 0);
    }
    const planned = new Map<string, number>();
    let plannedKnown = clusterPools.length > 0;
    for (const [i, pool] of clusterPools.entries()) {
      const max = maxes[i];
      const poolSwitches = index.refs(
        pool,
        pool.type === T.eksNodeGroup ? "subnetIds" : "vswitchIds",
        VSWITCH_TYPES,
      ).resources;
      const poolZones = [...new Set(poolSwitches.map((s) => switchFacts.get(s.urn)?.zone))];
      if (max === undefined || poolZones.length === 0 || poolZones.some((z) => z === undefined)) {
        plannedKnown = false;
        continue;
      }
      const per = Math.ceil(max / poolZones.length);
      for (const z of poolZones as string[]) planned.set(z, (planned.get(z) ?? 0) + per);
    }
    const maxPods = clusterPools.map((pool) => num(obj(pool.props.kubeletConfiguration)?.maxPods));
    if (maxPods.length > 0 && maxPods.every((m) => m !== undefined))
      f.maxPodsPerNode = Math.max(...(maxPods as number[]));

    if (zonesKnown && refsKnown && node.length + pod.length > 0) {
      f.zones = [...zones.values()].map((z) => ({
        ...z,
        plannedNodes: plannedKnown ? (planned.get(z.zone) ?? 0) : undefined,
      }));
    }
    facts.clusters.push(f);
  }
  for (const [urn, set] of users) {
    const f = switchFacts.get(urn);
    if (f && set.size === 1) f.cluster = [...set][0];
  }
  return { index, facts, vpcOf, pools, unknownAssociations };
}
