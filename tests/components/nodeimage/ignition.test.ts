import { eksKubeconfigInput } from "@kubeplat/components/internal/nodeimage/eksJoin";
import {
  BOOTSTRAP_KUBECONFIG_PATH,
  CONTAINERD_CONFIG_PATH,
  DEPLOYED_STAMP,
  IGNITION_VERSION,
  type IgnitionInput,
  ignitionConfig,
  ignitionJson,
  KUBELET_CONFIG_PATH,
  KUBELET_KUBECONFIG_PATH,
  SYSCTL_PATH,
} from "@kubeplat/components/internal/nodeimage/ignition";
import { resolveKubeletSettings } from "@kubeplat/plan";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { ignitionFiles, ignitionValidate } from "../../support/ignition";
import { BOOTSTRAP_TOKEN, CA_PEM, SSH_KEY } from "./fixtures";

const input: IgnitionInput = {
  users: [{ name: "core", sshAuthorizedKeys: [SSH_KEY], groups: ["wheel"] }],
  kubelet: resolveKubeletSettings({ maxPods: 110, clusterDns: ["10.96.0.10"] }),
  nodeLabels: { "platform.io/pool": "general" },
  nodeTaints: [{ key: "dedicated", value: "infra", effect: "NoSchedule" }],
  registryMirrors: [
    { registry: "docker.io", endpoints: ["https://mirror.example.com"] },
    { registry: "*", endpoints: ["https://cache.example.com"] },
  ],
  sysctls: { "fs.inotify.max_user_watches": "524288" },
  kernelArguments: ["systemd.unified_cgroup_hierarchy=1"],
  kernelArgumentsRemoved: ["mitigations=off"],
  deployment: {
    remoteName: "platform",
    remoteUrl: "https://ostree.example.com/repo",
    ref: "platform/41/x86_64/node",
    commit: "c".repeat(64),
  },
  bootstrap: { apiServer: "https://10.0.0.10:6443", caCertificate: CA_PEM, token: BOOTSTRAP_TOKEN },
};

describe("Ignition first-boot config", () => {
  const json = ignitionJson(input);
  const config = ignitionConfig(input);

  it("matches the snapshot, with each file's decoded text snapshotted for review", () => {
    expect(json).toMatchSnapshot();
    expect(Object.fromEntries([...ignitionFiles(config)].map(([path, f]) => [path, f.text]))).toMatchSnapshot(
      "decoded files",
    );
  });

  it("is accepted by the real ignition-validate, with no warning", () => {
    const r = ignitionValidate(json);
    expect(r.output).toBe("");
    expect(r.status).toBe(0);
  });

  it("ignition-validate rejects a broken document (the check can fail)", () => {
    const broken = JSON.parse(json);
    broken.storage.files[0].path = "relative/path";
    const r = ignitionValidate(JSON.stringify(broken));
    expect(r.status).not.toBe(0);
    expect(r.output).toContain("path not absolute");
  });

  it("carries users, kernel arguments and the version ignition-validate accepts", () => {
    expect(config.ignition).toEqual({ version: IGNITION_VERSION });
    expect(config.passwd).toEqual({
      users: [{ name: "core", sshAuthorizedKeys: [SSH_KEY], groups: ["wheel"] }],
    });
    expect(config.kernelArguments).toEqual({
      shouldExist: ["systemd.unified_cgroup_hierarchy=1"],
      shouldNotExist: ["mitigations=off"],
    });
  });

  it("writes a kubelet config with the eviction defaults, max pods, taints and swap refused", () => {
    const kubelet = parseYaml(ignitionFiles(config).get(KUBELET_CONFIG_PATH)?.text ?? "");
    expect(kubelet).toMatchObject({
      kind: "KubeletConfiguration",
      maxPods: 110,
      failSwapOn: true,
      clusterDNS: ["10.96.0.10"],
      evictionHard: {
        "memory.available": "100Mi",
        "nodefs.available": "10%",
        "nodefs.inodesFree": "5%",
        "imagefs.available": "15%",
      },
      registerWithTaints: [{ key: "dedicated", value: "infra", effect: "NoSchedule" }],
    });
  });

  it("writes containerd's config and one hosts.toml per mirror", () => {
    const f = ignitionFiles(config);
    const containerd = parseToml(f.get(CONTAINERD_CONFIG_PATH)?.text ?? "") as Record<string, unknown>;
    expect(containerd).toMatchObject({
      version: 2,
      plugins: {
        "io.containerd.grpc.v1.cri": {
          containerd: { runtimes: { runc: { options: { SystemdCgroup: true } } } },
          registry: { config_path: "/etc/containerd/certs.d" },
        },
      },
    });
    expect(parseToml(f.get("/etc/containerd/certs.d/docker.io/hosts.toml")?.text ?? "")).toEqual({
      server: "https://registry-1.docker.io",
      host: { "https://mirror.example.com": { capabilities: ["pull", "resolve"] } },
    });
    expect(parseToml(f.get("/etc/containerd/certs.d/_default/hosts.toml")?.text ?? "")).toEqual({
      host: { "https://cache.example.com": { capabilities: ["pull", "resolve"] } },
    });
  });

  it("sets the Kubernetes sysctls plus the caller's", () => {
    expect(ignitionFiles(config).get(SYSCTL_PATH)?.text).toBe(
      "fs.inotify.max_user_watches = 524288\nnet.bridge.bridge-nf-call-ip6tables = 1\nnet.bridge.bridge-nf-call-iptables = 1\nnet.ipv4.ip_forward = 1\n",
    );
  });

  it("keeps the bootstrap kubeconfig (the token) readable by root only", () => {
    const f = ignitionFiles(config).get(BOOTSTRAP_KUBECONFIG_PATH);
    expect(f?.mode).toBe(0o600);
    const kubeconfig = parseYaml(f?.text ?? "");
    expect(kubeconfig.users[0].user.token).toBe(BOOTSTRAP_TOKEN);
    expect(
      Buffer.from(kubeconfig.clusters[0].cluster["certificate-authority-data"], "base64").toString(),
    ).toBe(CA_PEM);
  });

  it("deploys the built ostree commit once, masks swap, and starts the kubelet only after", () => {
    const f = ignitionFiles(config);
    expect(f.get("/etc/ostree/remotes.d/platform.conf")?.text).toBe(
      '[remote "platform"]\nurl=https://ostree.example.com/repo\ngpg-verify=false\n',
    );
    const units = (config.systemd as { units: { name: string; contents?: string; mask?: boolean }[] }).units;
    const deploy = units.find((u) => u.name === "platform-ostree-deploy.service");
    expect(deploy?.contents).toContain(
      `ExecStart=/usr/bin/rpm-ostree rebase platform:platform/41/x86_64/node ${"c".repeat(64)}`,
    );
    expect(units.find((u) => u.name === "swap.target")).toEqual({ name: "swap.target", mask: true });
    const kubelet = units.find((u) => u.name === "kubelet.service")?.contents ?? "";
    expect(kubelet).toContain("ConditionPathExists=/var/lib/platform/ostree-deployed");
    expect(kubelet).toContain("--node-labels=platform.io/pool=general");
  });

  it("a minimal config (no users, no bootstrap, swap allowed) is also valid", () => {
    const minimal: IgnitionInput = {
      kubelet: resolveKubeletSettings({ swap: true }),
      deployment: { remoteName: "p", remoteUrl: "http://10.0.0.2/repo", ref: "p/node" },
    };
    const c = ignitionConfig(minimal);
    expect(c.passwd).toBeUndefined();
    expect(c.kernelArguments).toBeUndefined();
    expect(JSON.stringify(c)).not.toContain("swap.target");
    expect(ignitionValidate(ignitionJson(minimal))).toEqual({ status: 0, output: "" });
  });

  it("a cloud image's config (commit preinstalled, EKS join with the node role) matches the snapshot and validates", () => {
    const { bootstrap: _token, ...rest } = input;
    const cloud: IgnitionInput = {
      ...rest,
      deployment: { ...input.deployment, preinstalled: true },
      kubeconfig: eksKubeconfigInput({
        clusterName: "prod",
        apiServer: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
        certificateAuthorityData: Buffer.from(CA_PEM).toString("base64"),
      }),
    };
    const text = ignitionJson(cloud);
    const c = ignitionConfig(cloud);
    expect(Object.fromEntries([...ignitionFiles(c)].map(([path, f]) => [path, f.text]))).toMatchSnapshot(
      "decoded files of a cloud image",
    );
    const units = (c.systemd as { units: { name: string }[] }).units.map((u) => u.name);
    expect(units).not.toContain("platform-ostree-deploy.service");
    expect(ignitionFiles(c).get(DEPLOYED_STAMP)?.text).toBe(`${"c".repeat(64)}\n`);
    expect(ignitionFiles(c).get(KUBELET_KUBECONFIG_PATH)?.mode).toBe(0o600);
    expect(ignitionFiles(c).has(BOOTSTRAP_KUBECONFIG_PATH)).toBe(false);
    expect(text).not.toContain("token:");
    expect(ignitionValidate(text)).toEqual({ status: 0, output: "" });
    // One way to join: a bootstrap token and a kubeconfig together are refused.
    expect(() => ignitionConfig({ ...cloud, bootstrap: input.bootstrap })).toThrow("not both");
  });
});
