/**
 * The generated fleet of `bench:preview` (bench/fleet.ts) stays a clean spec: it parses, plans
 * every cluster into its own slot, and breaks no mandatory rule, so the benchmark measures a
 * whole program run rather than an early refusal. A spec change that breaks the fleet fails here,
 * not silently in the benchmark.
 */
import { checkEnvironment, parseEnvironment } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";
import { FLEET_POOLS, FLEET_ZONES, fleetEnvironment, fleetName } from "../../bench/fleet";

describe("bench fleet", () => {
  it.each([1, 10, 50])("%i clusters: a valid spec with no mandatory diagnostic", (n) => {
    const parsed = parseEnvironment(fleetEnvironment(n), fleetName(n));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics, null, 2));
    expect(parsed.env.clusters).toHaveLength(n);
    expect(parsed.env.clusters.every((c) => c.nodePools.length === FLEET_POOLS)).toBe(true);
    const check = checkEnvironment(parsed.env);
    expect(check.diagnostics.filter((d) => d.severity === "mandatory")).toEqual([]);
    const slots = new Set(check.plan.clusters.map((c) => c.slotCidr));
    expect(slots.size).toBe(n);
    // Every cluster has a node and a pod vSwitch in each zone.
    for (const c of check.plan.clusters) {
      for (const zone of FLEET_ZONES) {
        const roles = check.plan.vswitches
          .filter((v) => v.cluster === c.name && v.zone === zone)
          .map((v) => v.role);
        expect(roles.sort()).toEqual(["node", "pod"]);
      }
    }
  });

  it("refuses sizes its address layout cannot hold", () => {
    expect(() => fleetEnvironment(0)).toThrow(RangeError);
    expect(() => fleetEnvironment(65)).toThrow(RangeError);
  });
});
