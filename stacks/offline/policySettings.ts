/**
 * The CrossGuard settings an environment implies: what `pulumi preview --policy-pack policy`
 * should be configured with for this stack (raised quotas, budget, connected ranges, break-glass
 * groups, tenant projects, instance sizes, whether the stack is production, where `pulumi up`
 * runs). The offline
 * preview evaluates the pack with exactly these, and `--policy-config <file>` writes them out
 * as the `--policy-pack-config` file for the real preview.
 */
import type { Environment } from "@kubeplat/plan";
import type { SettingsInput } from "@kubeplat/policy/config";

export function policySettingsFromEnvironment(env: Environment, stack: string): SettingsInput {
  const instanceTypes: Record<string, { vcpu: number; memoryGiB: number }> = {};
  for (const c of env.clusters) {
    for (const p of c.nodePools) {
      for (const t of p.instanceTypes) instanceTypes[t] ??= { vcpu: p.vcpu, memoryGiB: p.memoryGiB };
    }
  }
  return {
    productionStacks: env.production ? [stack] : [],
    quotas: env.quotas,
    budget: env.budget,
    connectedRanges: env.connectedRanges,
    breakGlassGroups: env.access.breakGlassGroups,
    projects: env.tenancy.projects.flatMap((p) =>
      p.clusters.map((c) => ({
        name: p.name,
        cluster: c.name,
        quota: c.quota,
        storageClasses: c.storageClasses,
      })),
    ),
    instanceTypes,
    deployFrom: env.access.deployFrom,
  };
}
