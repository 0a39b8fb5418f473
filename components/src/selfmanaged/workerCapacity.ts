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

/** An ESS scaling group's and scaling configuration's capacity settings for a pool. */
export interface EssCapacity {
  /** `BALANCE` (even across zones) for on-demand; `COST_OPTIMIZED` (cheapest first) with spot. */
  multiAzPolicy: "BALANCE" | "COST_OPTIMIZED";
  /** COST_OPTIMIZED only. */
  onDemandBaseCapacity?: number;
  onDemandPercentageAboveBaseCapacity?: number;
  /** The instance types ESS spreads spot instances over (1 to 10). */
  spotInstancePools?: number;
  /** Replace a spot instance ESS is told will be reclaimed. */
  spotInstanceRemedy?: boolean;
  /** The scaling configuration's `spotStrategy`. */
  spotStrategy: "NoSpot" | "SpotAsPriceGo";
}

/**
 * The pool's capacity type on ESS (alicloud provider: ess.ScalingGroup `multiAzPolicy`,
 * `onDemandBaseCapacity`, `onDemandPercentageAboveBaseCapacity`, `spotInstancePools`, which take
 * effect under `COST_OPTIMIZED`; ess.ScalingConfiguration `spotStrategy`). On-demand: evenly over
 * the zones, no spot. Spot: no on-demand. Mixed: the base and percentage as the spec says.
 */
export function essCapacity(c: WorkerCapacityArgs, instanceTypeCount: number): EssCapacity {
  if (c.type === "on-demand") return { multiAzPolicy: "BALANCE", spotStrategy: "NoSpot" };
  const [base, percentage] = c.type === "spot" ? [0, 0] : [c.onDemandBase ?? 0, c.onDemandPercentage ?? 0];
  return {
    multiAzPolicy: "COST_OPTIMIZED",
    onDemandBaseCapacity: base,
    onDemandPercentageAboveBaseCapacity: percentage,
    spotInstancePools: Math.max(1, Math.min(instanceTypeCount, 10)),
    spotInstanceRemedy: true,
    spotStrategy: "SpotAsPriceGo",
  };
}
