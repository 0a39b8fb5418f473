/**
 * A child the Platform created is not judged twice (components/src/judgement.ts): the Platform's
 * pre-flight judged its arguments and logged the advisories at spec paths. Anything else
 * (a program, the component package) gets the component's own judgement.
 */

import { isJudged, judge, markJudged } from "@kubeplat/components/internal/judgement";
import type { Diagnostic } from "@kubeplat/plan";
import { PlatformValidationError } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";

const advisory: Diagnostic = {
  rule: "security/deletion-protection",
  severity: "advisory",
  path: "a",
  resource: "x",
  message: "m",
};
const mandatory: Diagnostic = {
  rule: "cidr/vswitch-overlap",
  severity: "mandatory",
  path: "b",
  resource: "x",
  message: "n",
};

describe("judge", () => {
  it("throws the mandatory findings and returns the advisories of arguments nobody judged", () => {
    expect(judge("C x", { a: 1 }, () => [advisory])).toEqual([advisory]);
    expect(() => judge("C x", { a: 1 }, () => [advisory, mandatory])).toThrow(PlatformValidationError);
  });

  it("does not run the validation of arguments the Platform judged", () => {
    const args = markJudged({ a: 1 });
    let ran = 0;
    expect(
      judge("C x", args, () => {
        ran++;
        return [mandatory];
      }),
    ).toEqual([]);
    expect(ran).toBe(0);
  });

  it("a copy of judged arguments is judged again: the mark is never forged", () => {
    const args = markJudged({ a: 1 });
    expect(isJudged(args)).toBe(true);
    expect(isJudged({ ...args })).toBe(false);
    expect(() => judge("C x", { ...args }, () => [mandatory])).toThrow(/cidr\/vswitch-overlap/);
  });
});
