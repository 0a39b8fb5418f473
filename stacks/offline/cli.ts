/**
 * `make plan ENV=<env>`: the offline view of an environment. No cloud, no Pulumi CLI.
 *
 *   npm run plan -- dev                 the address plan and every rule it breaks
 *   npm run plan -- dev --json          the same as one JSON document
 *   npm run plan -- dev --baseline f    also compare with an earlier plan (cidr/plan-renumbered)
 *
 * Exit status: 0 clean or advisories only, 1 a mandatory violation, 2 bad usage or input.
 */
import { readFileSync } from "node:fs";
import { checkEnvironment, type Diagnostic, parseEnvironment } from "@kubeplat/components/plan";
import { Command, CommanderError } from "commander";
import { renderDiagnostics, renderPlan } from "./planReport";
import { ENVIRONMENT_KEY, readStackSettings, STACKS_DIR, StackConfigError } from "./stackConfig";

interface Options {
  json?: boolean;
  baseline?: string;
  dir?: string;
}

function readBaseline(file: string): Record<string, string> {
  const doc = JSON.parse(readFileSync(file, "utf8")) as {
    plan?: { allocations?: Record<string, string> };
    allocations?: Record<string, string>;
  };
  const allocations = doc.plan?.allocations ?? doc.allocations;
  if (!allocations)
    throw new StackConfigError(`${file} holds no plan allocations (expected the output of --json)`);
  return allocations;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("plan")
    .description("Offline view of an environment: address plan, capacity and rule diagnostics")
    .argument("<env>", "environment name: reads stacks/Pulumi.<env>.yaml")
    .option("--json", "print one JSON document instead of text")
    .option("--baseline <file>", "an earlier --json output to check for renumbered ranges")
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
    const settings = readStackSettings(env, opts.dir);
    const baseline = opts.baseline ? readBaseline(opts.baseline) : undefined;
    const parsed = parseEnvironment(settings.config[ENVIRONMENT_KEY], settings.file);
    const result = parsed.ok ? { ok: true as const, ...checkEnvironment(parsed.env, { baseline }) } : parsed;
    const diagnostics: Diagnostic[] = result.diagnostics;
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify({ environment: env, file: settings.file, plan: result.ok ? result.plan : undefined, diagnostics }, null, 2)}\n`,
      );
    } else {
      if (result.ok) process.stdout.write(`${renderPlan(result.plan)}\n\n`);
      else process.stdout.write(`${settings.file} does not match the environment schema.\n`);
      process.stdout.write(`${renderDiagnostics(diagnostics)}\n`);
    }
    return diagnostics.some((d) => d.severity === "mandatory") ? 1 : 0;
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
