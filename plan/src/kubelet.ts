/**
 * Kubelet settings of the platform's nodes, whatever image they boot: the settings type, the
 * documented defaults and limits, and the eviction-threshold text form
 * `<eviction_signal><operator><quantity>` (Alauda Container Platform docs: Handling resource exhaustion errors) parsed and formatted.
 *
 * Pure: no Pulumi import. The node image component renders these settings into each family's
 * own document (Bottlerocket TOML, a KubeletConfiguration file in Ignition, ACK's
 * kubeletConfiguration); the rules `node/max-pods` and `node/eviction-thresholds` check them.
 */

/**
 * The eviction signals the kubelet knows. The first five are the documented table (Alauda Container Platform docs: Handling resource exhaustion errors);
 * `pid.available` is the kubelet's sixth node-pressure signal (Kubernetes node-pressure eviction).
 */
export const EVICTION_SIGNALS = [
  "memory.available",
  "nodefs.available",
  "nodefs.inodesFree",
  "imagefs.available",
  "imagefs.inodesFree",
  "pid.available",
] as const;
export type EvictionSignal = (typeof EVICTION_SIGNALS)[number];

/** Signals whose threshold must be a percentage: "inodesFree 必须使用百分比值" (Alauda Container Platform docs: Handling resource exhaustion errors). */
export const PERCENTAGE_ONLY_SIGNALS: readonly string[] = ["nodefs.inodesFree", "imagefs.inodesFree"];

/** The kubelet only evicts on "less than"; the documented examples all use `<` (Alauda Container Platform docs: Handling resource exhaustion errors). */
export const EVICTION_OPERATOR = "<";

/**
 * Default hard eviction thresholds (Alauda Container Platform docs: Handling resource exhaustion errors, the kubelet's own defaults):
 * memory.available<100Mi, nodefs.available<10%, nodefs.inodesFree<5%, imagefs.available<15%.
 * The documented example also sets imagefs.inodesFree<10% (Alauda Container Platform docs: Handling resource exhaustion errors); the kubelet does not
 * default it, and neither do we.
 */
export const DEFAULT_EVICTION_HARD: readonly string[] = [
  "memory.available<100Mi",
  "nodefs.available<10%",
  "nodefs.inodesFree<5%",
  "imagefs.available<15%",
];

/** Max pods per node: "允许任意正整数,但建议使用默认值(节点 IP 数)或不超过 256" (Alauda Container Platform docs: Creating an on-premise cluster). */
export const MAX_PODS_LIMIT = 256;

/**
 * Max pods on self-provisioned nodes when none is given: the kubelet's own default (110,
 * KubeletConfiguration `maxPods`). On ACK and EKS the cloud derives it from the node's IPs
 * (Alauda Container Platform docs: Creating an on-premise cluster; ACK docs: Work with Terway) unless set.
 */
export const DEFAULT_MAX_PODS_SELF_PROVISIONED = 110;

/** Kubernetes' default cluster domain. */
export const DEFAULT_CLUSTER_DOMAIN = "cluster.local";

/** Settings as written by a caller: every field optional, defaults applied by resolveKubeletSettings. */
export interface KubeletSettingsInput {
  /**
   * Max pods per node (1–256, node/max-pods). Default: unset on ACK and EKS (the cloud derives it
   * from the node's IPs, Alauda Container Platform docs: Creating an on-premise cluster; ACK docs: Work with Terway); 110 on self-provisioned nodes.
   */
  maxPods?: number;
  /**
   * Hard eviction thresholds, each `<signal><op><quantity>` (Alauda Container Platform docs: Handling resource exhaustion errors), e.g.
   * `memory.available<500Mi`. Signals listed here replace the default for that signal; the other
   * defaults are kept (the kubelet zeroes unlisted signals otherwise). Default: DEFAULT_EVICTION_HARD.
   */
  evictionHard?: string[];
  /** Soft eviction thresholds, same form. Each needs a grace period. Default: none. */
  evictionSoft?: string[];
  /** Grace period per soft-eviction signal, e.g. `{"memory.available": "1m30s"}` (Alauda Container Platform docs: Handling resource exhaustion errors). Default: none. */
  evictionSoftGracePeriod?: Record<string, string>;
  /**
   * Whether swap may be on. Default false: with swap on the kubelet cannot see memory pressure
   * and memory-based eviction does not work (Alauda Container Platform docs: Handling resource exhaustion errors).
   */
  swap?: boolean;
  /** Resources reserved for the OS, e.g. `{cpu: "100m", memory: "512Mi"}`. Default: none. */
  systemReserved?: Record<string, string>;
  /** Resources reserved for Kubernetes daemons. Default: none. */
  kubeReserved?: Record<string, string>;
  /** Cluster DNS service IPs. Default: none (the image's or cloud's default). */
  clusterDns?: string[];
  /** Cluster domain. Default `cluster.local`. */
  clusterDomain?: string;
}

/** Settings with defaults applied: what the images render. */
export interface KubeletSettings {
  maxPods?: number;
  evictionHard: string[];
  evictionSoft: string[];
  evictionSoftGracePeriod: Record<string, string>;
  swap: boolean;
  systemReserved: Record<string, string>;
  kubeReserved: Record<string, string>;
  clusterDns: string[];
  clusterDomain: string;
}

export interface EvictionThreshold {
  signal: string;
  operator: string;
  /** The quantity as written: `100Mi`, `10%`. */
  value: string;
  kind: "percentage" | "quantity";
}

export type EvictionParse = { ok: true; threshold: EvictionThreshold } | { ok: false; reason: string };

const STATEMENT = /^\s*([A-Za-z][A-Za-z0-9.]*)\s*(<=|>=|==|!=|<|>|=)\s*(\S+)\s*$/;
/** A non-negative Kubernetes quantity: digits, optional fraction, optional binary or decimal suffix. */
const QUANTITY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const PERCENT = /^(\d+(?:\.\d+)?)%$/;

/**
 * Parse `<signal><operator><quantity>` (Alauda Container Platform docs: Handling resource exhaustion errors). Reports why a statement is wrong, naming
 * the part at fault; the rule `node/eviction-thresholds` turns the reason into a diagnostic.
 */
export function parseEvictionThreshold(text: string): EvictionParse {
  const m = STATEMENT.exec(text);
  if (!m) {
    return {
      ok: false,
      reason: `"${text}" is not of the form <signal><operator><quantity> (e.g. memory.available<100Mi)`,
    };
  }
  const [, signal = "", operator = "", value = ""] = m;
  if (!(EVICTION_SIGNALS as readonly string[]).includes(signal)) {
    return {
      ok: false,
      reason: `"${text}": unknown eviction signal "${signal}" (known: ${EVICTION_SIGNALS.join(", ")})`,
    };
  }
  if (operator !== EVICTION_OPERATOR) {
    return {
      ok: false,
      reason: `"${text}": operator "${operator}" is not supported, the kubelet only evicts on "<"`,
    };
  }
  const pct = PERCENT.exec(value);
  if (pct) {
    const p = Number(pct[1]);
    if (!(p > 0 && p <= 100)) {
      return { ok: false, reason: `"${text}": percentage ${value} is outside (0%, 100%]` };
    }
    return { ok: true, threshold: { signal, operator, value, kind: "percentage" } };
  }
  if (PERCENTAGE_ONLY_SIGNALS.includes(signal)) {
    return { ok: false, reason: `"${text}": ${signal} must be a percentage, not ${value}` };
  }
  if (!QUANTITY.test(value)) {
    return {
      ok: false,
      reason: `"${text}": quantity "${value}" is neither a percentage nor a quantity like 100Mi`,
    };
  }
  return { ok: true, threshold: { signal, operator, value, kind: "quantity" } };
}

/** The inverse of parseEvictionThreshold. */
export function formatEvictionThreshold(t: { signal: string; operator?: string; value: string }): string {
  return `${t.signal}${t.operator ?? EVICTION_OPERATOR}${t.value}`;
}

/**
 * Thresholds as the map the kubelet's config file, Bottlerocket and ACK take (`{signal: value}`,
 * operator `<` implied). Statements that do not parse are left out: validate first.
 */
export function evictionMap(statements: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of statements) {
    const r = parseEvictionThreshold(s);
    if (r.ok) out[r.threshold.signal] = r.threshold.value;
  }
  return out;
}

/** A `{signal: value}` map (KubeletConfiguration, ACK, Bottlerocket) as statements, in signal order. */
export function evictionStatements(map: Readonly<Record<string, string | undefined>>): string[] {
  return Object.keys(map)
    .sort()
    .flatMap((signal) => {
      const value = map[signal];
      return value === undefined ? [] : [formatEvictionThreshold({ signal, value })];
    });
}

/**
 * Merge statements over defaults by signal: a listed signal replaces its default. Statements that
 * do not parse are kept verbatim (so the rule reports them), after the parsed ones.
 */
export function mergeEviction(defaults: readonly string[], overrides: readonly string[]): string[] {
  const bySignal = new Map<string, string>();
  const unparsed: string[] = [];
  for (const s of [...defaults, ...overrides]) {
    const r = parseEvictionThreshold(s);
    if (r.ok) bySignal.set(r.threshold.signal, formatEvictionThreshold(r.threshold));
    else if (!unparsed.includes(s)) unparsed.push(s);
  }
  const ordered = [...bySignal.keys()].sort(
    (a, b) => EVICTION_SIGNALS.indexOf(a as EvictionSignal) - EVICTION_SIGNALS.indexOf(b as EvictionSignal),
  );
  return [...ordered.map((k) => bySignal.get(k) as string), ...unparsed];
}

/** Apply the documented defaults. `defaultMaxPods` is the family's default (undefined: the cloud's). */
export function resolveKubeletSettings(
  input: KubeletSettingsInput = {},
  options: { defaultMaxPods?: number } = {},
): KubeletSettings {
  const maxPods = input.maxPods ?? options.defaultMaxPods;
  return {
    ...(maxPods === undefined ? {} : { maxPods }),
    evictionHard: mergeEviction(DEFAULT_EVICTION_HARD, input.evictionHard ?? []),
    evictionSoft: mergeEviction([], input.evictionSoft ?? []),
    evictionSoftGracePeriod: sortRecord(input.evictionSoftGracePeriod ?? {}),
    swap: input.swap ?? false,
    systemReserved: sortRecord(input.systemReserved ?? {}),
    kubeReserved: sortRecord(input.kubeReserved ?? {}),
    clusterDns: [...(input.clusterDns ?? [])],
    clusterDomain: input.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN,
  };
}

/**
 * Terway ENI mode (ACK docs: Work with Terway): `shared` (pods share secondary IPs of the ENIs) or
 * `exclusive` (one ENI per pod). An `as const` object so component schema inference publishes
 * it as an enum.
 */
export const TerwayEniMode = { Shared: "shared", Exclusive: "exclusive" } as const;
export type TerwayEniMode = (typeof TerwayEniMode)[keyof typeof TerwayEniMode];

/**
 * Max pods a Terway node can hold (ACK docs: Work with Terway): shared ENI (ENIs − 1) × IPs per ENI;
 * exclusive ENI ENIs − 1. The primary ENI carries the node's own address.
 */
export function terwayMaxPods(mode: TerwayEniMode, enis: number, ipsPerEni: number): number {
  const secondary = Math.max(0, enis - 1);
  return mode === "exclusive" ? secondary : secondary * ipsPerEni;
}

export interface NodeTaint {
  key: string;
  /** Default "". */
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/**
 * The kubelet's config file (kubelet.config.k8s.io/v1beta1 KubeletConfiguration) for
 * self-provisioned nodes: cgroups through systemd, webhook authn/authz against the API server,
 * swap refused unless allowed, and the eviction and max-pods settings above.
 */
export function kubeletConfiguration(
  settings: KubeletSettings,
  options: { taints?: readonly NodeTaint[]; clientCaFile?: string } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    cgroupDriver: "systemd",
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: options.clientCaFile ?? "/etc/kubernetes/pki/ca.crt" },
    },
    authorization: { mode: "Webhook" },
    readOnlyPort: 0,
    clusterDomain: settings.clusterDomain,
    evictionHard: evictionMap(settings.evictionHard),
    // Swap off: the kubelet refuses to start on a node with swap (Alauda Container Platform docs: Handling resource exhaustion errors).
    failSwapOn: !settings.swap,
  };
  if (settings.maxPods !== undefined) out.maxPods = settings.maxPods;
  if (settings.clusterDns.length > 0) out.clusterDNS = settings.clusterDns;
  if (settings.evictionSoft.length > 0) {
    out.evictionSoft = evictionMap(settings.evictionSoft);
    out.evictionSoftGracePeriod = settings.evictionSoftGracePeriod;
  }
  if (settings.swap) out.memorySwap = { swapBehavior: "LimitedSwap" };
  if (Object.keys(settings.systemReserved).length > 0) out.systemReserved = settings.systemReserved;
  if (Object.keys(settings.kubeReserved).length > 0) out.kubeReserved = settings.kubeReserved;
  if (options.taints && options.taints.length > 0) {
    out.registerWithTaints = options.taints.map((t) => ({
      key: t.key,
      value: t.value ?? "",
      effect: t.effect,
    }));
  }
  return out;
}

function sortRecord(r: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k] as string;
  return out;
}
