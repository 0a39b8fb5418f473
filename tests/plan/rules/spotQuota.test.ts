/**
 * Spot capacity counts against a spot vCPU quota of its own (AWS L-34B43A08 beside the on-demand
 * L-1216C47A; Alibaba Cloud ECS vCPU quotas by billing method): quota/autoscaling-vcpu splits every
 * autoscaling pool into its on-demand and spot shares, and a Karpenter NodePool allowing both
 * capacity types into both.
 */
import {
  capacitySplit,
  checkAutoscalingVcpu,
  checkQuotas,
  type NodePoolQuotaFacts,
  parseEnvironment,
  quotaFactsFromEnvironment,
} from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const pool = (name: string, o: Partial<NodePoolQuotaFacts>): NodePoolQuotaFacts => ({
  resource: name,
  path: "",
  name,
  autoscaling: true,
  ...o,
});
const facts = (quotas: Record<string, number>, pools: NodePoolQuotaFacts[]) => ({
  cloud: "aws" as const,
  scope: { resource: "env", path: "" },
  quotas,
  clusters: [{ resource: "c", path: "clusters[0]", name: "c", nodePools: pools }],
});
const at = (ds: { path: string; message: string }[]) => ds.map((d) => [d.path, d.message]);

describe("capacitySplit", () => {
  it.each([
    [{}, 10, { onDemand: 10, spot: 0 }],
    [{ type: "spot" }, 10, { onDemand: 0, spot: 10 }],
    [{ type: "any" }, 10, { onDemand: 10, spot: 10 }],
    [{ type: "mixed", onDemandBase: 2, onDemandPercentage: 25 }, 10, { onDemand: 4, spot: 6 }],
    [{ type: "mixed", onDemandBase: 2, onDemandPercentage: 30 }, 10, { onDemand: 5, spot: 5 }],
    [{ type: "mixed", onDemandBase: 20, onDemandPercentage: 0 }, 10, { onDemand: 10, spot: 0 }],
  ] as const)("%j of %i", (capacity, n, split) => {
    expect(capacitySplit({ capacity: capacity as NodePoolQuotaFacts["capacity"] }, n)).toEqual(split);
  });

  it("a mixed pool's shares add up to its size, the on-demand share at least its base", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 100 }),
        (n, base, pct) => {
          const s = capacitySplit(
            { capacity: { type: "mixed", onDemandBase: base, onDemandPercentage: pct } },
            n,
          );
          expect(s.onDemand + s.spot).toBe(n);
          expect(s.onDemand).toBeGreaterThanOrEqual(Math.min(n, base));
          expect(s.spot).toBeGreaterThanOrEqual(0);
          expect(s.spot).toBeLessThanOrEqual(Math.floor(((n - Math.min(n, base)) * (100 - pct)) / 100));
        },
      ),
    );
  });
});

describe("quota/autoscaling-vcpu: spot against the spot quota", () => {
  const pools = [
    pool("od", { maxSize: 10, vcpu: 4 }),
    pool("spot", { maxSize: 20, vcpu: 4, capacity: { type: "spot" } }),
    pool("mix", {
      maxSize: 10,
      vcpu: 2,
      capacity: { type: "mixed", onDemandBase: 2, onDemandPercentage: 25 },
    }),
    pool("karp", { limits: { vcpu: 100 }, capacity: { type: "any" } }),
  ];

  it("counts each share against its own quota", () => {
    // on-demand 40 + 4×2 + 100 = 148; spot 80 + 6×2 + 100 = 192.
    expect(at(checkAutoscalingVcpu(facts({ autoscalingVcpu: 148, spotVcpu: 192 }, pools)))).toEqual([]);
    expect(at(checkAutoscalingVcpu(facts({ autoscalingVcpu: 147, spotVcpu: 191 }, pools)))).toEqual([
      [
        "quotas.autoscalingVcpu",
        "autoscaling pools can reach 148 on-demand vCPUs (max size × vCPU: od 10 × 4, mix 4 × 2 on-demand, karp limit 100) > vCPU declared quota 147 (quotas.autoscalingVcpu)",
      ],
      [
        "quotas.spotVcpu",
        "autoscaling pools can reach 192 spot vCPUs (max size × vCPU: spot 20 × 4, mix 6 × 2 spot, karp limit 100) > spot vCPU declared quota 191 (quotas.spotVcpu)",
      ],
    ]);
  });

  it("spot capacity never counts against the on-demand quota; no spot quota declared, none is checked", () => {
    const spotOnly = [pool("spot", { maxSize: 1000, vcpu: 4, capacity: { type: "spot" } })];
    expect(checkAutoscalingVcpu(facts({ autoscalingVcpu: 1 }, spotOnly))).toEqual([]);
    expect(checkAutoscalingVcpu({ ...facts({}, spotOnly), cloud: "alicloud" })).toEqual([]);
  });

  it("from the spec: an EKS spot node group and a Karpenter NodePool allowing spot", () => {
    const r = parseEnvironment({
      name: "aws-dev",
      cloud: "aws",
      region: "us-east-1",
      zones: ["us-east-1a", "us-east-1b"],
      vpc: { cidr: "10.0.0.0/16" },
      quotas: { autoscalingVcpu: 64, spotVcpu: 64 },
      clusters: [
        {
          name: "main",
          kubernetesVersion: "1.33",
          nodePools: [
            {
              name: "system",
              minSize: 2,
              maxSize: 4,
              autoscaling: true,
              instanceTypes: ["m6i.large"],
              vcpu: 2,
              default: true,
            },
            {
              name: "batch",
              minSize: 0,
              maxSize: 20,
              autoscaling: true,
              instanceTypes: ["m6i.xlarge"],
              vcpu: 4,
              capacity: { type: "spot" },
            },
          ],
          karpenter: {
            nodePools: [
              { name: "burst", capacityTypes: ["spot", "on-demand"], cpuLimit: 32, memoryLimitGiB: 128 },
            ],
          },
        },
      ],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const ds = checkQuotas(quotaFactsFromEnvironment(r.env)).filter(
      (d) => d.rule === "quota/autoscaling-vcpu",
    );
    // on-demand 4 × 2 + 32 = 40 ≤ 64; spot 20 × 4 + 32 = 112 > 64.
    expect(at(ds)).toEqual([
      [
        "quotas.spotVcpu",
        "autoscaling pools can reach 112 spot vCPUs (max size × vCPU: batch 20 × 4, burst limit 32) > spot vCPU declared quota 64 (quotas.spotVcpu)",
      ],
    ]);
  });
});
