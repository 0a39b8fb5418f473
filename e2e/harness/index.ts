/**
 * What a test file needs: an API server, the Pulumi environment around it, stack work
 * directories holding copies of stacks/Pulumi.<env>.yaml, spec variants, the offline preview.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse, stringify } from "yaml";
import {
  type ApiServer,
  collectForeground,
  finalizeNamespaces,
  startApiServer,
  syncResourceQuotas,
} from "./apiserver";
import { COLLECTIONS, NAMESPACED } from "./kube";
import { type PulumiEnv, pulumiEnv } from "./pulumi";
import type { RunRequest, RunResult } from "./runner";
import { REPO } from "./toolchain";

export { objectPath, snapshot } from "./kube";
export { stateFile } from "./pulumi";
export type { RunResult } from "./runner";
export { REPO };

const run = promisify(execFile);

export interface E2E {
  cluster: ApiServer;
  pulumi: PulumiEnv;
  /** A work directory for the platform project holding a copy of stacks/Pulumi.<env>.yaml. */
  platformStack(env: string): PlatformStack;
  stop(): Promise<void>;
}

export interface PlatformStack {
  env: string;
  workDir: string;
  configFile: string;
  run(op: RunRequest["op"], extra?: Partial<RunRequest>): Promise<RunResult>;
  /** The environment spec of the work copy. */
  spec(): Record<string, unknown>;
  /** Rewrites the work copy's spec (the encryption salt and other keys stay). */
  setSpec(spec: Record<string, unknown>): void;
}

export async function startE2E(): Promise<E2E> {
  const cluster = await startApiServer();
  let pulumi: PulumiEnv;
  try {
    pulumi = pulumiEnv(cluster);
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  // The steps of kube-controller-manager the programs wait for, played while the suite runs: the
  // namespace controller's last step, the resource quota controller's status, the garbage
  // collector's foreground deletion.
  let busy = false;
  const controllers = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      await finalizeNamespaces(cluster.api, NAMESPACED).catch(() => {});
      await syncResourceQuotas(cluster.api).catch(() => {});
      await collectForeground(cluster.api, COLLECTIONS).catch(() => {});
    })().finally(() => {
      busy = false;
    });
  }, 1000);
  return {
    cluster,
    pulumi,
    platformStack(env) {
      const workDir = pulumi.workDir(`platform-${env}`, {
        [env]: join(REPO, "stacks", `Pulumi.${env}.yaml`),
      });
      const configFile = join(workDir, `Pulumi.${env}.yaml`);
      const read = () => parse(readFileSync(configFile, "utf8")) as { config: Record<string, unknown> };
      // No deployer setting: with access.deployers omitted, EKS derives the deployer from the
      // caller identity, which the simulator answers with CALLER_ARN.
      return {
        env,
        workDir,
        configFile,
        async run(op, extra = {}) {
          return pulumi.run({
            op,
            program: "platform",
            project: "platform",
            stack: env,
            workDir,
            ...extra,
          });
        },
        spec: () => structuredClone(read().config["platform:environment"]) as Record<string, unknown>,
        setSpec(spec) {
          const doc = read();
          doc.config["platform:environment"] = spec;
          writeFileSync(configFile, stringify(doc));
        },
      };
    },
    async stop() {
      clearInterval(controllers);
      pulumi.cleanup();
      await cluster.stop();
    },
  };
}

export interface OfflineDiagnostic {
  rule: string;
  severity: string;
  path?: string;
  resource?: string;
  message: string;
}

export interface OfflinePreview {
  resources: { urn: string; type: string; name: string; parent?: string; protect: boolean }[];
  diagnostics: OfflineDiagnostic[];
  policyDiagnostics: OfflineDiagnostic[];
}

/**
 * The URNs the engine gives the offline preview's resources. The offline preview runs under
 * Pulumi's mock runtime, whose URNs (`@pulumi/pulumi/runtime/mocks.js` `newUrn`) qualify a type
 * with its immediate parent's type only, the root Stack included; the engine qualifies it with the
 * types of every ancestor below the root Stack. So `Stack$Platform::dev` is `Platform::dev`, and
 * `AlicloudNetwork$Network::dev-network-vpc` is `Platform$AlicloudNetwork$Network::dev-network-vpc`.
 */
export function engineUrns(report: OfflinePreview): string[] {
  const byUrn = new Map(report.resources.map((r) => [r.urn, r]));
  const chain = (urn: string | undefined): string[] => {
    const r = urn === undefined ? undefined : byUrn.get(urn);
    if (r === undefined || r.type === "pulumi:pulumi:Stack") return [];
    return [...chain(r.parent), r.type];
  };
  return report.resources.map((r) => {
    if (r.type === "pulumi:pulumi:Stack") return r.urn;
    const [prefix, stack, project] = /^(urn:pulumi):([^:]+)::([^:]+)::/.exec(r.urn)?.slice(1) ?? [];
    return `${prefix}:${stack}::${project}::${[...chain(r.parent), r.type].join("$")}::${r.name}`;
  });
}

/**
 * `npm run plan -- <env> --json --dir <dir>` (the offline preview), and the policy config it
 * writes with `--policy-config`. Exit status 1 (mandatory violations) still yields the report.
 */
export async function offlinePreview(
  env: string,
  dir: string,
  policyConfig?: string,
): Promise<{ report: OfflinePreview; exitCode: number }> {
  const args = ["run", "--silent", "plan", "--", env, "--json", "--dir", dir];
  if (policyConfig) args.push("--policy-config", policyConfig);
  try {
    const { stdout } = await run("npm", args, { cwd: REPO, maxBuffer: 64 * 1024 * 1024 });
    return { report: JSON.parse(stdout) as OfflinePreview, exitCode: 0 };
  } catch (e) {
    const err = e as { stdout?: string; code?: number; stderr?: string };
    if (!err.stdout) throw new Error(`offline preview of ${env} failed: ${err.stderr}`);
    return { report: JSON.parse(err.stdout) as OfflinePreview, exitCode: err.code ?? 1 };
  }
}
