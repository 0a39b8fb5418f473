/**
 * Kubernetes resource quantities ("500m", "2", "1Gi", "300Mi", "1e3", "1.5"), parsed, compared,
 * added and formatted with exact arithmetic: a quantity is a BigInt fraction, never a float.
 *
 * The grammar is the one of k8s.io/apimachinery `resource.Quantity`:
 *
 *   <quantity>        ::= <signedNumber><suffix>
 *   <signedNumber>    ::= <sign><numericValue> | <numericValue>
 *   <sign>            ::= "+" | "-"
 *   <numericValue>    ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
 *   <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
 *   <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
 *   <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
 *   <decimalExponent> ::= "e" <signedInteger> | "E" <signedInteger>
 *
 * Formatting follows the apimachinery canonical form: a value keeps the format (suffix family)
 * it was written in; BinarySI values below 1024 or with a fraction are written DecimalSI; the
 * largest suffix that keeps the mantissa an integer is chosen ("1000m" → "1", "1.5Gi" →
 * "1536Mi", "0.5" → "500m"). One deliberate difference: Kubernetes rounds values finer than
 * 1n up to 1n, we keep them exact (written with an exponent, "1e-12"), so that
 * `parseQuantity(formatQuantity(q))` always equals `q`.
 */

export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

/** An exact quantity: `num / den` (den > 0, fraction reduced) and the format it was written in. */
export interface Quantity {
  readonly num: bigint;
  readonly den: bigint;
  readonly format: QuantityFormat;
}

/** A quantity, or its text. */
export type QuantityLike = Quantity | string;

/** Thrown by `parseQuantity` (and the helpers taking text); the message names the bad string. */
export class QuantityError extends Error {
  readonly text: string;
  /** `context` names where the text came from, e.g. `quota item "requests.cpu"`. */
  constructor(text: string, reason: string, context?: string) {
    super(`${context ? `${context}: ` : ""}${JSON.stringify(text)} is not a Kubernetes quantity: ${reason}`);
    this.name = "QuantityError";
    this.text = text;
  }
}

export type QuantityParse = { ok: true; quantity: Quantity } | { ok: false; reason: string };

const DECIMAL_SI: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SI: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
/** Suffixes from the largest down, for formatting. */
const DECIMAL_SUFFIXES: readonly [string, number][] = Object.entries(DECIMAL_SI).sort((a, b) => b[1] - a[1]);
const BINARY_SUFFIXES: readonly [string, number][] = Object.entries(BINARY_SI).sort((a, b) => b[1] - a[1]);

/**
 * Exponents beyond this are refused: "1e999999999" is grammatical but would make a billion-digit
 * BigInt. Kubernetes itself cannot store such values either.
 */
export const MAX_QUANTITY_EXPONENT = 1000;

const NUMBER = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(.*)$/;
const EXPONENT = /^[eE]([+-]?\d+)$/;
const EXPECTED =
  "expected a number with an optional suffix (n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or e<exponent>)";

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a);
  let y = abs(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Build a reduced quantity from a fraction. */
export function makeQuantity(num: bigint, den: bigint = 1n, format: QuantityFormat = "DecimalSI"): Quantity {
  if (den === 0n) throw new RangeError("quantity denominator is 0");
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const g = gcd(num, den);
  return g > 1n ? { num: num / g, den: den / g, format } : { num, den, format };
}

/** Parse without throwing. */
export function tryParseQuantity(text: string): QuantityParse {
  if (typeof text !== "string") return { ok: false, reason: `${JSON.stringify(text)} is not a string` };
  const m = NUMBER.exec(text);
  if (!m) return { ok: false, reason: EXPECTED };
  const [, sign, digits, suffix] = m as unknown as [string, string, string, string];
  let exp10: number;
  let exp2 = 0;
  let format: QuantityFormat;
  if (suffix in DECIMAL_SI) {
    exp10 = DECIMAL_SI[suffix] as number;
    format = "DecimalSI";
  } else if (suffix in BINARY_SI) {
    exp10 = 0;
    exp2 = BINARY_SI[suffix] as number;
    format = "BinarySI";
  } else {
    const e = EXPONENT.exec(suffix);
    if (!e) return { ok: false, reason: `unknown suffix ${JSON.stringify(suffix)}, ${EXPECTED}` };
    exp10 = Number(e[1]);
    if (Math.abs(exp10) > MAX_QUANTITY_EXPONENT) {
      return { ok: false, reason: `exponent ${e[1]} is out of range (±${MAX_QUANTITY_EXPONENT})` };
    }
    format = "DecimalExponent";
  }
  const dot = digits.indexOf(".");
  const whole = dot < 0 ? digits : digits.slice(0, dot);
  const fraction = dot < 0 ? "" : digits.slice(dot + 1);
  let num = BigInt(`${whole}${fraction}` || "0");
  if (sign === "-") num = -num;
  let den = 10n ** BigInt(fraction.length);
  if (exp10 >= 0) num *= 10n ** BigInt(exp10);
  else den *= 10n ** BigInt(-exp10);
  num *= 2n ** BigInt(exp2);
  return { ok: true, quantity: makeQuantity(num, den, format) };
}

/** Parse a quantity; throws a QuantityError naming the string when it is not one. */
export function parseQuantity(text: string): Quantity {
  const r = tryParseQuantity(text);
  if (!r.ok) throw new QuantityError(String(text), r.reason);
  return r.quantity;
}

/** Whether `text` is a Kubernetes quantity. */
export function isQuantity(text: string): boolean {
  return tryParseQuantity(text).ok;
}

function q(x: QuantityLike): Quantity {
  return typeof x === "string" ? parseQuantity(x) : x;
}

/** -1, 0 or 1 as a < b, a = b, a > b (by value: "1000m" equals "1"). */
export function compareQuantities(a: QuantityLike, b: QuantityLike): -1 | 0 | 1 {
  const x = q(a);
  const y = q(b);
  const l = x.num * y.den;
  const r = y.num * x.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function quantityEquals(a: QuantityLike, b: QuantityLike): boolean {
  return compareQuantities(a, b) === 0;
}

/** a + b, in a's format (as apimachinery's Quantity.Add). */
export function addQuantities(a: QuantityLike, b: QuantityLike): Quantity {
  const x = q(a);
  const y = q(b);
  return makeQuantity(x.num * y.den + y.num * x.den, x.den * y.den, x.format);
}

/** a − b, in a's format. */
export function subtractQuantities(a: QuantityLike, b: QuantityLike): Quantity {
  const y = q(b);
  return addQuantities(a, { num: -y.num, den: y.den, format: y.format });
}

/** The sum of `items` (0 when empty), in the first item's format or `format`. */
export function sumQuantities(items: readonly QuantityLike[], format?: QuantityFormat): Quantity {
  let total = makeQuantity(0n, 1n, format ?? (items[0] === undefined ? "DecimalSI" : q(items[0]).format));
  for (const item of items) total = addQuantities(total, item);
  return total;
}

/** The smallest of `items` (the first of equals); throws on an empty list. */
export function minQuantity(items: readonly QuantityLike[]): Quantity {
  if (items.length === 0) throw new RangeError("minQuantity of an empty list");
  let best = q(items[0] as QuantityLike);
  for (const item of items.slice(1)) {
    const x = q(item);
    if (compareQuantities(x, best) < 0) best = x;
  }
  return best;
}

/** The largest of `items` (the first of equals); throws on an empty list. */
export function maxQuantity(items: readonly QuantityLike[]): Quantity {
  if (items.length === 0) throw new RangeError("maxQuantity of an empty list");
  let best = q(items[0] as QuantityLike);
  for (const item of items.slice(1)) {
    const x = q(item);
    if (compareQuantities(x, best) > 0) best = x;
  }
  return best;
}

/** Approximate value as a JavaScript number: for display and logs only, never for comparison. */
export function quantityToNumber(x: QuantityLike): number {
  const v = q(x);
  const whole = v.num / v.den;
  return Number(whole) + Number(v.num - whole * v.den) / Number(v.den);
}

function factorsOf(n: bigint, p: bigint): [number, bigint] {
  let count = 0;
  while (n % p === 0n) {
    n /= p;
    count++;
  }
  return [count, n];
}

/**
 * `v` as `mantissa × 10^exponent` with an integer mantissa and `exponent` a multiple of 3 (the
 * largest such exponent); undefined when `v` is not a decimal fraction (e.g. 1/3).
 */
function decimalMantissa(v: Quantity): [bigint, number] | undefined {
  if (v.num === 0n) return [0n, 0];
  const [twos, rest] = factorsOf(v.den, 2n);
  const [fives, other] = factorsOf(rest, 5n);
  if (other !== 1n) return undefined;
  const k = Math.max(twos, fives);
  let num = v.num * (10n ** BigInt(k) / v.den);
  let exp = -k;
  while (num % 10n === 0n) {
    num /= 10n;
    exp++;
  }
  const r = ((exp % 3) + 3) % 3;
  return [num * 10n ** BigInt(r), exp - r];
}

function formatDecimalSI(v: Quantity): string {
  const m = decimalMantissa(v);
  if (!m) throw new RangeError(`quantity ${v.num}/${v.den} is not a decimal fraction`);
  const [mantissa, exp] = m;
  if (mantissa === 0n) return "0";
  for (const [suffix, e] of DECIMAL_SUFFIXES) {
    if (exp >= e) return `${mantissa * 10n ** BigInt(exp - e)}${suffix}`;
  }
  // Finer than 1n: Kubernetes would round up to 1n; keep it exact with an exponent.
  return `${mantissa}e${exp}`;
}

function formatDecimalExponent(v: Quantity): string {
  const m = decimalMantissa(v);
  if (!m) throw new RangeError(`quantity ${v.num}/${v.den} is not a decimal fraction`);
  const [mantissa, exp] = m;
  if (mantissa === 0n) return "0";
  return exp === 0 ? `${mantissa}` : `${mantissa}e${exp}`;
}

function formatBinarySI(v: Quantity): string {
  if (v.den !== 1n || abs(v.num) < 1024n) return formatDecimalSI(v);
  for (const [suffix, e] of BINARY_SUFFIXES) {
    const unit = 1n << BigInt(e);
    if (v.num % unit === 0n) return `${v.num / unit}${suffix}`;
  }
  return `${v.num}`;
}

/**
 * Canonical text of a quantity, in its own format or `format`:
 * `formatQuantity(parseQuantity("1000m"))` is "1", of "1.5Gi" is "1536Mi", of "1e3" is "1e3".
 */
export function formatQuantity(x: QuantityLike, format?: QuantityFormat): string {
  const v = q(x);
  switch (format ?? v.format) {
    case "BinarySI":
      return formatBinarySI(v);
    case "DecimalExponent":
      return formatDecimalExponent(v);
    default:
      return formatDecimalSI(v);
  }
}

/** The canonical form of quantity text ("1000m" → "1"); throws a QuantityError on bad text. */
export function canonicalQuantity(text: string): string {
  return formatQuantity(parseQuantity(text));
}
