/**
 * The offline preview: the stacks program under Pulumi's mock runtime (no cloud, no Pulumi
 * CLI), every registered resource collected, and the CrossGuard pack evaluated over them exactly
 * as `pulumi preview --policy-pack policy` would, with the settings the environment implies.
 */

import { validatePlatformChildren } from "@kubeplat/components";
import {
  offlineCall,
  offlineState,
  type RecordedResource,
  startMockRuntime,
} from "@kubeplat/components/testing";
import {
  type BaselineVersions,
  checkEnvironment,
  type Diagnostic,
  type Environment,
  type EnvironmentPlan,
  environmentVersions,
  PlatformValidationError,
  parseEnvironment,
  REGION_SETTING,
} from "@kubeplat/plan";
import type { SettingsInput } from "@kubeplat/policy/config";
import { type EvaluatedResource, evaluatePolicies } from "@kubeplat/policy/evaluate";
import { packConfig } from "@kubeplat/policy/policies";
import { platformProgram } from "../program";
import { policySettingsFromEnvironment } from "./policySettings";
import { ENVIRONMENT_KEY, readStackSettings } from "./stackConfig";

export const PROJECT = "platform";

export interface PreviewOptions {
  /** Directory of the `Pulumi.<env>.yaml` files. */
  dir?: string;
  /** Allocations of an earlier plan (cidr/plan-renumbered). */
  baseline?: Record<string, string>;
  /** Versions of an earlier plan (cluster/version-skew). Default: none, no change seen. */
  baselineVersions?: BaselineVersions;
  /** The day cluster/version-supported judges support on. Default: today (UTC). */
  today?: string;
  /** false: only the address plan and spec rules, without running the program. Default true. */
  runProgram?: boolean;
  /** Called while the program registers resources (count so far). */
  onProgress?: (registered: number) => void;
}

export interface PreviewResult {
  environment: string;
  file: string;
  env?: Environment;
  plan?: EnvironmentPlan;
  /** Every resource the program registered, in registration order. */
  resources: RecordedResource[];
  /** Stack outputs (kubeconfigs are placeholders in the preview). */
  outputs?: Record<string, unknown>;
  /** The spec, the plan and the components' own validation. */
  diagnostics: Diagnostic[];
  /** What the CrossGuard pack reports on the resources. */
  policyDiagnostics: Diagnostic[];
  /** The CrossGuard settings the environment implies. */
  policySettings?: SettingsInput;
  /** Warnings the program logged (component advisories), in order. */
  warnings: string[];
}

/** Whether a preview found anything mandatory. */
export function failed(r: PreviewResult): boolean {
  return [...r.diagnostics, ...r.policyDiagnostics].some((d) => d.severity === "mandatory");
}

export function toEvaluated(resources: readonly RecordedResource[]): EvaluatedResource[] {
  return resources.map((r) => ({
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: r.state,
    id: typeof r.state.id === "string" ? r.state.id : `${r.name}-id`,
    parent: r.parent,
    provider: r.provider,
    protect: r.protect,
    dependencies: r.dependencies,
  }));
}

/**
 * Preview one environment. Runs in this process's Pulumi runtime: one preview per process at a
 * time (the CLI previews one environment; tests run each in its own file or in sequence).
 */
export async function previewEnvironment(
  environment: string,
  options: PreviewOptions = {},
): Promise<PreviewResult> {
  const settings = readStackSettings(environment, options.dir);
  const result: PreviewResult = {
    environment,
    file: settings.file,
    resources: [],
    diagnostics: [],
    policyDiagnostics: [],
    warnings: [],
  };
  const parsed = parseEnvironment(settings.config[ENVIRONMENT_KEY], settings.file);
  if (!parsed.ok) {
    result.diagnostics = parsed.diagnostics;
    return result;
  }
  const env = parsed.env;
  const region = settings.config[REGION_SETTING[env.cloud]];
  const check = checkEnvironment(env, {
    baseline: options.baseline,
    baselineVersions: options.baselineVersions,
    today: options.today,
    providerRegion: typeof region === "string" ? region : undefined,
  });
  result.env = env;
  result.plan = check.plan;
  result.diagnostics = check.diagnostics;
  result.policySettings = {
    ...policySettingsFromEnvironment(env, environment),
    // The pack sees only the new inputs: the versions before the change are a setting. Without
    // a baseline, the environment's own versions (the baseline of the next change).
    baselineVersions: options.baselineVersions ?? environmentVersions(env),
    ...(options.today ? { today: options.today } : {}),
  };
  // A spec that breaks a mandatory rule never reaches the program: the Platform would refuse it
  // with the same diagnostics before registering anything.
  if (check.diagnostics.some((d) => d.severity === "mandatory")) return result;
  // The same judgement the Platform makes of its children before it registers (pure, no
  // program): --plan-only and the full preview refuse the same specs, at the same spec paths.
  const children = validatePlatformChildren(environment, env, check.plan);
  const refused = children.filter((d) => d.severity === "mandatory");
  if (refused.length > 0) {
    result.diagnostics.push(...refused);
    return result;
  }
  if (options.runProgram === false) return result;

  const rt = await startMockRuntime({
    project: PROJECT,
    stack: environment,
    config: options.baseline
      ? { ...settings.config, "platform:baselineAllocations": options.baseline }
      : settings.config,
    state: offlineState,
    call: offlineCall,
    preview: true,
    // Source positions of resources and the SDK's promise stacks are read by no one offline;
    // formatting them was a third of the preview's time (bench:preview).
    sdkStackTraces: false,
    // Outputs of provider properties the program never reads are never made (3% of them are
    // read in a 50-cluster fleet); they were most of the preview's peak memory (bench:preview).
    lazyOutputs: true,
  });
  const timer = options.onProgress
    ? setInterval(() => options.onProgress?.(rt.resources.length), 250)
    : undefined;
  const warn = console.warn;
  const log = console.log;
  const error = console.error;
  const capture = (...args: unknown[]) => {
    result.warnings.push(args.map(String).join(" "));
  };
  console.warn = capture;
  console.log = capture;
  console.error = capture;
  // A program that throws leaves promises of the stack resource rejected with the same error;
  // they are the error already caught below, not new failures.
  const lateRejections: unknown[] = [];
  const onRejection = (reason: unknown) => {
    if (!findValidationError(reason)) lateRejections.push(reason);
  };
  process.on("unhandledRejection", onRejection);
  try {
    result.outputs = await rt.run(() => platformProgram());
  } catch (e) {
    const v = findValidationError(e);
    if (!v) throw e;
    result.diagnostics.push(...v.diagnostics.filter((d) => !sameAsAny(d, result.diagnostics)));
  } finally {
    await new Promise((r) => setImmediate(r));
    process.off("unhandledRejection", onRejection);
    console.warn = warn;
    console.log = log;
    console.error = error;
    if (timer) clearInterval(timer);
  }
  if (lateRejections.length > 0) throw lateRejections[0];
  result.resources = rt.resources;
  options.onProgress?.(rt.resources.length);
  result.policyDiagnostics = evaluatePolicies(toEvaluated(rt.resources), {
    config: packConfig(result.policySettings),
    stackName: environment,
    project: PROJECT,
  });
  return result;
}

function sameAsAny(d: Diagnostic, list: readonly Diagnostic[]): boolean {
  return list.some((x) => x.rule === d.rule && x.message === d.message);
}

function findValidationError(e: unknown): PlatformValidationError | undefined {
  if (e instanceof PlatformValidationError) return e;
  if (
    e &&
    typeof e === "object" &&
    "diagnostics" in e &&
    Array.isArray((e as { diagnostics: unknown }).diagnostics)
  ) {
    return e as PlatformValidationError;
  }
  return undefined;
}
