import {
  addQuantities,
  canonicalQuantity,
  compareQuantities,
  formatQuantity,
  isQuantity,
  makeQuantity,
  maxQuantity,
  minQuantity,
  parseQuantity,
  QuantityError,
  quantityEquals,
  quantityToNumber,
  subtractQuantities,
  sumQuantities,
  tryParseQuantity,
} from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const DECIMAL = ["n", "u", "m", "", "k", "M", "G", "T", "P", "E"] as const;
const DECIMAL_EXP: Record<string, number> = {
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
const BINARY = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"] as const;

/** Any grammatical quantity text. */
const quantityText = fc
  .record({
    sign: fc.constantFrom("", "+", "-"),
    whole: fc.stringMatching(/^\d{0,12}$/),
    dot: fc.boolean(),
    fraction: fc.stringMatching(/^\d{0,6}$/),
    suffix: fc.oneof(
      fc.constantFrom(...DECIMAL),
      fc.constantFrom(...BINARY),
      fc
        .tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), fc.integer({ min: 0, max: 40 }))
        .map(([e, s, n]) => `${e}${s}${n}`),
    ),
  })
  .filter((r) => (r.dot ? r.whole.length + r.fraction.length > 0 : r.whole.length > 0))
  .map((r) => `${r.sign}${r.whole}${r.dot ? `.${r.fraction}` : ""}${r.suffix}`);

/**
 * A quantity whose exact value the test computes on its own: integer n with a decimal suffix,
 * a binary suffix or an exponent. `scaled` is value × 10^30 (an integer for every case here).
 */
const SCALE = 30;
const known = fc
  .record({
    n: fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
    kind: fc.oneof(
      fc.constantFrom(...DECIMAL).map((s) => ({ suffix: s, exp10: DECIMAL_EXP[s] as number, exp2: 0 })),
      fc
        .integer({ min: 0, max: 5 })
        .map((i) => ({ suffix: BINARY[i] as string, exp10: 0, exp2: 10 * (i + 1) })),
      fc.integer({ min: -20, max: 20 }).map((e) => ({ suffix: `e${e}`, exp10: e, exp2: 0 })),
    ),
  })
  .map(({ n, kind }) => ({
    text: `${n}${kind.suffix}`,
    scaled: n * 10n ** BigInt(SCALE + kind.exp10) * 2n ** BigInt(kind.exp2),
  }));

describe("parseQuantity", () => {
  it.each([
    ["1Gi", 1073741824n, 1n],
    ["1Ki", 1024n, 1n],
    ["300Mi", 314572800n, 1n],
    ["500m", 1n, 2n],
    ["1.5", 3n, 2n],
    ["1e3", 1000n, 1n],
    ["1E3", 1000n, 1n],
    ["1E", 10n ** 18n, 1n],
    ["2k", 2000n, 1n],
    [".5", 1n, 2n],
    ["1.", 1n, 1n],
    ["+3", 3n, 1n],
    ["-1.5Gi", -1610612736n, 1n],
    ["100u", 1n, 10000n],
    ["1n", 1n, 1000000000n],
    ["1e-12", 1n, 10n ** 12n],
    ["0.5Ki", 512n, 1n],
  ])("%s = %s/%s exactly", (text, num, den) => {
    const q = parseQuantity(text);
    expect([q.num, q.den]).toEqual([num, den]);
  });

  it("1Gi == 1073741824 and 1000m == 1", () => {
    expect(quantityEquals("1Gi", "1073741824")).toBe(true);
    expect(quantityEquals("1000m", "1")).toBe(true);
    expect(quantityEquals("1000m", "1.001")).toBe(false);
    expect(compareQuantities("999m", "1")).toBe(-1);
    expect(compareQuantities("1Ki", "1k")).toBe(1);
  });

  it.each([
    "",
    " 1",
    "1 ",
    "1K",
    "1ki",
    "abc",
    "1e",
    "1e+",
    "1.2.3",
    ".",
    "-",
    "e3",
    "Gi",
    "--1",
    "1Gi ",
    "1e3.5",
    "0x10",
  ])("rejects %j naming the string", (text) => {
    expect(isQuantity(text)).toBe(false);
    expect(tryParseQuantity(text).ok).toBe(false);
    expect(() => parseQuantity(text)).toThrow(QuantityError);
    expect(() => parseQuantity(text)).toThrow(`${JSON.stringify(text)} is not a Kubernetes quantity`);
  });

  it("refuses absurd exponents instead of building huge numbers", () => {
    expect(() => parseQuantity("1e100000")).toThrow(/exponent 100000 is out of range/);
  });

  it("accepts every grammatical quantity", () => {
    fc.assert(fc.property(quantityText, (t) => isQuantity(t)));
  });
});

describe("formatQuantity", () => {
  it.each([
    ["1000m", "1"],
    ["1.5", "1500m"],
    ["0.1", "100m"],
    ["1.5Gi", "1536Mi"],
    ["1024Mi", "1Gi"],
    ["0.5Ki", "512"],
    ["1025Ki", "1025Ki"],
    ["300Mi", "300Mi"],
    ["1e3", "1e3"],
    ["1E6", "1e6"],
    ["1.5e3", "1500"],
    ["1500", "1500"],
    ["2000k", "2M"],
    ["0.000000001", "1n"],
    ["1e-12", "1e-12"],
    ["-0", "0"],
    ["0Gi", "0"],
    ["5000E", "5000E"],
    ["1e21", "1e21"],
    ["1000E", "1000E"],
  ])("%s is written %s", (text, expected) => {
    expect(canonicalQuantity(text)).toBe(expected);
  });

  it("writes a sum in the first operand's format", () => {
    expect(formatQuantity(addQuantities("1Gi", "512Mi"))).toBe("1536Mi");
    expect(formatQuantity(addQuantities("500m", "1.5"))).toBe("2");
    expect(formatQuantity(sumQuantities(["1Gi", "1Gi", "2Gi"]))).toBe("4Gi");
    expect(formatQuantity(sumQuantities([]))).toBe("0");
    expect(formatQuantity(subtractQuantities("1", "250m"))).toBe("750m");
  });

  it("can write a value in another format", () => {
    expect(formatQuantity("1Gi", "DecimalSI")).toBe("1073741824");
    expect(formatQuantity("1536Mi", "DecimalExponent")).toBe("1610612736");
    expect(formatQuantity("2G", "BinarySI")).toBe("1953125Ki");
  });

  it("refuses a value that is not a decimal fraction", () => {
    expect(() => formatQuantity(makeQuantity(1n, 3n))).toThrow(/not a decimal fraction/);
  });

  it("round trips: parse(format(q)) equals q, and format is a fixed point", () => {
    fc.assert(
      fc.property(quantityText, (t) => {
        const q = parseQuantity(t);
        const text = formatQuantity(q);
        const back = parseQuantity(text);
        expect([back.num, back.den]).toEqual([q.num, q.den]);
        expect(formatQuantity(back)).toBe(text);
      }),
    );
  });

  it("round trips in every format", () => {
    fc.assert(
      fc.property(
        quantityText,
        fc.constantFrom("DecimalSI", "BinarySI", "DecimalExponent" as const),
        (t, f) => {
          const q = parseQuantity(t);
          expect(quantityEquals(parseQuantity(formatQuantity(q, f)), q)).toBe(true);
        },
      ),
    );
  });
});

describe("arithmetic", () => {
  it("parses to the independently computed exact value", () => {
    fc.assert(
      fc.property(known, ({ text, scaled }) => {
        const q = parseQuantity(text);
        expect(q.num * 10n ** BigInt(SCALE)).toBe(scaled * q.den);
      }),
    );
  });

  it("ordering agrees with numeric value", () => {
    fc.assert(
      fc.property(known, known, (a, b) => {
        const expected = a.scaled < b.scaled ? -1 : a.scaled > b.scaled ? 1 : 0;
        expect(compareQuantities(a.text, b.text)).toBe(expected);
        // `0 - expected` rather than `-expected`: equal quantities compare 0, and -0 is not 0 to toBe.
        expect(compareQuantities(b.text, a.text)).toBe(0 - expected);
      }),
    );
  });

  it("addition is exact: (a + b) − b = a, and agrees with the numeric sum", () => {
    fc.assert(
      fc.property(known, known, (a, b) => {
        const s = addQuantities(a.text, b.text);
        expect(s.num * 10n ** BigInt(SCALE)).toBe((a.scaled + b.scaled) * s.den);
        expect(quantityEquals(subtractQuantities(s, b.text), a.text)).toBe(true);
      }),
    );
  });

  it("min and max pick the extreme values", () => {
    fc.assert(
      fc.property(fc.array(known, { minLength: 1, maxLength: 8 }), (items) => {
        const texts = items.map((i) => i.text);
        const sorted = items.map((i) => i.scaled).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const lo = sorted[0] as bigint;
        const hi = sorted[sorted.length - 1] as bigint;
        const min = minQuantity(texts);
        const max = maxQuantity(texts);
        expect(min.num * 10n ** BigInt(SCALE)).toBe(lo * min.den);
        expect(max.num * 10n ** BigInt(SCALE)).toBe(hi * max.den);
      }),
    );
    expect(() => minQuantity([])).toThrow(RangeError);
  });

  it("gives an approximate number for display", () => {
    expect(quantityToNumber("1.5Gi")).toBe(1610612736);
    expect(quantityToNumber("250m")).toBeCloseTo(0.25, 12);
    expect(quantityToNumber("-1500m")).toBeCloseTo(-1.5, 12);
  });
});
