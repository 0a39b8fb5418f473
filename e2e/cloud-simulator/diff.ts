/**
 * The detailed diff the simulator reports, property by property, as a real (bridged) provider
 * does: the engine decides replace vs. update from it, matches `replaceOnChanges` against it and
 * shows it in `pulumi preview --diff`.
 */
import { REPLACE_ON_CHANGE } from "./tables";
import { containsUnknown, equal, getPath, isObject, reveal, type Value } from "./values";

export type DiffKind = "add" | "update" | "delete" | "add-replace" | "update-replace" | "delete-replace";

export interface SimDiff {
  changes: boolean;
  replaces: string[];
  /** property path → kind of change */
  detailed: Record<string, DiffKind>;
}

/**
 * `olds` are the resource's outputs (inputs plus computed values), `news` the checked inputs,
 * `computedKeys` the top-level properties the simulator computed (not inputs, unless the
 * program set them too).
 */
export function diff(
  type: string,
  olds: Record<string, Value>,
  news: Record<string, Value>,
  computedKeys: Set<string>,
): SimDiff {
  const replacePaths = REPLACE_ON_CHANGE[type] ?? [];
  const detailed: Record<string, DiffKind> = {};
  const replaces = new Set<string>();
  const keys = new Set([...Object.keys(news), ...Object.keys(olds).filter((k) => !computedKeys.has(k))]);
  for (const key of keys) {
    if (key.startsWith("__")) continue;
    const n = news[key];
    if (!(key in news) && computedKeys.has(key)) continue;
    // A block the program sets and the provider adds attributes to: compare what the program set.
    const o = computedKeys.has(key) ? pickLike(olds[key], n) : olds[key];
    const unknown = containsUnknown(reveal(n));
    if (!unknown && equal(o, n)) continue;
    const nested = replacePaths.filter((p) => p.startsWith(`${key}.`));
    const changedNested = nested.filter(
      (p) => containsUnknown(getPath(news, p)) || !equal(getPath(olds, p), getPath(news, p)),
    );
    const base: "add" | "update" | "delete" =
      o === undefined || o === null ? "add" : n === undefined || n === null ? "delete" : "update";
    if (replacePaths.includes(key)) {
      detailed[key] = `${base}-replace`;
      replaces.add(key);
    } else if (changedNested.length > 0) {
      for (const p of changedNested) {
        detailed[p] = `${base}-replace`;
        replaces.add(p);
      }
      // Other changes inside the same block are updates.
      if (isObject(reveal(n)) || Array.isArray(reveal(n))) {
        const rest = changedSubKeys(reveal(o), reveal(n)).filter(
          (sub) => !changedNested.includes(`${key}.${sub}`),
        );
        for (const sub of rest) detailed[`${key}.${sub}`] = base;
      }
    } else {
      detailed[key] = base;
    }
  }
  return { changes: Object.keys(detailed).length > 0, replaces: [...replaces], detailed };
}

function changedSubKeys(o: Value, n: Value): string[] {
  const first = (v: Value) => (Array.isArray(v) ? v[0] : v);
  const a = first(o);
  const b = first(n);
  if (!isObject(a) && !isObject(b)) return [];
  const ao = isObject(a) ? a : {};
  const bo = isObject(b) ? b : {};
  return [...new Set([...Object.keys(ao), ...Object.keys(bo)])].filter(
    (k) => containsUnknown(bo[k]) || !equal(ao[k], bo[k]),
  );
}

function pickLike(o: Value, n: Value): Value {
  const ro = reveal(o);
  const rn = reveal(n);
  if (!isObject(ro) || !isObject(rn)) return o;
  return Object.fromEntries(Object.entries(ro).filter(([k]) => k in rn));
}
