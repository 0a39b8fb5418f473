/**
 * The documents a self-managed cluster's nodes boot with, as data (pure, no Pulumi):
 *
 * - kubeadm's `InitConfiguration`, `ClusterConfiguration` and `JoinConfiguration`
 *   (`kubeadm.k8s.io/v1beta4`, the kubeadm Configuration (v1beta4) reference), the first
 *   control-plane node's `KubeletConfiguration` (`kubelet.config.k8s.io/v1beta1`) beside them;
 * - the API server's `EncryptionConfiguration` (`apiserver.config.k8s.io/v1`, Kubernetes docs:
 *   Encrypting Confidential Data at Rest), Secrets encrypted with a generated 32-byte key;
 * - the Ignition v3 config of each node role, which writes them, the cluster's CA files and
 *   the systemd unit that runs `kubeadm init` (first control-plane node) or `kubeadm join`.
 *
 * PKI: the platform generates the CAs (cluster, front-proxy, etcd) and the service-account key
 * pair and writes them to `/etc/kubernetes/pki` on every control-plane node before kubeadm
 * runs. kubeadm then uses the CAs it finds and signs every leaf certificate itself (kubeadm
 * docs: "Certificate Management with kubeadm", custom certificates; "Creating Highly Available
 * Clusters with kubeadm", manual certificate distribution): no `--upload-certs`, no
 * certificate key in the cluster. Workers get no key: they discover the cluster with the
 * bootstrap token and pin the CA by its public-key hash (`caCertHashes`).
 *
 * Documents are built as data and written with `yaml`, never templated.
 */
import { createHash, X509Certificate } from "node:crypto";
import { type KubeletSettings, kubeletConfiguration, type NodeTaint } from "@kubeplat/plan";
import { stringify as yamlStringify } from "yaml";
import {
  CONTAINERD_CONFIG_PATH,
  containerdConfigToml,
  DEFAULT_SYSCTLS,
  file,
  type IgnitionFile,
  type IgnitionUser,
  ignitionBase,
  KERNEL_MODULES,
  MODULES_PATH,
  SYSCTL_PATH,
} from "../nodeimage/ignition";

export const KUBEADM_API_VERSION = "kubeadm.k8s.io/v1beta4";
export const KUBELET_API_VERSION = "kubelet.config.k8s.io/v1beta1";
export const ENCRYPTION_API_VERSION = "apiserver.config.k8s.io/v1";

export const API_SERVER_PORT = 6443;
export const PKI_DIR = "/etc/kubernetes/pki";
/** `kubeadm init --config` (first control-plane node only). */
export const KUBEADM_INIT_CONFIG_PATH = "/etc/kubernetes/kubeadm/init.yaml";
/** `kubeadm join --config` (every node). */
export const KUBEADM_JOIN_CONFIG_PATH = "/etc/kubernetes/kubeadm/join.yaml";
export const ENCRYPTION_DIR = "/etc/kubernetes/encryption";
export const ENCRYPTION_CONFIG_PATH = `${ENCRYPTION_DIR}/config.yaml`;
/** Written by kubeadm once the node has joined: the unit runs until it exists, then never again. */
/** The kubelet kubeconfig kubeadm writes (TLS bootstrap done); the EKS join path is ignition.ts's KUBELET_KUBECONFIG_PATH. */
export const KUBEADM_KUBELET_KUBECONFIG_PATH = "/etc/kubernetes/kubelet.conf";
export const KUBEADM_UNIT = "kubeplat-kubeadm.service";
export const CRI_SOCKET = "unix:///run/containerd/containerd.sock";
/** The group kubeadm binds to cluster-admin (`kubeadm:cluster-admins`, kubeadm 1.29 and later). */
export const CLUSTER_ADMINS_GROUP = "kubeadm:cluster-admins";
/** The group of kubeadm's default node bootstrap token. */
export const BOOTSTRAP_GROUP = "system:bootstrappers:kubeadm:default-node-token";

export type EncryptionProvider = "secretbox" | "aescbc";

/** The CA and key material a control-plane node needs, PEM (secrets). */
export interface ControlPlanePki {
  caCert: string;
  caKey: string;
  frontProxyCaCert: string;
  frontProxyCaKey: string;
  etcdCaCert: string;
  etcdCaKey: string;
  /** The service-account signing key (private, PEM) and its public key. */
  serviceAccountKey: string;
  serviceAccountPub: string;
}

export interface ClusterDocumentInput {
  clusterName: string;
  /** kubeadm form, `v1.35.0`. */
  kubernetesVersion: string;
  /** The API server VIP (the internal load balancer's address). */
  apiVip: string;
  podCidr: string;
  serviceCidr: string;
  /** Extra names and addresses in the API server certificate. Default: the VIP only. */
  certSans?: string[];
  /** Encrypt Secrets at rest. */
  encryption?: { provider: EncryptionProvider };
}

export interface NodeRegistration {
  /** The node's Kubernetes name. */
  name?: string;
  labels?: Record<string, string>;
  taints?: readonly NodeTaint[];
}

/** `host:port` of the API server behind its VIP. */
export const controlPlaneEndpoint = (vip: string) => `${vip}:${API_SERVER_PORT}`;

/** `sha256:<hex>` of a CA certificate's SubjectPublicKeyInfo: what `caCertHashes` pins. */
export function caCertHash(caCertPem: string): string {
  const spki = new X509Certificate(caCertPem).publicKey.export({ type: "spki", format: "der" });
  return `sha256:${createHash("sha256").update(spki).digest("hex")}`;
}

/** kubeadm v1beta4's structured extra arguments, sorted by name. */
function extraArgs(args: Record<string, string>): { name: string; value: string }[] {
  return Object.keys(args)
    .sort()
    .map((name) => ({ name, value: args[name] as string }));
}

function nodeRegistration(r: NodeRegistration, controlPlane: boolean): Record<string, unknown> {
  const labels = r.labels ?? {};
  const labelArg = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(",");
  return {
    ...(r.name !== undefined ? { name: r.name } : {}),
    criSocket: CRI_SOCKET,
    imagePullPolicy: "IfNotPresent",
    // A control-plane node keeps kubeadm's own taint; a worker registers with its pool's.
    taints: controlPlane
      ? [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }]
      : (r.taints ?? []).map((t) => ({ key: t.key, value: t.value ?? "", effect: t.effect })),
    ...(labelArg ? { kubeletExtraArgs: [{ name: "node-labels", value: labelArg }] } : {}),
  };
}

/** `ClusterConfiguration`: the same on every control-plane node. */
export function clusterConfiguration(c: ClusterDocumentInput): Record<string, unknown> {
  const apiServerArgs: Record<string, string> = {};
  if (c.encryption) apiServerArgs["encryption-provider-config"] = ENCRYPTION_CONFIG_PATH;
  return {
    apiVersion: KUBEADM_API_VERSION,
    kind: "ClusterConfiguration",
    clusterName: c.clusterName,
    kubernetesVersion: c.kubernetesVersion,
    controlPlaneEndpoint: controlPlaneEndpoint(c.apiVip),
    certificatesDir: PKI_DIR,
    // The platform's CAs are ECDSA P-256 (small enough for EC2's 16 KB user data); kubeadm's
    // own keys and certificates follow.
    encryptionAlgorithm: "ECDSA-P256",
    networking: { podSubnet: c.podCidr, serviceSubnet: c.serviceCidr, dnsDomain: "cluster.local" },
    apiServer: {
      certSANs: [...new Set([c.apiVip, ...(c.certSans ?? [])])],
      ...(Object.keys(apiServerArgs).length > 0 ? { extraArgs: extraArgs(apiServerArgs) } : {}),
      ...(c.encryption
        ? {
            extraVolumes: [
              {
                name: "encryption-config",
                hostPath: ENCRYPTION_DIR,
                mountPath: ENCRYPTION_DIR,
                readOnly: true,
                pathType: "DirectoryOrCreate",
              },
            ],
          }
        : {}),
    },
    etcd: { local: { dataDir: "/var/lib/etcd" } },
  };
}

/** `InitConfiguration` of the first control-plane node: its address and the bootstrap token. */
export function initConfiguration(input: {
  advertiseAddress: string;
  bootstrapToken: string;
  node: NodeRegistration;
}): Record<string, unknown> {
  return {
    apiVersion: KUBEADM_API_VERSION,
    kind: "InitConfiguration",
    bootstrapTokens: [
      {
        token: input.bootstrapToken,
        description: "kubeplat: nodes of the worker pools join with it",
        // "0s": the token never expires, so an autoscaling group can add a node at any time.
        ttl: "0s",
        usages: ["signing", "authentication"],
        groups: [BOOTSTRAP_GROUP],
      },
    ],
    localAPIEndpoint: { advertiseAddress: input.advertiseAddress, bindPort: API_SERVER_PORT },
    nodeRegistration: nodeRegistration(input.node, true),
  };
}

/**
 * `JoinConfiguration`: a control-plane node (`controlPlane` given: its advertise address) or a
 * worker, discovering the cluster through the VIP with the bootstrap token and the CA's hash.
 */
export function joinConfiguration(input: {
  apiVip: string;
  bootstrapToken: string;
  caCertHash: string;
  node: NodeRegistration;
  controlPlane?: { advertiseAddress: string };
}): Record<string, unknown> {
  return {
    apiVersion: KUBEADM_API_VERSION,
    kind: "JoinConfiguration",
    discovery: {
      bootstrapToken: {
        apiServerEndpoint: controlPlaneEndpoint(input.apiVip),
        token: input.bootstrapToken,
        caCertHashes: [input.caCertHash],
      },
    },
    nodeRegistration: nodeRegistration(input.node, input.controlPlane !== undefined),
    ...(input.controlPlane
      ? {
          controlPlane: {
            localAPIEndpoint: {
              advertiseAddress: input.controlPlane.advertiseAddress,
              bindPort: API_SERVER_PORT,
            },
          },
        }
      : {}),
  };
}

/**
 * The kubelet's configuration, handed to `kubeadm init` beside the kubeadm documents: kubeadm
 * stores it in the cluster (the `kubelet-config` ConfigMap) and every joining node takes it from
 * there. Swap off, webhook authentication and authorization, the platform's eviction thresholds.
 * The cluster DNS address is left to kubeadm (the service CIDR's tenth address).
 */
export function clusterKubeletConfiguration(settings: KubeletSettings): Record<string, unknown> {
  return kubeletConfiguration(settings, { clientCaFile: `${PKI_DIR}/ca.crt` });
}

/**
 * The API server's EncryptionConfiguration: Secrets written with the given provider and key,
 * `identity` last so Secrets written before encryption was turned on stay readable.
 */
export function encryptionConfiguration(
  provider: EncryptionProvider,
  keyBase64: string,
): Record<string, unknown> {
  return {
    apiVersion: ENCRYPTION_API_VERSION,
    kind: "EncryptionConfiguration",
    resources: [
      {
        resources: ["secrets"],
        providers: [{ [provider]: { keys: [{ name: "key1", secret: keyBase64 }] } }, { identity: {} }],
      },
    ],
  };
}

/** Several documents in one YAML stream (kubeadm reads its `--config` file this way). */
export function yamlStream(docs: readonly Record<string, unknown>[]): string {
  return docs.map((d) => yamlStringify(d)).join("---\n");
}

// ---------------------------------------------------------------------------------------------
// Ignition
// ---------------------------------------------------------------------------------------------

export type NodeRole = "init" | "control-plane" | "worker";

export interface SelfManagedIgnitionInput {
  role: NodeRole;
  /** The API server VIP: the first node joins instead of initialising when it already answers. */
  apiVip: string;
  /** kubeadm form, `v1.35.0`: the node checks its image's kubeadm against it. */
  kubernetesVersion: string;
  /** The `kubeadm init` documents (role `init`). */
  initConfig?: string;
  /** The `kubeadm join` document (every role: the first node joins with it when it is replaced). */
  joinConfig: string;
  /** Control-plane nodes: the CA files and the service-account key pair. */
  pki?: ControlPlanePki;
  /** Control-plane nodes with encryption at rest: the EncryptionConfiguration, YAML. */
  encryptionConfig?: string;
  users?: IgnitionUser[];
}

/** The kubelet unit kubeadm drives (kubeadm docs: "Configuring each kubelet in your cluster using kubeadm"). */
export const KUBELET_UNIT = [
  "[Unit]",
  "Description=Kubernetes kubelet",
  "Wants=network-online.target containerd.service",
  "After=network-online.target containerd.service",
  "",
  "[Service]",
  'Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"',
  'Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"',
  "EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env",
  "ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS",
  "Restart=always",
  "RestartSec=10",
  "",
  "[Install]",
  "WantedBy=multi-user.target",
  "",
].join("\n");

/** The administrator kubeconfig a replaced first control-plane node signs for itself, removed after use. */
export const UPGRADE_KUBECONFIG_PATH = "/etc/kubernetes/kubeplat-upgrade.conf";

/**
 * The one-shot unit that runs `kubeadm init` or `kubeadm join` until the node has joined
 * (kubeadm writes the kubelet's kubeconfig), retrying while the first control-plane node is not
 * up yet. Once joined it never runs again: a node changes only by being replaced.
 *
 * - Every node first checks that the image's kubeadm is the cluster's version: a node booting
 *   an image built for another version refuses to join (and the version being in every node's
 *   user data is what makes a version change replace every node).
 * - The first control-plane node initialises the cluster only when nothing answers at the VIP
 *   yet. Its replacement finds the cluster there: it signs itself an administrator kubeconfig
 *   with the cluster CA it carries, uploads its ClusterConfiguration and KubeletConfiguration
 *   to the cluster (`kubeadm init phase upload-config all`: the `kubeadm-config` and
 *   `kubelet-config` ConfigMaps), joins like the others, then moves kube-proxy and CoreDNS to
 *   the new version (`kubeadm init phase addon all`). Every later node joins at the uploaded
 *   version: a version change replaces the control plane node by node, first node first, as
 *   `kubeadm upgrade apply` then `kubeadm upgrade node` would upgrade it in place (Cluster API's
 *   kubeadm control plane rolls an upgrade the same way: configuration first, then new nodes).
 */
export function kubeadmUnit(role: NodeRole, apiVip: string, kubernetesVersion: string): string {
  const join = `/usr/bin/kubeadm join --config=${KUBEADM_JOIN_CONFIG_PATH}`;
  const versionCheck = `v=$(/usr/bin/kubeadm version -o short); if [ "$v" != "${kubernetesVersion}" ]; then echo "kubeadm $v on this image, the cluster runs ${kubernetesVersion}: boot an image built for it" >&2; exit 1; fi`;
  const admin = `--kubeconfig=${UPGRADE_KUBECONFIG_PATH}`;
  const init = `--config=${KUBEADM_INIT_CONFIG_PATH}`;
  const rejoin = [
    `/usr/bin/kubeadm kubeconfig user ${init} --client-name=kubeplat-node-upgrade --org=${CLUSTER_ADMINS_GROUP} > ${UPGRADE_KUBECONFIG_PATH}`,
    `/usr/bin/kubeadm init phase upload-config all ${init} ${admin}`,
    join,
    `/usr/bin/kubeadm init phase addon all ${init} ${admin}`,
  ].join(" && ");
  const body =
    role === "init"
      ? `${versionCheck}; if /usr/bin/curl --silent --insecure --fail --max-time 5 https://${controlPlaneEndpoint(apiVip)}/livez; then ${rejoin}; rc=$?; rm -f ${UPGRADE_KUBECONFIG_PATH}; exit $rc; else exec /usr/bin/kubeadm init ${init}; fi`
      : `${versionCheck}; exec ${join}`;
  return [
    "[Unit]",
    `Description=kubeadm ${role === "init" ? "init" : "join"} (kubeplat ${role} node)`,
    "Wants=network-online.target containerd.service",
    "After=network-online.target containerd.service",
    `ConditionPathExists=!${KUBEADM_KUBELET_KUBECONFIG_PATH}`,
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    // systemd expands `$` itself: `$$` hands the shell a `$`.
    `ExecStart=/bin/sh -c '${body.replaceAll("$", "$$$$")}'`,
    "Restart=on-failure",
    "RestartSec=30",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/** The Ignition v3 config of one node role. */
export function selfManagedIgnitionConfig(input: SelfManagedIgnitionInput): Record<string, unknown> {
  const sysctlText = `${Object.keys(DEFAULT_SYSCTLS)
    .sort()
    .map((key) => `${key} = ${DEFAULT_SYSCTLS[key]}`)
    .join("\n")}\n`;
  const files: IgnitionFile[] = [
    file(KUBEADM_JOIN_CONFIG_PATH, input.joinConfig, 0o600),
    ...(input.role === "init" && input.initConfig !== undefined
      ? [file(KUBEADM_INIT_CONFIG_PATH, input.initConfig, 0o600)]
      : []),
    file(CONTAINERD_CONFIG_PATH, containerdConfigToml()),
    file(SYSCTL_PATH, sysctlText),
    file(MODULES_PATH, `${KERNEL_MODULES.join("\n")}\n`),
  ];
  if (input.role !== "worker") {
    const pki = input.pki;
    if (!pki) throw new Error(`a ${input.role} node needs the cluster's CA files (pki)`);
    files.push(
      file(`${PKI_DIR}/ca.crt`, pki.caCert),
      file(`${PKI_DIR}/ca.key`, pki.caKey, 0o600),
      file(`${PKI_DIR}/front-proxy-ca.crt`, pki.frontProxyCaCert),
      file(`${PKI_DIR}/front-proxy-ca.key`, pki.frontProxyCaKey, 0o600),
      file(`${PKI_DIR}/etcd/ca.crt`, pki.etcdCaCert),
      file(`${PKI_DIR}/etcd/ca.key`, pki.etcdCaKey, 0o600),
      file(`${PKI_DIR}/sa.key`, pki.serviceAccountKey, 0o600),
      file(`${PKI_DIR}/sa.pub`, pki.serviceAccountPub),
    );
    if (input.encryptionConfig !== undefined)
      files.push(file(ENCRYPTION_CONFIG_PATH, input.encryptionConfig, 0o600));
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  return ignitionBase(input.users ?? [], files, [
    { name: "containerd.service", enabled: true },
    { name: "kubelet.service", enabled: true, contents: KUBELET_UNIT },
    {
      name: KUBEADM_UNIT,
      enabled: true,
      contents: kubeadmUnit(input.role, input.apiVip, input.kubernetesVersion),
    },
    // Swap off: the kubelet refuses to start with swap on (failSwapOn).
    { name: "swap.target", mask: true },
  ]);
}

/** The Ignition config as the JSON a node reads as user data. */
export function selfManagedIgnitionJson(input: SelfManagedIgnitionInput): string {
  return `${JSON.stringify(selfManagedIgnitionConfig(input), null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// A whole cluster
// ---------------------------------------------------------------------------------------------

export interface SelfManagedClusterDocumentsInput extends ClusterDocumentInput {
  /** The planned control-plane nodes, first one runs `kubeadm init`. */
  controlPlaneNodes: readonly { name: string; ip: string }[];
  /** Worker pools: their nodes' labels and taints. */
  pools: readonly { name: string; labels?: Record<string, string>; taints?: readonly NodeTaint[] }[];
  kubelet: KubeletSettings;
  /** `<6 chars>.<16 chars>` of [a-z0-9] (a secret). */
  bootstrapToken: string;
  pki: ControlPlanePki;
  /** The encryption-at-rest key, base64 of 32 bytes (a secret); with `encryption`. */
  encryptionKey?: string;
  users?: IgnitionUser[];
}

export interface NodeDocuments {
  /** Node name (control plane) or pool name (workers). */
  name: string;
  role: NodeRole;
  /** The `kubeadm init --config` file (role `init`). */
  initConfig?: string;
  /** The `kubeadm join --config` file. */
  joinConfig: string;
  /** The node's Ignition config, JSON: its user data. */
  ignition: string;
}

/** Every document of a self-managed cluster: one per control-plane node, one per worker pool. */
export function selfManagedClusterDocuments(input: SelfManagedClusterDocumentsInput): {
  controlPlane: NodeDocuments[];
  pools: NodeDocuments[];
} {
  const hash = caCertHash(input.pki.caCert);
  const encryptionConfig =
    input.encryption && input.encryptionKey !== undefined
      ? yamlStringify(encryptionConfiguration(input.encryption.provider, input.encryptionKey))
      : undefined;
  if (input.encryption && encryptionConfig === undefined)
    throw new Error(`cluster "${input.clusterName}": encryption at rest needs its key (encryptionKey)`);
  const cluster = clusterConfiguration(input);
  const controlPlane = input.controlPlaneNodes.map((n, i): NodeDocuments => {
    const role: NodeRole = i === 0 ? "init" : "control-plane";
    const initConfig =
      role === "init"
        ? yamlStream([
            initConfiguration({
              advertiseAddress: n.ip,
              bootstrapToken: input.bootstrapToken,
              node: { name: n.name },
            }),
            cluster,
            clusterKubeletConfiguration(input.kubelet),
          ])
        : undefined;
    const joinConfig = yamlStream([
      joinConfiguration({
        apiVip: input.apiVip,
        bootstrapToken: input.bootstrapToken,
        caCertHash: hash,
        node: { name: n.name },
        controlPlane: { advertiseAddress: n.ip },
      }),
    ]);
    return {
      name: n.name,
      role,
      initConfig,
      joinConfig,
      ignition: selfManagedIgnitionJson({
        role,
        apiVip: input.apiVip,
        kubernetesVersion: input.kubernetesVersion,
        initConfig,
        joinConfig,
        pki: input.pki,
        encryptionConfig,
        users: input.users,
      }),
    };
  });
  const pools = input.pools.map((p): NodeDocuments => {
    const joinConfig = yamlStream([
      joinConfiguration({
        apiVip: input.apiVip,
        bootstrapToken: input.bootstrapToken,
        caCertHash: hash,
        node: { labels: p.labels, taints: p.taints },
      }),
    ]);
    return {
      name: p.name,
      role: "worker",
      joinConfig,
      ignition: selfManagedIgnitionJson({
        role: "worker",
        apiVip: input.apiVip,
        kubernetesVersion: input.kubernetesVersion,
        joinConfig,
        users: input.users,
      }),
    };
  });
  return { controlPlane, pools };
}
