/**
 * The quota rules of RULES.md (`quota/*`) as pure functions over QuotaFacts.
 *
 * QuotaFacts are built from the environment spec (`quotaFactsFromEnvironment`), from component
 * args (tenancy components), or by the CrossGuard pack from raw cloud/Kubernetes resource
 * properties. Every leaf is optional, because during a preview any value may be unknown:
 *
 * - an unknown value never produces a violation: a rule checks only what it knows;
 * - an unknown value never hides a known one: sums over partly unknown items use the known
 *   items as a lower bound (quantities and counts are never negative), so a sum of the known
 *   items that already exceeds a quota is reported.
 *
 * Limits are the platform's documented defaults (QUOTA_DEFAULTS, each citing its seed line);
 * `facts.quotas` (the keys of the spec's QuotasSchema) overrides them with raised numbers. The
 * defaults are Alibaba Cloud's (ACK, SLB, VPC, ECS): when `facts.cloud` is "aws" a cloud quota
 * rule applies only where the environment declares the quota. The Kubernetes (tenancy) rules and
 * the environment budget apply on every cloud.
 *
 * Each fact item carries `resource` (the logical name or URN the diagnostic concerns) and `path`
 * (the field path of the item, e.g. `clusters[0].nodePools[1]`); a rule reports at
 * `${path}.${field}` (`clusters[0].nodePools[1].maxSize`) unless the item's `paths` maps the field
 * elsewhere (a raw alicloud NodePool: `{ maxSize: "scalingConfig.maxSize" }`).
 */
import { type Diagnostic, diagnostic, type RuleId } from "../diagnostic";
import {
  compareQuantities,
  formatQuantity,
  type Quantity,
  subtractQuantities,
  sumQuantities,
  tryParseQuantity,
} from "../quantity";
import { DEFAULT_QUOTA_NAME } from "../quotaMerge";
import type { Quotas } from "../spec";

// ---------------------------------------------------------------------------------------------
// Defaults

/**
 * The documented quota defaults (seed lines in `002:` = the ACK user guide; `001:` = ACP).
 * Keys shared with the spec's QuotasSchema can be raised by declaring `quotas.<key>`.
 */
export const QUOTA_DEFAULTS = {
  /** Max nodes of an ACK Pro cluster: "默认配额最大1000节点" (seed 002:6990). */
  clusterNodes: 1000,
  /** The most an ACK Pro cluster's node quota can be raised to: "最大5000节点" (seed 002:6991–6992). */
  clusterNodesCeiling: 5000,
  /** Max nodes of an ACK standard managed cluster, not raisable (upgrade to Pro) (seed 002:6994–6995). */
  clusterNodesStandard: 100,
  /** Node pools per ACK cluster: "每个ACK集群默认20个节点池" (seed 002:9159). */
  nodePoolsPerCluster: 20,
  /** Nodes per node pool: "每个节点池可申请创建1000个节点" (seed 002:9159). */
  nodesPerPool: 1000,
  /** Nodes one scale-out operation may add: "单次操作可扩容最多500个节点" (seed 002:9376). */
  scaleStep: 500,
  /** VPC route entries, one per Flannel node (seed 002:3949–3951, 12966–12967). */
  routeEntries: 48,
  /** Pay-as-you-go SLB instances per account (seed 002:3955, 12977). */
  loadBalancers: 60,
  /** Listeners per SLB instance (seed 002:12996). */
  listenersPerLoadBalancer: 50,
  /** Backend servers per SLB instance (seed 002:12990). */
  backendsPerLoadBalancer: 200,
  /** EIPs per account (seed 002:3957). */
  eips: 20,
  /** Security groups per account (seed 002:3953). */
  securityGroups: 100,
  /** Security groups of one node pool, all of one type (seed 002:9323–9325). Not raisable. */
  nodePoolSecurityGroups: 5,
  /** Instance types of one autoscaling group (seed 002:47842). Not raisable. */
  autoscalerInstanceTypes: 10,
  /** Pay-as-you-go vCPUs per user and region (seed 002:47548–47549). */
  autoscalingVcpu: 50,
} as const;

/** Custom quota items that duplicate the standard quota fields (seed 001:4008–4050). */
export const RESERVED_QUOTA_ITEMS = [
  "limits.cpu",
  "limits.memory",
  "requests.cpu",
  "requests.memory",
  "pods",
  "cpu",
  "memory",
] as const;

// ---------------------------------------------------------------------------------------------
// Facts

/** Where a fact item came from: reported as the diagnostic's resource and path. */
export interface FactRef {
  /** Logical name or URN of the resource (or spec object). */
  resource: string;
  /** Field path of the item, e.g. `clusters[0].nodePools[1]`; "" for a whole raw resource. */
  path: string;
  /** Field paths that are not `${path}.${field}`, e.g. `{ maxSize: "scalingConfig.maxSize" }`. */
  paths?: Record<string, string>;
}

/** Normal or enterprise security group (seed 002:9323); an enum in the component schema. */
export const SecurityGroupType = { Normal: "normal", Enterprise: "enterprise" } as const;
export type SecurityGroupType = (typeof SecurityGroupType)[keyof typeof SecurityGroupType];

export interface SecurityGroupFacts {
  id?: string;
  /** Normal or enterprise security group (seed 002:9323). */
  type?: SecurityGroupType;
}

export interface NodePoolQuotaFacts extends FactRef {
  name?: string;
  /**
   * true: an autoscaling pool (autoscaler-instance-types, autoscaling-vcpu); false: a fixed-size
   * pool (scale-step); omitted: unknown, neither applies.
   */
  autoscaling?: boolean;
  maxSize?: number;
  desiredSize?: number;
  /** Desired size before this change; omitted: the pool is new and counts from 0 (scale-step). */
  previousDesiredSize?: number;
  instanceTypes?: (string | undefined)[];
  /** vCPUs per instance. */
  vcpu?: number;
  /** Memory per instance, GiB. */
  memoryGiB?: number;
  securityGroups?: SecurityGroupFacts[];
}

export interface ClusterQuotaFacts extends FactRef {
  name?: string;
  /** ACK edition: "standard" clusters hold ≤ 100 nodes whatever is declared. */
  edition?: "pro" | "standard";
  /** "flannel" clusters spend one VPC route entry per node. */
  cni?: string;
  /** The VPC (id or logical name): Flannel clusters of one VPC share its route table. */
  vpc?: string;
  /** The cluster's node pools; the pools listed are a lower bound when some are unknown. */
  nodePools?: NodePoolQuotaFacts[];
}

export interface LoadBalancerQuotaFacts extends FactRef {
  name?: string;
  /** Listeners of this load balancer. */
  listeners?: number;
  /** Backend servers attached to this load balancer. */
  backends?: number;
}

/** The environment's declared budget (`budget` of the spec): totals it must stay within. */
export interface BudgetFacts extends FactRef {
  clusters?: number;
  nodes?: number;
  vcpu?: number;
  memoryGiB?: number;
  loadBalancers?: number;
}

/** A Kubernetes resource → quantity map (`spec.hard`, LimitRange defaults); undefined = unknown. */
export type QuantityMap = Record<string, string | undefined>;

/** A project's quota on one cluster (ACP projects: seed 001:3853–3896). */
export interface ProjectQuotaFacts extends FactRef {
  /** Project name. */
  name?: string;
  /**
   * The cluster the quota applies to (a project has one quota per cluster). Namespaces count
   * against it when their `cluster` is the same; omitted on both sides means one same cluster.
   */
  cluster?: string;
  /** The project's quota on that cluster; a missing item is unlimited. */
  quota?: QuantityMap;
  /** StorageClasses assigned to the project (seed 001:4343). */
  storageClasses?: (string | undefined)[];
}

/** Per-namespace overcommit ratios (seed 001:4881–4928): absent inherits, 0 unlimited, else integer > 1. */
export interface OvercommitFacts {
  cpu?: number;
  memory?: number;
}

export interface NamespaceQuotaFacts extends FactRef {
  name?: string;
  /** The project the namespace belongs to. */
  project?: string;
  cluster?: string;
  /** This change creates the namespace: it cannot be created when a project resource has 0 left. */
  creating?: boolean;
  /**
   * The namespace's quota (`spec.hard` of its `default` ResourceQuota); a missing item is
   * unlimited, an omitted map has no items, an item unknown during a preview has value undefined.
   */
  quota?: QuantityMap;
  /**
   * Custom ("other") quota items the namespace adds (seed 001:4008–4050, 4388–4404), same
   * conventions as `quota`. An item set in both maps binds with the smaller value.
   */
  customQuota?: QuantityMap;
  /** Names of every ResourceQuota object in the namespace. */
  resourceQuotas?: (string | undefined)[];
  /** Names of every LimitRange object in the namespace. */
  limitRanges?: (string | undefined)[];
  overcommit?: OvercommitFacts;
}

/** One entry of a LimitRange's `spec.limits`. */
export interface LimitRangeItemFacts {
  type?: string;
  min?: QuantityMap;
  defaultRequest?: QuantityMap;
  default?: QuantityMap;
  max?: QuantityMap;
}

export interface LimitRangeFacts extends FactRef {
  name?: string;
  namespace?: string;
  /** `spec.limits`; reported at `${path}.limits[i].<bound>.<resource>`. */
  limits?: LimitRangeItemFacts[];
}

/** Everything the quota rules look at. Every part is optional. */
export interface QuotaFacts {
  /** Cloud of the environment (omitted: alicloud); on "aws" the Alibaba Cloud defaults do not apply. */
  cloud?: "alicloud" | "aws";
  /** Where environment-wide diagnostics are reported; default `{ resource: "environment", path: "" }`. */
  scope?: FactRef;
  /** Declared (raised) quotas; override QUOTA_DEFAULTS. Configuration, never unknown. */
  quotas?: Partial<Quotas>;
  budget?: BudgetFacts;
  clusters?: ClusterQuotaFacts[];
  loadBalancers?: LoadBalancerQuotaFacts[];
  /** The EIPs of the account or environment (counted by distinct `resource`). */
  eips?: FactRef[];
  /** The security groups of the account or environment (counted by distinct `resource`). */
  securityGroups?: FactRef[];
  projects?: ProjectQuotaFacts[];
  namespaces?: NamespaceQuotaFacts[];
  limitRanges?: LimitRangeFacts[];
}

export type QuotaRuleId = Extract<RuleId, `quota/${string}`>;
export type QuotaRule = (facts: QuotaFacts) => Diagnostic[];

// ---------------------------------------------------------------------------------------------
// Helpers

const DEFAULT_SCOPE: FactRef = { resource: "environment", path: "" };

function known(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

/** The path of `field` of an item. */
export function fieldPath(ref: FactRef, field: string): string {
  const override = ref.paths?.[field];
  if (override !== undefined) return override;
  return ref.path ? `${ref.path}.${field}` : field;
}

/** `base.key`, or `base["key"]` when the key is not an identifier (`quota["requests.cpu"]`). */
function keyPath(base: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

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

function quoted(s: string | undefined, fallback: string): string {
  return JSON.stringify(s ?? fallback);
}

function clusterLabel(c: ClusterQuotaFacts): string {
  return `cluster ${quoted(c.name, c.resource)}`;
}

function poolLabel(c: ClusterQuotaFacts, p: NodePoolQuotaFacts): string {
  return `node pool ${quoted(p.name, p.resource)} of ${clusterLabel(c)}`;
}

/** A short list for messages: `a 10, b 20, … and 3 more`. */
function listing(items: readonly string[], max = 8): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")}, … and ${items.length - max} more`;
}

/** The most nodes a pool can hold, as far as known (max size, at least its desired size). */
export function poolCapacity(p: NodePoolQuotaFacts): number | undefined {
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
 * quota/flannel-route-entries: a Flannel cluster spends one VPC route entry per node (seed
 * 002:12966), so the max nodes of the Flannel clusters sharing a VPC ≤ the route-entry quota.
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

/** quota/autoscaling-vcpu: Σ over autoscaling pools of max size × vCPU ≤ the region's vCPU quota (default 50). */
export function checkAutoscalingVcpu(facts: QuotaFacts): Diagnostic[] {
  const limit = limitOf(facts, "autoscalingVcpu");
  if (!limit) return [];
  let total = 0;
  const parts: string[] = [];
  for (const { pool } of allPools(facts)) {
    const n = poolCapacity(pool);
    if (pool.autoscaling !== true || n === undefined || !known(pool.vcpu)) continue;
    total += n * pool.vcpu;
    parts.push(`${pool.name ?? pool.resource} ${n} × ${pool.vcpu}`);
  }
  if (total <= limit.value) return [];
  const scope = scopeOf(facts);
  return [
    diagnostic("quota/autoscaling-vcpu", {
      resource: scope.resource,
      path: keyPath(fieldPath(scope, "quotas"), "autoscalingVcpu"),
      message: `autoscaling pools can reach ${total} vCPUs (max size × vCPU: ${listing(parts)}) > vCPU ${limit.text}`,
    }),
  ];
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
    { key: "vcpu", what: "vCPUs (max size × vCPU)", total: sum((p) => times(p.vcpu, p)) },
    { key: "memoryGiB", what: "GiB of memory (max size × memory)", total: sum((p) => times(p.memoryGiB, p)) },
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

// ---------------------------------------------------------------------------------------------
// Kubernetes (tenancy) quotas

/** Items Kubernetes treats as the same quota (`cpu` is `requests.cpu`). */
const QUOTA_ALIASES: Record<string, string> = {
  cpu: "requests.cpu",
  memory: "requests.memory",
  "ephemeral-storage": "requests.ephemeral-storage",
};

interface QuotaValue {
  value: Quantity;
  text: string;
  path: string;
}

/**
 * The known, valid items of quota maps keyed by canonical item name (aliases folded: Kubernetes
 * enforces both, so the smaller value binds), plus a diagnostic for each value that is not a
 * quantity. With `lowerBound`, an item that is also set to an unknown value is dropped: the
 * binding value could be the unknown one, so the known one is no lower bound.
 */
function quotaValues(
  rule: QuotaRuleId,
  owner: FactRef,
  label: string,
  maps: { field: string; map: QuantityMap | undefined }[],
  lowerBound = false,
): { values: Map<string, QuotaValue>; errors: Diagnostic[] } {
  const values = new Map<string, QuotaValue>();
  const unknown = new Set<string>();
  const errors: Diagnostic[] = [];
  for (const { field, map } of maps) {
    for (const [item, text] of Object.entries(map ?? {})) {
      const key = QUOTA_ALIASES[item] ?? item;
      if (typeof text !== "string") {
        unknown.add(key);
        continue;
      }
      const path = keyPath(fieldPath(owner, field), item);
      const r = tryParseQuantity(text);
      if (!r.ok) {
        unknown.add(key);
        errors.push(
          diagnostic(rule, {
            resource: owner.resource,
            path,
            message: `${label} ${item} ${JSON.stringify(text)} is not a Kubernetes quantity: ${r.reason}`,
          }),
        );
        continue;
      }
      const current = values.get(key);
      if (!current || compareQuantities(r.quantity, current.value) < 0) {
        values.set(key, { value: r.quantity, text, path });
      }
    }
  }
  if (lowerBound) for (const key of unknown) values.delete(key);
  return { values, errors };
}

function projectLabel(p: ProjectQuotaFacts): string {
  return `project ${quoted(p.name, p.resource)}${p.cluster === undefined ? "" : ` on cluster ${JSON.stringify(p.cluster)}`}`;
}

function namespaceLabel(n: NamespaceQuotaFacts): string {
  return `namespace ${quoted(n.name, n.resource)}`;
}

/**
 * quota/namespace-exceeds-project: for each resource of a project's quota on a cluster, the sum of
 * its namespaces' quotas ≤ the project's; a namespace being created is refused when any resource
 * of the project has 0 left (seed 001:3892–3896, 4322–4324). A namespace without an item is
 * unlimited for it (uses what the project has left, seed 001:4326) and adds nothing to the sum.
 */
export function checkNamespaceExceedsProject(facts: QuotaFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const namespaces = facts.namespaces ?? [];
  const nsValues = new Map<NamespaceQuotaFacts, Map<string, QuotaValue>>();
  for (const ns of namespaces) {
    const { values, errors } = quotaValues(
      "quota/namespace-exceeds-project",
      ns,
      `${namespaceLabel(ns)} quota`,
      [
        { field: "quota", map: ns.quota },
        { field: "customQuota", map: ns.customQuota },
      ],
      true,
    );
    nsValues.set(ns, values);
    out.push(...errors);
  }
  for (const project of facts.projects ?? []) {
    if (project.name === undefined || !project.quota) continue;
    const { values: limits, errors } = quotaValues(
      "quota/namespace-exceeds-project",
      project,
      `${projectLabel(project)} quota`,
      [{ field: "quota", map: project.quota }],
    );
    out.push(...errors);
    const members = namespaces.filter((ns) => ns.project === project.name && ns.cluster === project.cluster);
    for (const [item, limit] of limits) {
      const used = members.flatMap((ns) => {
        const v = nsValues.get(ns)?.get(item);
        return v ? [{ ns, v }] : [];
      });
      const describe = (xs: typeof used) =>
        xs.length === 0 ? "none" : listing(xs.map(({ ns, v }) => `${ns.name ?? ns.resource} ${v.text}`));
      // A namespace being created needs something left of every resource.
      for (const ns of members) {
        if (ns.creating !== true) continue;
        const others = used.filter((u) => u.ns !== ns);
        const left = subtractQuantities(
          limit.value,
          sumQuantities(
            others.map((u) => u.v.value),
            limit.value.format,
          ),
        );
        if (compareQuantities(left, "0") > 0) continue;
        out.push(
          diagnostic("quota/namespace-exceeds-project", {
            resource: ns.resource,
            path: fieldPath(ns, "quota"),
            message: `${namespaceLabel(ns)} cannot be created: ${projectLabel(project)} has ${compareQuantities(left, "0") === 0 ? `0 ${item} left` : `no ${item} left (over by ${formatQuantity(subtractQuantities("0", left), limit.value.format)})`} (project quota ${limit.text}, used by ${describe(others)})`,
          }),
        );
      }
      const total = sumQuantities(
        used.map((u) => u.v.value),
        limit.value.format,
      );
      if (compareQuantities(total, limit.value) <= 0) continue;
      out.push(
        diagnostic("quota/namespace-exceeds-project", {
          resource: project.resource,
          path: limit.path,
          message: `namespaces of ${projectLabel(project)} set ${item} ${formatQuantity(total)} in total (${describe(used)}) > the project's quota ${limit.text}`,
        }),
      );
    }
  }
  return out;
}

/** quota/single-default: a namespace has exactly one ResourceQuota and one LimitRange, each named `default`. */
export function checkSingleDefault(facts: QuotaFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const ns of facts.namespaces ?? []) {
    const kinds = [
      {
        field: "resourceQuotas",
        kind: "ResourceQuota",
        names: ns.resourceQuotas,
        fix: "merge them into one named default (each item's minimum, seed 001:17754–17756)",
      },
      {
        field: "limitRanges",
        kind: "LimitRange",
        names: ns.limitRanges,
        fix: "keep one named default: LimitRanges cannot be merged (seed 001:17856–17866)",
      },
    ] as const;
    for (const { field, kind, names, fix } of kinds) {
      if (!names) continue;
      const path = fieldPath(ns, field);
      const shown = names.map((n) => n ?? "?");
      let message: string | undefined;
      if (names.length === 0)
        message = `${namespaceLabel(ns)} has no ${kind}; it needs exactly one, named default`;
      else if (names.length > 1)
        message = `${namespaceLabel(ns)} has ${names.length} ${kind}s (${listing(shown)}); ${fix}`;
      else if (names[0] !== undefined && names[0] !== DEFAULT_QUOTA_NAME)
        message = `${namespaceLabel(ns)}'s ${kind} is named ${JSON.stringify(names[0])}; it must be named default`;
      if (message) out.push(diagnostic("quota/single-default", { resource: ns.resource, path, message }));
    }
  }
  return out;
}

const LIMIT_ORDER = ["min", "defaultRequest", "default", "max"] as const;

/**
 * quota/limitrange-order: for each resource of a LimitRange entry, defaultRequest ≤ default ≤ max
 * (and min ≤ defaultRequest, as the Kubernetes API validates). Unknown bounds are skipped; the
 * known ones are compared in order, so a violation of any pair is found.
 */
export function checkLimitRangeOrder(facts: QuotaFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const lr of facts.limitRanges ?? []) {
    const label = `LimitRange ${quoted(lr.name, lr.resource)}${lr.namespace ? ` (namespace ${JSON.stringify(lr.namespace)})` : ""}`;
    (lr.limits ?? []).forEach((entry, i) => {
      const base = `${fieldPath(lr, "limits")}[${i}]`;
      const resources = new Set(LIMIT_ORDER.flatMap((b) => Object.keys(entry[b] ?? {})));
      for (const resource of resources) {
        const chain: { bound: string; text: string; value: Quantity; path: string }[] = [];
        for (const bound of LIMIT_ORDER) {
          const text = entry[bound]?.[resource];
          if (typeof text !== "string") continue;
          const path = keyPath(`${base}.${bound}`, resource);
          const r = tryParseQuantity(text);
          if (!r.ok) {
            out.push(
              diagnostic("quota/limitrange-order", {
                resource: lr.resource,
                path,
                message: `${label} limits[${i}] ${bound}.${resource} ${JSON.stringify(text)} is not a Kubernetes quantity: ${r.reason}`,
              }),
            );
            continue;
          }
          chain.push({ bound, text, value: r.quantity, path });
        }
        for (let k = 1; k < chain.length; k++) {
          const lo = chain[k - 1] as (typeof chain)[number];
          const hi = chain[k] as (typeof chain)[number];
          if (compareQuantities(lo.value, hi.value) <= 0) continue;
          out.push(
            diagnostic("quota/limitrange-order", {
              resource: lr.resource,
              path: lo.path,
              message: `${label} limits[${i}] ${resource}: ${lo.bound} ${lo.text} > ${hi.bound} ${hi.text} (needs defaultRequest ≤ default ≤ max)`,
            }),
          );
        }
      }
    });
  }
  return out;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Why `name` is not a Kubernetes qualified name (`[prefix/]name`, seed 001:4388–4404), or
 * undefined when it is one. The name part: ≤ 63 characters of letters, digits, '-', '_', '.',
 * starting and ending alphanumeric; the prefix: a DNS subdomain, ≤ 253 characters of dot-separated
 * lowercase labels (each ≤ 63, alphanumeric at both ends, '-' inside).
 */
export function qualifiedNameProblem(name: string): string | undefined {
  const parts = name.split("/");
  if (parts.length > 2) return "has more than one '/'";
  const [prefix, local] = parts.length === 2 ? [parts[0] as string, parts[1] as string] : [undefined, name];
  if (prefix !== undefined) {
    if (prefix.length === 0) return "has an empty prefix before '/'";
    if (prefix.length > 253) return `prefix is ${prefix.length} characters long (max 253)`;
    for (const label of prefix.split(".")) {
      if (label.length > 63) return `prefix label ${JSON.stringify(label)} is longer than 63 characters`;
      if (!DNS_LABEL.test(label)) {
        return `prefix ${JSON.stringify(prefix)} is not a DNS subdomain (lowercase letters, digits, '-' and '.', alphanumeric at both ends of each label)`;
      }
    }
  }
  if (local.length === 0) return "has an empty name";
  if (local.length > 63) return `name part is ${local.length} characters long (max 63)`;
  if (!QUALIFIED_NAME.test(local)) {
    return `name part ${JSON.stringify(local)} must be letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** quota/reserved-name: custom quota items avoid the standard items and are qualified names. */
export function checkReservedName(facts: QuotaFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const reserved: readonly string[] = RESERVED_QUOTA_ITEMS;
  for (const ns of facts.namespaces ?? []) {
    for (const item of Object.keys(ns.customQuota ?? {})) {
      const path = keyPath(fieldPath(ns, "customQuota"), item);
      let message: string | undefined;
      if (reserved.includes(item)) {
        message = `${namespaceLabel(ns)} custom quota item ${JSON.stringify(item)} is reserved for the standard quota (reserved: ${RESERVED_QUOTA_ITEMS.join(", ")})`;
      } else {
        const problem = qualifiedNameProblem(item);
        if (problem) message = `${namespaceLabel(ns)} custom quota item ${JSON.stringify(item)} ${problem}`;
      }
      if (message) out.push(diagnostic("quota/reserved-name", { resource: ns.resource, path, message }));
    }
  }
  return out;
}

const STORAGE_CLASS_ITEM = /^(.+)\.storageclass\.storage\.k8s\.io\/.+$/;

/** The StorageClass a per-StorageClass quota item names (`gold.storageclass.storage.k8s.io/requests.storage` → gold). */
export function storageClassOfQuotaItem(item: string): string | undefined {
  return STORAGE_CLASS_ITEM.exec(item)?.[1];
}

/**
 * quota/storageclass-not-assigned: a per-StorageClass quota names a StorageClass assigned to the
 * project (seed 001:4339–4343). The assigned classes are those of every project fact that is or
 * may be (name or cluster unknown) the namespace's project on its cluster.
 */
export function checkStorageClassNotAssigned(facts: QuotaFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const ns of facts.namespaces ?? []) {
    if (ns.project === undefined) continue;
    // Project facts that are, or (of unknown name or cluster) may be, the namespace's project.
    const candidates = (facts.projects ?? []).filter(
      (p) =>
        (p.name === undefined || p.name === ns.project) &&
        (p.cluster === undefined || ns.cluster === undefined || p.cluster === ns.cluster),
    );
    if (!candidates.some((p) => p.name === ns.project)) continue;
    if (candidates.some((p) => !p.storageClasses || p.storageClasses.includes(undefined))) continue;
    const assigned = new Set(candidates.flatMap((p) => p.storageClasses as string[]));
    for (const field of ["quota", "customQuota"] as const) {
      for (const item of Object.keys(ns[field] ?? {})) {
        const sc = storageClassOfQuotaItem(item);
        if (sc === undefined || assigned.has(sc)) continue;
        out.push(
          diagnostic("quota/storageclass-not-assigned", {
            resource: ns.resource,
            path: keyPath(fieldPath(ns, field), item),
            message: `${namespaceLabel(ns)} quota ${JSON.stringify(item)} names StorageClass ${JSON.stringify(sc)}, which is not assigned to project ${JSON.stringify(ns.project)} (assigned: ${assigned.size === 0 ? "none" : listing([...assigned].sort())})`,
          }),
        );
      }
    }
  }
  return out;
}

/** quota/overcommit-ratio: a namespace overcommit ratio is absent (inherit), 0 (unlimited) or an integer > 1. */
export function checkOvercommitRatio(facts: QuotaFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const ns of facts.namespaces ?? []) {
    for (const resource of ["cpu", "memory"] as const) {
      const v: unknown = ns.overcommit?.[resource];
      if (v === undefined || v === null) continue;
      if (typeof v === "number" && (v === 0 || (Number.isInteger(v) && v > 1))) continue;
      out.push(
        diagnostic("quota/overcommit-ratio", {
          resource: ns.resource,
          path: keyPath(fieldPath(ns, "overcommit"), resource),
          message: `${namespaceLabel(ns)} ${resource} overcommit ratio ${JSON.stringify(v)} is not allowed: omit it to inherit the cluster's, 0 for unlimited, or an integer > 1`,
        }),
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Catalogue

/** Every quota/* rule id of RULES.md and its function. */
export const quotaRules: { readonly [K in QuotaRuleId]: QuotaRule } = {
  "quota/cluster-nodes": checkClusterNodes,
  "quota/node-pools-per-cluster": checkNodePoolsPerCluster,
  "quota/nodes-per-pool": checkNodesPerPool,
  "quota/scale-step": checkScaleStep,
  "quota/flannel-route-entries": checkFlannelRouteEntries,
  "quota/load-balancers": checkLoadBalancers,
  "quota/eips": checkEips,
  "quota/node-pool-security-groups": checkNodePoolSecurityGroups,
  "quota/autoscaler-instance-types": checkAutoscalerInstanceTypes,
  "quota/autoscaling-vcpu": checkAutoscalingVcpu,
  "quota/environment-budget": checkEnvironmentBudget,
  "quota/namespace-exceeds-project": checkNamespaceExceedsProject,
  "quota/single-default": checkSingleDefault,
  "quota/limitrange-order": checkLimitRangeOrder,
  "quota/reserved-name": checkReservedName,
  "quota/storageclass-not-assigned": checkStorageClassNotAssigned,
  "quota/overcommit-ratio": checkOvercommitRatio,
};

/** Run every quota rule. */
export function checkQuotas(facts: QuotaFacts): Diagnostic[] {
  return Object.values(quotaRules).flatMap((rule) => rule(facts));
}
