import {
  bitsOf,
  type Cidr,
  CidrError,
  carve,
  cidr,
  contains,
  findOverlaps,
  formatCount,
  fromRange,
  type IpVersion,
  overlaps,
  PRIVATE_RANGES,
  parseCidr,
  type Ranged,
  size,
  subnet,
  VPC_FORBIDDEN_RANGES,
} from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const BITS = { 4: 32, 6: 128 } as const;
const maxOf = (v: IpVersion) => (1n << BigInt(BITS[v])) - 1n;
/** The network address of `value` under `prefix` (host bits cleared). */
const mask = (value: bigint, prefix: number, v: IpVersion) => {
  const host = BigInt(BITS[v] - prefix);
  return (value >> host) << host;
};

const version = fc.constantFrom<IpVersion>(4, 6);
/** Any address of a version, as a bigint. */
const addressOf = (v: IpVersion) => fc.bigInt({ min: 0n, max: maxOf(v) });
/** Any canonical block: version, prefix, aligned start. */
const anyCidr: fc.Arbitrary<Cidr> = version.chain((v) =>
  fc
    .tuple(fc.integer({ min: 0, max: BITS[v] }), addressOf(v))
    .map(([prefix, a]) => fromRange(mask(a, prefix, v), prefix, v)),
);

describe("parseCidr", () => {
  it.each([
    ["10.0.0.0/8", 4, 8, "10.0.0.0/8"],
    ["192.168.0.0/16", 4, 16, "192.168.0.0/16"],
    ["0.0.0.0/0", 4, 0, "0.0.0.0/0"],
    ["255.255.255.255/32", 4, 32, "255.255.255.255/32"],
    ["fd00::/8", 6, 8, "fd00::/8"],
    ["2001:0db8:0000:0000:0000:0000:0000:0000/32", 6, 32, "2001:db8::/32"],
    ["::/0", 6, 0, "::/0"],
    ["FD00::/112", 6, 112, "fd00::/112"],
  ] as const)("%s is IPv%i /%i, canonical %s", (text, v, prefix, canonical) => {
    const p = parseCidr(text);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.cidr.version).toBe(v);
    expect(p.cidr.prefix).toBe(prefix);
    expect(p.cidr.text).toBe(canonical);
    expect(p.cidr.end - p.cidr.start + 1n).toBe(1n << BigInt(BITS[v] - prefix));
  });

  it.each([
    ["10.0.0.1/16", "10.0.0.0/16"],
    ["192.168.1.0/16", "192.168.0.0/16"],
    ["172.20.0.0/12", "172.16.0.0/12"],
    ["fd00::1/64", "fd00::/64"],
  ])("%s has host bits set and names the canonical form %s", (text, canonical) => {
    const p = parseCidr(text);
    expect(p).toEqual({
      ok: false,
      reason: `"${text}" has host bits set; the canonical form is ${canonical}`,
      canonical,
    });
  });

  it.each([
    ["", "is not a CIDR block"],
    [" 10.0.0.0/8", "is not a CIDR block"],
    ["10.0.0.0/8\n", "is not a CIDR block"],
    ["10.0.0.0", "has no prefix length"],
    ["10.0.0.0/", 'illegal prefix length ""'],
    ["10.0.0.0/x", 'illegal prefix length "x"'],
    ["10.0.0.0/-1", 'illegal prefix length "-1"'],
    ["10.0.0.0/1000", 'illegal prefix length "1000"'],
    ["10.0.0.0/08", 'illegal prefix length "08"'],
    ["10.0.0.0/000", 'illegal prefix length "000"'],
    ["::/0128", 'illegal prefix length "0128"'],
    ["10.0.0.0/33", "has prefix /33, longer than an IPv4 address (/32)"],
    ["::/129", "has prefix /129, longer than an IPv6 address (/128)"],
    ["256.0.0.0/8", "is not an IPv4 or IPv6 address"],
    ["10.0.0/24", "is not an IPv4 or IPv6 address"],
    ["/16", "is not an IPv4 or IPv6 address"],
    ["[::1]/128", "is not an IPv4 or IPv6 address"],
    ["a/b/c", "illegal prefix length"],
  ])("%j is rejected: %s", (text, why) => {
    const p = parseCidr(text);
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.reason).toContain(why);
    expect(p.reason).toContain(`"${text}"`);
    expect(p.canonical).toBeUndefined();
  });

  it("never throws, whatever the string", () => {
    const nearCidr = fc
      .tuple(
        fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), fc.string({ maxLength: 12 })),
        fc.stringMatching(/^\/?[0-9]{0,4}$/),
      )
      .map(([a, p]) => a + p);
    fc.assert(
      fc.property(fc.oneof(fc.string(), nearCidr), (text) => {
        const p = parseCidr(text);
        if (!p.ok) expect(p.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it("round-trips fromRange(...).text", () => {
    fc.assert(
      fc.property(anyCidr, (c) => {
        const p = parseCidr(c.text);
        expect(p).toEqual({ ok: true, cidr: c });
      }),
      { numRuns: 500 },
    );
  });

  it("with host bits set is not ok, and the canonical form in the message is the masked block", () => {
    fc.assert(
      fc.property(
        version.chain((v) =>
          fc.tuple(fc.constant(v), fc.integer({ min: 0, max: BITS[v] - 1 }), addressOf(v)),
        ),
        ([v, prefix, a]) => {
          const net = mask(a, prefix, v);
          fc.pre(net !== a);
          const address = fromRange(a, BITS[v], v).text.split("/")[0];
          const text = `${address}/${prefix}`;
          const p = parseCidr(text);
          const canonical = fromRange(net, prefix, v).text;
          expect(p).toEqual({
            ok: false,
            reason: `"${text}" has host bits set; the canonical form is ${canonical}`,
            canonical,
          });
          // The canonical form itself parses.
          expect(parseCidr(canonical).ok).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("cidr, fromRange, size", () => {
  it("cidr() throws a CidrError carrying the reason", () => {
    expect(() => cidr("10.0.0.1/8")).toThrowError(
      new CidrError('"10.0.0.1/8" has host bits set; the canonical form is 10.0.0.0/8'),
    );
    expect(cidr("10.0.0.0/8").text).toBe("10.0.0.0/8");
  });

  it("fromRange rejects unaligned starts, prefixes out of range and starts past the address space", () => {
    expect(() => fromRange(1n, 24, 4)).toThrowError(CidrError);
    expect(() => fromRange(0n, 33, 4)).toThrowError(CidrError);
    expect(() => fromRange(0n, -1, 4)).toThrowError(CidrError);
    expect(() => fromRange(0n, 129, 6)).toThrowError(CidrError);
    expect(() => fromRange(1n << 32n, 32, 4)).toThrowError(CidrError);
    expect(() => fromRange(-256n, 24, 4)).toThrowError(CidrError);
    expect(fromRange(0n, 0, 4)).toEqual({
      text: "0.0.0.0/0",
      version: 4,
      prefix: 0,
      start: 0n,
      end: maxOf(4),
    });
    expect(fromRange(maxOf(6), 128, 6).text).toBe("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
  });

  it("size is 2^(bits - prefix)", () => {
    expect(size(cidr("192.168.0.0/16"))).toBe(65536n);
    expect(size(cidr("192.168.0.0/19"))).toBe(8192n);
    expect(size(cidr("fd00::/112"))).toBe(65536n);
    expect(size(cidr("::/0"))).toBe(1n << 128n);
    expect(bitsOf(4)).toBe(32);
    expect(bitsOf(6)).toBe(128);
  });

  it("formatCount groups thousands", () => {
    expect(formatCount(65536n)).toBe("65,536");
    expect(formatCount(8192)).toBe("8,192");
    expect(formatCount(0)).toBe("0");
  });

  it("the forbidden and private range lists are those of the docs (ACK docs: Network overview)", () => {
    expect(VPC_FORBIDDEN_RANGES.map((c) => c.text)).toEqual([
      "100.64.0.0/10",
      "224.0.0.0/4",
      "127.0.0.0/8",
      "169.254.0.0/16",
    ]);
    expect(PRIVATE_RANGES.map((c) => c.text)).toEqual(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]);
  });
});

describe("contains and overlaps", () => {
  it.each([
    ["10.0.0.0/8", "10.1.0.0/16", true, true],
    ["10.1.0.0/16", "10.0.0.0/8", false, true],
    ["10.0.0.0/16", "10.1.0.0/16", false, false],
    ["10.0.0.0/16", "10.0.0.0/16", true, true],
    ["0.0.0.0/0", "::/0", false, false],
    ["fd00::/8", "fd00::/112", true, true],
  ])("%s ⊇ %s: %s, overlap: %s", (a, b, inside, meet) => {
    expect(contains(cidr(a), cidr(b))).toBe(inside);
    expect(overlaps(cidr(a), cidr(b))).toBe(meet);
    expect(overlaps(cidr(b), cidr(a))).toBe(meet);
  });

  it("agree with interval arithmetic", () => {
    fc.assert(
      fc.property(anyCidr, anyCidr, (a, b) => {
        const same = a.version === b.version;
        expect(overlaps(a, b)).toBe(same && a.start <= b.end && b.start <= a.end);
        expect(overlaps(a, b)).toBe(overlaps(b, a));
        expect(contains(a, b)).toBe(same && a.start <= b.start && b.end <= a.end);
        if (contains(a, b)) expect(overlaps(a, b)).toBe(true);
        // Blocks nest or are disjoint.
        if (overlaps(a, b)) expect(contains(a, b) || contains(b, a)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe("subnet", () => {
  it("gives the index-th block, undefined past the end or for a larger prefix", () => {
    const vpc = cidr("192.168.0.0/16");
    expect(subnet(vpc, 19, 0)?.text).toBe("192.168.0.0/19");
    expect(subnet(vpc, 19, 1)?.text).toBe("192.168.32.0/19");
    expect(subnet(vpc, 19, 7)?.text).toBe("192.168.224.0/19");
    expect(subnet(vpc, 19, 8)).toBeUndefined();
    expect(subnet(vpc, 19, -1)).toBeUndefined();
    expect(subnet(vpc, 15, 0)).toBeUndefined();
    expect(subnet(vpc, 33, 0)).toBeUndefined();
    expect(subnet(vpc, 16, 0n)?.text).toBe("192.168.0.0/16");
  });

  it("blocks are inside the parent, aligned and consecutive", () => {
    fc.assert(
      fc.property(anyCidr, fc.integer({ min: 0, max: 8 }), fc.nat(300), (parent, extra, index) => {
        const prefix = Math.min(parent.prefix + extra, BITS[parent.version]);
        const s = subnet(parent, prefix, index);
        const count = 1n << BigInt(prefix - parent.prefix);
        if (BigInt(index) >= count) {
          expect(s).toBeUndefined();
          return;
        }
        expect(s).toBeDefined();
        if (!s) return;
        expect(contains(parent, s)).toBe(true);
        expect(s.prefix).toBe(prefix);
        expect(s.start).toBe(parent.start + BigInt(index) * size(s));
      }),
      { numRuns: 300 },
    );
  });
});

describe("carve", () => {
  it("skips used ranges and returns the lowest free blocks", () => {
    const parent = cidr("172.16.0.0/12");
    const used = [cidr("172.16.0.0/16"), cidr("172.18.0.0/15"), cidr("10.0.0.0/8")];
    expect(carve(parent, 16, used, 3).map((c) => c.text)).toEqual([
      "172.17.0.0/16",
      "172.20.0.0/16",
      "172.21.0.0/16",
    ]);
    // A used range smaller than the block still blocks it.
    expect(carve(cidr("10.0.0.0/24"), 26, [cidr("10.0.0.5/32")], 2).map((c) => c.text)).toEqual([
      "10.0.0.64/26",
      "10.0.0.128/26",
    ]);
    expect(carve(parent, 16, [parent], 1)).toEqual([]);
    expect(carve(parent, 11, [], 1)).toEqual([]);
    expect(carve(parent, 33, [], 1)).toEqual([]);
    expect(carve(parent, 16, [], 100)).toHaveLength(16);
  });

  /** Parent, prefix (at most 8 bits below it, so the naive oracle stays cheap) and used ranges near it. */
  const carveCase = anyCidr
    .filter((p) => p.prefix <= BITS[p.version] - 1)
    .chain((parent) => {
      const bits = BITS[parent.version];
      const near = fc
        .tuple(
          fc.integer({ min: Math.max(0, parent.prefix - 2), max: Math.min(bits, parent.prefix + 10) }),
          fc.bigInt({ min: 0n, max: size(parent) * 2n - 1n }),
        )
        .map(([p, off]) => {
          const base = parent.start >= size(parent) / 2n ? parent.start - size(parent) / 2n : parent.start;
          const a = base + off > maxOf(parent.version) ? maxOf(parent.version) : base + off;
          return fromRange(mask(a, p, parent.version), p, parent.version);
        });
      return fc.record({
        parent: fc.constant(parent),
        prefix: fc.integer({ min: parent.prefix, max: Math.min(bits, parent.prefix + 8) }),
        used: fc.array(fc.oneof({ weight: 5, arbitrary: near }, { weight: 1, arbitrary: anyCidr }), {
          maxLength: 8,
        }),
        count: fc.integer({ min: 1, max: 300 }),
      });
    });

  it("results are inside the parent, aligned, disjoint from used and each other, the lowest free first", () => {
    fc.assert(
      fc.property(carveCase, ({ parent, prefix, used, count }) => {
        const out = carve(parent, prefix, used, count);
        // Naive oracle: every block of the prefix in order (as bigint intervals), keeping the free ones.
        const naive: bigint[] = [];
        const step = 1n << BigInt(BITS[parent.version] - prefix);
        for (let s = parent.start; s <= parent.end && naive.length < count; s += step) {
          const e = s + step - 1n;
          if (!used.some((u) => u.version === parent.version && u.start <= e && s <= u.end)) naive.push(s);
        }
        expect(out.map((c) => c.start)).toEqual(naive);
        for (const [i, c] of out.entries()) {
          expect(contains(parent, c)).toBe(true);
          expect(c.prefix).toBe(prefix);
          expect(c.start % size(c)).toBe(0n);
          expect(used.some((u) => overlaps(u, c))).toBe(false);
          if (i > 0) expect((out[i - 1] as Cidr).end < c.start).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("findOverlaps", () => {
  it("reports nested and identical blocks, never disjoint or cross-version ones", () => {
    const items = ["10.0.0.0/8", "10.1.0.0/16", "192.168.0.0/16", "10.1.0.0/16", "::/0", "fd00::/8"].map(
      (t, i) => ({ cidr: cidr(t), item: i }),
    );
    const pairs = findOverlaps(items).map(([a, b]) => [a.item, b.item]);
    expect(pairs).toEqual([
      [0, 1],
      [0, 3],
      [1, 3],
      [4, 5],
    ]);
    expect(findOverlaps([])).toEqual([]);
  });

  /** CIDRs crowded into a small space so overlaps are common; IPv4 and IPv6 mixed. */
  const crowded: fc.Arbitrary<Cidr> = fc.oneof(
    fc
      .tuple(fc.integer({ min: 16, max: 24 }), fc.integer({ min: 0, max: 0xffff }))
      .map(([p, off]) => fromRange(mask(0x0a000000n + BigInt(off), p, 4), p, 4)),
    fc
      .tuple(fc.integer({ min: 112, max: 120 }), fc.integer({ min: 0, max: 0xffff }))
      .map(([p, off]) => fromRange(mask(cidr("fd00::/112").start + BigInt(off), p, 6), p, 6)),
    anyCidr,
  );

  it("equals the naive O(n²) pair set, earlier-starting item first", () => {
    fc.assert(
      fc.property(fc.array(crowded, { maxLength: 40 }), (cidrs) => {
        const items: Ranged<number>[] = cidrs.map((c, i) => ({ cidr: c, item: i }));
        const key = (i: number, j: number) => `${Math.min(i, j)}-${Math.max(i, j)}`;
        const naive = new Set<string>();
        for (let i = 0; i < items.length; i++) {
          for (let j = i + 1; j < items.length; j++) {
            if (overlaps(cidrs[i] as Cidr, cidrs[j] as Cidr)) naive.add(key(i, j));
          }
        }
        const pairs = findOverlaps(items);
        const got = pairs.map(([a, b]) => key(a.item, b.item));
        expect(new Set(got).size).toBe(got.length); // each pair once
        expect(new Set(got)).toEqual(naive);
        for (const [a, b] of pairs) expect(a.cidr.start <= b.cidr.start).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
