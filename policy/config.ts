/**
 * The pack's configuration: one settings document (raised quotas, budget, connected ranges,
 * break-glass groups, production stacks, ...) whose properties each policy declares in its
 * `configSchema` as far as it reads them. CrossGuard configures policies one by one
 * (`pulumi preview --policy-pack policy --policy-pack-config config.json`, or a policy group's
 * config in Pulumi Cloud), so `packConfig` (policies.ts) writes one settings document out as
 * that per-policy file; every policy reads its part back with `readSettings`.
 *
 * The shapes reuse the environment spec's schemas (spec.ts), so a raised quota or a connected
 * range is written the same way in `Pulumi.<env>.yaml` and in the policy config.
 */
import { BudgetSchema, ConnectedRangeSchema, QuotasSchema } from "@kubeplat/components/plan";
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { z } from "zod";

export const DEFAULT_PRODUCTION_STACKS = ["prod", "production"];
/** ACP puts a tenant namespace in a project with this label (seed 001:5185). */
export const DEFAULT_PROJECT_LABEL = "cpaas.io/project";

const quantityMap = z.record(z.string(), z.string());

export const ProjectQuotaSchema = z.strictObject({
  name: z.string().describe("Project name: the value of the project label on its namespaces."),
  cluster: z
    .string()
    .optional()
    .describe("Name of the Kubernetes provider (the cluster) the quota applies to. Default: every cluster."),
  quota: quantityMap
    .default({})
    .describe('The project\'s quota on that cluster, e.g. {"requests.cpu": "20"}.'),
  storageClasses: z
    .array(z.string())
    .optional()
    .describe("StorageClasses assigned to the project (seed 001:4343). Default: not checked."),
});

export const InstanceTypeSchema = z.strictObject({
  vcpu: z.number().positive(),
  memoryGiB: z.number().positive(),
});

/** Every setting a policy of the pack may read. Each policy's configSchema lists its subset. */
export const SettingsSchema = z.object({
  productionStacks: z
    .array(z.string())
    .default(DEFAULT_PRODUCTION_STACKS)
    .describe(
      'Stack names that count as production: mandatory-in-production rules are mandatory there and advisory elsewhere. Default ["prod", "production"].',
    ),
  quotas: QuotasSchema.default({}).describe(
    "Quotas raised above the documented defaults of RULES.md (e.g. after a support ticket). Default: none raised.",
  ),
  budget: BudgetSchema.default({}).describe(
    "The environment's budget (clusters, nodes, vCPU, memory, load balancers). Default: no budget.",
  ),
  connectedRanges: z
    .array(ConnectedRangeSchema)
    .default([])
    .describe(
      "Ranges reachable from the VPCs (peered VPC, CEN, VPN, leased line) that no VPC, vSwitch, pod or service CIDR may overlap. Default [].",
    ),
  breakGlassGroups: z
    .array(z.string())
    .default([])
    .describe("Identity-provider groups that may be bound to cluster-admin. Default []: nobody."),
  predefinedRoles: z
    .array(z.string())
    .optional()
    .describe(
      "The platform's predefined ClusterRoles (admin, ops, dev, restricted, ...). Default: not checked.",
    ),
  projectLabel: z
    .string()
    .default(DEFAULT_PROJECT_LABEL)
    .describe(
      'Namespace label naming the project that owns a tenant namespace (seed 001:5185). Default "cpaas.io/project".',
    ),
  projects: z
    .array(ProjectQuotaSchema)
    .default([])
    .describe("Projects' quotas per cluster, which their namespaces' quotas must fit in. Default []."),
  instanceTypes: z
    .record(z.string(), InstanceTypeSchema)
    .default({})
    .describe(
      "vCPUs and memory of the instance types node pools use, for the vCPU quota and the budget. Default {}: unknown, not counted.",
    ),
  deployFrom: z
    .enum(["internet", "vpc"])
    .optional()
    .describe(
      "Where `pulumi up` runs: internet (reaches only public API endpoints) or vpc (inside the VPC or a connected network). Default: not judged.",
    ),
  immutableImages: z
    .array(z.string())
    .default([])
    .describe(
      "Custom image ids (ACK imageId, EC2 AMI ids) that are immutable ostree images built by the project. Default [].",
    ),
});

export type SettingsInput = z.input<typeof SettingsSchema>;
export type Settings = z.output<typeof SettingsSchema>;
export type SettingKey = keyof Settings;
export const SETTING_KEYS = Object.keys(SettingsSchema.shape) as SettingKey[];

/** Bad pack configuration: names the policy, the setting and the offending value. */
export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigError";
  }
}

function jsonSchemaOf(key: SettingKey): PolicyConfigJSONSchema {
  const { $schema: _, ...schema } = z.toJSONSchema(SettingsSchema.shape[key], {
    target: "draft-7",
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return schema as PolicyConfigJSONSchema;
}

/** The `configSchema` of a policy that reads `keys`. */
export function configSchemaFor(keys: readonly SettingKey[]): PolicyConfigSchema | undefined {
  if (keys.length === 0) return undefined;
  const properties: Record<string, PolicyConfigJSONSchema> = {};
  for (const k of keys) properties[k] = jsonSchemaOf(k);
  return { properties };
}

const parsed = new Map<string, Settings>();
const parsedByObject = new WeakMap<object, Settings>();

/**
 * The settings a policy received (`args.getConfig()`), defaults applied. Throws a
 * PolicyConfigError naming each bad setting, its path and value.
 */
export function readSettings(raw: unknown, policy = "policy"): Settings {
  if (raw !== null && typeof raw === "object") {
    const hit = parsedByObject.get(raw);
    if (hit) return hit;
    const settings = readSettingsByValue(raw, policy);
    parsedByObject.set(raw, settings);
    return settings;
  }
  return readSettingsByValue(raw, policy);
}

function readSettingsByValue(raw: unknown, policy: string): Settings {
  const key = JSON.stringify(raw ?? {});
  const hit = parsed.get(key);
  if (hit) return hit;
  const r = SettingsSchema.safeParse(raw ?? {});
  if (!r.success) {
    const lines = r.error.issues.map((i) => {
      const path = i.path.map(String).join(".");
      let value: unknown = raw;
      for (const p of i.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[p as PropertyKey];
      return `  - ${path || "(root)"}: ${i.message} (value ${JSON.stringify(value)})`;
    });
    throw new PolicyConfigError(`invalid configuration of ${policy}:\n${lines.join("\n")}`);
  }
  if (parsed.size > 256) parsed.clear();
  parsed.set(key, r.data);
  return r.data;
}

/** Just the properties a policy's schema declares, from a full settings document. */
export function pickSettings(settings: SettingsInput, keys: readonly SettingKey[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (settings[k] !== undefined) out[k] = settings[k];
  return out;
}

/** The stack of a URN: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function stackOfUrn(urn: string): string | undefined {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn);
  return m?.[1];
}

export function isProductionStack(
  stack: string | undefined,
  settings: Pick<Settings, "productionStacks">,
): boolean {
  return stack !== undefined && settings.productionStacks.includes(stack);
}
