/**
 * Blue/green pool rotation (issue 16): the spec lists a pool's next generation beside the old
 * one (`retiring: true`); the offline preview shows the new pool created and the old one kept;
 * the next change removes the old entry and the preview shows it deleted. Generation 1 keeps
 * today's URNs; doing both in one change is refused with node/pool-rotation.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { previewEnvironment } from "../../../stacks/offline/preview";
import { stackFile } from "../../../stacks/offline/stackConfig";
import { type Step, upgradeBaseline, upgradePlan } from "../../../stacks/offline/upgradePlan";

const TODAY = "2026-11-28";
const POOL = "alicloud:cs/nodePool:NodePool";
const PINNED = readFileSync(join(__dirname, "urns", "staging.txt"), "utf8")
  .trim()
  .split("\n");

type Pool = Record<string, unknown>;

/** Staging with its pools rewritten. */
function stagingWith(pools: (shipped: Pool[]) => Pool[]): string {
  const doc = parse(readFileSync(stackFile("staging"), "utf8"));
  const cluster = doc.config["platform:environment"].clusters[0];
  cluster.nodePools = pools(cluster.nodePools);
  const dir = mkdtempSync(join(tmpdir(), "rotation-"));
  writeFileSync(stackFile("staging", dir), stringify(doc));
  return dir;
}

/** Generation 2 of `general`: other instance types, a small fixed size (the budget holds both). */
const general2 = (general: Pool): Pool => ({
  ...general,
  generation: 2,
  instanceTypes: ["ecs.g8i.xlarge"],
  autoscaling: false,
  minSize: 2,
  maxSize: 2,
});

async function preview(dir: string | undefined, baseline?: ReturnType<typeof upgradeBaseline>) {
  const r = await previewEnvironment("staging", {
    ...(dir ? { dir } : {}),
    baselineVersions: baseline?.versions,
    today: TODAY,
  });
  const plan = baseline
    ? upgradePlan(baseline, r.env, r.resources, [...r.diagnostics, ...r.policyDiagnostics])
    : undefined;
  return { r, plan };
}

const mandatory = (r: Awaited<ReturnType<typeof previewEnvironment>>) =>
  [...r.diagnostics, ...r.policyDiagnostics].filter((d) => d.severity === "mandatory");

describe("blue/green rotation of staging's general pool", () => {
  it("change 1 creates generation 2 beside the kept generation 1; change 2 removes generation 1", async () => {
    const shipped = await preview(undefined);
    const base = upgradeBaseline(shipped.r.env, shipped.r.resources);

    // Change 1: the new generation beside the old, which is marked retiring.
    const one = await preview(
      stagingWith(([general, spot]) => [
        { ...general, retiring: true },
        general2(general as Pool),
        spot as Pool,
      ]),
      base,
    );
    expect(mandatory(one.r)).toEqual([]);
    // Generation 1 keeps today's URNs exactly; generation 2 only adds.
    const urns = one.r.resources.map((x) => x.urn);
    for (const u of PINNED) expect(urns).toContain(u);
    const pools = (steps: Step[] | undefined) =>
      (steps ?? []).filter((s) => s.type === POOL).map((s) => `${s.action} ${s.name}`);
    expect(pools(one.plan?.steps)).toEqual(["create staging-staging-general-g2-pool"]);
    expect(one.plan?.stateful).toMatchObject({ created: 1, replaced: 0, deleted: 0, updated: 0 });
    expect(one.plan?.steps.every((s) => s.action === "create")).toBe(true);

    // Change 2: the old entry goes.
    const two = await preview(
      stagingWith(([general, spot]) => [general2(general as Pool), spot as Pool]),
      upgradeBaseline(one.r.env, one.r.resources),
    );
    expect(mandatory(two.r)).toEqual([]);
    expect(pools(two.plan?.steps)).toEqual(["delete staging-staging-general-pool"]);
    expect(two.plan?.stateful).toMatchObject({ created: 0, replaced: 0, deleted: 1, updated: 0 });
    expect(two.plan?.steps.every((s) => s.action === "delete")).toBe(true);
  });

  it("creating generation 2 and removing generation 1 in one change is refused", async () => {
    const shipped = await preview(undefined);
    const { r } = await preview(
      stagingWith(([general, spot]) => [general2(general as Pool), spot as Pool]),
      upgradeBaseline(shipped.r.env, shipped.r.resources),
    );
    expect(r.resources).toEqual([]);
    expect(mandatory(r).map((d) => [d.rule, d.path])).toEqual([
      ["node/pool-rotation", "clusters[0].nodePools[0].generation"],
    ]);
  });

  it("a retiring pool needs a newer generation; one name and generation twice is refused", async () => {
    const lone = await preview(
      stagingWith(([general, spot]) => [{ ...general, retiring: true }, spot as Pool]),
    );
    expect(mandatory(lone.r).map((d) => [d.rule, d.path])).toEqual([
      ["node/pool-rotation", "clusters[0].nodePools[0].retiring"],
    ]);
    const twice = await preview(
      stagingWith(([general, spot]) => [general as Pool, general as Pool, spot as Pool]),
    );
    expect(mandatory(twice.r).map((d) => d.rule)).toContain("node/pool-rotation");
  });

  it("production: a retiring pool loses its deletion protection, the new generation has it", async () => {
    const doc = parse(readFileSync(stackFile("prod"), "utf8"));
    const cluster = doc.config["platform:environment"].clusters[0];
    const [first, ...rest] = cluster.nodePools as Pool[];
    cluster.nodePools = [{ ...first, retiring: true }, { ...first, generation: 2 }, ...rest];
    const dir = mkdtempSync(join(tmpdir(), "rotation-prod-"));
    writeFileSync(stackFile("prod", dir), stringify(doc));
    const r = await previewEnvironment("prod", { dir, today: TODAY });
    const name = first?.name as string;
    const protectOf = (suffix: string) =>
      r.resources.find((x) => x.type === POOL && x.name.endsWith(`-${suffix}-pool`))?.protect;
    expect([protectOf(name), protectOf(`${name}-g2`)]).toEqual([false, true]);
  });
});
