/**
 * The subnet tags Kubernetes load balancers need on AWS (pure, no Pulumi import).
 *
 * The AWS Load Balancer Controller (and the in-tree cloud provider) discover subnets by tag:
 * public subnets carry `kubernetes.io/role/elb=1` (seed 003:2003–2007), private subnets
 * `kubernetes.io/role/internal-elb=1`, and every subnet a cluster may use carries
 * `kubernetes.io/cluster/<cluster-name>=shared` (seed 003:1865, 2010–2014).
 */
import type { VSwitchRole } from "@kubeplat/plan";

/** Public subnets: internet-facing load balancers (seed 003:2003–2007). */
export const ELB_ROLE_TAG = "kubernetes.io/role/elb";
/** Private subnets: internal load balancers (the private counterpart of ELB_ROLE_TAG). */
export const INTERNAL_ELB_ROLE_TAG = "kubernetes.io/role/internal-elb";
/** `kubernetes.io/cluster/<name>` (seed 003:2010–2014). */
export const CLUSTER_TAG_PREFIX = "kubernetes.io/cluster/";

/** The `kubernetes.io/cluster/<name>` key of one cluster. */
export function clusterTagKey(clusterName: string): string {
  return `${CLUSTER_TAG_PREFIX}${clusterName}`;
}

/**
 * The Kubernetes discovery tags of one subnet.
 *
 * @param role planner role: `public` → internet-facing LB subnet; `node` → internal LB subnet;
 *   `pod` (VPC CNI custom networking) → no LB role, pods only.
 * @param clusterNames EKS names of the clusters that use the subnet; each gets `=shared`
 *   (several clusters may share one VPC, so never `owned`).
 */
export function kubernetesSubnetTags(
  role: VSwitchRole,
  clusterNames: readonly string[],
): Record<string, string> {
  const tags: Record<string, string> = {};
  if (role === "public") tags[ELB_ROLE_TAG] = "1";
  if (role === "node") tags[INTERNAL_ELB_ROLE_TAG] = "1";
  for (const c of [...new Set(clusterNames)].sort()) tags[clusterTagKey(c)] = "shared";
  return tags;
}
