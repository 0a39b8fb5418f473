/**
 * `kubeplat`: the command the package installs (`bin` in stacks/package.json). One subcommand
 * today, `plan`, the offline preview (cli.ts). Exit codes are plan's: 0, 1 a mandatory
 * violation, 2 bad usage or an unreadable/unwritable file, 70 an internal error.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT, main as plan, runAsProcess } from "./cli";

const USAGE = `Usage: kubeplat <command> [options]

Commands:
  plan <env> [options]   offline preview of stacks/Pulumi.<env>.yaml: resources, address plan,
                         every rule it breaks (kubeplat plan --help for its options)

Exit status: 0 clean or advisories only, 1 a mandatory rule is broken, 2 bad usage or an
unreadable or unwritable file, 70 an internal error.
`;

export async function kubeplat(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "plan":
      return plan(rest);
    case "-h":
    case "--help":
    case "help":
      process.stdout.write(USAGE);
      return EXIT.ok;
    case "-V":
    case "--version": {
      const pkg = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as {
        version: string;
      };
      process.stdout.write(`${pkg.version}\n`);
      return EXIT.ok;
    }
    default:
      process.stderr.write(
        `${command === undefined ? "kubeplat: missing command" : `kubeplat: unknown command "${command}"`}\n\n${USAGE}`,
      );
      return EXIT.usage;
  }
}

if (require.main === module) runAsProcess(() => kubeplat(process.argv.slice(2)));
