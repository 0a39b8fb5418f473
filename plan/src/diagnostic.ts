/**
 * Diagnostics: the one shape every check of the project reports in (component constructors,
 * the offline preview, the CrossGuard pack). The catalogue below holds every rule id and its
 * default severity; `ruleDocs.ts` documents each id (what it checks, why, the public source, the
 * fix), and `docs/RULES.md` is generated from both (`npm run gen:docs`).
 */

export type Severity = "mandatory" | "advisory";

/** Where an id's severity depends on the environment (production or not). */
type SeverityRule = Severity | "mandatory-in-production";

export const RULES = {
  // Addressing
  "cidr/invalid": { severity: "mandatory" },
  "cidr/vpc-reserved-range": { severity: "mandatory" },
  "cidr/vswitch-outside-vpc": { severity: "mandatory" },
  "cidr/vswitch-overlap": { severity: "mandatory" },
  "cidr/pod-overlaps-vpc": { severity: "mandatory" },
  "cidr/service-overlaps-vpc": { severity: "mandatory" },
  "cidr/pod-overlaps-service": { severity: "mandatory" },
  "cidr/pod-overlaps-cluster": { severity: "mandatory" },
  "cidr/service-shared": { severity: "advisory" },
  "cidr/overlaps-peer": { severity: "mandatory" },
  "cidr/terway-pod-vswitch-small": { severity: "advisory" },
  "cidr/terway-zone-mismatch": { severity: "mandatory" },
  "cidr/shared-vpc-needs-terway": { severity: "mandatory" },
  "cidr/ipv6-service-range": { severity: "mandatory" },
  "cidr/pod-capacity": { severity: "mandatory" },
  "cidr/kubeovn-join-overlap": { severity: "mandatory" },
  "cidr/api-vip": { severity: "mandatory" },
  "cidr/api-acl-missing-ranges": { severity: "mandatory" },
  "cidr/plan-renumbered": { severity: "mandatory" },
  // Quotas
  "quota/cluster-nodes": { severity: "mandatory" },
  "quota/node-pools-per-cluster": { severity: "mandatory" },
  "quota/nodes-per-pool": { severity: "mandatory" },
  "quota/scale-step": { severity: "mandatory" },
  "quota/flannel-route-entries": { severity: "mandatory" },
  "quota/load-balancers": { severity: "mandatory" },
  "quota/eips": { severity: "mandatory" },
  "quota/node-pool-security-groups": { severity: "mandatory" },
  "quota/autoscaler-instance-types": { severity: "mandatory" },
  "quota/autoscaling-vcpu": { severity: "mandatory" },
  "quota/environment-budget": { severity: "mandatory" },
  "quota/namespace-exceeds-project": { severity: "mandatory" },
  "quota/single-default": { severity: "mandatory" },
  "quota/limitrange-order": { severity: "mandatory" },
  "quota/reserved-name": { severity: "mandatory" },
  "quota/storageclass-not-assigned": { severity: "mandatory" },
  "quota/overcommit-ratio": { severity: "mandatory" },
  // Clusters, nodes and images
  "cluster/control-plane-count": { severity: "mandatory" },
  "cluster/zones": { severity: "mandatory" },
  "cluster/name": { severity: "mandatory" },
  "cluster/tags": { severity: "mandatory" },
  "cluster/version-supported": { severity: "mandatory-in-production" },
  "cluster/version-skew": { severity: "mandatory" },
  "cluster/upgrade-snapshot": { severity: "advisory" },
  "node/containeros-requirements": { severity: "mandatory" },
  "node/login": { severity: "mandatory" },
  "node/max-pods": { severity: "mandatory" },
  "node/eviction-thresholds": { severity: "mandatory" },
  "node/autoscaling-default-pool": { severity: "advisory" },
  "node/pool-size": { severity: "mandatory" },
  "node/immutable-image": { severity: "mandatory-in-production" },
  "node/pool-rotation": { severity: "mandatory" },
  // Ingress and load balancers
  "ingress/alb-vswitches": { severity: "mandatory" },
  "ingress/class-unique": { severity: "mandatory" },
  "ingress/replicas": { severity: "mandatory-in-production" },
  "lb/traffic-policy": { severity: "advisory" },
  "lb/reuse": { severity: "mandatory" },
  // Add-ons
  "addon/required": { severity: "mandatory" },
  // Security and access
  "security/deletion-protection": { severity: "mandatory-in-production" },
  "security/secrets-encryption": { severity: "mandatory-in-production" },
  "security/public-api-server": { severity: "mandatory-in-production" },
  "security/cluster-admin-binding": { severity: "mandatory" },
  "security/rbac-clusterrole": { severity: "mandatory" },
  "security/pod-security": { severity: "mandatory" },
  "security/deployer-access": { severity: "mandatory" },
  "security/secret-outputs": { severity: "mandatory" },
  "security/tenant-role-admin": { severity: "mandatory" },
} as const satisfies Record<string, { severity: SeverityRule }>;

export type RuleId = keyof typeof RULES;

/**
 * Not a catalogue rule: the environment spec does not have the shape the schema describes
 * (a missing field, a wrong type, an unknown key). Reported with the same diagnostic shape.
 */
export const SPEC_SCHEMA = "spec/schema";
export type DiagnosticId = RuleId | typeof SPEC_SCHEMA;

export interface Diagnostic {
  rule: DiagnosticId;
  severity: Severity;
  /** Logical name or URN of the resource (or spec object) the diagnostic concerns. */
  resource: string;
  /** Field path, e.g. `clusters[0].network.podCidr`. */
  path: string;
  /** Names the values in conflict, never just "invalid". */
  message: string;
}

/**
 * Rules whose severity is `mandatory-in-production` are mandatory in a production environment
 * and advisory elsewhere (RULES.md: "mandatory in production"). `node/immutable-image` says so
 * explicitly; the others only bind production and are reported as advisories elsewhere so a
 * dev environment still sees them.
 */
export function severityOf(rule: RuleId, production = false): Severity {
  const s: SeverityRule = RULES[rule].severity;
  if (s === "mandatory-in-production") return production ? "mandatory" : "advisory";
  return s;
}

export interface DiagnosticInput {
  resource: string;
  path: string;
  message: string;
  /** Production environments turn `mandatory-in-production` rules mandatory. */
  production?: boolean;
  /** Override the catalogue severity (policy-pack enforcement overrides). */
  severity?: Severity;
}

export function diagnostic(rule: RuleId, d: DiagnosticInput): Diagnostic {
  return {
    rule,
    severity: d.severity ?? severityOf(rule, d.production),
    resource: d.resource,
    path: d.path,
    message: d.message,
  };
}

export function isMandatory(d: Diagnostic): boolean {
  return d.severity === "mandatory";
}

/** One line per diagnostic: `[mandatory] cidr/vswitch-overlap clusters[0]... (resource): message`. */
export function formatDiagnostic(d: Diagnostic): string {
  return `[${d.severity}] ${d.rule} at ${d.path} (${d.resource}): ${d.message}`;
}

/**
 * The error a component or the spec parser throws before registering anything: every
 * mandatory diagnostic, one per line, each with its rule id, path and conflicting values.
 */
export class PlatformValidationError extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(subject: string, diagnostics: readonly Diagnostic[]) {
    const lines = diagnostics.map((d) => `  - ${formatDiagnostic(d)}`);
    super(`${subject}: ${diagnostics.length} rule violation(s)\n${lines.join("\n")}`);
    this.name = "PlatformValidationError";
    this.diagnostics = diagnostics;
  }
}

/**
 * Throw a PlatformValidationError listing every mandatory diagnostic, if there is one.
 * Returns the advisories so a caller can log them (components pass them to `pulumi.log.warn`).
 */
export function throwIfMandatory(subject: string, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const mandatory = diagnostics.filter(isMandatory);
  if (mandatory.length > 0) throw new PlatformValidationError(subject, mandatory);
  return diagnostics.filter((d) => !isMandatory(d));
}
