/**
 * The Pulumi Node SDK formats a stack trace for every resource it registers (`new Error().stack`
 * with `Error.stackTraceLimit = Infinity`, parsed into the resource's source position and every
 * frame for the engine) and for every internal promise it creates (`debuggablePromise`: kept on
 * the promise as a string, printed only if the promise is still pending when the program exits).
 * A real `pulumi up` shows the source positions; the mock monitor of the offline preview reads
 * none of them, and formatting them was most of the preview's time and a large part of its
 * memory: under a TypeScript loader every frame is also translated through its source map, and
 * every output's promise kept its stack string as long as the output lived.
 *
 * `withoutSdkStackTraces(run)` runs `run` with both turned off:
 * - Node's source-map translation of stack traces is off, and
 * - an `Error.prepareStackTrace` answers the SDK's own two traces (made in `debuggablePromise`
 *   and `Resource.callsites`) with the error's header only, so the resources carry no source
 *   position and the promises no stack; every other error is formatted as V8 does.
 * - and, cheaper still, the two traces are not made at all: `Resource.callsites` answers no
 *   frames (what its parse of the header-only trace gave), and `debuggablePromise` runs with
 *   `Error.stackTraceLimit = 0`, so V8 captures no frames for a stack that reads "Error" either
 *   way. Everything else they do (the leak bookkeeping, the promise chain) is the SDK's own.
 *   Capturing the frames was, with the promises of every output property of a typed provider
 *   class, about a fifth of a 50-cluster preview's CPU even with nothing formatted.
 * All are restored when `run` settles. V8 formats a stack when it is first read, so an error a
 * program throws is formatted after the restore, with source maps: it still points at the
 * TypeScript source the user wrote.
 */
import { sep } from "node:path";
import * as pulumi from "@pulumi/pulumi";

// The module whose export the SDK calls for every internal promise (`debuggable_1.debuggablePromise`,
// looked up at each call, so a replaced export is the one called): its exports object itself,
// which `import * as` would not give under every loader.
import debuggable = require("@pulumi/pulumi/runtime/debuggable");

const SDK_DIR = `${sep}@pulumi${sep}pulumi${sep}`;
const SDK_TRACES: Record<string, string> = {
  debuggablePromise: `${SDK_DIR}runtime${sep}debuggable.js`,
  callsites: `${SDK_DIR}resource.js`,
};

function header(error: unknown): string {
  try {
    return String(error);
  } catch {
    return "Error";
  }
}

type Prepare = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** The SDK's bookkeeping traces: the header only. Every other error: the formatter before. */
function skippingSdkTraces(previous: Prepare | undefined): Prepare {
  return (error, frames) => {
    const top = frames[0];
    const fn = top?.getFunctionName();
    const sdkFile = fn ? SDK_TRACES[fn] : undefined;
    if (sdkFile && top?.getFileName()?.endsWith(sdkFile)) return "Error";
    if (previous) return previous(error, frames);
    let out = header(error);
    for (const f of frames) out += `\n    at ${f}`;
    return out;
  };
}

// Runs in progress, and what the first of them replaced: overlapping runs (two programs awaited
// together) restore it once, when the last one settles.
let active = 0;
let saved:
  | {
      mapped: boolean;
      previous: typeof Error.prepareStackTrace;
      callsites: () => unknown[];
      debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown>;
    }
  | undefined;

// The SDK's objects, as its own code sees them.
const sdkDebuggable = debuggable as unknown as {
  debuggablePromise: (p: Promise<unknown>, ctx: unknown) => Promise<unknown>;
};
const sdkResource = pulumi.Resource as unknown as { callsites: () => unknown[] };

function withoutFrames(
  original: (p: Promise<unknown>, ctx: unknown) => Promise<unknown>,
): (p: Promise<unknown>, ctx: unknown) => Promise<unknown> {
  return (p, ctx) => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return original(p, ctx);
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
}

export async function withoutSdkStackTraces<T>(run: () => Promise<T>): Promise<T> {
  if (active++ === 0) {
    // Node's own formatter (it installs one), or a test framework's: used for every other error.
    saved = {
      mapped: process.sourceMapsEnabled,
      previous: Error.prepareStackTrace,
      callsites: sdkResource.callsites,
      debuggablePromise: sdkDebuggable.debuggablePromise,
    };
    if (saved.mapped) process.setSourceMapsEnabled(false);
    Error.prepareStackTrace = skippingSdkTraces(saved.previous);
    sdkResource.callsites = () => [];
    sdkDebuggable.debuggablePromise = withoutFrames(saved.debuggablePromise);
  }
  try {
    return await run();
  } finally {
    if (--active === 0 && saved) {
      Error.prepareStackTrace = saved.previous;
      sdkResource.callsites = saved.callsites;
      sdkDebuggable.debuggablePromise = saved.debuggablePromise;
      if (saved.mapped) process.setSourceMapsEnabled(true);
      saved = undefined;
    }
  }
}
