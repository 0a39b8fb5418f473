/**
 * The output contract: what a platform stack exports for other teams' stack references.
 *
 * Versioned: `contractVersion` changes only when a field is removed or changes meaning; new
 * fields may be added within a version. `PlatformReference` refuses versions it does not know.
 */

/** The contract version this library writes. */
export const CONTRACT_VERSION = "1";
/** Versions `PlatformReference` can read. */
export const SUPPORTED_CONTRACT_VERSIONS: readonly string[] = ["1"];

export interface VSwitchOutput {
  id: string;
  zone: string;
  /** node | pod | public */
  role: string;
  cluster: string;
  cidr: string;
}

export interface ClusterOutput {
  name: string;
  id: string;
  /** API server endpoint reachable from the VPC. */
  endpoint: string;
  kubernetesVersion: string;
  cni: string;
  podCidr?: string;
  serviceCidr: string;
  /** IngressClass names served in this cluster. */
  ingressClasses: string[];
  /** Ingress name → load balancer address (IP or host name; empty until the cloud assigns one). */
  loadBalancers: Record<string, string>;
  /** Tenant namespaces, by project. */
  namespaces: Record<string, string[]>;
  /** The StorageClass marked default. */
  defaultStorageClass: string;
  /**
   * Installed add-on → its version ("" where the cloud chooses it). Added within version 1:
   * stacks written before it lack the field.
   */
  addons?: Record<string, string>;
  /**
   * Issuer URL of the cluster's service-account tokens (the OIDC provider IRSA and RRSA trust),
   * "" where the cluster has none. Added within version 1.
   */
  oidcIssuer?: string;
  /**
   * How a workload's service account is bound to a cloud role: `eks-pod-identity` (EKS; IRSA
   * through `oidcIssuer` works too), `ack-rrsa` (ACK with RRSA) or `none`. Added within version 1.
   */
  workloadIdentity?: string;
}

/** The environment's VPC. */
export interface VpcOutput {
  id: string;
  cidr: string;
  secondaryCidrs: string[];
}

/**
 * The contract without the kubeconfigs: `Platform.outputs`. A named interface (not an `Omit`) so
 * the component package's schema can publish it to other languages.
 */
export interface PlatformContract {
  contractVersion: string;
  environment: string;
  cloud: string;
  region: string;
  vpc: VpcOutput;
  /** By allocation key `<cluster>/<zone>/<role>`. */
  vswitches: Record<string, VSwitchOutput>;
  clusters: Record<string, ClusterOutput>;
}

/** The stack outputs, top-level keys (all plain values; `kubeconfigs` is a secret). */
export interface PlatformOutputs extends PlatformContract {
  /** Cluster name → kubeconfig (secret). */
  kubeconfigs: Record<string, string>;
}
