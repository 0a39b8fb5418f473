/**
 * The control-plane addresses of a self-managed cluster: a fixed private IP per control-plane
 * node and the API server VIP, all in the cluster's node vSwitches. Pure, like the rest of the
 * planner: every address is a function of the vSwitch it sits in and the node's index, so adding
 * a worker pool or a zone moves none.
 *
 *   node i          zone = zones[i mod z], address = end − 5 − ⌊i / z⌋ of that zone's node vSwitch
 *   API server VIP  address = end − 4 of the first control-plane zone's node vSwitch
 *   NLB addresses   Alibaba Cloud only: end − 4 of every other cluster zone's node vSwitch (an
 *                   NLB spans at least two zones, each with its own private address)
 *
 * Counted from the top of the block: both clouds hand out instance addresses from the whole
 * block, and both reserve its last addresses (Alibaba Cloud the last three, AWS the last one), so
 * `end − 4` is usable on either. The VIP and the NLB's other addresses never equal a node IP by construction (nodes
 * sit at end − 5 and below); a VIP the spec
 * sets is taken as written and judged by cidr/api-vip (Alauda Container Platform docs: Creating
 * an on-premise cluster: the VIP lies in the control-plane nodes' subnet and is no node's IP).
 */
import { Address4 } from "ip-address";
import { parseCidr } from "./cidr";
import type {
  PlannedApiZoneAddress,
  PlannedControlPlaneNode,
  PlannedVSwitch,
  SelfManagedPlan,
} from "./planTypes";
import type { ClusterSpec, Environment } from "./spec";

/** The address `offset` below the end of a vSwitch block, or undefined when the block is smaller. */
function fromTop(cidrText: string, offset: number): string | undefined {
  const p = parseCidr(cidrText);
  if (!p.ok || p.cidr.version !== 4) return undefined;
  const at = p.cidr.end - BigInt(offset);
  if (at <= p.cidr.start + 3n) return undefined;
  return Address4.fromBigInt(at).correctForm();
}

/** The zones a self-managed cluster's control plane spreads over, in environment slot order. */
export function controlPlaneZones(env: Pick<Environment, "zones">, cluster: ClusterSpec): string[] {
  const clusterZones = env.zones.filter((z) => (cluster.zones ?? env.zones).includes(z));
  const wanted = cluster.selfManaged?.controlPlane.zones;
  return wanted === undefined ? clusterZones : clusterZones.filter((z) => wanted.includes(z));
}

/** `<cluster>-cp-<i>`: a control-plane node's instance name and Kubernetes node name. */
export const controlPlaneNodeName = (cluster: string, index: number) => `${cluster}-cp-${index}`;

export function planSelfManaged(
  env: Pick<Environment, "zones"> & Partial<Pick<Environment, "cloud">>,
  cluster: ClusterSpec,
  own: readonly PlannedVSwitch[],
): SelfManagedPlan {
  const zones = controlPlaneZones(env, cluster);
  const nodeVSwitch = (zone: string) => own.find((v) => v.zone === zone && v.role === "node");
  const count = Math.max(0, Math.min(cluster.selfManaged?.controlPlane.count ?? 0, 99));
  const nodes: PlannedControlPlaneNode[] = [];
  for (let i = 0; i < count && zones.length > 0; i++) {
    const zone = zones[i % zones.length] as string;
    const v = nodeVSwitch(zone);
    const ip = v ? fromTop(v.cidr, 5 + Math.floor(i / zones.length)) : undefined;
    if (!v || ip === undefined) continue;
    nodes.push({ name: controlPlaneNodeName(cluster.name, i), index: i, zone, vswitchKey: v.key, ip });
  }
  const first = zones[0] !== undefined ? nodeVSwitch(zones[0]) : undefined;
  const planned = first ? fromTop(first.cidr, 4) : undefined;
  const clusterZones = env.zones.filter((z) => (cluster.zones ?? env.zones).includes(z));
  const apiZoneAddresses: PlannedApiZoneAddress[] = [];
  if (env.cloud === "alicloud")
    for (const zone of clusterZones) {
      const v = nodeVSwitch(zone);
      const ip = v ? fromTop(v.cidr, 4) : undefined;
      if (v && ip !== undefined && zone !== first?.zone)
        apiZoneAddresses.push({ zone, vswitchKey: v.key, ip });
    }
  return {
    apiVip: cluster.selfManaged?.apiVip ?? planned ?? "",
    apiVipSubnet: first?.cidr,
    apiVipZone: first?.zone,
    apiVipVSwitchKey: first?.key,
    ...(env.cloud === "alicloud" ? { apiZoneAddresses } : {}),
    controlPlaneNodes: nodes,
  };
}
