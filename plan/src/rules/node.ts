/**
 * Node-pool rules (RULES.md "Clusters, nodes and images"): how nodes log in, autoscaling on
 * the default pool, and the order of a pool's sizes. Pure functions over cloud-agnostic facts, shared by the components, the
 * offline preview and the CrossGuard policy pack. Every fact is optional; `undefined` means
 * unknown and never yields a diagnostic.
 */
import { type Diagnostic, diagnostic, type RuleId } from "../diagnostic";
import { charLength, type FactsBase, type FieldPaths, factPath } from "./cluster";

export interface NodePoolFacts extends FactsBase {
  /** The environment is production (no rule here depends on it; kept for the diagnostic). */
  production?: boolean;
  /** ACK: NodePool `nodePoolName`; EKS: NodeGroup `nodeGroupName`. */
  name?: string;
  /** The pool's cluster, for messages. */
  cluster?: string;
  /**
   * A managed node pool: ACK NodePool `management.enable`. Managed pools log in with key pairs
   * only (ACK docs: Overview of managed node pools). EKS: leave undefined (EKS has no password login).
   */
  managed?: boolean;
  /** Nodes log in with a key pair. ACK: NodePool `keyName` set; EKS: NodeGroup `remoteAccess.ec2SshKey` set. */
  keyPairLogin?: boolean;
  /**
   * Nodes log in with a password. ACK: NodePool `password` or `kmsEncryptedPassword` set;
   * EKS: false. Implied true when `password` is known.
   */
  passwordLogin?: boolean;
  /**
   * The login password in plain text, when known (ACK NodePool `password`; a
   * `kmsEncryptedPassword` cannot be checked). Never echoed in a message.
   */
  password?: string;
  /**
   * The cloud requires a login: ACK node pools need one of `keyName`, `password`,
   * `kmsEncryptedPassword`; EKS node groups do not (`remoteAccess` is optional).
   */
  loginRequired?: boolean;
  /** The cluster's default node pool (spec `nodePools[].default`). */
  default?: boolean;
  /** Autoscaling is on. ACK: NodePool `scalingConfig.enable`; spec `nodePools[].autoscaling`. */
  autoscaling?: boolean;
  /** Fewest nodes. ACK: `scalingConfig.minSize` (autoscaling pools); EKS: `scalingConfig.minSize`. */
  minSize?: number;
  /**
   * The size the program requests: a fixed pool's node count, an autoscaling pool's initial
   * size when given. ACK: `desiredSize`; EKS: `scalingConfig.desiredSize`.
   */
  desiredSize?: number;
  /** Most nodes. ACK: `scalingConfig.maxSize` (autoscaling pools); EKS: `scalingConfig.maxSize`. */
  maxSize?: number;
  fieldPaths?: FieldPaths<NodePoolFacts>;
}

function poolLabel(facts: NodePoolFacts): string {
  const pool = facts.name === undefined ? "node pool" : `node pool ${JSON.stringify(facts.name)}`;
  return facts.cluster === undefined ? pool : `${pool} (cluster ${JSON.stringify(facts.cluster)})`;
}

// ---------------------------------------------------------------------------------------------
// node/login
// ---------------------------------------------------------------------------------------------

/** ACK docs: Create an ACK dedicated cluster: "密码为8~30个字符". */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 30;
/** ACK docs: Create an ACK dedicated cluster: "必须同时包含三项（大写字母、小写字母、数字和特殊符号）". */
export const PASSWORD_MIN_CLASSES = 3;

export type PasswordClass = "uppercase" | "lowercase" | "digit" | "special";

/**
 * The class of one password character; `undefined` for a character of no class. Special
 * symbols are printable ASCII punctuation except `_` (ACK docs: Create an ACK dedicated cluster).
 */
export function passwordClassOf(ch: string): PasswordClass | "underscore" | undefined {
  if (/^[A-Z]$/.test(ch)) return "uppercase";
  if (/^[a-z]$/.test(ch)) return "lowercase";
  if (/^[0-9]$/.test(ch)) return "digit";
  if (ch === "_") return "underscore";
  if (/^[!-/:-@[-`{-~]$/.test(ch)) return "special";
  return undefined;
}

/**
 * Why `password` breaks the node password rule (8-30 characters, at least 3 of uppercase,
 * lowercase, digit, special symbol, no `_`), or [] when it complies. The reasons describe the
 * password (length, classes) and never contain it.
 */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  const chars = [...password];
  const length = charLength(password);
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    problems.push(`is ${length} characters (${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH})`);
  }
  const classes = new Set<PasswordClass>();
  let underscore = false;
  let other = 0;
  for (const ch of chars) {
    const c = passwordClassOf(ch);
    if (c === "underscore") underscore = true;
    else if (c === undefined) other++;
    else classes.add(c);
  }
  const order: PasswordClass[] = ["uppercase", "lowercase", "digit", "special"];
  if (classes.size < PASSWORD_MIN_CLASSES) {
    const has = order.filter((c) => classes.has(c));
    problems.push(
      `has ${classes.size} character class${classes.size === 1 ? "" : "es"} [${has.join(", ")}] (needs ${PASSWORD_MIN_CLASSES} of uppercase, lowercase, digit, special)`,
    );
  }
  if (underscore) problems.push(`contains "_" (not allowed as a special symbol)`);
  if (other > 0) {
    problems.push(`contains ${other} character(s) that are not letters, digits or ASCII special symbols`);
  }
  return problems;
}

/**
 * `node/login`: node pools log in with key pairs; a managed pool accepts only a key pair (ACK docs: Overview of managed node pools); where a password is allowed it is 8-30 characters of 3
 * classes without `_` (ACK docs: Create an ACK dedicated cluster); a pool that needs a login has one.
 */
export function checkLogin(facts: NodePoolFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const who = poolLabel(facts);
  const emit = (field: keyof NodePoolFacts & string, message: string) =>
    out.push(
      diagnostic("node/login", {
        resource: facts.resource,
        path: factPath(facts, field),
        production: facts.production,
        message,
      }),
    );
  const usesPassword = facts.passwordLogin ?? (facts.password !== undefined ? true : undefined);
  if (facts.managed === true && usesPassword === true) {
    emit(
      "passwordLogin",
      `managed ${who} logs in with a password: managed node pools accept only key pairs (ACK docs: Overview of managed node pools); set a key pair`,
    );
  }
  if (facts.password !== undefined) {
    const problems = passwordProblems(facts.password);
    if (problems.length > 0) {
      emit(
        "password",
        `${who} login password ${problems.join("; ")} (ACK docs: Create an ACK dedicated cluster)`,
      );
    }
  }
  if (facts.loginRequired === true && facts.keyPairLogin === false && usesPassword === false) {
    emit(
      "keyPairLogin",
      `${who} has no login: set a key pair (keyPairLogin false, passwordLogin false) (ACK docs: Create an ACK dedicated cluster)`,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// node/autoscaling-default-pool
// ---------------------------------------------------------------------------------------------

/**
 * `node/autoscaling-default-pool` (advisory): the default pool runs system components, so
 * autoscaling it may destabilise the cluster; autoscale a separate pool (ACK docs: Node pool overview
 * "由于默认节点池中安装了部分系统组件，弹性伸缩时可能会造成集群功能的不稳定…建议您另建节点池").
 */
export function checkAutoscalingDefaultPool(facts: NodePoolFacts): Diagnostic[] {
  if (facts.default !== true || facts.autoscaling !== true) return [];
  return [
    diagnostic("node/autoscaling-default-pool", {
      resource: facts.resource,
      path: factPath(facts, "autoscaling"),
      production: facts.production,
      message: `default ${poolLabel(facts)} has autoscaling true: system components run on the default pool and scaling it may destabilise the cluster; autoscale a separate pool (ACK docs: Node pool overview)`,
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// node/pool-size
// ---------------------------------------------------------------------------------------------

/**
 * `node/pool-size`: 0 ≤ minSize ≤ desiredSize ≤ maxSize, for fixed and autoscaling pools alike
 * (a fixed pool registering a desired size outside its own range is refused by EKS and makes
 * every quota sum wrong). Unknown sizes are not judged; a desired size left out is not judged.
 * One diagnostic per pool, at the first size out of order.
 */
export function checkPoolSize(facts: NodePoolFacts): Diagnostic[] {
  const { minSize: min, desiredSize: desired, maxSize: max } = facts;
  const emit = (field: "minSize" | "desiredSize" | "maxSize", why: string) => [
    diagnostic("node/pool-size", {
      resource: facts.resource,
      path: factPath(facts, field),
      production: facts.production,
      message: `${poolLabel(facts)}: ${why}; need 0 ≤ minSize ≤ desiredSize ≤ maxSize`,
    }),
  ];
  if (min !== undefined && min < 0) return emit("minSize", `minSize ${min} is negative`);
  if (min !== undefined && max !== undefined && min > max)
    return emit("minSize", `minSize ${min} > maxSize ${max}`);
  if (desired !== undefined && min !== undefined && desired < min)
    return emit("desiredSize", `desiredSize ${desired} < minSize ${min}`);
  if (desired !== undefined && max !== undefined && desired > max)
    return emit("desiredSize", `desiredSize ${desired} > maxSize ${max}`);
  return [];
}

// ---------------------------------------------------------------------------------------------
// All node rules
// ---------------------------------------------------------------------------------------------

export type NodeRuleId = Extract<RuleId, "node/login" | "node/autoscaling-default-pool" | "node/pool-size">;

/** Rule id → check; the policy pack turns each entry into a policy named by the id. */
export const nodeRules: Record<NodeRuleId, (facts: NodePoolFacts) => Diagnostic[]> = {
  "node/login": checkLogin,
  "node/autoscaling-default-pool": checkAutoscalingDefaultPool,
  "node/pool-size": checkPoolSize,
};

/** Every node rule of this module over one node pool's facts. */
export function checkNodePool(facts: NodePoolFacts): Diagnostic[] {
  return Object.values(nodeRules).flatMap((rule) => rule(facts));
}
