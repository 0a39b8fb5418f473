/**
 * quota/* policies. Per-resource limits (a node pool's size and instance types, a LimitRange,
 * a custom quota item, an overcommit ratio) are resource policies; sums and counts over the
 * stack (cluster nodes, pools per cluster, route entries, load balancers, EIPs, vCPUs, budget,
 * namespace quotas against project quotas, one default quota per namespace) are stack policies
 * sharing one QuotaFacts per stack.
 *
 * Not bound: quota/scale-step (needs the pool's size before the change, which policies do not see).
 */
import { type QuotaFacts, quotaRules } from "@kubeplat/plan";
import {
  kubernetesQuotaFacts,
  NAMESPACE_RATIO_TYPE,
  NODE_POOL_TYPES,
  poolOnlyQuotaFacts,
  stackQuotaFacts,
  T,
} from "@kubeplat/plan/facts";
import type { SettingKey } from "../config";
import type { ResourceBinding, StackBinding } from "../define";

type QuotaRuleId = keyof typeof quotaRules;

/**
 * Every setting stackQuotaFacts reads. All quota stack policies declare all of them, so they
 * receive the same config and share one QuotaFacts per stack.
 */
const STACK_SETTINGS: SettingKey[] = ["quotas", "budget", "projects", "projectLabel", "instanceTypes"];

const stack = (rule: QuotaRuleId, description: string): StackBinding<QuotaFacts> => ({
  scope: "stack",
  rule,
  description,
  key: "quota",
  settings: STACK_SETTINGS,
  facts: stackQuotaFacts,
  check: quotaRules[rule],
});

const resource = (
  rule: QuotaRuleId,
  description: string,
  types: readonly string[],
  settings: SettingKey[] = [],
): ResourceBinding<QuotaFacts> => ({
  scope: "resource",
  rule,
  description,
  types,
  settings,
  facts: (r, ctx, labels) =>
    NODE_POOL_TYPES.includes(r.type)
      ? poolOnlyQuotaFacts(r, ctx, labels)
      : kubernetesQuotaFacts(r, ctx, labels),
  check: quotaRules[rule],
});

export const quotaBindings = [
  stack(
    "quota/cluster-nodes",
    "Max nodes of a cluster (sum of node pools' max sizes) <= 100 (ACK standard) or 1,000 (Pro, raisable to 5,000; config quotas.clusterNodes).",
  ),
  stack(
    "quota/node-pools-per-cluster",
    "At most 20 node pools per cluster (config quotas.nodePoolsPerCluster).",
  ),
  resource(
    "quota/nodes-per-pool",
    "At most 1,000 nodes per node pool (config quotas.nodesPerPool).",
    NODE_POOL_TYPES,
    ["quotas"],
  ),
  stack(
    "quota/flannel-route-entries",
    "The max nodes of the Flannel clusters of a VPC <= its route-entry quota (default 48; config quotas.routeEntries).",
  ),
  stack(
    "quota/load-balancers",
    "Load balancers <= 60, listeners per load balancer <= 50 (config quotas.loadBalancers, quotas.listenersPerLoadBalancer).",
  ),
  stack("quota/eips", "EIPs <= 20 and security groups <= 100 (config quotas.eips, quotas.securityGroups)."),
  stack("quota/node-pool-security-groups", "A node pool uses at most 5 security groups, all of one type."),
  resource(
    "quota/autoscaler-instance-types",
    "An autoscaling node pool lists at most 10 instance types.",
    NODE_POOL_TYPES,
  ),
  stack(
    "quota/autoscaling-vcpu",
    "Sum over autoscaling pools of max size x vCPU (config instanceTypes) <= the region's vCPU quota (default 50; config quotas.autoscalingVcpu); spot shares against config quotas.spotVcpu where declared.",
  ),
  stack(
    "quota/environment-budget",
    "Clusters, nodes, vCPU, memory and load balancers stay within the budget (config budget, instanceTypes).",
  ),
  stack(
    "quota/namespace-exceeds-project",
    "For every resource, the sum of a project's namespace quotas on a cluster <= the project's quota there (config projects, projectLabel).",
  ),
  stack(
    "quota/single-default",
    "A tenant namespace (config projectLabel) has exactly one ResourceQuota and one LimitRange, each named default.",
  ),
  resource("quota/limitrange-order", "For each resource in a LimitRange: defaultRequest <= default <= max.", [
    T.limitRange,
  ]),
  resource(
    "quota/reserved-name",
    "A custom quota item is not a standard item and is a valid qualified name.",
    [T.resourceQuota],
  ),
  stack(
    "quota/storageclass-not-assigned",
    "A per-StorageClass quota names a StorageClass assigned to the project (config projects[].storageClasses).",
  ),
  resource(
    "quota/overcommit-ratio",
    "A namespace overcommit ratio (NamespaceResourceRatio) is absent, 0 or an integer > 1.",
    [NAMESPACE_RATIO_TYPE],
  ),
];
