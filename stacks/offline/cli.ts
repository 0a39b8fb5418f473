/**
 * `kubeplat plan <env>`: the offline preview of an environment. No cloud, no Pulumi CLI.
 *
 *   kubeplat plan dev                        resource tree, address plan, every rule it breaks
 *   kubeplat plan dev --json                 the same as one JSON document (stdout holds only it)
 *   kubeplat plan dev --html plan.html       also draw the address plan as an HTML page
 *   kubeplat plan dev --baseline f.json      also compare with an earlier plan (cidr/plan-renumbered, cluster/version-skew)
 *                                            and print the upgrade plan (versions, order, create/update/replace)
 *   kubeplat plan dev --baseline old.yaml    the same against an earlier settings file (previewed first)
 *   kubeplat plan dev --policy-config c      write the CrossGuard config this environment implies
 *   kubeplat plan dev --plan-only            the address plan and spec rules only (no program run)
 *
 * Exit status (EXIT below): 0 clean or advisories only, 1 a mandatory violation, 2 bad usage or
 * an unreadable or unwritable file, 70 an internal error. Everything but the report (progress,
 * warnings, errors) goes to stderr.
 */

import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { type BaselineVersions, capacityReport, environmentVersions, renderCapacity } from "@kubeplat/plan";
import { packConfig } from "@kubeplat/policy/policies";
import { Command, CommanderError } from "commander";
import { environmentAddons, renderAddons } from "./addonReport";
import { apiReach, renderApiReach } from "./apiReach";
import { renderPlanHtml } from "./planPicture";
import { renderDiagnostics, renderPlan } from "./planReport";
import { failed, type PreviewResult, previewEnvironment } from "./preview";
import { renderCounts, renderTree } from "./resourceReport";
import { STACKS_DIR, StackConfigError, stackFile } from "./stackConfig";
import { renderUpgradePlan, type UpgradeBaseline, upgradeBaseline, upgradePlan } from "./upgradePlan";

/** The documented exit codes (README "The offline preview"; sysexits' EX_SOFTWARE for 70). */
export const EXIT = { ok: 0, mandatory: 1, usage: 2, internal: 70 } as const;

/** Bad usage or a file that cannot be read or written: exit 2 with the message, no stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

interface Options {
  json?: boolean;
  baseline?: string;
  dir: string;
  html?: string;
  policyConfig?: string;
  planOnly?: boolean;
  tree: boolean;
}

interface Baseline {
  file: string;
  /** The environment the baseline was planned for, when the file says. */
  environment?: string;
  allocations: Record<string, string>;
  /** Versions per cluster and pool (`--json` `versions`); older outputs have none. */
  versions?: BaselineVersions;
  /** Versions and resource inputs for the upgrade plan. */
  upgrade: UpgradeBaseline;
}

/**
 * A baseline from an earlier settings file: preview it (in a directory of its own, under the
 * environment's file name) and keep what a `--json` of it would carry.
 */
async function previewBaseline(file: string, env: string): Promise<Baseline> {
  const dir = mkdtempSync(join(tmpdir(), "kubeplat-baseline-"));
  try {
    try {
      copyFileSync(file, stackFile(env, dir));
    } catch (e) {
      throw new UsageError(`baseline ${file} is not readable: ${(e as Error).message}`);
    }
    const r = await previewEnvironment(env, { dir });
    if (!r.plan) throw new UsageError(`baseline ${file} does not match the environment schema`);
    if (r.resources.length === 0) {
      const broken = r.diagnostics
        .filter((d) => d.severity === "mandatory")
        .map((d) => `${d.rule} at ${d.path}`);
      throw new UsageError(
        `baseline ${file} breaks mandatory rules (${broken.join(", ")}): a baseline is a deployable earlier spec`,
      );
    }
    const upgrade = upgradeBaseline(r.env, r.resources);
    return { file, environment: env, allocations: r.plan.allocations, versions: upgrade.versions, upgrade };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readBaseline(file: string, env: string): Baseline {
  let doc: {
    environment?: string;
    plan?: { environment?: string; allocations?: Record<string, string> };
    allocations?: Record<string, string>;
    versions?: BaselineVersions;
    stateful?: UpgradeBaseline["stateful"];
    inputDigests?: UpgradeBaseline["inputDigests"];
  };
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`baseline ${file} is not readable JSON: ${(e as Error).message}`);
  }
  const allocations = doc.plan?.allocations ?? doc.allocations;
  if (!allocations) throw new UsageError(`${file} holds no plan allocations (expected the output of --json)`);
  const environment = doc.environment ?? doc.plan?.environment;
  if (environment !== undefined && environment !== env)
    throw new UsageError(
      `baseline ${file} is a plan of environment "${environment}", not "${env}": compare a plan with an earlier plan of the same environment`,
    );
  return {
    file,
    environment,
    allocations,
    versions: doc.versions,
    upgrade: { versions: doc.versions, stateful: doc.stateful, inputDigests: doc.inputDigests },
  };
}

/** What the baseline comparison covered: "baseline: 14 allocations, none moved". */
function baselineSummary(b: Baseline, r: PreviewResult): string {
  const current = r.plan?.allocations ?? {};
  const compared = Object.keys(b.allocations).filter((k) => k in current).length;
  const moved = r.diagnostics.filter((d) => d.rule === "cidr/plan-renumbered").length;
  const gone = Object.keys(b.allocations).length - compared;
  const parts = [`baseline: ${compared} allocation${compared === 1 ? "" : "s"} compared with ${b.file}`];
  parts.push(moved === 0 ? "none moved" : `${moved} moved (cidr/plan-renumbered)`);
  if (gone > 0) parts.push(`${gone} no longer planned`);
  if (b.versions && r.env) {
    const now = environmentVersions(r.env);
    const moves = Object.entries(now).flatMap(([cluster, v]) => {
      const before = b.versions?.[cluster];
      const out: string[] = [];
      if (before?.version !== undefined && before.version !== v.version)
        out.push(`cluster ${cluster} ${before.version} → ${v.version}`);
      for (const [pool, pv] of Object.entries(v.pools)) {
        const pb = before?.pools?.[pool];
        if (pb !== undefined && pb !== pv) out.push(`pool ${cluster}/${pool} ${pb} → ${pv}`);
      }
      return out;
    });
    const skew = r.diagnostics.filter((d) => d.rule === "cluster/version-skew").length;
    parts.push(
      moves.length === 0
        ? "versions unchanged"
        : `versions: ${moves.join(", ")}${skew > 0 ? ` (${skew} cluster/version-skew)` : ""}`,
    );
  }
  return parts.join(", ");
}

function writeOutput(option: string, file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new UsageError(`cannot write ${option} ${file}: ${(e as Error).message}`);
  }
}

/**
 * Warnings about the settings file that are not rule violations: a file copied from another
 * environment keeps the other's `name`.
 */
export function settingsWarnings(r: PreviewResult): string[] {
  const out: string[] = [];
  if (r.env && r.env.name !== r.environment)
    out.push(
      `${basename(r.file)} is environment "${r.environment}" but its spec says name: ${r.env.name}; the plan, resource names and outputs use "${r.env.name}" (copied from another environment? set name: ${r.environment})`,
    );
  return out;
}

function renderText(r: PreviewResult, opts: Options, notes: string[], upgrade?: string): string {
  const parts: string[] = [];
  const ran = r.resources.length > 0;
  parts.push(
    `Offline preview of ${r.environment} (${r.file})${ran ? " — the stacks program ran under Pulumi's mock runtime; no cloud was contacted" : ""}`,
  );
  if (!r.env) parts.push("The settings file does not match the environment schema.");
  for (const n of notes) parts.push(n);
  if (ran) {
    parts.push(renderCounts(r.resources));
    if (opts.tree) parts.push(renderTree(r.resources));
  }
  if (upgrade) parts.push(upgrade);
  if (r.plan) parts.push(renderPlan(r.plan));
  if (r.env && r.plan && r.env.clusters.length > 0) parts.push(renderCapacity(capacityReport(r.env, r.plan)));
  if (r.env) parts.push(renderApiReach(apiReach(r.env)));
  if (r.env && r.env.clusters.length > 0) parts.push(renderAddons(r.env));
  parts.push(`Spec and plan — ${renderDiagnostics(r.diagnostics)}`);
  if (ran)
    parts.push(
      `Policy pack (what \`pulumi preview --policy-pack policy\` reports) — ${renderDiagnostics(r.policyDiagnostics)}`,
    );
  return `${parts.join("\n\n")}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("kubeplat plan")
    .description("Offline preview of an environment: resources, address plan, capacity and rule diagnostics")
    .argument("<env>", "environment name: reads stacks/Pulumi.<env>.yaml")
    .option("--json", "print one JSON document instead of text")
    .option(
      "--baseline <file>",
      "an earlier --json output: check for renumbered ranges and for version moves (cluster/version-skew)",
    )
    .option("--html <file>", "write the address plan as a self-contained HTML page")
    .option(
      "--policy-config <file>",
      "write the CrossGuard policy config (--policy-pack-config) this environment implies",
    )
    .option("--plan-only", "only the address plan and spec rules; do not run the stacks program")
    .option("--no-tree", "leave the resource tree out of the text report")
    .option("--dir <path>", "where the Pulumi.<env>.yaml files are", STACKS_DIR)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw e;
  }
  const env = program.args[0] as string;
  const opts = program.opts<Options>();
  try {
    const baseline = opts.baseline
      ? /\.ya?ml$/i.test(opts.baseline)
        ? await previewBaseline(opts.baseline, env)
        : readBaseline(opts.baseline, env)
      : undefined;
    let shown = 0;
    const progress = (n: number) => {
      // Large stacks take seconds: say how far registration got, on stderr only.
      if (n >= 500 && n - shown >= 500) {
        shown = n;
        process.stderr.write(`plan: ${n} resources registered…\n`);
      }
    };
    const result = await previewEnvironment(env, {
      dir: opts.dir,
      baseline: baseline?.allocations,
      baselineVersions: baseline?.versions,
      onProgress: progress,
      runProgram: !opts.planOnly,
    });
    const warnings = settingsWarnings(result);
    for (const w of warnings) process.stderr.write(`plan: warning: ${w}\n`);
    const summary = baseline && result.plan ? baselineSummary(baseline, result) : undefined;
    const upgrade =
      baseline && result.env
        ? upgradePlan(baseline.upgrade, result.env, result.resources, [
            ...result.diagnostics,
            ...result.policyDiagnostics,
          ])
        : undefined;
    if (opts.html && result.env && result.plan) {
      writeOutput(
        "--html",
        opts.html,
        renderPlanHtml(result.env, result.plan, result.diagnostics, result.policyDiagnostics),
      );
    }
    if (opts.policyConfig && result.policySettings) {
      writeOutput(
        "--policy-config",
        opts.policyConfig,
        `${JSON.stringify(packConfig(result.policySettings), null, 2)}\n`,
      );
    }
    if (opts.json) {
      const doc = {
        environment: env,
        file: result.file,
        plan: result.plan,
        capacity: result.env && result.plan ? capacityReport(result.env, result.plan) : undefined,
        versions: result.env ? environmentVersions(result.env) : undefined,
        addons: result.env ? environmentAddons(result.env) : undefined,
        resources: result.resources.map((r) => ({
          urn: r.urn,
          type: r.type,
          name: r.name,
          parent: r.parent,
          protect: r.protect,
        })),
        apiReach: result.env ? apiReach(result.env) : undefined,
        // What a later --baseline compares against (the upgrade plan): stateful inputs, input digests.
        ...(() => {
          const b = upgradeBaseline(result.env, result.resources);
          return { stateful: b.stateful, inputDigests: b.inputDigests };
        })(),
        upgrade,
        diagnostics: result.diagnostics,
        policyDiagnostics: result.policyDiagnostics,
        warnings,
      };
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      if (summary) process.stderr.write(`plan: ${summary}\n`);
    } else {
      process.stdout.write(
        renderText(
          result,
          opts,
          summary ? [...warnings.map((w) => `Warning: ${w}`), summary] : warnings.map((w) => `Warning: ${w}`),
          upgrade && baseline ? renderUpgradePlan(upgrade, baseline.file) : undefined,
        ),
      );
    }
    return failed(result) ? EXIT.mandatory : EXIT.ok;
  } catch (e) {
    if (e instanceof UsageError || e instanceof StackConfigError || e instanceof SyntaxError) {
      process.stderr.write(`plan: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

/** Run `main` as a process: its code, or 70 with the stack for an internal error. */
export function runAsProcess(run: () => Promise<number>): void {
  run().then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`plan: internal error: ${(e as Error).stack ?? e}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}

if (require.main === module) runAsProcess(() => main(process.argv.slice(2)));
