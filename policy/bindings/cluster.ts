/**
 * cluster/*, node/* and security/* policies over raw ACK / EKS clusters, node pools (node
 * groups) and load balancers.
 *
 * Not bound: cluster/control-plane-count (self-provisioned clusters only), security/secret-outputs
 * (CrossGuard hands policies secret values already unwrapped, so secrecy cannot be seen).
 */
import {
  type ClusterFacts,
  clusterRules,
  type DeployerAccessFacts,
  deployerAccess,
  imageRules,
  type NodeImageFacts,
  type NodePoolFacts,
  nodeRules,
  type SecurityFacts,
  securityRules,
  type VersionFacts,
  versionRules,
} from "@kubeplat/plan";
import {
  CLUSTER_TYPES,
  clusterFacts,
  LOAD_BALANCER_TYPES,
  NODE_POOL_TYPES,
  nodeImageFacts,
  nodePoolFacts,
  StackIndex,
  securityFacts,
  stackClusterFacts,
  stackDeployerFacts,
  stackNodeImageFacts,
  stackVersionFacts,
  T,
} from "@kubeplat/plan/facts";
import type { ResourceBinding, StackBinding } from "../define";

const eachFact =
  <F>(check: (f: F) => ReturnType<(typeof clusterRules)["cluster/zones"]>) =>
  (facts: F[]) =>
    facts.flatMap(check);

const zones: StackBinding<ClusterFacts[]> = {
  scope: "stack",
  rule: "cluster/zones",
  description: "A cluster spans 1 to 3 vSwitches by zone; a production cluster spans at least 2 zones.",
  key: "clusters",
  settings: ["productionStacks"],
  facts: (resources, ctx, labels) => stackClusterFacts(StackIndex.of(resources), ctx, labels),
  check: eachFact(clusterRules["cluster/zones"]),
};

const clusterResource = (
  rule: "cluster/name" | "cluster/tags",
  description: string,
  types: readonly string[],
): ResourceBinding<ClusterFacts> => ({
  scope: "resource",
  rule,
  description,
  types,
  settings: [],
  facts: clusterFacts,
  check: clusterRules[rule],
});

const node = (rule: keyof typeof nodeRules, description: string): ResourceBinding<NodePoolFacts> => ({
  scope: "resource",
  rule,
  description,
  types: NODE_POOL_TYPES,
  settings: [],
  facts: nodePoolFacts,
  check: nodeRules[rule],
});

const image = (
  rule: "node/max-pods" | "node/eviction-thresholds" | "node/immutable-image",
  description: string,
  settings: ResourceBinding<NodeImageFacts>["settings"] = [],
): ResourceBinding<NodeImageFacts> => ({
  scope: "resource",
  rule,
  description,
  types: NODE_POOL_TYPES,
  settings,
  facts: (r, ctx, labels) => nodeImageFacts(r, ctx, labels),
  check: imageRules[rule],
});

const containerOs: StackBinding<NodeImageFacts[]> = {
  scope: "stack",
  rule: "node/containeros-requirements",
  description:
    "A ContainerOS node pool is a managed pool on an ACK Pro cluster, runs containerd and logs in with a key pair.",
  key: "node-images",
  settings: ["immutableImages"],
  facts: (resources, ctx, labels) => stackNodeImageFacts(StackIndex.of(resources), ctx, labels),
  check: eachFact(imageRules["node/containeros-requirements"]),
};

const security = (
  rule: "security/deletion-protection" | "security/secrets-encryption" | "security/public-api-server",
  description: string,
  types: readonly string[],
): ResourceBinding<SecurityFacts> => ({
  scope: "resource",
  rule,
  description,
  types,
  settings: ["productionStacks"],
  facts: securityFacts,
  check: securityRules[rule],
});

const deployer: StackBinding<DeployerAccessFacts[]> = {
  scope: "stack",
  rule: "security/deployer-access",
  description:
    "A program that manages in-cluster objects grants the identity running it access to the cluster's API (EKS: a cluster-admin access entry), and the endpoint is reachable from where it runs (config deployFrom).",
  key: "deployer-access",
  settings: ["deployFrom"],
  facts: (resources, ctx, labels) => stackDeployerFacts(StackIndex.of(resources), ctx, labels),
  check: (facts) => facts.flatMap(deployerAccess),
};

/**
 * The version rules see a stack's clusters and EKS node groups together. A policy sees only the
 * new inputs, so the versions before the change come from the `baselineVersions` setting (the
 * offline preview's `--policy-config` writes it); "today" from the `today` setting, else the
 * day of the preview.
 */
const versionSupported: StackBinding<VersionFacts[]> = {
  scope: "stack",
  rule: "cluster/version-supported",
  description:
    "The cluster's Kubernetes version is in the cloud's standard support on the day of the preview.",
  key: "versions",
  settings: ["productionStacks", "baselineVersions", "today"],
  facts: (resources, ctx, labels) => stackVersionFacts(StackIndex.of(resources), ctx, labels),
  check: (facts) => facts.flatMap(versionRules["cluster/version-supported"]),
};

const versionSkew: StackBinding<VersionFacts[]> = {
  scope: "stack",
  rule: "cluster/version-skew",
  description:
    "A control plane moves at most one minor from config baselineVersions; node groups are never newer than it and at most 3 minors behind (2 before 1.28).",
  key: "versions",
  settings: ["productionStacks", "baselineVersions", "today"],
  facts: (resources, ctx, labels) => stackVersionFacts(StackIndex.of(resources), ctx, labels),
  check: (facts) => facts.flatMap(versionRules["cluster/version-skew"]),
};

const upgradeSnapshot: StackBinding<VersionFacts[]> = {
  ...versionSkew,
  rule: "cluster/upgrade-snapshot",
  description:
    "A production control plane moving to a newer minor than config baselineVersions: snapshot the nodes' disks first (advisory).",
  check: (facts) => facts.flatMap(versionRules["cluster/upgrade-snapshot"]),
};

export const clusterBindings = [
  versionSupported,
  versionSkew,
  upgradeSnapshot,
  deployer,
  zones,
  clusterResource(
    "cluster/name",
    "Cluster and node-pool names are 1 to 63 characters of letters, digits, Chinese characters and '-'.",
    [...CLUSTER_TYPES, ...NODE_POOL_TYPES],
  ),
  clusterResource(
    "cluster/tags",
    "At most 20 tags; keys <= 64 characters not starting with aliyun, http://, https://; values <= 128 (AWS: its own limits).",
    CLUSTER_TYPES,
  ),
  containerOs,
  node(
    "node/login",
    "Node pools log in with key pairs; a password, where allowed, is 8-30 characters of 3 classes without '_'.",
  ),
  image("node/max-pods", "Max pods per node <= 256."),
  image(
    "node/eviction-thresholds",
    "Kubelet eviction thresholds have the form <signal><op><quantity>; inodesFree signals are percentages.",
  ),
  node("node/autoscaling-default-pool", "Autoscaling is not enabled on a cluster's default node pool."),
  node("node/pool-size", "A node pool's sizes satisfy 0 <= minSize <= desiredSize <= maxSize."),
  image(
    "node/immutable-image",
    "Worker pools boot an immutable OS image (ContainerOS, Bottlerocket, or an ostree image of config immutableImages).",
    ["productionStacks", "immutableImages"],
  ),
  security(
    "security/deletion-protection",
    "Clusters and their load balancers have deletion protection on, and the program marks them protect.",
    [...CLUSTER_TYPES, ...LOAD_BALANCER_TYPES, T.service],
  ),
  security(
    "security/secrets-encryption",
    "Kubernetes secrets are encrypted with a KMS key (ACK Pro encryptionProviderKey; EKS encryptionConfig).",
    CLUSTER_TYPES,
  ),
  security(
    "security/public-api-server",
    "The API server has no public endpoint, or a public one restricted by an allow-list.",
    CLUSTER_TYPES,
  ),
];
