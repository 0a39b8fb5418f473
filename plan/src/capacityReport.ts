/**
 * The capacity report: per cluster, the most it can grow to and what bounds it first. A cluster's
 * reach is what its pools ask for (each pool's requested size, requestedPoolSize; a Karpenter
 * NodePool's CPU and memory limits); the bounds are the limits that reach runs into, each in its
 * own unit:
 *
 *   nodes  the cluster node quota (quota/cluster-nodes), the pod addresses of its subnets (per
 *          zone: Terway's pod vSwitch ÷ max pods per node, VPC-CNI's node subnet shared by nodes
 *          and pods), Flannel's node ranges of the pod CIDR and the VPC route entries Flannel
 *          clusters share (quota/flannel-route-entries), the budget's nodes;
 *   vCPUs  the on-demand and spot vCPU quotas of the region (quota/autoscaling-vcpu, counted for
 *          autoscaling pools as that rule counts them), the budget's vCPUs, Karpenter's limits.
 *
 * A limit the environment shares (region quotas, the budget, a VPC's route table) is this
 * cluster's share: the limit less what every other cluster can reach. The cluster grows to the
 * smaller of its reach and each bound; the bound reached first is the one its reach fills the
 * most of (over 100 % when the spec already asks for more than the limit allows).
 */
import { poolResourceName } from "./environmentFacts";
import { quotaFactsFromEnvironment } from "./environmentQuotaFacts";
import type { EnvironmentPlan } from "./planTypes";
import { autoscalingVcpus, poolCapacity } from "./rules/accountQuota";
import { type ClusterQuotaFacts, QUOTA_DEFAULTS, type QuotaFacts } from "./rules/quota";
import type { Environment } from "./spec";

export type CapacityUnit = "nodes" | "vCPUs" | "GiB";

export interface CapacityBound {
  /** What the limit is, e.g. `pod addresses`, `vCPU quota (quotas.autoscalingVcpu)`. */
  limit: string;
  unit: CapacityUnit;
  /** The limit available to this cluster (its share of a shared one). */
  value: number;
  /** What the cluster's pools can reach in this unit. */
  reach: number;
  /** reach ÷ value: above 1 when the spec asks for more than the limit allows. */
  utilisation: number;
  /** The spec path to edit to raise the limit (or lower the reach). */
  path: string;
}

export interface ClusterCapacity {
  cluster: string;
  /** What the pools ask for: nodes of node-bounded pools, and vCPUs (Karpenter: its limits). */
  reach: { nodes: number; vcpu: number; gpus?: number; karpenter: boolean };
  /** The most the cluster can grow to: its reach, cut by every bound of the unit. */
  growsTo: { nodes: number; vcpu: number };
  /**
   * The bound that cuts the reach first (the highest utilisation, at least 1), or undefined when
   * only the pools' own sizes bound the cluster (then `bounds[0]` is the nearest limit).
   */
  boundBy?: CapacityBound;
  /** Every bound that applies, the first reached first. */
  bounds: CapacityBound[];
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Nodes a pool or a cluster's pools can reach (Karpenter NodePools, bounded by limits, excluded). */
function nodeReach(c: ClusterQuotaFacts): number {
  return sum((c.nodePools ?? []).filter((p) => p.limits === undefined).map((p) => poolCapacity(p) ?? 0));
}

/** vCPUs a cluster's pools can reach: size × vCPU, a Karpenter NodePool its CPU limit. */
function vcpuReach(c: ClusterQuotaFacts): number {
  return sum((c.nodePools ?? []).map((p) => p.limits?.vcpu ?? (poolCapacity(p) ?? 0) * (p.vcpu ?? 0)));
}

const only = (facts: QuotaFacts, c: ClusterQuotaFacts): QuotaFacts => ({ ...facts, clusters: [c] });

/** Nodes of a zone its addresses can hold, by CNI. */
function addressNodes(
  cni: string,
  maxPods: number,
  z: EnvironmentPlan["clusters"][number]["capacity"]["zones"][number],
) {
  if (cni === "terway")
    return Math.min(z.nodeCapacity, Math.floor((z.podCapacity ?? 0) / Math.max(1, maxPods)));
  if (cni === "vpc-cni") return Math.floor(z.nodeCapacity / (1 + maxPods));
  return z.nodeCapacity;
}

export function capacityReport(env: Environment, plan: EnvironmentPlan): ClusterCapacity[] {
  const facts = quotaFactsFromEnvironment(env);
  const clusters = facts.clusters ?? [];
  const aws = env.cloud === "aws";
  const q = facts.quotas ?? {};
  return env.clusters.map((spec, i) => {
    const c = clusters[i] as ClusterQuotaFacts;
    const cp = plan.clusters.find((x) => x.name === spec.name);
    const others = clusters.filter((_, j) => j !== i);
    const nodes = nodeReach(c);
    const vcpu = vcpuReach(c);
    const bounds: CapacityBound[] = [];
    const bound = (limit: string, unit: CapacityUnit, value: number, reach: number, path: string) =>
      bounds.push({
        limit,
        unit,
        value: Math.max(0, value),
        reach,
        utilisation: value > 0 ? reach / value : reach > 0 ? Number.POSITIVE_INFINITY : 0,
        path,
      });

    // Nodes.
    if (!aws) {
      const standard = spec.edition === "standard";
      const limit = standard
        ? QUOTA_DEFAULTS.clusterNodesStandard
        : Math.min(q.clusterNodes ?? QUOTA_DEFAULTS.clusterNodes, QUOTA_DEFAULTS.clusterNodesCeiling);
      bound(
        standard ? "cluster node limit (ACK standard)" : "cluster node quota (quotas.clusterNodes)",
        "nodes",
        limit,
        nodes,
        standard ? `clusters[${i}].edition` : "quotas.clusterNodes",
      );
    } else if (q.clusterNodes !== undefined) {
      bound(
        "cluster node quota (quotas.clusterNodes)",
        "nodes",
        q.clusterNodes,
        nodes,
        "quotas.clusterNodes",
      );
    }
    if (cp) {
      bound(
        cp.cni === "flannel"
          ? "node addresses of the node vSwitches"
          : `pod addresses of the ${cp.cni} subnets (${cp.maxPodsPerNode} pods per node)`,
        "nodes",
        sum(cp.capacity.zones.map((z) => addressNodes(cp.cni, cp.maxPodsPerNode, z))),
        nodes,
        `clusters[${i}].zones`,
      );
      if (cp.capacity.flannelNodeSlots !== undefined)
        bound(
          "Flannel node ranges of the pod CIDR",
          "nodes",
          cp.capacity.flannelNodeSlots,
          nodes,
          `clusters[${i}].podCidr`,
        );
    }
    if (!aws && c.cni === "flannel") {
      const routes = q.routeEntries ?? env.vpc.routeEntryQuota ?? QUOTA_DEFAULTS.routeEntries;
      const shared = sum(others.filter((o) => o.cni === "flannel" && o.vpc === c.vpc).map(nodeReach));
      bound(
        "VPC route entries, one per Flannel node (quotas.routeEntries)",
        "nodes",
        routes - shared,
        nodes,
        "quotas.routeEntries",
      );
    }
    if (env.budget.nodes !== undefined)
      bound("budget.nodes", "nodes", env.budget.nodes - sum(others.map(nodeReach)), nodes, "budget.nodes");

    // vCPUs.
    const mine = autoscalingVcpus(only(facts, c));
    const theirs = others.map((o) => autoscalingVcpus(only(facts, o)));
    const onDemandQuota = q.autoscalingVcpu ?? (aws ? undefined : QUOTA_DEFAULTS.autoscalingVcpu);
    if (onDemandQuota !== undefined && (mine.onDemand.total > 0 || mine.spot.total === 0))
      bound(
        "on-demand vCPU quota of autoscaling pools (quotas.autoscalingVcpu)",
        "vCPUs",
        onDemandQuota - sum(theirs.map((t) => t.onDemand.total)),
        mine.onDemand.total,
        "quotas.autoscalingVcpu",
      );
    if (q.spotVcpu !== undefined && mine.spot.total > 0)
      bound(
        "spot vCPU quota (quotas.spotVcpu)",
        "vCPUs",
        q.spotVcpu - sum(theirs.map((t) => t.spot.total)),
        mine.spot.total,
        "quotas.spotVcpu",
      );
    if (env.budget.vcpu !== undefined)
      bound("budget.vcpu", "vCPUs", env.budget.vcpu - sum(others.map(vcpuReach)), vcpu, "budget.vcpu");

    const karpenter = (spec.karpenter?.nodePools.length ?? 0) > 0;
    const gpuPools = spec.nodePools.filter((p) => p.gpu?.count !== undefined);
    const gpus =
      gpuPools.length > 0
        ? sum(
            gpuPools.map(
              (p) =>
                (poolCapacity(
                  (c.nodePools ?? []).find((f) => f.resource === poolResourceName(spec.name, p.name)) ?? {},
                ) ?? 0) * (p.gpu?.count ?? 0),
            ),
          )
        : undefined;

    bounds.sort((a, b) => b.utilisation - a.utilisation);
    const cut = (unit: CapacityUnit, reach: number) =>
      Math.min(reach, ...bounds.filter((b) => b.unit === unit).map((b) => b.value));
    const first = bounds[0];
    return {
      cluster: spec.name,
      reach: { nodes, vcpu, ...(gpus !== undefined ? { gpus } : {}), karpenter },
      growsTo: { nodes: cut("nodes", nodes), vcpu: cut("vCPUs", vcpu) },
      boundBy: first && first.utilisation >= 1 ? first : undefined,
      bounds,
    };
  });
}

const pct = (u: number) => (Number.isFinite(u) ? `${Math.round(u * 100)} %` : "∞");

/** The report as text: one block per cluster, the bounds in the order they are reached. */
export function renderCapacity(report: readonly ClusterCapacity[]): string {
  const out = ["Capacity (what each cluster can grow to, and what bounds it first):"];
  for (const c of report) {
    const extra = [
      c.reach.karpenter ? "Karpenter nodes within its vCPU limit" : undefined,
      c.reach.gpus !== undefined ? `${c.reach.gpus} GPUs` : undefined,
    ].filter(Boolean);
    const by = c.boundBy
      ? `bounded first by ${c.boundBy.limit}: the pools reach ${c.boundBy.reach} of ${c.boundBy.value} ${c.boundBy.unit} (${pct(c.boundBy.utilisation)}; edit ${c.boundBy.path})`
      : `bounded by its pools' max sizes${c.reach.karpenter ? " and Karpenter's limits (karpenter.nodePools[].cpuLimit)" : ""}${c.bounds[0] ? `; nearest limit: ${c.bounds[0].limit} at ${pct(c.bounds[0].utilisation)}` : ""}`;
    out.push(
      `  ${c.cluster}: grows to ${c.growsTo.nodes} nodes, ${c.growsTo.vcpu} vCPUs${extra.length ? ` (+ ${extra.join(", ")})` : ""}; ${by}`,
    );
    for (const b of c.bounds)
      out.push(`    ${pct(b.utilisation).padStart(6)}  ${b.reach} of ${b.value} ${b.unit}  ${b.limit}`);
  }
  return out.join("\n");
}
