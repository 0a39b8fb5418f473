/**
 * `npm run bench:preview`: what the offline preview costs against the bare Pulumi SDK.
 *
 * For a generated fleet (bench/fleet.ts: N Terway clusters × 4 node pools × 3 zones on Alibaba
 * Cloud) at 1, 10 and 50 clusters, runs in its own process each
 *   - the offline preview (stacks/offline/preview.ts: spec, plan, the stacks program under the
 *     mock runtime, the policy pack over what it registered), and
 *   - the bare SDK: the same custom resources registered as `new pulumi.CustomResource(type,
 *     name, inputs)` in the same mock runtime, with the preview's runtime settings (no SDK
 *     stack traces while registering, outputs made when first read: see
 *     components/src/testing/sdkStackTraces.ts and lazyOutputs.ts), and
 *   - the stock bare SDK: the same, with stack traces and outputs as the SDK makes them, and
 *   - the graph SDK: every resource the preview registered, its component resources included,
 *     as plain `ComponentResource` / `CustomResource` with the same parents, providers,
 *     `dependsOn` and inputs, in the preview's runtime: what the SDK costs for the program's
 *     resource graph, and
 *   - the typed graph SDK: the same with each custom resource constructed as its provider SDK's
 *     class (`new alicloud.cs.NodePool(name, inputs, opts)`): what any program registering these
 *     resources pays, so preview / typed graph SDK is what the components' own code, the plan,
 *     the pre-flight judgement and the pack cost,
 * and prints each one's whole-process wall time, CPU time and peak RSS, with the ratios
 * preview / bare SDK (the same runtime: what the components, planning and policy pack cost),
 * preview / stock bare SDK, and 50 / 1 clusters. CPU time is the steadier figure on a shared
 * machine.
 * Numbers are printed, never asserted.
 *
 *   npm run bench:preview                     sizes 1, 10, 50; each process once
 *   npm run bench:preview -- --repeat 3       the median of 3 runs of each
 *   npm run bench:preview -- --sizes 1,10     other fleet sizes
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { writeFleetStack } from "./fleet";

interface Sample {
  resources: number;
  custom: number;
  wallMs: number;
  cpuMs: number;
  maxRssMiB: number;
}

const CHILD = join(__dirname, "previewChild.ts");

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function child(args: string[]): Sample {
  const start = performance.now();
  const r = spawnSync(process.execPath, ["--import", "tsx", "--conditions=source", CHILD, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - start;
  if (r.status !== 0) throw new Error(`${args[0]} failed (${r.status}):\n${r.stderr}`);
  const line = r.stdout.trim().split("\n").pop() ?? "{}";
  const out = JSON.parse(line) as Omit<Sample, "wallMs">;
  return { ...out, wallMs };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function medianSample(samples: Sample[]): Sample {
  const first = samples[0] as Sample;
  return {
    resources: first.resources,
    custom: first.custom,
    wallMs: median(samples.map((s) => s.wallMs)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    maxRssMiB: median(samples.map((s) => s.maxRssMiB)),
  };
}

const sizes = (arg("--sizes") ?? "1,10,50").split(",").map(Number);
const repeat = Number(arg("--repeat") ?? 1);
const dir = mkdtempSync(join(tmpdir(), "bench-preview-"));
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (m: number) => `${Math.round(m)} MiB`;
const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const rows: { size: number; preview: Sample; bare: Sample; stock: Sample; graph: Sample; typed: Sample }[] =
  [];
try {
  for (const size of sizes) {
    const env = writeFleetStack(dir, size);
    const fixture = join(dir, `${env}.resources.json`);
    const previews: Sample[] = [];
    const bares: Sample[] = [];
    const stocks: Sample[] = [];
    const graphs: Sample[] = [];
    const typeds: Sample[] = [];
    // Interleave them so a change in the machine's load touches all alike.
    for (let i = 0; i < repeat; i++) {
      previews.push(child(["preview", dir, env, fixture]));
      bares.push(child(["bare", fixture, env, "preview"]));
      stocks.push(child(["bare", fixture, env, "sdk"]));
      graphs.push(child(["graph", fixture, env, "plain"]));
      typeds.push(child(["graph", fixture, env, "typed"]));
    }
    const preview = medianSample(previews);
    const bare = medianSample(bares);
    const stock = medianSample(stocks);
    const graph = medianSample(graphs);
    const typed = medianSample(typeds);
    rows.push({ size, preview, bare, stock, graph, typed });
    const line = (what: string, v: Sample) =>
      `  ${what.padEnd(15)} ${s(v.wallMs).padStart(8)} wall ${s(v.cpuMs).padStart(8)} CPU ${mib(v.maxRssMiB).padStart(9)} peak`;
    const spread = (xs: Sample[]) =>
      repeat > 1 ? ` (CPU of the ${repeat} runs: ${xs.map((v) => s(v.cpuMs)).join(", ")})` : "";
    console.log(
      [
        `${size} cluster(s): ${preview.resources} resources, ${preview.custom} custom${repeat > 1 ? `; medians of ${repeat} runs` : ""}`,
        `${line("preview", preview)}${spread(previews)}`,
        `${line("bare SDK", bare)}${spread(bares)}`,
        `${line("stock bare SDK", stock)}${spread(stocks)}`,
        `${line("graph SDK", graph)}${spread(graphs)}`,
        `${line("typed graph SDK", typed)}${spread(typeds)}`,
        `  preview / bare SDK:       ${x(preview.wallMs, bare.wallMs)} wall, ${x(preview.cpuMs, bare.cpuMs)} CPU, ${x(preview.maxRssMiB, bare.maxRssMiB)} memory`,
        `  preview / stock bare SDK: ${x(preview.wallMs, stock.wallMs)} wall, ${x(preview.cpuMs, stock.cpuMs)} CPU, ${x(preview.maxRssMiB, stock.maxRssMiB)} memory`,
        `  graph SDK / bare SDK:     ${x(graph.wallMs, bare.wallMs)} wall, ${x(graph.cpuMs, bare.cpuMs)} CPU, ${x(graph.maxRssMiB, bare.maxRssMiB)} memory`,
        `  typed graph / bare SDK:   ${x(typed.wallMs, bare.wallMs)} wall, ${x(typed.cpuMs, bare.cpuMs)} CPU, ${x(typed.maxRssMiB, bare.maxRssMiB)} memory`,
        `  preview / typed graph:    ${x(preview.wallMs, typed.wallMs)} wall, ${x(preview.cpuMs, typed.cpuMs)} CPU, ${x(preview.maxRssMiB, typed.maxRssMiB)} memory`,
      ].join("\n"),
    );
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first && last && last !== first) {
    console.log(
      `${last.size} / ${first.size} clusters: preview ${x(last.preview.wallMs, first.preview.wallMs)} wall, ${x(last.preview.cpuMs, first.preview.cpuMs)} CPU, ${x(last.preview.maxRssMiB, first.preview.maxRssMiB)} memory; bare SDK ${x(last.bare.wallMs, first.bare.wallMs)} wall, ${x(last.bare.cpuMs, first.bare.cpuMs)} CPU, ${x(last.bare.maxRssMiB, first.bare.maxRssMiB)} memory`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
