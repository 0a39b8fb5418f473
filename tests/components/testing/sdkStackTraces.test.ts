/**
 * The offline preview's mock runtime without the SDK's own stack traces (sdkStackTraces: false):
 * the same resources are registered, the SDK's bookkeeping stacks are skipped while the program
 * runs, and an error the program throws still names the line of the source that threw it.
 */

import { withoutSdkStackTraces } from "@kubeplat/components/internal/testing/sdkStackTraces";
import { startMockRuntime } from "@kubeplat/components/testing";
import * as pulumi from "@pulumi/pulumi";

import debuggable = require("@pulumi/pulumi/runtime/debuggable");

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

const THROW_LINE = 25; // the line marked THROW-LINE

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

  it("makes no frames for the SDK's own traces while the run lasts, and restores them after", async () => {
    const sdk = debuggable as unknown as {
      debuggablePromise: (p: Promise<unknown>, ctx: string) => Promise<unknown>;
    };
    const resource = pulumi.Resource as unknown as { callsites: () => unknown[] };
    const before = { debuggablePromise: sdk.debuggablePromise, callsites: resource.callsites };
    const seen = await withoutSdkStackTraces(async () => {
      const p = Promise.resolve(1);
      const value = await sdk.debuggablePromise(p, "ctx");
      return {
        value,
        stack: (p as unknown as { _debugStackTrace: string })._debugStackTrace,
        ctx: (p as unknown as { _debugCtx: string })._debugCtx,
        callsites: resource.callsites(),
        limit: Error.stackTraceLimit,
      };
    });
    // No frame: the header alone ("Error", or "Error: " as a test framework's formatter writes it).
    expect(seen.stack).toMatch(/^Error(: )?$/);
    expect({ ...seen, stack: undefined }).toEqual({
      value: 1,
      stack: undefined,
      ctx: "ctx",
      callsites: [],
      limit: Error.stackTraceLimit,
    });
    expect(sdk.debuggablePromise).toBe(before.debuggablePromise);
    expect(resource.callsites).toBe(before.callsites);
    // Outside a run the SDK's own trace has its frames again.
    expect(resource.callsites().length).toBeGreaterThan(0);
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
