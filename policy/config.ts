/**
 * The pack's configuration: one settings document (raised quotas, budget, connected ranges,
 * break-glass groups, production stacks, ...) whose properties each policy declares in its
 * `configSchema` as far as it reads them. CrossGuard configures policies one by one
 * (`pulumi preview --policy-pack policy --policy-pack-config config.json`, or a policy group's
 * config in Pulumi Cloud), so `packConfig` (policies.ts) writes one settings document out as
 * that per-policy file; every policy reads its part back with `readSettings`.
 *
 * The settings schema itself lives with the facts decoders that read it (@kubeplat/plan/facts,
 * settings.ts); this file turns it into CrossGuard's per-policy config schemas and reads it back.
 */

import {
  type SettingKey,
  type Settings,
  type SettingsInput,
  SettingsSchema,
  settingJsonSchema,
} from "@kubeplat/plan/facts";
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

export {
  DEFAULT_PRODUCTION_STACKS,
  DEFAULT_PROJECT_LABEL,
  InstanceTypeSchema,
  ProjectQuotaSchema,
  SETTING_KEYS,
  type SettingKey,
  type Settings,
  type SettingsInput,
  SettingsSchema,
} from "@kubeplat/plan/facts";

/** Bad pack configuration: names the policy, the setting and the offending value. */
export class PolicyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigError";
  }
}

function jsonSchemaOf(key: SettingKey): PolicyConfigJSONSchema {
  return settingJsonSchema(key) as PolicyConfigJSONSchema;
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
  // What /^urn:pulumi:([^:]+)::/ matches, without a regular expression: called once per policy
  // and resource (bench:policy).
  if (!urn.startsWith(URN_PREFIX)) return undefined;
  const end = urn.indexOf("::", URN_PREFIX.length);
  if (end <= URN_PREFIX.length) return undefined;
  const stack = urn.slice(URN_PREFIX.length, end);
  return stack.includes(":") ? undefined : stack;
}

const URN_PREFIX = "urn:pulumi:";

export function isProductionStack(
  stack: string | undefined,
  settings: Pick<Settings, "productionStacks">,
): boolean {
  return stack !== undefined && settings.productionStacks.includes(stack);
}
