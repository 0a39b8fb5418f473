/**
 * `make plan ENV=<env>`: the offline preview of an environment. No cloud, no Pulumi CLI.
 *
 *   npm run plan -- dev                      resource tree, address plan, every rule it breaks
 *   npm run plan -- dev --json               the same as one JSON document
 *   npm run plan -- dev --html plan.html     also draw the address plan as an HTML page
 *   npm run plan -- dev --baseline f.json    also compare with an earlier plan (cidr/plan-renumbered)
 *   npm run plan -- dev --policy-config c    write the CrossGuard config this environment implies
 *   npm run plan -- dev --plan-only          the address plan and spec rules only (no program run)
 *
 * Exit status: 0 clean or advisories only, 1 a mandatory violation, 2 bad usage or input.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { packConfig } from "../../policy/policies";
import { environmentAddons, renderAddons } from "./addonReport";
import { renderPlanHtml } from "./planPicture";
import { renderDiagnostics, renderPlan } from "./planReport";
import { failed, type PreviewResult, previewEnvironment } from "./preview";
import { renderCounts, renderTree } from "./resourceReport";
import { STACKS_DIR, StackConfigError } from "./stackConfig";

interface Options {
  json?: boolean;
  baseline?: string;
  dir: string;
  html?: string;
  policyConfig?: string;
  planOnly?: boolean;
  tree: boolean;
}

function readBaseline(file: string): Record<string, string> {
  let doc: { plan?: { allocations?: Record<string, string> }; allocations?: Record<string, string> };
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new StackConfigError(`baseline ${file} is not readable JSON: ${(e as Error).message}`);
  }
  const allocations = doc.plan?.allocations ?? doc.allocations;
  if (!allocations)
    throw new StackConfigError(`${file} holds no plan allocations (expected the output of --json)`);
  return allocations;
}

function renderText(r: PreviewResult, opts: Options): string {
  const parts: string[] = [];
  const ran = r.resources.length > 0;
  parts.push(
    `Offline preview of ${r.environment} (${r.file})${ran ? " — the stacks program ran under Pulumi's mock runtime; no cloud was contacted" : ""}`,
  );
  if (!r.env) parts.push("The settings file does not match the environment schema.");
  if (ran) {
    parts.push(renderCounts(r.resources));
    if (opts.tree) parts.push(renderTree(r.resources));
  }
  if (r.plan) parts.push(renderPlan(r.plan));
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
    .name("plan")
    .description("Offline preview of an environment: resources, address plan, capacity and rule diagnostics")
    .argument("<env>", "environment name: reads stacks/Pulumi.<env>.yaml")
    .option("--json", "print one JSON document instead of text")
    .option("--baseline <file>", "an earlier --json output to check for renumbered ranges")
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
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const env = program.args[0] as string;
  const opts = program.opts<Options>();
  try {
    const baseline = opts.baseline ? readBaseline(opts.baseline) : undefined;
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
      baseline,
      onProgress: progress,
      runProgram: !opts.planOnly,
    });
    if (opts.html && result.env && result.plan) {
      writeFileSync(
        opts.html,
        renderPlanHtml(result.env, result.plan, [...result.diagnostics, ...result.policyDiagnostics]),
      );
    }
    if (opts.policyConfig && result.policySettings) {
      writeFileSync(opts.policyConfig, `${JSON.stringify(packConfig(result.policySettings), null, 2)}\n`);
    }
    if (opts.json) {
      const doc = {
        environment: env,
        file: result.file,
        plan: result.plan,
        addons: result.env ? environmentAddons(result.env) : undefined,
        resources: result.resources.map((r) => ({
          urn: r.urn,
          type: r.type,
          name: r.name,
          parent: r.parent,
          protect: r.protect,
        })),
        diagnostics: result.diagnostics,
        policyDiagnostics: result.policyDiagnostics,
      };
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    } else {
      process.stdout.write(renderText(result, opts));
    }
    return failed(result) ? 1 : 0;
  } catch (e) {
    if (e instanceof StackConfigError || e instanceof SyntaxError) {
      process.stderr.write(`plan: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`plan: internal error: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 70;
    },
  );
}
