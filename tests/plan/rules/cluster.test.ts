import {
  ALICLOUD_TAG_LIMITS,
  type ClusterFacts,
  checkCluster,
  checkControlPlaneCount,
  checkName,
  checkTags,
  checkZones,
  clusterRules,
  nameProblems,
} from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const base = (f: Partial<ClusterFacts> = {}): ClusterFacts => ({
  resource: "prod",
  path: "clusters[0]",
  name: "prod",
  ...f,
});

describe("cluster/control-plane-count", () => {
  it("rejects exactly 2 control-plane nodes and names the count", () => {
    const [d, ...rest] = checkControlPlaneCount(base({ selfProvisioned: true, controlPlaneCount: 2 }));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      rule: "cluster/control-plane-count",
      severity: "mandatory",
      resource: "prod",
      path: "clusters[0].controlPlaneCount",
    });
    expect(d?.message).toContain("controlPlaneCount 2");
    expect(d?.message).toContain('cluster "prod"');
    expect(d?.message).toContain("exactly 2");
  });

  it("rejects 0 and even counts", () => {
    expect(
      checkControlPlaneCount(base({ selfProvisioned: true, controlPlaneCount: 0 }))[0]?.message,
    ).toContain("at least 1");
    expect(
      checkControlPlaneCount(base({ selfProvisioned: true, controlPlaneCount: 4 }))[0]?.message,
    ).toContain("odd");
  });

  it("needs ≥ 3 in production, 1 is fine elsewhere", () => {
    const [d] = checkControlPlaneCount(
      base({ selfProvisioned: true, controlPlaneCount: 1, production: true }),
    );
    expect(d?.rule).toBe("cluster/control-plane-count");
    expect(d?.severity).toBe("mandatory");
    expect(d?.message).toContain("controlPlaneCount 1");
    expect(d?.message).toContain("production");
    expect(checkControlPlaneCount(base({ selfProvisioned: true, controlPlaneCount: 1 }))).toEqual([]);
  });

  it("accepts 3 and 5 in production", () => {
    for (const n of [3, 5]) {
      expect(
        checkControlPlaneCount(base({ selfProvisioned: true, controlPlaneCount: n, production: true })),
      ).toEqual([]);
    }
  });

  it("ignores managed clusters and unknown counts", () => {
    expect(checkControlPlaneCount(base({ selfProvisioned: false, controlPlaneCount: 2 }))).toEqual([]);
    expect(checkControlPlaneCount(base({ controlPlaneCount: 2 }))).toEqual([]);
    expect(checkControlPlaneCount(base({ selfProvisioned: true, production: true }))).toEqual([]);
  });

  it("property: a count passes iff it is odd (and ≥ 3 in production)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -3, max: 101 }), fc.boolean(), (n, production) => {
        const ok = n >= 1 && n % 2 === 1 && (!production || n >= 3);
        const ds = checkControlPlaneCount(base({ selfProvisioned: true, controlPlaneCount: n, production }));
        expect(ds.length === 0).toBe(ok);
        expect(ds.length).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe("cluster/zones", () => {
  it("rejects 4 control-plane vSwitches, naming them", () => {
    const [d] = checkZones(base({ controlPlaneVSwitchIds: ["vsw-a", "vsw-b", "vsw-c", "vsw-d"] }));
    expect(d).toMatchObject({
      rule: "cluster/zones",
      severity: "mandatory",
      path: "clusters[0].controlPlaneVSwitchIds",
    });
    expect(d?.message).toContain("4 control-plane vSwitches [vsw-a, vsw-b, vsw-c, vsw-d]");
  });

  it("rejects an empty vSwitch list and more than 3 zones", () => {
    expect(checkZones(base({ controlPlaneVSwitchIds: [] }))[0]?.message).toContain(
      "0 control-plane vSwitches",
    );
    const [d] = checkZones(base({ zones: ["cn-a", "cn-b", "cn-c", "cn-d"] }));
    expect(d?.path).toBe("clusters[0].zones");
    expect(d?.message).toContain("4 zones [cn-a, cn-b, cn-c, cn-d]");
  });

  it("EKS needs subnets in ≥ 2 availability zones, in every environment; an unknown zone decides nothing", () => {
    const [d] = checkZones(base({ cloud: "aws", zones: ["us-east-1a", "us-east-1a"] }));
    expect(d).toMatchObject({ rule: "cluster/zones", severity: "mandatory", path: "clusters[0].zones" });
    expect(d?.message).toContain("1 availability zone(s) [us-east-1a]");
    expect(checkZones(base({ cloud: "aws", zones: ["us-east-1a", undefined] }))).toEqual([]);
    expect(checkZones(base({ cloud: "aws", zones: ["us-east-1a", "us-east-1b"] }))).toEqual([]);
    expect(checkZones(base({ cloud: "alicloud", zones: ["cn-hangzhou-i"] }))).toEqual([]);
  });

  it("production needs ≥ 2 distinct zones; a dev cluster may use one", () => {
    const [d] = checkZones(base({ production: true, zones: ["cn-hangzhou-i", "cn-hangzhou-i"] }));
    expect(d?.rule).toBe("cluster/zones");
    expect(d?.severity).toBe("mandatory");
    expect(d?.message).toContain("production cluster spans 1 zone [cn-hangzhou-i]");
    expect(checkZones(base({ zones: ["cn-hangzhou-i"] }))).toEqual([]);
    expect(checkZones(base({ production: true, zones: ["cn-hangzhou-i", "cn-hangzhou-j"] }))).toEqual([]);
  });

  it("uses the policy pack's raw property paths when given", () => {
    const [d] = checkZones({
      resource: "urn:pulumi:prod::p::alicloud:cs/managedKubernetes:ManagedKubernetes::prod",
      path: "",
      zones: ["a", "b", "c", "d"],
      fieldPaths: { zones: "zoneIds" },
    });
    expect(d?.path).toBe("zoneIds");
  });

  it("unknown zones never produce a diagnostic nor hide a known one", () => {
    expect(checkZones(base({ production: true }))).toEqual([]);
    // one known zone plus an unknown one: might be 2 zones, so no diagnostic
    expect(checkZones(base({ production: true, zones: ["cn-a", undefined] }))).toEqual([]);
    // four known zones plus an unknown: already too many
    expect(checkZones(base({ zones: ["a", "b", "c", "d", undefined] }))[0]?.message).toContain("4 zones");
    // unknown vSwitch ids still count
    expect(
      checkZones(base({ controlPlaneVSwitchIds: [undefined, undefined, undefined, undefined] })),
    ).toHaveLength(1);
    expect(checkZones(base({ controlPlaneVSwitchIds: [undefined, "vsw-b"] }))).toEqual([]);
  });
});

describe("cluster/name", () => {
  it("rejects a 64-character cluster name and an underscore, naming the name", () => {
    const long = "a".repeat(64);
    const [d] = checkName(base({ name: long }));
    expect(d).toMatchObject({ rule: "cluster/name", severity: "mandatory", path: "clusters[0].name" });
    expect(d?.message).toContain(`"${long}"`);
    expect(d?.message).toContain("64 characters");
    const [u] = checkName(base({ name: "prod_1" }));
    expect(u?.message).toContain('"prod_1"');
    expect(u?.message).toContain('"_"');
  });

  it("checks node-pool names with their own resource and path", () => {
    const [d] = checkName(
      base({ nodePools: [{ resource: "prod-workers", path: "clusters[0].nodePools[1]", name: "" }] }),
    );
    expect(d).toMatchObject({
      rule: "cluster/name",
      resource: "prod-workers",
      path: "clusters[0].nodePools[1].name",
    });
    expect(d?.message).toContain('node pool name ""');
    expect(d?.message).toContain("empty");
  });

  it("accepts digits, English letters, Chinese characters and '-'", () => {
    expect(
      checkName(base({ name: "prod-生产-01", nodePools: [{ resource: "p", path: "p", name: "Workers-2" }] })),
    ).toEqual([]);
    expect(checkName(base({ name: "生".repeat(63) }))).toEqual([]);
  });

  it("unknown names yield nothing", () => {
    expect(checkName(base({ name: undefined, nodePools: [{ resource: "p", path: "p" }] }))).toEqual([]);
  });

  it("property: a name of allowed characters passes iff it has 1 to 63 characters", () => {
    const ch = fc.constantFrom(..."abcXYZ0129-生产集群");
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 80 }).chain((n) => fc.array(ch, { minLength: n, maxLength: n })),
        (chars) => {
          const name = chars.join("");
          expect(nameProblems(name).length === 0).toBe(chars.length >= 1 && chars.length <= 63);
        },
      ),
    );
  });

  it("property: any character outside the allowed set is named", () => {
    const bad = fc.constantFrom(..."_. /:@!é");
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."ab1-"), maxLength: 20 }), bad, (prefix, c) => {
        const problems = nameProblems(`${prefix}${c}`);
        expect(problems.join(" ")).toContain(JSON.stringify(c));
      }),
    );
  });
});

describe("cluster/tags", () => {
  it("rejects a reserved key prefix, case-insensitively, naming the key", () => {
    const [d] = checkTags(base({ tags: { "Aliyun:team": "x" } }));
    expect(d).toMatchObject({
      rule: "cluster/tags",
      severity: "mandatory",
      path: 'clusters[0].tags["Aliyun:team"]',
    });
    expect(d?.message).toContain('tag key "Aliyun:team" starts with reserved "aliyun"');
    for (const key of ["http://x", "HTTPS://y"])
      expect(checkTags(base({ tags: { [key]: "v" } }))).toHaveLength(1);
  });

  it("rejects long keys and values and URL values", () => {
    const [k] = checkTags(base({ tags: { ["k".repeat(65)]: "v" } }));
    expect(k?.message).toContain("65 characters (max 64)");
    const [v] = checkTags(base({ tags: { team: "v".repeat(129) } }));
    expect(v?.path).toBe("clusters[0].tags.team");
    expect(v?.message).toContain('tag "team" value is 129 characters (max 128)');
    const [u] = checkTags(base({ tags: { owner: "https://example.com" } }));
    expect(u?.message).toContain('value "https://example.com" starts with reserved "https://"');
  });

  it("rejects 21 tags and accepts 20 with limit-length keys and values", () => {
    const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
    const [d] = checkTags(base({ tags: tags(21) }));
    expect(d).toMatchObject({ rule: "cluster/tags", path: "clusters[0].tags" });
    expect(d?.message).toContain("21 tags: at most 20");
    expect(checkTags(base({ tags: tags(20) }))).toEqual([]);
    expect(checkTags(base({ tags: { ["k".repeat(64)]: "v".repeat(128), env: "" } }))).toEqual([]);
  });

  it("applies AWS limits on AWS", () => {
    const tags = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`aliyun-k${i}`, "v".repeat(200)]));
    expect(checkTags(base({ cloud: "aws", tags }))).toEqual([]);
    expect(checkTags(base({ cloud: "aws", tags: { "aws:x": "v" } }))[0]?.message).toContain('"aws:"');
  });

  it("unknown tag values and unknown tags yield nothing", () => {
    expect(checkTags(base({ tags: undefined }))).toEqual([]);
    expect(checkTags(base({ tags: { team: undefined } }))).toEqual([]);
    // an unknown value does not hide a bad key
    expect(checkTags(base({ tags: { "aliyun-x": undefined } }))).toHaveLength(1);
  });

  it("property: tag count passes iff ≤ 20", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), (n) => {
        const tags = Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`]));
        expect(checkTags(base({ tags })).length === 0).toBe(n <= ALICLOUD_TAG_LIMITS.maxTags);
      }),
    );
  });
});

describe("clusterRules", () => {
  it("has one entry per cluster/* id and checkCluster runs them all", () => {
    expect(Object.keys(clusterRules).sort()).toEqual([
      "cluster/control-plane-count",
      "cluster/name",
      "cluster/tags",
      "cluster/zones",
    ]);
    const ds = checkCluster(
      base({
        production: true,
        name: "prod_x",
        selfProvisioned: true,
        controlPlaneCount: 2,
        zones: ["a"],
        tags: { "aliyun:x": "y" },
      }),
    );
    expect(ds.map((d) => d.rule).sort()).toEqual([
      "cluster/control-plane-count",
      "cluster/name",
      "cluster/tags",
      "cluster/zones",
    ]);
  });

  it("a fully unknown cluster yields nothing", () => {
    expect(checkCluster({ resource: "x", path: "" })).toEqual([]);
  });
});
