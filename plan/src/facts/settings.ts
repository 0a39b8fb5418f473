/**
 * The settings the facts decoders and the policy pack read: raised quotas, budget, connected
 * ranges, break-glass groups, production stacks, ... One document; the pack declares each
 * policy's part of it as that policy's config schema (policy/config.ts).
 *
 * The shapes reuse the environment spec's schemas (spec.ts), so a raised quota or a connected
 * range is written the same way in `Pulumi.<env>.yaml` and in the policy config.
 */
import { z } from "zod";
import { BudgetSchema, ConnectedRangeSchema, QuotasSchema } from "../spec";

export const DEFAULT_PRODUCTION_STACKS = ["prod", "production"];
/** ACP puts a tenant namespace in a project with this label (Alauda Container Platform docs: Updating and deleting namespaces). */
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
    .describe(
      "StorageClasses assigned to the project (Alauda Container Platform docs: Importing namespaces). Default: not checked.",
    ),
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
      'Namespace label naming the project that owns a tenant namespace (Alauda Container Platform docs: Updating and deleting namespaces). Default "cpaas.io/project".',
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
  baselineVersions: z
    .record(
      z.string(),
      z.strictObject({
        version: z.string().optional().describe("The control plane's Kubernetes version before the change."),
        pools: z
          .record(z.string(), z.string())
          .optional()
          .describe("Each node pool's (node group's) version before the change, by pool name."),
      }),
    )
    .default({})
    .describe(
      "The Kubernetes versions deployed before this change, by cluster name (cluster/version-skew sees a control plane move by comparing with them). The offline preview's `--policy-config` writes them: from `--baseline` when given, else from the environment as it stands. Default {}: no change seen.",
    ),
  today: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .describe(
      "The day cluster/version-supported judges support on (YYYY-MM-DD). Default: the day of the preview (UTC).",
    ),
});

export type SettingsInput = z.input<typeof SettingsSchema>;
export type Settings = z.output<typeof SettingsSchema>;
export type SettingKey = keyof Settings;
export const SETTING_KEYS = Object.keys(SettingsSchema.shape) as SettingKey[];

/** The JSON Schema (draft 7, input side) of one setting, for a policy's config schema. */
export function settingJsonSchema(key: SettingKey): Record<string, unknown> {
  const { $schema: _, ...schema } = z.toJSONSchema(SettingsSchema.shape[key], {
    target: "draft-7",
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return schema;
}
