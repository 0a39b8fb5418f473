/**
 * First-boot configuration of a self-provisioned ostree node, as an Ignition v3 document:
 * users and SSH keys, the kubelet's config file and unit, containerd's config and registry
 * mirrors, sysctls, kernel modules and arguments, swap off, and the ostree deployment to boot
 * (the remote and a one-shot unit that rebases onto the built ref and commit, then reboots —
 * Immutable infrastructure article: Immutable infrastructure: container-optimized and immutable host operating systems: "导入 ostree repo … 拉取 ostree … 部署 OS").
 *
 * Ignition runs once, before the root is switched to; after that the root is read-only and only
 * /etc and /var change (Immutable infrastructure article: Immutable infrastructure: container-optimized and immutable host operating systems; ACK docs: ContainerOS overview). A change to this document therefore only reaches
 * new nodes: the image identity includes it so a change replaces the nodes.
 *
 * Documents are built as data and written with `yaml` / `smol-toml` / JSON, never templated.
 */

import { type KubeletSettings, kubeletConfiguration, type NodeTaint } from "@kubeplat/plan";
import { stringify as tomlStringify } from "smol-toml";
import { stringify as yamlStringify } from "yaml";
import type { RegistryMirror } from "./bottlerocketSettings";

/**
 * Spec version written. The Debian `ignition` package's `ignition-validate` (2.14) accepts
 * 3.0.0–3.3.0 as stable and 3.4.0 only as `3.4.0-experimental`; 3.3.0 is the newest it validates
 * and the first with `kernelArguments`.
 */
export const IGNITION_VERSION = "3.3.0";

export const KUBELET_CONFIG_PATH = "/etc/kubernetes/kubelet-config.yaml";
export const BOOTSTRAP_KUBECONFIG_PATH = "/etc/kubernetes/bootstrap-kubelet.conf";
export const CLUSTER_CA_PATH = "/etc/kubernetes/pki/ca.crt";
export const CONTAINERD_CONFIG_PATH = "/etc/containerd/config.toml";
export const CONTAINERD_CERTS_DIR = "/etc/containerd/certs.d";
export const SYSCTL_PATH = "/etc/sysctl.d/90-kubernetes.conf";
export const MODULES_PATH = "/etc/modules-load.d/kubernetes.conf";
/** Written by the deploy unit once the node runs the built commit; the kubelet waits for it. */
export const DEPLOYED_STAMP = "/var/lib/platform/ostree-deployed";
export const DEPLOY_UNIT = "platform-ostree-deploy.service";
export const KUBELET_KUBECONFIG_PATH = "/var/lib/kubelet/kubeconfig";

/**
 * Sysctls every Kubernetes node needs: routing between pods and bridged traffic through
 * iptables (Kubernetes container-runtime prerequisites). Callers' sysctls override these.
 */
export const DEFAULT_SYSCTLS: Readonly<Record<string, string>> = {
  "net.bridge.bridge-nf-call-ip6tables": "1",
  "net.bridge.bridge-nf-call-iptables": "1",
  "net.ipv4.ip_forward": "1",
};

/** Kernel modules the sysctls above and containerd's overlay snapshotter need. */
export const KERNEL_MODULES = ["overlay", "br_netfilter"] as const;

export interface IgnitionUser {
  name: string;
  /** Public keys (`ssh-ed25519 AAAA… comment`). */
  sshAuthorizedKeys: string[];
  /** Supplementary groups, e.g. `wheel`. Default: none. */
  groups?: string[];
}

export interface OstreeDeployment {
  /** The ostree remote nodes pull from. */
  remoteName: string;
  /** Its URL: where the build host's archive repository is served. */
  remoteUrl: string;
  /** Verify commit signatures. Default false (the build signs nothing yet). */
  gpgVerify?: boolean;
  ref: string;
  /** The commit to deploy; default the ref's head at first boot. */
  commit?: string;
  /**
   * The machine boots a disk on which this commit is already deployed (a cloud image built from
   * it, diskImage.ts): no rebase and no extra reboot; Ignition writes the deployed stamp itself.
   * Default false.
   */
  preinstalled?: boolean;
}

export interface KubeletBootstrap {
  /** API server URL, `https://…:6443`. */
  apiServer: string;
  /** The cluster CA certificate, PEM. */
  caCertificate: string;
  /** A bootstrap token `<id>.<secret>`: a secret. */
  token: string;
}

export interface SystemdUnit {
  name: string;
  contents?: string;
  /** Default true when contents are given. */
  enabled?: boolean;
  mask?: boolean;
}

export interface IgnitionInput {
  users?: IgnitionUser[];
  kubelet: KubeletSettings;
  nodeLabels?: Record<string, string>;
  nodeTaints?: NodeTaint[];
  registryMirrors?: RegistryMirror[];
  /** Extra sysctls; they override DEFAULT_SYSCTLS. */
  sysctls?: Record<string, string>;
  /** Kernel arguments that must be present (`kernelArguments.shouldExist`). */
  kernelArguments?: string[];
  /** Kernel arguments that must be absent (`kernelArguments.shouldNotExist`). */
  kernelArgumentsRemoved?: string[];
  deployment: OstreeDeployment;
  bootstrap?: KubeletBootstrap;
  /** The kubelet's kubeconfig and the cluster CA, written as they are (eksJoin.ts). Default none. */
  kubeconfig?: { kubeconfig: string; caCertificate: string };
  /** Extra systemd units. */
  units?: SystemdUnit[];
}

/** An RFC 2397 data URL of text, percent-encoded (what Ignition's `contents.source` takes). */
export function dataUrl(text: string): string {
  return `data:,${encodeURIComponent(text)}`;
}

/** The text of a `data:,` URL written by dataUrl (or a `data:;base64,` one). */
export function decodeDataUrl(url: string): string {
  if (url.startsWith("data:,")) return decodeURIComponent(url.slice("data:,".length));
  const b64 = /^data:[^,]*;base64,(.*)$/.exec(url);
  if (b64) return Buffer.from(b64[1] as string, "base64").toString("utf8");
  throw new Error(`not a data URL: ${url.slice(0, 40)}`);
}

/** A file of an Ignition config, its contents inline as a data URL. */
export interface IgnitionFile {
  path: string;
  mode: number;
  overwrite: boolean;
  contents: { source: string };
}

export function file(path: string, text: string, mode = 0o644): IgnitionFile {
  return { path, mode, overwrite: true, contents: { source: dataUrl(text) } };
}

/** containerd's own registry host name for Docker Hub; `*` is containerd's `_default`. */
function registryServer(registry: string): { dir: string; server?: string } {
  if (registry === "*") return { dir: "_default" };
  if (registry === "docker.io") return { dir: registry, server: "https://registry-1.docker.io" };
  return { dir: registry, server: `https://${registry}` };
}

/** containerd's config (version 2): CRI with runc under systemd cgroups, mirrors in certs.d. */
export function containerdConfigToml(): string {
  return tomlStringify({
    version: 2,
    plugins: {
      "io.containerd.grpc.v1.cri": {
        containerd: {
          default_runtime_name: "runc",
          runtimes: {
            runc: { runtime_type: "io.containerd.runc.v2", options: { SystemdCgroup: true } },
          },
        },
        registry: { config_path: CONTAINERD_CERTS_DIR },
      },
    },
  });
}

/** One registry's `hosts.toml`: its mirrors in order, pull and resolve only. */
export function containerdHostsToml(mirror: RegistryMirror): string {
  const { server } = registryServer(mirror.registry);
  const host: Record<string, unknown> = {};
  for (const endpoint of mirror.endpoints) host[endpoint] = { capabilities: ["pull", "resolve"] };
  return tomlStringify({ ...(server ? { server } : {}), host });
}

/** The kubelet's bootstrap kubeconfig (token auth): contains the token, a secret. */
export function bootstrapKubeconfig(b: KubeletBootstrap): string {
  return yamlStringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "cluster",
        cluster: {
          server: b.apiServer,
          "certificate-authority-data": Buffer.from(b.caCertificate, "utf8").toString("base64"),
        },
      },
    ],
    users: [{ name: "kubelet-bootstrap", user: { token: b.token } }],
    contexts: [{ name: "bootstrap", context: { cluster: "cluster", user: "kubelet-bootstrap" } }],
    "current-context": "bootstrap",
  });
}

function ostreeRemoteConf(d: OstreeDeployment): string {
  return [
    `[remote "${d.remoteName}"]`,
    `url=${d.remoteUrl}`,
    `gpg-verify=${d.gpgVerify ? "true" : "false"}`,
    "",
  ].join("\n");
}

function deployUnit(d: OstreeDeployment): string {
  const target = [`${d.remoteName}:${d.ref}`, ...(d.commit ? [d.commit] : [])].join(" ");
  return [
    "[Unit]",
    `Description=Deploy ostree ${d.remoteName}:${d.ref} and reboot into it`,
    "Wants=network-online.target",
    "After=network-online.target",
    `ConditionPathExists=!${DEPLOYED_STAMP}`,
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=/usr/bin/rpm-ostree rebase ${target}`,
    `ExecStart=/usr/bin/mkdir -p ${DEPLOYED_STAMP.slice(0, DEPLOYED_STAMP.lastIndexOf("/"))}`,
    `ExecStart=/usr/bin/touch ${DEPLOYED_STAMP}`,
    "ExecStart=/usr/bin/systemctl --no-block reboot",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

function kubeletUnit(input: IgnitionInput): string {
  const labels = input.nodeLabels ?? {};
  const labelArg = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(",");
  const args = [
    "/usr/bin/kubelet",
    `--config=${KUBELET_CONFIG_PATH}`,
    ...(input.bootstrap ? [`--bootstrap-kubeconfig=${BOOTSTRAP_KUBECONFIG_PATH}`] : []),
    `--kubeconfig=${KUBELET_KUBECONFIG_PATH}`,
    "--container-runtime-endpoint=unix:///run/containerd/containerd.sock",
    ...(labelArg ? [`--node-labels=${labelArg}`] : []),
  ];
  return [
    "[Unit]",
    "Description=Kubernetes kubelet",
    "Wants=containerd.service network-online.target",
    `After=containerd.service network-online.target ${DEPLOY_UNIT}`,
    // Only on the deployed image: the first boot rebases and reboots before the kubelet joins.
    `ConditionPathExists=${DEPLOYED_STAMP}`,
    "",
    "[Service]",
    `ExecStart=${args.join(" \\\n  ")}`,
    "Restart=always",
    "RestartSec=5",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/** The Ignition config as data. */
/**
 * The skeleton every Ignition v3 config of the project shares: the spec version, the login users
 * (only when there are any), the files and the systemd units, in that key order.
 */
export function ignitionBase(
  users: readonly IgnitionUser[],
  files: readonly IgnitionFile[],
  units: readonly unknown[],
): Record<string, unknown> {
  const config: Record<string, unknown> = { ignition: { version: IGNITION_VERSION } };
  if (users.length > 0) {
    config.passwd = {
      users: users.map((u) => ({
        name: u.name,
        sshAuthorizedKeys: [...u.sshAuthorizedKeys],
        ...(u.groups && u.groups.length > 0 ? { groups: [...u.groups] } : {}),
      })),
    };
  }
  config.storage = { files };
  config.systemd = { units };
  return config;
}

export function ignitionConfig(input: IgnitionInput): Record<string, unknown> {
  const k = input.kubelet;
  const sysctls = { ...DEFAULT_SYSCTLS, ...(input.sysctls ?? {}) };
  const sysctlText = `${Object.keys(sysctls)
    .sort()
    .map((key) => `${key} = ${sysctls[key]}`)
    .join("\n")}\n`;
  const files: IgnitionFile[] = [
    file(
      KUBELET_CONFIG_PATH,
      yamlStringify(kubeletConfiguration(k, { taints: input.nodeTaints, clientCaFile: CLUSTER_CA_PATH })),
    ),
    file(CONTAINERD_CONFIG_PATH, containerdConfigToml()),
    file(SYSCTL_PATH, sysctlText),
    file(MODULES_PATH, `${KERNEL_MODULES.join("\n")}\n`),
    file(`/etc/ostree/remotes.d/${input.deployment.remoteName}.conf`, ostreeRemoteConf(input.deployment)),
  ];
  for (const m of input.registryMirrors ?? []) {
    files.push(
      file(`${CONTAINERD_CERTS_DIR}/${registryServer(m.registry).dir}/hosts.toml`, containerdHostsToml(m)),
    );
  }
  if (input.bootstrap) {
    files.push(file(CLUSTER_CA_PATH, input.bootstrap.caCertificate));
    files.push(file(BOOTSTRAP_KUBECONFIG_PATH, bootstrapKubeconfig(input.bootstrap), 0o600));
  }
  if (input.kubeconfig) {
    if (input.bootstrap) throw new Error("ignitionConfig: give bootstrap or kubeconfig, not both");
    files.push(file(CLUSTER_CA_PATH, input.kubeconfig.caCertificate));
    files.push(file(KUBELET_KUBECONFIG_PATH, input.kubeconfig.kubeconfig, 0o600));
  }
  // A preinstalled deployment is the one booted: the stamp the kubelet waits for, written now.
  if (input.deployment.preinstalled) files.push(file(DEPLOYED_STAMP, `${input.deployment.commit ?? ""}\n`));
  files.sort((a, b) => a.path.localeCompare(b.path));

  const units: Record<string, unknown>[] = [
    ...(input.deployment.preinstalled
      ? []
      : [{ name: DEPLOY_UNIT, enabled: true, contents: deployUnit(input.deployment) }]),
    { name: "containerd.service", enabled: true },
    { name: "kubelet.service", enabled: true, contents: kubeletUnit(input) },
  ];
  // Swap off (Alauda Container Platform docs: Handling resource exhaustion errors): no swap unit can be reached.
  if (!k.swap) units.push({ name: "swap.target", mask: true });
  for (const u of input.units ?? []) {
    units.push({
      name: u.name,
      ...(u.mask ? { mask: true } : { enabled: u.enabled ?? u.contents !== undefined }),
      ...(u.contents !== undefined ? { contents: u.contents } : {}),
    });
  }

  const config = ignitionBase(input.users ?? [], files, units);
  const shouldExist = input.kernelArguments ?? [];
  const shouldNotExist = input.kernelArgumentsRemoved ?? [];
  if (shouldExist.length > 0 || shouldNotExist.length > 0) {
    config.kernelArguments = {
      ...(shouldExist.length > 0 ? { shouldExist: [...shouldExist] } : {}),
      ...(shouldNotExist.length > 0 ? { shouldNotExist: [...shouldNotExist] } : {}),
    };
  }
  return config;
}

/** The Ignition config as the JSON a node fetches as user data. */
export function ignitionJson(input: IgnitionInput): string {
  return `${JSON.stringify(ignitionConfig(input), null, 2)}\n`;
}
