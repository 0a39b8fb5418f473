/**
 * Cluster add-on versions: the one place that says which version of each add-on a cluster of a
 * given Kubernetes minor gets when the spec does not pin one. Pure data (no Pulumi import).
 *
 * EKS: the versions AWS lists as the latest of each add-on per Kubernetes minor (Amazon EKS
 * User Guide: "Manage CoreDNS", "Manage kube-proxy", "Assign IPs to Pods with the Amazon VPC
 * CNI", "Set up the EKS Pod Identity Agent", "Use Kubernetes volume storage with Amazon EBS";
 * check with `aws eks describe-addonVersions --kubernetes-version <minor> --addon-name <name>`).
 * A minor without a row here is resolved at deploy time by `aws.eks.getAddonVersion` (AWS's
 * default version for that minor), and the preview says so; `version: latest` in the spec asks
 * for the most recent one the same way.
 *
 * ACK: add-on versions are offered per cluster by ACK itself (ACK docs: "Manage components",
 * `DescribeClusterAddonsVersion`); a version that ACK does not offer for the cluster fails the
 * install. The platform therefore pins none by default: a `KubernetesAddon` without a version
 * installs ACK's current version once and then keeps whatever is installed (the provider never
 * upgrades an add-on on its own), so previews stay reproducible; pin a version in
 * `clusters[].addons.<name>.version` to upgrade.
 *
 * The cluster autoscaler on EKS runs the image whose minor matches the control plane (its
 * README: "use the version of Cluster Autoscaler that matches the Kubernetes version").
 */

/** The managed add-ons the platform installs on EKS (`aws.eks.Addon`). */
export const EKS_ADDONS = [
  "vpc-cni",
  "coredns",
  "kube-proxy",
  "eks-pod-identity-agent",
  "aws-ebs-csi-driver",
] as const;
export type EksAddonName = (typeof EKS_ADDONS)[number];

/** The add-ons the platform manages on ACK (`alicloud.cs.KubernetesAddon`). */
export const ACK_ADDONS = [
  "terway-eniip",
  "flannel",
  "csi-plugin",
  "csi-provisioner",
  "alb-ingress-controller",
  "ack-node-local-dns",
  "logtail-ds",
  "ack-node-problem-detector",
  "metrics-server",
] as const;
export type AckAddonName = (typeof ACK_ADDONS)[number];

/**
 * The node autoscaler, on both clouds: ACK's cluster-level autoscaling (`cs.AutoscalingConfig`),
 * EKS's Cluster Autoscaler (Helm chart, auto-discovering the managed node groups' Auto Scaling
 * groups, which EKS tags for it).
 */
export const NODE_AUTOSCALER = "cluster-autoscaler";

/** Every add-on name a cluster of the cloud can list in `clusters[].addons`. */
export function addonNames(cloud: "alicloud" | "aws"): readonly string[] {
  return cloud === "aws" ? [...EKS_ADDONS, NODE_AUTOSCALER] : [...ACK_ADDONS, NODE_AUTOSCALER];
}

/**
 * Pinned EKS add-on versions by Kubernetes minor. A row may leave an add-on out: it is then
 * resolved at deploy time by `aws.eks.getAddonVersion` (AWS's default for the minor), and the
 * preview says so.
 *
 * Sources (Amazon EKS User Guide, "latest version of the Amazon EKS add-on type for each
 * Kubernetes version" tables, as read on the catalogue date of versions.ts):
 * - kube-proxy: "Manage kube-proxy in Amazon EKS clusters" (1.29–1.34, docs.aws.amazon.com);
 *   1.35 from the same page as published on docs.amazonaws.cn, the only edition read that lists
 *   1.35 yet.
 * - coredns: "Manage CoreDNS for DNS in Amazon EKS clusters" (1.29–1.34, docs.aws.amazon.com);
 *   1.35 from the docs.amazonaws.cn edition (v1.13.2-eksbuild.4, listed there for 1.33–1.35).
 * - vpc-cni, eks-pod-identity-agent, aws-ebs-csi-driver for 1.29–1.33: "Assign IPs to Pods with
 *   the Amazon VPC CNI", "Set up the EKS Pod Identity Agent", "Use Kubernetes volume storage with
 *   Amazon EBS". For 1.34 and 1.35 none of the editions read names a version per minor for these
 *   three (their tables stop at 1.33 or list no minor), so the rows leave them to AWS's default.
 */
export const EKS_ADDON_VERSIONS: Readonly<Record<string, Readonly<Partial<Record<EksAddonName, string>>>>> = {
  "1.29": {
    "vpc-cni": "v1.19.2-eksbuild.1",
    coredns: "v1.11.4-eksbuild.24",
    "kube-proxy": "v1.29.15-eksbuild.16",
    "eks-pod-identity-agent": "v1.3.4-eksbuild.1",
    "aws-ebs-csi-driver": "v1.38.1-eksbuild.2",
  },
  "1.30": {
    "vpc-cni": "v1.19.2-eksbuild.1",
    coredns: "v1.11.4-eksbuild.24",
    "kube-proxy": "v1.30.14-eksbuild.8",
    "eks-pod-identity-agent": "v1.3.4-eksbuild.1",
    "aws-ebs-csi-driver": "v1.38.1-eksbuild.2",
  },
  "1.31": {
    "vpc-cni": "v1.19.2-eksbuild.1",
    coredns: "v1.11.4-eksbuild.24",
    "kube-proxy": "v1.31.13-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.4-eksbuild.1",
    "aws-ebs-csi-driver": "v1.38.1-eksbuild.2",
  },
  "1.32": {
    "vpc-cni": "v1.19.2-eksbuild.1",
    coredns: "v1.11.4-eksbuild.24",
    "kube-proxy": "v1.32.9-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.4-eksbuild.1",
    "aws-ebs-csi-driver": "v1.38.1-eksbuild.2",
  },
  "1.33": {
    "vpc-cni": "v1.19.5-eksbuild.1",
    coredns: "v1.12.4-eksbuild.1",
    "kube-proxy": "v1.33.5-eksbuild.2",
    "eks-pod-identity-agent": "v1.3.7-eksbuild.2",
    "aws-ebs-csi-driver": "v1.44.0-eksbuild.1",
  },
  "1.34": {
    coredns: "v1.12.4-eksbuild.1",
    "kube-proxy": "v1.34.1-eksbuild.2",
  },
  "1.35": {
    coredns: "v1.13.2-eksbuild.4",
    "kube-proxy": "v1.35.3-eksbuild.2",
  },
};

/** The Cluster Autoscaler Helm chart (pinned) and its image tag per Kubernetes minor. */
export const CLUSTER_AUTOSCALER_CHART = {
  chart: "cluster-autoscaler",
  repo: "https://kubernetes.github.io/autoscaler",
  version: "9.46.6",
} as const;

/** The Cluster Autoscaler image for a minor: `v<minor>.0`, which every release line publishes. */
export function clusterAutoscalerImageTag(minor: string): string {
  return `v${minor}.0`;
}

/** `1.31.1-aliyun.1` → `1.31`; `1.33` → `1.33`; undefined when the text is no Kubernetes version. */
export function kubernetesMinor(version: string | undefined): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?:[.\-+].*)?$/.exec((version ?? "").trim());
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** The pinned default version of an add-on for a minor; undefined where none is pinned. */
export function pinnedAddonVersion(
  cloud: "alicloud" | "aws",
  name: string,
  minor: string | undefined,
): string | undefined {
  if (cloud !== "aws" || minor === undefined) return undefined;
  return EKS_ADDON_VERSIONS[minor]?.[name as EksAddonName];
}
