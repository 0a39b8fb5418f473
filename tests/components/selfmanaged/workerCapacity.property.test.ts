/**
 * A self-managed worker pool's auto scaling group gets the pool's capacity as its instances
 * distribution; the quota rules count the same pool with capacitySplit. The two must agree on
 * how many of n instances run on demand, as EC2 Auto Scaling fills a group: the on-demand base
 * first, then the on-demand percentage of the rest, rounded up.
 */
import { instancesDistribution } from "@kubeplat/components/internal/selfmanaged/workerCapacity";
import { capacitySplit } from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const capacity = fc.oneof(
  fc.record({ type: fc.constant("on-demand" as const) }),
  fc.record({ type: fc.constant("spot" as const) }),
  fc.record({
    type: fc.constant("mixed" as const),
    onDemandBase: fc.integer({ min: 0, max: 50 }),
    onDemandPercentage: fc.integer({ min: 0, max: 100 }),
  }),
);

describe("instancesDistribution", () => {
  it("launches as many on-demand instances as the quota rules count", () => {
    fc.assert(
      fc.property(capacity, fc.integer({ min: 0, max: 500 }), (c, n) => {
        const d = instancesDistribution(c);
        const base = Math.min(n, d.onDemandBaseCapacity);
        const onDemand = base + Math.ceil(((n - base) * d.onDemandPercentageAboveBaseCapacity) / 100);
        expect(onDemand).toBe(capacitySplit({ capacity: c }, n).onDemand);
      }),
    );
  });

  it("uses strategies EC2 Auto Scaling accepts", () => {
    // aws.autoscaling.Group mixedInstancesPolicy.instancesDistribution: on-demand "prioritized" or
    // "lowest-price"; spot "lowest-price", "capacity-optimized", "capacity-optimized-prioritized"
    // or "price-capacity-optimized" (EC2 Auto Scaling API: InstancesDistribution).
    const d = instancesDistribution({ type: "spot" });
    expect(["prioritized", "lowest-price"]).toContain(d.onDemandAllocationStrategy);
    expect([
      "lowest-price",
      "capacity-optimized",
      "capacity-optimized-prioritized",
      "price-capacity-optimized",
    ]).toContain(d.spotAllocationStrategy);
    expect(instancesDistribution({ type: "on-demand" }).onDemandPercentageAboveBaseCapacity).toBe(100);
    expect(d.onDemandPercentageAboveBaseCapacity).toBe(0);
  });
});
