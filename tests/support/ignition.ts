/**
 * Ignition documents in tests: their files as text, and the real `ignition-validate` (Debian's
 * `ignition`; a missing tool fails the test, never skips it).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeDataUrl } from "@kubeplat/components/internal/nodeimage/ignition";
import { requireTool, run } from "../components/nodeimage/tools";

type IgnFile = { path: string; mode: number; contents: { source: string } };

/** An Ignition config's `storage.files` by path: each file's mode and decoded text. */
export function ignitionFiles(
  config: Record<string, unknown> | string,
): Map<string, { mode: number; text: string }> {
  const parsed = typeof config === "string" ? (JSON.parse(config) as Record<string, unknown>) : config;
  const list = (parsed.storage as { files: IgnFile[] }).files;
  return new Map(list.map((f) => [f.path, { mode: f.mode, text: decodeDataUrl(f.contents.source) }]));
}

/** `ignition-validate` on a document: its exit status and everything it printed. */
export function ignitionValidate(json: string): { status: number; output: string } {
  const bin = requireTool("ignition-validate", "ignition");
  const dir = mkdtempSync(join(tmpdir(), "ignition-validate-"));
  try {
    const path = join(dir, "config.ign");
    writeFileSync(path, json);
    const r = run(bin, [path]);
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
