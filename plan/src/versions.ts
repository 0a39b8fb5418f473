/**
 * Kubernetes versions per cloud: the one place that knows which versions ACK and EKS offer,
 * when each was released and when its support ends, and the version a cluster gets when the
 * spec names none. `resolveEnvironment` reads the defaults; the spec check, `EksCluster` and
 * `AckCluster` read the version shapes and the tables. The upgrade work extends this module.
 *
 * Sources, as of the catalogue date below:
 * - ACK: "Kubernetes version overview and mechanism" (Container Service for Kubernetes docs)
 *   and the per-version "ACK release notes for Kubernetes 1.3x" (component versions). Since
 *   1.31 ACK offers every minor version, each supported for one year; clusters can be created
 *   on the three most recent minors.
 * - EKS: "Understand the Kubernetes version lifecycle on EKS" (Amazon EKS User Guide, release
 *   calendar): 14 months of standard support, then 12 months of paid extended support.
 */
import type { Environment } from "./spec";

type CloudName = Environment["cloud"];
/**
 * Where a cluster's Kubernetes comes from: a cloud's managed offer (ACK, EKS), or upstream
 * Kubernetes installed by kubeadm on a self-managed cluster (`kind: selfmanaged`, either cloud).
 */
export type VersionChannel = CloudName | "kubeadm";

/** The day the tables below were last checked against the sources. */
export const VERSION_CATALOGUE_DATE = "2026-11-27";

export interface KubernetesRelease {
  /** `1.35`. */
  minor: string;
  /**
   * A version to request from the cloud: `1.35.7-aliyun.1` on ACK (a patch the release notes
   * list), `1.35` on EKS. Left out where the sources name none (releases past end of support).
   */
  version?: string;
  /** Month the cloud released it (`YYYY-MM`; EKS gives a day, kept as `YYYY-MM-DD`). */
  released: string;
  /** Last day of standard support (ACK: end of life; EKS: end of standard support). */
  endOfStandardSupport: string;
  /** EKS: last day of extended (paid) support; ACK has none. */
  endOfExtendedSupport?: string;
}

/** Newest first. */
export const KUBERNETES_RELEASES: Readonly<Record<VersionChannel, readonly KubernetesRelease[]>> = {
  alicloud: [
    { minor: "1.36", version: "1.36.1-aliyun.1", released: "2026-05", endOfStandardSupport: "2027-05-30" },
    { minor: "1.35", version: "1.35.7-aliyun.1", released: "2026-02", endOfStandardSupport: "2027-02-28" },
    { minor: "1.34", released: "2025-09", endOfStandardSupport: "2026-09-30" },
    { minor: "1.33", version: "1.33.3-aliyun.1", released: "2025-05", endOfStandardSupport: "2026-05-31" },
    { minor: "1.32", released: "2025-01", endOfStandardSupport: "2026-01-31" },
    { minor: "1.31", version: "1.31.1-aliyun.1", released: "2024-09", endOfStandardSupport: "2025-09-30" },
    { minor: "1.30", version: "1.30.7-aliyun.1", released: "2024-06", endOfStandardSupport: "2026-06-30" },
    { minor: "1.28", released: "2023-10", endOfStandardSupport: "2025-10-31" },
  ],
  aws: [
    {
      minor: "1.35",
      version: "1.35",
      released: "2026-01-27",
      endOfStandardSupport: "2027-03-27",
      endOfExtendedSupport: "2028-03-27",
    },
    {
      minor: "1.34",
      version: "1.34",
      released: "2025-10-02",
      endOfStandardSupport: "2026-12-02",
      endOfExtendedSupport: "2027-12-02",
    },
    {
      minor: "1.33",
      version: "1.33",
      released: "2025-05-29",
      endOfStandardSupport: "2026-07-29",
      endOfExtendedSupport: "2027-07-29",
    },
    {
      minor: "1.32",
      version: "1.32",
      released: "2025-01-23",
      endOfStandardSupport: "2026-03-23",
      endOfExtendedSupport: "2027-03-23",
    },
    {
      minor: "1.31",
      version: "1.31",
      released: "2024-09-26",
      endOfStandardSupport: "2025-11-26",
      endOfExtendedSupport: "2026-11-26",
    },
    {
      minor: "1.30",
      version: "1.30",
      released: "2024-05-23",
      endOfStandardSupport: "2025-07-23",
      endOfExtendedSupport: "2026-07-23",
    },
  ],
  // Upstream Kubernetes ("Releases" and the "Kubernetes 1.xx" release pages on kubernetes.io):
  // each minor gets about 14 months of patch support (end of life below); kubeadm takes the
  // `v1.x.y` form, the newest patch those pages list. The e2e suite's kubeadm (e2e/tools/build.sh
  // KUBEADM_VERSION) is the default's release.
  kubeadm: [
    { minor: "1.37", version: "v1.37.2", released: "2026-08-26", endOfStandardSupport: "2027-10-28" },
    { minor: "1.36", version: "v1.36.4", released: "2026-04-22", endOfStandardSupport: "2027-06-28" },
    { minor: "1.35", version: "v1.35.9", released: "2025-12-17", endOfStandardSupport: "2027-02-28" },
    { minor: "1.34", version: "v1.34.4", released: "2025-08-27", endOfStandardSupport: "2026-10-27" },
    { minor: "1.33", released: "2025-04-23", endOfStandardSupport: "2026-06-28" },
  ],
};

/**
 * The version a cluster runs when the spec names none: on each cloud the newest minor in
 * standard support on the catalogue date (ACK 1.36 until 2027-05-30; EKS 1.35 until 2027-03-27;
 * upstream, for self-managed clusters, 1.37 until 2027-10-28).
 */
export const DEFAULT_KUBERNETES_VERSION: Readonly<Record<VersionChannel, string>> = {
  alicloud: "1.36.1-aliyun.1",
  aws: "1.35",
  kubeadm: "v1.37.2",
};

/** How each cloud spells a version: ACK `x.y.z-aliyun.n`, EKS `major.minor`. */
export const VERSION_SHAPE: Readonly<
  Record<VersionChannel, { pattern: RegExp; example: string; name: string }>
> = {
  alicloud: { pattern: /^1\.\d+\.\d+-aliyun\.\d+$/, example: "1.36.1-aliyun.1", name: "an ACK version" },
  aws: { pattern: /^1\.\d+$/, example: "1.35", name: "an EKS version" },
  kubeadm: { pattern: /^v1\.\d+\.\d+$/, example: "v1.37.2", name: "a kubeadm version" },
};

/** `1.35` of `1.35.7-aliyun.1`, `1.35`, `v1.35.2`; undefined when it is not a version. */
export function kubernetesMinorOf(version: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?:[.-]|$)/.exec(version);
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

/** The cloud's release of a version's minor, if the table knows it. */
export function kubernetesRelease(cloud: VersionChannel, version: string): KubernetesRelease | undefined {
  const minor = kubernetesMinorOf(version);
  return KUBERNETES_RELEASES[cloud].find((r) => r.minor === minor);
}

/** The last day a cloud supports a release at all (EKS: extended support included). */
export function endOfSupport(release: KubernetesRelease): string {
  return release.endOfExtendedSupport ?? release.endOfStandardSupport;
}

const CLOUD_LABEL: Readonly<Record<VersionChannel, string>> = {
  alicloud: "ACK",
  aws: "EKS",
  kubeadm: "Upstream (kubeadm)",
};

/**
 * Why `version` is not a version of the cloud, or undefined: the wrong shape for the cloud (an
 * ACK version on EKS) or a minor the table does not know. One message naming the value and
 * what the cloud accepts. Whether the version is still supported on a given day is the
 * `cluster/version-supported` rule's question, not this one.
 */
export function kubernetesVersionProblem(cloud: VersionChannel, version: string): string | undefined {
  const shape = VERSION_SHAPE[cloud];
  const known = KUBERNETES_RELEASES[cloud];
  const supported = known
    .filter((r) => endOfSupport(r) >= VERSION_CATALOGUE_DATE)
    .map((r) => r.version ?? r.minor)
    .join(", ");
  if (!shape.pattern.test(version)) {
    return `kubernetesVersion ${JSON.stringify(version)} is not ${shape.name} (like "${shape.example}"); supported on ${VERSION_CATALOGUE_DATE}: ${supported}`;
  }
  if (!kubernetesRelease(cloud, version)) {
    const range = `${known[known.length - 1]?.minor}–${known[0]?.minor}`;
    return `kubernetesVersion ${JSON.stringify(version)}: ${CLOUD_LABEL[cloud]} Kubernetes ${kubernetesMinorOf(version)} is not among the known releases (${range}); supported on ${VERSION_CATALOGUE_DATE}: ${supported}`;
  }
  return undefined;
}
