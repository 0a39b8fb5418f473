/**
 * EC2 takes at most 16 KB of user data before base64 (Amazon EC2 user guide: Work with instance
 * user data). A control-plane node's user data is its whole Ignition config: the kubeadm
 * documents, the CA certificates and keys, the encryption configuration. Measured here for the
 * shipped self-managed environment with real ECDSA P-256 keys made by openssl (as @pulumi/tls
 * makes them), and refused with a clear message above the limit.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PLACEHOLDER_REFS } from "@kubeplat/components/internal/platform/platformArgs";
import { selfManagedClusterArgs } from "@kubeplat/components/internal/platform/selfManagedArgs";
import { derivedSecrets } from "@kubeplat/components/internal/selfmanaged/clusterPki";
import type { ControlPlanePki } from "@kubeplat/components/internal/selfmanaged/kubeadmDocuments";
import {
  clusterDocumentsOf,
  EC2_USER_DATA_MAX_BYTES,
} from "@kubeplat/components/internal/selfmanaged/SelfManagedCluster";
import { checkEnvironment, parseEnvironment } from "@kubeplat/plan";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";

const dir = mkdtempSync(join(tmpdir(), "userdata-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ca(name: string): { cert: string; key: string } {
  const run = (...a: string[]) => execFileSync("openssl", a, { cwd: dir, stdio: "pipe" });
  run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`);
  run(
    "req",
    "-x509",
    "-new",
    "-key",
    `${name}.key`,
    "-out",
    `${name}.crt`,
    "-days",
    "3650",
    "-subj",
    `/CN=${name}`,
  );
  return {
    cert: readFileSync(join(dir, `${name}.crt`), "utf8"),
    key: readFileSync(join(dir, `${name}.key`), "utf8"),
  };
}

function realPki(): ControlPlanePki {
  const c = ca("kubernetes");
  const f = ca("front-proxy-ca");
  const e = ca("etcd-ca");
  const s = ca("sa");
  return {
    caCert: c.cert,
    caKey: c.key,
    frontProxyCaCert: f.cert,
    frontProxyCaKey: f.key,
    etcdCaCert: e.cert,
    etcdCaKey: e.key,
    serviceAccountKey: s.key,
    serviceAccountPub: s.cert,
  };
}

const stack = parseYaml(readFileSync(join("stacks", "Pulumi.selfmanaged-dev.yaml"), "utf8"));
const parsed = parseEnvironment(stack.config["platform:environment"], "selfmanaged-dev");
if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
const env = parsed.env;
const cluster = env.clusters.find((c) => c.kind === "selfmanaged");
if (!cluster) throw new Error("selfmanaged-dev has no self-managed cluster");
const args = selfManagedClusterArgs(env, checkEnvironment(env).plan, cluster, PLACEHOLDER_REFS);

describe("self-managed user data size", () => {
  it("keeps every node of selfmanaged-dev, encryption on, under EC2's 16 KB", () => {
    const docs = clusterDocumentsOf(
      { ...args, encryption: args.encryption ?? { provider: "secretbox" } },
      { pki: realPki(), ...derivedSecrets("user-data-size") },
    );
    const sizes = [...docs.controlPlane, ...docs.pools].map((d) => Buffer.byteLength(d.ignition));
    console.log(`user data bytes: ${sizes.join(", ")} (limit ${EC2_USER_DATA_MAX_BYTES})`);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(EC2_USER_DATA_MAX_BYTES);
  });

  it("refuses a node over the limit, naming it and both sizes", () => {
    const pki = realPki();
    const big = { ...pki, caCert: `${pki.caCert}${"#".repeat(EC2_USER_DATA_MAX_BYTES)}` };
    expect(() => clusterDocumentsOf(args, { pki: big, ...derivedSecrets("x") })).toThrow(
      new RegExp(
        `the Ignition config of ${args.controlPlane.nodes[0]?.name} is \\d+ bytes, over EC2's user data limit of 16384 bytes`,
      ),
    );
  });
});
