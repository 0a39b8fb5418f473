/**
 * The offline preview's lazy outputs (lazyOutputs: true): a provider property's Output is made
 * when it is first read, and reads the same as the Output the SDK makes at construction:
 * before the registration is answered, after it, or replaced by an assignment first.
 */

import { resolveOutput, startMockRuntime } from "@kubeplat/components/testing";
import * as pulumi from "@pulumi/pulumi";

import rpc = require("@pulumi/pulumi/runtime/rpc");

import { describe, expect, it } from "vitest";

class Thing extends pulumi.CustomResource {
  declare readonly size: pulumi.Output<number>;
  declare readonly arn: pulumi.Output<string>;
  declare readonly zone: pulumi.Output<string>;
  constructor(name: string, size: number) {
    // As a typed provider class passes them: its inputs and every output property, undefined.
    super("test:index:Thing", name, { size, arn: undefined, zone: undefined });
  }
}

class Consumer extends pulumi.CustomResource {
  constructor(name: string, arn: pulumi.Input<string>) {
    super("test:index:Consumer", name, { arn });
  }
}

describe("lazyOutputs: true", () => {
  it("makes an Output when it is first read, with the values the registration gave", async () => {
    const rt = await startMockRuntime({
      project: "p",
      stack: "s",
      lazyOutputs: true,
      state: (args) =>
        args.type === "test:index:Thing" ? { arn: `arn:${args.name}`, zone: "z" } : undefined,
    });
    const sdk = rpc as unknown as { transferProperties: unknown };
    const before = sdk.transferProperties;
    let early: Promise<unknown> | undefined;
    let late: Thing | undefined;
    let assigned: Thing | undefined;
    let keys: string[] = [];
    let unread: PropertyDescriptor | undefined;
    await rt.run(() => {
      const a = new Thing("a", 3);
      // Read before the mock monitor answers: resolved by the registration, as before.
      early = resolveOutput(a.size);
      late = new Thing("b", 4);
      assigned = new Thing("c", 5);
      // An Output made lazily belongs to its resource: what it flows into depends on it.
      new Consumer("d", a.arn);
      (assigned as unknown as { zone: string }).zone = "mine";
      // Not made until read: an accessor stands in for it.
      unread = Object.getOwnPropertyDescriptor(a, "zone");
      keys = Object.keys(a).filter((k) => ["size", "arn", "zone"].includes(k));
      return undefined;
    });
    expect(await early).toBe(3);
    expect(typeof unread?.get).toBe("function");
    // First read after the registration was answered.
    expect(await resolveOutput((late as Thing).arn)).toBe("arn:b");
    expect(await resolveOutput((late as Thing).size)).toBe(4);
    expect(pulumi.Output.isInstance((late as Thing).arn)).toBe(true);
    // The same Output on every read.
    expect((late as Thing).arn).toBe((late as Thing).arn);
    expect(Object.getOwnPropertyDescriptor(late, "arn")?.get).toBeUndefined();
    expect((assigned as unknown as { zone: string }).zone).toBe("mine");
    expect(keys.sort()).toEqual(["arn", "size", "zone"]);
    expect(rt.one("test:index:Thing", "b").inputs).toEqual({ size: 4 });
    expect(rt.one("test:index:Consumer", "d").dependencies).toEqual([rt.one("test:index:Thing", "a").urn]);
    expect(rt.one("test:index:Consumer", "d").inputs).toEqual({ arn: "arn:a" });
    // The SDK's own function again once the run settled.
    expect(sdk.transferProperties).toBe(before);
  });
});
