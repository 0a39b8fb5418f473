/**
 * The platform as a list of children: one list judged before anything registers and created
 * after, every child in it (AwsNetwork included), every diagnostic at the spec path to edit, and
 * `--plan-only` refusing what the full preview refuses (issue 13 item 10).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { platformChildren } from "@kubeplat/components/internal/platform/children";
import { validatePlatformChildren } from "@kubeplat/components/internal/platform/Platform";
import { checkEnvironment, type Environment, parseEnvironment } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { previewEnvironment } from "../../../stacks/offline/preview";
import { ENVIRONMENT_KEY, readStackSettings } from "../../../stacks/offline/stackConfig";

type Spec = Record<string, unknown> & { clusters: Record<string, unknown>[] };
const shipped = (env: string) => structuredClone(readStackSettings(env).config[ENVIRONMENT_KEY]) as Spec;

function parsed(input: unknown): Environment {
  const r = parseEnvironment(input);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.env;
}

function judge(input: unknown) {
  const env = parsed(input);
  const check = checkEnvironment(env);
  return {
    spec: check.diagnostics.filter((d) => d.severity === "mandatory"),
    children: validatePlatformChildren(env.name, env, check.plan).filter((d) => d.severity === "mandatory"),
  };
}

describe("one list of children per cloud", () => {
  it("lists the network first and every cluster, image, pool and in-cluster child by name", () => {
    const env = parsed(shipped("aws-dev"));
    const names = platformChildren("aws-dev", env, checkEnvironment(env).plan).map((c) => c.name);
    expect(names[0]).toBe("aws-dev-network");
    expect(names).toEqual(
      expect.arrayContaining([
        "aws-dev-aws-dev",
        "aws-dev-aws-dev-general",
        "aws-dev-aws-dev-storage",
        "aws-dev-aws-dev-rbac",
        "aws-dev-aws-dev-tenancy",
        "aws-dev-aws-dev-public",
      ]),
    );
  });

  it("judges AwsNetwork before anything registers: an AWS dual-stack spec is refused at clusters[0].ipStack", () => {
    const spec = shipped("aws-dev");
    (spec.clusters[0] as Record<string, unknown>).ipStack = "dual";
    const { spec: specLevel, children } = judge(spec);
    expect(specLevel).toEqual([]);
    expect(children.map((d) => [d.rule, d.path])).toContainEqual(["spec/schema", "clusters[0].ipStack"]);
    expect(children.every((d) => !d.path.startsWith("subnets"))).toBe(true);
  });

  it("reports a tenant namespace's quota at its tenancy spec path, not the component's", () => {
    const spec = shipped("dev") as Spec & {
      tenancy: { projects: { namespaces: { quota: Record<string, string> }[] }[] };
    };
    const ns = spec.tenancy.projects[0]?.namespaces[0];
    if (ns) ns.quota["requests.cpu"] = "40";
    const { children } = judge(spec);
    expect(children.map((d) => d.rule)).toContain("quota/namespace-exceeds-project");
    for (const d of children) expect(d.path).toMatch(/^tenancy\.projects\[0\]/);
  });

  it("moves component argument paths to spec paths for every child of the shipped environments", () => {
    for (const name of ["dev", "staging", "prod", "aws-dev"]) {
      const env = parsed(shipped(name));
      const plan = checkEnvironment(env).plan;
      for (const c of platformChildren(name, env, plan)) {
        expect(c.specPath, c.name).toMatch(/^(vpc|access|tenancy|clusters\[\d+\](\.\w+(\[\d+\])?)?)$/);
      }
    }
  });
});

describe("--plan-only and the full preview agree", () => {
  function stackDir(env: string, spec: Spec): string {
    const dir = mkdtempSync(join(tmpdir(), "kubeplat-children-"));
    const settings = readStackSettings(env).config;
    writeFileSync(
      join(dir, `Pulumi.${env}.yaml`),
      stringify({ config: { ...settings, [ENVIRONMENT_KEY]: spec } }),
    );
    return dir;
  }

  it("a fixed pool with minSize > maxSize: node/pool-size at the spec path in both modes (13.9, 13.10)", async () => {
    const spec = shipped("dev") as Spec & { clusters: { nodePools: Record<string, unknown>[] }[] };
    const pool = spec.clusters[0]?.nodePools[0] as Record<string, unknown>;
    pool.autoscaling = false;
    pool.minSize = 5;
    pool.maxSize = 3;
    const dir = stackDir("dev", spec);
    const planOnly = await previewEnvironment("dev", { dir, runProgram: false });
    const full = await previewEnvironment("dev", { dir });
    const rules = (ds: typeof planOnly.diagnostics) =>
      ds.filter((d) => d.severity === "mandatory").map((d) => [d.rule, d.path]);
    expect(rules(planOnly.diagnostics)).toEqual([["node/pool-size", "clusters[0].nodePools[0].minSize"]]);
    expect(rules(full.diagnostics)).toEqual(rules(planOnly.diagnostics));
    expect(full.resources).toEqual([]);
  });

  it("an AWS dual-stack spec is refused by --plan-only too, before any program runs", async () => {
    const spec = shipped("aws-dev");
    (spec.clusters[0] as Record<string, unknown>).ipStack = "dual";
    const r = await previewEnvironment("aws-dev", { dir: stackDir("aws-dev", spec), runProgram: false });
    expect(r.diagnostics.filter((d) => d.severity === "mandatory").map((d) => d.path)).toContain(
      "clusters[0].ipStack",
    );
  });

  it("a region other than the stack's aws:region is refused in both modes (13.12)", async () => {
    const spec = shipped("aws-dev");
    spec.region = "us-east-1";
    const dir = stackDir("aws-dev", spec);
    for (const runProgram of [false, true]) {
      const r = await previewEnvironment("aws-dev", { dir, runProgram });
      expect(r.diagnostics.filter((d) => d.severity === "mandatory").map((d) => [d.rule, d.path])).toEqual([
        ["spec/schema", "region"],
      ]);
    }
  });
});
