/**
 * Image identity: a short, stable content hash of everything that defines a node image (image
 * id, generated documents, kubelet settings). Node pools and launch templates put it in their
 * name or version, so an image change gives them a new identity and the cloud replaces the nodes
 * instead of patching them (the rollout contract of NodeImage).
 *
 * Stable means: the same content gives the same identity on every machine and run, whatever the
 * key order of the objects it came from; any change of content gives another identity.
 */
import { createHash } from "node:crypto";
import { MAX_NAME_LENGTH } from "@kubeplat/plan";

export { MAX_NAME_LENGTH };

/** Hex characters kept from the SHA-256: 40 bits, ample to tell one pool's images apart. */
export const IDENTITY_LENGTH = 10;

/** Kubernetes/ACK name limit the rollout names must fit in (ACK docs: Create a cluster; Create an ACK dedicated cluster). */

/**
 * JSON with object keys sorted at every level and `undefined` members dropped, so the text of a
 * value does not depend on how it was built. Rejects what JSON cannot represent faithfully.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value, "$"));
}

function canonical(value: unknown, path: string): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw new Error(`canonicalJson: ${path} is ${value}, which JSON cannot hold`);
    return value;
  }
  if (Array.isArray(value))
    return value.map((v, i) => (v === undefined ? null : canonical(v, `${path}[${i}]`)));
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new Error(
        `canonicalJson: ${path} is a ${proto?.constructor?.name ?? "class instance"}, not plain data`,
      );
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonical(v, `${path}.${k}`);
    }
    return out;
  }
  throw new Error(`canonicalJson: ${path} is a ${typeof value}, not plain data`);
}

/** SHA-256 (hex) of a string, or of the canonical JSON of any other value. */
export function contentHash(value: unknown): string {
  const text = typeof value === "string" ? value : canonicalJson(value);
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The short identity of a value: the first `length` hex characters of its content hash. */
export function imageIdentity(value: unknown, length = IDENTITY_LENGTH): string {
  return contentHash(value).slice(0, length);
}

/**
 * `<base>-<identity>`, with `base` shortened (and any trailing `-` dropped) so the whole fits in
 * `maxLength` (default 63, the ACK node pool name limit): the name a node pool or launch template
 * takes so that an image change creates a new one.
 */
export function rolloutName(base: string, identity: string, maxLength = MAX_NAME_LENGTH): string {
  const room = maxLength - identity.length - 1;
  if (room < 1)
    throw new Error(`rolloutName: identity ${identity} leaves no room for a name in ${maxLength} characters`);
  const head = base.slice(0, room).replace(/-+$/, "");
  return head === "" ? identity.slice(0, maxLength) : `${head}-${identity}`;
}
