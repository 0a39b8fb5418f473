/**
 * The pack's policies, importable without constructing the pack (index.ts constructs it; the
 * offline preview, the benchmark and the tests import this list).
 */
import type {
  EnforcementLevel,
  PolicyPackConfig,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { accessBindings } from "./bindings/access";
import { addonBindings } from "./bindings/addons";
import { cidrBindings } from "./bindings/cidr";
import { clusterBindings } from "./bindings/cluster";

import { quotaBindings } from "./bindings/quota";

import { serviceBindings } from "./bindings/service";
import { pickSettings, type SettingKey, type SettingsInput } from "./config";
import { type Binding, ruleOfPolicy, toPolicies } from "./define";

/** Every rule binding of the pack, in catalogue order. */
export const bindings: readonly Binding[] = [
  ...cidrBindings,
  ...quotaBindings,
  ...clusterBindings,
  ...serviceBindings,
  ...addonBindings,
  ...accessBindings,
];

export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = bindings.flatMap(toPolicies);

/** The settings each policy reads (its configSchema properties). */
export const policySettings: ReadonlyMap<string, readonly SettingKey[]> = new Map(
  policies.map((p) => [p.name, bindings.find((b) => b.rule === ruleOfPolicy(p.name))?.settings ?? []]),
);

/**
 * One settings document → the per-policy config CrossGuard takes (`--policy-pack-config`, a
 * policy group's config): each policy gets the settings its schema declares, plus an
 * enforcement level where `enforcement` overrides it (keyed by policy name, or `all`).
 */
export function packConfig(
  settings: SettingsInput = {},
  enforcement: Record<string, EnforcementLevel> = {},
): PolicyPackConfig {
  const out: PolicyPackConfig = {};
  for (const name of Object.keys(enforcement)) {
    if (name !== "all" && !policySettings.has(name)) {
      throw new Error(`enforcement override names "${name}", which is not a policy of the pack`);
    }
  }
  if (enforcement.all) out.all = enforcement.all;
  for (const [name, keys] of policySettings) {
    const props = pickSettings(settings, keys);
    const level = enforcement[name];
    if (level !== undefined) out[name] = { enforcementLevel: level, ...props };
    else if (Object.keys(props).length > 0) out[name] = props;
  }
  return out;
}
