#!/usr/bin/env node
// `kubeplat`: runs stacks/offline/kubeplat.ts through offline/start.cjs (the Pulumi SDK loaded
// natively, then tsx's CommonJS hooks for the workspace's TypeScript) with the `source` export
// condition (the workspace packages are used from their TypeScript sources, no build step).
// stdout, stderr and the exit status are the command's own.

const { spawnSync } = require("node:child_process");
const path = require("node:path");

const entry = path.join(__dirname, "..", "offline", "start.cjs");
const r = spawnSync(process.execPath, ["--conditions=source", entry, ...process.argv.slice(2)], {
  stdio: "inherit",
});
if (r.error) {
  process.stderr.write(`kubeplat: internal error: cannot start node: ${r.error.message}\n`);
  process.exit(70);
}
if (r.signal) process.kill(process.pid, r.signal);
process.exit(r.status ?? 70);
