import {
  DEFAULT_EVICTION_HARD,
  EVICTION_SIGNALS,
  evictionMap,
  evictionStatements,
  formatEvictionThreshold,
  kubeletConfiguration,
  MAX_PODS_LIMIT,
  mergeEviction,
  PERCENTAGE_ONLY_SIGNALS,
  parseEvictionThreshold,
  resolveKubeletSettings,
  terwayMaxPods,
} from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

const signal = fc.constantFrom(...EVICTION_SIGNALS);
const percent = fc.integer({ min: 1, max: 100 }).map((n) => `${n}%`);
const quantity = fc
  .tuple(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom("", "Ki", "Mi", "Gi", "k", "M", "G"))
  .map(([n, s]) => `${n}${s}`);
const statement = signal.chain((s) =>
  (PERCENTAGE_ONLY_SIGNALS.includes(s) ? percent : fc.oneof(percent, quantity)).map((v) => `${s}<${v}`),
);

describe("eviction thresholds", () => {
  it("documents the kubelet's default hard thresholds (Alauda Container Platform docs: Handling resource exhaustion errors)", () => {
    expect(DEFAULT_EVICTION_HARD).toEqual([
      "memory.available<100Mi",
      "nodefs.available<10%",
      "nodefs.inodesFree<5%",
      "imagefs.available<15%",
    ]);
    for (const s of DEFAULT_EVICTION_HARD) expect(parseEvictionThreshold(s).ok).toBe(true);
  });

  it("parses every well-formed statement and formats it back unchanged", () => {
    fc.assert(
      fc.property(statement, (s) => {
        const r = parseEvictionThreshold(s);
        expect(r.ok).toBe(true);
        if (r.ok) expect(formatEvictionThreshold(r.threshold)).toBe(s);
      }),
    );
  });

  it("round-trips statements through the {signal: value} map", () => {
    fc.assert(
      fc.property(fc.uniqueArray(statement, { selector: (s) => s.split("<")[0] }), (list) => {
        expect(evictionStatements(evictionMap(list))).toEqual([...list].sort());
      }),
    );
  });

  it("names the part at fault", () => {
    const reason = (s: string) => {
      const r = parseEvictionThreshold(s);
      return r.ok ? "ok" : r.reason;
    };
    expect(reason("memory.available")).toContain("not of the form <signal><operator><quantity>");
    expect(reason("memory.free<100Mi")).toContain('unknown eviction signal "memory.free"');
    expect(reason("memory.available>100Mi")).toContain('operator ">" is not supported');
    expect(reason("nodefs.inodesFree<1000")).toContain("nodefs.inodesFree must be a percentage, not 1000");
    expect(reason("imagefs.inodesFree<5Mi")).toContain("imagefs.inodesFree must be a percentage");
    expect(reason("nodefs.available<120%")).toContain("percentage 120% is outside (0%, 100%]");
    expect(reason("nodefs.available<0%")).toContain("outside");
    expect(reason("memory.available<lots")).toContain('quantity "lots"');
  });

  it("rejects any percentage-only signal given a plain quantity", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PERCENTAGE_ONLY_SIGNALS), quantity, (s, q) => {
        expect(parseEvictionThreshold(`${s}<${q}`).ok).toBe(false);
      }),
    );
  });

  it("merges overrides over defaults by signal and keeps unparsable statements for the rule", () => {
    expect(
      mergeEviction(DEFAULT_EVICTION_HARD, ["memory.available<500Mi", "imagefs.inodesFree<10%", "bogus"]),
    ).toEqual([
      "memory.available<500Mi",
      "nodefs.available<10%",
      "nodefs.inodesFree<5%",
      "imagefs.available<15%",
      "imagefs.inodesFree<10%",
      "bogus",
    ]);
  });

  it("merging keeps every default signal and every override value", () => {
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 8 }), (overrides) => {
        const merged = evictionMap(mergeEviction(DEFAULT_EVICTION_HARD, overrides));
        for (const d of Object.keys(evictionMap(DEFAULT_EVICTION_HARD))) expect(merged[d]).toBeDefined();
        const last = evictionMap(overrides);
        for (const [k, v] of Object.entries(last)) expect(merged[k]).toBe(v);
      }),
    );
  });
});

describe("kubelet settings", () => {
  it("applies the documented defaults: eviction thresholds, swap off, cluster.local, no max pods", () => {
    expect(resolveKubeletSettings()).toEqual({
      evictionHard: [...DEFAULT_EVICTION_HARD],
      evictionSoft: [],
      evictionSoftGracePeriod: {},
      swap: false,
      systemReserved: {},
      kubeReserved: {},
      clusterDns: [],
      clusterDomain: "cluster.local",
    });
    expect(resolveKubeletSettings({}, { defaultMaxPods: 110 }).maxPods).toBe(110);
    expect(resolveKubeletSettings({ maxPods: 64 }, { defaultMaxPods: 110 }).maxPods).toBe(64);
  });

  it("renders a KubeletConfiguration that refuses swap and carries the thresholds", () => {
    const s = resolveKubeletSettings({
      maxPods: 110,
      evictionSoft: ["memory.available<500Mi"],
      evictionSoftGracePeriod: { "memory.available": "1m30s" },
      clusterDns: ["10.96.0.10"],
    });
    const doc = kubeletConfiguration(s, {
      taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }],
    });
    const back = parseYaml(stringifyYaml(doc));
    expect(back).toMatchObject({
      kind: "KubeletConfiguration",
      failSwapOn: true,
      maxPods: 110,
      clusterDNS: ["10.96.0.10"],
      evictionHard: {
        "memory.available": "100Mi",
        "nodefs.available": "10%",
        "nodefs.inodesFree": "5%",
        "imagefs.available": "15%",
      },
      evictionSoft: { "memory.available": "500Mi" },
      evictionSoftGracePeriod: { "memory.available": "1m30s" },
      registerWithTaints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }],
    });
    expect(back.memorySwap).toBeUndefined();
    expect(kubeletConfiguration(resolveKubeletSettings({ swap: true })).failSwapOn).toBe(false);
  });
});

describe("max pods", () => {
  it("is at most 256 (Alauda Container Platform docs: Creating an on-premise cluster)", () => {
    expect(MAX_PODS_LIMIT).toBe(256);
  });

  it("Terway capacity follows ACK docs: Work with Terway", () => {
    expect(terwayMaxPods("shared", 4, 15)).toBe(45);
    expect(terwayMaxPods("exclusive", 4, 15)).toBe(3);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 50 }), (enis, ips) => {
        const shared = terwayMaxPods("shared", enis, ips);
        expect(shared).toBe(Math.max(0, enis - 1) * ips);
        expect(terwayMaxPods("shared", enis + 1, ips)).toBeGreaterThanOrEqual(shared);
        expect(terwayMaxPods("exclusive", enis, ips)).toBeLessThanOrEqual(Math.max(shared, enis));
      }),
    );
  });
});
