/**
 * How the pack reads values unknown during a preview: the sentinels it strips are exactly the
 * ones @pulumi/policy's proxy refuses to read, and a stripped copy keeps every known key.
 */

import { known, UNKNOWN_SENTINELS, unwrapProxy } from "@kubeplat/plan/facts";
import { UnknownValueError, unknownCheckingProxy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";

describe("unknown values", () => {
  it("every sentinel the pack strips is one @pulumi/policy's proxy throws UnknownValueError on", () => {
    expect(UNKNOWN_SENTINELS.size).toBe(7);
    for (const sentinel of UNKNOWN_SENTINELS) {
      const props = unknownCheckingProxy({ value: sentinel }) as Record<string, unknown>;
      expect(() => props.value).toThrow(UnknownValueError);
    }
    const plain = unknownCheckingProxy({ value: "10.0.0.0/8" }) as Record<string, unknown>;
    expect(plain.value).toBe("10.0.0.0/8");
  });

  it("known() reads the proxy's target without tripping it, and keeps keys whose value is unknown", () => {
    const raw = {
      cidrBlock: "10.0.0.0/16",
      vpcId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      ids: ["a", "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2"],
      metadata: { labels: { team: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", env: "prod" } },
    };
    const proxied = unknownCheckingProxy(raw);
    expect(unwrapProxy(proxied)).toBe(raw);
    const k = known(proxied);
    expect(k).toEqual({
      cidrBlock: "10.0.0.0/16",
      vpcId: undefined,
      ids: ["a", undefined],
      metadata: { labels: { team: undefined, env: "prod" } },
    });
    expect("vpcId" in k).toBe(true);
    expect(Object.keys((k.metadata as { labels: object }).labels)).toEqual(["team", "env"]);
    // Not memoised (CrossGuard hands every policy fresh props): the same answer, a new copy.
    expect(known(proxied)).toEqual(k);
    expect(known(proxied)).not.toBe(k);
  });

  it("known() copies nothing when nothing is unknown, unwraps secrets and the mock runtime's Unknown", () => {
    const raw = { a: { b: [1, 2] } };
    expect(known(raw)).toBe(raw);
    const secret = {
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: "s3cr3t",
    };
    expect(known({ password: secret })).toEqual({ password: "s3cr3t" });
    expect(known({ id: { __pulumiUnknown: true } })).toEqual({ id: undefined });
  });
});
