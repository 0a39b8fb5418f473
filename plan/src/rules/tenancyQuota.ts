/**
 * Tenancy quota rules (`quota/*` of RULES.md): a tenant namespace's ResourceQuota within its
 * project's, one default quota, LimitRange order, reserved names, StorageClasses assigned to the
 * project, overcommit ratios — pure functions over QuotaFacts (quota.ts), on every cloud.
 */
import { type Diagnostic, diagnostic } from "../diagnostic";
import { boundedMemo } from "../memo";
import {
  compareQuantities,
  formatQuantity,
  type Quantity,
  type QuantityParse,
  subtractQuantities,
  sumQuantities,
  tryParseQuantity,
} from "../quantity";
import { DEFAULT_QUOTA_NAME } from "../quotaMerge";
import {
  type FactRef,
  fieldPath,
  keyPath,
  listing,
  type NamespaceQuotaFacts,
  type ProjectQuotaFacts,
  type QuantityMap,
  type QuotaFacts,
  type QuotaRuleId,
  quoted,
  RESERVED_QUOTA_ITEMS,
} from "./quota";

/**
 * tryParseQuantity, remembered by text: a stack's quotas and LimitRanges repeat a few values
 * ("2", "4Gi", "100m") thousands of times, and each parse makes BigInts. The answers are read,
 * never changed.
 */
const parsedQuantities = boundedMemo<QuantityParse>(4096);

function parseQuantityText(text: string): QuantityParse {
  return parsedQuantities(text, () => tryParseQuantity(text));
}

// ---------------------------------------------------------------------------------------------
// Kubernetes (tenancy) quotas

/** Items Kubernetes treats as the same quota (`cpu` is `requests.cpu`). */
const QUOTA_ALIASES: Record<string, string> = {
  cpu: "requests.cpu",
  memory: "requests.memory",
  "ephemeral-storage": "requests.ephemeral-storage",
};

interface QuotaValue {
  value: Quantity;
  text: string;
  path: string;
}

/**
 * The known, valid items of quota maps keyed by canonical item name (aliases folded: Kubernetes
 * enforces both, so the smaller value binds), plus a diagnostic for each value that is not a
 * quantity. With `lowerBound`, an item that is also set to an unknown value is dropped: the
 * binding value could be the unknown one, so the known one is no lower bound.
 */
function quotaValues(
  rule: QuotaRuleId,
  owner: FactRef,
  label: string,
  maps: { field: string; map: QuantityMap | undefined }[],
  lowerBound = false,
): { values: Map<string, QuotaValue>; errors: Diagnostic[] } {
  const values = new Map<string, QuotaValue>();
  const unknown = new Set<string>();
  const errors: Diagnostic[] = [];
  for (const { field, map } of maps) {
    for (const [item, text] of Object.entries(map ?? {})) {
      const key = QUOTA_ALIASES[item] ?? item;
      if (typeof text !== "string") {
        unknown.add(key);
        continue;
      }
      const path = keyPath(fieldPath(owner, field), item);
      const r = parseQuantityText(text);
      if (!r.ok) {
        unknown.add(key);
        errors.push(
          diagnostic(rule, {
            resource: owner.resource,
            path,
            message: `${label} ${item} ${JSON.stringify(text)} is not a Kubernetes quantity: ${r.reason}`,
          }),
        );
        continue;
      }
      const current = values.get(key);
      if (!current || compareQuantities(r.quantity, current.value) < 0) {
        values.set(key, { value: r.quantity, text, path });
      }
    }
  }
  if (lowerBound) for (const key of unknown) values.delete(key);
  return { values, errors };
}

function projectLabel(p: ProjectQuotaFacts): string {
  return `project ${quoted(p.name, p.resource)}${p.cluster === undefined ? "" : ` on cluster ${JSON.stringify(p.cluster)}`}`;
}

function namespaceLabel(n: NamespaceQuotaFacts): string {
  return `namespace ${quoted(n.name, n.resource)}`;
}

/**
 * quota/namespace-exceeds-project: for each resource of a project's quota on a cluster, the sum of
 * its namespaces' quotas ≤ the project's; a namespace being created is refused when any resource
 * of the project has 0 left (Alauda Container Platform docs: Creating namespaces; Importing namespaces). A namespace without an item is
 * unlimited for it (uses what the project has left, Alauda Container Platform docs: Importing namespaces) and adds nothing to the sum.
 */
export function checkNamespaceExceedsProject(facts: QuotaFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const namespaces = facts.namespaces ?? [];
  const nsValues = new Map<NamespaceQuotaFacts, Map<string, QuotaValue>>();
  for (const ns of namespaces) {
    const { values, errors } = quotaValues(
      "quota/namespace-exceeds-project",
      ns,
      `${namespaceLabel(ns)} quota`,
      [
        { field: "quota", map: ns.quota },
        { field: "customQuota", map: ns.customQuota },
      ],
      true,
    );
    nsValues.set(ns, values);
    out.push(...errors);
  }
  for (const project of facts.projects ?? []) {
    if (project.name === undefined || !project.quota) continue;
    const { values: limits, errors } = quotaValues(
      "quota/namespace-exceeds-project",
      project,
      `${projectLabel(project)} quota`,
      [{ field: "quota", map: project.quota }],
    );
    out.push(...errors);
    const members = namespaces.filter((ns) => ns.project === project.name && ns.cluster === project.cluster);
    for (const [item, limit] of limits) {
      const used = members.flatMap((ns) => {
        const v = nsValues.get(ns)?.get(item);
        return v ? [{ ns, v }] : [];
      });
      const describe = (xs: typeof used) =>
        xs.length === 0 ? "none" : listing(xs.map(({ ns, v }) => `${ns.name ?? ns.resource} ${v.text}`));
      // A namespace being created needs something left of every resource.
      for (const ns of members) {
        if (ns.creating !== true) continue;
        const others = used.filter((u) => u.ns !== ns);
        const left = subtractQuantities(
          limit.value,
          sumQuantities(
            others.map((u) => u.v.value),
            limit.value.format,
          ),
        );
        if (compareQuantities(left, "0") > 0) continue;
        out.push(
          diagnostic("quota/namespace-exceeds-project", {
            resource: ns.resource,
            path: fieldPath(ns, "quota"),
            message: `${namespaceLabel(ns)} cannot be created: ${projectLabel(project)} has ${compareQuantities(left, "0") === 0 ? `0 ${item} left` : `no ${item} left (over by ${formatQuantity(subtractQuantities("0", left), limit.value.format)})`} (project quota ${limit.text}, used by ${describe(others)})`,
          }),
        );
      }
      const total = sumQuantities(
        used.map((u) => u.v.value),
        limit.value.format,
      );
      if (compareQuantities(total, limit.value) <= 0) continue;
      out.push(
        diagnostic("quota/namespace-exceeds-project", {
          resource: project.resource,
          path: limit.path,
          message: `namespaces of ${projectLabel(project)} set ${item} ${formatQuantity(total)} in total (${describe(used)}) > the project's quota ${limit.text}`,
        }),
      );
    }
  }
  return out;
}

/** quota/single-default: a namespace has exactly one ResourceQuota and one LimitRange, each named `default`. */
export function checkSingleDefault(facts: QuotaFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const ns of facts.namespaces ?? []) {
    const kinds = [
      {
        field: "resourceQuotas",
        kind: "ResourceQuota",
        names: ns.resourceQuotas,
        fix: "merge them into one named default (each item's minimum, Alauda Container Platform docs: Projects: roles and permissions)",
      },
      {
        field: "limitRanges",
        kind: "LimitRange",
        names: ns.limitRanges,
        fix: "keep one named default: LimitRanges cannot be merged (Alauda Container Platform docs: FAQ: why a namespace must not hold several ResourceQuotas when it is imported)",
      },
    ] as const;
    for (const { field, kind, names, fix } of kinds) {
      if (!names) continue;
      const path = fieldPath(ns, field);
      const shown = names.map((n) => n ?? "?");
      let message: string | undefined;
      if (names.length === 0)
        message = `${namespaceLabel(ns)} has no ${kind}; it needs exactly one, named default`;
      else if (names.length > 1)
        message = `${namespaceLabel(ns)} has ${names.length} ${kind}s (${listing(shown)}); ${fix}`;
      else if (names[0] !== undefined && names[0] !== DEFAULT_QUOTA_NAME)
        message = `${namespaceLabel(ns)}'s ${kind} is named ${JSON.stringify(names[0])}; it must be named default`;
      if (message) out.push(diagnostic("quota/single-default", { resource: ns.resource, path, message }));
    }
  }
  return out;
}

const LIMIT_ORDER = ["min", "defaultRequest", "default", "max"] as const;

/**
 * quota/limitrange-order: for each resource of a LimitRange entry, defaultRequest ≤ default ≤ max
 * (and min ≤ defaultRequest, as the Kubernetes API validates). Unknown bounds are skipped; the
 * known ones are compared in order, so a violation of any pair is found.
 */
export function checkLimitRangeOrder(facts: QuotaFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const lr of facts.limitRanges ?? []) {
    // The label and paths are for findings: made when one is reported (a stack has thousands of
    // LimitRanges and few findings).
    const label = () =>
      `LimitRange ${quoted(lr.name, lr.resource)}${lr.namespace ? ` (namespace ${JSON.stringify(lr.namespace)})` : ""}`;
    (lr.limits ?? []).forEach((entry, i) => {
      const base = () => `${fieldPath(lr, "limits")}[${i}]`;
      const resources = new Set<string>();
      for (const b of LIMIT_ORDER) {
        const m = entry[b];
        if (m !== undefined) for (const k of Object.keys(m)) resources.add(k);
      }
      for (const resource of resources) {
        const chain: { bound: string; text: string; value: Quantity }[] = [];
        const pathOf = (bound: string) => keyPath(`${base()}.${bound}`, resource);
        for (const bound of LIMIT_ORDER) {
          const text = entry[bound]?.[resource];
          if (typeof text !== "string") continue;
          const r = parseQuantityText(text);
          if (!r.ok) {
            out.push(
              diagnostic("quota/limitrange-order", {
                resource: lr.resource,
                path: pathOf(bound),
                message: `${label()} limits[${i}] ${bound}.${resource} ${JSON.stringify(text)} is not a Kubernetes quantity: ${r.reason}`,
              }),
            );
            continue;
          }
          chain.push({ bound, text, value: r.quantity });
        }
        for (let k = 1; k < chain.length; k++) {
          const lo = chain[k - 1] as (typeof chain)[number];
          const hi = chain[k] as (typeof chain)[number];
          if (compareQuantities(lo.value, hi.value) <= 0) continue;
          out.push(
            diagnostic("quota/limitrange-order", {
              resource: lr.resource,
              path: pathOf(lo.bound),
              message: `${label()} limits[${i}] ${resource}: ${lo.bound} ${lo.text} > ${hi.bound} ${hi.text} (needs defaultRequest ≤ default ≤ max)`,
            }),
          );
        }
      }
    });
  }
  return out;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Why `name` is not a Kubernetes qualified name (`[prefix/]name`, Alauda Container Platform docs: Importing namespaces), or
 * undefined when it is one. The name part: ≤ 63 characters of letters, digits, '-', '_', '.',
 * starting and ending alphanumeric; the prefix: a DNS subdomain, ≤ 253 characters of dot-separated
 * lowercase labels (each ≤ 63, alphanumeric at both ends, '-' inside).
 */
export function qualifiedNameProblem(name: string): string | undefined {
  const parts = name.split("/");
  if (parts.length > 2) return "has more than one '/'";
  const [prefix, local] = parts.length === 2 ? [parts[0] as string, parts[1] as string] : [undefined, name];
  if (prefix !== undefined) {
    if (prefix.length === 0) return "has an empty prefix before '/'";
    if (prefix.length > 253) return `prefix is ${prefix.length} characters long (max 253)`;
    for (const label of prefix.split(".")) {
      if (label.length > 63) return `prefix label ${JSON.stringify(label)} is longer than 63 characters`;
      if (!DNS_LABEL.test(label)) {
        return `prefix ${JSON.stringify(prefix)} is not a DNS subdomain (lowercase letters, digits, '-' and '.', alphanumeric at both ends of each label)`;
      }
    }
  }
  if (local.length === 0) return "has an empty name";
  if (local.length > 63) return `name part is ${local.length} characters long (max 63)`;
  if (!QUALIFIED_NAME.test(local)) {
    return `name part ${JSON.stringify(local)} must be letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** quota/reserved-name: custom quota items avoid the standard items and are qualified names. */
export function checkReservedName(facts: QuotaFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const reserved: readonly string[] = RESERVED_QUOTA_ITEMS;
  for (const ns of facts.namespaces ?? []) {
    for (const item of Object.keys(ns.customQuota ?? {})) {
      const path = keyPath(fieldPath(ns, "customQuota"), item);
      let message: string | undefined;
      if (reserved.includes(item)) {
        message = `${namespaceLabel(ns)} custom quota item ${JSON.stringify(item)} is reserved for the standard quota (reserved: ${RESERVED_QUOTA_ITEMS.join(", ")})`;
      } else {
        const problem = qualifiedNameProblem(item);
        if (problem) message = `${namespaceLabel(ns)} custom quota item ${JSON.stringify(item)} ${problem}`;
      }
      if (message) out.push(diagnostic("quota/reserved-name", { resource: ns.resource, path, message }));
    }
  }
  return out;
}

const STORAGE_CLASS_ITEM = /^(.+)\.storageclass\.storage\.k8s\.io\/.+$/;

/** The StorageClass a per-StorageClass quota item names (`gold.storageclass.storage.k8s.io/requests.storage` → gold). */
export function storageClassOfQuotaItem(item: string): string | undefined {
  return STORAGE_CLASS_ITEM.exec(item)?.[1];
}

/**
 * quota/storageclass-not-assigned: a per-StorageClass quota names a StorageClass assigned to the
 * project (Alauda Container Platform docs: Importing namespaces). The assigned classes are those of every project fact that is or
 * may be (name or cluster unknown) the namespace's project on its cluster.
 */
export function checkStorageClassNotAssigned(facts: QuotaFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const ns of facts.namespaces ?? []) {
    if (ns.project === undefined) continue;
    // Project facts that are, or (of unknown name or cluster) may be, the namespace's project.
    const candidates = (facts.projects ?? []).filter(
      (p) =>
        (p.name === undefined || p.name === ns.project) &&
        (p.cluster === undefined || ns.cluster === undefined || p.cluster === ns.cluster),
    );
    if (!candidates.some((p) => p.name === ns.project)) continue;
    if (candidates.some((p) => !p.storageClasses || p.storageClasses.includes(undefined))) continue;
    const assigned = new Set(candidates.flatMap((p) => p.storageClasses as string[]));
    for (const field of ["quota", "customQuota"] as const) {
      for (const item of Object.keys(ns[field] ?? {})) {
        const sc = storageClassOfQuotaItem(item);
        if (sc === undefined || assigned.has(sc)) continue;
        out.push(
          diagnostic("quota/storageclass-not-assigned", {
            resource: ns.resource,
            path: keyPath(fieldPath(ns, field), item),
            message: `${namespaceLabel(ns)} quota ${JSON.stringify(item)} names StorageClass ${JSON.stringify(sc)}, which is not assigned to project ${JSON.stringify(ns.project)} (assigned: ${assigned.size === 0 ? "none" : listing([...assigned].sort())})`,
          }),
        );
      }
    }
  }
  return out;
}

/** quota/overcommit-ratio: a namespace overcommit ratio is absent (inherit), 0 (unlimited) or an integer > 1. */
export function checkOvercommitRatio(facts: QuotaFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const ns of facts.namespaces ?? []) {
    for (const resource of ["cpu", "memory"] as const) {
      const v: unknown = ns.overcommit?.[resource];
      if (v === undefined || v === null) continue;
      if (typeof v === "number" && (v === 0 || (Number.isInteger(v) && v > 1))) continue;
      out.push(
        diagnostic("quota/overcommit-ratio", {
          resource: ns.resource,
          path: keyPath(fieldPath(ns, "overcommit"), resource),
          message: `${namespaceLabel(ns)} ${resource} overcommit ratio ${JSON.stringify(v)} is not allowed: omit it to inherit the cluster's, 0 for unlimited, or an integer > 1`,
        }),
      );
    }
  }
  return out;
}
