import {
  caCertHash,
  clusterConfiguration,
  ENCRYPTION_CONFIG_PATH,
  encryptionConfiguration,
  KUBEADM_INIT_CONFIG_PATH,
  KUBEADM_JOIN_CONFIG_PATH,
  KUBEADM_UNIT,
  PKI_DIR,
  type SelfManagedClusterDocumentsInput,
  selfManagedClusterDocuments,
} from "@kubeplat/components/internal/selfmanaged/kubeadmDocuments";
import { resolveKubeletSettings } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { ignitionFiles, ignitionValidate } from "../../support/ignition";
import { run } from "../nodeimage/tools";
import { TEST_BOOTSTRAP_TOKEN, TEST_CA_HASH, TEST_ENCRYPTION_KEY, TEST_PKI } from "./fixtures";

const input: SelfManagedClusterDocumentsInput = {
  clusterName: "sm-dev",
  kubernetesVersion: "v1.35.0",
  apiVip: "10.48.7.251",
  podCidr: "172.16.0.0/16",
  serviceCidr: "172.17.0.0/20",
  encryption: { provider: "secretbox" },
  encryptionKey: TEST_ENCRYPTION_KEY,
  controlPlaneNodes: [
    { name: "sm-dev-cp-0", ip: "10.48.7.250" },
    { name: "sm-dev-cp-1", ip: "10.48.23.250" },
    { name: "sm-dev-cp-2", ip: "10.48.39.250" },
  ],
  pools: [
    {
      name: "general",
      labels: { "platform.io/pool": "general" },
      taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }],
    },
  ],
  kubelet: resolveKubeletSettings({ maxPods: 110 }),
  bootstrapToken: TEST_BOOTSTRAP_TOKEN,
  pki: TEST_PKI,
  users: [{ name: "core", sshAuthorizedKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA test"] }],
};

const docs = selfManagedClusterDocuments(input);

describe("kubeadm documents of a self-managed cluster", () => {
  it("match the snapshots (kubeadm config of each role)", () => {
    expect(docs.controlPlane.map((d) => [d.name, d.role])).toEqual([
      ["sm-dev-cp-0", "init"],
      ["sm-dev-cp-1", "control-plane"],
      ["sm-dev-cp-2", "control-plane"],
    ]);
    expect(docs.controlPlane[0]?.initConfig).toMatchSnapshot("init");
    // The first node's replacement joins the running cluster like the others.
    expect(docs.controlPlane[0]?.joinConfig).toContain("advertiseAddress: 10.48.7.250");
    expect(docs.controlPlane[1]?.joinConfig).toMatchSnapshot("control-plane join");
    expect(docs.pools[0]?.joinConfig).toMatchSnapshot("worker join");
  });

  it("init carries InitConfiguration, ClusterConfiguration and KubeletConfiguration of v1beta4", () => {
    const parsed = parseAllDocuments(docs.controlPlane[0]?.initConfig ?? "").map((d) => d.toJS());
    expect(parsed.map((d) => `${d.apiVersion} ${d.kind}`)).toEqual([
      "kubeadm.k8s.io/v1beta4 InitConfiguration",
      "kubeadm.k8s.io/v1beta4 ClusterConfiguration",
      "kubelet.config.k8s.io/v1beta1 KubeletConfiguration",
    ]);
    const [init, cluster, kubelet] = parsed;
    expect(init.localAPIEndpoint).toEqual({ advertiseAddress: "10.48.7.250", bindPort: 6443 });
    expect(cluster.controlPlaneEndpoint).toBe("10.48.7.251:6443");
    expect(cluster.networking).toMatchObject({ podSubnet: "172.16.0.0/16", serviceSubnet: "172.17.0.0/20" });
    expect(cluster.apiServer.extraArgs).toEqual([
      { name: "encryption-provider-config", value: ENCRYPTION_CONFIG_PATH },
    ]);
    expect(kubelet.failSwapOn).toBe(true);
  });

  it("pins the CA by its SubjectPublicKeyInfo hash, as openssl computes it", () => {
    expect(caCertHash(TEST_PKI.caCert)).toBe(TEST_CA_HASH);
    const join = parseAllDocuments(docs.pools[0]?.joinConfig ?? "")[0]?.toJS();
    expect(join.discovery.bootstrapToken).toEqual({
      apiServerEndpoint: "10.48.7.251:6443",
      token: TEST_BOOTSTRAP_TOKEN,
      caCertHashes: [TEST_CA_HASH],
    });
    expect(join.controlPlane).toBeUndefined();
    expect(join.nodeRegistration.taints).toEqual([{ key: "dedicated", value: "web", effect: "NoSchedule" }]);
  });

  it("leaves encryption out when it is off", () => {
    const c = clusterConfiguration({ ...input, encryption: undefined });
    expect(c.apiServer).toEqual({ certSANs: ["10.48.7.251"] });
  });

  it("writes an EncryptionConfiguration with the key, identity last", () => {
    expect(encryptionConfiguration("aescbc", "a2V5")).toEqual({
      apiVersion: "apiserver.config.k8s.io/v1",
      kind: "EncryptionConfiguration",
      resources: [
        {
          resources: ["secrets"],
          providers: [{ aescbc: { keys: [{ name: "key1", secret: "a2V5" }] } }, { identity: {} }],
        },
      ],
    });
  });
});

describe("Ignition of a self-managed cluster's nodes", () => {
  const all = [...docs.controlPlane, ...docs.pools];

  it("every role's document is accepted by the real ignition-validate, with no warning", () => {
    for (const d of all) {
      const r = ignitionValidate(d.ignition);
      expect(r.output, d.name).toBe("");
      expect(r.status, d.name).toBe(0);
    }
  });

  it("ignition-validate rejects a broken one (the check can fail)", () => {
    const broken = JSON.parse(docs.pools[0]?.ignition ?? "{}");
    broken.systemd.units[0].name = "no-suffix";
    expect(ignitionValidate(JSON.stringify(broken)).status).not.toBe(0);
  });

  it("control-plane nodes get the CA files and the encryption config, workers only their join config", () => {
    const cp = ignitionFiles(docs.controlPlane[1]?.ignition ?? "");
    expect([...cp.keys()].filter((p) => p.startsWith(PKI_DIR)).sort()).toEqual(
      [
        "ca.crt",
        "ca.key",
        "etcd/ca.crt",
        "etcd/ca.key",
        "front-proxy-ca.crt",
        "front-proxy-ca.key",
        "sa.key",
        "sa.pub",
      ]
        .map((f) => `${PKI_DIR}/${f}`)
        .sort(),
    );
    expect(cp.get(`${PKI_DIR}/ca.key`)?.mode).toBe(0o600);
    expect(cp.get(ENCRYPTION_CONFIG_PATH)?.text).toContain(TEST_ENCRYPTION_KEY);
    expect(cp.get(KUBEADM_JOIN_CONFIG_PATH)?.mode).toBe(0o600);
    expect(cp.has(KUBEADM_INIT_CONFIG_PATH)).toBe(false);
    expect(ignitionFiles(docs.controlPlane[0]?.ignition ?? "").get(KUBEADM_INIT_CONFIG_PATH)?.text).toBe(
      docs.controlPlane[0]?.initConfig,
    );
    const worker = ignitionFiles(docs.pools[0]?.ignition ?? "");
    expect([...worker.keys()].some((p) => p.startsWith(PKI_DIR) || p === ENCRYPTION_CONFIG_PATH)).toBe(false);
    expect(worker.get(KUBEADM_JOIN_CONFIG_PATH)?.text).toBe(docs.pools[0]?.joinConfig);
  });

  it("fits EC2's 16 KB user data", () => {
    for (const d of all) expect(Buffer.byteLength(d.ignition), d.name).toBeLessThanOrEqual(16 * 1024);
  });

  it("runs kubeadm init on the first node (unless the VIP answers) and kubeadm join elsewhere, once", () => {
    const unit = (ignition: string) =>
      (JSON.parse(ignition).systemd.units as { name: string; contents?: string }[]).find(
        (u) => u.name === KUBEADM_UNIT,
      )?.contents;
    expect(unit(docs.controlPlane[0]?.ignition ?? "")).toMatchSnapshot("init unit");
    expect(unit(docs.controlPlane[1]?.ignition ?? "")).toContain("kubeadm join --config=");
    expect(unit(docs.controlPlane[1]?.ignition ?? "")).not.toContain("kubeadm init");
    expect(unit(docs.pools[0]?.ignition ?? "")).toContain(
      "ConditionPathExists=!/etc/kubernetes/kubelet.conf",
    );
  });
});

describe("a version change reaches every node", () => {
  const unit = (ignition: string) =>
    (JSON.parse(ignition).systemd.units as { name: string; contents?: string }[]).find(
      (u) => u.name === KUBEADM_UNIT,
    )?.contents ?? "";
  /** The shell command systemd runs: `$$` is systemd's escape of a `$`. */
  const shellOf = (contents: string) =>
    /^ExecStart=\/bin\/sh -c '(.*)'$/m.exec(contents)?.[1]?.replaceAll("$$", "$") ?? "";
  const all = (d: typeof docs) => [...d.controlPlane, ...d.pools];

  it("every node checks its image's kubeadm against the cluster's version before it joins", () => {
    for (const n of all(docs)) {
      const sh = shellOf(unit(n.ignition));
      expect(sh, n.name).toMatch(
        /^v=\$\(\/usr\/bin\/kubeadm version -o short\); if \[ "\$v" != "v1\.35\.0" \]/,
      );
      // No `$` reaches systemd unescaped (systemd would expand it to nothing).
      expect(unit(n.ignition).replaceAll("$$", "").includes("$"), n.name).toBe(false);
      expect(run("sh", ["-n", "-c", sh]).status, n.name).toBe(0);
    }
  });

  it("a new version changes every node's Ignition (so every node is replaced)", () => {
    const next = selfManagedClusterDocuments({ ...input, kubernetesVersion: "v1.36.0" });
    all(docs).forEach((n, i) => {
      expect(all(next)[i]?.ignition, n.name).not.toBe(n.ignition);
    });
  });

  it("the first node's replacement uploads the new configuration, then joins, then moves the add-ons", () => {
    const sh = shellOf(unit(docs.controlPlane[0]?.ignition ?? ""));
    const steps = [
      "kubeconfig user",
      "init phase upload-config all",
      "join --config",
      "init phase addon all",
    ];
    const at = steps.map((s) => sh.indexOf(`/usr/bin/kubeadm ${s}`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(sh).toContain("--org=kubeadm:cluster-admins");
  });
});
