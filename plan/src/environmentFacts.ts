/**
 * Everything that can be judged from an environment spec alone, in one call: the address plan
 * and its cidr/* rules, then the quota, cluster, node, security and image rules on facts built
 * from the spec. The platform composite throws on the mandatory ones before registering
 * anything; `make plan` prints them all. (Tenancy, RBAC and ingress rules need the in-cluster
 * components' own planning and run there.)
 */
import { checkAddons } from "./addons";
import type { Diagnostic } from "./diagnostic";
import { quotaFactsFromEnvironment } from "./environmentQuotaFacts";
import { checkNodeOsAndGpu } from "./gpuPools";
import { type PlanOptions, planEnvironment } from "./planner";
import type { EnvironmentPlan } from "./planTypes";
import { CNIS_OF_CLOUD, defaultCni } from "./resolve";
import { type ClusterFacts, checkCluster } from "./rules/cluster";
import { deployerAccess, environmentDeployerFacts } from "./rules/deployer";
import { checkNodeImage, type NodeImageFacts } from "./rules/image";
import { checkNodePool, type NodePoolFacts } from "./rules/node";
import { checkQuotas } from "./rules/quotaRules";
import { checkSecurity, type SecurityFacts } from "./rules/security";
import {
  type BaselineVersions,
  checkUpgradeSnapshot,
  checkVersionSkew,
  checkVersionSupported,
  type VersionFacts,
} from "./rules/version";
import { type ClusterSpec, clusterZones, type Environment } from "./spec";
import {
  checkAutoscalerSettings,
  checkCniAvailable,
  checkKarpenter,
  checkKubernetesVersions,
  checkPoolShapes,
  checkRegion,
} from "./specChecks";

/**
 * Whether an ACK node pool is managed (auto repair, auto upgrade: `management.enable`): as the
 * pool says, else on a Pro cluster. One decision for the spec's facts and the AckNodePool
 * component, which registers it as the pool's `management` property.
 */
export function ackNodePoolManaged(edition: "pro" | "standard", management?: { enabled?: boolean }): boolean {
  return management?.enabled ?? edition === "pro";
}

/** Production-safe defaults of a cluster's security settings, as resolved (resolve.ts). */
export function clusterSecurity(cluster: ClusterSpec) {
  return {
    deletionProtection: cluster.security.deletionProtection,
    secretsEncryption: cluster.security.secretsEncryption,
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
    const sec = clusterSecurity(cluster);
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
      // The platform marks a cluster `protect` exactly when its deletion protection is on
      // (platformArgs), so `security.deletionProtection` is the one field that clears both; a
      // cluster without it is reported once, at that field.
      protect: sec.deletionProtection || undefined,
      secretsEncrypted: sec.secretsEncryption,
      secretsEncryptionKey: sec.secretsEncryption ? (sec.kmsKeyId ?? "(created by the platform)") : undefined,
      publicEndpoint: sec.publicApiServer,
      publicAccessCidrs: sec.publicApiServer
        ? sec.apiAllowList.length > 0
          ? sec.apiAllowList
          : ["0.0.0.0/0"]
        : [],
      fieldPaths: {
        deletionProtection: `${path}.security.deletionProtection`,
        secretsEncrypted: `${path}.security.secretsEncryption`,
        secretsEncryptionKey: `${path}.security.kmsKeyId`,
        publicEndpoint: `${path}.apiServer.public`,
        publicAccessCidrs: `${path}.apiServer.allowList`,
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
        minSize: pool.minSize,
        desiredSize: pool.desiredSize,
        maxSize: pool.maxSize,
        fieldPaths: { keyPairLogin: `${poolPath}.loginKeyPair` },
      });
      facts.images.push({
        resource,
        path: poolPath,
        production: env.production,
        image: pool.image,
        cloud: env.cloud,
        fieldPaths: { "cluster.edition": `${path}.edition` },
        cluster: { name: cluster.name, edition: cluster.edition, cni: cluster.cni },
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

/**
 * Version facts of every cluster: the control plane's version and each pool's (a pool runs its
 * cluster's version unless it pins one), with the versions deployed before, when known.
 */
export function environmentVersionFacts(env: Environment, baseline: BaselineVersions = {}): VersionFacts[] {
  return env.clusters.map((cluster, ci) => {
    const before = baseline[cluster.name];
    return {
      resource: cluster.name,
      path: `clusters[${ci}]`,
      production: env.production,
      cloud: env.cloud,
      name: cluster.name,
      version: cluster.kubernetesVersion,
      baseline: before?.version,
      pools: cluster.nodePools.map((p, pi) => ({
        resource: poolResourceName(cluster.name, p.name),
        path: `clusters[${ci}].nodePools[${pi}].kubernetesVersion`,
        name: p.name,
        version: cluster.kubernetesVersion,
        baseline: before?.pools?.[p.name],
      })),
    };
  });
}

/**
 * The versions the environment runs, per cluster: the control plane's and each pool's. The
 * offline preview's `--json` carries them, so a later `--baseline` sees a version change, and
 * `--policy-config` writes them as the pack's `baselineVersions`.
 */
export function environmentVersions(
  env: Environment,
): Record<string, { version: string; pools: Record<string, string> }> {
  const out: Record<string, { version: string; pools: Record<string, string> }> = {};
  for (const f of environmentVersionFacts(env)) {
    if (f.name === undefined || f.version === undefined) continue;
    const pools: Record<string, string> = {};
    for (const p of f.pools ?? [])
      if (p.name !== undefined && p.version !== undefined) pools[p.name] = p.version;
    out[f.name] = { version: f.version, pools };
  }
  return out;
}

export interface EnvironmentCheck {
  plan: EnvironmentPlan;
  diagnostics: Diagnostic[];
}

export interface EnvironmentCheckOptions extends PlanOptions {
  /**
   * The region the cloud provider is configured with (the stack's `alicloud:region` or
   * `aws:region`), compared with the spec's `region`. Default: not compared.
   */
  providerRegion?: string;
  /** The day `cluster/version-supported` judges support on (`YYYY-MM-DD`). Default: today (UTC). */
  today?: string;
  /** The versions deployed before this change (`cluster/version-skew`). Default: none known. */
  baselineVersions?: BaselineVersions;
}

/**
 * Plan the environment and run every spec-level rule; never throws on bad values. Values only
 * another cloud offers (a CNI) are reported first and once: the rest of the checks judge the
 * cluster with its cloud's default CNI, so one wrong word does not cascade into five rules.
 */
export function checkEnvironment(env: Environment, options: EnvironmentCheckOptions = {}): EnvironmentCheck {
  const cni = checkCniAvailable(env);
  const judged: Environment =
    cni.length === 0
      ? env
      : {
          ...env,
          clusters: env.clusters.map((c) =>
            CNIS_OF_CLOUD[env.cloud].includes(c.cni) ? c : { ...c, cni: defaultCni(env.cloud) },
          ),
        };
  const plan = planEnvironment(judged, options);
  const f = environmentFacts(judged);
  const diagnostics = [
    ...cni,
    ...checkRegion(env, options.providerRegion),
    ...checkKubernetesVersions(env),
    ...checkPoolShapes(env),
    ...checkNodeOsAndGpu(env),
    ...checkAutoscalerSettings(env),
    ...checkKarpenter(env),
    ...plan.diagnostics,
    ...checkQuotas(quotaFactsFromEnvironment(judged)),
    ...f.clusters.flatMap(checkCluster),
    ...f.security.flatMap(checkSecurity),
    ...f.nodePools.flatMap(checkNodePool),
    ...f.images.flatMap(checkNodeImage),
    ...environmentDeployerFacts(env).flatMap(deployerAccess),
    ...checkAddons(env),
    ...environmentVersionFacts(env, options.baselineVersions).flatMap((v) => [
      ...checkVersionSupported(v, options.today),
      ...checkVersionSkew(v),
      ...checkUpgradeSnapshot(v),
    ]),
  ];
  return { plan, diagnostics };
}
