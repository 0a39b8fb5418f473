/**
 * The kubeadm configurations of the shipped self-managed environments (selfmanaged-dev on AWS,
 * selfmanaged-ali-dev on Alibaba Cloud), as the
 * Platform would generate them, checked by the real `kubeadm config validate` (kubeadm v1.37.2,
 * built from k8s.io/kubernetes by e2e/tools/build.sh): every control-plane node's init and join
 * documents and every worker pool's join document. The CA is a real one made with openssl, as
 * @pulumi/tls would make it; the token and encryption key derive as the component derives them.
 * And the upgrade path: the real `kubeadm kubeconfig user` signs the administrator kubeconfig a
 * replaced first control-plane node makes from its init documents and the CA it carries.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PLACEHOLDER_REFS } from "@kubeplat/components/internal/platform/platformArgs";
import { selfManagedClusterArgs } from "@kubeplat/components/internal/platform/selfManagedArgs";
import { derivedSecrets } from "@kubeplat/components/internal/selfmanaged/clusterPki";
import type { ControlPlanePki } from "@kubeplat/components/internal/selfmanaged/kubeadmDocuments";
import { clusterDocumentsOf } from "@kubeplat/components/internal/selfmanaged/SelfManagedCluster";
import { checkEnvironment, parseEnvironment } from "@kubeplat/plan";
import { afterAll, describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { REPO, tool } from "../harness/toolchain";

/** kubeadm from the e2e toolchain (harness/toolchain.ts finds it with the other tools). */
const kubeadm = (): string => tool("kubeadm");

const scratch = mkdtempSync(join(tmpdir(), "kubeadm-e2e-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function openssl(...args: string[]): void {
  execFileSync("openssl", args, { cwd: scratch, stdio: "pipe" });
}

/** A real ECDSA P-256 CA, as the component's @pulumi/tls makes one. */
function realPki(): ControlPlanePki {
  openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key");
  openssl(
    "req",
    "-x509",
    "-new",
    "-key",
    "ca.key",
    "-out",
    "ca.crt",
    "-days",
    "3650",
    "-subj",
    "/CN=kubernetes",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
  );
  const cert = readFileSync(join(scratch, "ca.crt"), "utf8");
  const key = readFileSync(join(scratch, "ca.key"), "utf8");
  return {
    caCert: cert,
    caKey: key,
    frontProxyCaCert: cert,
    frontProxyCaKey: key,
    etcdCaCert: cert,
    etcdCaKey: key,
    serviceAccountKey: key,
    serviceAccountPub: cert,
  };
}

function validate(file: string): { status: number; output: string } {
  const r = spawnSync(kubeadm(), ["config", "validate", "--config", file], { encoding: "utf8" });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** Every node's kubeadm documents of a shipped self-managed environment, as the Platform makes them. */
function shippedDocuments(envName: string) {
  const stack = parseYaml(readFileSync(join(REPO, "stacks", `Pulumi.${envName}.yaml`), "utf8"));
  const parsed = parseEnvironment(stack.config["platform:environment"], envName);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  const env = parsed.env;
  const plan = checkEnvironment(env).plan;
  const cluster = env.clusters.find((c) => c.kind === "selfmanaged");
  if (!cluster) throw new Error(`${envName} has no self-managed cluster`);
  const args = selfManagedClusterArgs(env, plan, cluster, PLACEHOLDER_REFS);
  const docs = clusterDocumentsOf(args, { pki: realPki(), ...derivedSecrets("kubeadm-e2e-seed") });
  const files: [string, string][] = [
    ...docs.controlPlane.flatMap((d): [string, string][] => [
      ...(d.initConfig !== undefined ? [[`${d.name}-init.yaml`, d.initConfig] as [string, string]] : []),
      [`${d.name}-join.yaml`, d.joinConfig],
    ]),
    ...docs.pools.map((d): [string, string] => [`pool-${d.name}-join.yaml`, d.joinConfig]),
  ];
  return { cluster, args, files };
}

const { cluster, args, files } = shippedDocuments("selfmanaged-dev");

describe(`kubeadm config validate (${cluster.name}, Kubernetes ${cluster.kubernetesVersion})`, () => {
  test("covers the first node's init, every control-plane join and every pool's join", () => {
    expect(files.map(([f]) => f)).toEqual([
      "sm-dev-cp-0-init.yaml",
      "sm-dev-cp-0-join.yaml",
      "sm-dev-cp-1-join.yaml",
      "sm-dev-cp-2-join.yaml",
      "pool-general-join.yaml",
    ]);
  });

  for (const [name, text] of files) {
    test(`${name} is valid`, () => {
      const file = join(scratch, name);
      writeFileSync(file, text);
      const r = validate(file);
      expect(r.output).not.toMatch(/error/i);
      expect(r.status, r.output).toBe(0);
    });
  }

  test("a replaced first node signs its upgrade kubeconfig from the init documents (kubeadm kubeconfig user)", () => {
    // What the first node's unit runs when the cluster already answers at the VIP
    // (kubeadmDocuments.ts kubeadmUnit), with the CA files where its Ignition writes them.
    const [, init] = files[0] as [string, string];
    const file = join(scratch, "upgrade-init.yaml");
    writeFileSync(file, init.replace("certificatesDir: /etc/kubernetes/pki", `certificatesDir: ${scratch}`));
    const r = spawnSync(
      kubeadm(),
      [
        "kubeconfig",
        "user",
        `--config=${file}`,
        "--client-name=kubeplat-node-upgrade",
        "--org=kubeadm:cluster-admins",
      ],
      { encoding: "utf8" },
    );
    expect(r.status, r.stderr).toBe(0);
    const conf = parseYaml(r.stdout) as {
      clusters: { cluster: { server: string } }[];
      users: { user: { "client-certificate-data": string } }[];
    };
    expect(conf.clusters[0]?.cluster.server).toBe(`https://${args.apiVip}:6443`);
    writeFileSync(
      join(scratch, "upgrade.crt"),
      Buffer.from(conf.users[0]?.user["client-certificate-data"] ?? "", "base64"),
    );
    const subject = execFileSync("openssl", ["x509", "-in", "upgrade.crt", "-noout", "-subject", "-issuer"], {
      cwd: scratch,
      encoding: "utf8",
    });
    expect(subject).toContain("O = kubeadm:cluster-admins, CN = kubeplat-node-upgrade");
    expect(subject).toContain("issuer=CN = kubernetes");
  });

  test("kubeadm refuses a broken one (the check can fail)", () => {
    const [, init] = files[0] as [string, string];
    const file = join(scratch, "broken.yaml");
    writeFileSync(file, init.replace("controlPlaneEndpoint:", "controlPlaneEndPoint:"));
    const r = validate(file);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('unknown field "controlPlaneEndPoint"');
  });
});

// The Alibaba Cloud environment: the same documents on ECS (the VIP an NLB's address), validated alike.
const ali = shippedDocuments("selfmanaged-ali-dev");
describe(`kubeadm config validate (${ali.cluster.name} on Alibaba Cloud, Kubernetes ${ali.cluster.kubernetesVersion})`, () => {
  test("covers the first node's init, every control-plane join and every pool's join", () => {
    expect(ali.files.map(([f]) => f)).toEqual([
      "sm-ali-cp-0-init.yaml",
      "sm-ali-cp-0-join.yaml",
      "sm-ali-cp-1-join.yaml",
      "sm-ali-cp-2-join.yaml",
      "pool-general-join.yaml",
    ]);
    expect(ali.files[0]?.[1]).toContain(`controlPlaneEndpoint: ${ali.args.apiVip}:6443`);
  });

  for (const [name, text] of ali.files) {
    test(`${name} is valid`, () => {
      const file = join(scratch, `ali-${name}`);
      writeFileSync(file, text);
      const r = validate(file);
      expect(r.output).not.toMatch(/error/i);
      expect(r.status, r.output).toBe(0);
    });
  }
});
