/**
 * CIDR arithmetic for IPv4 and IPv6, on the `ip-address` library (parsing, canonical forms,
 * BigInt conversion). Everything here is pure; ranges are compared as inclusive
 * [start, end] BigInt intervals so IPv4 and IPv6 share one code path.
 */
import { Address4, Address6 } from "ip-address";

export type IpVersion = 4 | 6;

export interface Cidr {
  /** Canonical text: network address in its shortest form, then `/prefix`. */
  readonly text: string;
  readonly version: IpVersion;
  readonly prefix: number;
  /** First address, as an unsigned integer. */
  readonly start: bigint;
  /** Last address (inclusive). */
  readonly end: bigint;
}

export type CidrParse =
  | { ok: true; cidr: Cidr }
  | { ok: false; reason: string /** set when only host bits were wrong */; canonical?: string };

const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };

export function bitsOf(version: IpVersion): number {
  return BITS[version];
}

/**
 * Parses are pure and results immutable, so they are cached by text: a policy evaluation over a
 * large stack parses the same CIDRs in several rules. Bounded; cleared when full.
 */
const parseCache = new Map<string, CidrParse>();
const PARSE_CACHE_LIMIT = 100_000;

/** Parse `text` as a CIDR block. Never throws: a bad input comes back with a reason. */
export function parseCidr(text: string): CidrParse {
  if (typeof text !== "string") return parseUncached(text);
  const hit = parseCache.get(text);
  if (hit) return hit;
  const result = parseUncached(text);
  if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.clear();
  parseCache.set(text, result);
  return result;
}

function parseUncached(text: string): CidrParse {
  if (typeof text !== "string" || text.trim() !== text || text === "") {
    return { ok: false, reason: `"${String(text)}" is not a CIDR block` };
  }
  const slash = text.indexOf("/");
  if (slash < 0) return { ok: false, reason: `"${text}" has no prefix length (expected address/prefix)` };
  const prefixText = text.slice(slash + 1);
  // No leading zeros: "/08" is not "/8", and ip-address throws on "/000".
  if (!/^(0|[1-9]\d{0,2})$/.test(prefixText)) {
    return { ok: false, reason: `"${text}" has an illegal prefix length "${prefixText}"` };
  }
  const prefix = Number(prefixText);
  const addressText = text.slice(0, slash);
  const version: IpVersion | undefined = Address4.isValid(addressText)
    ? 4
    : Address6.isValid(addressText)
      ? 6
      : undefined;
  if (version === undefined) return { ok: false, reason: `"${text}" is not an IPv4 or IPv6 address` };
  const bits = BITS[version];
  if (prefix > bits) {
    return {
      ok: false,
      reason: `"${text}" has prefix /${prefix}, longer than an IPv${version} address (/${bits})`,
    };
  }
  const address = version === 4 ? new Address4(text) : new Address6(text);
  const value = address.bigInt();
  const start = address.startAddress().bigInt();
  const c = fromRange(start, prefix, version);
  if (value !== start) {
    return {
      ok: false,
      reason: `"${text}" has host bits set; the canonical form is ${c.text}`,
      canonical: c.text,
    };
  }
  return { ok: true, cidr: c };
}

export class CidrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CidrError";
  }
}

/** Parse a CIDR known to be valid (literals, planner output); throws CidrError otherwise. */
export function cidr(text: string): Cidr {
  const p = parseCidr(text);
  if (!p.ok) throw new CidrError(p.reason);
  return p.cidr;
}

/** Build the block of `prefix` that starts at `start` (which must be aligned). */
export function fromRange(start: bigint, prefix: number, version: IpVersion): Cidr {
  const bits = BITS[version];
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) {
    throw new CidrError(`/${prefix} is not an IPv${version} prefix length (/0–/${bits})`);
  }
  const size = 1n << BigInt(bits - prefix);
  if (start < 0n || start + size - 1n > (1n << BigInt(bits)) - 1n) {
    throw new CidrError(`start ${start} /${prefix} lies outside the IPv${version} address space`);
  }
  if (start % size !== 0n) throw new CidrError(`start ${start} is not aligned to /${prefix}`);
  const address = version === 4 ? Address4.fromBigInt(start) : Address6.fromBigInt(start);
  const text = `${address.correctForm()}/${prefix}`;
  return { text, version, prefix, start, end: start + size - 1n };
}

export function size(c: Cidr): bigint {
  return c.end - c.start + 1n;
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.version === inner.version && outer.start <= inner.start && inner.end <= outer.end;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && a.start <= b.end && b.start <= a.end;
}

/** The `index`-th block of length `prefix` inside `parent`, or undefined past its end. */
export function subnet(parent: Cidr, prefix: number, index: number | bigint): Cidr | undefined {
  if (prefix < parent.prefix || prefix > BITS[parent.version]) return undefined;
  const step = 1n << BigInt(BITS[parent.version] - prefix);
  const start = parent.start + BigInt(index) * step;
  if (index < 0 || start + step - 1n > parent.end) return undefined;
  return fromRange(start, prefix, parent.version);
}

/**
 * Free blocks of length `prefix` inside `parent` that overlap none of `used`, lowest first,
 * at most `count` of them. Skips whole used ranges at once, so the cost grows with the number
 * of used ranges and results, not with the number of candidate blocks.
 */
export function carve(parent: Cidr, prefix: number, used: readonly Cidr[], count = 1): Cidr[] {
  if (prefix < parent.prefix || prefix > BITS[parent.version]) return [];
  const step = 1n << BigInt(BITS[parent.version] - prefix);
  const blockers = used
    .filter((u) => overlaps(u, parent))
    .map((u) => [u.start, u.end] as const)
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const out: Cidr[] = [];
  let cursor = parent.start;
  let i = 0;
  while (out.length < count && cursor + step - 1n <= parent.end) {
    const end = cursor + step - 1n;
    // Drop blockers that end before this candidate.
    while (i < blockers.length && (blockers[i] as readonly [bigint, bigint])[1] < cursor) i++;
    // Any blocker that starts inside the candidate blocks it; jump past the furthest such end.
    let blockedUntil = -1n;
    for (let j = i; j < blockers.length; j++) {
      const [s, e] = blockers[j] as readonly [bigint, bigint];
      if (s > end) break;
      if (e > blockedUntil) blockedUntil = e;
    }
    if (blockedUntil < 0n) {
      out.push(fromRange(cursor, prefix, parent.version));
      cursor += step;
    } else {
      // Next aligned start after the blocker's end.
      const next = blockedUntil + 1n;
      cursor = next % step === 0n ? next : (next / step + 1n) * step;
    }
  }
  return out;
}

export interface Ranged<T> {
  cidr: Cidr;
  item: T;
}

/**
 * Every overlapping pair among `items`, by a sorted sweep: O(n log n + k) for k overlaps,
 * never all pairs. Pairs come out in start order, the earlier-starting item first.
 */
export function findOverlaps<T>(items: readonly Ranged<T>[]): [Ranged<T>, Ranged<T>][] {
  const sorted = [...items].sort((a, b) =>
    a.cidr.version !== b.cidr.version
      ? a.cidr.version - b.cidr.version
      : a.cidr.start < b.cidr.start
        ? -1
        : a.cidr.start > b.cidr.start
          ? 1
          : 0,
  );
  const pairs: [Ranged<T>, Ranged<T>][] = [];
  // Active ranges whose end has not yet been passed. CIDR blocks either nest or are disjoint,
  // so the active set is a chain of nested blocks and stays small (≤ address bits).
  let active: Ranged<T>[] = [];
  for (const cur of sorted) {
    active = active.filter((a) => a.cidr.version === cur.cidr.version && a.cidr.end >= cur.cidr.start);
    for (const a of active) pairs.push([a, cur]);
    active.push(cur);
  }
  return pairs;
}

/** Human-readable count, e.g. 65,536. */
export function formatCount(n: bigint | number): string {
  return BigInt(n).toLocaleString("en-US");
}

/** The reserved and special-purpose IPv4 ranges a VPC may not use (cidr/vpc-reserved-range). */
export const VPC_FORBIDDEN_RANGES: readonly Cidr[] = [
  "100.64.0.0/10",
  "224.0.0.0/4",
  "127.0.0.0/8",
  "169.254.0.0/16",
].map(cidr);

/** The private ranges (RFC 1918) a VPC normally uses. */
export const PRIVATE_RANGES: readonly Cidr[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(cidr);
