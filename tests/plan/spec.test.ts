import {
  clusterZones,
  cniOf,
  DEFAULT_KUBERNETES_VERSION,
  type EnvironmentInput,
  formatPath,
  parseEnvironment,
} from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { envSpecArb } from "../support/arbitraries";

const minimal: EnvironmentInput = {
  name: "dev",
  cloud: "alicloud",
  region: "cn-hangzhou",
  zones: ["cn-hangzhou-i"],
  vpc: { cidr: "192.168.0.0/16" },
  clusters: [
    {
      name: "dev",
      nodePools: [{ name: "default", minSize: 1, maxSize: 3, instanceTypes: ["ecs.g7.xlarge"] }],
    },
  ],
};

describe("parseEnvironment", () => {
  it("applies the documented defaults the planner relies on", () => {
    const r = parseEnvironment(minimal);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // The addressing and sizing part of the spec (other sections have their own defaults).
    expect(r.env).toMatchObject({
      name: "dev",
      cloud: "alicloud",
      region: "cn-hangzhou",
      production: false,
      zones: ["cn-hangzhou-i"],
      vpc: { cidr: "192.168.0.0/16", secondaryCidrs: [], shared: false, existingVSwitches: [], layout: {} },
      connectedRanges: [],
      clusters: [
        {
          name: "dev",
          edition: "pro",
          // Resolved per cloud (plan/versions.ts), not one default for both clouds.
          kubernetesVersion: DEFAULT_KUBERNETES_VERSION.alicloud,
          cni: "terway",
          ipStack: "ipv4",
          nodeCidrMask: 26,
          tags: {},
          nodePools: [
            {
              name: "default",
              minSize: 1,
              maxSize: 3,
              autoscaling: false,
              instanceTypes: ["ecs.g7.xlarge"],
              vcpu: 4,
              memoryGiB: 16,
              runtime: "containerd",
              securityGroups: [],
              labels: {},
              taints: [],
              default: false,
            },
          ],
        },
      ],
      quotas: {},
      budget: {},
      tags: {},
    });
    const withRange = parseEnvironment({
      ...minimal,
      connectedRanges: [{ name: "idc", cidr: "10.0.0.0/8" }],
    });
    expect(withRange.ok && withRange.env.connectedRanges).toEqual([
      { name: "idc", cidr: "10.0.0.0/8", kind: "other" },
    ]);
  });

  it("reports every problem at once, each with its path and the offending value", () => {
    const bad = {
      ...minimal,
      cloud: "gcp",
      zones: [],
      vpc: { cidrr: "192.168.0.0/16" },
      clusters: [
        {
          name: "dev",
          nodeCidrMask: 31,
          nodePools: [{ name: "default", minSize: 1, maxSize: -1, instanceTypes: [] }],
          bogus: true,
        },
      ],
    };
    const r = parseEnvironment(bad, "stacks/Pulumi.dev.yaml");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => d.path).sort()).toEqual(
      [
        "cloud",
        "zones",
        "vpc.cidr",
        "vpc",
        "clusters[0].nodeCidrMask",
        "clusters[0].nodePools[0].maxSize",
        "clusters[0].nodePools[0].instanceTypes",
        "clusters[0]",
      ].sort(),
    );
    for (const d of r.diagnostics) {
      expect(d).toMatchObject({
        rule: "spec/schema",
        severity: "mandatory",
        resource: "stacks/Pulumi.dev.yaml",
      });
    }
    const at = (path: string) => r.diagnostics.find((d) => d.path === path)?.message ?? "";
    expect(at("cloud")).toContain('"gcp"');
    expect(at("cloud")).toContain('"alicloud"|"aws"');
    expect(at("clusters[0].nodePools[0].maxSize")).toContain("-1");
    expect(at("clusters[0].nodePools[0].maxSize")).toContain(">=0");
    expect(at("clusters[0].nodeCidrMask")).toContain("31");
    expect(at("vpc")).toContain('"cidrr"');
    expect(at("clusters[0]")).toContain('"bogus"');
    expect(at("vpc.cidr")).toContain("expected string, received undefined");
  });

  it.each([null, "prod", 42, [], true])("rejects a non-object spec %j at the root", (input) => {
    const r = parseEnvironment(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => [d.rule, d.path, d.resource])).toEqual([
      ["spec/schema", "(root)", "environment"],
    ]);
  });

  it("an empty object lists every required field", () => {
    const r = parseEnvironment({});
    expect(r.ok || r.diagnostics.map((d) => d.path)).toEqual(["name", "cloud", "region", "zones", "vpc"]);
  });

  it("generated valid specs parse, and a parsed spec parses to itself", () => {
    fc.assert(
      fc.property(envSpecArb(), (spec) => {
        const r = parseEnvironment(spec);
        if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
        const again = parseEnvironment(r.env);
        expect(again).toEqual(r);
      }),
      { numRuns: 50 },
    );
  });

  it("k broken pool sizes give k diagnostics, one at each path", () => {
    const specWithPools = envSpecArb().filter((s) =>
      (s.clusters ?? []).some((c) => (c.nodePools ?? []).length > 0),
    );
    fc.assert(
      fc.property(
        specWithPools,
        fc.array(
          fc.tuple(fc.nat(), fc.constantFrom("minSize", "maxSize"), fc.constantFrom(-1, 0.5, "3", null)),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (spec, breaks) => {
          const s = structuredClone(spec);
          const pools = (s.clusters ?? []).flatMap((c, ci) =>
            (c.nodePools ?? []).map((_, pi) => [ci, pi] as const),
          );
          const expected = new Set<string>();
          for (const [pick, field, value] of breaks) {
            const [ci, pi] = pools[pick % pools.length] as readonly [number, number];
            const p = (s.clusters?.[ci]?.nodePools ?? [])[pi] as Record<string, unknown>;
            p[field] = value;
            expected.add(`clusters[${ci}].nodePools[${pi}].${field}`);
          }
          const r = parseEnvironment(s);
          expect(r.ok).toBe(false);
          if (r.ok) return;
          expect(new Set(r.diagnostics.map((d) => d.path))).toEqual(expected);
          expect(r.diagnostics).toHaveLength(expected.size);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe("formatPath, cniOf, clusterZones", () => {
  it("formatPath renders zod paths as the spec's field paths", () => {
    expect(formatPath([])).toBe("(root)");
    expect(formatPath(["clusters", 0, "nodePools", 1, "maxSize"])).toBe("clusters[0].nodePools[1].maxSize");
    expect(formatPath([0, "name"])).toBe("[0].name");
    expect(formatPath(["tags", "cost-center"])).toBe("tags.cost-center");
  });

  it("cniOf: Terway on Alibaba Cloud, the VPC CNI on AWS, an explicit CNI wins", () => {
    expect(cniOf({ cloud: "alicloud" }, {})).toBe("terway");
    expect(cniOf({ cloud: "aws" }, {})).toBe("vpc-cni");
    expect(cniOf({ cloud: "alicloud" }, { cni: "flannel" })).toBe("flannel");
  });

  it("clusterZones keeps environment slot order and drops unknown zones", () => {
    const env = { zones: ["a", "b", "c"] };
    expect(clusterZones(env, {})).toEqual(["a", "b", "c"]);
    expect(clusterZones(env, { zones: ["c", "a", "x"] })).toEqual(["a", "c"]);
  });
});
