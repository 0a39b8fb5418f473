/**
 * The pack as CrossGuard loads it: one policy per rule id with the catalogue's enforcement
 * level, config schemas the engine accepts, and the metadata `pulumi policy publish` needs.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { RULES, type RuleId } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { NON_PRODUCTION_SUFFIX, ruleOfPolicy } from "../../policy/define";
import { packConfig, policies, policySettings } from "../../policy/policies";

/** Rules no resource shows (RULES.md ids the pack cannot bind), with the reason in README.md. */
const UNBOUND: RuleId[] = [
  "cidr/shared-vpc-needs-terway",
  "cidr/kubeovn-join-overlap",
  "cidr/api-vip",
  "cidr/api-acl-missing-ranges",
  "cidr/plan-renumbered",
  "quota/scale-step",
  "cluster/control-plane-count",
  "security/secret-outputs",
  // A tenant's role request lives in the spec; the resources show a role, not whose it is.
  "security/tenant-role-admin",
  // A rotation lives in the spec (generations, retiring) and the baseline: the resources show two pools.
  "node/pool-rotation",
];

interface Tree {
  dependencies?: Record<string, Tree>;
}

describe("the policy pack", () => {
  it("has one policy per bindable rule id, plus an advisory twin per mandatory-in-production rule", () => {
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    const rules = Object.keys(RULES) as RuleId[];
    const expected = rules
      .filter((r) => !UNBOUND.includes(r))
      .flatMap((r) =>
        RULES[r].severity === "mandatory-in-production" ? [r, `${r}${NON_PRODUCTION_SUFFIX}`] : [r],
      );
    expect([...names].sort()).toEqual([...expected].sort());
  });

  it("takes each policy's enforcement level from the catalogue", () => {
    for (const p of policies) {
      const rule = ruleOfPolicy(p.name) as RuleId;
      expect(rule).toBeDefined();
      const severity = RULES[rule].severity;
      const want =
        severity === "mandatory-in-production"
          ? p.name.endsWith(NON_PRODUCTION_SUFFIX)
            ? "advisory"
            : "mandatory"
          : severity;
      expect([p.name, p.enforcementLevel]).toEqual([p.name, want]);
      expect(p.description.length).toBeGreaterThan(20);
    }
  });

  it("declares config schemas the engine accepts (no enforcementLevel property, defaults documented)", () => {
    for (const p of policies) {
      const props = p.configSchema?.properties ?? {};
      expect(Object.keys(props)).not.toContain("enforcementLevel");
      expect(Object.keys(props).sort()).toEqual([...(policySettings.get(p.name) ?? [])].sort());
      for (const [key, schema] of Object.entries(props)) {
        expect(JSON.stringify(schema)).not.toContain("$schema");
        expect([key, typeof schema.description]).toEqual([key, "string"]);
      }
    }
    const prod = policies.find((p) => p.name === "security/deletion-protection");
    expect(prod?.configSchema?.properties.productionStacks).toMatchObject({
      type: "array",
      items: { type: "string" },
      default: ["prod", "production"],
    });
  });

  it("packConfig writes one settings document out as per-policy config, with enforcement overrides", () => {
    const config = packConfig(
      {
        connectedRanges: [{ name: "office", cidr: "192.168.0.0/24", kind: "vpn" }],
        productionStacks: ["live"],
      },
      { all: "advisory", "cidr/vswitch-overlap": "mandatory" },
    );
    expect(config.all).toBe("advisory");
    expect(config["cidr/overlaps-peer"]).toEqual({
      connectedRanges: [{ name: "office", cidr: "192.168.0.0/24", kind: "vpn" }],
    });
    expect(config["cidr/vswitch-overlap"]).toEqual({ enforcementLevel: "mandatory" });
    expect(config["security/deletion-protection"]).toEqual({ productionStacks: ["live"] });
    expect(() => packConfig({}, { "cidr/no-such-rule": "advisory" })).toThrow(
      'enforcement override names "cidr/no-such-rule", which is not a policy of the pack',
    );
  });

  it("is a publishable pack: PulumiPolicy.yaml with the nodejs runtime, a package version, index.ts constructing it", () => {
    const yaml = parse(readFileSync("policy/PulumiPolicy.yaml", "utf8")) as {
      runtime: unknown;
      description: string;
    };
    expect(yaml.runtime).toBe("nodejs");
    expect(yaml.description.length).toBeGreaterThan(10);
    const pkg = JSON.parse(readFileSync("policy/package.json", "utf8")) as {
      version: string;
      dependencies: Record<string, string>;
    };
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
    // The pack reads raw properties by type token: it needs the rules and decoders of the plan
    // package and CrossGuard, never a cloud SDK or the components.
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["@kubeplat/plan", "@pulumi/policy"]);
    const index = readFileSync("policy/index.ts", "utf8");
    expect(index).toMatch(/new PolicyPack\("platform", \{/);
  });

  it("installs without any cloud SDK or the components: npm ls of the pack", () => {
    // npm ls exits non-zero for problems elsewhere in the tree (an extraneous package); its JSON
    // is printed all the same, and the pack's subtree is what this test reads.
    const ls = spawnSync("npm", ["ls", "--workspace", "policy", "--all", "--json"], { encoding: "utf8" });
    const tree = JSON.parse(ls.stdout) as Tree;
    const names = new Set<string>();
    const walk = (t: Tree) => {
      for (const [name, sub] of Object.entries(t.dependencies ?? {})) {
        names.add(name);
        walk(sub);
      }
    };
    walk(tree);
    expect(names).toContain("@kubeplat/plan");
    const forbidden = [...names].filter(
      (n) => /^@pulumi\/(alicloud|aws|kubernetes|command|awsx|eks)$/.test(n) || n === "@kubeplat/components",
    );
    expect(forbidden).toEqual([]);
  });
});
