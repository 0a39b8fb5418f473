/**
 * The subnet tags Kubernetes load balancers need on AWS (pure, no Pulumi import).
 *
 * The AWS Load Balancer Controller (and the in-tree cloud provider) discover subnets by tag:
 * public subnets carry `kubernetes.io/role/elb=1` (Alauda Container Platform docs: Network initialization for AWS EKS clusters), private subnets
 * `kubernetes.io/role/internal-elb=1`, and every subnet a cluster may use carries
 * `kubernetes.io/cluster/<cluster-name>=shared` (Alauda Container Platform docs: Network initialization for AWS EKS clusters).
 */
import type { VSwitchRole } from "@kubeplat/plan";

/** Public subnets: internet-facing load balancers (Alauda Container Platform docs: Network initialization for AWS EKS clusters). */
export const ELB_ROLE_TAG = "kubernetes.io/role/elb";
/** Private subnets: internal load balancers (the private counterpart of ELB_ROLE_TAG). */
export const INTERNAL_ELB_ROLE_TAG = "kubernetes.io/role/internal-elb";
/** `kubernetes.io/cluster/<name>` (Alauda Container Platform docs: Network initialization for AWS EKS clusters). */
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
