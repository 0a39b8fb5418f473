/**
 * Security rules (RULES.md "Security and access"): deletion protection, secrets encryption,
 * the public API server endpoint, and secret outputs. Pure functions over cloud-agnostic
 * facts, shared by the components, the offline preview and the CrossGuard policy pack.
 *
 * `security/deletion-protection`, `security/secrets-encryption` and `security/public-api-server`
 * are "mandatory in production": mandatory when `production` is true, advisory elsewhere.
 * Every fact is optional; `undefined` means unknown and never yields a diagnostic.
 */
import { parseCidr } from "../cidr";
import { type Diagnostic, diagnostic, type RuleId } from "../diagnostic";
import { type FactsBase, type FieldPaths, factPath } from "./cluster";

/** `production cluster "prod"`, `cluster "dev"`, `load balancer`: the subject of a message. */
function label(kind: string, name: string | undefined, production: boolean | undefined): string {
  const env = production === true ? "production " : "";
  return name === undefined ? `${env}${kind}` : `${env}${kind} ${JSON.stringify(name)}`;
}

/** A load balancer that belongs to a cluster (API server, ingress, or a LoadBalancer Service). */
export interface LoadBalancerProtectionFacts extends FactsBase {
  /** Logical name / id of the load balancer, for the message. */
  name?: string;
  /** Defaults to the enclosing SecurityFacts' `production`. */
  production?: boolean;
  /**
   * Deletion protection is on. ACK SLB: `deleteProtection === "on"`; NLB:
   * `deletionProtectionEnabled`; a Service-created SLB: annotation
   * `service.beta.kubernetes.io/alibaba-cloud-loadbalancer-delete-protection` (default "on",
   * ACK docs: Configure a Classic Load Balancer by using annotations); AWS `aws.lb.LoadBalancer`: `enableDeletionProtection`.
   */
  deletionProtection?: boolean;
  /** The program marks the resource `protect: true` (policy pack: `opts.protect`). */
  protect?: boolean;
  fieldPaths?: FieldPaths<LoadBalancerProtectionFacts>;
}

/** One output of the program (a component output or a stack export). */
export interface OutputFacts extends FactsBase {
  /** Output name, e.g. `kubeconfig`, `clientKey`, `cluster.adminToken`. */
  name: string;
  /** The value is a secret (`pulumi.isSecret`, or listed in `additionalSecretOutputs`). */
  secret?: boolean;
  /**
   * Overrides the name heuristic: true for a sensitive value whose name does not say so,
   * false for a name that looks sensitive but is not (e.g. a token's expiry).
   */
  sensitive?: boolean;
}

export interface SecurityFacts extends FactsBase {
  /** The environment is production; turns the mandatory-in-production rules mandatory. */
  production?: boolean;
  /** Cluster name, for messages. ACK ManagedKubernetes `name`; EKS Cluster `name`. */
  name?: string;
  /**
   * ACK edition: `pro` (ManagedKubernetes `clusterSpec` `ack.pro.*`) or `standard`
   * (`ack.standard`). EKS: leave undefined.
   */
  edition?: string;
  /** ACK: ManagedKubernetes `deletionProtection`; EKS: Cluster `deletionProtection`. */
  deletionProtection?: boolean;
  /** The program marks the cluster `protect: true` (policy pack: `opts.protect`). */
  protect?: boolean;
  /**
   * Kubernetes Secrets are encrypted with a KMS key. ACK: `encryptionProviderKey` set and
   * `disableEncryption` not true; EKS: `encryptionConfig` present with `resources` holding
   * `"secrets"`.
   */
  secretsEncrypted?: boolean;
  /** The KMS key (ACK `encryptionProviderKey`; EKS `encryptionConfig.provider.keyArn`), for messages. */
  secretsEncryptionKey?: string;
  /**
   * The API server has a public endpoint. ACK: `slbInternetEnabled` (default true);
   * EKS: `vpcConfig.endpointPublicAccess` (default true).
   */
  publicEndpoint?: boolean;
  /**
   * Source ranges allowed to reach the public endpoint; `[]`: no allow-list. EKS:
   * `vpcConfig.publicAccessCidrs` (default `["0.0.0.0/0"]`); ACK: the allow-list (ACL) on the
   * API server SLB listener. An `undefined` element is unknown.
   */
  publicAccessCidrs?: (string | undefined)[];
  /** The cluster's load balancers (API server, ingress, LoadBalancer Services). */
  loadBalancers?: LoadBalancerProtectionFacts[];
  /** The outputs the program (component or stack) exports. */
  outputs?: OutputFacts[];
  fieldPaths?: FieldPaths<SecurityFacts>;
}

// ---------------------------------------------------------------------------------------------
// security/deletion-protection
// ---------------------------------------------------------------------------------------------

/**
 * `security/deletion-protection`: clusters (ACK docs: Create an ACK dedicated cluster)
 * and their load balancers (ACK docs: Configure a Classic Load Balancer by using annotations, annotation `…-loadbalancer-delete-protection: on`)
 * have deletion protection on, and the program marks them `protect` so `pulumi destroy` or a
 * replacement cannot delete them either.
 */
export function checkDeletionProtection(facts: SecurityFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (
    kind: "cluster" | "load balancer",
    f: {
      resource: string;
      production?: boolean;
      name?: string;
      deletionProtection?: boolean;
      protect?: boolean;
    },
    paths: { deletionProtection: string; protect: string },
  ) => {
    const production = f.production ?? facts.production;
    const who = label(kind, f.name, production);
    if (f.deletionProtection === false) {
      out.push(
        diagnostic("security/deletion-protection", {
          resource: f.resource,
          path: paths.deletionProtection,
          production,
          message: `${who}: deletionProtection false; set ${paths.deletionProtection}: true${paths.deletionProtection.endsWith("security.deletionProtection") ? "" : " (a kubeplat Platform: clusters[].security.deletionProtection)"} (${kind === "cluster" ? "ACK docs: Create an ACK dedicated cluster" : "ACK docs: Configure a Classic Load Balancer by using annotations"})`,
        }),
      );
    }
    if (f.protect === false) {
      out.push(
        diagnostic("security/deletion-protection", {
          resource: f.resource,
          path: paths.protect,
          production,
          message: `${who}: protect false; mark the resource protect: true so the program never deletes or replaces it (a kubeplat Platform protects a cluster whose clusters[].security.deletionProtection is true)`,
        }),
      );
    }
  };
  check("cluster", facts, {
    deletionProtection: factPath(facts, "deletionProtection"),
    protect: factPath(facts, "protect"),
  });
  for (const lb of facts.loadBalancers ?? []) {
    check("load balancer", lb, {
      deletionProtection: factPath(lb, "deletionProtection"),
      protect: factPath(lb, "protect"),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// security/secrets-encryption
// ---------------------------------------------------------------------------------------------

/**
 * `security/secrets-encryption`: Kubernetes Secrets are encrypted at rest with a KMS key. On ACK
 * only Pro clusters can (ACK docs: Create an ACK Pro cluster "在ACK Pro托管集群中，选中选择KMS密钥…加密Kubernetes
 * Secret"; ACK docs: Use KMS to encrypt Kubernetes Secrets envelope encryption with a KMS key); on EKS, `encryptionConfig`.
 */
export function checkSecretsEncryption(facts: SecurityFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const who = label("cluster", facts.name, facts.production);
  if (facts.edition === "standard") {
    out.push(
      diagnostic("security/secrets-encryption", {
        resource: facts.resource,
        path: factPath(facts, "edition"),
        production: facts.production,
        message: `${who}: edition standard cannot encrypt Secrets with a KMS key: only ACK Pro can (ACK docs: Create an ACK Pro cluster)`,
      }),
    );
  }
  if (facts.secretsEncrypted === false) {
    out.push(
      diagnostic("security/secrets-encryption", {
        resource: facts.resource,
        path: factPath(facts, "secretsEncrypted"),
        production: facts.production,
        message: `${who}: Kubernetes Secrets are not encrypted with a KMS key (ACK Pro: encryptionProviderKey; EKS: encryptionConfig with resources ["secrets"]) (ACK docs: Use KMS to encrypt Kubernetes Secrets)`,
      }),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// security/public-api-server
// ---------------------------------------------------------------------------------------------

/** A known CIDR that admits every address (`0.0.0.0/0`, `::/0`). */
export function isOpenCidr(text: string): boolean {
  const p = parseCidr(text);
  return p.ok && p.cidr.prefix === 0;
}

/**
 * `security/public-api-server`: the API server has no public endpoint (ACK exposes it through an
 * EIP/internet SLB, ACK docs: Create an ACK dedicated cluster), or a public one restricted by an allow-list
 * (ACK docs: Configure access control policies for the API server: the API server SLB's access control list).
 */
export function checkPublicApiServer(facts: SecurityFacts): Diagnostic[] {
  if (facts.publicEndpoint !== true) return [];
  const cidrs = facts.publicAccessCidrs;
  if (cidrs === undefined) return [];
  const who = label("cluster", facts.name, facts.production);
  const emit = (message: string) => [
    diagnostic("security/public-api-server", {
      resource: facts.resource,
      path: factPath(facts, "publicAccessCidrs"),
      production: facts.production,
      message,
    }),
  ];
  if (cidrs.length === 0) {
    return emit(
      `${who}: public API server endpoint with no allow-list; disable the public endpoint or restrict it to known ranges (ACK docs: Create an ACK dedicated cluster; Configure access control policies for the API server)`,
    );
  }
  const open = cidrs.filter((c): c is string => c !== undefined && isOpenCidr(c));
  if (open.length > 0) {
    return emit(
      `${who}: public API server endpoint open to ${open.join(", ")} (publicAccessCidrs [${cidrs.map((c) => c ?? "(unknown)").join(", ")}]); restrict it to known ranges (ACK docs: Create an ACK dedicated cluster; Configure access control policies for the API server)`,
    );
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// security/secret-outputs
// ---------------------------------------------------------------------------------------------

/** Words that make an output name sensitive on their own. */
const SENSITIVE_WORDS = new Set([
  "kubeconfig",
  "kubeconfigs",
  "token",
  "tokens",
  "password",
  "passwords",
  "passwd",
  "secret",
  "secrets",
  "credential",
  "credentials",
  "privatekey",
  "apikey",
]);
/** Words that make a following `key` sensitive (`clientKey`, `privateKey`, `secretAccessKey`). */
const KEY_QUALIFIERS = new Set(["private", "client", "access", "secret", "api", "signing", "ssh"]);
/** A last word that names a reference to the secret, not the secret itself (`kmsKeyId`, `secretName`). */
const REFERENCE_SUFFIXES = new Set([
  "name",
  "names",
  "id",
  "ids",
  "arn",
  "arns",
  "ref",
  "type",
  "path",
  "url",
  "uri",
  "endpoint",
  "issuer",
  "audience",
  "audiences",
  "expiry",
  "expiration",
  "ttl",
  "version",
  "count",
  "enabled",
  "length",
  "fingerprint",
]);

/** Split an output name into lowercase words: `adminKubeconfig` → [admin, kubeconfig]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
}

/** Why an output name looks sensitive (`"kubeconfig"`, `"client key"`), or undefined. */
export function sensitiveReason(name: string): string | undefined {
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (last === undefined || REFERENCE_SUFFIXES.has(last)) return undefined;
  const strong = words.find((w) => SENSITIVE_WORDS.has(w));
  if (strong !== undefined) return strong;
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    const before = words[i - 1];
    if ((w === "key" || w === "keys") && before !== undefined && KEY_QUALIFIERS.has(before)) {
      return `${before} ${w}`;
    }
  }
  return undefined;
}

/**
 * `security/secret-outputs`: kubeconfigs, tokens and keys leave the program only as secret
 * outputs. Flags every output whose name (or `sensitive` hint) says it is sensitive and whose
 * `secret` is known to be false.
 */
export function checkSecretOutputs(facts: SecurityFacts): Diagnostic[] {
  return findPlainSensitiveOutputs(facts.outputs ?? []);
}

/** The same check over a bare list of outputs (the offline preview, a component's tests). */
export function findPlainSensitiveOutputs(outputs: readonly OutputFacts[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const o of outputs) {
    if (o.secret !== false) continue;
    if (o.sensitive === false) continue;
    const reason = sensitiveReason(o.name) ?? (o.sensitive === true ? "marked sensitive" : undefined);
    if (reason === undefined) continue;
    out.push(
      diagnostic("security/secret-outputs", {
        resource: o.resource,
        path: o.path,
        message: `output ${JSON.stringify(o.name)} (${reason}) is not a secret: wrap it in pulumi.secret() or list it in additionalSecretOutputs`,
      }),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// All security rules
// ---------------------------------------------------------------------------------------------

export type SecurityRuleId = Extract<
  RuleId,
  | "security/deletion-protection"
  | "security/secrets-encryption"
  | "security/public-api-server"
  | "security/secret-outputs"
>;

/** Rule id → check; the policy pack turns each entry into a policy named by the id. */
export const securityRules: Record<SecurityRuleId, (facts: SecurityFacts) => Diagnostic[]> = {
  "security/deletion-protection": checkDeletionProtection,
  "security/secrets-encryption": checkSecretsEncryption,
  "security/public-api-server": checkPublicApiServer,
  "security/secret-outputs": checkSecretOutputs,
};

/** Every security rule of this module over one subject's facts. */
export function checkSecurity(facts: SecurityFacts): Diagnostic[] {
  return Object.values(securityRules).flatMap((rule) => rule(facts));
}
