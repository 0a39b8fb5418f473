/**
 * The control-plane readiness check that `pulumi up` runs between node replacements, run for real
 * with /bin/sh and curl against loopback: it passes when /readyz answers 200 over TLS (a
 * self-signed certificate, as the node's API server has for curl --insecure), and otherwise fails
 * with a message naming the node, the URL and where pulumi up must run.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  READINESS_ATTEMPTS,
  READINESS_INTERVAL_SECONDS,
  readinessCommand,
} from "@kubeplat/components/internal/selfmanaged/SelfManagedCluster";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "readyz-"));
let server: Server;
let port: number;

beforeAll(async () => {
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"].concat([
      "-keyout",
      "key.pem",
      "-out",
      "cert.pem",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
    ]),
    { cwd: dir, stdio: "pipe" },
  );
  server = createServer(
    { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) },
    (req, res) => {
      res.writeHead(req.url === "/readyz" ? 200 : 404);
      res.end("ok");
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Run the command as command.local.Command does on Linux and macOS: `/bin/sh -c`. */
function run(script: string, env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn("/bin/sh", ["-c", script], { env });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (status) => resolve({ status, stderr }));
  });
}

describe("control-plane readiness check", () => {
  it("waits 30 minutes by default, in a POSIX shell with no coreutils timeout", () => {
    expect(READINESS_ATTEMPTS * READINESS_INTERVAL_SECONDS).toBe(1800);
    const script = readinessCommand("sm-dev-cp-0", "10.48.7.250");
    expect(script).not.toMatch(/\btimeout\b/);
    expect(spawnSync("/bin/sh", ["-n", "-c", script]).status).toBe(0);
  });

  it("passes when the node's /readyz answers", async () => {
    const r = await run(readinessCommand("cp-0", "127.0.0.1", { port, attempts: 2, intervalSeconds: 0 }));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("fails with the node, the URL and where pulumi up must run when nothing answers", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await run(
      readinessCommand("cp-1", "127.0.0.1", { port: closedPort, attempts: 2, intervalSeconds: 0 }),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `kubeplat: control-plane node cp-1 did not answer https://127.0.0.1:${closedPort}/readyz within 2 tries`,
    );
    expect(r.stderr).toContain("access.deployFrom: vpc");
  });

  it("says so when the machine running pulumi up has no curl", async () => {
    const r = await run(readinessCommand("cp-2", "127.0.0.1", { port, attempts: 1, intervalSeconds: 0 }), {
      PATH: join(dir, "empty"),
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("needs curl on the machine running pulumi up");
  });
});
