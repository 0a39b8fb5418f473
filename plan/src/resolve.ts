/**
 * The environment with every cloud- and production-dependent default decided: the one pure
 * function that owns them. The zod schema fills in the defaults that hold everywhere (`edition:
 * pro`, `runtime: containerd`, ...); `resolveEnvironment` fills in those that depend on the
 * cloud, the edition or `production`, so the planner, the rules, the platform's child arguments
 * and the components all read one decided value and none re-decides it.
 *
 *   kubernetesVersion            per cloud (versions.ts)
 *   cni                          terway on alicloud, vpc-cni on aws
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
import { AutoscalerSchema } from "./spec";
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
export type ClusterSpec = Omit<
  ParsedCluster,
  "kubernetesVersion" | "cni" | "nodePools" | "security" | "ingress"
> & {
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
export function defaultCni(cloud: Cloud): Cni {
  return cloud === "aws" ? "vpc-cni" : "terway";
}

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
    image: pool.image ?? defaultImageOf(cloud, cluster.edition),
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

function resolveCluster(env: Parsed, cluster: ParsedCluster): ClusterSpec {
  return {
    ...cluster,
    kubernetesVersion: cluster.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION[env.cloud],
    cni: cluster.cni ?? defaultCni(env.cloud),
    nodePools: cluster.nodePools.map((p) => resolvePool(p, env.cloud, cluster)),
    // ACK's autoscaler settings with ACK's documented defaults; EKS has none (specChecks).
    autoscaler: cluster.autoscaler ?? (env.cloud === "alicloud" ? AutoscalerSchema.parse({}) : undefined),
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
