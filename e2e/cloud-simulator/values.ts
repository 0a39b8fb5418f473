/** Property-value helpers: the engine's wire encoding of secrets and unknowns, paths, hashing. */
import { createHash } from "node:crypto";

/** The engine's marker for a value not known during preview (sdk/go/common/resource/plugin). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export type Value = unknown;
type Obj = Record<string, Value>;

export const isObject = (v: Value): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function isSecret(v: Value): v is { value: Value } {
  return isObject(v) && v[SIG] === SECRET_SIG;
}

/** The value with every secret wrapper removed. */
export function reveal(v: Value): Value {
  if (isSecret(v)) return reveal(v.value);
  if (Array.isArray(v)) return v.map(reveal);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reveal(x)]));
  return v;
}

export function secret(v: Value): Value {
  return { [SIG]: SECRET_SIG, value: v };
}

export function containsUnknown(v: Value): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (isObject(v)) return Object.values(v).some(containsUnknown);
  return false;
}

/** JSON with sorted keys, so equal values hash equally. */
export function canonical(v: Value): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isObject(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

export function hash(...parts: Value[]): string {
  return createHash("sha256").update(parts.map(canonical).join("\u0000")).digest("hex");
}

export function equal(a: Value, b: Value): boolean {
  return canonical(normalize(reveal(a))) === canonical(normalize(reveal(b)));
}

/** Empty collections and null are the same as absent to the providers' diff. */
function normalize(v: Value): Value {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(normalize);
  if (isObject(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      const n = normalize(x);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v === null ? undefined : v;
}

/** The value at a dotted path; a list is looked into element-wise (Terraform's one-element blocks). */
export function getPath(v: Value, path: string): Value {
  let cur: Value = reveal(v);
  for (const part of path.split(".")) {
    if (Array.isArray(cur)) cur = cur.map((e) => (isObject(e) ? e[part] : undefined));
    else if (isObject(cur)) cur = cur[part];
    else return undefined;
  }
  return cur;
}

export function isSet(v: Value): boolean {
  if (Array.isArray(v)) return v.some(isSet);
  return v !== undefined && v !== null;
}

/** The URN's last segment: the resource's logical name. */
export function logicalName(urn: string): string {
  return urn.split("::").at(-1) ?? urn;
}

/** The URN's type token (the last type of the parent chain). */
export function typeOf(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").at(-1) ?? qualified;
}
