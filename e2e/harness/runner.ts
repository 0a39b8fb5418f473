/**
 * One Pulumi operation (`up`, `preview`, `destroy`, ...) in a process of its own, run by the
 * harness (pulumi.ts) as `tsx e2e/harness/runner.ts <request.json> <result.json>`.
 *
 * The real `pulumi` CLI and engine do the work; the Node program runs inline through the
 * Automation API, because the Node.js language host (`pulumi-language-nodejs`) cannot be built
 * from the Go module proxy (see e2e/README.md). The program is the project's own:
 * `platformProgram()` of stacks/program.ts (the `main` of Pulumi.yaml), examples/team-app, or a
 * stack exporting a contract version this library does not know, each wrapped only in the
 * harness's resource transform (transforms.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { type EngineEvent, LocalWorkspace, type PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { teamApp } from "../../examples/team-app/app";
import { platformProgram } from "../../stacks/program";
import { e2eTransform } from "./transforms";

export type Program = "platform" | "team-app" | "future-contract";
export type Op = "up" | "preview" | "destroy" | "outputs" | "export" | "init";

export interface RunRequest {
  op: Op;
  program: Program;
  project: string;
  stack: string;
  workDir: string;
  /** The backend URL (`file://...`). */
  backend: string;
  policyPacks?: string[];
  policyPackConfigs?: string[];
  /** team-app config */
  config?: Record<string, string>;
  /** Stop the engine from deleting protected resources etc.: `up --target`-free. */
  expectFailure?: boolean;
}

export interface StepEvent {
  op: string;
  urn: string;
  type: string;
  diffs?: string[];
  keys?: string[];
}

export interface PolicyViolation {
  policyName: string;
  enforcementLevel: string;
  message: string;
  resourceUrn?: string;
}

export interface RunResult {
  ok: boolean;
  error?: string;
  stdout: string;
  stderr: string;
  summary?: Record<string, number>;
  steps: StepEvent[];
  policyViolations: PolicyViolation[];
  diagnostics: string[];
  outputs?: Record<string, { value: unknown; secret: boolean }>;
  state?: unknown;
}

function programOf(req: RunRequest): PulumiFn {
  const wrap =
    (body: () => unknown): PulumiFn =>
    async () => {
      pulumi.runtime.registerResourceTransform(e2eTransform);
      return (await body()) as Record<string, unknown>;
    };
  switch (req.program) {
    case "platform":
      return wrap(() => platformProgram());
    case "team-app": {
      const c = req.config ?? {};
      return wrap(async () => {
        const app = await teamApp({
          platformStack: c.platformStack as string,
          project: c.project as string,
          namespace: c.namespace as string,
        });
        return {
          cluster: app.cluster,
          namespace: app.namespace,
          ingressClass: app.ingressClass,
          host: app.host,
        };
      });
    }
    case "future-contract":
      // A platform stack from a future library: the contract's shape, an unknown version.
      return wrap(() => ({ contractVersion: pulumi.output("2"), environment: pulumi.output("future") }));
  }
}

async function main() {
  const [reqPath, resPath] = process.argv.slice(2);
  const req = JSON.parse(readFileSync(reqPath as string, "utf8")) as RunRequest;
  const result: RunResult = {
    ok: false,
    stdout: "",
    stderr: "",
    steps: [],
    policyViolations: [],
    diagnostics: [],
  };
  const onEvent = (e: EngineEvent) => {
    if (e.resourcePreEvent) {
      const m = e.resourcePreEvent.metadata;
      result.steps.push({ op: m.op, urn: m.urn, type: m.type, diffs: m.diffs, keys: m.keys });
    }
    if (e.policyEvent) {
      result.policyViolations.push({
        policyName: e.policyEvent.policyName,
        enforcementLevel: e.policyEvent.enforcementLevel,
        message: e.policyEvent.message,
        resourceUrn: e.policyEvent.resourceUrn,
      });
    }
    if (
      e.diagnosticEvent &&
      (e.diagnosticEvent.severity === "error" || e.diagnosticEvent.severity === "warning")
    ) {
      result.diagnostics.push(`${e.diagnosticEvent.severity}: ${e.diagnosticEvent.message}`);
    }
  };
  try {
    const ws = await LocalWorkspace.create({
      workDir: req.workDir,
      program: programOf(req),
      secretsProvider: "passphrase",
      projectSettings: { name: req.project, runtime: "nodejs", backend: { url: req.backend } },
    });
    const stack = await Stack.createOrSelect(req.stack, ws);
    const out = (r: { stdout: string; stderr: string }) => {
      result.stdout = r.stdout;
      result.stderr = r.stderr;
    };
    switch (req.op) {
      case "init":
        break;
      case "up": {
        const r = await stack.up({
          onEvent,
          color: "never",
          policyPacks: req.policyPacks,
          policyPackConfigs: req.policyPackConfigs,
        });
        out(r);
        result.summary = r.summary.resourceChanges as Record<string, number>;
        break;
      }
      case "preview": {
        const r = await stack.preview({
          onEvent,
          color: "never",
          diff: true,
          policyPacks: req.policyPacks,
          policyPackConfigs: req.policyPackConfigs,
        });
        out(r);
        result.summary = r.changeSummary as Record<string, number>;
        break;
      }
      case "destroy": {
        const r = await stack.destroy({ onEvent, color: "never" });
        out(r);
        result.summary = r.summary.resourceChanges as Record<string, number>;
        break;
      }
      case "outputs":
        result.outputs = await stack.outputs();
        break;
      case "export":
        result.state = await stack.exportStack();
        break;
    }
    result.ok = true;
  } catch (e) {
    const err = e as { message?: string; commandResult?: { stdout: string; stderr: string } };
    result.error = err.message ?? String(e);
    if (err.commandResult) {
      result.stdout = err.commandResult.stdout;
      result.stderr = err.commandResult.stderr;
    }
  }
  writeFileSync(resPath as string, JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
