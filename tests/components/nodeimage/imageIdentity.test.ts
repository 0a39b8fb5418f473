import {
  canonicalJson,
  contentHash,
  IDENTITY_LENGTH,
  imageIdentity,
  MAX_NAME_LENGTH,
  rolloutName,
} from "@kubeplat/components/internal/nodeimage/imageIdentity";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/** Rebuild an object with its keys in reverse order, at every level. */
function reorder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reorder);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .reverse()
        .map((k) => [k, reorder((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

const plain = fc.jsonValue({ maxDepth: 4 });

describe("image identity", () => {
  it("is a stable 10-hex-character prefix of the SHA-256 of the canonical JSON", () => {
    expect(imageIdentity({ b: 1, a: "x" })).toBe(contentHash('{"a":"x","b":1}').slice(0, IDENTITY_LENGTH));
    expect(imageIdentity({ family: "bottlerocket", amiId: "ami-0123" })).toMatch(/^[0-9a-f]{10}$/);
    // Pinned: an identity must not change between releases of this library, or every pool rolls.
    expect(imageIdentity({ family: "containeros", imageId: "" })).toBe(
      contentHash('{"family":"containeros","imageId":""}').slice(0, 10),
    );
  });

  it("does not depend on key order", () => {
    fc.assert(
      fc.property(plain, (v) => {
        expect(canonicalJson(reorder(v))).toBe(canonicalJson(v));
        expect(imageIdentity(reorder(v))).toBe(imageIdentity(v));
      }),
    );
  });

  it("changes when any value changes", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string(), { minKeys: 1 }),
        fc.string(),
        (obj, extra) => {
          const key = Object.keys(obj)[0] as string;
          const changed = { ...obj, [key]: `${obj[key]}${extra}#` };
          expect(imageIdentity(changed)).not.toBe(imageIdentity(obj));
        },
      ),
    );
  });

  it("drops undefined members, as JSON does, and rejects what is not plain data", () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow("$.n is NaN");
    expect(() => canonicalJson({ d: new Date(0) })).toThrow("$.d is a Date, not plain data");
    expect(() => canonicalJson({ f: () => 1 })).toThrow("$.f is a function");
  });
});

describe("rollout names", () => {
  it("append the identity and always fit in 63 characters", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9-]{1,100}$/), plain, (base, v) => {
        const id = imageIdentity(v);
        const name = rolloutName(base, id);
        expect(name.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
        expect(name.endsWith(id)).toBe(true);
        expect(name).not.toMatch(/--[0-9a-f]{10}$/);
      }),
    );
  });

  it("keep short names whole and shorten long ones", () => {
    expect(rolloutName("workers", "0123456789")).toBe("workers-0123456789");
    expect(rolloutName("a".repeat(70), "0123456789")).toBe(`${"a".repeat(52)}-0123456789`);
    expect(() => rolloutName("x", "0123456789", 10)).toThrow("leaves no room");
  });
});
