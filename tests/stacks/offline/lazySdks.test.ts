/**
 * A program loads the provider SDKs of the clouds it builds on, and no other (components/src/
 * cloudSdks.ts): `@pulumi/aws` was about 0.15 s of CPU and 20 MiB of every Alibaba Cloud preview.
 * Each environment is previewed in a process of its own (tests/stacks/offline/loadedSdks.ts), as
 * the offline preview runs, so no other test's modules are in its `require.cache`.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function loaded(env: string): { resources: number; failed: boolean; packages: string[] } {
  const r = spawnSync(
    process.execPath,
    ["--conditions=source", "--import", require.resolve("tsx"), join(__dirname, "loadedSdks.ts"), env],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`previewing ${env} failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}");
}

describe("provider SDKs loaded by a preview", () => {
  it("an Alibaba Cloud environment (dev) never loads @pulumi/aws or @pulumi/tls", () => {
    const r = loaded("dev");
    expect(r.resources).toBeGreaterThan(0);
    expect(r.failed).toBe(false);
    expect(r.packages).toContain("@pulumi/alicloud");
    expect(r.packages).not.toContain("@pulumi/aws");
    expect(r.packages).not.toContain("@pulumi/tls");
  }, 120_000);

  it("an AWS environment (aws-dev) never loads @pulumi/alicloud", () => {
    const r = loaded("aws-dev");
    expect(r.resources).toBeGreaterThan(0);
    expect(r.failed).toBe(false);
    expect(r.packages).toContain("@pulumi/aws");
    expect(r.packages).not.toContain("@pulumi/alicloud");
  }, 120_000);

  it("a self-managed AWS environment loads @pulumi/tls for its PKI, and not @pulumi/alicloud", () => {
    const r = loaded("selfmanaged-dev");
    expect(r.packages).toEqual(expect.arrayContaining(["@pulumi/aws", "@pulumi/tls"]));
    expect(r.packages).not.toContain("@pulumi/alicloud");
  }, 120_000);
});
