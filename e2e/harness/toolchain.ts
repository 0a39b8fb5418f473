/**
 * Where the toolchain built from Go modules lives (pulumi, pulumi-resource-kubernetes,
 * kube-apiserver, etcd, kubeadm): `KUBEPLAT_E2E_BIN`, or the bin directory `e2e/tools/build.sh --bin-dir`
 * prints (`make e2e` builds it first).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export const REPO = resolve(__dirname, "..", "..");

export const TOOLS = ["pulumi", "pulumi-resource-kubernetes", "kube-apiserver", "etcd", "kubeadm"] as const;

let cached: string | undefined;

export function binDir(): string {
  if (cached) return cached;
  const dir =
    process.env.KUBEPLAT_E2E_BIN ||
    execFileSync("bash", [join(REPO, "e2e", "tools", "build.sh"), "--bin-dir"], { encoding: "utf8" }).trim();
  const missing = TOOLS.filter((t) => !existsSync(join(dir, t)));
  if (missing.length > 0) {
    throw new Error(
      `e2e toolchain incomplete in ${dir}: missing ${missing.join(", ")} (run \`make e2e-tools\`)`,
    );
  }
  cached = dir;
  return dir;
}

export function tool(name: (typeof TOOLS)[number]): string {
  return join(binDir(), name);
}
