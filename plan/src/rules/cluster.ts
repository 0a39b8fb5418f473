/**
 * Cluster rules (RULES.md "Clusters, nodes and images"): control-plane count, zones, names and
 * tags. Pure functions over cloud-agnostic facts, shared by the Alibaba Cloud and AWS
 * components, the offline preview and the CrossGuard policy pack.
 *
 * Unknown values: every fact is optional and `undefined` means "not known" (a preview's
 * computed value, or a field the caller could not read). An unknown value never produces a
 * diagnostic and never hides a diagnostic that the known values already prove; inside arrays
 * an `undefined` element is one unknown element (the length is known, the value is not).
 */
import { type Diagnostic, diagnostic, type RuleId } from "../diagnostic";

/** Per-field path overrides: the policy pack reports raw property names (`vswitchIds`, `zoneIds`). */
export type FieldPaths<T> = { readonly [K in keyof T]?: string };

/** Facts every rule subject carries: who it is and where it sits, for the diagnostic. */
export interface FactsBase {
  /** Logical name or URN of the resource (or spec object) the facts describe. */
  resource: string;
  /**
   * Field path of the subject, e.g. `clusters[0]`; a diagnostic's path is this path plus the
   * fact's field name (`clusters[0].zones`), unless `fieldPaths` names the field's path.
   * The policy pack passes `""` so paths are the raw property names.
   */
  path: string;
}

/** The diagnostic path of `field` of a facts object: its override, or `path.field`. */
export function factPath<T extends FactsBase>(
  facts: T & { fieldPaths?: FieldPaths<T> },
  field: keyof T & string,
): string {
  const override = facts.fieldPaths?.[field];
  if (override !== undefined) return override;
  return joinPath(facts.path, field);
}

/** `a` + `.b`, or `b` when `a` is empty; keys that are not identifiers get `["..."]`. */
export function joinPath(base: string, key: string): string {
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base === "" ? key : `${base}.${key}`;
}

/** Length in characters (code points), as the console counts "1~63个字符". */
export function charLength(s: string): number {
  return [...s].length;
}

/** `(cluster "prod")`, or "" when the name is unknown. */
export function subject(kind: string, name: string | undefined): string {
  return name === undefined ? "" : ` (${kind} ${JSON.stringify(name)})`;
}

/** Distinct known values and whether any element was unknown. */
export function knownDistinct(values: readonly (string | undefined)[]): {
  known: string[];
  unknown: boolean;
} {
  const known = [...new Set(values.filter((v): v is string => v !== undefined))];
  return { known, unknown: values.some((v) => v === undefined) };
}

/** Facts of a node pool for the name rule (node.ts carries the pool's other facts). */
export interface NodePoolNameFacts extends FactsBase {
  /** ACK: NodePool `nodePoolName` (or the deprecated `name`); EKS: NodeGroup `nodeGroupName`. */
  name?: string;
  fieldPaths?: FieldPaths<NodePoolNameFacts>;
}

export interface ClusterFacts extends FactsBase {
  /** The environment is production (spec `production`; the policy pack's config). */
  production?: boolean;
  /** Which cloud's limits apply to tags. Unknown: Alibaba Cloud's (the stricter ones). */
  cloud?: "alicloud" | "aws";
  /** ACK: ManagedKubernetes `name`; EKS: Cluster `name`; self-provisioned: the cluster name. */
  name?: string;
  /**
   * The project provisions the control plane itself (self-provisioned / ACP-style cluster).
   * ACK managed and EKS clusters: false (their control plane is the cloud's).
   */
  selfProvisioned?: boolean;
  /** Self-provisioned clusters: the number of control-plane nodes. */
  controlPlaneCount?: number;
  /**
   * The vSwitches the control plane is placed in. ACK: ManagedKubernetes `vswitchIds`.
   * EKS: leave undefined (`vpcConfig.subnetIds` is not limited to 3 subnets); use `zones`.
   */
  controlPlaneVSwitchIds?: (string | undefined)[];
  /**
   * The zone of each of the cluster's vSwitches / subnets (duplicates allowed). ACK:
   * ManagedKubernetes `zoneIds`, or the zones of `vswitchIds`; EKS: the availability zones of
   * `vpcConfig.subnetIds`; spec: the cluster's zones.
   */
  zones?: (string | undefined)[];
  /** ACK: ManagedKubernetes `tags`; EKS: Cluster `tags`. An `undefined` value is unknown. */
  tags?: Record<string, string | undefined>;
  /** Node pools of the cluster (ACK NodePool / EKS NodeGroup), for the name rule. */
  nodePools?: NodePoolNameFacts[];
  fieldPaths?: FieldPaths<ClusterFacts>;
}

// ---------------------------------------------------------------------------------------------
// cluster/control-plane-count
// ---------------------------------------------------------------------------------------------

/**
 * `cluster/control-plane-count`: a self-provisioned cluster has at least 1 control-plane node,
 * never exactly 2, an odd number, and at least 3 in production (high availability).
 * Alauda Container Platform docs: Adding nodes to on-premise clusters "必须至少添加1个控制平面节点。不支持设置2个控制平面节点。…3个或以上时,集群成为
 * 高可用集群(…建议使用奇数个节点,优选3个或5个)"; Alauda Container Platform docs: Adding nodes to on-premise clusters repeats it as a planning rule.
 */
export function checkControlPlaneCount(facts: ClusterFacts): Diagnostic[] {
  if (facts.selfProvisioned !== true) return [];
  const n = facts.controlPlaneCount;
  if (n === undefined) return [];
  const reasons: string[] = [];
  if (!Number.isInteger(n) || n < 1) {
    reasons.push(
      "a cluster needs at least 1 control-plane node (Alauda Container Platform docs: Adding nodes to on-premise clusters)",
    );
  } else {
    if (n === 2)
      reasons.push(
        "exactly 2 control-plane nodes is not supported (Alauda Container Platform docs: Adding nodes to on-premise clusters)",
      );
    else if (n % 2 === 0)
      reasons.push(
        "use an odd number (3 or 5) so etcd keeps a quorum (Alauda Container Platform docs: Adding nodes to on-premise clusters)",
      );
    if (facts.production === true && n < 3) {
      reasons.push(
        "a production cluster needs ≥ 3 control-plane nodes for high availability (Alauda Container Platform docs: Adding nodes to on-premise clusters)",
      );
    }
  }
  if (reasons.length === 0) return [];
  return [
    diagnostic("cluster/control-plane-count", {
      resource: facts.resource,
      path: factPath(facts, "controlPlaneCount"),
      production: facts.production,
      message: `controlPlaneCount ${n}${subject("cluster", facts.name)}: ${reasons.join("; ")}`,
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// cluster/zones
// ---------------------------------------------------------------------------------------------

/** ACK docs: Create an ACK dedicated cluster: "根据可用区选择1~3个交换机". */
export const MAX_CLUSTER_VSWITCHES = 3;
/** ACK docs: Create an ACK dedicated cluster (1 to 3 vSwitches by zone), so at most 3 zones. */
export const MAX_CLUSTER_ZONES = 3;
/** EKS refuses a cluster whose subnets are not in at least two availability zones (EKS User Guide: "View Amazon EKS networking requirements for VPC and subnets"). */
export const MIN_EKS_ZONES = 2;
/** ACK docs: Network overview: multi-zone reliability needs "2个及以上" zones; production requires it. */
export const MIN_PRODUCTION_ZONES = 2;

/**
 * `cluster/zones`: the control plane takes 1 to 3 vSwitches (ACK docs: Create an ACK dedicated cluster), the cluster spans 1 to 3
 * zones, an EKS cluster's subnets span at least 2 availability zones, and a production cluster
 * spans at least 2 zones (ACK docs: Network overview).
 */
export function checkZones(facts: ClusterFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const who = subject("cluster", facts.name);
  const emit = (field: "controlPlaneVSwitchIds" | "zones", message: string) =>
    out.push(
      diagnostic("cluster/zones", {
        resource: facts.resource,
        path: factPath(facts, field),
        production: facts.production,
        message,
      }),
    );

  const vsw = facts.controlPlaneVSwitchIds;
  if (vsw !== undefined && (vsw.length < 1 || vsw.length > MAX_CLUSTER_VSWITCHES)) {
    const list = vsw.map((v) => v ?? "(unknown)").join(", ");
    emit(
      "controlPlaneVSwitchIds",
      `${vsw.length} control-plane vSwitches [${list}]${who}: a cluster takes 1 to ${MAX_CLUSTER_VSWITCHES} vSwitches (ACK docs: Create an ACK dedicated cluster)`,
    );
  }

  if (facts.zones !== undefined) {
    const { known, unknown } = knownDistinct(facts.zones);
    const list = known.join(", ");
    if (known.length > MAX_CLUSTER_ZONES) {
      emit(
        "zones",
        `cluster spans ${known.length} zones [${list}]${who}: a cluster spans 1 to ${MAX_CLUSTER_ZONES} zones (ACK docs: Create an ACK dedicated cluster)`,
      );
    } else if (!unknown && known.length === 0) {
      emit(
        "zones",
        `cluster spans no zone${who}: a cluster spans 1 to ${MAX_CLUSTER_ZONES} zones (ACK docs: Create an ACK dedicated cluster)`,
      );
    } else if (
      !unknown &&
      facts.cloud === "aws" &&
      facts.selfProvisioned !== true &&
      known.length < MIN_EKS_ZONES
    ) {
      emit(
        "zones",
        `EKS cluster${who} has subnets in ${known.length} availability zone(s) [${list}]; EKS requires subnets in at least ${MIN_EKS_ZONES}`,
      );
    } else if (!unknown && facts.production === true && known.length < MIN_PRODUCTION_ZONES) {
      emit(
        "zones",
        `production cluster spans ${known.length} zone [${list}]${who}: production spans ≥ ${MIN_PRODUCTION_ZONES} zones (ACK docs: Network overview)`,
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// cluster/name
// ---------------------------------------------------------------------------------------------

/** ACK docs: Create a cluster (cluster) and ACK docs: Create an ACK dedicated cluster (node pool): "1~63个字符". */
export const MAX_NAME_LENGTH = 63;
/**
 * ACK docs: Create a cluster; Create an ACK dedicated cluster: "可包含数字、汉字、英文字符或短划线（-）": digits, Chinese
 * characters, English letters and "-".
 */
const NAME_CHAR = /^[0-9A-Za-z\p{Script=Han}-]$/u;

/** Why `name` is not a valid cluster / node-pool name, or [] when it is. */
export function nameProblems(name: string): string[] {
  const problems: string[] = [];
  const length = charLength(name);
  if (length < 1) problems.push("is empty (1 to 63 characters)");
  else if (length > MAX_NAME_LENGTH) problems.push(`is ${length} characters (1 to ${MAX_NAME_LENGTH})`);
  const bad = [...new Set([...name].filter((c) => !NAME_CHAR.test(c)))];
  if (bad.length > 0) {
    problems.push(
      `contains ${bad.map((c) => JSON.stringify(c)).join(", ")} (only digits, Chinese characters, English letters and "-")`,
    );
  }
  return problems;
}

/**
 * `cluster/name`: cluster and node-pool names are 1-63 characters of digits, Chinese
 * characters, English letters and "-" (ACK docs: Create a cluster; Create an ACK dedicated cluster).
 */
export function checkName(facts: ClusterFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const one = (kind: "cluster" | "node pool", f: NodePoolNameFacts) => {
    if (f.name === undefined) return;
    const problems = nameProblems(f.name);
    if (problems.length === 0) return;
    out.push(
      diagnostic("cluster/name", {
        resource: f.resource,
        path: factPath(f, "name"),
        production: facts.production,
        message: `${kind} name ${JSON.stringify(f.name)} ${problems.join(" and ")} (002:${kind === "cluster" ? "3980" : "4316"})`,
      }),
    );
  };
  one("cluster", facts);
  for (const pool of facts.nodePools ?? []) one("node pool", pool);
  return out;
}

// ---------------------------------------------------------------------------------------------
// cluster/tags
// ---------------------------------------------------------------------------------------------

export interface TagLimits {
  maxTags: number;
  maxKeyLength: number;
  maxValueLength: number;
  /** Case-insensitive prefixes a key must not start with. */
  reservedKeyPrefixes: readonly string[];
  /** Case-insensitive prefixes a value must not start with. */
  reservedValuePrefixes: readonly string[];
  source: string;
}

/**
 * ACK docs: Create an ACK dedicated cluster: keys required, not starting with aliyun, http://, https:// (case
 * insensitive), ≤ 64 characters; values may be empty, not http:// or https://, ≤ 128
 * characters; a resource with 20 tags takes no more.
 */
export const ALICLOUD_TAG_LIMITS: TagLimits = {
  maxTags: 20,
  maxKeyLength: 64,
  maxValueLength: 128,
  reservedKeyPrefixes: ["aliyun", "http://", "https://"],
  reservedValuePrefixes: ["http://", "https://"],
  source: "ACK docs: Create an ACK dedicated cluster",
};

/**
 * AWS resource tags (not in the ACK or ACP docs; AWS General Reference "Tagging your AWS resources"):
 * ≤ 50 user tags, keys ≤ 128, values ≤ 256 characters, the `aws:` prefix is reserved.
 */
export const AWS_TAG_LIMITS: TagLimits = {
  maxTags: 50,
  maxKeyLength: 128,
  maxValueLength: 256,
  reservedKeyPrefixes: ["aws:"],
  reservedValuePrefixes: [],
  source: "AWS tagging limits",
};

/** `cluster/tags`: tag count, key and value lengths and reserved prefixes (ACK docs: Create an ACK dedicated cluster). */
export function checkTags(facts: ClusterFacts): Diagnostic[] {
  const tags = facts.tags;
  if (tags === undefined) return [];
  const limits = facts.cloud === "aws" ? AWS_TAG_LIMITS : ALICLOUD_TAG_LIMITS;
  const who = subject("cluster", facts.name);
  const tagsPath = factPath(facts, "tags");
  const out: Diagnostic[] = [];
  const emit = (path: string, message: string) =>
    out.push(
      diagnostic("cluster/tags", {
        resource: facts.resource,
        path,
        production: facts.production,
        message: `${message}${who} (${limits.source})`,
      }),
    );
  const keys = Object.keys(tags);
  if (keys.length > limits.maxTags) {
    emit(tagsPath, `${keys.length} tags: at most ${limits.maxTags} tags on a resource`);
  }
  const startsWith = (text: string, prefixes: readonly string[]) =>
    prefixes.find((p) => text.toLowerCase().startsWith(p));
  for (const key of keys) {
    const path = joinPath(tagsPath, key);
    const problems: string[] = [];
    if (key === "") problems.push("tag key is empty (a key is required)");
    const keyLength = charLength(key);
    if (keyLength > limits.maxKeyLength) {
      problems.push(`tag key ${JSON.stringify(key)} is ${keyLength} characters (max ${limits.maxKeyLength})`);
    }
    const badKeyPrefix = startsWith(key, limits.reservedKeyPrefixes);
    if (badKeyPrefix !== undefined) {
      problems.push(`tag key ${JSON.stringify(key)} starts with reserved ${JSON.stringify(badKeyPrefix)}`);
    }
    const value = tags[key];
    if (value !== undefined) {
      const valueLength = charLength(value);
      if (valueLength > limits.maxValueLength) {
        problems.push(
          `tag ${JSON.stringify(key)} value is ${valueLength} characters (max ${limits.maxValueLength})`,
        );
      }
      const badValuePrefix = startsWith(value, limits.reservedValuePrefixes);
      if (badValuePrefix !== undefined) {
        problems.push(
          `tag ${JSON.stringify(key)} value ${JSON.stringify(value)} starts with reserved ${JSON.stringify(badValuePrefix)}`,
        );
      }
    }
    if (problems.length > 0) emit(path, problems.join("; "));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// All cluster rules
// ---------------------------------------------------------------------------------------------

/** The rules over one cluster's facts (the version rules take version facts: version.ts). */
export type ClusterRuleId = Exclude<
  Extract<RuleId, `cluster/${string}`>,
  "cluster/version-supported" | "cluster/version-skew" | "cluster/upgrade-snapshot"
>;

/** Rule id → check; the policy pack turns each entry into a policy named by the id. */
export const clusterRules: Record<ClusterRuleId, (facts: ClusterFacts) => Diagnostic[]> = {
  "cluster/control-plane-count": checkControlPlaneCount,
  "cluster/zones": checkZones,
  "cluster/name": checkName,
  "cluster/tags": checkTags,
};

/** Every cluster rule over one cluster's facts. */
export function checkCluster(facts: ClusterFacts): Diagnostic[] {
  return Object.values(clusterRules).flatMap((rule) => rule(facts));
}
