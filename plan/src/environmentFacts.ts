/**
 * Everything that can be judged from an environment spec alone, in one call: the address plan
 * and its cidr/* rules, then the quota, cluster, node, security and image rules on facts built
 * from the spec. The platform composite throws on the mandatory ones before registering
 * anything; `make plan` prints them all. (Tenancy, RBAC and ingress rules need the in-cluster
 * components' own planning and run there.)
 */
import type { Diagnostic } from "./diagnostic";
import { quotaFactsFromEnvironment } from "./environmentQuotaFacts";
import { type PlanOptions, planEnvironment } from "./planner";
import type { EnvironmentPlan } from "./planTypes";
import { type ClusterFacts, checkCluster } from "./rules/cluster";
import { checkNodeImage, type NodeImageFacts } from "./rules/image";
import { checkNodePool, type NodePoolFacts } from "./rules/node";
import { checkQuotas } from "./rules/quotaRules";
import { checkSecurity, type SecurityFacts } from "./rules/security";
import { type ClusterSpec, clusterZones, cniOf, type Environment, type NodePoolSpec } from "./spec";

/** The node OS family a pool boots when the spec does not say: immutable by default. */
export function defaultImageOf(
  env: Pick<Environment, "cloud">,
  cluster: Pick<ClusterSpec, "edition">,
): NonNullable<NodePoolSpec["image"]> {
  if (env.cloud === "aws") return "bottlerocket";
  return cluster.edition === "pro" ? "containeros" : "alinux";
}

/**
 * Whether an ACK node pool is managed (auto repair, auto upgrade: `management.enable`): as the
 * pool says, else on a Pro cluster. One decision for the spec's facts and the AckNodePool
 * component, which registers it as the pool's `management` property.
 */
export function ackNodePoolManaged(edition: "pro" | "standard", management?: { enabled?: boolean }): boolean {
  return management?.enabled ?? edition === "pro";
}

/** Production-safe defaults of a cluster's security settings, resolved. */
export function clusterSecurity(env: Pick<Environment, "production" | "cloud">, cluster: ClusterSpec) {
  return {
    deletionProtection: cluster.security.deletionProtection ?? env.production,
    secretsEncryption: cluster.security.secretsEncryption ?? env.production,
    kmsKeyId: cluster.security.kmsKeyId,
    publicApiServer: cluster.apiServer.public,
    apiAllowList: cluster.apiServer.allowList,
  };
}

/** A pool's resource name: `<cluster>-<pool>` (also the quota facts' naming). */
export const poolResourceName = (cluster: string, pool: string) => `${cluster}-${pool}`;

export interface EnvironmentFacts {
  clusters: ClusterFacts[];
  security: SecurityFacts[];
  nodePools: NodePoolFacts[];
  images: NodeImageFacts[];
}

export function environmentFacts(env: Environment): EnvironmentFacts {
  const facts: EnvironmentFacts = { clusters: [], security: [], nodePools: [], images: [] };
  for (const [ci, cluster] of env.clusters.entries()) {
    const path = `clusters[${ci}]`;
    const sec = clusterSecurity(env, cluster);
    facts.clusters.push({
      resource: cluster.name,
      path,
      production: env.production,
      cloud: env.cloud,
      name: cluster.name,
      zones: clusterZones(env, cluster),
      tags: { ...env.tags, ...cluster.tags },
      nodePools: cluster.nodePools.map((p, pi) => ({
        resource: poolResourceName(cluster.name, p.name),
        path: `${path}.nodePools[${pi}]`,
        name: p.name,
      })),
    });
    facts.security.push({
      resource: cluster.name,
      path,
      production: env.production,
      name: cluster.name,
      edition: env.cloud === "alicloud" ? cluster.edition : undefined,
      deletionProtection: sec.deletionProtection,
      // The platform marks production clusters `protect` (see Platform); elsewhere it does not.
      protect: env.production,
      secretsEncrypted: sec.secretsEncryption,
      secretsEncryptionKey: sec.secretsEncryption ? (sec.kmsKeyId ?? "(created by the platform)") : undefined,
      publicEndpoint: sec.publicApiServer,
      publicAccessCidrs: sec.publicApiServer
        ? sec.apiAllowList.length > 0
          ? sec.apiAllowList
          : ["0.0.0.0/0"]
        : [],
      fieldPaths: {
        deletionProtection: "security.deletionProtection",
        secretsEncrypted: "security.secretsEncryption",
        secretsEncryptionKey: "security.kmsKeyId",
        publicEndpoint: "apiServer.public",
        publicAccessCidrs: "apiServer.allowList",
      },
    });
    for (const [pi, pool] of cluster.nodePools.entries()) {
      const poolPath = `${path}.nodePools[${pi}]`;
      const resource = poolResourceName(cluster.name, pool.name);
      facts.nodePools.push({
        resource,
        path: poolPath,
        production: env.production,
        name: pool.name,
        cluster: cluster.name,
        managed: env.cloud === "alicloud" ? ackNodePoolManaged(cluster.edition) : true,
        keyPairLogin: pool.loginKeyPair !== undefined,
        passwordLogin: false,
        loginRequired: env.cloud === "alicloud",
        default: pool.default,
        autoscaling: pool.autoscaling,
        fieldPaths: { keyPairLogin: "loginKeyPair" },
      });
      facts.images.push({
        resource,
        path: poolPath,
        production: env.production,
        image: pool.image ?? defaultImageOf(env, cluster),
        cluster: { name: cluster.name, edition: cluster.edition, cni: cniOf(env, cluster) },
        pool: {
          managed: env.cloud === "alicloud" ? ackNodePoolManaged(cluster.edition) : true,
          runtime: pool.runtime,
          login: pool.loginKeyPair !== undefined ? "key-pair" : env.cloud === "aws" ? "none" : "none",
        },
        kubelet: { maxPods: pool.maxPods },
        rollout: { imageChange: "replace" },
      });
    }
  }
  return facts;
}

export interface EnvironmentCheck {
  plan: EnvironmentPlan;
  diagnostics: Diagnostic[];
}

/** Plan the environment and run every spec-level rule; never throws on bad values. */
export function checkEnvironment(env: Environment, options: PlanOptions = {}): EnvironmentCheck {
  const plan = planEnvironment(env, options);
  const f = environmentFacts(env);
  const diagnostics = [
    ...plan.diagnostics,
    ...checkQuotas(quotaFactsFromEnvironment(env)),
    ...f.clusters.flatMap(checkCluster),
    ...f.security.flatMap(checkSecurity),
    ...f.nodePools.flatMap(checkNodePool),
    ...f.images.flatMap(checkNodeImage),
  ];
  return { plan, diagnostics };
}
