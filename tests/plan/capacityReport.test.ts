/**
 * The capacity report: what each cluster can grow to and what bounds it first, in nodes and
 * vCPUs, with shared limits split between clusters; table cases for each kind of bound, a
 * property for the arithmetic, and the CLI's text and JSON.
 */
import { capacityReport, checkEnvironment, parseEnvironment, renderCapacity } from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { main } from "../../stacks/offline/cli";
import { captureOutput } from "../support/output";

function report(spec: Record<string, unknown>) {
  const r = parseEnvironment(spec);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return capacityReport(r.env, checkEnvironment(r.env).plan);
}

const ack = (clusters: unknown[], extra: Record<string, unknown> = {}) => ({
  name: "dev",
  cloud: "alicloud",
  region: "cn-hangzhou",
  zones: ["cn-hangzhou-i", "cn-hangzhou-j"],
  vpc: { cidr: "10.0.0.0/8" },
  clusters,
  ...extra,
});
const pool = (name: string, o: Record<string, unknown>) => ({ name, instanceTypes: ["ecs.g7.xlarge"], ...o });

describe("capacityReport", () => {
  it("the on-demand vCPU quota bounds an ACK cluster first: 20 × 4 vCPUs of 50", () => {
    const [c] = report(
      ack([{ name: "a", nodePools: [pool("p", { minSize: 1, maxSize: 20, autoscaling: true })] }]),
    );
    expect(c?.reach).toEqual({ nodes: 20, vcpu: 80, karpenter: false });
    expect(c?.boundBy).toMatchObject({ unit: "vCPUs", value: 50, reach: 80, path: "quotas.autoscalingVcpu" });
    expect(c?.growsTo).toEqual({ nodes: 20, vcpu: 50 });
  });

  it("shares the route table of a VPC between its Flannel clusters", () => {
    const flannel = (name: string, podCidr: string, max: number) => ({
      name,
      cni: "flannel",
      podCidr,
      nodePools: [pool("p", { minSize: max, maxSize: max, vcpu: 1 })],
    });
    const cs = report(ack([flannel("a", "172.20.0.0/16", 30), flannel("b", "172.21.0.0/16", 30)]));
    const route = (i: number) => cs[i]?.bounds.find((b) => b.path === "quotas.routeEntries");
    // 48 entries, the other cluster reaches 30: 18 left for each.
    expect(route(0)).toMatchObject({ value: 18, reach: 30 });
    expect(cs[0]?.boundBy?.path).toBe("quotas.routeEntries");
    expect(cs[0]?.growsTo.nodes).toBe(18);
  });

  it("spot capacity against the declared spot quota; a GPU pool's GPUs counted", () => {
    const [c] = report(
      ack(
        [
          {
            name: "a",
            nodePools: [
              pool("gpu", {
                minSize: 0,
                maxSize: 10,
                autoscaling: true,
                capacity: { type: "spot" },
                gpu: { count: 4 },
              }),
            ],
          },
        ],
        { quotas: { spotVcpu: 16 } },
      ),
    );
    expect(c?.reach.gpus).toBe(40);
    expect(c?.boundBy).toMatchObject({ path: "quotas.spotVcpu", value: 16, reach: 40 });
    expect(c?.bounds.some((b) => b.path === "quotas.autoscalingVcpu")).toBe(false);
  });

  it("pod addresses bound a Terway cluster with small pod vSwitches", () => {
    const [c] = report(
      ack(
        [
          {
            name: "a",
            maxPodsPerNode: 64,
            nodePools: [pool("p", { minSize: 0, maxSize: 300, autoscaling: true, vcpu: 1 })],
          },
        ],
        { vpc: { cidr: "192.168.0.0/20" }, quotas: { autoscalingVcpu: 10000 } },
      ),
    );
    const addr = c?.bounds.find((b) => b.path === "clusters[0].zones");
    expect(addr?.unit).toBe("nodes");
    expect(addr && addr.value < 300).toBe(true);
    expect(c?.boundBy).toEqual(addr);
    expect(renderCapacity([c as NonNullable<typeof c>])).toContain(`grows to ${addr?.value} nodes`);
  });

  it("never grows beyond its reach or any bound of the unit; boundBy iff a bound is exceeded", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            max: fc.integer({ min: 0, max: 400 }),
            vcpu: fc.integer({ min: 1, max: 16 }),
            autoscaling: fc.boolean(),
            spot: fc.boolean(),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
        (pools, budget) => {
          const cs = report(
            ack(
              [
                {
                  name: "a",
                  nodePools: pools.map((p, i) =>
                    pool(`p${i}`, {
                      minSize: p.max,
                      maxSize: p.max,
                      autoscaling: p.autoscaling,
                      vcpu: p.vcpu,
                      capacity: { type: p.spot ? "spot" : "on-demand" },
                    }),
                  ),
                },
              ],
              budget === undefined ? {} : { budget: { nodes: budget } },
            ),
          );
          for (const c of cs) {
            expect(c.growsTo.nodes).toBeLessThanOrEqual(c.reach.nodes);
            expect(c.growsTo.vcpu).toBeLessThanOrEqual(c.reach.vcpu);
            for (const b of c.bounds) {
              expect(b.value).toBeGreaterThanOrEqual(0);
              if (b.unit === "nodes") expect(c.growsTo.nodes).toBeLessThanOrEqual(b.value);
              if (b.unit === "vCPUs") expect(c.growsTo.vcpu).toBeLessThanOrEqual(b.value);
            }
            expect(c.boundBy !== undefined).toBe(c.bounds.some((b) => b.utilisation >= 1));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("kubeplat plan: the capacity report", () => {
  const io = captureOutput();

  it("text: each cluster's reach and its nearest bound", async () => {
    expect(await main(["staging", "--plan-only"])).toBe(0);
    expect(io.out).toContain("Capacity (what each cluster can grow to, and what bounds it first):");
    expect(io.out).toMatch(/ {2}staging: grows to \d+ nodes, \d+ vCPUs; /);
  });

  it("JSON: capacity per cluster with every bound, a Karpenter cluster marked", async () => {
    expect(await main(["aws-karpenter", "--plan-only", "--json"])).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.capacity).toHaveLength(1);
    expect(doc.capacity[0]).toMatchObject({ cluster: "aws-karpenter", reach: { karpenter: true } });
    expect(doc.capacity[0].bounds.map((b: { unit: string }) => b.unit)).toContain("nodes");
  });
});
