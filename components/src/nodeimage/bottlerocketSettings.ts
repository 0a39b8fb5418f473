/**
 * Bottlerocket on EKS: the public SSM parameter that names the AMI for a Kubernetes version and
 * architecture, and the settings document (TOML user data) a node reads at boot: cluster name,
 * API server, CA, max pods, eviction thresholds, node labels and taints, registry mirrors.
 *
 * Pure: the document is built as data and written with smol-toml, never by string templates.
 */

import { evictionMap, type KubeletSettings, kubernetesMinor, type NodeTaint } from "@kubeplat/plan";
import { stringify } from "smol-toml";

export const BOTTLEROCKET_ARCHITECTURES = ["x86_64", "arm64"] as const;
export type BottlerocketArchitecture = (typeof BOTTLEROCKET_ARCHITECTURES)[number];

/** Variant flavors of the EKS Bottlerocket AMIs: none, GPU (`nvidia`), FIPS (`fips`). */
export const BOTTLEROCKET_FLAVORS = ["", "nvidia", "fips"] as const;
export type BottlerocketFlavor = (typeof BOTTLEROCKET_FLAVORS)[number];

/** `1.31`, `1.31.2`, `v1.31.2`, `1.31.1-aliyun.1` → `1.31` (one definition, in the plan layer). */
export { kubernetesMinor };

export interface BottlerocketParameterInput {
  /** Kubernetes version of the cluster; only major.minor is used. */
  kubernetesVersion: string;
  /** Default `x86_64`. */
  architecture?: BottlerocketArchitecture;
  /** Default "" (no GPU, no FIPS). */
  flavor?: BottlerocketFlavor;
  /** Bottlerocket release (`1.20.0`) or `latest` (default). */
  version?: string;
}

/**
 * The public SSM parameter holding the AMI id:
 * `/aws/service/bottlerocket/aws-k8s-<version>[-flavor]/<arch>/<latest|release>/image_id`
 * (Amazon EKS user guide, "Retrieve recommended Bottlerocket AMI IDs").
 */
export function bottlerocketParameterName(input: BottlerocketParameterInput): string {
  const minor = kubernetesMinor(input.kubernetesVersion);
  if (minor === undefined) {
    throw new Error(
      `bottlerocketParameterName: kubernetesVersion "${input.kubernetesVersion}" is not a version like 1.31`,
    );
  }
  const flavor = input.flavor ? `-${input.flavor}` : "";
  const arch = input.architecture ?? "x86_64";
  const version = input.version ?? "latest";
  return `/aws/service/bottlerocket/aws-k8s-${minor}${flavor}/${arch}/${version}/image_id`;
}

export interface RegistryMirror {
  /** The registry mirrored, e.g. `docker.io`, or `*` for every registry. */
  registry: string;
  /** Mirror endpoints, tried in order, e.g. `https://mirror.example.com`. */
  endpoints: string[];
}

export interface BottlerocketSettingsInput {
  clusterName: string;
  /** The API server endpoint, `https://…`. */
  apiServer: string;
  /** The cluster CA, base64 (EKS `certificateAuthority.data`). */
  clusterCertificate: string;
  kubelet: KubeletSettings;
  nodeLabels?: Record<string, string>;
  nodeTaints?: NodeTaint[];
  registryMirrors?: RegistryMirror[];
}

/**
 * The settings as data: `settings.kubernetes.*` and `settings.container-registry.mirrors`.
 * Taints are `key = ["value:Effect", …]` (`Effect` alone without a value), the list form
 * Bottlerocket takes for several effects on one key.
 */
export function bottlerocketSettings(input: BottlerocketSettingsInput): Record<string, unknown> {
  const k = input.kubelet;
  const kubernetes: Record<string, unknown> = {
    "cluster-name": input.clusterName,
    "api-server": input.apiServer,
    "cluster-certificate": input.clusterCertificate,
    "cluster-domain": k.clusterDomain,
  };
  if (k.maxPods !== undefined) kubernetes["max-pods"] = k.maxPods;
  if (k.clusterDns.length > 0) kubernetes["cluster-dns-ip"] = k.clusterDns;
  kubernetes["eviction-hard"] = evictionMap(k.evictionHard);
  if (k.evictionSoft.length > 0) {
    kubernetes["eviction-soft"] = evictionMap(k.evictionSoft);
    kubernetes["eviction-soft-grace-period"] = { ...k.evictionSoftGracePeriod };
  }
  if (Object.keys(k.systemReserved).length > 0) kubernetes["system-reserved"] = { ...k.systemReserved };
  if (Object.keys(k.kubeReserved).length > 0) kubernetes["kube-reserved"] = { ...k.kubeReserved };
  const labels = input.nodeLabels ?? {};
  if (Object.keys(labels).length > 0) {
    kubernetes["node-labels"] = Object.fromEntries(
      Object.keys(labels)
        .sort()
        .map((key) => [key, labels[key]]),
    );
  }
  const taints = input.nodeTaints ?? [];
  if (taints.length > 0) {
    const byKey: Record<string, string[]> = {};
    for (const t of taints) {
      const list = byKey[t.key] ?? [];
      // A taint without value is written as its effect alone.
      list.push(t.value ? `${t.value}:${t.effect}` : t.effect);
      byKey[t.key] = list;
    }
    kubernetes["node-taints"] = Object.fromEntries(
      Object.keys(byKey)
        .sort()
        .map((key) => [key, byKey[key]]),
    );
  }
  const settings: Record<string, unknown> = { kubernetes };
  const mirrors = input.registryMirrors ?? [];
  if (mirrors.length > 0) {
    settings["container-registry"] = {
      mirrors: mirrors.map((m) => ({ registry: m.registry, endpoint: [...m.endpoints] })),
    };
  }
  return { settings };
}

/** The user data of a Bottlerocket node: the settings as TOML. */
export function bottlerocketUserData(input: BottlerocketSettingsInput): string {
  return stringify(bottlerocketSettings(input));
}
