/**
 * Property tests of the address planner (issue 2): allocations never overlap, stay inside their
 * parents, avoid reserved and connected ranges, hold the planned capacity, survive growth
 * unmoved and are deterministic; no input, however broken, makes the planner throw.
 */

import type { Diagnostic, EnvironmentInput, EnvironmentPlan } from "@kubeplat/plan";
import { type Cidr, checkPlanRenumbered, parseCidr, planFromSpec } from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ClusterInput,
  cniOfInput,
  envSpecArb,
  expectedVSwitch,
  grownSpecArb,
  layoutOracle,
  type PoolInput,
  zoneLimits,
  zoneLoads,
  zonesOf,
} from "../support/arbitraries";

/** Keep the suite fast on two busy cores. */
const RUNS = { numRuns: 40 };

/** Reserved ranges a VPC may not touch (ACK docs: Network overview), written out here rather than imported. */
const RESERVED = ["100.64.0.0/10", "224.0.0.0/4", "127.0.0.0/8", "169.254.0.0/16"];

function c(text: string): Cidr {
  const p = parseCidr(text);
  if (!p.ok) throw new Error(`test fixture ${text}: ${p.reason}`);
  return p.cidr;
}
const inside = (outer: Cidr, inner: Cidr) =>
  outer.version === inner.version && outer.start <= inner.start && inner.end <= outer.end;
const meet = (a: Cidr, b: Cidr) => a.version === b.version && a.start <= b.end && b.start <= a.end;

/** Plan a spec that must parse. */
function plan(spec: unknown): EnvironmentPlan {
  const r = planFromSpec(spec);
  if (!r.ok) throw new Error(`spec did not parse: ${JSON.stringify(r.diagnostics)}`);
  return r.plan;
}
const mandatory = (ds: Diagnostic[]) => ds.filter((d) => d.severity === "mandatory");
const show = (ds: Diagnostic[]) => ds.map((d) => `${d.rule} ${d.path}: ${d.message}`);

describe("planner: valid specs", () => {
  it("plan with no mandatory diagnostic, and every allocation is a canonical CIDR", () => {
    fc.assert(
      fc.property(envSpecArb(), (spec) => {
        const p = plan(spec);
        expect(show(mandatory(p.diagnostics))).toEqual([]);
        expect(Object.keys(p.allocations).length).toBeGreaterThan(0);
        for (const text of Object.values(p.allocations)) {
          const parsed = parseCidr(text);
          expect(parsed.ok && parsed.cidr.text).toBe(text);
        }
      }),
      RUNS,
    );
  });

  it("allocations never overlap each other", () => {
    fc.assert(
      fc.property(envSpecArb(), (spec) => {
        const entries = Object.entries(plan(spec).allocations).map(([k, t]) => [k, c(t)] as const);
        const clashes: string[] = [];
        for (let i = 0; i < entries.length; i++) {
          for (let j = i + 1; j < entries.length; j++) {
            const [ka, a] = entries[i] as (typeof entries)[number];
            const [kb, b] = entries[j] as (typeof entries)[number];
            if (meet(a, b)) clashes.push(`${ka} ${a.text} / ${kb} ${b.text}`);
          }
        }
        expect(clashes).toEqual([]);
      }),
      RUNS,
    );
  });

  it("vSwitches lie in the VPC, in their cluster slot, at their fixed (cluster, zone, role) slot", () => {
    fc.assert(
      fc.property(envSpecArb(), (spec) => {
        const p = plan(spec);
        const o = layoutOracle(spec);
        const vpc = c(spec.vpc.cidr);
        for (const v of p.vswitches) {
          const cluster = p.clusters.find((x) => x.name === v.cluster);
          expect(cluster, v.key).toBeDefined();
          const slot = c(cluster?.slotCidr ?? "");
          expect(inside(vpc, c(v.cidr)), `${v.key} ${v.cidr} in vpc ${vpc.text}`).toBe(true);
          expect(inside(slot, c(v.cidr)), `${v.key} ${v.cidr} in slot ${slot.text}`).toBe(true);
          expect(v.cidr).toBe(expectedVSwitch(o, cluster?.slot ?? -1, spec.zones.indexOf(v.zone), v.role));
        }
        // Every cluster got a vSwitch per zone and role of its CNI.
        for (const [ci, cl] of (spec.clusters ?? []).entries()) {
          const overlay = spec.cloud === "aws" ? ["node", "public"] : ["node"];
          const roles = {
            terway: ["node", "pod"],
            flannel: ["node"],
            "vpc-cni": ["node", "public"],
            "kube-ovn": overlay,
            calico: overlay,
          }[cniOfInput(spec.cloud, cl)];
          const keys = zonesOf(spec, cl).flatMap((z) => roles.map((r) => `${cl.name}/${z}/${r}`));
          expect(p.clusters[ci]?.vswitchKeys).toEqual(keys);
        }
      }),
      RUNS,
    );
  });

  it("allocations never touch the reserved ranges or a connected range", () => {
    fc.assert(
      fc.property(envSpecArb(), (spec) => {
        const p = plan(spec);
        const forbidden = [
          ...RESERVED.map((t) => ({ name: "reserved", cidr: c(t) })),
          ...(spec.connectedRanges ?? []).map((r) => ({ name: r.name, cidr: c(r.cidr) })),
        ];
        for (const [key, text] of Object.entries(p.allocations)) {
          for (const f of forbidden) {
            expect(meet(c(text), f.cidr), `${key} ${text} vs ${f.name} ${f.cidr.text}`).toBe(false);
          }
        }
      }),
      RUNS,
    );
  });

  it("hold the requested capacity: no cidr/pod-capacity, and the report agrees with the spec", () => {
    fc.assert(
      fc.property(envSpecArb(), (spec) => {
        const p = plan(spec);
        expect(show(p.diagnostics.filter((d) => d.rule === "cidr/pod-capacity"))).toEqual([]);
        for (const [ci, cl] of (spec.clusters ?? []).entries()) {
          const cp = p.clusters[ci];
          const loads = zoneLoads(spec, cl);
          const maxNodes = (cl.nodePools ?? []).reduce((n, x) => n + x.maxSize, 0);
          expect(cp?.capacity.maxNodes).toBe(maxNodes);
          for (const z of cp?.capacity.zones ?? []) {
            expect(z.plannedNodes).toBe(loads.get(z.zone));
            expect(z.plannedNodes).toBeLessThanOrEqual(z.nodeCapacity);
            expect(z.plannedPods).toBe(z.plannedNodes * (cp?.maxPodsPerNode ?? 0));
            if (cp?.cni === "terway") expect(z.plannedPods).toBeLessThanOrEqual(z.podCapacity ?? -1);
            if (cp?.cni === "vpc-cni") {
              expect(z.plannedNodes + z.plannedPods).toBeLessThanOrEqual(z.nodeCapacity);
            }
          }
          if (cp?.cni === "flannel") {
            expect(cp.capacity.flannelNodeSlots ?? 0).toBeGreaterThanOrEqual(maxNodes);
            expect(cp.capacity.podAddresses).toBe(65536);
          }
        }
      }),
      RUNS,
    );
  });

  it("a pool beyond a zone's capacity is cidr/pod-capacity naming the cluster, and moves nothing", () => {
    fc.assert(
      fc.property(envSpecArb(), fc.nat(), (spec, pick) => {
        const clusters = spec.clusters ?? [];
        const ci = pick % clusters.length;
        const cl = clusters[ci] as ClusterInput;
        const lim = zoneLimits(layoutOracle(spec), cl);
        const k = zonesOf(spec, cl).length;
        // Per zone, one node more than the binding limit (node vSwitch, pod vSwitch or subnet).
        const cni = cniOfInput(spec.cloud, cl);
        const perZone =
          cni === "flannel"
            ? lim.nodeAddresses + 1
            : cni === "terway"
              ? Math.floor((lim.podAddresses ?? 0) / lim.maxPodsPerNode) + 1
              : Math.floor(lim.nodeAddresses / (1 + lim.maxPodsPerNode)) + 1;
        const over: PoolInput = {
          name: "over",
          minSize: 0,
          maxSize: perZone * k,
          instanceTypes: ["x.large"],
        };
        const bigger = structuredClone(spec);
        const target = (bigger.clusters ?? [])[ci] as ClusterInput;
        target.nodePools = [...(target.nodePools ?? []), over];
        const before = plan(spec);
        const after = plan(bigger);
        const found = after.diagnostics.filter((d) => d.rule === "cidr/pod-capacity");
        expect(found.length).toBeGreaterThan(0);
        expect(found.every((d) => d.severity === "mandatory")).toBe(true);
        expect(found.some((d) => d.message.includes(`cluster "${cl.name}"`))).toBe(true);
        expect(after.allocations).toEqual(before.allocations);
      }),
      RUNS,
    );
  });

  it("a Flannel cluster with more nodes than its pod CIDR has node ranges is cidr/pod-capacity", () => {
    const flannel = envSpecArb({ cloud: "alicloud" }).filter((s) =>
      (s.clusters ?? []).some((x) => x.cni === "flannel"),
    );
    fc.assert(
      fc.property(flannel, (spec) => {
        const bigger = structuredClone(spec);
        const ci = (bigger.clusters ?? []).findIndex((x) => x.cni === "flannel");
        const cl = (bigger.clusters ?? [])[ci] as ClusterInput;
        const slots = zoneLimits(layoutOracle(spec), cl).flannelSlots ?? 0;
        const total = (cl.nodePools ?? []).reduce((n, x) => n + x.maxSize, 0);
        cl.nodePools = [
          ...(cl.nodePools ?? []),
          { name: "over", minSize: 0, maxSize: slots - total + 1, instanceTypes: ["x"] },
        ];
        const found = plan(bigger).diagnostics.filter(
          (d) => d.rule === "cidr/pod-capacity" && d.path === `clusters[${ci}].nodeCidrMask`,
        );
        expect(show(found)).toHaveLength(1);
        expect(found[0]?.message).toContain(`gives ${slots.toLocaleString("en-US")} nodes a pod range`);
        expect(found[0]?.message).toContain(`plans ${(slots + 1).toLocaleString("en-US")} nodes`);
      }),
      { numRuns: 25 },
    );
  });
});

describe("planner: stability", () => {
  it("growth (zone, cluster, pool, larger pool) never moves an allocated range", () => {
    fc.assert(
      fc.property(grownSpecArb(), ({ spec, grown }) => {
        const before = plan(spec).allocations;
        const afterPlan = plan(grown);
        const after = afterPlan.allocations;
        for (const [key, text] of Object.entries(before)) expect(after[key], key).toBe(text);
        expect(checkPlanRenumbered(before, after)).toEqual([]);
        const withBaseline = planFromSpec(grown, { baseline: before });
        expect(withBaseline.ok && withBaseline.plan.diagnostics.map((d) => d.rule)).not.toContain(
          "cidr/plan-renumbered",
        );
        // Growth can only run out of capacity, never make the plan otherwise invalid.
        expect(show(mandatory(afterPlan.diagnostics).filter((d) => d.rule !== "cidr/pod-capacity"))).toEqual(
          [],
        );
      }),
      RUNS,
    );
  });

  it("reordering zones or dropping an unpinned earlier cluster is caught as cidr/plan-renumbered", () => {
    const multi = envSpecArb().filter(
      (s) => s.zones.length >= 2 && (s.clusters ?? []).some((x) => x.zones === undefined),
    );
    fc.assert(
      fc.property(multi, (spec) => {
        const before = plan(spec).allocations;
        const swapped = structuredClone(spec);
        swapped.zones = [swapped.zones[1] as string, swapped.zones[0] as string, ...swapped.zones.slice(2)];
        const moved = checkPlanRenumbered(before, plan(swapped).allocations, spec.name);
        expect(moved.length).toBeGreaterThan(0);
        for (const d of moved) {
          expect(d.rule).toBe("cidr/plan-renumbered");
          expect(d.severity).toBe("mandatory");
          expect(d.resource).toBe(spec.name);
          const key = /^allocations\["(.+)"\]$/.exec(d.path)?.[1] ?? "";
          expect(d.message).toContain(`${key} moved from ${before[key]} to `);
        }
      }),
      { numRuns: 30 },
    );
    const twoUnpinned = envSpecArb().filter(
      (s) => (s.clusters ?? []).length >= 2 && (s.clusters ?? []).every((x) => x.slot === undefined),
    );
    fc.assert(
      fc.property(twoUnpinned, (spec) => {
        const before = plan(spec).allocations;
        const dropped = structuredClone(spec);
        dropped.clusters = (dropped.clusters ?? []).slice(1);
        expect(checkPlanRenumbered(before, plan(dropped).allocations).length).toBeGreaterThan(0);
        // Pinning the survivors' slots keeps every range in place.
        const pinned = structuredClone(spec);
        pinned.clusters = (pinned.clusters ?? []).map((x, i) => ({ ...x, slot: i })).slice(1);
        expect(checkPlanRenumbered(before, plan(pinned).allocations)).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });

  it("the same spec always gives the same plan, deep-equal and JSON-stable", () => {
    fc.assert(
      fc.property(envSpecArb(), (spec) => {
        const a = plan(spec);
        const b = plan(structuredClone(spec));
        expect(b).toEqual(a);
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
        expect(JSON.parse(JSON.stringify(a))).toEqual(a);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Fuzzing: bad input is a diagnostic, never an exception.

const BAD_CIDRS = [
  "10.0.0.1/16",
  "10.0.0.0/33",
  "10.0.0.0/-1",
  "10.0.0.0/000",
  "10.0.0.0/08",
  "10.0.0.0/",
  "10.0.0.0",
  "/16",
  "256.0.0.0/8",
  "10.0.0.0/16 ",
  "",
  "not-a-cidr",
  "fd00::1/64",
  "::/129",
  // IPv6 in an IPv4 field
  "fd00::/64",
  "2001:db8::/32",
];
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(...BAD_CIDRS, "::/0", "fd00::/8", "0.0.0.0/0", "224.0.0.0/4", "100.64.0.0/10"),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0, -1, 33, 64, 129, 2 ** 31, Number.MAX_SAFE_INTEGER, 1e300, 0.5, Number.NaN, Infinity),
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);

type Path = (string | number)[];

/** Every path of a JSON value (objects, arrays and leaves), root excluded. */
function pathsOf(v: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => [[...prefix, i], ...pathsOf(x, [...prefix, i])]);
  if (v !== null && typeof v === "object") {
    return Object.entries(v).flatMap(([k, x]) => [[...prefix, k], ...pathsOf(x, [...prefix, k])]);
  }
  return [];
}

function setPath(root: unknown, path: Path, value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined && !Array.isArray(node)) delete node[last];
  else node[last] = value;
}

/** A planner result is well-formed: diagnostics name a rule, a path and a message. */
function expectWellFormed(r: ReturnType<typeof planFromSpec>): void {
  const ds = r.ok ? r.plan.diagnostics : r.diagnostics;
  if (!r.ok) expect(ds.length).toBeGreaterThan(0);
  for (const d of ds) {
    expect(d.rule).toMatch(/^(cidr|cluster|spec|quota)\//);
    expect(["mandatory", "advisory"]).toContain(d.severity);
    expect(d.path).not.toBe("");
    expect(d.message.length).toBeGreaterThan(10);
  }
  if (!r.ok) for (const d of ds) expect(d.rule).toBe("spec/schema");
}

describe("planner: fuzzing never throws", () => {
  it("arbitrary JSON-ish input gives spec/schema diagnostics or a plan", () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3 }), (input) => {
        expectWellFormed(planFromSpec(input));
      }),
      { numRuns: 150 },
    );
  });

  it("a valid spec with one field replaced or deleted gives diagnostics or a plan", () => {
    const mutated = envSpecArb().chain((spec) => {
      const paths = pathsOf(spec);
      return fc
        .tuple(fc.integer({ min: 0, max: paths.length - 1 }), nastyValue, fc.nat())
        .map(([i, value, second]) => {
          const s = structuredClone(spec) as unknown;
          setPath(s, paths[i] as Path, value);
          // Sometimes a second mutation, so two problems meet.
          const again = pathsOf(s);
          if (second % 3 === 0 && again.length > 0) {
            try {
              setPath(s, again[second % again.length] as Path, value);
            } catch {
              // the first mutation removed the parent: one mutation is enough
            }
          }
          return s;
        });
    });
    fc.assert(
      fc.property(mutated, (input) => {
        expectWellFormed(planFromSpec(input));
      }),
      { numRuns: 120 },
    );
  });

  it("any VPC prefix and any layout prefixes give a plan or diagnostics, never an exception", () => {
    const prefix = fc.option(fc.integer({ min: -8, max: 200 }), { nil: undefined });
    fc.assert(
      fc.property(
        envSpecArb(),
        fc.integer({ min: 0, max: 32 }),
        fc.record({
          clusterPrefix: prefix,
          zonePrefix: prefix,
          nodePrefix: prefix,
          podPrefix: prefix,
          publicPrefix: prefix,
        }),
        (spec, vpcPrefix, layout) => {
          const s = structuredClone(spec) as EnvironmentInput;
          const address = s.vpc.cidr.split("/")[0] as string;
          const vpc = parseCidr(`${address}/${vpcPrefix}`);
          s.vpc.cidr = vpc.ok ? vpc.cidr.text : (vpc.canonical ?? s.vpc.cidr);
          s.vpc.layout = Object.fromEntries(Object.entries(layout).filter(([, v]) => v !== undefined));
          const r = planFromSpec(s);
          expectWellFormed(r);
          // A layout that yields no vSwitch at all says why.
          if (r.ok && r.plan.vswitches.length === 0)
            expect(mandatory(r.plan.diagnostics).length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 120 },
    );
  });

  it("a bad value in a CIDR field is cidr/invalid at that field, naming the value", () => {
    const withField = envSpecArb().chain((spec) => {
      const fields: Path[] = [["vpc", "cidr"]];
      for (const [i] of (spec.connectedRanges ?? []).entries()) fields.push(["connectedRanges", i, "cidr"]);
      for (const [i, cl] of (spec.clusters ?? []).entries()) {
        fields.push(["clusters", i, "serviceCidr"]);
        if (cniOfInput(spec.cloud, cl) === "flannel") fields.push(["clusters", i, "podCidr"]);
        if (cl.ipStack === "dual") fields.push(["clusters", i, "ipv6ServiceCidr"]);
      }
      fields.push(["vpc", "secondaryCidrs", 0]);
      return fc.tuple(fc.constant(spec), fc.constantFrom(...fields), fc.constantFrom(...BAD_CIDRS));
    });
    fc.assert(
      fc.property(withField, ([spec, field, bad]) => {
        // A well-formed IPv6 block is legal in a connected range and in ipv6ServiceCidr (where a
        // wrong range is a cidr/ipv6-service-range case); every other CIDR field is IPv4-only.
        const ipv6Ok = field[2] === "ipv6ServiceCidr" || field[0] === "connectedRanges";
        fc.pre(!(ipv6Ok && bad.includes(":") && parseCidr(bad).ok));
        const s = structuredClone(spec) as unknown;
        if (field[1] === "secondaryCidrs") (s as EnvironmentInput).vpc.secondaryCidrs = [];
        setPath(s, field, bad);
        const r = planFromSpec(s);
        if (!r.ok) throw new Error(show(r.diagnostics).join("\n"));
        const path = field.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("");
        const found = r.plan.diagnostics.filter((d) => d.rule === "cidr/invalid" && d.path === path);
        expect(
          show(found).length,
          `${path} = "${bad}": ${show(r.plan.diagnostics).join("; ")}`,
        ).toBeGreaterThan(0);
        for (const d of found) {
          expect(d.severity).toBe("mandatory");
          const p = parseCidr(bad);
          // Names the value; for host bits, the canonical form too.
          expect(d.message).toContain(p.ok ? p.cidr.text : bad);
          if (!p.ok && p.canonical) expect(d.message).toContain(p.canonical);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("planner: pod and service CIDRs when private space is scarce", () => {
  /** The /16s of 172.16.0.0/12 and 192.168.0.0/16 (the VPC takes 10.0.0.0/8). */
  const SIXTEENS = [...Array.from({ length: 16 }, (_, i) => `172.${16 + i}.0.0/16`), "192.168.0.0/16"];
  const scarceArb = fc
    .record({
      free: fc.uniqueArray(fc.integer({ min: 0, max: SIXTEENS.length - 1 }), { minLength: 1, maxLength: 2 }),
      clusters: fc.array(
        fc.record({
          cni: fc.constantFrom("flannel" as const, "terway" as const),
          nodeCidrMask: fc.integer({ min: 24, max: 28 }),
          maxSize: fc.integer({ min: 1, max: 48 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    })
    .map(({ free, clusters }) => {
      const spec = (cs: typeof clusters): EnvironmentInput => ({
        name: "scarce",
        cloud: "alicloud",
        region: "cn-hangzhou",
        zones: ["cn-hangzhou-i"],
        vpc: { cidr: "10.0.0.0/8" },
        connectedRanges: SIXTEENS.filter((_, i) => !free.includes(i)).map((cidr, i) => ({
          name: `peer-${i}`,
          kind: "vpn" as const,
          cidr,
        })),
        clusters: cs.map((x, i) => ({
          name: `c${i}`,
          cni: x.cni,
          nodeCidrMask: x.nodeCidrMask,
          nodePools: [{ name: "p", minSize: 0, maxSize: x.maxSize, instanceTypes: ["ecs.g7.xlarge"] }],
        })),
      });
      return { spec, clusters, free: free.map((i) => c(SIXTEENS[i] as string)) };
    });

  it("auto ranges share what is left, overlap nothing, and exhaustion names the field's own rule", () => {
    fc.assert(
      fc.property(scarceArb, ({ spec, clusters, free }) => {
        const p = plan(spec(clusters));
        const ranges = p.clusters.flatMap((x) => [x.podCidr, x.serviceCidr]).filter((t) => !!t) as string[];
        const cidrs = ranges.map(c);
        for (const [i, a] of cidrs.entries()) {
          // Inside the free space, so outside the VPC and every connected range.
          expect(
            free.some((f) => inside(f, a)),
            a.text,
          ).toBe(true);
          for (const b of cidrs.slice(i + 1)) expect(meet(a, b), `${a.text} / ${b.text}`).toBe(false);
        }
        // Every cluster fits: a /16 holds sixteen /20s, and each cluster needs at most a /18 and a /20.
        expect(show(mandatory(p.diagnostics))).toEqual([]);
        for (const [i, x] of p.clusters.entries()) {
          expect(x.serviceCidr).not.toBe("");
          if (clusters[i]?.cni === "flannel") expect(x.capacity.flannelNodeSlots).toBeGreaterThanOrEqual(48);
        }
      }),
      RUNS,
    );
  });

  it("adding a cluster or growing a pool within the route-entry quota moves no auto range", () => {
    fc.assert(
      fc.property(scarceArb, fc.integer({ min: 1, max: 48 }), ({ spec, clusters }, bigger) => {
        const before = plan(spec(clusters)).allocations;
        const grownClusters = [
          ...clusters.map((x, i) => (i === 0 ? { ...x, maxSize: Math.max(x.maxSize, bigger) } : x)),
          { cni: "flannel" as const, nodeCidrMask: 26, maxSize: 3 },
        ];
        const after = plan(spec(grownClusters)).allocations;
        for (const [key, text] of Object.entries(before)) expect(after[key], key).toBe(text);
      }),
      RUNS,
    );
  });

  it("no private space left: the pod CIDR is cidr/pod-capacity, the service CIDR cidr/service-overlaps-vpc", () => {
    const spec: EnvironmentInput = {
      name: "full",
      cloud: "alicloud",
      region: "cn-hangzhou",
      zones: ["cn-hangzhou-i"],
      vpc: { cidr: "10.0.0.0/8" },
      connectedRanges: SIXTEENS.map((cidr, i) => ({ name: `peer-${i}`, kind: "vpn" as const, cidr })),
      clusters: [{ name: "f", cni: "flannel", nodePools: [] }],
    };
    expect(
      mandatory(plan(spec).diagnostics)
        .map((d) => `${d.rule} ${d.path}`)
        .sort(),
    ).toEqual(["cidr/pod-capacity clusters[0].podCidr", "cidr/service-overlaps-vpc clusters[0].serviceCidr"]);
  });
});
