/**
 * The catalogue of quota rules: every `quota/*` rule id of RULES.md and its function, account
 * (accountQuota.ts) and tenancy (tenancyQuota.ts) alike, over one QuotaFacts.
 */
import type { Diagnostic } from "../diagnostic";
import {
  checkAutoscalerInstanceTypes,
  checkAutoscalingVcpu,
  checkClusterNodes,
  checkEips,
  checkEnvironmentBudget,
  checkFlannelRouteEntries,
  checkLoadBalancers,
  checkNodePoolSecurityGroups,
  checkNodePoolsPerCluster,
  checkNodesPerPool,
  checkScaleStep,
} from "./accountQuota";
import type { QuotaFacts, QuotaRule, QuotaRuleId } from "./quota";
import {
  checkLimitRangeOrder,
  checkNamespaceExceedsProject,
  checkOvercommitRatio,
  checkReservedName,
  checkSingleDefault,
  checkStorageClassNotAssigned,
} from "./tenancyQuota";

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
