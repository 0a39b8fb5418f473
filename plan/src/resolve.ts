/**
 * The environment with every cloud- and production-dependent default decided: the one pure
 * function that owns them. The zod schema fills in the defaults that hold everywhere (`edition:
 * pro`, `runtime: containerd`, ...); `resolveEnvironment` fills in those that depend on the
 * cloud, the edition or `production`, so the planner, the rules, the platform's child arguments
 * and the components all read one decided value and none re-decides it.
 *
 *   kubernetesVersion            per cloud (versions.ts); upstream `v1.x.y` on a self-managed cluster
 *   cni                          terway on alicloud, vpc-cni on aws, kube-ovn when self-managed
 *   selfManaged                  control-plane instance type per cloud, Kube-OVN join CIDR
 *                                100.64.0.0/16 (the API VIP is the planner's)
 *   nodePools[].image            ContainerOS on ACK Pro, Alibaba Cloud Linux on ACK Standard,
 *                                Bottlerocket on EKS
 *   nodePools[].desiredSize      fixed-size pools: minSize (autoscaling pools: the autoscaler's)
 *   security.deletionProtection  on in production
 *   security.secretsEncryption   on in production
 *   ingress[].replicas           2
 *   namespaces[].podSecurity     restricted in production, baseline elsewhere
 *   namespaces[].defaultDenyNetworkPolicy  on where the CNI enforces NetworkPolicy (not Flannel)
 */
import type { z } from "zod";
import type {
  ClusterSchema,
  EnvironmentSchema,
  IngressSchema,
  NodePoolSchema,
  TenantNamespaceSchema,
  TenantProjectSchema,
} from "./spec";
// A value import of spec.ts, which imports this module: used only at call time, never at load.
import { AutoscalerSchema, KUBE_OVN_DEFAULT_JOIN_CIDR } from "./spec";
import { DEFAULT_KUBERNETES_VERSION } from "./versions";

type Parsed = z.output<typeof EnvironmentSchema>;
type ParsedCluster = z.output<typeof ClusterSchema>;
type ParsedPool = z.output<typeof NodePoolSchema>;
type ParsedIngress = z.output<typeof IngressSchema>;
type ParsedNamespace = z.output<typeof TenantNamespaceSchema>;
type ParsedProject = z.output<typeof TenantProjectSchema>;

export type Cloud = Parsed["cloud"];
export type Cni = NonNullable<ParsedCluster["cni"]>;
export type ImageFamily = NonNullable<ParsedPool["image"]>;
export type PodSecurityStandard = NonNullable<ParsedNamespace["podSecurity"]>;

export type CapacityType = ParsedPool["capacity"]["type"];
/** A pool's capacity with every default decided (the on-demand base and percentage 0 unless given). */
export type NodeCapacitySpec = { type: CapacityType; onDemandBase: number; onDemandPercentage: number };
export type NodePoolSpec = Omit<ParsedPool, "image" | "capacity"> & {
  image: ImageFamily;
  capacity: NodeCapacitySpec;
};
export type IngressSpec = Omit<ParsedIngress, "replicas"> & { replicas: number };
export type ClusterSecuritySpec = Omit<
  ParsedCluster["security"],
  "deletionProtection" | "secretsEncryption"
> & { deletionProtection: boolean; secretsEncryption: boolean };
export type ClusterKindName = ParsedCluster["kind"];
type ParsedSelfManaged = NonNullable<ParsedCluster["selfManaged"]>;
/** A self-managed cluster's settings with every default but the API VIP (the planner's) decided. */
export type SelfManagedSpec = Omit<ParsedSelfManaged, "controlPlane" | "joinCidr"> & {
  controlPlane: ParsedSelfManaged["controlPlane"] & { instanceType: string; diskCategory: string };
  /** Kube-OVN: the join CIDR; undefined under Calico. */
  joinCidr?: string;
};
export type ClusterSpec = Omit<
  ParsedCluster,
  "kubernetesVersion" | "cni" | "nodePools" | "security" | "ingress" | "selfManaged"
> & {
  selfManaged?: SelfManagedSpec;
  kubernetesVersion: string;
  cni: Cni;
  nodePools: NodePoolSpec[];
  security: ClusterSecuritySpec;
  ingress: IngressSpec[];
};
export type TenantNamespaceSpec = Omit<ParsedNamespace, "podSecurity" | "defaultDenyNetworkPolicy"> & {
  podSecurity: PodSecurityStandard;
  defaultDenyNetworkPolicy: boolean;
};
export type TenantProjectSpec = Omit<ParsedProject, "namespaces"> & { namespaces: TenantNamespaceSpec[] };
/** The environment spec after parsing and resolving: every default decided. */
export type Environment = Omit<Parsed, "clusters" | "tenancy"> & {
  clusters: ClusterSpec[];
  tenancy: { projects: TenantProjectSpec[] };
};

/** The CNI a cluster runs when the spec names none. */
export function defaultCni(cloud: Cloud, kind: ClusterKindName = "managed"): Cni {
  if (kind === "selfmanaged") return "kube-ovn";
  return cloud === "aws" ? "vpc-cni" : "terway";
}

/** CNIs that route a pod CIDR of their own (an overlay), as opposed to giving pods VPC addresses. */
export const OVERLAY_CNIS: readonly Cni[] = ["flannel", "kube-ovn", "calico"];

/** The CNIs a self-managed cluster installs, on either cloud. */
export const SELF_MANAGED_CNIS: readonly Cni[] = ["kube-ovn", "calico"];

/** The CNIs a cluster of this kind can run on this cloud. */
export function cnisOffered(cloud: Cloud, kind: ClusterKindName = "managed"): readonly Cni[] {
  return kind === "selfmanaged" ? SELF_MANAGED_CNIS : CNIS_OF_CLOUD[cloud];
}

/** Control-plane instances of a self-managed cluster when the spec names none: 4 vCPU, 16 GiB. */
export const SELF_MANAGED_CONTROL_PLANE_DEFAULTS: Readonly<
  Record<Cloud, { instanceType: string; diskCategory: string }>
> = {
  alicloud: { instanceType: "ecs.g7.xlarge", diskCategory: "cloud_essd" },
  aws: { instanceType: "m7i.xlarge", diskCategory: "gp3" },
};

/** The CNIs each cloud offers: Terway and Flannel on ACK, the Amazon VPC CNI on EKS. */
export const CNIS_OF_CLOUD: Readonly<Record<Cloud, readonly Cni[]>> = {
  alicloud: ["terway", "flannel"],
  aws: ["vpc-cni"],
};

/** The node OS family a pool boots when the spec does not say: immutable by default. */
export function defaultImageOf(cloud: Cloud, edition: ParsedCluster["edition"]): ImageFamily {
  if (cloud === "aws") return "bottlerocket";
  return edition === "pro" ? "containeros" : "alinux";
}

/** Replicas of an ingress controller when the spec names none. */
export const DEFAULT_INGRESS_REPLICAS = 2;

function resolvePool(pool: ParsedPool, cloud: Cloud, cluster: ParsedCluster): NodePoolSpec {
  return {
    ...pool,
    // A blue/green generation above 1 is a pool of its own, beside the earlier one (node/pool-rotation).
    name: poolGenerationName(pool.name, pool.generation),
    // A self-managed cluster's nodes boot the project's ostree image.
    image: pool.image ?? (cluster.kind === "selfmanaged" ? "ostree" : defaultImageOf(cloud, cluster.edition)),
    capacity: {
      type: pool.capacity.type,
      onDemandBase: pool.capacity.onDemandBase ?? 0,
      onDemandPercentage: pool.capacity.onDemandPercentage ?? 0,
    },
    // EKS picks the AMI by architecture; on ACK the instance types decide (specChecks refuses one).
    architecture: pool.architecture ?? (cloud === "aws" ? "x86_64" : undefined),
    // A fixed-size pool requests exactly desiredSize nodes; an autoscaling pool leaves the
    // size to the autoscaler (between minSize and maxSize).
    desiredSize: pool.autoscaling ? pool.desiredSize : (pool.desiredSize ?? pool.minSize),
  };
}

function resolveSelfManaged(
  cloud: Cloud,
  cni: Cni,
  s: ParsedSelfManaged | undefined,
): SelfManagedSpec | undefined {
  if (s === undefined) return undefined;
  const d = SELF_MANAGED_CONTROL_PLANE_DEFAULTS[cloud];
  return {
    ...s,
    controlPlane: {
      ...s.controlPlane,
      instanceType: s.controlPlane.instanceType ?? d.instanceType,
      diskCategory: s.controlPlane.diskCategory ?? d.diskCategory,
    },
    joinCidr: cni === "kube-ovn" ? (s.joinCidr ?? KUBE_OVN_DEFAULT_JOIN_CIDR) : s.joinCidr,
  };
}

function resolveCluster(env: Parsed, cluster: ParsedCluster): ClusterSpec {
  const self = cluster.kind === "selfmanaged";
  const cni = cluster.cni ?? defaultCni(env.cloud, cluster.kind);
  return {
    ...cluster,
    kubernetesVersion: cluster.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION[self ? "kubeadm" : env.cloud],
    cni,
    selfManaged: resolveSelfManaged(env.cloud, cni, cluster.selfManaged),
    nodePools: cluster.nodePools.map((p) => resolvePool(p, env.cloud, cluster)),
    // ACK's autoscaler settings with ACK's documented defaults; EKS has none (specChecks).
    autoscaler:
      cluster.autoscaler ?? (env.cloud === "alicloud" && !self ? AutoscalerSchema.parse({}) : undefined),
    security: {
      ...cluster.security,
      deletionProtection: cluster.security.deletionProtection ?? env.production,
      secretsEncryption: cluster.security.secretsEncryption ?? env.production,
    },
    ingress: cluster.ingress.map((i) => ({ ...i, replicas: i.replicas ?? DEFAULT_INGRESS_REPLICAS })),
  };
}

/**
 * Every cloud- and production-dependent default of a parsed spec, decided. Pure and
 * idempotent; `parseEnvironment` returns its result, so nothing downstream sees an undecided
 * default.
 */
export function resolveEnvironment(env: Parsed): Environment {
  const clusters = env.clusters.map((c) => resolveCluster(env, c));
  const cniOfCluster = (name: string) => clusters.find((c) => c.name === name)?.cni;
  return {
    ...env,
    clusters,
    tenancy: {
      ...env.tenancy,
      projects: env.tenancy.projects.map((p) => ({
        ...p,
        namespaces: p.namespaces.map((n) => ({
          ...n,
          podSecurity: n.podSecurity ?? (env.production ? "restricted" : "baseline"),
          // Flannel enforces no NetworkPolicy; an unknown cluster is reported by the tenancy rules.
          defaultDenyNetworkPolicy: n.defaultDenyNetworkPolicy ?? cniOfCluster(n.cluster) !== "flannel",
        })),
      })),
    },
  };
}

/** The name of a pool generation: the spec's name for generation 1, `<name>-g<n>` after it. */
export function poolGenerationName(name: string, generation: number): string {
  return generation > 1 ? `${name}-g${generation}` : name;
}
