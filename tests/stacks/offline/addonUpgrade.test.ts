/**
 * An add-on upgrade is an in-place update of the add-on, never a replacement of anything: the
 * same environment previewed with other add-on versions registers the same URNs, sends the
 * cluster exactly the same inputs, and changes only the add-ons' versions.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { type PreviewResult, previewEnvironment } from "../../../stacks/offline/preview";
import { stackFile } from "../../../stacks/offline/stackConfig";

/** A copy of a shipped environment with `addons` set on its first cluster. */
function withAddons(env: string, addons: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "addons-"));
  const doc = parseDocument(readFileSync(stackFile(env), "utf8"));
  doc.setIn(["config", "platform:environment", "clusters", 0, "addons"], addons);
  writeFileSync(stackFile(env, dir), doc.toString());
  return dir;
}

const byUrn = (r: PreviewResult) => new Map(r.resources.map((x) => [x.urn, x]));

async function compare(env: string, addonType: string, addons: Record<string, unknown>, versionKey: string) {
  const before = await previewEnvironment(env);
  const after = await previewEnvironment(env, { dir: withAddons(env, addons) });
  expect(after.resources.map((x) => x.urn).sort()).toEqual(before.resources.map((x) => x.urn).sort());
  const a = byUrn(before);
  const changed: string[] = [];
  for (const [urn, r] of byUrn(after)) {
    const old = a.get(urn);
    if (JSON.stringify(old?.inputs) !== JSON.stringify(r.inputs)) changed.push(`${r.type}::${r.name}`);
  }
  // Only the add-ons whose version moved (and nothing that holds state) see new inputs.
  expect(changed.length).toBeGreaterThan(0);
  for (const c of changed) expect(c.startsWith(`${addonType}::`)).toBe(true);
  for (const r of after.resources.filter((x) => x.type === addonType)) {
    expect(r.replaceOnChanges).toEqual([]);
    expect(typeof r.inputs[versionKey] === "string" || r.inputs[versionKey] === undefined).toBe(true);
  }
  return { before, after, changed };
}

describe("add-on upgrades are in-place updates", () => {
  it("EKS: pinning new coredns and EBS CSI driver versions changes only those two add-ons", async () => {
    const { after, changed } = await compare(
      "aws-dev",
      "aws:eks/addon:Addon",
      { coredns: { version: "v1.11.3-eksbuild.2" }, "aws-ebs-csi-driver": { version: "v1.39.0-eksbuild.1" } },
      "addonVersion",
    );
    expect(changed.sort()).toEqual([
      "aws:eks/addon:Addon::aws-dev-aws-dev-addons-aws-ebs-csi-driver",
      "aws:eks/addon:Addon::aws-dev-aws-dev-addons-coredns",
    ]);
    const coredns = after.resources.find((r) => r.name === "aws-dev-aws-dev-addons-coredns");
    expect(coredns?.inputs.addonVersion).toBe("v1.11.3-eksbuild.2");
  });

  it("ACK: pinning a csi-plugin version changes only that KubernetesAddon, never the cluster", async () => {
    const { changed } = await compare(
      "staging",
      "alicloud:cs/kubernetesAddon:KubernetesAddon",
      { "csi-plugin": { version: "v1.33.1-aliyun.1" } },
      "version",
    );
    expect(changed).toEqual([
      "alicloud:cs/kubernetesAddon:KubernetesAddon::staging-staging-addons-csi-plugin",
    ]);
  });
});
