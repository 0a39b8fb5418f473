/**
 * stackOfUrn reads the stack out of a URN with string operations (it runs once per policy and
 * resource); it must answer exactly what the regular expression it replaced answers.
 */
import { stackOfUrn } from "@kubeplat/policy/config";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const byRegex = (urn: string) => /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];

describe("stackOfUrn", () => {
  it("reads the stack of a URN", () => {
    expect(stackOfUrn("urn:pulumi:prod::platform::alicloud:vpc/network:Network::vpc")).toBe("prod");
    expect(stackOfUrn("urn:pulumi:org/prod::p::t::n")).toBe("org/prod");
    expect(stackOfUrn("urn:pulumi:::p::t::n")).toBeUndefined();
    expect(stackOfUrn("urn:pulumi:a:b::p::t::n")).toBeUndefined();
    expect(stackOfUrn("stack prod")).toBeUndefined();
  });

  it("answers what /^urn:pulumi:([^:]+)::/ answers", () => {
    const piece = fc.stringMatching(/^[a-z:/-]{0,6}$/);
    const urn = fc.oneof(
      fc.tuple(piece, piece, piece).map(([a, b, c]) => `urn:pulumi:${a}::${b}::${c}`),
      fc.tuple(piece, piece).map(([a, b]) => `urn:pulumi:${a}${b}`),
      fc.string(),
    );
    fc.assert(fc.property(urn, (u) => stackOfUrn(u) === byRegex(u)));
  });
});
