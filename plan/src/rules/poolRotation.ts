/**
 * `node/pool-rotation`: a blue/green pool rotation goes in two changes. The spec lists a pool's
 * next generation (same name, `generation: n + 1`) beside the old one, which it marks
 * `retiring: true`; a later change removes the old entry. Refused:
 * - two pools of a cluster with one name and generation (they would be one resource);
 * - a retiring pool without a newer generation of the same name in its cluster;
 * - against the versions deployed before the change (the baseline), a new generation whose
 *   deployed predecessor is no longer listed: creating the new pool and deleting the old one in
 *   one `pulumi up` leaves no time to move the workloads.
 */
import { type Diagnostic, diagnostic } from "../diagnostic";
import { poolGenerationName } from "../resolve";
import type { Environment } from "../spec";
import type { BaselineVersions } from "./version";

export function checkPoolRotation(env: Environment, baseline: BaselineVersions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const refuse = (resource: string, path: string, message: string) =>
    out.push(diagnostic("node/pool-rotation", { resource, path, production: env.production, message }));
  env.clusters.forEach((cluster, ci) => {
    const pools = cluster.nodePools.map((p, pi) => ({
      p,
      path: `clusters[${ci}].nodePools[${pi}]`,
      base: baseName(p.name, p.generation),
    }));
    const seen = new Map<string, string>();
    for (const { p, path } of pools) {
      const first = seen.get(p.name);
      if (first !== undefined)
        refuse(
          `${cluster.name}/${p.name}`,
          `${path}.generation`,
          `cluster "${cluster.name}" lists node pool "${p.name}" twice (${first} and ${path}); give the new entry the next generation`,
        );
      else seen.set(p.name, path);
    }
    for (const { p, path, base } of pools) {
      if (!p.retiring) continue;
      const newer = pools.filter((o) => o.base === base && o.p.generation > p.generation);
      if (newer.length === 0)
        refuse(
          `${cluster.name}/${p.name}`,
          `${path}.retiring`,
          `node pool "${p.name}" of cluster "${cluster.name}" is retiring but no newer generation of "${base}" is listed; add generation ${p.generation + 1} beside it, or remove retiring`,
        );
    }
    const deployed = baseline[cluster.name]?.pools;
    if (!deployed) return;
    const listed = new Set(pools.map((x) => x.p.name));
    for (const { p, path, base } of pools) {
      if (p.name in deployed || p.generation === 1) continue;
      // A new generation: every deployed generation of the same pool must still be listed.
      const dropped = Object.keys(deployed).filter(
        (name) => !listed.has(name) && generationsOf(base, p.generation).includes(name),
      );
      if (dropped.length > 0)
        refuse(
          `${cluster.name}/${p.name}`,
          `${path}.generation`,
          `node pool "${p.name}" of cluster "${cluster.name}" is created in the change that removes ${dropped.map((d) => `"${d}"`).join(", ")}: keep the old generation listed with retiring: true until the new one runs the workloads, and remove it in a later change`,
        );
    }
  });
  return out;
}

/** The spec name of a resolved pool (`general-g2` → `general`). */
function baseName(name: string, generation: number): string {
  const suffix = `-g${generation}`;
  return generation > 1 && name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;
}

/** The names of the generations before `generation` of a pool. */
function generationsOf(base: string, generation: number): string[] {
  return Array.from({ length: generation - 1 }, (_, i) => poolGenerationName(base, i + 1));
}
