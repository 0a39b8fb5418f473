/**
 * The upgrade plan of the offline preview (`kubeplat plan <env> --baseline <earlier>`): what one
 * `pulumi up` would do to go from the baseline to the current spec.
 *
 * - versions before → after, per cluster and per pool;
 * - every resource whose inputs change, in the order the engine would step through them: a
 *   resource waits for the resources it depends on (its `dependsOn` and the resources its
 *   inputs come from, as recorded), so a step is numbered one after the latest changing
 *   resource it waits for, through any unchanged ones between them; deletions come last, as the
 *   engine deletes after every create and update;
 * - every stateful resource (cluster, VPC, vSwitch, node pool, load balancer, a self-managed
 *   cluster's control-plane node) created, updated in
 *   place, replaced or deleted, a replacement judged by the ForceNew table of `replacement.ts`;
 * - the upgrade rules (cluster/version-skew, cluster/version-supported, cluster/upgrade-snapshot)
 *   and what each said.
 *
 * Both sides are offline previews, so the comparison sees what the program sends to the
 * providers; an input computed by the cloud (unknown in a preview) never shows as a change.
 */
import { createHash } from "node:crypto";
import type { RecordedResource } from "@kubeplat/components/testing";
import type { BaselineVersions, Diagnostic, Environment } from "@kubeplat/plan";
import { environmentVersions } from "@kubeplat/plan";
import { diffInputs, STATEFUL_TYPES } from "./replacement";

/** A stateful resource as the baseline keeps it: enough to tell update from replace. */
export interface StatefulRecord {
  urn: string;
  type: string;
  inputs: Record<string, unknown>;
  replaceOnChanges?: string[];
}

/** What `--json` carries for a later `--baseline`: versions, stateful inputs, a digest of every resource's inputs. */
export interface UpgradeBaseline {
  versions?: BaselineVersions;
  stateful?: StatefulRecord[];
  inputDigests?: Record<string, string>;
}

export type Action = "create" | "update" | "replace" | "delete";

export interface VersionMove {
  cluster: string;
  /** Absent for the control plane. */
  pool?: string;
  before?: string;
  after?: string;
  /** For a pool whose version moves (and a self-managed control plane): how its nodes get there. */
  how?: string;
}

/**
 * How a pool's nodes follow a version move, per cloud.
 * - ACK: `alicloud.cs.NodePool` has no version of its own outside `upgradePolicy`, which the
 *   provider re-sends as an upgrade on every later update of the pool
 *   (resource_alicloud_cs_kubernetes_node_pool.go), so the platform leaves it unset; the
 *   cluster's `version` change is ACK's UpgradeCluster, which upgrades the worker nodes after the
 *   control plane unless `upgradePolicy.controlPlaneOnly` is set (ManagedKubernetes docs), in
 *   ACK's batches (ACK docs: "Upgrade a cluster").
 * - EKS: the pool's node image is resolved for the new minor, a new launch template version
 *   follows, and the node group replaces its nodes by its `updateConfig` (max unavailable).
 */
export const POOL_UPGRADE: Readonly<Record<Environment["cloud"], string>> = {
  alicloud: "nodes upgraded by ACK's UpgradeCluster after the control plane, in batches",
  aws: "new node image → new launch template version → the node group replaces nodes by maxUnavailable",
};

/**
 * How a self-managed (kubeadm) cluster follows a version move, on either cloud: the version is
 * in every node's Ignition user data (kubeadmDocuments.ts), and a node changes only by being
 * replaced (SelfManagedCluster.ts): the control plane node by node, each waiting for the one
 * before to serve again, then the workers by the group's instance refresh.
 */
export const SELF_MANAGED_UPGRADE = {
  controlPlane: "control-plane nodes replaced one at a time, first node first (new Ignition user data)",
  pool: "new Ignition → new launch template version → instance refresh replaces workers (minHealthyPercentage)",
} as const;

export interface Step {
  /** 1 = first; equal numbers may run in parallel. */
  step: number;
  action: Action;
  urn: string;
  type: string;
  name: string;
  /** Top-level inputs that change (update, replace). */
  changed: string[];
  /** Inputs that force the replacement (replace of a stateful resource). */
  forceNew: string[];
  /** cluster, vpc, vswitch, node pool, load balancer, control-plane node; absent for other resources. */
  stateful?: string;
}

export interface RuleOutcome {
  rule: string;
  result: "passes" | "advisory" | "mandatory";
  messages: string[];
}

export interface UpgradePlan {
  versions: VersionMove[];
  /** Every resource that changes, in engine order. */
  steps: Step[];
  /** Stateful resources: counts per action, and the unchanged ones. */
  stateful: { created: number; updated: number; replaced: number; deleted: number; unchanged: number };
  rules: RuleOutcome[];
  /**
   * Whether resources were compared: "yes"; "no-baseline-inputs" (an older `--json` carries
   * none); "not-run" (the program did not run: refused, or --plan-only).
   */
  resourcesCompared: "yes" | "no-baseline-inputs" | "not-run";
}

/**
 * Inputs a provider computes from another resource, which a preview shows as unknown and the
 * mock runtime cannot:
 * - an EKS node group's `launchTemplate.version` is the launch template's `latestVersion`, which
 *   every update of the template raises (`updateDefaultVersion`), so the group rolls its nodes
 *   (UpdateNodegroupVersion, by its `updateConfig`) in the same `pulumi up`; a self-managed
 *   pool's auto scaling group likewise starts an instance refresh;
 * - a self-managed control-plane node's readiness check is triggered by the node's instance id
 *   (`triggers`, which replace a `command.local.Command`): a replaced node has a new id, so its
 *   check runs again, and the next node waits for it.
 */
const FOLLOWS: Readonly<
  Record<string, { type: string; input: string; when: "changed" | "replaced"; action: Action }>
> = {
  "aws:eks/nodeGroup:NodeGroup": {
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    input: "launchTemplate.version",
    when: "changed",
    action: "update",
  },
  "aws:autoscaling/group:Group": {
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    input: "launchTemplate.version",
    when: "changed",
    action: "update",
  },
  "command:local:Command": {
    type: "aws:ec2/instance:Instance",
    input: "triggers",
    when: "replaced",
    action: "replace",
  },
};

export const UPGRADE_RULES = [
  "cluster/version-skew",
  "cluster/version-supported",
  "cluster/upgrade-snapshot",
];

function digest(inputs: Record<string, unknown>): string {
  return createHash("sha256")
    .update(JSON.stringify(inputs, (_k, v) => canonicalObject(v)))
    .digest("hex")
    .slice(0, 16);
}

function canonicalObject(v: unknown): unknown {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  return Object.fromEntries(
    Object.keys(v as object)
      .sort()
      .map((k) => [k, (v as Record<string, unknown>)[k]]),
  );
}

/** The baseline part of a preview: written into `--json`, read back by `--baseline`. */
export function upgradeBaseline(
  env: Environment | undefined,
  resources: readonly RecordedResource[],
): UpgradeBaseline {
  return {
    versions: env ? environmentVersions(env) : undefined,
    stateful: resources
      .filter((r) => r.type in STATEFUL_TYPES)
      .map((r) => ({
        urn: r.urn,
        type: r.type,
        inputs: r.inputs,
        ...(r.replaceOnChanges.length > 0 ? { replaceOnChanges: r.replaceOnChanges } : {}),
      })),
    inputDigests: Object.fromEntries(resources.filter((r) => r.custom).map((r) => [r.urn, digest(r.inputs)])),
  };
}

function versionMoves(before: BaselineVersions | undefined, env: Environment | undefined): VersionMove[] {
  if (!env) return [];
  const out: VersionMove[] = [];
  for (const [cluster, v] of Object.entries(environmentVersions(env))) {
    const b = before?.[cluster];
    const selfManaged = env.clusters.find((c) => c.name === cluster)?.kind === "selfmanaged";
    const clusterMoved = b?.version !== undefined && b.version !== v.version;
    out.push({
      cluster,
      before: b?.version,
      after: v.version,
      ...(clusterMoved && selfManaged ? { how: SELF_MANAGED_UPGRADE.controlPlane } : {}),
    });
    const poolHow = selfManaged ? SELF_MANAGED_UPGRADE.pool : POOL_UPGRADE[env.cloud];
    for (const [pool, pv] of Object.entries(v.pools)) {
      const before = b?.pools?.[pool];
      const moved = before !== undefined && before !== pv;
      out.push({ cluster, pool, before, after: pv, ...(moved ? { how: poolHow } : {}) });
    }
  }
  for (const [cluster, b] of Object.entries(before ?? {})) {
    if (env.clusters.some((c) => c.name === cluster)) continue;
    out.push({ cluster, before: b.version, after: undefined });
  }
  return out;
}

function ruleOutcomes(diagnostics: readonly Diagnostic[]): RuleOutcome[] {
  return UPGRADE_RULES.map((rule) => {
    const found = diagnostics.filter((d) => d.rule === rule);
    const messages = [...new Set(found.map((d) => d.message))];
    const result = found.some((d) => d.severity === "mandatory")
      ? "mandatory"
      : found.length > 0
        ? "advisory"
        : "passes";
    return { rule, result, messages };
  });
}

/** The upgrade plan from a baseline to a preview's resources. */
export function upgradePlan(
  baseline: UpgradeBaseline,
  env: Environment | undefined,
  resources: readonly RecordedResource[],
  diagnostics: readonly Diagnostic[],
): UpgradePlan {
  const ran = resources.length > 0;
  const digests = ran ? baseline.inputDigests : undefined;
  const statefulBefore = new Map((ran ? (baseline.stateful ?? []) : []).map((s) => [s.urn, s]));
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const actions = new Map<string, Omit<Step, "step">>();
  let unchangedStateful = 0;
  for (const r of resources) {
    if (!r.custom) continue;
    const kind = STATEFUL_TYPES[r.type]?.kind;
    const base = {
      urn: r.urn,
      type: r.type,
      name: r.name,
      ...(kind ? { stateful: kind } : {}),
    };
    const before = statefulBefore.get(r.urn);
    if (before) {
      const d = diffInputs(r.type, before.inputs, r.inputs, [
        ...new Set([...(before.replaceOnChanges ?? []), ...r.replaceOnChanges]),
      ]);
      if (d.changed.length === 0) unchangedStateful++;
      else actions.set(r.urn, { ...base, action: d.forceNew.length > 0 ? "replace" : "update", ...d });
      continue;
    }
    if (!digests) continue;
    if (!(r.urn in digests)) {
      actions.set(r.urn, { ...base, action: "create", changed: [], forceNew: [] });
    } else if (digests[r.urn] !== digest(r.inputs)) {
      // Not stateful: which inputs changed is not kept in the baseline, only that some did.
      actions.set(r.urn, { ...base, action: "update", changed: [], forceNew: [] });
    } else if (kind) unchangedStateful++;
  }
  const deleted: Omit<Step, "step">[] = [];
  if (digests)
    for (const urn of Object.keys(digests)) {
      if (byUrn.has(urn)) continue;
      const type = urn.split("::")[2]?.split("$").pop() ?? "";
      const kind = STATEFUL_TYPES[type]?.kind;
      deleted.push({
        urn,
        type,
        name: urn.split("::").pop() ?? urn,
        action: "delete",
        changed: [],
        forceNew: [],
        ...(kind ? { stateful: kind } : {}),
      });
    }

  // Inputs the provider computes: a resource reading one from a resource that changes changes too.
  for (const r of resources) {
    const follows = FOLLOWS[r.type];
    if (!follows || actions.has(r.urn)) continue;
    const source = r.dependencies.find(
      (d) =>
        byUrn.get(d)?.type === follows.type &&
        (follows.when === "changed" ? actions.has(d) : actions.get(d)?.action === "replace"),
    );
    if (source === undefined) continue;
    const kind = STATEFUL_TYPES[r.type]?.kind;
    actions.set(r.urn, {
      urn: r.urn,
      type: r.type,
      name: r.name,
      ...(kind ? { stateful: kind } : {}),
      action: follows.action,
      changed: [follows.input],
      forceNew: follows.action === "replace" ? [follows.input] : [],
    });
    if (kind) unchangedStateful--;
  }

  // Engine order: one step after the latest changing resource each waits for (through unchanged ones).
  const reach = new Map<string, number>();
  const visiting = new Set<string>();
  const waitsFor = (urn: string): number => {
    const known = reach.get(urn);
    if (known !== undefined) return known;
    if (visiting.has(urn)) return 0;
    visiting.add(urn);
    let latest = 0;
    for (const dep of byUrn.get(urn)?.dependencies ?? []) latest = Math.max(latest, stepOf(dep));
    visiting.delete(urn);
    reach.set(urn, latest);
    return latest;
  };
  const stepOf = (urn: string): number => (actions.has(urn) ? waitsFor(urn) + 1 : waitsFor(urn));
  const steps: Step[] = [...actions.values()]
    .map((a) => ({ ...a, step: stepOf(a.urn) }))
    .sort((a, b) => a.step - b.step || a.urn.localeCompare(b.urn));
  const last = steps.reduce((m, s) => Math.max(m, s.step), 0);
  steps.push(...deleted.sort((a, b) => a.urn.localeCompare(b.urn)).map((d) => ({ ...d, step: last + 1 })));

  const count = (a: Action) => steps.filter((s) => s.stateful && s.action === a).length;
  return {
    versions: versionMoves(baseline.versions, env),
    steps,
    stateful: {
      created: count("create"),
      updated: count("update"),
      replaced: count("replace"),
      deleted: count("delete"),
      unchanged: unchangedStateful,
    },
    rules: ruleOutcomes(diagnostics),
    resourcesCompared: !ran ? "not-run" : baseline.stateful === undefined ? "no-baseline-inputs" : "yes",
  };
}

function describeVersion(v: VersionMove): string {
  const who = v.pool ? `pool ${v.cluster}/${v.pool}` : `cluster ${v.cluster}`;
  if (v.before === undefined) return `${who} ${v.after} (new)`;
  if (v.after === undefined) return `${who} ${v.before} (removed)`;
  if (v.before === v.after) return `${who} ${v.after} (unchanged)`;
  return `${who} ${v.before} → ${v.after}${v.how ? ` (${v.how})` : ""}`;
}

/** The plan as text, for the report. */
export function renderUpgradePlan(plan: UpgradePlan, baselineFile: string): string {
  const lines = [`Upgrade plan against ${baselineFile}`];
  lines.push("  Versions:");
  for (const v of plan.versions) lines.push(`    ${describeVersion(v)}`);
  if (plan.resourcesCompared === "no-baseline-inputs") {
    lines.push(
      "  Resources: the baseline carries no resource inputs (an older --json); re-run it to compare them",
    );
  } else if (plan.resourcesCompared === "not-run") {
    lines.push(
      "  Resources: not compared, the program did not run (refused by a mandatory rule, or --plan-only)",
    );
  } else if (plan.steps.length === 0) {
    lines.push("  Order: nothing changes");
  } else {
    lines.push("  Order (one pulumi up; a step waits for the steps before it, equal numbers run together):");
    for (const s of plan.steps) {
      const what = s.changed.length > 0 ? ` (${s.changed.join(", ")})` : "";
      const why =
        s.forceNew.length > 0 ? ` — replaced because ${s.forceNew.join(", ")} forces a new resource` : "";
      lines.push(`    ${s.step}. ${s.action} ${s.type} ${s.name}${what}${why}`);
    }
  }
  if (plan.resourcesCompared === "yes") {
    const st = plan.stateful;
    lines.push(
      `  Stateful resources (cluster, VPC, vSwitch, node pool, load balancer, control-plane node): ${st.replaced} replaced, ${st.updated} updated in place, ${st.created} created, ${st.deleted} deleted, ${st.unchanged} unchanged`,
    );
  }
  lines.push("  Upgrade rules:");
  for (const r of plan.rules)
    lines.push(`    ${r.rule}: ${r.result}${r.messages.length > 0 ? ` — ${r.messages.join("; ")}` : ""}`);
  return lines.join("\n");
}
