/**
 * How a self-managed worker pool's auto scaling group launches its instances: every instance
 * type the spec lists, in its order of preference, and the pool's capacity type as the group's
 * instances distribution (EC2 Auto Scaling User Guide: "Auto Scaling groups with multiple instance
 * types and purchase options"). Pure, so the arithmetic is tested on its own.
 */
// The spec's enum, generated from its schema: the component package publishes it as an enum
// (the schema analyzer takes no union of string literals).
import type { NodeCapacityType } from "../platform/environmentSpec";

export interface WorkerCapacityArgs {
  /** `on-demand` (default), `spot`, or `mixed` (on-demand base, then a percentage above it). */
  type: NodeCapacityType;
  /** On-demand instances before any spot (mixed only). Default 0. */
  onDemandBase?: number;
  /** Percentage of on-demand above the base (mixed only). Default 0. */
  onDemandPercentage?: number;
}

export interface InstancesDistribution {
  onDemandAllocationStrategy: "prioritized";
  onDemandBaseCapacity: number;
  onDemandPercentageAboveBaseCapacity: number;
  spotAllocationStrategy: "price-capacity-optimized";
}

/**
 * The group's `mixedInstancesPolicy.instancesDistribution`. On-demand instances follow the spec's
 * order of instance types (`prioritized`); spot instances come from the pools with the most spare
 * capacity at the lowest price (`price-capacity-optimized`, the strategy AWS recommends).
 */
export function instancesDistribution(c: WorkerCapacityArgs): InstancesDistribution {
  const [base, percentage] =
    c.type === "spot"
      ? [0, 0]
      : c.type === "mixed"
        ? [c.onDemandBase ?? 0, c.onDemandPercentage ?? 0]
        : [0, 100];
  return {
    onDemandAllocationStrategy: "prioritized",
    onDemandBaseCapacity: base,
    onDemandPercentageAboveBaseCapacity: percentage,
    spotAllocationStrategy: "price-capacity-optimized",
  };
}
