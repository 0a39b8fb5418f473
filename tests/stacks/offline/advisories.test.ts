/**
 * The advisories of a preview are logged once, at the spec path a user edits: the spec-level
 * checks and the Platform's judgement of its children report them, and a child the Platform
 * created does not log its own again at its argument paths (once the same finding appeared
 * twice, the second time at an argument path such as `secretsEncryption.enabled`).
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFleetStack } from "../../../bench/fleet";
import { previewEnvironment } from "../../../stacks/offline/preview";
import { listEnvironments } from "../../../stacks/offline/stackConfig";

/** `[advisory] <rule> at <path> (<resource>): <message>` as formatDiagnostic writes it. */
const FORMAT = /\[advisory\] (\S+) at (\S+) \(([^)]*)\): (.*)$/;
const SPEC_PATH = /^(clusters|vpc|zones|tenancy|access|quotas|budget|plan|nodeImages|ostreeImage)\b/;

async function advisories(env: string, dir?: string) {
  const r = await previewEnvironment(env, dir ? { dir } : {});
  return r.warnings.map((w) => {
    const m = FORMAT.exec(w);
    expect(m, `a diagnostic at a spec path: ${w}`).not.toBeNull();
    const [, rule, path, , message] = m as RegExpExecArray;
    return { rule: rule as string, path: path as string, message: message as string };
  });
}

describe("advisories once, at spec paths", () => {
  for (const env of listEnvironments()) {
    it(env, async () => {
      const found = await advisories(env);
      for (const a of found) expect(a.path, `${a.rule}: ${a.message}`).toMatch(SPEC_PATH);
      const keys = found.map((a) => `${a.rule} ${a.path} ${a.message}`);
      expect(keys.length).toBe(new Set(keys).size);
      const byMessage = found.map((a) => `${a.rule} ${a.message}`);
      expect(byMessage.length).toBe(new Set(byMessage).size);
    });
  }

  it("a fleet of three clusters: each cluster's findings once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "advisories-"));
    const found = await advisories(writeFleetStack(dir, 3), dir);
    const podVSwitch = found.filter((a) => a.rule === "cidr/terway-pod-vswitch-small");
    // Three clusters × three zones, reported once each (by the spec-level check).
    expect(podVSwitch.length).toBe(9);
    expect(podVSwitch.every((a) => a.path.startsWith("plan.vswitches["))).toBe(true);
  });
});
