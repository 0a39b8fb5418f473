/**
 * Account quota rules (`quota/*` of RULES.md): the limits of a cloud account and of the
 * environment — nodes per cluster and pool, node pools per cluster, scale steps, Flannel route
 * entries, load balancers, EIPs, security groups, autoscaler instance types, autoscaling vCPUs,
 * and the environment's budget — as pure functions over QuotaFacts (quota.ts).
 */
import { type Diagnostic, diagnostic } from "../diagnostic";
import type { Quotas } from "../spec";
import {
  type ClusterQuotaFacts,
  type FactRef,
  fieldPath,
  keyPath,
  knownNumber as known,
  listing,
  type NodePoolQuotaFacts,
  QUOTA_DEFAULTS,
  type QuotaFacts,
  quoted,
  type SecurityGroupType,
} from "./quota";

// ---------------------------------------------------------------------------------------------
// Helpers

const DEFAULT_SCOPE: FactRef = { resource: "environment", path: "" };

function scopeOf(facts: QuotaFacts): FactRef {
  return facts.scope ?? DEFAULT_SCOPE;
}

type QuotaKey = keyof Quotas & keyof typeof QUOTA_DEFAULTS;

interface Limit {
  value: number;
  /** How the limit is described in a message. */
  text: string;
}

/** The limit for a raisable quota: declared, else the default (Alibaba Cloud only). */
function limitOf(facts: QuotaFacts, key: QuotaKey): Limit | undefined {
  const declared = facts.quotas?.[key];
  if (known(declared)) return { value: declared, text: `declared quota ${declared} (quotas.${key})` };
  if (facts.cloud === "aws") return undefined;
  const d = QUOTA_DEFAULTS[key];
  return { value: d, text: `default quota ${d} (declare quotas.${key} after raising it)` };
}

/** A limit that cannot be raised, Alibaba Cloud only. */
function fixedLimit(facts: QuotaFacts, key: keyof typeof QUOTA_DEFAULTS): Limit | undefined {
  if (facts.cloud === "aws") return undefined;
  const d = QUOTA_DEFAULTS[key];
  return { value: d, text: `the limit ${d}` };
}

function clusterLabel(c: ClusterQuotaFacts): string {
  return `cluster ${quoted(c.name, c.resource)}`;
}

function poolLabel(c: ClusterQuotaFacts, p: NodePoolQuotaFacts): string {
  return `node pool ${quoted(p.name, p.resource)} of ${clusterLabel(c)}`;
}

/** The most nodes a pool can hold, as far as known (max size, at least its desired size). */
export function poolCapacity(p: Pick<NodePoolQuotaFacts, "maxSize" | "desiredSize">): number | undefined {
  const values = [p.maxSize, p.desiredSize].filter(known);
  return values.length === 0 ? undefined : Math.max(...values);
}

function poolsOf(c: ClusterQuotaFacts): NodePoolQuotaFacts[] {
  return c.nodePools ?? [];
}

/** Known lower bound of a cluster's max nodes, and the contributing pools. */
function clusterNodes(c: ClusterQuotaFacts): { total: number; parts: string[] } {
  let total = 0;
  const parts: string[] = [];
  for (const p of poolsOf(c)) {
    const n = poolCapacity(p);
    if (n === undefined) continue;
    total += n;
    parts.push(`${p.name ?? p.resource} ${n}`);
  }
  return { total, parts };
}

function allPools(facts: QuotaFacts): { cluster: ClusterQuotaFacts; pool: NodePoolQuotaFacts }[] {
  return (facts.clusters ?? []).flatMap((cluster) => poolsOf(cluster).map((pool) => ({ cluster, pool })));
}

/** Distinct by `resource`. */
function distinct<T extends FactRef>(items: readonly T[] | undefined): T[] {
  const seen = new Map<string, T>();
  for (const i of items ?? []) if (!seen.has(i.resource)) seen.set(i.resource, i);
  return [...seen.values()];
}

// ---------------------------------------------------------------------------------------------
// Cluster and node pool quotas

/** The node limit of an ACK Pro cluster: declared or 1,000, never above the 5,000 ceiling. */
function proClusterNodes(facts: QuotaFacts): Limit | undefined {
  const limit = limitOf(facts, "clusterNodes");
  const ceiling = QUOTA_DEFAULTS.clusterNodesCeiling;
  if (limit && facts.cloud !== "aws" && limit.value > ceiling) {
    return {
      value: ceiling,
      text: `the ACK Pro ceiling ${ceiling} (quotas.clusterNodes ${limit.value} cannot be granted)`,
    };
  }
  return limit;
}

/**
 * quota/cluster-nodes: the sum of a cluster's pool max sizes ≤ 100 (standard) / 1,000 (Pro,
 * raisable to 5,000). A cluster of unknown edition gets the larger of the two limits.
 */
export function checkClusterNodes(facts: QuotaFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const d = QUOTA_DEFAULTS.clusterNodesStandard;
  const standard: Limit | undefined =
    facts.cloud === "aws"
      ? undefined
      : { value: d, text: `the ACK standard cluster limit ${d} (not raisable: use edition pro)` };
  for (const c of facts.clusters ?? []) {
    const { total, parts } = clusterNodes(c);
    const pro = proClusterNodes(facts);
    let limit: Limit | undefined;
    if (c.edition === "standard") limit = standard ?? pro;
    else if (c.edition === "pro") limit = pro;
    else limit = pro && standard ? (pro.value >= standard.value ? pro : standard) : (pro ?? standard);
    if (!limit || total <= limit.value) continue;
    const edition = c.edition ? ` (${c.edition})` : "";
    out.push(
      diagnostic("quota/cluster-nodes", {
        resource: c.resource,
        path: fieldPath(c, "nodePools"),
        message: `${clusterLabel(c)}${edition} plans up to ${total} nodes (node pool max sizes: ${listing(parts)}) > ${limit.text}`,
      }),
    );
  }
  return out;
}

/** quota/node-pools-per-cluster: ≤ 20 node pools per cluster. */
export function checkNodePoolsPerCluster(facts: QuotaFacts): Diagnostic[] {
  const limit = limitOf(facts, "nodePoolsPerCluster");
  if (!limit) return [];
  const out: Diagnostic[] = [];
  for (const c of facts.clusters ?? []) {
    const pools = poolsOf(c);
    if (pools.length <= limit.value) continue;
    out.push(
      diagnostic("quota/node-pools-per-cluster", {
        resource: c.resource,
        path: fieldPath(c, "nodePools"),
        message: `${clusterLabel(c)} has ${pools.length} node pools (${listing(pools.map((p) => p.name ?? p.resource))}) > ${limit.text}`,
      }),
    );
  }
  return out;
}

/** quota/nodes-per-pool: ≤ 1,000 nodes per node pool. */
export function checkNodesPerPool(facts: QuotaFacts): Diagnostic[] {
  const limit = limitOf(facts, "nodesPerPool");
  if (!limit) return [];
  const out: Diagnostic[] = [];
  for (const { cluster, pool } of allPools(facts)) {
    const n = poolCapacity(pool);
    if (n === undefined || n <= limit.value) continue;
    const field = known(pool.maxSize) && pool.maxSize === n ? "maxSize" : "desiredSize";
    out.push(
      diagnostic("quota/nodes-per-pool", {
        resource: pool.resource,
        path: fieldPath(pool, field),
        message: `${poolLabel(cluster, pool)}: ${field} ${n} > ${limit.text}`,
      }),
    );
  }
  return out;
}

/**
 * quota/scale-step: one change raises a fixed-size pool's desired size by ≤ 500 nodes. A pool
 * without a known previous size counts from 0 (a new pool). Only pools known to be fixed-size
 * (`autoscaling: false`) are checked: an autoscaling pool's desired size is the autoscaler's.
 */
export function checkScaleStep(facts: QuotaFacts): Diagnostic[] {
  const limit = limitOf(facts, "scaleStep");
  if (!limit) return [];
  const out: Diagnostic[] = [];
  for (const { cluster, pool } of allPools(facts)) {
    if (pool.autoscaling !== false || !known(pool.desiredSize)) continue;
    const previous = known(pool.previousDesiredSize) ? pool.previousDesiredSize : undefined;
    const step = pool.desiredSize - (previous ?? 0);
    if (step <= limit.value) continue;
    const from = previous === undefined ? "0 (a new pool)" : `${previous}`;
    out.push(
      diagnostic("quota/scale-step", {
        resource: pool.resource,
        path: fieldPath(pool, "desiredSize"),
        message: `${poolLabel(cluster, pool)}: desiredSize goes from ${from} to ${pool.desiredSize}, +${step} nodes in one change > ${limit.text}; scale out in steps`,
      }),
    );
  }
  return out;
}

/**
 * quota/flannel-route-entries: a Flannel cluster spends one VPC route entry per node (ACK docs: Considerations for configuring a LoadBalancer type Service), so the max nodes of the Flannel clusters sharing a VPC ≤ the route-entry quota.
 * Every Flannel cluster of an over-quota VPC is reported; a cluster of unknown VPC is counted alone.
 */
export function checkFlannelRouteEntries(facts: QuotaFacts): Diagnostic[] {
  const limit = limitOf(facts, "routeEntries");
  if (!limit) return [];
  const groups = new Map<string, ClusterQuotaFacts[]>();
  (facts.clusters ?? [])
    .filter((c) => c.cni === "flannel")
    .forEach((c, i) => {
      const key = c.vpc === undefined ? `\0${i}` : `vpc:${c.vpc}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    });
  const out: Diagnostic[] = [];
  for (const clusters of groups.values()) {
    const totals = clusters.map((c) => ({ c, n: clusterNodes(c).total }));
    const total = totals.reduce((s, t) => s + t.n, 0);
    if (total <= limit.value) continue;
    for (const { c, n } of totals) {
      const message =
        clusters.length === 1
          ? `Flannel ${clusterLabel(c)} plans up to ${total} nodes, one VPC route entry each, > route-entry ${limit.text}`
          : `Flannel ${clusterLabel(c)} (up to ${n} nodes) shares VPC ${JSON.stringify(c.vpc)}'s route table with Flannel clusters planning up to ${total} nodes in all (${listing(totals.map((t) => `${t.c.name ?? t.c.resource} ${t.n}`))}), one route entry each, > route-entry ${limit.text}`;
      out.push(
        diagnostic("quota/flannel-route-entries", {
          resource: c.resource,
          path: fieldPath(c, "nodePools"),
          message,
        }),
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Account quotas

/** quota/load-balancers: ≤ 60 load balancers, ≤ 50 listeners and ≤ 200 backends per load balancer. */
export function checkLoadBalancers(facts: QuotaFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lbs = distinct(facts.loadBalancers);
  const count = limitOf(facts, "loadBalancers");
  if (count && lbs.length > count.value) {
    const scope = scopeOf(facts);
    out.push(
      diagnostic("quota/load-balancers", {
        resource: scope.resource,
        path: keyPath(fieldPath(scope, "quotas"), "loadBalancers"),
        message: `${lbs.length} load balancers (${listing(lbs.map((l) => l.name ?? l.resource))}) > ${count.text}`,
      }),
    );
  }
  const listeners = limitOf(facts, "listenersPerLoadBalancer");
  const backends = limitOf(facts, "backendsPerLoadBalancer");
  for (const lb of lbs) {
    const label = `load balancer ${quoted(lb.name, lb.resource)}`;
    if (listeners && known(lb.listeners) && lb.listeners > listeners.value) {
      out.push(
        diagnostic("quota/load-balancers", {
          resource: lb.resource,
          path: fieldPath(lb, "listeners"),
          message: `${label} has ${lb.listeners} listeners > ${listeners.text}`,
        }),
      );
    }
    if (backends && known(lb.backends) && lb.backends > backends.value) {
      out.push(
        diagnostic("quota/load-balancers", {
          resource: lb.resource,
          path: fieldPath(lb, "backends"),
          message: `${label} has ${lb.backends} backend servers > ${backends.text}`,
        }),
      );
    }
  }
  return out;
}

/** quota/eips: ≤ 20 EIPs and ≤ 100 security groups. */
export function checkEips(facts: QuotaFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const scope = scopeOf(facts);
  const cases = [
    { key: "eips", what: "EIPs", items: distinct(facts.eips) },
    { key: "securityGroups", what: "security groups", items: distinct(facts.securityGroups) },
  ] as const;
  for (const { key, what, items } of cases) {
    const limit = limitOf(facts, key);
    if (!limit || items.length <= limit.value) continue;
    out.push(
      diagnostic("quota/eips", {
        resource: scope.resource,
        path: keyPath(fieldPath(scope, "quotas"), key),
        message: `${items.length} ${what} (${listing(items.map((i) => i.resource))}) > ${limit.text}`,
      }),
    );
  }
  return out;
}

/** quota/node-pool-security-groups: a node pool uses ≤ 5 security groups, all normal or all enterprise. */
export function checkNodePoolSecurityGroups(facts: QuotaFacts): Diagnostic[] {
  const limit = fixedLimit(facts, "nodePoolSecurityGroups");
  if (!limit) return [];
  const out: Diagnostic[] = [];
  for (const { cluster, pool } of allPools(facts)) {
    const groups = pool.securityGroups;
    if (!groups) continue;
    const path = fieldPath(pool, "securityGroups");
    if (groups.length > limit.value) {
      out.push(
        diagnostic("quota/node-pool-security-groups", {
          resource: pool.resource,
          path,
          message: `${poolLabel(cluster, pool)} uses ${groups.length} security groups (${listing(groups.map((g) => g.id ?? "?"))}) > ${limit.text}`,
        }),
      );
    }
    const byType = new Map<SecurityGroupType, string[]>();
    for (const g of groups) {
      if (g.type === undefined) continue;
      byType.set(g.type, [...(byType.get(g.type) ?? []), g.id ?? "?"]);
    }
    if (byType.size > 1) {
      const kinds = [...byType.entries()].map(([t, ids]) => `${t}: ${listing(ids)}`).join("; ");
      out.push(
        diagnostic("quota/node-pool-security-groups", {
          resource: pool.resource,
          path,
          message: `${poolLabel(cluster, pool)} mixes normal and enterprise security groups (${kinds}); a pool uses one type`,
        }),
      );
    }
  }
  return out;
}

/** quota/autoscaler-instance-types: an autoscaling pool lists ≤ 10 instance types. */
export function checkAutoscalerInstanceTypes(facts: QuotaFacts): Diagnostic[] {
  const limit = fixedLimit(facts, "autoscalerInstanceTypes");
  if (!limit) return [];
  const out: Diagnostic[] = [];
  for (const { cluster, pool } of allPools(facts)) {
    const types = pool.instanceTypes;
    if (pool.autoscaling !== true || !types || types.length <= limit.value) continue;
    out.push(
      diagnostic("quota/autoscaler-instance-types", {
        resource: pool.resource,
        path: fieldPath(pool, "instanceTypes"),
        message: `autoscaling ${poolLabel(cluster, pool)} lists ${types.length} instance types (${listing(types.map((t) => t ?? "?"))}) > ${limit.text}`,
      }),
    );
  }
  return out;
}

/**
 * A pool's `n` units (nodes, or a Karpenter NodePool's vCPU limit) by how they are bought:
 * on-demand only; spot only; mixed: the on-demand base, then the on-demand percentage of the
 * rest, rounded up, the remainder spot; `any` (Karpenter allowing both): all of it in either.
 */
export function capacitySplit(
  p: Pick<NodePoolQuotaFacts, "capacity">,
  n: number,
): { onDemand: number; spot: number } {
  const c = p.capacity;
  switch (c?.type) {
    case "spot":
      return { onDemand: 0, spot: n };
    case "any":
      return { onDemand: n, spot: n };
    case "mixed": {
      const base = Math.min(n, c.onDemandBase ?? 0);
      const onDemand = base + Math.ceil(((n - base) * (c.onDemandPercentage ?? 0)) / 100);
      return { onDemand, spot: n - onDemand };
    }
    default:
      return { onDemand: n, spot: 0 };
  }
}

/** The vCPUs autoscaling pools can reach, on demand and spot, with the terms of each sum. */
export function autoscalingVcpus(facts: QuotaFacts): {
  onDemand: { total: number; parts: string[] };
  spot: { total: number; parts: string[] };
} {
  const onDemand = { total: 0, parts: [] as string[] };
  const spot = { total: 0, parts: [] as string[] };
  for (const { pool } of allPools(facts)) {
    if (pool.autoscaling !== true) continue;
    const name = pool.name ?? pool.resource;
    if (known(pool.limits?.vcpu)) {
      const split = capacitySplit(pool, pool.limits.vcpu);
      if (split.onDemand > 0) {
        onDemand.total += split.onDemand;
        onDemand.parts.push(`${name} limit ${split.onDemand}`);
      }
      if (split.spot > 0) {
        spot.total += split.spot;
        spot.parts.push(`${name} limit ${split.spot}`);
      }
      continue;
    }
    const n = poolCapacity(pool);
    if (n === undefined || !known(pool.vcpu)) continue;
    const split = capacitySplit(pool, n);
    const mixed = pool.capacity?.type === "mixed";
    if (split.onDemand > 0 || (!mixed && pool.capacity?.type !== "spot")) {
      onDemand.total += split.onDemand * pool.vcpu;
      onDemand.parts.push(`${name} ${split.onDemand} × ${pool.vcpu}${mixed ? " on-demand" : ""}`);
    }
    if (split.spot > 0) {
      spot.total += split.spot * pool.vcpu;
      spot.parts.push(`${name} ${split.spot} × ${pool.vcpu}${mixed ? " spot" : ""}`);
    }
  }
  return { onDemand, spot };
}

/**
 * quota/autoscaling-vcpu: Σ over autoscaling pools of max size × vCPU ≤ the region's vCPU quota
 * (default 50, Alibaba Cloud). Spot instances count against a spot vCPU quota of their own (AWS:
 * All Standard Spot Instance Requests, L-34B43A08, beside the on-demand L-1216C47A; ECS docs:
 * Limits, vCPU quotas by billing method), checked where the environment declares it
 * (`quotas.spotVcpu`); a mixed pool counts its on-demand share against the one, its spot share
 * against the other.
 */
export function checkAutoscalingVcpu(facts: QuotaFacts): Diagnostic[] {
  const { onDemand, spot } = autoscalingVcpus(facts);
  const out: Diagnostic[] = [];
  const scope = scopeOf(facts);
  const limit = limitOf(facts, "autoscalingVcpu");
  if (limit && onDemand.total > limit.value) {
    out.push(
      diagnostic("quota/autoscaling-vcpu", {
        resource: scope.resource,
        path: keyPath(fieldPath(scope, "quotas"), "autoscalingVcpu"),
        message: `autoscaling pools can reach ${onDemand.total} ${spot.total > 0 ? "on-demand " : ""}vCPUs (max size × vCPU: ${listing(onDemand.parts)}) > vCPU ${limit.text}`,
      }),
    );
  }
  const spotLimit = facts.quotas?.spotVcpu;
  if (known(spotLimit) && spot.total > spotLimit) {
    out.push(
      diagnostic("quota/autoscaling-vcpu", {
        resource: scope.resource,
        path: keyPath(fieldPath(scope, "quotas"), "spotVcpu"),
        message: `autoscaling pools can reach ${spot.total} spot vCPUs (max size × vCPU: ${listing(spot.parts)}) > spot vCPU declared quota ${spotLimit} (quotas.spotVcpu)`,
      }),
    );
  }
  return out;
}

/** quota/environment-budget: clusters, nodes, vCPU, memory and load balancers within the declared budget. */
export function checkEnvironmentBudget(facts: QuotaFacts): Diagnostic[] {
  const budget = facts.budget;
  if (!budget) return [];
  const clusters = facts.clusters ?? [];
  const pools = allPools(facts).map((x) => x.pool);
  const sum = (f: (p: NodePoolQuotaFacts) => number | undefined) =>
    pools.reduce((s, p) => {
      const v = f(p);
      return v === undefined ? s : s + v;
    }, 0);
  const times = (per: number | undefined, p: NodePoolQuotaFacts) => {
    const n = poolCapacity(p);
    return n === undefined || !known(per) ? undefined : n * per;
  };
  const totals = [
    { key: "clusters", what: "clusters", total: clusters.length },
    { key: "nodes", what: "nodes (sum of node pool max sizes)", total: sum(poolCapacity) },
    // A resource-bounded pool (Karpenter) counts its limits.
    {
      key: "vcpu",
      what: "vCPUs (max size × vCPU)",
      total: sum((p) => (known(p.limits?.vcpu) ? p.limits.vcpu : times(p.vcpu, p))),
    },
    {
      key: "memoryGiB",
      what: "GiB of memory (max size × memory)",
      total: sum((p) => (known(p.limits?.memoryGiB) ? p.limits.memoryGiB : times(p.memoryGiB, p))),
    },
    { key: "loadBalancers", what: "load balancers", total: distinct(facts.loadBalancers).length },
  ] as const;
  const out: Diagnostic[] = [];
  for (const { key, what, total } of totals) {
    const cap = budget[key];
    if (!known(cap) || total <= cap) continue;
    out.push(
      diagnostic("quota/environment-budget", {
        resource: budget.resource,
        path: fieldPath(budget, key),
        message: `the environment plans up to ${total} ${what} > budget.${key} ${cap}`,
      }),
    );
  }
  return out;
}
