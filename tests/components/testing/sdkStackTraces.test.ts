/**
 * The offline preview's mock runtime without the SDK's own stack traces (sdkStackTraces: false):
 * the same resources are registered, the SDK's bookkeeping stacks are skipped while the program
 * runs, and an error the program throws still names the line of the source that threw it.
 */

import { withoutSdkStackTraces } from "@kubeplat/components/internal/testing/sdkStackTraces";
import { startMockRuntime } from "@kubeplat/components/testing";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";

class Thing extends pulumi.CustomResource {
  constructor(name: string, opts: pulumi.CustomResourceOptions) {
    super("test:index:Thing", name, { size: 3 }, opts);
  }
}

class Thrower extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Thrower", name);
    new Thing(`${name}-thing`, { parent: this });
    throw new Error("refused"); // THROW-LINE
  }
}

const THROW_LINE = 22; // the line marked THROW-LINE

describe("sdkStackTraces: false", () => {
  it("registers the same resources, and an error the program throws points at its source", async () => {
    const rt = await startMockRuntime({ project: "p", stack: "s", sdkStackTraces: false });
    const before = Error.prepareStackTrace;
    const mapped = process.sourceMapsEnabled;
    const late: unknown[] = [];
    const onRejection = (e: unknown) => late.push(e);
    process.on("unhandledRejection", onRejection);
    let thrown: Error | undefined;
    try {
      await rt.run(() => {
        new Thrower("t");
        return undefined;
      });
    } catch (e) {
      thrown = e as Error;
    } finally {
      await new Promise((r) => setImmediate(r));
      process.off("unhandledRejection", onRejection);
    }
    expect(thrown?.message).toBe("refused");
    expect(thrown?.stack).toMatch(new RegExp(`sdkStackTraces\\.test\\.ts:${THROW_LINE}:`));
    expect(rt.urns()).toEqual([
      "urn:pulumi:s::p::pulumi:pulumi:Stack$test:index:Thrower::t",
      "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s",
      "urn:pulumi:s::p::test:index:Thrower$test:index:Thing::t-thing",
    ]);
    expect(rt.one("test:index:Thing").inputs).toEqual({ size: 3 });
    // Restored once the run settles.
    expect(Error.prepareStackTrace).toBe(before);
    expect(process.sourceMapsEnabled).toBe(mapped);
  });

  it("skips only the SDK's own traces: other errors made during the run keep their frames", async () => {
    const made = await withoutSdkStackTraces(async () => {
      const inside = new Error("inside");
      return inside.stack ?? "";
    });
    expect(made).toMatch(/^Error: inside\n\s+at /);
    expect(made).toContain("sdkStackTraces.test.ts");
  });

  it("overlapping runs restore the formatter once, when the last settles", async () => {
    const before = Error.prepareStackTrace;
    let release: () => void = () => {};
    const first = withoutSdkStackTraces(() => new Promise<void>((r) => (release = r)));
    await withoutSdkStackTraces(async () => {});
    expect(Error.prepareStackTrace).not.toBe(before);
    release();
    await first;
    expect(Error.prepareStackTrace).toBe(before);
  });
});
