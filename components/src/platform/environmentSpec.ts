/**
 * The environment spec as plain interfaces and `as const` enums: the type of `Platform`'s
 * `environment` argument, so Pulumi's component schema inference can publish it to C#, Python,
 * Go and YAML (it cannot read zod's inferred types).
 *
 * It mirrors `EnvironmentInput` (`plan/spec.ts`) field for field: the compile-time check at the
 * end of this file fails the build when either accepts a document the other does not, and the
 * package schema test compares the published schema with zod's own JSON Schema. Validation stays
 * with zod: `Platform` parses whatever it is given with `parseEnvironment`, defaults included.
 */
import type { AckEdition } from "../alicloud/AckCluster";
import type { ContainerRuntime } from "../alicloud/AckNodePool";
import type { TaintEffect } from "../nodeimage/NodeImage";
import type { VSwitchRole } from "../plan/plan-types";
import type { EnvironmentInput } from "../plan/spec";

/** The cloud of an environment. */
export const CloudName = { Alicloud: "alicloud", Aws: "aws" } as const;
export type CloudName = (typeof CloudName)[keyof typeof CloudName];

/** How a connected network reaches the VPC. */
export const ConnectedRangeKind = {
  PeerVpc: "peer-vpc",
  Cen: "cen",
  Vpn: "vpn",
  LeasedLine: "leased-line",
  Other: "other",
} as const;
export type ConnectedRangeKind = (typeof ConnectedRangeKind)[keyof typeof ConnectedRangeKind];

/** The node OS family of a node pool. */
export const NodePoolImageFamily = {
  /** Alibaba Cloud ContainerOS (ACK Pro managed pools). */
  ContainerOs: "containeros",
  /** Alibaba Cloud Linux 3. */
  Alinux: "alinux",
  /** Bottlerocket (EKS). */
  Bottlerocket: "bottlerocket",
  /** An rpm-ostree image the platform builds. */
  Ostree: "ostree",
  /** A custom image. */
  Custom: "custom",
} as const;
export type NodePoolImageFamily = (typeof NodePoolImageFamily)[keyof typeof NodePoolImageFamily];

/** The container network plugin of a cluster. */
export const ClusterCni = { Terway: "terway", Flannel: "flannel", VpcCni: "vpc-cni" } as const;
export type ClusterCni = (typeof ClusterCni)[keyof typeof ClusterCni];

/** IPv4 only, or dual stack. */
export const ClusterIpStack = { Ipv4: "ipv4", Dual: "dual" } as const;
export type ClusterIpStack = (typeof ClusterIpStack)[keyof typeof ClusterIpStack];

/** The ingress controller of an ingress entry. */
export const IngressControllerKind = {
  /** ingress-nginx behind a CLB (Alibaba Cloud) or an NLB (AWS). */
  Nginx: "nginx",
  /** Alibaba Cloud ALB Ingress (AlbConfig). */
  Alb: "alb",
  /** AWS Load Balancer Controller. */
  AwsLbController: "aws-lb-controller",
} as const;
export type IngressControllerKind = (typeof IngressControllerKind)[keyof typeof IngressControllerKind];

/** Internet-facing or VPC-internal load balancer. */
export const IngressAddressType = { Internet: "internet", Intranet: "intranet" } as const;
export type IngressAddressType = (typeof IngressAddressType)[keyof typeof IngressAddressType];

/** Pod Security Standard enforced on a namespace. */
export const PodSecurityLevel = {
  Baseline: "baseline",
  Restricted: "restricted",
  Privileged: "privileged",
} as const;
export type PodSecurityLevel = (typeof PodSecurityLevel)[keyof typeof PodSecurityLevel];

/** A platform role an identity-provider group is granted. */
export const AccessRole = {
  Admin: "admin",
  Ops: "ops",
  Dev: "dev",
  Restricted: "restricted",
  ProjectAdmin: "project-admin",
  NamespaceAdmin: "namespace-admin",
  Developer: "developer",
  Auditor: "auditor",
} as const;
export type AccessRole = (typeof AccessRole)[keyof typeof AccessRole];

/** A network connected to the VPC (peering, CEN, VPN, leased line): the planner avoids it. */
export interface EnvironmentConnectedRange {
  /** What the range is, e.g. `office-vpn` or `idc-beijing`. */
  name: string;
  /** A CIDR block such as 10.0.0.0/16. */
  cidr: string;
  /** Default `other`. */
  kind?: ConnectedRangeKind;
}

/** An existing vSwitch (subnet) the planner adopts instead of allocating one. */
export interface EnvironmentExistingVSwitch {
  /** The existing vSwitch (subnet) id. */
  id: string;
  /** Its zone. */
  zone: string;
  /** Its CIDR. */
  cidr: string;
  /** What the planner would have used the vSwitch for. */
  role: VSwitchRole;
  /** The cluster that uses it. Default: every cluster of the VPC. */
  cluster?: string;
}

/** Fixed-slot address layout. Changing it on a live environment renumbers everything. */
export interface EnvironmentAddressLayout {
  /** Prefix of one cluster's slot. Default: VPC prefix + 2 (4 slots). */
  clusterPrefix?: number;
  /** Prefix of one zone's slot in a cluster slot. Default: cluster prefix + 2 (4 zones). */
  zonePrefix?: number;
  /** Terway pod vSwitch prefix. Default: zone prefix + 1. */
  podPrefix?: number;
  /** Node vSwitch (subnet) prefix. Default: zone prefix + 2. */
  nodePrefix?: number;
  /** Public subnet prefix (AWS). Default: zone prefix + 3. */
  publicPrefix?: number;
}

/** The environment's VPC. */
export interface EnvironmentVpc {
  /** Adopt an existing VPC instead of creating one. Default: create one. */
  id?: string;
  /** The primary CIDR. */
  cidr: string;
  /** Secondary CIDRs. Default []. */
  secondaryCidrs?: string[];
  /** A shared VPC (resource directory sharing): clusters must use Terway. Default false. */
  shared?: boolean;
  /** Existing vSwitches (subnets) to adopt. Default []. */
  existingVSwitches?: EnvironmentExistingVSwitch[];
  /** Fixed-slot address layout. Default: the prefixes documented on each field. */
  layout?: EnvironmentAddressLayout;
  /** Raised VPC route-entry quota. Default 48. */
  routeEntryQuota?: number;
}

/** A Kubernetes taint of a node pool's nodes. */
export interface EnvironmentNodeTaint {
  /** Taint key. */
  key: string;
  /** Taint value. Default "". */
  value?: string;
  /** `NoSchedule`, `PreferNoSchedule` or `NoExecute`. */
  effect: TaintEffect;
}

/** A node pool (ACK) or node group (EKS) of a cluster. */
export interface EnvironmentNodePool {
  /** Pool name: lowercase letters, digits and '-'. */
  name: string;
  /** Fewest nodes. */
  minSize: number;
  /** Most nodes. */
  maxSize: number;
  /** Fixed-size pools; ignored on update when autoscaling. Default: minSize. */
  desiredSize?: number;
  /** Autoscaling between minSize and maxSize. Default false. */
  autoscaling?: boolean;
  /** Instance types in order of preference (at least one). */
  instanceTypes: string[];
  /** vCPUs per instance (for quota and budget arithmetic). Default 4. */
  vcpu?: number;
  /** Memory per instance in GiB. Default 16. */
  memoryGiB?: number;
  /** Zones the pool spreads over. Default: every zone of its cluster. */
  zones?: string[];
  /** Node OS family. Default: ContainerOS on ACK Pro, Bottlerocket on EKS. */
  image?: NodePoolImageFamily;
  /** Container runtime. Default `containerd`. */
  runtime?: ContainerRuntime;
  /** The key pair nodes log in with (node/login). Default: none. */
  loginKeyPair?: string;
  /** Extra security groups of the nodes. Default []. */
  securityGroups?: string[];
  /** Kubernetes labels of the nodes. Default {}. */
  labels?: Record<string, string>;
  /** Kubernetes taints of the nodes. Default []. */
  taints?: EnvironmentNodeTaint[];
  /** Max pods per node. Default: the CNI's. */
  maxPods?: number;
  /** The cluster's default pool (node/autoscaling-default-pool). Default false. */
  default?: boolean;
}

/** Security settings of a cluster. */
export interface EnvironmentClusterSecurity {
  /** Default: on in production (security/deletion-protection). */
  deletionProtection?: boolean;
  /** Encrypt Secrets with a KMS key. Default: on in production (security/secrets-encryption). */
  secretsEncryption?: boolean;
  /** An existing KMS key. Default: the component creates one. */
  kmsKeyId?: string;
}

/** API server access of a cluster. */
export interface EnvironmentApiServer {
  /** Give the API server a public endpoint (EIP / public access). Default false. */
  public?: boolean;
  /** Source ranges allowed to reach a public endpoint. Default []. */
  allowList?: string[];
}

/** An ingress controller of a cluster. */
export interface EnvironmentIngress {
  /** Ingress name: lowercase letters, digits and '-'. */
  name: string;
  /** `nginx`, `alb` or `aws-lb-controller`. */
  kind: IngressControllerKind;
  /** IngressClass name. Default: the kind's own (nginx, alb). */
  className?: string;
  /** Mark the IngressClass as the cluster default. Default false. */
  default?: boolean;
  /** Controller replicas. Default 2. */
  replicas?: number;
  /** Default `internet`. */
  addressType?: IngressAddressType;
  /** CLB spec such as slb.s2.small. Default: none. */
  loadBalancerSpec?: string;
}

/** Storage settings of a cluster. */
export interface EnvironmentClusterStorage {
  /** The StorageClass to mark default. Default: the cloud's encrypted block-storage class. */
  defaultClass?: string;
}

/** A Kubernetes cluster of the environment. */
export interface EnvironmentCluster {
  /** Cluster name: lowercase letters, digits and '-'. */
  name: string;
  /** Address slot in the VPC. Default: the cluster's position. Pin it before removing an earlier cluster. */
  slot?: number;
  /** ACK edition. Default `pro`. */
  edition?: AckEdition;
  /** Kubernetes version: ACK `x.y.z-aliyun.n`, EKS `major.minor`. Default: the cloud's newest version in standard support (plan/versions.ts). */
  kubernetesVersion?: string;
  /** Default: terway on alicloud, vpc-cni on aws. Immutable. */
  cni?: ClusterCni;
  /** Default `ipv4`. Immutable. */
  ipStack?: ClusterIpStack;
  /** Zones the cluster spans. Default: the environment's zones. */
  zones?: string[];
  /** Flannel pod CIDR. Default: chosen by the planner. Immutable. */
  podCidr?: string;
  /** Flannel per-node pod range prefix, 24–28 (256 to 16 pod addresses per node). Default 26. */
  nodeCidrMask?: number;
  /** Service CIDR. Default: chosen by the planner. Immutable. */
  serviceCidr?: string;
  /** Dual stack: the IPv6 service CIDR. Default: none. */
  ipv6ServiceCidr?: string;
  /** Default 64 (Terway / VPC CNI); Flannel: 2^(32 - nodeCidrMask). */
  maxPodsPerNode?: number;
  /** Node pools. Default []. */
  nodePools?: EnvironmentNodePool[];
  /** Security settings. Default: production defaults. */
  security?: EnvironmentClusterSecurity;
  /** API server access. Default: private only. */
  apiServer?: EnvironmentApiServer;
  /** Ingress controllers. Default []. */
  ingress?: EnvironmentIngress[];
  /** Storage settings. Default {}. */
  storage?: EnvironmentClusterStorage;
  /** Tags of the cluster's resources. Default {}. */
  tags?: Record<string, string>;
}

/** Quotas raised above the documented defaults (RULES.md), e.g. after a support ticket. */
export interface EnvironmentQuotas {
  clusterNodes?: number;
  nodePoolsPerCluster?: number;
  nodesPerPool?: number;
  scaleStep?: number;
  routeEntries?: number;
  loadBalancers?: number;
  listenersPerLoadBalancer?: number;
  backendsPerLoadBalancer?: number;
  eips?: number;
  securityGroups?: number;
  autoscalingVcpu?: number;
}

/** Upper bounds of the environment's size (quota/budget rules). */
export interface EnvironmentBudget {
  clusters?: number;
  nodes?: number;
  vcpu?: number;
  memoryGiB?: number;
  loadBalancers?: number;
}

/** LimitRange defaults of a tenant namespace, Kubernetes quantities by resource. */
export interface EnvironmentLimitRange {
  defaultRequest?: Record<string, string>;
  default?: Record<string, string>;
  max?: Record<string, string>;
  min?: Record<string, string>;
}

/** A tenant namespace. */
export interface EnvironmentTenantNamespace {
  /** Namespace name; the project name is prefixed when missing. */
  name: string;
  /** The cluster it lives in. */
  cluster: string;
  /** ResourceQuota, Kubernetes quantities by resource, e.g. {"requests.cpu": "4"}. Default {}. */
  quota?: Record<string, string>;
  /** LimitRange. Default: none. */
  limitRange?: EnvironmentLimitRange;
  /** Default: restricted in production, baseline elsewhere. */
  podSecurity?: PodSecurityLevel;
  /** Default: on where the CNI enforces NetworkPolicy (Terway, VPC CNI). */
  defaultDenyNetworkPolicy?: boolean;
}

/** A tenant project's share of one cluster. */
export interface EnvironmentProjectCluster {
  /** The cluster. */
  name: string;
  /** The project's quota in the cluster, Kubernetes quantities by resource. Default {}. */
  quota?: Record<string, string>;
  /** StorageClasses the project may use. Default []. */
  storageClasses?: string[];
}

/** A tenant project: quotas per cluster and namespaces. */
export interface EnvironmentTenantProject {
  /** Project name: lowercase letters, digits and '-'. */
  name: string;
  /** The clusters the project runs in. */
  clusters: EnvironmentProjectCluster[];
  /** Its namespaces. Default []. */
  namespaces?: EnvironmentTenantNamespace[];
}

/** Tenancy of the environment. */
export interface EnvironmentTenancy {
  /** Default []. */
  projects?: EnvironmentTenantProject[];
}

/** A role granted to an identity-provider group. */
export interface EnvironmentAccessGrant {
  /** Identity-provider group (Kubernetes group). */
  group: string;
  /** The platform role. */
  role: AccessRole;
  /** Default: every cluster. */
  clusters?: string[];
  /** Namespace-scoped grant. Default: cluster-wide. */
  namespaces?: string[];
  /** AWS: the IAM principal mapped to this group by an EKS access entry. Default: none. */
  principalArn?: string;
}

/** Who may do what in the clusters. */
export interface EnvironmentAccess {
  /** The only groups that may be bound to cluster-admin. Default []. */
  breakGlassGroups?: string[];
  /** Default []. */
  grants?: EnvironmentAccessGrant[];
}

/** One environment (dev, staging, prod, ...): the document under `platform:environment`. */
export interface EnvironmentSpec {
  /** Environment name: lowercase letters, digits and '-'. */
  name: string;
  /** `alicloud` or `aws`. */
  cloud: CloudName;
  /** Region id, e.g. `cn-hangzhou` or `eu-west-1`. */
  region: string;
  /** A production environment: safe defaults, and the mandatory-in-production rules bind. Default false. */
  production?: boolean;
  /** Zones in slot order: append new zones at the end, never reorder (at least one). */
  zones: string[];
  /** The VPC. */
  vpc: EnvironmentVpc;
  /** Networks connected to the VPC. Default []. */
  connectedRanges?: EnvironmentConnectedRange[];
  /** Kubernetes clusters. Default []. */
  clusters?: EnvironmentCluster[];
  /** Raised quotas. Default {}. */
  quotas?: EnvironmentQuotas;
  /** Size limits. Default {}. */
  budget?: EnvironmentBudget;
  /** Tenant projects. Default: none. */
  tenancy?: EnvironmentTenancy;
  /** Access grants. Default: none. */
  access?: EnvironmentAccess;
  /** Tags of every resource. Default {}. */
  tags?: Record<string, string>;
}

// Compile-time: every document of one type is a document of the other (a retyped field, a
// changed enum or a required field on one side only fails the build here). Optional fields
// present on one side only are invisible to assignability: the package schema test compares
// the field sets with zod's JSON Schema.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const inSync: Same<EnvironmentSpec, EnvironmentInput> = true;
void inSync;
