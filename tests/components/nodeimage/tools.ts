/**
 * Real tools the node image tests run: Debian's `ostree`, `ignition` (ignition-validate), `gdisk` (sgdisk) and `qemu-utils` (qemu-img).
 * A missing tool fails the test, never skips it: CI installs them from .ci/apt-packages.txt.
 */
import { spawnSync } from "node:child_process";

export function requireTool(binary: string, debianPackage: string): string {
  const found = spawnSync("sh", ["-c", `command -v ${binary}`], { encoding: "utf8" });
  const path = found.stdout.trim();
  if (found.status !== 0 || path === "") {
    throw new Error(
      `${binary} is not installed: install Debian's ${debianPackage} package (apt-get install -y ${debianPackage}); ` +
        "CI installs every package listed in .ci/apt-packages.txt",
    );
  }
  return path;
}

export function run(
  cmd: string,
  args: string[],
  options: { input?: string; cwd?: string } = {},
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: "utf8", input: options.input, cwd: options.cwd });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
