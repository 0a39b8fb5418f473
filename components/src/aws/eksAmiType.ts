/**
 * The EKS-optimized Amazon Linux 2023 AMI types a managed node group boots without a custom AMI
 * (Amazon EKS API reference: CreateNodegroup, `amiType`; the values are the API's, e.g.
 * `AL2023_x86_64_STANDARD`, not the CDK's member names). EKS picks the AMI release of the
 * cluster's Kubernetes minor and bootstraps the node itself (nodeadm), so such a node group has
 * no image id and no user data of ours, unless a NodeConfig adds kubelet settings.
 *
 * Bottlerocket node groups keep booting the AMI the NodeImage component resolves (its `nvidia`
 * flavor for GPU pools) through the launch template, so their AMI type is EKS's CUSTOM.
 */

export type EksArchitecture = "x86_64" | "arm64";

export const EKS_AL2023_AMI_TYPES = {
  x86_64: { standard: "AL2023_x86_64_STANDARD", nvidia: "AL2023_x86_64_NVIDIA" },
  arm64: { standard: "AL2023_ARM_64_STANDARD", nvidia: "AL2023_ARM_64_NVIDIA" },
} as const;

export type EksAl2023AmiType =
  (typeof EKS_AL2023_AMI_TYPES)[EksArchitecture][keyof (typeof EKS_AL2023_AMI_TYPES)[EksArchitecture]];

export const EKS_AL2023_AMI_TYPE_VALUES: readonly EksAl2023AmiType[] = Object.values(
  EKS_AL2023_AMI_TYPES,
).flatMap((v) => Object.values(v));

/** The AL2023 AMI type of an architecture, with NVIDIA drivers for a GPU pool. */
export function al2023AmiType(architecture: EksArchitecture, gpu: boolean): EksAl2023AmiType {
  return EKS_AL2023_AMI_TYPES[architecture][gpu ? "nvidia" : "standard"];
}

/** The MIME boundary of the user data EKS merges with its own (Amazon EKS user guide: Customize managed nodes with launch templates). */
const BOUNDARY = "KUBEPLAT";

/**
 * User data for an AL2023 node group with kubelet settings: a MIME multi-part document whose one
 * part is a nodeadm NodeConfig (`node.eks.aws/v1alpha1`), which EKS merges with the NodeConfig it
 * generates for the cluster. Undefined when there is nothing to set (EKS's own user data only).
 */
export function al2023UserData(kubelet: { maxPods?: number }): string | undefined {
  if (kubelet.maxPods === undefined) return undefined;
  return [
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
    "",
    `--${BOUNDARY}`,
    "Content-Type: application/node.eks.aws",
    "",
    "apiVersion: node.eks.aws/v1alpha1",
    "kind: NodeConfig",
    "spec:",
    "  kubelet:",
    "    config:",
    `      maxPods: ${kubelet.maxPods}`,
    "",
    `--${BOUNDARY}--`,
    "",
  ].join("\n");
}
