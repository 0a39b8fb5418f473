/**
 * cluster/version-supported and cluster/version-skew on tables of before/after versions, and
 * the property the issue names: any path of allowed single-minor steps passes, any jump fails.
 */

import {
  checkUpgradeSnapshot,
  checkVersionSkew,
  checkVersionSupported,
  kubeletSkew,
  minorNumber,
  todayUtc,
  type VersionFacts,
} from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const cluster = (over: Partial<VersionFacts>): VersionFacts => ({
  resource: "prod",
  path: "clusters[0]",
  name: "prod",
  cloud: "aws",
  production: true,
  ...over,
});

describe("cluster/version-supported", () => {
  it("passes a version in standard support on the day and refuses it the day after its end", () => {
    // EKS 1.33: standard support until 2026-07-29 (versions.ts).
    expect(checkVersionSupported(cluster({ version: "1.33" }), "2026-07-29")).toEqual([]);
    const [d] = checkVersionSupported(cluster({ version: "1.33" }), "2026-07-30");
    expect(d).toMatchObject({
      rule: "cluster/version-supported",
      severity: "mandatory",
      path: "clusters[0].kubernetesVersion",
    });
    expect(d?.message).toContain("ended on 2026-07-29");
    expect(d?.message).toContain("extended support until 2027-07-29");
  });

  it("is advisory outside production", () => {
    const [d] = checkVersionSupported(
      cluster({ version: "1.30.7-aliyun.1", cloud: "alicloud", production: false }),
      "2026-11-28",
    );
    expect(d?.severity).toBe("advisory");
  });

  it("says nothing of unknown versions or clouds", () => {
    expect(checkVersionSupported(cluster({ version: undefined }), "2030-01-01")).toEqual([]);
    expect(checkVersionSupported(cluster({ cloud: undefined, version: "1.30" }), "2030-01-01")).toEqual([]);
  });

  it("defaults to today's UTC date", () => {
    expect(todayUtc(new Date("2026-11-28T23:59:59Z"))).toBe("2026-11-28");
  });
});

describe("cluster/version-skew", () => {
  const table: [string, string, number][] = [
    ["1.34", "1.34", 0],
    ["1.34", "1.35", 0],
    ["1.33", "1.35", 1],
    ["1.35", "1.34", 1],
    ["1.31.1-aliyun.1", "1.33.3-aliyun.1", 1],
    ["1.35.7-aliyun.1", "1.36.1-aliyun.1", 0],
  ];
  it.each(table)("control plane %s → %s: %i diagnostic(s)", (before, after, n) => {
    expect(checkVersionSkew(cluster({ baseline: before, version: after }))).toHaveLength(n);
  });

  it("refuses pools newer than the control plane or further behind than the skew policy", () => {
    const d = checkVersionSkew(
      cluster({
        version: "1.33",
        pools: [
          { resource: "a", path: "p.a", name: "a", version: "1.34" },
          { resource: "b", path: "p.b", name: "b", version: "1.30" },
          { resource: "c", path: "p.c", name: "c", version: "1.29" },
        ],
      }),
    );
    expect(d.map((x) => x.path)).toEqual(["p.a", "p.c"]);
    expect(d[1]?.message).toContain("allows 3");
  });

  it("uses n-2 below Kubernetes 1.28 and n-3 from 1.28 (Version Skew Policy)", () => {
    expect(kubeletSkew(27)).toBe(2);
    expect(kubeletSkew(28)).toBe(3);
  });

  it("any path of single-minor steps passes, any jump fails", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 20, max: 40 }),
        fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 12 }),
        fc.integer({ min: 2, max: 8 }),
        (start, steps, jump) => {
          let v = start;
          for (const s of steps) {
            const next = v + s;
            expect(checkVersionSkew(cluster({ baseline: `1.${v}`, version: `1.${next}` }))).toEqual([]);
            v = next;
          }
          const jumped = checkVersionSkew(cluster({ baseline: `1.${v}`, version: `1.${v + jump}` }));
          expect(jumped.map((d) => d.rule)).toEqual(["cluster/version-skew"]);
        },
      ),
    );
  });

  it("pools following the control plane within the skew always pass; beyond it always fail", () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 40 }), fc.integer({ min: -2, max: 8 }), (cp, lag) => {
        const d = checkVersionSkew(
          cluster({ version: `1.${cp}`, pools: [{ resource: "p", path: "p", version: `1.${cp - lag}` }] }),
        );
        const allowed = lag >= 0 && lag <= kubeletSkew(cp);
        expect(d.length === 0).toBe(allowed);
      }),
    );
  });

  it("reads minors of both clouds' spellings", () => {
    expect(minorNumber("1.35.7-aliyun.1")).toBe(35);
    expect(minorNumber("1.35")).toBe(35);
    expect(minorNumber("v1.9.2")).toBe(9);
    expect(minorNumber("latest")).toBeUndefined();
  });
});

describe("cluster/upgrade-snapshot", () => {
  it("advises a snapshot before a production upgrade, not a dev one or an unchanged version", () => {
    const up = checkUpgradeSnapshot(cluster({ baseline: "1.34", version: "1.35" }));
    expect(up.map((d) => [d.rule, d.severity])).toEqual([["cluster/upgrade-snapshot", "advisory"]]);
    expect(checkUpgradeSnapshot(cluster({ baseline: "1.34", version: "1.35", production: false }))).toEqual(
      [],
    );
    expect(checkUpgradeSnapshot(cluster({ baseline: "1.35", version: "1.35" }))).toEqual([]);
  });
});
