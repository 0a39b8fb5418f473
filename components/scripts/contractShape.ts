/**
 * The output contract's shape, for the version check: every field a consumer can read, by path
 * (`clusters.*.podCidr`), with its type (`string`, `string[]`, `map<string>`) and whether it may
 * be absent (`?`). Read from `components/schema.json` (generated from contract.ts by `npm run
 * gen:schema`), so the TypeScript interfaces stay the one source.
 *
 * `components/contract-shapes.json` keeps the recorded shape of every contract version. Within a
 * version fields may only be added; removing a field, changing its type or making it optional
 * needs a new CONTRACT_VERSION (CHANGELOG.md, "Output contract versions").
 */
import * as path from "node:path";
import type { PackageSchema, SchemaProperty } from "./docs";

export const SHAPES_PATH = path.resolve(__dirname, "../contract-shapes.json");

export type Shape = Record<string, string>;

const TOKEN = "kubeplat:index:";

function typeOf(p: SchemaProperty): string {
  if (p.$ref) return p.$ref.replace(`#/types/${TOKEN}`, "");
  if (p.type === "array" && p.items) return `${typeOf(p.items)}[]`;
  if (p.type === "object" && p.additionalProperties) return `map<${typeOf(p.additionalProperties)}>`;
  return p.type ?? "any";
}

/** Flatten the contract's types into `path → type` rows. */
export function contractShape(schema: PackageSchema): Shape {
  const shape: Shape = {};
  const walk = (prefix: string, p: SchemaProperty, optional: boolean) => {
    shape[prefix] = `${typeOf(p)}${optional ? "?" : ""}`;
    if (p.$ref?.startsWith(`#/types/${TOKEN}`)) {
      const t = schema.types[p.$ref.slice("#/types/".length)];
      const required = new Set(t?.required ?? []);
      for (const [k, q] of Object.entries(t?.properties ?? {})) walk(`${prefix}.${k}`, q, !required.has(k));
    }
    if (p.items) walk(`${prefix}[]`, p.items, false);
    if (p.additionalProperties) walk(`${prefix}.*`, p.additionalProperties, false);
  };
  const contract = schema.types[`${TOKEN}PlatformContract`];
  if (!contract) throw new Error("components/schema.json has no PlatformContract type");
  const required = new Set(contract.required ?? []);
  for (const [k, p] of Object.entries(contract.properties ?? {})) walk(k, p, !required.has(k));
  // The stack also exports the kubeconfigs (PlatformOutputs), a secret map.
  const kubeconfigs = schema.resources[`${TOKEN}Platform`]?.properties?.kubeconfigs;
  if (kubeconfigs) walk("kubeconfigs", kubeconfigs, false);
  return Object.fromEntries(Object.entries(shape).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * What a consumer of `recorded` would lose in `current`: removed fields, changed types, fields
 * that became optional. Empty when `current` only adds.
 */
export function breakingChanges(recorded: Shape, current: Shape): string[] {
  const out: string[] = [];
  for (const [field, type] of Object.entries(recorded)) {
    const now = current[field];
    if (now === undefined) out.push(`${field} (${type}) was removed`);
    // An optional field that became required still reads the same.
    else if (now !== type && `${now}?` !== type) out.push(`${field} changed from ${type} to ${now}`);
  }
  return out;
}

/** Fields `current` has that `recorded` does not (additions, allowed within a version). */
export function addedFields(recorded: Shape, current: Shape): string[] {
  return Object.keys(current).filter((f) => !(f in recorded));
}
