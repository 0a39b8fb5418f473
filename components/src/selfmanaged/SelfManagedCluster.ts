/**
 * A self-managed Kubernetes cluster: kubeadm on plain EC2 or ECS instances booting the project's
 * immutable ostree image, after the Alauda Container Platform model of self-provisioned
 * clusters (Alauda Container Platform docs: Creating an on-premise cluster): an odd number of
 * control-plane nodes behind an API server VIP, a worker pool per spec pool, etcd encrypted at
 * rest (README: Self-managed clusters). One component for both clouds: what is shared lives here
 * and in its modules, each cloud's resources in their own module.
 *
 *   PKI            clusterPki.ts: CAs, service-account keys, admin certificate, token, key
 *   documents      kubeadmDocuments.ts: kubeadm configurations and each node's Ignition
 *   readiness      readiness.ts: the check that orders control-plane replacements
 *   AWS            awsInfrastructure.ts: an internal NLB at the planned VIP, one `aws.ec2.Instance`
 *                  per control-plane node at its planned IP, per pool a launch template + auto
 *                  scaling group rolled by instance refresh
 *   Alibaba Cloud  alicloudInfrastructure.ts: an intranet NLB at the planned VIP and one planned
 *                  address per other zone, one `alicloud.ecs.Instance` per control-plane node at
 *                  its planned IP, per pool an ESS scaling group + active scaling configuration
 *
 * Upgrades by image (README: Self-managed clusters, upgrades): a new image id or a changed
 * Ignition replaces nodes, never patches them. Control-plane nodes are replaced one at a time:
 * each node's instance depends on the previous node's readiness check (`/readyz` of its own API
 * server, etcd included), so Pulumi deletes and recreates node i+1 only after node i serves
 * again. A node keeps its planned IP, so kubeadm's join finds its etcd member by peer URL and the
 * new node takes it over; fixed IPs also force delete-before-replace. AWS workers roll by the
 * group's instance refresh; ESS workers are not rolled by `pulumi up` (alicloudInfrastructure.ts).
 */
import {
  type ClusterFacts,
  checkApiVip,
  checkCluster,
  checkDeletionProtection,
  checkInvalid,
  checkKubeOvnJoinOverlap,
  checkSecretsEncryption,
  checkVersionSupported,
  DEFAULT_MAX_PODS_SELF_PROVISIONED,
  type Diagnostic,
  deployerAccess,
  ENCRYPTION_PROVIDERS,
  kubernetesVersionProblem,
  type NetworkFacts,
  resolveKubeletSettings,
  SPEC_SCHEMA,
} from "@kubeplat/plan";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify as yamlStringify } from "yaml";
import { judge } from "../judgement";
import type { NodeTaintArgs } from "../nodeimage/NodeImage";
import { alicloudInfrastructure } from "./alicloudInfrastructure";
import { awsInfrastructure } from "./awsInfrastructure";
import { clusterPki } from "./clusterPki";
import {
  API_SERVER_PORT,
  type ControlPlanePki,
  type EncryptionProvider,
  selfManagedClusterDocuments,
} from "./kubeadmDocuments";
import type { WorkerCapacityArgs } from "./workerCapacity";

export interface SelfManagedControlPlaneNodeArgs {
  /** The node's instance and Kubernetes name. */
  name: string;
  /** Its fixed private IP (planned). */
  ip: string;
  subnetId: pulumi.Input<string>;
  /** Its zone (the NLB's zone mappings on Alibaba Cloud). */
  zone?: string;
}

/** One of the API NLB's private addresses beside the VIP (Alibaba Cloud). */
export interface SelfManagedApiZoneAddressArgs {
  /** The zone. */
  zone: string;
  /** The zone's node vSwitch. */
  subnetId: pulumi.Input<string>;
  /** The planned address in it. */
  ip: string;
}

export interface SelfManagedControlPlaneArgs {
  /** 1, 3 or 5 (cluster/control-plane-count). */
  count: number;
  instanceType: string;
  /** Root volume size in GiB (etcd lives on it). */
  diskGiB: number;
  /** EBS volume type. Default gp3. */
  diskType?: string;
  /** Encrypt the root volume. Default true. */
  diskEncrypted?: boolean;
  /** KMS key of the root volume's encryption. Default: the account's default EBS key. */
  diskKmsKeyId?: string;
  /** One entry per node, in order: the first runs `kubeadm init`. */
  nodes: SelfManagedControlPlaneNodeArgs[];
}

export interface SelfManagedEncryptionArgs {
  /** `secretbox` or `aescbc`. */
  provider: string;
}

export interface SelfManagedPoolArgs {
  name: string;
  /** In order of preference; the group launches any of them (on demand: the first it can). */
  instanceTypes: string[];
  /** On-demand (default), spot, or mixed. */
  capacity?: WorkerCapacityArgs;
  minSize: number;
  maxSize: number;
  /** Default minSize. */
  desiredSize?: number;
  subnetIds: pulumi.Input<string>[];
  labels?: Record<string, string>;
  taints?: NodeTaintArgs[];
  /** Root volume size in GiB. Default 100. */
  diskGiB?: number;
  /** EBS volume type (default gp3) or ECS disk category (default cloud_essd). */
  diskType?: string;
  /** ESSD performance level (Alibaba Cloud; the spec check refuses it on AWS). */
  diskPerformanceLevel?: string;
  /** Encrypt the root volume. Default true. */
  diskEncrypted?: boolean;
  /** KMS key of the root volume's encryption. Default: the account's default EBS key. */
  diskKmsKeyId?: string;
  /** Percentage of the group kept in service during an instance refresh. Default 90. */
  minHealthyPercentage?: number;
}

export interface SelfManagedClusterArgs {
  /** `aws` (EC2, an NLB, auto scaling groups) or `alicloud` (ECS, an NLB, ESS scaling groups). */
  cloud: string;
  clusterName: string;
  /** The zones the cluster spans (cluster/zones). */
  zones: string[];
  /** A production environment. Default false. */
  production?: boolean;
  /** kubeadm form, `v1.35.0`. */
  kubernetesVersion: string;
  /** `kube-ovn` or `calico`. */
  cni: string;
  podCidr: string;
  serviceCidr: string;
  /** Kube-OVN's join CIDR. */
  joinCidr?: string;
  /** The API server VIP. */
  apiVip: string;
  /** The subnet the VIP must lie in (the first control-plane node's), for cidr/api-vip. */
  apiVipSubnetCidr?: string;
  apiVipSubnetId: pulumi.Input<string>;
  /** The VIP's zone (Alibaba Cloud: the NLB's first zone mapping). */
  apiVipZone?: string;
  /**
   * Alibaba Cloud: the NLB's private address in each other zone, planned like the VIP (an NLB
   * spans at least two zones, each with one vSwitch and one address).
   */
  apiZoneAddresses?: SelfManagedApiZoneAddressArgs[];
  controlPlane: SelfManagedControlPlaneArgs;
  /** The node image (AMI) every node boots: the project's ostree image. */
  imageId: pulumi.Input<string>;
  vpcId: pulumi.Input<string>;
  /** The VPC's CIDRs: the nodes' security group admits them. */
  vpcCidrs: string[];
  pools?: SelfManagedPoolArgs[];
  /** Encrypt Secrets at rest with this provider. Undefined: off. */
  encryption?: SelfManagedEncryptionArgs;
  /** EC2 key pair of every node. Default none. */
  keyName?: string;
  /** Termination protection of the control-plane instances. Default: production. */
  deletionProtection?: boolean;
  /**
   * Where `pulumi up` runs: `internet` or `vpc` (security/deployer-access: the API server is
   * private, so the in-cluster layer needs `vpc`). Default `vpc`.
   */
  deployFrom?: string;
  /** Max pods per node. Default 110. */
  maxPods?: number;
  tags?: Record<string, string>;
}

function problem(name: string, path: string, message: string): Diagnostic {
  return { rule: SPEC_SCHEMA, severity: "mandatory", resource: name, path, message };
}

/** Every diagnostic of the arguments: the rules of RULES.md over them, then their shape. */
export function checkSelfManagedClusterArgs(name: string, args: SelfManagedClusterArgs): Diagnostic[] {
  const production = args.production ?? false;
  const out: Diagnostic[] = [];
  if (args.cloud !== "aws" && args.cloud !== "alicloud")
    out.push(
      problem(
        name,
        "cloud",
        `cloud "${args.cloud}": self-managed clusters are built on "aws" (EC2) or "alicloud" (ECS)`,
      ),
    );
  if (
    args.cloud === "alicloud" &&
    (args.apiZoneAddresses ?? []).filter((a) => a.zone !== args.apiVipZone).length < 1
  )
    out.push(
      problem(
        name,
        "zones",
        `the API server's NLB needs at least two zones (alicloud provider: nlb.LoadBalancer zoneMappings), the cluster spans ${args.zones.length === 1 ? "one" : args.zones.length}: ${args.zones.join(", ")}`,
      ),
    );
  // The NLB's other addresses are planned apart from every node (end − 4 of a zone's vSwitch, nodes
  // at end − 5 and below); a node or the VIP on one of them would lose its address to the NLB.
  const taken = new Map<string, string>([
    [args.apiVip, "the API VIP"],
    ...args.controlPlane.nodes.map((n): [string, string] => [n.ip, `control-plane node ${n.name}`]),
  ]);
  (args.apiZoneAddresses ?? []).forEach((a, i) => {
    const owner = taken.get(a.ip);
    if (owner !== undefined)
      out.push(
        problem(
          name,
          `apiZoneAddresses[${i}].ip`,
          `the API NLB's address ${a.ip} in zone ${a.zone} is also ${owner}'s; every NLB address must equal no node IP and not the VIP`,
        ),
      );
    taken.set(a.ip, `the API NLB's address in zone ${a.zone}`);
  });
  const cluster: ClusterFacts = {
    resource: name,
    path: "",
    production,
    cloud: args.cloud === "alicloud" ? "alicloud" : "aws",
    name: args.clusterName,
    selfProvisioned: true,
    controlPlaneCount: args.controlPlane.count,
    zones: args.zones,
    tags: args.tags,
    fieldPaths: { name: "clusterName", controlPlaneCount: "controlPlane.count" },
  };
  out.push(...checkCluster(cluster));
  const nodes = args.controlPlane.nodes;
  if (
    Number.isInteger(args.controlPlane.count) &&
    nodes.length !== args.controlPlane.count &&
    args.controlPlane.count > 0
  )
    out.push(
      problem(
        name,
        "controlPlane.nodes",
        `${nodes.length} control-plane node addresses for controlPlane.count ${args.controlPlane.count}`,
      ),
    );
  const security = {
    resource: name,
    path: "",
    production,
    name: args.clusterName,
    deletionProtection: args.deletionProtection ?? production,
    secretsEncrypted: args.encryption !== undefined,
    secretsEncryptionKey: args.encryption
      ? `(${args.encryption.provider} key generated by the platform)`
      : undefined,
    fieldPaths: { secretsEncrypted: "encryption" },
  };
  out.push(...checkDeletionProtection(security), ...checkSecretsEncryption(security));
  out.push(
    ...deployerAccess({
      resource: name,
      path: "",
      cluster: args.clusterName,
      cloud: "kubeadm",
      managesInClusterObjects: true,
      publicEndpoint: false,
      deployFrom: args.deployFrom ?? "vpc",
    }),
  );
  const net: NetworkFacts = {
    vpcs: [],
    vswitches: [],
    connected: [],
    clusters: [
      {
        resource: name,
        name: args.clusterName,
        path: "",
        cni: args.cni === "calico" ? "calico" : "kube-ovn",
        podCidr: { cidr: args.podCidr, path: "podCidr" },
        serviceCidr: { cidr: args.serviceCidr, path: "serviceCidr" },
        kubeOvn:
          args.cni === "kube-ovn" && args.joinCidr !== undefined
            ? { joinCidr: { cidr: args.joinCidr, path: "joinCidr" } }
            : undefined,
        apiVip: {
          vip: args.apiVip,
          subnet: args.apiVipSubnetCidr,
          nodeIps: nodes.map((n) => n.ip),
          path: "apiVip",
        },
      },
    ],
  };
  out.push(...checkInvalid(net), ...checkApiVip(net), ...checkKubeOvnJoinOverlap(net));
  if (args.encryption && !(ENCRYPTION_PROVIDERS as readonly string[]).includes(args.encryption.provider))
    out.push(
      problem(
        name,
        "encryption.provider",
        `encryption provider "${args.encryption.provider}" is not one of ${ENCRYPTION_PROVIDERS.join(", ")}`,
      ),
    );
  if (args.cni !== "kube-ovn" && args.cni !== "calico")
    out.push(problem(name, "cni", `cni "${args.cni}": a self-managed cluster runs kube-ovn or calico`));
  const why = kubernetesVersionProblem("kubeadm", args.kubernetesVersion);
  if (why) out.push(problem(name, "kubernetesVersion", why));
  out.push(
    ...checkVersionSupported({
      resource: name,
      path: "",
      cloud: "kubeadm",
      production,
      version: args.kubernetesVersion,
    }),
  );
  (args.pools ?? []).forEach((p, i) => {
    const at = `pools[${i}]`;
    const desired = p.desiredSize ?? p.minSize;
    if (p.instanceTypes.length === 0)
      out.push(problem(name, `${at}.instanceTypes`, `pool "${p.name}": no instance type`));
    if (!(p.minSize <= desired && desired <= p.maxSize))
      out.push(
        problem(
          name,
          `${at}.minSize`,
          `pool "${p.name}": sizes min ${p.minSize}, desired ${desired}, max ${p.maxSize} are not in order`,
        ),
      );
    if (p.subnetIds.length === 0) out.push(problem(name, `${at}.subnetIds`, `pool "${p.name}": no subnet`));
  });
  return out;
}

/**
 * Every node's documents (kubeadm configurations, Ignition) from the component's arguments and
 * the cluster's secrets: what the component sends as user data, and what the e2e suite hands to
 * the real `kubeadm config validate`.
 */
export function clusterDocumentsOf(
  args: SelfManagedClusterArgs,
  secrets: { pki: ControlPlanePki; bootstrapToken: string; encryptionKey: string },
): ReturnType<typeof selfManagedClusterDocuments> {
  const docs = selfManagedClusterDocuments({
    clusterName: args.clusterName,
    kubernetesVersion: args.kubernetesVersion,
    apiVip: args.apiVip,
    podCidr: args.podCidr,
    serviceCidr: args.serviceCidr,
    encryption: args.encryption ? { provider: args.encryption.provider as EncryptionProvider } : undefined,
    encryptionKey: args.encryption ? secrets.encryptionKey : undefined,
    controlPlaneNodes: args.controlPlane.nodes,
    pools: (args.pools ?? []).map((p) => ({ name: p.name, labels: p.labels, taints: p.taints })),
    kubelet: resolveKubeletSettings({ maxPods: args.maxPods ?? DEFAULT_MAX_PODS_SELF_PROVISIONED }),
    bootstrapToken: secrets.bootstrapToken,
    pki: secrets.pki,
  });
  for (const node of [...docs.controlPlane, ...docs.pools.map((p) => ({ ...p, name: `pool ${p.name}` }))])
    checkUserDataSize(
      args.clusterName,
      node.name,
      node.ignition,
      args.cloud === "alicloud" ? "alicloud" : "aws",
    );
  return docs;
}

/** EC2 user data: at most 16 KB before base64 (Amazon EC2 user guide: Work with instance user data). */
export const EC2_USER_DATA_MAX_BYTES = 16 * 1024;

/**
 * ECS user data: at most 32 KB of raw data before base64 (ECS API reference: RunInstances,
 * `UserData`; Auto Scaling API reference: CreateScalingConfiguration, `UserData`).
 */
export const ECS_USER_DATA_MAX_BYTES = 32 * 1024;

const USER_DATA_LIMIT = {
  aws: {
    bytes: EC2_USER_DATA_MAX_BYTES,
    cloud: "EC2",
    source: "Amazon EC2 user guide: Work with instance user data",
  },
  alicloud: {
    bytes: ECS_USER_DATA_MAX_BYTES,
    cloud: "ECS",
    source: "ECS API reference: RunInstances, UserData",
  },
} as const;

/** Throw, naming the node and both sizes, when an Ignition config is over the cloud's user data limit. */
export function checkUserDataSize(
  cluster: string,
  node: string,
  ignition: string,
  cloud: "aws" | "alicloud" = "aws",
): void {
  const bytes = Buffer.byteLength(ignition, "utf8");
  const limit = USER_DATA_LIMIT[cloud];
  if (bytes > limit.bytes)
    throw new Error(
      `self-managed cluster ${cluster}: the Ignition config of ${node} is ${bytes} bytes, over ${limit.cloud}'s user data limit of ${limit.bytes} bytes (${limit.source}); ${limit.cloud} would refuse the instance`,
    );
}

/**
 * Each cluster's Kubernetes provider, behind the `provider` getter (TypeScript only, as on
 * EksCluster): other languages build their own from `kubeconfig`.
 */
const k8sProviders = new WeakMap<SelfManagedCluster, k8s.Provider>();

/** The kubeconfig of the program's administrator certificate (a secret). */
export function adminKubeconfig(
  clusterName: string,
  server: string,
  caCert: string,
  cert: string,
  key: string,
): string {
  const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
  return yamlStringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: clusterName, cluster: { server, "certificate-authority-data": b64(caCert) } }],
    users: [
      { name: "kubeplat-admin", user: { "client-certificate-data": b64(cert), "client-key-data": b64(key) } },
    ],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: "kubeplat-admin" } }],
    "current-context": clusterName,
  });
}

export { apiSubnetMappings } from "./awsInfrastructure";
export { READINESS_ATTEMPTS, READINESS_INTERVAL_SECONDS, readinessCommand } from "./readiness";

export class SelfManagedCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  /** `https://<VIP>:6443`. */
  readonly endpoint: pulumi.Output<string>;
  /** The cluster CA, base64 of the PEM (as EKS's `certificateAuthority.data`). */
  readonly certificateAuthorityData: pulumi.Output<string>;
  /** A kubeconfig with the program's administrator certificate, a secret. */
  readonly kubeconfig: pulumi.Output<string>;
  /** The control-plane instance ids, in node order. */
  readonly controlPlaneInstanceIds: pulumi.Output<string[]>;
  /** The auto scaling group names, by pool. */
  readonly poolGroupNames: pulumi.Output<Record<string, string>>;

  /** Kubernetes provider for the in-cluster components. TypeScript only. */
  get provider(): k8s.Provider {
    return k8sProviders.get(this) as k8s.Provider;
  }

  constructor(name: string, args: SelfManagedClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const advisories = judge(`SelfManagedCluster ${name}`, args, () =>
      checkSelfManagedClusterArgs(name, args),
    );
    super("platform:selfmanaged:SelfManagedCluster", name, {}, opts);
    for (const d of advisories) pulumi.log.warn(`${d.rule} at ${d.path}: ${d.message}`, this);

    const production = args.production ?? false;
    const tags = { ...(args.tags ?? {}), "kubeplat.io/cluster": args.clusterName };
    const deletionProtection = args.deletionProtection ?? production;
    const pki = clusterPki(name, this);

    const documents = pulumi.secret(
      pulumi
        .all([pki.controlPlane, pki.bootstrapToken, pki.encryptionKey])
        .apply(([controlPlane, bootstrapToken, encryptionKey]) =>
          clusterDocumentsOf(args, { pki: controlPlane, bootstrapToken, encryptionKey }),
        ),
    );

    const infra = (args.cloud === "alicloud" ? alicloudInfrastructure : awsInfrastructure)(name, args, {
      parent: this,
      documents,
      tags,
      deletionProtection,
    });
    const { instances, ready: previousReady, groups } = infra;

    const endpoint = `https://${args.apiVip}:${API_SERVER_PORT}`;
    this.clusterName = pulumi.output(args.clusterName);
    this.endpoint = pulumi.output(endpoint);
    this.certificateAuthorityData = pki.caCert.apply((c) => Buffer.from(c, "utf8").toString("base64"));
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([pki.caCert, pki.adminCert, pki.adminKey])
        .apply(([ca, cert, key]) => adminKubeconfig(args.clusterName, endpoint, ca, cert, key)),
    );
    this.controlPlaneInstanceIds = pulumi.all(infra.instanceIds);
    this.poolGroupNames = pulumi.all(groups);
    k8sProviders.set(
      this,
      new k8s.Provider(
        `${name}-k8s`,
        { kubeconfig: this.kubeconfig, enableServerSideApply: true },
        { parent: this, dependsOn: previousReady ? [previousReady] : instances },
      ),
    );
    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      certificateAuthorityData: this.certificateAuthorityData,
      kubeconfig: this.kubeconfig,
      controlPlaneInstanceIds: this.controlPlaneInstanceIds,
      poolGroupNames: this.poolGroupNames,
    });
  }
}
