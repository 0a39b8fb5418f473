/**
 * Runs Pulumi operations for the suite: a temporary PULUMI_HOME, a `file://` backend in a temp
 * directory (`pulumi login --local` semantics), a passphrase secrets provider, no update check, no
 * plugin downloads, and PATH = the simulator shims + the toolchain's bin directory (pulumi,
 * pulumi-resource-kubernetes) + node's.
 *
 * Shims written here:
 *  - `pulumi-resource-aws`, `pulumi-resource-alicloud`: the cloud simulator;
 *  - `pulumi-analyzer-policy-nodejs`: runs a Node.js policy pack with @pulumi/pulumi's own
 *    `cmd/run-policy-pack`, what the CLI starts for `--policy-pack` when no Node.js language host
 *    is installed;
 *  - `aws`: `aws eks get-token`, the EKS kubeconfig's credential plugin, answering with the token
 *    of the deploying identity (CALLER_ARN), which has the rights its EKS access entries grant.
 */
import { execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import type { ApiServer } from "./apiserver";
import type { RunRequest, RunResult } from "./runner";
import { binDir, REPO } from "./toolchain";

export const PASSPHRASE = "kubeplat-e2e";

export interface PulumiEnv {
  root: string;
  backendDir: string;
  env: NodeJS.ProcessEnv;
  /** A fresh work directory for a project, holding copies of the given stack config files. */
  workDir(name: string, stackFiles?: Record<string, string>): string;
  run(req: Omit<RunRequest, "backend">): Promise<RunResult>;
  cleanup(): void;
}

function shim(dir: string, name: string, body: string) {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

export function pulumiEnv(cluster: ApiServer): PulumiEnv {
  const root = mkdtempSync(join(tmpdir(), "kubeplat-e2e-"));
  const home = join(root, "pulumi-home");
  const backendDir = join(root, "backend");
  const shims = join(root, "bin");
  for (const d of [home, backendDir, shims]) mkdirSync(d, { recursive: true });

  const tsx = join(REPO, "node_modules", ".bin", "tsx");
  const simulator = join(REPO, "e2e", "cloud-simulator", "main.ts");
  shim(shims, "pulumi-resource-aws", `exec "${tsx}" "${simulator}" aws "$@"`);
  shim(shims, "pulumi-resource-alicloud", `exec "${tsx}" "${simulator}" alicloud "$@"`);
  shim(
    shims,
    "pulumi-analyzer-policy-nodejs",
    `exec "${process.execPath}" "${join(REPO, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack")}" "$@"`,
  );
  const credential = JSON.stringify({
    kind: "ExecCredential",
    apiVersion: "client.authentication.k8s.io/v1beta1",
    spec: {},
    status: { expirationTimestamp: "2099-01-01T00:00:00Z", token: cluster.deployerToken },
  });
  shim(
    shims,
    "aws",
    [
      `case " $* " in *" --role-arn "*) echo "e2e aws shim: --role-arn is not simulated" >&2; exit 2;; esac`,
      `if [ "$1" = eks ] && [ "$2" = get-token ]; then`,
      `  cat <<'EOF'`,
      credential,
      "EOF",
      "  exit 0",
      "fi",
      `echo "e2e aws shim: only 'aws eks get-token' is simulated, not: $*" >&2`,
      "exit 2",
    ].join("\n"),
  );

  const bin = binDir();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [shims, bin, dirname(process.execPath), process.env.PATH ?? ""].join(delimiter),
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "1",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    KUBEPLAT_E2E_KUBECONFIG: cluster.kubeconfigPath,
    // No ambient cluster: every Kubernetes provider must get its kubeconfig from the program.
    KUBECONFIG: join(root, "no-ambient-kubeconfig"),
    AWS_REGION: "",
    NO_COLOR: "1",
  };
  execFileSync(join(bin, "pulumi"), ["login", `file://${backendDir}`], { env, stdio: "ignore" });

  let n = 0;
  return {
    root,
    backendDir,
    env,
    workDir(name, stackFiles = {}) {
      const dir = join(root, "work", `${name}-${++n}`);
      mkdirSync(dir, { recursive: true });
      for (const [stack, file] of Object.entries(stackFiles))
        copyFileSync(file, join(dir, `Pulumi.${stack}.yaml`));
      return dir;
    },
    async run(req) {
      const id = ++n;
      const reqPath = join(root, `req-${id}.json`);
      const resPath = join(root, `res-${id}.json`);
      writeFileSync(reqPath, JSON.stringify({ ...req, backend: `file://${backendDir}` }));
      const runner = join(REPO, "e2e", "harness", "runner.ts");
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(tsx, [runner, reqPath, resPath], {
          env,
          cwd: REPO,
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (d) => {
          output += d;
        });
        child.stderr.on("data", (d) => {
          output += d;
        });
        child.on("exit", (c) => resolve({ code: c, output }));
      });
      let result: RunResult;
      try {
        result = JSON.parse(readFileSync(resPath, "utf8")) as RunResult;
      } catch {
        throw new Error(
          `e2e runner (${req.op} ${req.program} ${req.stack}) exited ${code} without a result:\n${output}`,
        );
      }
      return result;
    },
    cleanup() {
      if (!process.env.KUBEPLAT_E2E_KEEP) rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A stack's exported state file as the file backend stores it. */
export function stateFile(p: PulumiEnv, project: string, stack: string): string {
  return readFileSync(join(p.backendDir, ".pulumi", "stacks", project, `${stack}.json`), "utf8");
}
