/**
 * An upgrade of the staging environment, previewed offline (issue 16, "Done when"): a copy of
 * stacks/Pulumi.staging.yaml one minor behind (1.35) is the baseline; the shipped file (1.36) is
 * one minor ahead of it. The upgrade registers exactly the pinned URNs (no resource renamed, so
 * none replaced by a new name), moves the cluster's `version` in place, and passes
 * cluster/version-skew; a two-minor jump (1.34 → 1.36) is refused by the spec check and the pack.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { environmentVersions } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";
import { previewEnvironment } from "../../../stacks/offline/preview";
import { STACKS_DIR } from "../../../stacks/offline/stackConfig";

const SHIPPED = readFileSync(join(STACKS_DIR, "Pulumi.staging.yaml"), "utf8");
const PINNED = readFileSync(join(__dirname, "urns", "staging.txt"), "utf8")
  .trim()
  .split("\n");
const ACK_CLUSTER = "alicloud:cs/managedKubernetes:ManagedKubernetes";

/** A copy of the staging settings at another version, in its own directory. */
function stagingAt(version: string): string {
  expect(SHIPPED).toContain("kubernetesVersion: 1.36.1-aliyun.1");
  const dir = mkdtempSync(join(tmpdir(), "upgrade-"));
  writeFileSync(
    join(dir, "Pulumi.staging.yaml"),
    SHIPPED.replace("kubernetesVersion: 1.36.1-aliyun.1", `kubernetesVersion: ${version}`),
  );
  return dir;
}

describe("upgrading staging by one minor", () => {
  it("1.35 → 1.36: the pinned URNs, the cluster's version moved in place, no version-skew", async () => {
    const before = await previewEnvironment("staging", {
      dir: stagingAt("1.35.7-aliyun.1"),
      today: "2026-11-28",
    });
    expect(before.env).toBeDefined();
    const baselineVersions = environmentVersions(before.env as NonNullable<typeof before.env>);
    expect(baselineVersions.staging?.version).toBe("1.35.7-aliyun.1");

    const after = await previewEnvironment("staging", { baselineVersions, today: "2026-11-28" });
    const all = [...after.diagnostics, ...after.policyDiagnostics];
    expect(all.filter((d) => d.severity === "mandatory")).toEqual([]);
    expect(all.filter((d) => d.rule === "cluster/version-skew")).toEqual([]);
    const urns = (r: typeof after) => r.resources.map((x) => x.urn).sort();
    expect(urns(before)).toEqual(urns(after));
    expect(urns(after)).toEqual([...PINNED].sort());
    const version = (r: typeof after) => r.resources.find((x) => x.type === ACK_CLUSTER)?.state.version;
    expect([version(before), version(after)]).toEqual(["1.35.7-aliyun.1", "1.36.1-aliyun.1"]);
  });

  it("1.34 → 1.36 is refused with cluster/version-skew at the spec path", async () => {
    const r = await previewEnvironment("staging", {
      baselineVersions: { staging: { version: "1.34.2-aliyun.1" } },
      today: "2026-11-28",
    });
    const skew = r.diagnostics.filter((d) => d.rule === "cluster/version-skew");
    expect(skew.map((d) => [d.severity, d.path])).toEqual([["mandatory", "clusters[0].kubernetesVersion"]]);
    // Refused before the program runs: nothing registered.
    expect(r.resources).toEqual([]);
  });
});
