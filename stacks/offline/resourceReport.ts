/**
 * The resources a preview registered, as a person reads them: counts by type and the tree of
 * components and their children (from the parent URNs the engine would see).
 */

import type { RecordedResource } from "@kubeplat/components/testing";
import { formatCount } from "@kubeplat/plan";
import { table } from "./planReport";

const STACK_TYPE = "pulumi:pulumi:Stack";

export function countsByType(resources: readonly RecordedResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources) {
    if (r.type === STACK_TYPE) continue;
    counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function renderCounts(resources: readonly RecordedResource[]): string {
  const counts = countsByType(resources);
  const total = counts.reduce((n, [, c]) => n + c, 0);
  const header = `Resources: ${formatCount(total)} of ${counts.length} types`;
  const rows = counts.map(([t, c]) => [c, t] as (string | number)[]);
  return `${header}\n${table(["COUNT", "TYPE"], rows)
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n")}`;
}

/** The tree under the stack, one line per resource: `type name [protected]`. */
export function renderTree(resources: readonly RecordedResource[]): string {
  const children = new Map<string | undefined, RecordedResource[]>();
  const urns = new Set(resources.map((r) => r.urn));
  for (const r of resources) {
    const parent = r.parent !== undefined && urns.has(r.parent) ? r.parent : undefined;
    const list = children.get(parent) ?? [];
    list.push(r);
    children.set(parent, list);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => a.urn.localeCompare(b.urn));
    for (const r of list) {
      if (r.type === STACK_TYPE) {
        walk(r.urn, depth);
        continue;
      }
      const flags = [
        r.protect ? "protected" : "",
        r.replaceOnChanges.length > 0 ? `replace on ${r.replaceOnChanges.join(",")}` : "",
      ]
        .filter(Boolean)
        .join("; ");
      lines.push(`${"  ".repeat(depth + 1)}${r.type} ${r.name}${flags ? `  [${flags}]` : ""}`);
      walk(r.urn, depth + 1);
    }
  };
  walk(undefined, 0);
  return `Resource tree:\n${lines.join("\n")}`;
}
