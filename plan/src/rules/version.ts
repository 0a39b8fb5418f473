/**
 * Version rules (RULES.md "Clusters, nodes and images"): `cluster/version-supported` and
 * `cluster/version-skew`. Pure functions over the facts of one cluster, shared by the spec
 * check, the components and the CrossGuard pack.
 *
 * - `cluster/version-supported`: the control plane's minor is in the cloud's standard support on
 *   the day of the check (versions.ts holds the dates). "Today" is a parameter: the spec check,
 *   the components and the pack default it to the current UTC date, tests inject one.
 * - `cluster/version-skew`: one change moves a control plane by at most one minor (a baseline
 *   version, the one deployed before the change, is needed to see the change); a node pool is
 *   never newer than its control plane and at most `kubeletSkew` minors behind it (Kubernetes
 *   "Version Skew Policy": kubelet n-3 since Kubernetes 1.28, n-2 before).
 *
 * Unknown values (undefined) never produce a diagnostic.
 */
import { type Diagnostic, diagnostic } from "../diagnostic";
import {
  KUBERNETES_RELEASES,
  kubernetesMinorOf,
  kubernetesRelease,
  kubernetesVersionProblem,
  type VersionChannel,
} from "../versions";
import { type FactsBase, joinPath } from "./cluster";

type CloudName = VersionChannel;

/** Today as `YYYY-MM-DD` (UTC): the default clock of the version rules. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The minor number of a version (`35` of `1.35.7-aliyun.1`), or undefined. */
export function minorNumber(version: string | undefined): number | undefined {
  if (version === undefined) return undefined;
  const minor = kubernetesMinorOf(version);
  if (minor === undefined) return undefined;
  const [major, m] = minor.split(".").map(Number);
  return major === 1 ? m : undefined;
}

/**
 * How many minors a kubelet may lag its control plane (Kubernetes "Version Skew Policy"):
 * 3 for control planes at 1.28 or later, 2 before.
 */
export function kubeletSkew(controlPlaneMinor: number): number {
  return controlPlaneMinor >= 28 ? 3 : 2;
}

export interface VersionPoolFacts {
  /** Logical name or URN of the pool. */
  resource: string;
  /** Path of the pool's version field (`clusters[0].nodePools[1].kubernetesVersion`, `version`). */
  path: string;
  name?: string;
  /** The pool's version after the change (unknown: undefined). */
  version?: string;
  /** The pool's version before the change, when known. */
  baseline?: string;
  /** The spec pins the pool's version (instead of following the cluster's). */
  pinned?: boolean;
}

export interface VersionFacts extends FactsBase {
  production?: boolean;
  cloud?: CloudName;
  name?: string;
  /** The control plane's version after the change. */
  version?: string;
  /** The control plane's version before the change (the deployed one), when known. */
  baseline?: string;
  /** Path of the version field; default `<path>.kubernetesVersion`. */
  versionPath?: string;
  pools?: VersionPoolFacts[];
  /** The day support is judged on (`YYYY-MM-DD`); default today (UTC). */
  today?: string;
}

const versionPathOf = (f: VersionFacts) => f.versionPath ?? joinPath(f.path, "kubernetesVersion");
const label = (f: VersionFacts) => (f.name === undefined ? "cluster" : `cluster ${JSON.stringify(f.name)}`);

/** `cluster/version-supported`: the control plane's minor is in standard support on `today`. */
export function checkVersionSupported(facts: VersionFacts, on?: string): Diagnostic[] {
  const today = on ?? facts.today ?? todayUtc();
  if (facts.version === undefined || facts.cloud === undefined) return [];
  // A version of the wrong shape, or one the table does not know, is the spec check's to report.
  if (kubernetesVersionProblem(facts.cloud, facts.version) !== undefined) return [];
  const release = kubernetesRelease(facts.cloud, facts.version);
  if (!release || release.endOfStandardSupport >= today) return [];
  const supported = KUBERNETES_RELEASES[facts.cloud]
    .filter((r) => r.endOfStandardSupport >= today && r.released <= today)
    .map((r) => r.minor);
  const extended =
    release.endOfExtendedSupport !== undefined && release.endOfExtendedSupport >= today
      ? ` (in paid extended support until ${release.endOfExtendedSupport})`
      : "";
  return [
    diagnostic("cluster/version-supported", {
      resource: facts.resource,
      path: versionPathOf(facts),
      production: facts.production,
      message: `${label(facts)} runs Kubernetes ${facts.version}: standard support of ${release.minor} ended on ${release.endOfStandardSupport}${extended}, before ${today}; in standard support: ${supported.join(", ") || "none known"}`,
    }),
  ];
}

/** `cluster/version-skew`: control plane steps and pool skew. */
export function checkVersionSkew(facts: VersionFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const cp = minorNumber(facts.version);
  const before = minorNumber(facts.baseline);
  const skew = (path: string, resource: string, message: string) =>
    out.push(diagnostic("cluster/version-skew", { resource, path, production: facts.production, message }));
  if (cp !== undefined && before !== undefined) {
    if (cp > before + 1) {
      skew(
        versionPathOf(facts),
        facts.resource,
        `${label(facts)} moves from ${facts.baseline} to ${facts.version}: ${cp - before} minor versions in one change; upgrade one minor at a time (first to 1.${before + 1})`,
      );
    } else if (cp < before) {
      skew(
        versionPathOf(facts),
        facts.resource,
        `${label(facts)} moves from ${facts.baseline} back to ${facts.version}: a control plane cannot be downgraded`,
      );
    }
  }
  for (const pool of facts.pools ?? []) {
    const who = `node pool ${JSON.stringify(pool.name ?? pool.resource)} of ${label(facts)}`;
    if (pool.pinned && facts.cloud === "alicloud") {
      // ACK's only node pool version input (NodePool `upgradePolicy.kubernetesVersion`) re-sends an
      // upgrade on every later update of the pool (terraform-provider-alicloud,
      // resource_alicloud_cs_kubernetes_node_pool.go); the cluster's UpgradeCluster moves the nodes.
      skew(
        pool.path,
        pool.resource,
        `${who} pins kubernetesVersion ${pool.version}: ACK node pools run their cluster's version (ACK's cluster upgrade moves the nodes after the control plane); remove the pin`,
      );
      continue;
    }
    if (pool.pinned && facts.cloud === "aws" && pool.version !== undefined) {
      const why = kubernetesVersionProblem("aws", pool.version);
      if (why !== undefined) {
        skew(pool.path, pool.resource, `${who}: ${why}`);
        continue;
      }
    }
    const p = minorNumber(pool.version);
    if (p === undefined || cp === undefined) continue;
    if (p > cp) {
      skew(
        pool.path,
        pool.resource,
        `${who} runs ${pool.version}, newer than its control plane ${facts.version}: upgrade the control plane first`,
      );
    } else if (cp - p > kubeletSkew(cp)) {
      skew(
        pool.path,
        pool.resource,
        `${who} runs ${pool.version}, ${cp - p} minors behind its control plane ${facts.version}; the Kubernetes version-skew policy allows ${kubeletSkew(cp)}: upgrade the pool to at least 1.${cp - kubeletSkew(cp)}`,
      );
    }
  }
  return out;
}

/**
 * `cluster/upgrade-snapshot` (advisory): a production control plane moves to a newer minor.
 * ACK's "Upgrade a cluster" strongly advises a snapshot of the nodes' disks first; the spec
 * states no snapshot policy, so every production upgrade is reminded.
 */
export function checkUpgradeSnapshot(facts: VersionFacts): Diagnostic[] {
  const cp = minorNumber(facts.version);
  const before = minorNumber(facts.baseline);
  if (!facts.production || cp === undefined || before === undefined || cp <= before) return [];
  return [
    diagnostic("cluster/upgrade-snapshot", {
      resource: facts.resource,
      path: versionPathOf(facts),
      production: facts.production,
      message: `production ${label(facts)} upgrades from ${facts.baseline} to ${facts.version} and the spec states no snapshot policy: snapshot the nodes' disks before applying`,
    }),
  ];
}

export const versionRules: Record<
  "cluster/version-supported" | "cluster/version-skew" | "cluster/upgrade-snapshot",
  (facts: VersionFacts) => Diagnostic[]
> = {
  "cluster/version-supported": (f) => checkVersionSupported(f),
  "cluster/version-skew": checkVersionSkew,
  "cluster/upgrade-snapshot": checkUpgradeSnapshot,
} as const;

/**
 * The versions deployed before a change, per cluster name: the control plane's and each pool's
 * (by pool name). The offline preview reads them from a `--baseline` plan; the pack from its
 * `baselineVersions` setting.
 */
export type BaselineVersions = Readonly<
  Record<string, { version?: string; pools?: Readonly<Record<string, string>> }>
>;
