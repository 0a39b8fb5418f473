/**
 * The node counts of a node pool the quota rules judge (quota/nodes-per-pool, quota/cluster-nodes,
 * quota/flannel-route-entries, quota/scale-step, quota/autoscaling-vcpu): the size the program
 * requests (node/pool-size). An autoscaling pool can grow to its maxSize and its desired size is
 * the autoscaler's; a fixed pool holds exactly its desired size, whatever maxSize says.
 *
 * One function for the spec's quota facts (environmentQuotaFacts.ts) and each node pool
 * component's own check (AckNodePool, EksNodeGroup), so the layers count the same number.
 */
import type { NodePoolQuotaFacts } from "./rules/quota";

export interface PoolSizeInput {
  autoscaling: boolean;
  /** Fewest nodes: a fixed pool without a desired size requests this many. */
  minSize?: number;
  maxSize?: number;
  /** The desired size the program registers, when it registers one. */
  desiredSize?: number;
}

export type RequestedPoolSize = Required<Pick<NodePoolQuotaFacts, "autoscaling">> &
  Pick<NodePoolQuotaFacts, "maxSize" | "desiredSize">;

export function requestedPoolSize(pool: PoolSizeInput): RequestedPoolSize {
  if (pool.autoscaling) return { autoscaling: true, maxSize: pool.maxSize };
  return { autoscaling: false, desiredSize: pool.desiredSize ?? pool.minSize };
}
