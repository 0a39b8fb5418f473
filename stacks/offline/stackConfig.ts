/**
 * Reading a stack's settings file (`stacks/Pulumi.<env>.yaml`) the way `pulumi config` does:
 * keys are `namespace:key`, values are strings or structured YAML. The environment spec lives
 * under `platform:environment`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

export const STACKS_DIR = resolve(__dirname, "..");
export const ENVIRONMENT_KEY = "platform:environment";

export interface StackSettings {
  file: string;
  config: Record<string, unknown>;
}

export class StackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackConfigError";
  }
}

export function stackFile(env: string, dir = STACKS_DIR): string {
  return join(dir, `Pulumi.${env}.yaml`);
}

/** The environments that have a settings file. */
export function listEnvironments(dir = STACKS_DIR): string[] {
  return readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((e): e is string => e !== undefined)
    .sort();
}

export function readStackSettings(env: string, dir = STACKS_DIR): StackSettings {
  const file = stackFile(env, dir);
  if (!existsSync(file)) {
    const known = listEnvironments(dir);
    throw new StackConfigError(
      `no settings file ${file} for environment "${env}" (known: ${known.join(", ") || "none"})`,
    );
  }
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new StackConfigError(`${file} is not valid YAML: ${(e as Error).message}`);
  }
  const config = (doc as { config?: Record<string, unknown> } | null)?.config;
  if (!config || typeof config !== "object") throw new StackConfigError(`${file} has no "config" map`);
  if (!(ENVIRONMENT_KEY in config)) throw new StackConfigError(`${file} has no "${ENVIRONMENT_KEY}" entry`);
  return { file, config };
}
