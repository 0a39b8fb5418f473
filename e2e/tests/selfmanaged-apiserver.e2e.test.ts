/**
 * What a self-managed control-plane node hands its API server, given to the real kube-apiserver
 * (v1.34.4, from the e2e toolchain) with a real etcd:
 * - the EncryptionConfiguration the node's Ignition writes, for each provider the spec accepts:
 *   the API server starts with it, and a Secret lands in etcd sealed by that provider with the
 *   derived key (`k8s:enc:<provider>:v1:key1:` prefix, no plaintext);
 * - the readiness check `pulumi up` runs between node replacements: anonymous `/readyz` over TLS,
 *   as kube-apiserver serves it by default (kubeadm keeps anonymous auth on).
 */

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeDataUrl } from "@kubeplat/components/internal/nodeimage/ignition";
import { derivedSecrets } from "@kubeplat/components/internal/selfmanaged/clusterPki";
import { ENCRYPTION_CONFIG_PATH } from "@kubeplat/components/internal/selfmanaged/kubeadmDocuments";
import {
  clusterDocumentsOf,
  readinessCommand,
  type SelfManagedClusterArgs,
} from "@kubeplat/components/internal/selfmanaged/SelfManagedCluster";
import { ENCRYPTION_PROVIDERS } from "@kubeplat/plan";
import { afterAll, describe, expect, test } from "vitest";
import { type ApiServer, startApiServer } from "../harness/apiserver";

const scratch = mkdtempSync(join(tmpdir(), "selfmanaged-apiserver-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function ecdsaCa(): { cert: string; key: string } {
  const run = (...a: string[]) => execFileSync("openssl", a, { cwd: scratch, stdio: "pipe" });
  run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key");
  run("req", "-x509", "-new", "-key", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=kubernetes");
  return {
    cert: readFileSync(join(scratch, "ca.crt"), "utf8"),
    key: readFileSync(join(scratch, "ca.key"), "utf8"),
  };
}

const args = (provider: string): SelfManagedClusterArgs => ({
  cloud: "aws",
  clusterName: "sm-e2e",
  zones: ["eu-central-1a"],
  kubernetesVersion: "v1.34.4",
  cni: "calico",
  podCidr: "172.16.0.0/16",
  serviceCidr: "172.17.0.0/20",
  apiVip: "10.48.7.251",
  apiVipSubnetId: "subnet-a",
  controlPlane: {
    count: 1,
    instanceType: "m7i.xlarge",
    diskGiB: 120,
    nodes: [{ name: "sm-e2e-cp-0", ip: "10.48.7.250", subnetId: "subnet-a" }],
  },
  imageId: "ami-0ostree",
  vpcId: "vpc-1",
  vpcCidrs: ["10.48.0.0/16"],
  encryption: { provider },
});

/** The EncryptionConfiguration file in the first control-plane node's Ignition, as the node writes it. */
function nodeEncryptionConfig(provider: string): string {
  const ca = ecdsaCa();
  const pki = {
    caCert: ca.cert,
    caKey: ca.key,
    frontProxyCaCert: ca.cert,
    frontProxyCaKey: ca.key,
    etcdCaCert: ca.cert,
    etcdCaKey: ca.key,
    serviceAccountKey: ca.key,
    serviceAccountPub: ca.cert,
  };
  const docs = clusterDocumentsOf(args(provider), { pki, ...derivedSecrets(`e2e-${provider}`) });
  const ignition = JSON.parse(docs.controlPlane[0]?.ignition ?? "{}") as {
    storage: { files: { path: string; contents: { source: string } }[] };
  };
  const file = ignition.storage.files.find((f) => f.path === ENCRYPTION_CONFIG_PATH);
  if (!file) throw new Error(`no ${ENCRYPTION_CONFIG_PATH} in the node's Ignition`);
  return decodeDataUrl(file.contents.source);
}

/** The raw value etcd holds at a key (its v3 JSON gateway). */
async function etcdValue(etcdUrl: string, key: string): Promise<Buffer> {
  const res = await fetch(`${etcdUrl}/v3/kv/range`, {
    method: "POST",
    body: JSON.stringify({ key: Buffer.from(key).toString("base64") }),
  });
  const body = (await res.json()) as { kvs?: { value: string }[] };
  const value = body.kvs?.[0]?.value;
  if (value === undefined) throw new Error(`etcd has no ${key}`);
  return Buffer.from(value, "base64");
}

for (const provider of ENCRYPTION_PROVIDERS) {
  describe(`kube-apiserver with the node's EncryptionConfiguration (${provider})`, () => {
    let cluster: ApiServer;
    afterAll(async () => cluster?.stop());

    test("starts with it and seals a Secret in etcd with that provider", async () => {
      cluster = await startApiServer({
        files: { "encryption.yaml": nodeEncryptionConfig(provider) },
        extraArgs: (dir) => [`--encryption-provider-config=${join(dir, "encryption.yaml")}`],
      });
      const plaintext = "kubeplat-e2e-plaintext";
      await cluster.api("POST", "/api/v1/namespaces/default/secrets", {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "sealed" },
        stringData: { value: plaintext },
      });
      const stored = await etcdValue(cluster.etcdUrl, "/registry/secrets/default/sealed");
      expect(stored.subarray(0, 40).toString("latin1")).toMatch(new RegExp(`^k8s:enc:${provider}:v1:key1:`));
      expect(stored.includes(Buffer.from(plaintext))).toBe(false);
      const read = await cluster.api<{ data: { value: string } }>(
        "GET",
        "/api/v1/namespaces/default/secrets/sealed",
      );
      expect(Buffer.from(read?.data.value ?? "", "base64").toString()).toBe(plaintext);
    });

    if (provider === ENCRYPTION_PROVIDERS[0])
      test("answers the readiness check pulumi up runs: anonymous /readyz over TLS", () => {
        const port = Number(new URL(cluster.server).port);
        const r = spawnSync(
          "/bin/sh",
          ["-c", readinessCommand("sm-e2e-cp-0", "127.0.0.1", { port, attempts: 3, intervalSeconds: 1 })],
          {
            encoding: "utf8",
          },
        );
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
      });
  });
}
