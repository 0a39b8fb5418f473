/**
 * The quota facts of RULES.md (`quota/*`), their documented defaults and the helpers the rules
 * share. The rules themselves: accountQuota.ts (cloud account and environment limits: clusters,
 * node pools, load balancers, EIPs, security groups, vCPUs, the budget) and tenancyQuota.ts
 * (Kubernetes ResourceQuotas and LimitRanges of tenants); quotaRules.ts is the catalogue.
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
 * Limits are the platform's documented defaults (QUOTA_DEFAULTS, each citing its public source);
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
import type { Diagnostic, RuleId } from "../diagnostic";
import type { Quotas } from "../spec";

// ---------------------------------------------------------------------------------------------
// Defaults

/**
 * The documented quota defaults (each cites the public page it comes from).
 * Keys shared with the spec's QuotasSchema can be raised by declaring `quotas.<key>`.
 */
export const QUOTA_DEFAULTS = {
  /** Max nodes of an ACK Pro cluster: "默认配额最大1000节点" (ACK docs: FAQ about cluster management). */
  clusterNodes: 1000,
  /** The most an ACK Pro cluster's node quota can be raised to: "最大5000节点" (ACK docs: FAQ about cluster management). */
  clusterNodesCeiling: 5000,
  /** Max nodes of an ACK standard managed cluster, not raisable (upgrade to Pro) (ACK docs: FAQ about cluster management). */
  clusterNodesStandard: 100,
  /** Node pools per ACK cluster: "每个ACK集群默认20个节点池" (ACK docs: Node pool overview). */
  nodePoolsPerCluster: 20,
  /** Nodes per node pool: "每个节点池可申请创建1000个节点" (ACK docs: Node pool overview). */
  nodesPerPool: 1000,
  /** Nodes one scale-out operation may add: "单次操作可扩容最多500个节点" (ACK docs: Manage node pools). */
  scaleStep: 500,
  /** VPC route entries, one per Flannel node (ACK docs: Create a cluster; Considerations for configuring a LoadBalancer type Service). */
  routeEntries: 48,
  /** Pay-as-you-go SLB instances per account (ACK docs: Create a cluster; Considerations for configuring a LoadBalancer type Service). */
  loadBalancers: 60,
  /** Listeners per SLB instance (ACK docs: Considerations for configuring a LoadBalancer type Service). */
  listenersPerLoadBalancer: 50,
  /** Backend servers per SLB instance (ACK docs: Considerations for configuring a LoadBalancer type Service). */
  backendsPerLoadBalancer: 200,
  /** EIPs per account (ACK docs: Create a cluster). */
  eips: 20,
  /** Security groups per account (ACK docs: Create a cluster). */
  securityGroups: 100,
  /** Security groups of one node pool, all of one type (ACK docs: Manage node pools). Not raisable. */
  nodePoolSecurityGroups: 5,
  /** Instance types of one autoscaling group (ACK docs: Auto scaling of nodes). Not raisable. */
  autoscalerInstanceTypes: 10,
  /** Pay-as-you-go vCPUs per user and region (ACK docs: Auto scaling of nodes). */
  autoscalingVcpu: 50,
} as const;

/** Custom quota items that duplicate the standard quota fields (Alauda Container Platform docs: Creating namespaces). */
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

/** Normal or enterprise security group (ACK docs: Manage node pools); an enum in the component schema. */
export const SecurityGroupType = { Normal: "normal", Enterprise: "enterprise" } as const;
export type SecurityGroupType = (typeof SecurityGroupType)[keyof typeof SecurityGroupType];

export interface SecurityGroupFacts {
  id?: string;
  /** Normal or enterprise security group (ACK docs: Manage node pools). */
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
  /**
   * A pool bounded by resource limits rather than a node count (a Karpenter NodePool): what it can
   * reach is these, whatever the instance shapes.
   */
  limits?: { vcpu?: number; memoryGiB?: number };
  /**
   * How the pool buys its instances (spot instances count against a spot quota of their own,
   * quota/autoscaling-vcpu). `mixed`: the on-demand base, then a percentage of on-demand above it.
   * `any` (a Karpenter NodePool allowing both): it may reach its limits in either. Omitted: on-demand.
   */
  capacity?: {
    type: "on-demand" | "spot" | "mixed" | "any";
    onDemandBase?: number;
    onDemandPercentage?: number;
  };
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

/** A project's quota on one cluster (ACP projects: Alauda Container Platform docs: Creating namespaces). */
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
  /** StorageClasses assigned to the project (Alauda Container Platform docs: Importing namespaces). */
  storageClasses?: (string | undefined)[];
}

/** Per-namespace overcommit ratios (Alauda Container Platform docs: Overcommit ratio): absent inherits, 0 unlimited, else integer > 1. */
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
   * Custom ("other") quota items the namespace adds (Alauda Container Platform docs: Creating namespaces; Importing namespaces), same
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
// Helpers shared by the account and tenancy rules

/** A finite number (a known value). */
export function knownNumber(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

/** The path of `field` of an item. */
export function fieldPath(ref: FactRef, field: string): string {
  const override = ref.paths?.[field];
  if (override !== undefined) return override;
  return ref.path ? `${ref.path}.${field}` : field;
}

/** `base.key`, or `base["key"]` when the key is not an identifier (`quota["requests.cpu"]`). */
export function keyPath(base: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

/** A name for a message, JSON-quoted; the fallback (a resource label) when the name is unknown. */
export function quoted(s: string | undefined, fallback: string): string {
  return JSON.stringify(s ?? fallback);
}

/** A short list for messages: `a 10, b 20, … and 3 more`. */
export function listing(items: readonly string[], max = 8): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")}, … and ${items.length - max} more`;
}
