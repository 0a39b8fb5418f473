/**
 * Values a preview cannot know yet. During `pulumi preview` the engine sends a property whose
 * value depends on another resource's output (a VPC id, an allocated address) as a sentinel
 * string, and `@pulumi/policy` wraps the props in a proxy that throws `UnknownValueError` when
 * a policy reads one (node_modules/@pulumi/policy/proxy.js: `unknownCheckingProxy`); the engine
 * then reports "can't run policy ... during preview" instead of the policy's findings, which
 * would hide every violation the policy could still see.
 *
 * The fact mappers never read the proxy: `known(props)` unwraps it and returns a plain copy in
 * which every unknown value is `undefined`, so a rule skips exactly what is unknown and still
 * reports what is known.
 */

/**
 * The sentinels of `@pulumi/policy` (proxy.js: unknownBooleanValue ... unknownObjectValue) and
 * of `@pulumi/pulumi` (runtime/rpc.js `unknownValue`, the same string as the string sentinel).
 * They are internal to the SDKs, so they are listed here; tests/policy/known.test.ts checks
 * each one against the real `unknownCheckingProxy`.
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (also @pulumi/pulumi's unknownValue)
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The key `@pulumi/policy`'s proxy answers with the proxied object (proxy.js `getSpecialProxyTarget`). */
const PROXY_TARGET = "__getSpecialProxyTarget";
/** Pulumi's signature key for secrets, assets and resource references in serialized values. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isUnknown(v: unknown): boolean {
  return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

/** The object behind `@pulumi/policy`'s unknown-checking proxy (or `o` itself). */
export function unwrapProxy<T>(o: T): T {
  if (o === null || typeof o !== "object") return o;
  const target = (o as Record<string, unknown>)[PROXY_TARGET];
  return (target ?? o) as T;
}

/** `v` with unknowns replaced by undefined; copies only the objects and arrays that hold one. */
function strip(v: unknown): unknown {
  if (typeof v === "string") return UNKNOWN_SENTINELS.has(v) ? undefined : v;
  if (v === null || typeof v !== "object") return v ?? undefined;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const s = strip(v[i]);
      if (s !== v[i] && out === undefined) out = v.slice(0, i);
      if (out !== undefined) out.push(s);
    }
    return out ?? v;
  }
  const o = v as Record<string, unknown>;
  if (o.__pulumiUnknown === true) return undefined; // @pulumi/pulumi's Unknown (mock runtime previews)
  if (o[SIG_KEY] === SECRET_SIG) return strip(o.value);
  // A key whose value is unknown stays, with the value undefined: the key is known to be set
  // (a label, a tag), only its value is not.
  let out: Record<string, unknown> | undefined;
  for (const k in o) {
    const s = strip(o[k]);
    if (s !== o[k] && out === undefined) out = { ...o };
    if (out !== undefined) out[k] = s;
  }
  return out ?? o;
}

/**
 * A plain copy of resource properties with every unknown value replaced by `undefined` (the
 * key or array element stays, so a known key or a known length is still seen). Accepts the proxied props `@pulumi/policy` passes, plain
 * objects, and props holding Pulumi's serialized secrets. Copies only the objects and arrays
 * that hold an unknown. Not memoised: CrossGuard deserializes the props afresh for every policy
 * and every stack validation, so a cache keyed by the object never answered there, and in the
 * in-process evaluator walking the props again costs less than keeping a WeakMap of every
 * resource (bench:policy).
 */
export function known(props: unknown): Record<string, unknown> {
  const raw = unwrapProxy(props);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return {};
  return strip(raw) as Record<string, unknown>;
}

// Typed readers over known() output: each answers undefined for a missing or ill-typed value,
// so a mapper never turns a surprise into a violation.

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  // Some providers type counts as strings (alicloud cs.NodePool desiredSize).
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

export function bool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

export function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** An array as given (elements may be undefined where unknown), or undefined. */
export function arr(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** An array of strings; undefined if the array or any element is unknown or not a string. */
export function strs(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.every((x) => typeof x === "string") ? (v as string[]) : undefined;
}

/** A string map (tags, labels); undefined when not an object. An unknown value stays undefined. */
export function strMap(v: unknown): Record<string, string | undefined> | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const out: Record<string, string | undefined> = {};
  for (const [k, x] of Object.entries(o)) out[k] = typeof x === "string" ? x : undefined;
  return out;
}
