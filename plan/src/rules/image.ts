/**
 * Rules on node images and kubelet settings (RULES.md, "Clusters, nodes and images"):
 * `node/containeros-requirements`, `node/max-pods`, `node/eviction-thresholds`,
 * `node/immutable-image`. One pure function per rule over one facts shape, so the node image
 * component, the offline preview and the CrossGuard pack call the same code.
 *
 * Every leaf of the facts is optional: the policy pack builds them from raw resource properties,
 * where a value may be unknown during preview. An unknown (undefined) value never produces a
 * diagnostic; only a known value that breaks the rule does.
 */
import { type Diagnostic, diagnostic, type RuleId, SPEC_SCHEMA } from "../diagnostic";
import {
  EVICTION_SIGNALS,
  evictionStatements,
  MAX_PODS_LIMIT,
  parseEvictionThreshold,
  terwayMaxPods,
} from "../kubelet";

/** Eviction thresholds as statements (`memory.available<100Mi`) or as a `{signal: value}` map. */
export type EvictionFacts = readonly (string | undefined)[] | Readonly<Record<string, string | undefined>>;

export interface NodeImageFacts {
  /** Logical name or URN of the node pool / image the facts describe. Default "node-pool". */
  resource?: string;
  /** Field path prefix, e.g. `clusters[0].nodePools[1]`; diagnostics append the field. */
  path?: string;
  /** Production environment: `node/immutable-image` is mandatory there, advisory elsewhere. */
  production?: boolean;
  /**
   * The cloud of a pool described by an environment spec (`alicloud`, `aws`): the families its
   * managed pools can boot are checked first. Undefined (a component's own facts): not checked.
   */
  cloud?: string;
  /**
   * The environment declares the rpm-ostree image (`ostreeImage`: treefile, bucket, repository
   * URL), so its pools may boot `ostree` on either cloud. Default false.
   */
  ostreeImage?: boolean;
  /**
   * Absolute paths of fields that do not sit under `path` (the cluster's edition is a field of
   * the cluster, not of the pool), keyed by the relative field name used in diagnostics.
   */
  fieldPaths?: Readonly<Record<string, string>>;
  /**
   * The OS image: a family (`containeros`, `bottlerocket`, `ostree`, `alinux`, `custom`, ...) or
   * ACK's `imageType` (`ContainerOS`, `AliyunLinux3`, ...).
   */
  image?: string;
  cluster?: {
    name?: string;
    /** `pro` / `standard`, or ACK's cluster spec (`ack.pro.small`, `ack.standard`). */
    edition?: string;
    /** `terway`, `flannel`, `vpc-cni`, ... */
    cni?: string;
  };
  pool?: {
    /** An ACK managed node pool (`management.enable`). */
    managed?: boolean;
    /** Container runtime: `containerd`, `docker`. */
    runtime?: string;
    /** How nodes are logged in to: a key pair, a password, or neither. */
    login?: "key-pair" | "password" | "none";
  };
  kubelet?: {
    maxPods?: number;
    evictionHard?: EvictionFacts;
    evictionSoft?: EvictionFacts;
    evictionSoftGracePeriod?: Readonly<Record<string, string | undefined>>;
    /** Whether swap is on (Alauda Container Platform docs: Handling resource exhaustion errors). */
    swap?: boolean;
  };
  /** The instance type's network capacity, for Terway's max-pods bound. */
  network?: {
    instanceType?: string;
    /** Terway mode: shared ENI (several pod IPs per ENI) or exclusive ENI (one pod per ENI). */
    terwayEniMode?: "shared" | "exclusive";
    /** ENIs the instance type supports. */
    enis?: number;
    /** Private IPs per ENI. */
    ipsPerEni?: number;
  };
  rollout?: {
    /** How an image change reaches the nodes: by replacing them, or by patching them in place. */
    imageChange?: "replace" | "in-place";
  };
}

export type ImageRuleId = Extract<
  RuleId,
  "node/containeros-requirements" | "node/max-pods" | "node/eviction-thresholds" | "node/immutable-image"
>;

/** The families that boot a read-only root and change only by replacing nodes (Alauda Container Platform docs: Immutable infrastructure; Immutable infrastructure article: Immutable infrastructure: container-optimized and immutable host operating systems). */
export const IMMUTABLE_FAMILIES = ["containeros", "bottlerocket", "ostree"] as const;

/** ACK imageType and distribution names that mean one of the immutable families. */
const FAMILY_ALIASES: Record<string, (typeof IMMUTABLE_FAMILIES)[number]> = {
  containeros: "containeros",
  bottlerocket: "bottlerocket",
  ostree: "ostree",
  "fedora-coreos": "ostree",
  fcos: "ostree",
  "opensuse-microos": "ostree",
  microos: "ostree",
  flatcar: "ostree",
  "rhel-coreos": "ostree",
  "centos-atomic-host": "ostree",
};

/** The immutable family an image name denotes, if any. */
export function immutableFamilyOf(image: string): (typeof IMMUTABLE_FAMILIES)[number] | undefined {
  return FAMILY_ALIASES[image.trim().toLowerCase()];
}

function at(facts: NodeImageFacts, field: string): string {
  const absolute = facts.fieldPaths?.[field];
  if (absolute !== undefined) return absolute;
  return facts.path ? `${facts.path}.${field}` : field;
}

/**
 * The node OS families a managed node pool of each cloud boots from the environment spec:
 * ACK managed pools take an `imageType` (ContainerOS, Alibaba Cloud Linux 3), EKS managed node
 * groups the Bottlerocket AMI the NodeImage component resolves or an Amazon Linux 2023 AMI type.
 * `ostree` is available on both once the environment declares `ostreeImage` (the NodeImage
 * component builds and imports it as a custom image), and `custom` needs an image id the spec has
 * no field for.
 */
export const CLOUD_IMAGE_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  alicloud: ["containeros", "alinux"],
  aws: ["bottlerocket", "al2023"],
};

const UNAVAILABLE_WHY: Readonly<Record<string, string>> = {
  ostree:
    "the environment declares no `ostreeImage` (treefile, bucket, repository URL) to build and import the image from",
  custom: "the environment spec has no field for a custom image id",
};

/**
 * A pool's image family is one its cloud's managed pools boot (see CLOUD_IMAGE_FAMILIES).
 * Reported as a spec error: the value is legal in the schema, but not for this cloud, and
 * building anything else from it would silently boot another OS.
 */
export function imageAvailability(facts: NodeImageFacts): Diagnostic[] {
  if (facts.cloud === undefined || facts.image === undefined) return [];
  const available = CLOUD_IMAGE_FAMILIES[facts.cloud];
  if (available === undefined || available.includes(facts.image)) return [];
  if (facts.image === "ostree" && facts.ostreeImage === true) return [];
  const why = UNAVAILABLE_WHY[facts.image];
  return [
    {
      rule: SPEC_SCHEMA,
      severity: "mandatory",
      resource: facts.resource ?? "node-pool",
      path: at(facts, "image"),
      message: `image ${facts.image} of ${who(facts)} is not available for node pools on ${facts.cloud} (available: ${available.join(", ")})${why ? `: ${why}` : ""}`,
    },
  ];
}

function who(facts: NodeImageFacts): string {
  const cluster = facts.cluster?.name ? ` (cluster "${facts.cluster.name}")` : "";
  return `${facts.resource ?? "node-pool"}${cluster}`;
}

/**
 * `node/containeros-requirements`: a ContainerOS pool is an ACK managed pool (ACK docs: Use Alibaba Cloud Linux 2,
 * ACK docs: Use Alibaba Cloud Linux 2) on a Pro cluster (ACK docs: Overview of managed node pools), runs containerd (ACK docs: Use Alibaba Cloud Linux 2; Manage managed node pools) and logs
 * in with a key pair (managed pools: "仅支持密钥方式", ACK docs: Overview of managed node pools).
 */
export function containerOsRequirements(facts: NodeImageFacts): Diagnostic[] {
  if (facts.image === undefined || immutableFamilyOf(facts.image) !== "containeros") return [];
  const out: Diagnostic[] = [];
  const resource = facts.resource ?? "node-pool";
  const d = (field: string, message: string) =>
    out.push(diagnostic("node/containeros-requirements", { resource, path: at(facts, field), message }));
  const edition = facts.cluster?.edition;
  const notPro = edition !== undefined && !/pro/i.test(edition);
  // On a cluster that is not Pro no pool can be managed: the edition is the one cause to report.
  if (facts.pool?.managed === false && !notPro) {
    d(
      "managed",
      `image ${facts.image} runs only in an ACK managed node pool, but ${who(facts)} is not managed (ACK docs: Use Alibaba Cloud Linux 2)`,
    );
  }
  if (notPro) {
    d(
      "cluster.edition",
      `image ${facts.image} needs an ACK Pro cluster (managed pools require Pro), but ${who(facts)} is on edition ${edition} (ACK docs: Overview of managed node pools)`,
    );
  }
  const runtime = facts.pool?.runtime;
  if (runtime !== undefined && runtime.toLowerCase() !== "containerd") {
    d(
      "runtime",
      `image ${facts.image} supports only the containerd runtime, but ${who(facts)} uses ${runtime} (ACK docs: Manage managed node pools)`,
    );
  }
  const login = facts.pool?.login;
  if (login !== undefined && login !== "key-pair") {
    d(
      "loginKeyPair",
      `image ${facts.image} in a managed pool logs in only with a key pair, but ${who(facts)} uses ${login === "password" ? "a password" : "no key pair"} (ACK docs: Overview of managed node pools)`,
    );
  }
  return out;
}

/**
 * `node/max-pods`: 1 ≤ max pods ≤ 256 (Alauda Container Platform docs: Creating an on-premise cluster); with Terway, ≤ the instance's ENI capacity:
 * shared ENI (ENIs − 1) × IPs per ENI, exclusive ENI ENIs − 1 (ACK docs: Work with Terway).
 */
export function maxPods(facts: NodeImageFacts): Diagnostic[] {
  const value = facts.kubelet?.maxPods;
  if (value === undefined) return [];
  const resource = facts.resource ?? "node-pool";
  const path = at(facts, "kubelet.maxPods");
  const out: Diagnostic[] = [];
  if (!Number.isInteger(value) || value < 1) {
    out.push(
      diagnostic("node/max-pods", {
        resource,
        path,
        message: `maxPods ${value} of ${who(facts)} is not a positive integer`,
      }),
    );
    return out;
  }
  if (value > MAX_PODS_LIMIT) {
    out.push(
      diagnostic("node/max-pods", {
        resource,
        path,
        message: `maxPods ${value} of ${who(facts)} exceeds the limit of ${MAX_PODS_LIMIT} pods per node (Alauda Container Platform docs: Creating an on-premise cluster)`,
      }),
    );
  }
  const cni = facts.cluster?.cni;
  const net = facts.network;
  const terway = cni === undefined ? net?.terwayEniMode !== undefined : cni.toLowerCase() === "terway";
  if (terway && net?.enis !== undefined) {
    const mode = net.terwayEniMode ?? "shared";
    if (mode === "exclusive" || net.ipsPerEni !== undefined) {
      const cap = terwayMaxPods(mode, net.enis, net.ipsPerEni ?? 0);
      if (value > cap) {
        const type = net.instanceType ? `instance type ${net.instanceType}` : "the instance type";
        const formula =
          mode === "exclusive"
            ? `(${net.enis} ENIs − 1) = ${cap}`
            : `(${net.enis} ENIs − 1) × ${net.ipsPerEni} IPs per ENI = ${cap}`;
        out.push(
          diagnostic("node/max-pods", {
            resource,
            path,
            message: `maxPods ${value} of ${who(facts)} exceeds what Terway ${mode} ENI gives ${type}: ${formula} (ACK docs: Work with Terway)`,
          }),
        );
      }
    }
  }
  return out;
}

/** A Go duration as the kubelet reads it: `90s`, `1m30s`, `1.5h`. */
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

function statementsOf(e: EvictionFacts | undefined): { text: string; index: string }[] {
  if (e === undefined) return [];
  if (Array.isArray(e)) {
    return (e as readonly (string | undefined)[]).flatMap((s, i) =>
      s === undefined ? [] : [{ text: s, index: `[${i}]` }],
    );
  }
  const map = e as Readonly<Record<string, string | undefined>>;
  return evictionStatements(map).map((text) => ({ text, index: `["${text.split("<")[0]}"]` }));
}

/**
 * `node/eviction-thresholds`: every threshold is `<signal><op><quantity>` with a known signal
 * and the `<` operator (Alauda Container Platform docs: Handling resource exhaustion errors); `nodefs.inodesFree` and `imagefs.inodesFree` are
 * percentages (Alauda Container Platform docs: Handling resource exhaustion errors); a soft threshold has a grace period (Alauda Container Platform docs: Handling resource exhaustion errors); swap is
 * off, or memory pressure cannot be detected (Alauda Container Platform docs: Handling resource exhaustion errors).
 */
export function evictionThresholds(facts: NodeImageFacts): Diagnostic[] {
  const k = facts.kubelet;
  if (!k) return [];
  const resource = facts.resource ?? "node-pool";
  const out: Diagnostic[] = [];
  for (const kind of ["evictionHard", "evictionSoft"] as const) {
    for (const { text, index } of statementsOf(k[kind])) {
      const r = parseEvictionThreshold(text);
      if (!r.ok) {
        out.push(
          diagnostic("node/eviction-thresholds", {
            resource,
            path: at(facts, `kubelet.${kind}${index}`),
            message: `${kind} of ${who(facts)}: ${r.reason} (Alauda Container Platform docs: Handling resource exhaustion errors)`,
          }),
        );
      }
    }
  }
  const soft = statementsOf(k.evictionSoft)
    .map(({ text }) => parseEvictionThreshold(text))
    .flatMap((r) => (r.ok ? [r.threshold.signal] : []));
  const grace = k.evictionSoftGracePeriod;
  if (grace !== undefined) {
    for (const signal of soft) {
      if (grace[signal] === undefined) {
        out.push(
          diagnostic("node/eviction-thresholds", {
            resource,
            path: at(facts, `kubelet.evictionSoftGracePeriod["${signal}"]`),
            message: `soft eviction threshold on ${signal} of ${who(facts)} has no grace period (Alauda Container Platform docs: Handling resource exhaustion errors)`,
          }),
        );
      }
    }
    for (const [signal, period] of Object.entries(grace)) {
      const path = at(facts, `kubelet.evictionSoftGracePeriod["${signal}"]`);
      if (!(EVICTION_SIGNALS as readonly string[]).includes(signal)) {
        out.push(
          diagnostic("node/eviction-thresholds", {
            resource,
            path,
            message: `grace period for unknown eviction signal "${signal}" of ${who(facts)} (known: ${EVICTION_SIGNALS.join(", ")})`,
          }),
        );
      } else if (period !== undefined && !DURATION.test(period)) {
        out.push(
          diagnostic("node/eviction-thresholds", {
            resource,
            path,
            message: `grace period "${period}" for ${signal} of ${who(facts)} is not a duration like 1m30s (Alauda Container Platform docs: Handling resource exhaustion errors)`,
          }),
        );
      }
    }
  }
  if (k.swap === true) {
    const memory = [...statementsOf(k.evictionHard), ...statementsOf(k.evictionSoft)]
      .map(({ text }) => text)
      .filter((t) => t.trim().startsWith("memory.available"));
    out.push(
      diagnostic("node/eviction-thresholds", {
        resource,
        path: at(facts, "kubelet.swap"),
        message: `swap is on for ${who(facts)}: the kubelet cannot detect memory pressure, so ${memory.length > 0 ? memory.join(", ") : "memory.available eviction"} never fires; turn swap off (Alauda Container Platform docs: Handling resource exhaustion errors)`,
      }),
    );
  }
  return out;
}

/**
 * `node/immutable-image`: worker pools boot an immutable OS image (ContainerOS, Bottlerocket, or
 * an ostree image built by the project) and an image change replaces nodes, never patches them
 * (Alauda Container Platform docs: Immutable infrastructure; ACK docs: ContainerOS overview; Immutable infrastructure article: Immutable infrastructure: container-optimized and immutable host operating systems). Mandatory in production, advisory elsewhere.
 */
export function immutableImage(facts: NodeImageFacts): Diagnostic[] {
  const resource = facts.resource ?? "node-pool";
  const production = facts.production ?? false;
  const out: Diagnostic[] = [];
  if (facts.image !== undefined && immutableFamilyOf(facts.image) === undefined) {
    out.push(
      diagnostic("node/immutable-image", {
        resource,
        production,
        path: at(facts, "image"),
        message: `${who(facts)} boots image ${facts.image}, not an immutable OS image (${IMMUTABLE_FAMILIES.join(", ")}) (Alauda Container Platform docs: Immutable infrastructure)`,
      }),
    );
  }
  if (facts.rollout?.imageChange === "in-place") {
    out.push(
      diagnostic("node/immutable-image", {
        resource,
        production,
        path: at(facts, "rollout.imageChange"),
        message: `${who(facts)} applies image changes in place; an image change must replace nodes (Alauda Container Platform docs: Immutable infrastructure)`,
      }),
    );
  }
  return out;
}

/** Each rule id of this module and its function. */
export const imageRules: Record<ImageRuleId, (facts: NodeImageFacts) => Diagnostic[]> = {
  "node/containeros-requirements": containerOsRequirements,
  "node/max-pods": maxPods,
  "node/eviction-thresholds": evictionThresholds,
  "node/immutable-image": immutableImage,
};

/** Every image rule over one set of facts. */
export function checkNodeImage(facts: NodeImageFacts): Diagnostic[] {
  // An image the cloud cannot boot is the one thing to say: its other rules would judge an image
  // that will never run.
  const unavailable = imageAvailability(facts);
  if (unavailable.length > 0) return unavailable;
  return Object.values(imageRules).flatMap((rule) => rule(facts));
}
