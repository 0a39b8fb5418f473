/**
 * Diagnostics: the one shape every check of the project reports in (component constructors,
 * the offline preview, the CrossGuard pack). The rule ids are those of shared/RULES.md; the
 * catalogue below carries each id's default severity and its source, so a reader can grep an
 * id and land both here and on its implementation.
 */

export type Severity = "mandatory" | "advisory";

/** Where an id's severity depends on the environment (production or not). */
type SeverityRule = Severity | "mandatory-in-production";

export const RULES = {
  // Addressing
  "cidr/invalid": { severity: "mandatory", source: "—" },
  "cidr/vpc-reserved-range": { severity: "mandatory", source: "002:10646–10656" },
  "cidr/vswitch-outside-vpc": { severity: "mandatory", source: "002:10639–10667" },
  "cidr/vswitch-overlap": { severity: "mandatory", source: "002:10639–10667" },
  "cidr/pod-overlaps-vpc": { severity: "mandatory", source: "002:4083–4085, 10776" },
  "cidr/service-overlaps-vpc": { severity: "mandatory", source: "002:4127–4129" },
  "cidr/pod-overlaps-service": { severity: "mandatory", source: "002:4084, 4128" },
  "cidr/pod-overlaps-cluster": { severity: "mandatory", source: "002:10782–10791, 10805–10822" },
  "cidr/service-shared": { severity: "advisory", source: "002:10785" },
  "cidr/overlaps-peer": { severity: "mandatory", source: "002:10805–10826, 11149–11179" },
  "cidr/terway-pod-vswitch-small": { severity: "advisory", source: "002:11066–11067" },
  "cidr/terway-zone-mismatch": { severity: "mandatory", source: "002:4676–4678, 10933" },
  "cidr/shared-vpc-needs-terway": { severity: "mandatory", source: "002:4062" },
  "cidr/ipv6-service-range": { severity: "mandatory", source: "002:4018–4024, 4136" },
  "cidr/pod-capacity": { severity: "mandatory", source: "002:4067–4078, 10735–10768" },
  "cidr/kubeovn-join-overlap": { severity: "mandatory", source: "003:3230–3271" },
  "cidr/api-vip": { severity: "mandatory", source: "003:3186–3189" },
  "cidr/api-acl-missing-ranges": { severity: "mandatory", source: "002:5455–5459" },
  "cidr/plan-renumbered": { severity: "mandatory", source: "stability" },
  // Quotas
  "quota/cluster-nodes": { severity: "mandatory", source: "002:6989–6996" },
  "quota/node-pools-per-cluster": { severity: "mandatory", source: "002:9159" },
  "quota/nodes-per-pool": { severity: "mandatory", source: "002:9159" },
  "quota/scale-step": { severity: "mandatory", source: "002:9376" },
  "quota/flannel-route-entries": { severity: "mandatory", source: "002:3949–3951, 12966–12970" },
  "quota/load-balancers": { severity: "mandatory", source: "002:12977–13000" },
  "quota/eips": { severity: "mandatory", source: "002:3953–3957" },
  "quota/node-pool-security-groups": { severity: "mandatory", source: "002:9323–9327" },
  "quota/autoscaler-instance-types": { severity: "mandatory", source: "002:47842" },
  "quota/autoscaling-vcpu": { severity: "mandatory", source: "002:47549" },
  "quota/environment-budget": { severity: "mandatory", source: "mission" },
  "quota/namespace-exceeds-project": { severity: "mandatory", source: "001:3892–3896, 4322–4324" },
  "quota/single-default": { severity: "mandatory", source: "001:17749–17870" },
  "quota/limitrange-order": { severity: "mandatory", source: "001:4412–4510" },
  "quota/reserved-name": { severity: "mandatory", source: "001:4008–4050, 4388–4404" },
  "quota/storageclass-not-assigned": { severity: "mandatory", source: "001:4339–4343" },
  "quota/overcommit-ratio": { severity: "mandatory", source: "001:4881–4928" },
  // Clusters, nodes and images
  "cluster/control-plane-count": { severity: "mandatory", source: "003:195–196, 232–234" },
  "cluster/zones": { severity: "mandatory", source: "002:4041, 10715–10725" },
  "cluster/name": { severity: "mandatory", source: "002:3980, 4304" },
  "cluster/tags": { severity: "mandatory", source: "002:4221–4230" },
  "node/containeros-requirements": { severity: "mandatory", source: "002:3769–3827, 9917, 9968, 10004" },
  "node/login": { severity: "mandatory", source: "002:4383, 9917" },
  "node/max-pods": { severity: "mandatory", source: "003:3335–3336, 002:10894–10898" },
  "node/eviction-thresholds": { severity: "mandatory", source: "000:1082–1085" },
  "node/autoscaling-default-pool": { severity: "advisory", source: "002:9178" },
  "node/pool-size": { severity: "mandatory", source: "—" },
  "node/immutable-image": {
    severity: "mandatory-in-production",
    source: "003:151, 002:3769–3827, 004:41–44",
  },
  // Ingress and load balancers
  "ingress/alb-vswitches": { severity: "mandatory", source: "002:19100" },
  "ingress/class-unique": { severity: "mandatory", source: "002:18291" },
  "ingress/replicas": { severity: "mandatory-in-production", source: "002:18041, 18112–18116" },
  "lb/traffic-policy": { severity: "advisory", source: "002:12943–12950" },
  "lb/reuse": { severity: "mandatory", source: "002:14804–14830" },
  // Security and access
  "security/deletion-protection": { severity: "mandatory-in-production", source: "002:4264, 13928" },
  "security/secrets-encryption": { severity: "mandatory-in-production", source: "002:7334–7337, 7834–7902" },
  "security/public-api-server": { severity: "mandatory-in-production", source: "002:4148–4151, 5455" },
  "security/cluster-admin-binding": { severity: "mandatory", source: "002:1438" },
  "security/rbac-clusterrole": { severity: "mandatory", source: "002:664, 673–690, 1320, 1366–1383" },
  "security/pod-security": { severity: "mandatory", source: "001:4530–4665" },
  "security/secret-outputs": { severity: "mandatory", source: "—" },
} as const satisfies Record<string, { severity: SeverityRule; source: string }>;

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
