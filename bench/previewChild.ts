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
 *   graph <fixture.json> <env> plain|typed
 *                                        every resource the preview registered, the components
 *                                        included, with the same parents, providers, dependencies
 *                                        (`dependsOn`) and inputs, in the preview's runtime: what
 *                                        the SDK itself costs for the program's resource graph.
 *                                        "plain": as `ComponentResource` / `CustomResource`;
 *                                        "typed": each custom resource as its provider SDK's
 *                                        class (`new alicloud.cs.NodePool(name, inputs, opts)`),
 *                                        what any program registering them pays
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
  custom: boolean;
  urn: string;
  parent?: string;
  provider?: string;
  dependencies: string[];
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
  const all = r.resources.filter((x) => x.type !== "pulumi:pulumi:Stack");
  report(
    {
      resources: r.resources.length,
      custom: custom.length,
      failed: failed(r),
      policyDiagnostics: r.policyDiagnostics.length,
    },
    start,
  );
  const out: Fixture[] = all.map((x) => ({
    type: x.type,
    name: x.name,
    inputs: x.custom ? x.inputs : {},
    custom: x.custom,
    urn: x.urn,
    parent: x.parent,
    provider: x.provider,
    dependencies: x.dependencies,
  }));
  writeFileSync(fixture, JSON.stringify(out));
}

/** The mock runtime with the placeholder answers, in the preview's settings or the SDK's own. */
function runtime(env: string, previewSettings: boolean) {
  return startMockRuntime({
    project: "platform",
    stack: env,
    state: offlineState,
    call: offlineCall,
    preview: true,
    sdkStackTraces: !previewSettings,
    lazyOutputs: previewSettings,
  });
}

async function bare(fixture: string, env: string, traces: string): Promise<void> {
  const resources = (JSON.parse(readFileSync(fixture, "utf8")) as Fixture[]).filter((r) => r.custom);
  const start = performance.now();
  const rt = await runtime(env, traces === "preview");
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

type Ctor = new (n: string, i: object, o: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/**
 * The provider SDK class of a type token: `alicloud:cs/nodePool:NodePool` → alicloud.cs.NodePool,
 * `kubernetes:rbac.authorization.k8s.io/v1:ClusterRole` → kubernetes.rbac.v1.ClusterRole, a
 * custom resource kind (`kubernetes:alibabacloud.com/v1:AlbConfig`) → apiextensions.CustomResource.
 */
function typedClass(type: string): Ctor | undefined {
  const [pkg, mod = "", cls = ""] = type.split(":");
  // Loaded only for the typed graph, as the program loads them.
  const load = (m: string) => require(m) as Record<string, Record<string, unknown>>;
  if (type === "pulumi:providers:kubernetes") return load("@pulumi/kubernetes").Provider as unknown as Ctor;
  if (pkg === "alicloud" || pkg === "aws")
    return load(`@pulumi/${pkg}`)[mod.split("/")[0] as string]?.[cls] as Ctor;
  if (pkg !== "kubernetes") return undefined;
  const k8s = load("@pulumi/kubernetes") as unknown as Record<
    string,
    Record<string, Record<string, unknown>>
  >;
  const [group = "", version = ""] = mod.split("/");
  const ns =
    group === "core"
      ? "core"
      : group
          .replace(/\.k8s\.io$/, "")
          .replace(/\.sh$/, "")
          .split(".")[0];
  const found = k8s[ns as string]?.[version]?.[cls] as Ctor | undefined;
  if (found) return found;
  const Custom = (k8s.apiextensions as unknown as { CustomResource: Ctor }).CustomResource;
  return Custom;
}

async function graph(fixture: string, env: string, kind: string): Promise<void> {
  const resources = JSON.parse(readFileSync(fixture, "utf8")) as Fixture[];
  const start = performance.now();
  const rt = await runtime(env, true);
  await rt.run(() => {
    // In registration order, so a parent and every dependency exist before the resource.
    const byUrn = new Map<string, pulumi.Resource>();
    const Custom = pulumi.CustomResource as unknown as new (
      t: string,
      n: string,
      i: object,
      o: pulumi.CustomResourceOptions,
    ) => pulumi.CustomResource;
    for (const r of resources) {
      const parent = r.parent ? byUrn.get(r.parent) : undefined;
      const dependsOn = r.dependencies.flatMap((d) => byUrn.get(d) ?? []);
      const opts = { ...(parent ? { parent } : {}), dependsOn };
      byUrn.set(
        r.urn,
        r.custom
          ? new Custom(r.type, r.name, r.inputs, opts)
          : new pulumi.ComponentResource(r.type, r.name, {}, opts),
      );
    }
    for (const r of byUrn.values()) {
      if (!(r instanceof pulumi.CustomResource))
        (r as unknown as { registerOutputs(o: object): void }).registerOutputs({});
    }
    return undefined;
  });
  report({ resources: rt.resources.length, custom: resources.filter((r) => r.custom).length }, start);
}

const [mode, a, b, c] = process.argv.slice(2);
const done =
  mode === "preview" && a && b && c
    ? preview(a, b, c)
    : mode === "bare" && a && b && c
      ? bare(a, b, c)
      : mode === "graph" && a && b && c
        ? graph(a, b, c)
        : Promise.reject(
            new Error(
              "usage: previewChild.ts preview <dir> <env> <fixture> | bare <fixture> <env> sdk|preview | graph <fixture> <env> plain|typed",
            ),
          );
done.catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
