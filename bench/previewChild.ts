/**
 * One measured process of `npm run bench:preview` (run by bench/preview.ts, not by hand):
 *
 *   preview <dir> <env> <fixture.json>   the offline preview of <env> (program, plan, policy pack);
 *                                        writes the custom resources it registered to <fixture.json>
 *   bare <fixture.json> <env> <traces>   the same custom resources as plain
 *                                        `new pulumi.CustomResource(type, name, inputs)` in the same
 *                                        mock runtime, with the same placeholder answers; <traces>
 *                                        "sdk": stack traces as the SDK makes them (the stock SDK),
 *                                        "preview": the preview's runtime (sdkStackTraces: false,
 *                                        lazyOutputs: true)
 *
 * Prints one JSON line: the phase's wall time, this process's CPU time and peak RSS.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { offlineCall, offlineState, startMockRuntime } from "@kubeplat/components/testing";
import * as pulumi from "@pulumi/pulumi";
import { failed, previewEnvironment } from "../stacks/offline/preview";

interface Fixture {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

function report(extra: Record<string, unknown>, start: number): void {
  const u = process.resourceUsage();
  process.stdout.write(
    `${JSON.stringify({
      ...extra,
      phaseMs: performance.now() - start,
      uptimeMs: process.uptime() * 1000,
      cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000,
      maxRssMiB: u.maxRSS / 1024,
    })}\n`,
  );
}

async function preview(dir: string, env: string, fixture: string): Promise<void> {
  const start = performance.now();
  const r = await previewEnvironment(env, { dir });
  const custom = r.resources.filter((x) => x.custom);
  report(
    {
      resources: r.resources.length,
      custom: custom.length,
      failed: failed(r),
      policyDiagnostics: r.policyDiagnostics.length,
    },
    start,
  );
  const out: Fixture[] = custom.map((x) => ({ type: x.type, name: x.name, inputs: x.inputs }));
  writeFileSync(fixture, JSON.stringify(out));
}

async function bare(fixture: string, env: string, traces: string): Promise<void> {
  const resources = JSON.parse(readFileSync(fixture, "utf8")) as Fixture[];
  const start = performance.now();
  const rt = await startMockRuntime({
    project: "platform",
    stack: env,
    state: offlineState,
    call: offlineCall,
    preview: true,
    sdkStackTraces: traces !== "preview",
    lazyOutputs: traces === "preview",
  });
  // Without parents, names a component made unique only under its parent could collide in a
  // URN: suffix a repeat with its position (none in the generated fleet today).
  const seen = new Set<string>();
  await rt.run(() => {
    resources.forEach((r, i) => {
      const key = `${r.type}::${r.name}`;
      const name = seen.has(key) ? `${r.name}-${i}` : r.name;
      seen.add(key);
      // The class is abstract only in its type: the provider SDKs' classes are thin subclasses.
      new (pulumi.CustomResource as unknown as new (t: string, n: string, i: object) => unknown)(
        r.type,
        name,
        r.inputs,
      );
    });
    return undefined;
  });
  report({ resources: rt.resources.length, custom: rt.resources.length }, start);
}

const [mode, a, b, c] = process.argv.slice(2);
const done =
  mode === "preview" && a && b && c
    ? preview(a, b, c)
    : mode === "bare" && a && b && c
      ? bare(a, b, c)
      : Promise.reject(
          new Error(
            "usage: previewChild.ts preview <dir> <env> <fixture> | bare <fixture> <env> sdk|preview",
          ),
        );
done.catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
