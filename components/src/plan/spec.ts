/**
 * The environment spec: one typed document per environment (dev, staging, prod, ...), read
 * from `stacks/Pulumi.<env>.yaml` (`platform:environment`). Parsing validates the shape with
 * zod and reports every problem at once with its path; the rules of RULES.md (CIDRs, quotas,
 * names) run afterwards on the parsed spec and its plan.
 */
import { z } from "zod";
import { type Diagnostic, SPEC_SCHEMA } from "./diagnostic";
import { type Cni, defaultCni, type Environment, resolveEnvironment } from "./resolve";

const name = z.string().describe("A logical name: lowercase letters, digits and '-'.");
const cidrText = z.string().describe("A CIDR block such as 10.0.0.0/16 (validated by cidr/invalid).");

/**
 * The Flannel node CIDR masks ACK offers: /24 to /28, i.e. 256 to 16 pod addresses per node
 * (ACK docs: "Plan the network of an ACK cluster", pods per node). The spec and AckCluster
 * both check against this one range.
 */
export const FLANNEL_NODE_CIDR_MASK = { min: 24, max: 28 } as const;

export const CONNECTED_KINDS = ["peer-vpc", "cen", "vpn", "leased-line", "other"] as const;

export const ConnectedRangeSchema = z.strictObject({
  name: name.describe("What the range is, e.g. 'office-vpn' or 'idc-beijing'."),
  cidr: cidrText,
  kind: z.enum(CONNECTED_KINDS).default("other"),
});

export const ExistingVSwitchSchema = z.strictObject({
  id: z.string().describe("The existing vSwitch (subnet) id."),
  zone: z.string(),
  cidr: cidrText,
  role: z.enum(["node", "pod", "public"]).describe("What the planner would have used the vSwitch for."),
  cluster: name.optional().describe("The cluster that uses it; omitted: every cluster of the VPC."),
});

export const LayoutSchema = z
  .strictObject({
    clusterPrefix: z
      .number()
      .int()
      .optional()
      .describe("Prefix of one cluster's slot. Default: VPC prefix + 2 (4 slots)."),
    zonePrefix: z
      .number()
      .int()
      .optional()
      .describe("Prefix of one zone's slot in a cluster slot. Default: cluster prefix + 2 (4 zones)."),
    podPrefix: z.number().int().optional().describe("Terway pod vSwitch prefix. Default: zone prefix + 1."),
    nodePrefix: z
      .number()
      .int()
      .optional()
      .describe("Node vSwitch (subnet) prefix. Default: zone prefix + 2."),
    publicPrefix: z
      .number()
      .int()
      .optional()
      .describe("Public subnet prefix (AWS). Default: zone prefix + 3."),
  })
  .describe("Fixed-slot address layout. Changing it on a live environment renumbers everything.");

export const VpcSchema = z.strictObject({
  id: z.string().optional().describe("Adopt an existing VPC instead of creating one."),
  cidr: cidrText.describe("The primary CIDR."),
  secondaryCidrs: z.array(cidrText).default([]),
  shared: z
    .boolean()
    .default(false)
    .describe("A shared VPC (resource directory sharing): clusters must use Terway."),
  existingVSwitches: z.array(ExistingVSwitchSchema).default([]),
  layout: LayoutSchema.default({}),
  routeEntryQuota: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("Raised VPC route-entry quota (default 48)."),
});

export const NodePoolSchema = z.strictObject({
  name,
  minSize: z.number().int().nonnegative(),
  maxSize: z.number().int().nonnegative(),
  desiredSize: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe("Fixed-size pools; ignored on update when autoscaling."),
  autoscaling: z.boolean().default(false),
  instanceTypes: z.array(z.string()).min(1),
  vcpu: z.number().positive().default(4).describe("vCPUs per instance (for quota and budget arithmetic)."),
  memoryGiB: z.number().positive().default(16).describe("Memory per instance in GiB."),
  zones: z
    .array(z.string())
    .optional()
    .describe("Zones the pool spreads over; default every zone of its cluster."),
  image: z
    .enum(["containeros", "alinux", "bottlerocket", "ostree", "custom"])
    .optional()
    .describe("Node OS family. Default: ContainerOS on ACK Pro, Bottlerocket on EKS."),
  runtime: z.enum(["containerd", "docker"]).default("containerd"),
  loginKeyPair: z.string().optional().describe("The key pair nodes log in with (node/login)."),
  securityGroups: z.array(z.string()).default([]),
  labels: z.record(z.string(), z.string()).default({}),
  taints: z
    .array(
      z.strictObject({
        key: z.string(),
        value: z.string().default(""),
        effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
      }),
    )
    .default([]),
  maxPods: z.number().int().positive().optional(),
  default: z.boolean().default(false).describe("The cluster's default pool (node/autoscaling-default-pool)."),
});

export const ClusterSecuritySchema = z.strictObject({
  deletionProtection: z
    .boolean()
    .optional()
    .describe("Default: on in production (security/deletion-protection)."),
  secretsEncryption: z
    .boolean()
    .optional()
    .describe("Encrypt Secrets with a KMS key. Default: on in production (security/secrets-encryption)."),
  kmsKeyId: z.string().optional().describe("An existing KMS key; default: the component creates one."),
});

export const ApiServerSchema = z.strictObject({
  public: z.boolean().default(false).describe("Give the API server a public endpoint (EIP / public access)."),
  allowList: z.array(cidrText).default([]).describe("Source ranges allowed to reach a public endpoint."),
});

export const INGRESS_KIND_NAMES = ["nginx", "alb", "aws-lb-controller"] as const;

export const IngressSchema = z.strictObject({
  name,
  kind: z.enum(INGRESS_KIND_NAMES),
  className: z.string().optional().describe("IngressClass name; default: the kind's own (nginx, alb)."),
  default: z.boolean().default(false).describe("Mark the IngressClass as the cluster default."),
  replicas: z.number().int().positive().optional().describe("Controller replicas. Default 2."),
  addressType: z.enum(["internet", "intranet"]).default("internet"),
  loadBalancerSpec: z.string().optional().describe("CLB spec such as slb.s2.small."),
});

export const ClusterSchema = z.strictObject({
  name,
  slot: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe(
      "Address slot in the VPC; default: the cluster's position. Pin it before removing an earlier cluster.",
    ),
  edition: z.enum(["pro", "standard"]).default("pro"),
  kubernetesVersion: z
    .string()
    .optional()
    .describe(
      "Kubernetes version: ACK `x.y.z-aliyun.n`, EKS `major.minor`. Default: the cloud's newest version in standard support (plan/versions.ts).",
    ),
  cni: z
    .enum(["terway", "flannel", "vpc-cni"])
    .optional()
    .describe("Default: terway on alicloud, vpc-cni on aws."),
  ipStack: z.enum(["ipv4", "dual"]).default("ipv4"),
  zones: z.array(z.string()).optional().describe("Zones the cluster spans; default the environment's zones."),
  podCidr: cidrText.optional().describe("Flannel pod CIDR; chosen by the planner when omitted. Immutable."),
  nodeCidrMask: z
    .number()
    .int()
    .min(FLANNEL_NODE_CIDR_MASK.min)
    .max(FLANNEL_NODE_CIDR_MASK.max)
    .default(26)
    .describe("Flannel per-node pod range prefix, 24–28 (256 to 16 pod addresses per node)."),
  serviceCidr: cidrText.optional().describe("Chosen by the planner when omitted. Immutable."),
  ipv6ServiceCidr: cidrText.optional(),
  maxPodsPerNode: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("Default 64 (Terway / VPC CNI); Flannel: 2^(32 - nodeCidrMask)."),
  nodePools: z.array(NodePoolSchema).default([]),
  security: ClusterSecuritySchema.default({}),
  apiServer: ApiServerSchema.default({ public: false, allowList: [] }),
  ingress: z.array(IngressSchema).default([]),
  storage: z.strictObject({ defaultClass: z.string().optional() }).default({}),
  tags: z.record(z.string(), z.string()).default({}),
});

const quantityMap = z
  .record(z.string(), z.string())
  .describe("Kubernetes quantities by resource, e.g. {requests.cpu: '4'}.");

export const TenantNamespaceSchema = z.strictObject({
  name: name.describe("Namespace name; the project name is prefixed when missing."),
  cluster: name,
  quota: quantityMap.default({}),
  limitRange: z
    .strictObject({
      defaultRequest: quantityMap.optional(),
      default: quantityMap.optional(),
      max: quantityMap.optional(),
      min: quantityMap.optional(),
    })
    .optional(),
  podSecurity: z
    .enum(["baseline", "restricted", "privileged"])
    .optional()
    .describe("Default: restricted in production, baseline elsewhere."),
  defaultDenyNetworkPolicy: z
    .boolean()
    .optional()
    .describe("Default: on where the CNI enforces NetworkPolicy (Terway, VPC CNI)."),
});

export const TenantProjectSchema = z.strictObject({
  name,
  clusters: z.array(
    z.strictObject({
      name,
      quota: quantityMap.default({}),
      storageClasses: z.array(z.string()).default([]),
    }),
  ),
  namespaces: z.array(TenantNamespaceSchema).default([]),
});

/**
 * The platform's roles, defined once: the four predefined access levels of ACK's authorization
 * page and the four project roles (kubernetes/rbacRoles.ts gives each its ClusterRole). On EKS
 * the predefined ones map onto EKS access policies; the project roles have no access policy and
 * reach the cluster as the grant's Kubernetes group, bound by PlatformRbac (aws/accessEntries.ts).
 */
export const PREDEFINED_ROLES = ["admin", "ops", "dev", "restricted"] as const;
export const PROJECT_ROLES = ["project-admin", "namespace-admin", "developer", "auditor"] as const;
export const PLATFORM_ROLES = [...PREDEFINED_ROLES, ...PROJECT_ROLES] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export const AccessSchema = z.strictObject({
  breakGlassGroups: z
    .array(z.string())
    .default([])
    .describe("The only groups that may be bound to cluster-admin."),
  grants: z
    .array(
      z.strictObject({
        group: z.string().describe("Identity-provider group (Kubernetes group)."),
        role: z.enum(PLATFORM_ROLES),
        clusters: z.array(name).optional().describe("Default: every cluster."),
        namespaces: z.array(z.string()).optional().describe("Namespace-scoped grant; default cluster-wide."),
        principalArn: z
          .string()
          .optional()
          .describe("AWS: the IAM principal mapped to this group by an EKS access entry."),
      }),
    )
    .default([]),
});

export const QuotasSchema = z
  .strictObject({
    clusterNodes: z.number().int().positive().optional(),
    nodePoolsPerCluster: z.number().int().positive().optional(),
    nodesPerPool: z.number().int().positive().optional(),
    scaleStep: z.number().int().positive().optional(),
    routeEntries: z.number().int().positive().optional(),
    loadBalancers: z.number().int().positive().optional(),
    listenersPerLoadBalancer: z.number().int().positive().optional(),
    backendsPerLoadBalancer: z.number().int().positive().optional(),
    eips: z.number().int().positive().optional(),
    securityGroups: z.number().int().positive().optional(),
    autoscalingVcpu: z.number().int().positive().optional(),
  })
  .describe("Quotas raised above the documented defaults (RULES.md), e.g. after a support ticket.");

export const BudgetSchema = z.strictObject({
  clusters: z.number().int().nonnegative().optional(),
  nodes: z.number().int().nonnegative().optional(),
  vcpu: z.number().nonnegative().optional(),
  memoryGiB: z.number().nonnegative().optional(),
  loadBalancers: z.number().int().nonnegative().optional(),
});

export const EnvironmentSchema = z.strictObject({
  name,
  cloud: z.enum(["alicloud", "aws"]),
  region: z.string(),
  production: z.boolean().default(false),
  zones: z
    .array(z.string())
    .min(1)
    .describe("Zones in slot order: append new zones at the end, never reorder."),
  vpc: VpcSchema,
  connectedRanges: z.array(ConnectedRangeSchema).default([]),
  clusters: z.array(ClusterSchema).default([]),
  quotas: QuotasSchema.default({}),
  budget: BudgetSchema.default({}),
  tenancy: z.strictObject({ projects: z.array(TenantProjectSchema).default([]) }).default({ projects: [] }),
  access: AccessSchema.default({ breakGlassGroups: [], grants: [] }),
  tags: z.record(z.string(), z.string()).default({}),
});

/** The spec as written (defaults optional). */
export type EnvironmentInput = z.input<typeof EnvironmentSchema>;
/** The spec after zod's parse, before the cloud- and production-dependent defaults. */
export type ParsedEnvironment = z.output<typeof EnvironmentSchema>;
/** The spec after parsing and `resolveEnvironment`: every default decided (see resolve.ts). */
export type {
  ClusterSpec,
  Cni,
  Environment,
  IngressSpec,
  NodePoolSpec,
  TenantProjectSpec,
} from "./resolve";
export type VpcSpec = z.output<typeof VpcSchema>;
export type ConnectedRange = z.output<typeof ConnectedRangeSchema>;
export type Quotas = z.output<typeof QuotasSchema>;
export type Budget = z.output<typeof BudgetSchema>;
export type AccessSpec = z.output<typeof AccessSchema>;

export type SpecParse = { ok: true; env: Environment } | { ok: false; diagnostics: Diagnostic[] };

/** Render a zod path as `clusters[0].nodePools[1].maxSize`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out || "(root)";
}

/** Parse and shape-check a spec. Every problem is reported, each with its path. */
export function parseEnvironment(input: unknown, source = "environment"): SpecParse {
  const r = EnvironmentSchema.safeParse(input);
  if (r.success) return { ok: true, env: resolveEnvironment(r.data) };
  return {
    ok: false,
    diagnostics: r.error.issues.map((issue) => ({
      rule: SPEC_SCHEMA,
      severity: "mandatory" as const,
      resource: source,
      path: formatPath(issue.path),
      message: withValue(issue.message, valueAt(input, issue.path)),
    })),
  };
}

/** The value at a zod issue's path in the raw input. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** zod names what it expected; name what the spec holds too (`maxSize -1`, `cloud "gcp"`). */
function withValue(message: string, value: unknown): string {
  if (value === undefined || (typeof value === "object" && value !== null)) return message;
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return `${message} (got ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
}

/** The CNI a cluster runs, with the cloud's default applied (resolved specs carry it already). */
export function cniOf(env: Pick<Environment, "cloud">, cluster: { cni?: Cni }): Cni {
  return cluster.cni ?? defaultCni(env.cloud);
}

/** The zones a cluster spans, in environment slot order. */
export function clusterZones(env: Pick<Environment, "zones">, cluster: { zones?: string[] }): string[] {
  const wanted = cluster.zones ?? env.zones;
  return env.zones.filter((z) => wanted.includes(z));
}
