import { compareQuantities, mergeResourceQuotas } from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const ITEMS = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "pods", "requests.storage"];

const quantity = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 4000 }), fc.constantFrom("m", "", "k")).map(([n, s]) => `${n}${s}`),
  fc.tuple(fc.integer({ min: 0, max: 4096 }), fc.constantFrom("Ki", "Mi", "Gi")).map(([n, s]) => `${n}${s}`),
  fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9 })).map(([a, b]) => `${a}.${b}`),
  fc.integer({ min: 0, max: 20 }).map((e) => `1e${e}`),
);
const quota = fc.dictionary(fc.constantFrom(...ITEMS), quantity, { maxKeys: ITEMS.length });

describe("mergeResourceQuotas", () => {
  it("merges the documented example into its default quota (Alauda Container Platform docs: FAQ: why a namespace must not hold several ResourceQuotas when it is imported)", () => {
    const a = { "requests.cpu": "1", "requests.memory": "500Mi", "limits.cpu": "3", "limits.memory": "1Gi" };
    const b = { "requests.cpu": "2", "requests.memory": "300Mi", "limits.cpu": "2", "limits.memory": "2Gi" };
    expect(mergeResourceQuotas([a, b])).toEqual({
      "requests.cpu": "1",
      "requests.memory": "300Mi",
      "limits.cpu": "2",
      "limits.memory": "1Gi",
    });
  });

  it("keeps an item only some quotas set (each ResourceQuota is enforced on its own, Alauda Container Platform docs: FAQ: why a namespace must not hold several ResourceQuotas when it is imported)", () => {
    expect(mergeResourceQuotas([{ pods: "10", "requests.cpu": "4" }, { "requests.cpu": "2" }])).toEqual({
      pods: "10",
      "requests.cpu": "2",
    });
  });

  it("compares by value, not text, and writes the canonical form", () => {
    expect(mergeResourceQuotas([{ "limits.cpu": "1500m" }, { "limits.cpu": "2" }])).toEqual({
      "limits.cpu": "1500m",
    });
    expect(mergeResourceQuotas([{ "limits.memory": "1.5Gi" }, { "limits.memory": "2G" }])).toEqual({
      "limits.memory": "1536Mi",
    });
    expect(mergeResourceQuotas([{ "requests.cpu": "1000m" }])).toEqual({ "requests.cpu": "1" });
  });

  it("no quotas merge to an empty quota", () => {
    expect(mergeResourceQuotas([])).toEqual({});
    expect(mergeResourceQuotas([{}, {}])).toEqual({});
  });

  it("names the item and the text of a value that is not a quantity", () => {
    expect(() => mergeResourceQuotas([{ "requests.cpu": "1" }, { "requests.cpu": "one" }])).toThrow(
      'quota item "requests.cpu": "one" is not a Kubernetes quantity',
    );
  });

  it("result ≤ each input, item-wise, and holds every item of every input", () => {
    fc.assert(
      fc.property(fc.array(quota, { maxLength: 5 }), (quotas) => {
        const merged = mergeResourceQuotas(quotas);
        const items = new Set(quotas.flatMap((q) => Object.keys(q)));
        expect(new Set(Object.keys(merged))).toEqual(items);
        for (const q of quotas) {
          for (const [item, value] of Object.entries(q)) {
            expect(compareQuantities(merged[item] as string, value)).toBeLessThanOrEqual(0);
          }
        }
        // ...and equals one of the inputs' values (a minimum, not a lower bound).
        for (const [item, value] of Object.entries(merged)) {
          expect(quotas.some((q) => q[item] !== undefined && compareQuantities(q[item], value) === 0)).toBe(
            true,
          );
        }
      }),
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(fc.array(quota, { maxLength: 4 }), (quotas) => {
        const once = mergeResourceQuotas(quotas);
        expect(mergeResourceQuotas([once])).toEqual(once);
        expect(mergeResourceQuotas([once, once])).toEqual(once);
        expect(mergeResourceQuotas([...quotas, once])).toEqual(once);
      }),
    );
  });

  it("is commutative", () => {
    fc.assert(
      fc.property(quota, quota, (a, b) => {
        expect(mergeResourceQuotas([a, b])).toEqual(mergeResourceQuotas([b, a]));
      }),
    );
  });

  it("is commutative even between equal values spelled differently", () => {
    const a = { "limits.memory": "1Gi", "requests.cpu": "1" };
    const b = { "limits.memory": "1073741824", "requests.cpu": "1000m" };
    expect(mergeResourceQuotas([a, b])).toEqual(mergeResourceQuotas([b, a]));
  });

  it("is associative", () => {
    fc.assert(
      fc.property(quota, quota, quota, (a, b, c) => {
        const left = mergeResourceQuotas([mergeResourceQuotas([a, b]), c]);
        const right = mergeResourceQuotas([a, mergeResourceQuotas([b, c])]);
        expect(left).toEqual(right);
        expect(left).toEqual(mergeResourceQuotas([a, b, c]));
      }),
    );
  });
});
