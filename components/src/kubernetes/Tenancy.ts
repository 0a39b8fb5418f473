/**
 * Tenancy: the projects of one cluster and the namespaces they own (the ACP project model,
 * Alauda Container Platform docs: Creating namespaces). A project names the clusters it may use and its quota on each; each of its
 * namespaces on this cluster gets:
 *
 *  - the name `<project>-<name>` (Alauda Container Platform docs: Creating namespaces) and the
 *    project label `cpaas.io/project` (Alauda Container Platform docs: Updating and deleting namespaces);
 *  - Pod Security Admission labels (rule security/pod-security, Alauda Container Platform docs: Pod Security Admission): enforce
 *    `restricted` in production, `baseline` elsewhere; audit and warn `restricted`;
 *  - exactly one ResourceQuota and one LimitRange, both named `default` (quota/single-default,
 *    Alauda Container Platform docs: FAQ: why a namespace must not hold several ResourceQuotas when it is imported). An imported namespace's several quotas are merged into the one `default`
 *    by each item's minimum (Alauda Container Platform docs: FAQ: why a namespace must not hold several ResourceQuotas when it is imported, `mergeResourceQuotas`);
 *  - optionally a default-deny NetworkPolicy (Terway supports NetworkPolicy, Flannel does not,
 *    ACK docs: Work with Terway), and an overcommit ratio (ACP's NamespaceResourceRatio, Alauda Container Platform docs: Overcommit ratio).
 *
 * Namespace quotas must fit the project's quota on the cluster (quota/namespace-exceeds-project);
 * LimitRanges are ordered (quota/limitrange-order); custom quota items avoid reserved names
 * (quota/reserved-name); per-StorageClass quotas name classes assigned to the project
 * (quota/storageclass-not-assigned); overcommit ratios are 0 or integers > 1
 * (quota/overcommit-ratio). Everything is checked before any resource is registered.
 *
 * One Tenancy per cluster: the cluster's Kubernetes provider comes through the standard
 * `provider`/`providers` option. Namespaces declared for other clusters are left to those
 * clusters' Tenancy components.
 */

import {
  checkAccess,
  checkLimitRangeOrder,
  checkNamespaceExceedsProject,
  checkOvercommitRatio,
  checkReservedName,
  checkSingleDefault,
  checkStorageClassNotAssigned,
  DEFAULT_QUOTA_NAME,
  type Diagnostic,
  diagnostic,
  type LimitRangeFacts,
  mergeResourceQuotas,
  type NamespaceFact,
  type NamespaceQuotaFacts,
  type ProjectQuotaFacts,
  PSA_AUDIT,
  PSA_ENFORCE,
  PSA_WARN,
  QuantityError,
  type QuotaFacts,
  SPEC_SCHEMA,
} from "@kubeplat/plan";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { judge } from "../judgement";
import { checkClusterAddons, dependsOnList, type InstalledAddonArgs } from "./clusterAddons";

/** The label that ties a namespace to its project (Alauda Container Platform docs: Updating and deleting namespaces). */
export const PROJECT_LABEL = "cpaas.io/project";

/** A LimitRange entry for containers: each a map from resource (cpu, memory) to quantity. */
export interface TenantLimitRangeArgs {
  /** Default requests of containers that set none. Default `{cpu: "100m", memory: "128Mi"}`. */
  defaultRequest?: Record<string, string>;
  /** Default limits of containers that set none. Default `{cpu: "500m", memory: "512Mi"}`. */
  default?: Record<string, string>;
  /** Largest limits a container may set. Default: none. */
  max?: Record<string, string>;
  /** Smallest requests a container may set. Default: none. */
  min?: Record<string, string>;
}

/** Pod Security Admission levels of a namespace: privileged, baseline or restricted. */
export interface TenantPodSecurityArgs {
  /** Default `restricted` in production, `baseline` elsewhere. Only baseline/restricted pass security/pod-security. */
  enforce?: string;
  /** Default `restricted`. */
  audit?: string;
  /** Default `restricted`. */
  warn?: string;
}

/** Overcommit ratios (limit / request) of a namespace; 0 disables overcommit (Alauda Container Platform docs: Overcommit ratio). */
export interface TenantOvercommitArgs {
  /** CPU ratio: omit to inherit the cluster's, 0 for unlimited, else an integer > 1. */
  cpu?: number;
  /** Memory ratio: as cpu. */
  memory?: number;
}

export interface TenantNamespaceArgs {
  /** The name after the project prefix: the namespace is `<project>-<name>`. Required. */
  name: string;
  /** The cluster the namespace lives on. Default: the Tenancy's cluster. */
  cluster?: string;
  /**
   * The namespace's quota (`spec.hard` of its `default` ResourceQuota), e.g. `{"requests.cpu": "4",
   * "limits.memory": "16Gi", "pods": "100"}`. A missing item is unlimited within the project's.
   * Default: none.
   */
  quota?: Record<string, string>;
  /** Custom quota items (GPUs, object counts) added to the same ResourceQuota. Default: none. */
  customQuota?: Record<string, string>;
  /**
   * The ResourceQuotas an imported namespace already has: merged with `quota` into the one
   * `default`, each item's minimum (Alauda Container Platform docs: FAQ: why a namespace must not hold several ResourceQuotas when it is imported). Default: none.
   */
  importedQuotas?: Record<string, string>[];
  /** The container LimitRange. Default: requests 100m/128Mi, limits 500m/512Mi. */
  limitRange?: TenantLimitRangeArgs;
  /** Pod Security Admission labels. Default: see TenantPodSecurityArgs. */
  podSecurity?: TenantPodSecurityArgs;
  /**
   * A NetworkPolicy `default-deny` denying ingress from outside the namespace, except from the
   * namespaces in `allowIngressFromNamespaces` (pods of the namespace still reach each other).
   * Default false; refused on Flannel, which has no NetworkPolicy. Traffic that enters pods
   * straight from a cloud load balancer (ALB/NLB to pod IPs) needs its own allow policy.
   */
  defaultDenyNetworkPolicy?: boolean;
  /** Namespaces the default-deny policy lets in. Default `["kube-system", "ingress-nginx"]` (ingress controllers). */
  allowIngressFromNamespaces?: string[];
  /** Overcommit ratios, as an ACP NamespaceResourceRatio (needs its CRD). Default: none. */
  overcommit?: TenantOvercommitArgs;
  /** Extra namespace labels. Default: none. */
  labels?: Record<string, string>;
}

/** A project's allocation on one cluster. */
export interface TenantProjectClusterArgs {
  /** The cluster name. Required. */
  name: string;
  /** The project's quota on the cluster; a missing item is unlimited. Default: none. */
  quota?: Record<string, string>;
  /** StorageClasses assigned to the project on this cluster. Default: none assigned. */
  storageClasses?: string[];
}

export interface TenantProjectArgs {
  /** Project name, the prefix of its namespaces: a DNS label. Required. */
  name: string;
  /** The clusters the project may use, each with its quota. Required. */
  clusters: TenantProjectClusterArgs[];
  /** The project's namespaces (on any of its clusters). Default: none. */
  namespaces?: TenantNamespaceArgs[];
}

export interface TenancyArgs {
  /** The cluster this component manages (namespaces of other clusters are skipped). Required. */
  cluster: string;
  /** The cluster's CNI: `terway` (default), `flannel`, `vpc-cni`, `kube-ovn` or `calico`. */
  cni?: string;
  /** Production: PSA `restricted` is mandatory, namespaces are protected. Default false. */
  production?: boolean;
  /** The projects. Required (may be empty). */
  projects: TenantProjectArgs[];
  /**
   * The add-ons installed on the cluster: a default-deny NetworkPolicy needs a CNI that enforces
   * it (`addon/required`: terway-eniip with NetworkPolicy, vpc-cni with enableNetworkPolicy), and
   * the component's `dependsOn` (that add-on) orders the policies after it. Default: not checked.
   */
  clusterAddons?: InstalledAddonArgs[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The platform's default LimitRange entry for containers. */
export const DEFAULT_LIMIT_RANGE: Required<Pick<TenantLimitRangeArgs, "defaultRequest" | "default">> = {
  defaultRequest: { cpu: "100m", memory: "128Mi" },
  default: { cpu: "500m", memory: "512Mi" },
};

/** One namespace of this cluster, with its defaults applied. */
export interface PlannedNamespace {
  /** Full namespace name, `<project>-<name>`. */
  name: string;
  project: string;
  cluster: string;
  /** Spec path of the namespace, e.g. `projects[0].namespaces[1]`. */
  path: string;
  /** `spec.hard` of the `default` ResourceQuota (imported quotas merged, custom items added). */
  hard: Record<string, string>;
  limits: TenantLimitRangeArgs;
  labels: Record<string, string>;
  defaultDeny: boolean;
  allowFrom: string[];
  overcommit?: TenantOvercommitArgs;
}

export interface TenancyPlan {
  namespaces: PlannedNamespace[];
  diagnostics: Diagnostic[];
}

function schema(resource: string, path: string, message: string): Diagnostic {
  return { rule: SPEC_SCHEMA, severity: "mandatory", resource, path, message };
}

/**
 * Plan the namespaces of the cluster and check every rule: pure, no Pulumi. The diagnostics
 * include advisories; a component throws on the mandatory ones.
 */
export function planTenancy(resource: string, args: TenancyArgs): TenancyPlan {
  const production = args.production ?? false;
  const cni = args.cni ?? "terway";
  const diagnostics: Diagnostic[] = [];
  if (!["terway", "flannel", "vpc-cni", "kube-ovn", "calico"].includes(cni)) {
    diagnostics.push(
      schema(resource, "cni", `cni "${cni}" is not one of terway, flannel, vpc-cni, kube-ovn, calico`),
    );
  }
  const planned: PlannedNamespace[] = [];
  const projectFacts: ProjectQuotaFacts[] = [];
  const nsFacts: NamespaceQuotaFacts[] = [];
  const lrFacts: LimitRangeFacts[] = [];
  const accessNs: NamespaceFact[] = [];
  const seen = new Map<string, string>();

  args.projects.forEach((p, i) => {
    const ppath = `projects[${i}]`;
    if (!DNS_LABEL.test(p.name)) {
      diagnostics.push(schema(resource, `${ppath}.name`, `project name "${p.name}" is not a DNS label`));
    }
    p.clusters.forEach((c, j) => {
      projectFacts.push({
        resource: `project ${p.name}`,
        path: `${ppath}.clusters[${j}]`,
        name: p.name,
        cluster: c.name,
        quota: c.quota,
        storageClasses: c.storageClasses ?? [],
      });
    });
    (p.namespaces ?? []).forEach((n, k) => {
      const path = `${ppath}.namespaces[${k}]`;
      const cluster = n.cluster ?? args.cluster;
      const full = `${p.name}-${n.name}`;
      if (!p.clusters.some((c) => c.name === cluster)) {
        diagnostics.push(
          diagnostic("quota/namespace-exceeds-project", {
            resource: full,
            path: `${path}.cluster`,
            message: `namespace "${full}" is on cluster "${cluster}", where project "${p.name}" has no quota (its clusters: ${p.clusters.map((c) => c.name).join(", ") || "none"}); nothing is left for it`,
          }),
        );
      }
      if (cluster !== args.cluster) return;
      if (!DNS_LABEL.test(full) || full.length > 63) {
        diagnostics.push(
          schema(resource, `${path}.name`, `namespace "${full}" is not a DNS label of at most 63 characters`),
        );
      }
      const first = seen.get(full);
      if (first !== undefined) {
        diagnostics.push(
          schema(resource, `${path}.name`, `namespace "${full}" is declared twice (also at ${first})`),
        );
      }
      seen.set(full, path);

      let merged: Record<string, string> = {};
      try {
        merged = mergeResourceQuotas([...(n.importedQuotas ?? []), ...(n.quota ? [n.quota] : [])]);
      } catch (e) {
        if (!(e instanceof QuantityError)) throw e;
        diagnostics.push(
          diagnostic("quota/namespace-exceeds-project", {
            resource: full,
            path: n.importedQuotas ? `${path}.importedQuotas` : `${path}.quota`,
            message: `namespace "${full}": ${e.message}`,
          }),
        );
      }
      const hard = { ...merged, ...(n.customQuota ?? {}) };
      const limits: TenantLimitRangeArgs = n.limitRange ?? DEFAULT_LIMIT_RANGE;
      const ps = n.podSecurity ?? {};
      const labels: Record<string, string> = {
        ...(n.labels ?? {}),
        [PROJECT_LABEL]: p.name,
        [PSA_ENFORCE]: ps.enforce ?? (production ? "restricted" : "baseline"),
        [PSA_AUDIT]: ps.audit ?? "restricted",
        [PSA_WARN]: ps.warn ?? "restricted",
      };
      if (n.defaultDenyNetworkPolicy === true && cni === "flannel") {
        diagnostics.push(
          schema(
            resource,
            `${path}.defaultDenyNetworkPolicy`,
            `namespace "${full}" asks for a default-deny NetworkPolicy, but cluster "${args.cluster}" runs Flannel, which has no NetworkPolicy (ACK docs: Work with Terway)`,
          ),
        );
      }
      planned.push({
        name: full,
        project: p.name,
        cluster,
        path,
        hard,
        limits,
        labels,
        defaultDeny: n.defaultDenyNetworkPolicy === true && cni !== "flannel",
        allowFrom: n.allowIngressFromNamespaces ?? ["kube-system", "ingress-nginx"],
        overcommit: n.overcommit,
      });
      nsFacts.push({
        resource: full,
        path,
        paths: { quota: n.quota ? `${path}.quota` : `${path}.importedQuotas` },
        name: full,
        project: p.name,
        cluster,
        creating: true,
        quota: merged,
        customQuota: n.customQuota,
        resourceQuotas: [DEFAULT_QUOTA_NAME],
        limitRanges: [DEFAULT_QUOTA_NAME],
        overcommit: n.overcommit,
      });
      lrFacts.push({
        resource: full,
        path: `${path}.limitRange`,
        paths: { limits: `${path}.limitRange` },
        name: DEFAULT_QUOTA_NAME,
        namespace: full,
        limits: [{ type: "Container", ...limits }],
      });
      accessNs.push({ resource: full, path, name: full, tenant: true, labels });
    });
  });

  const quotaFacts: QuotaFacts = {
    projects: projectFacts.filter((p) => p.cluster === args.cluster),
    namespaces: nsFacts,
    limitRanges: lrFacts,
  };
  diagnostics.push(
    ...checkNamespaceExceedsProject(quotaFacts),
    ...checkSingleDefault(quotaFacts),
    ...checkLimitRangeOrder(quotaFacts),
    ...checkReservedName(quotaFacts),
    ...checkStorageClassNotAssigned(quotaFacts),
    ...checkOvercommitRatio(quotaFacts),
    ...checkAccess({ production, namespaces: accessNs }),
  );
  const denying = planned.filter((n) => n.defaultDeny).map((n) => n.name);
  if (denying.length > 0) {
    diagnostics.push(
      ...checkClusterAddons(args.cluster, args.clusterAddons, [
        {
          resource,
          path: "clusterAddons",
          kind: "network-policy",
          label: `the default-deny NetworkPolicies of namespaces ${denying.join(", ")}`,
        },
      ]),
    );
  }
  return { namespaces: planned, diagnostics };
}

/** A LimitRange entry from the args: only the bounds that are set. */
function limitEntry(l: TenantLimitRangeArgs): kubernetes.types.input.core.v1.LimitRangeItem {
  const entry: kubernetes.types.input.core.v1.LimitRangeItem = { type: "Container" };
  for (const k of ["min", "defaultRequest", "default", "max"] as const) if (l[k]) entry[k] = l[k];
  return entry;
}

export class Tenancy extends pulumi.ComponentResource {
  /** The namespaces created on this cluster, `<project>-<name>`. */
  readonly namespaces: pulumi.Output<string[]>;
  /** Namespace names by project. */
  readonly projectNamespaces: pulumi.Output<Record<string, string[]>>;

  constructor(name: string, args: TenancyArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything, the component included.
    const plan = planTenancy(name, args);
    const advisories = judge(`Tenancy "${name}" (cluster "${args.cluster}")`, args, () => plan.diagnostics);
    super("platform:kubernetes:Tenancy", name, {}, opts);
    for (const d of advisories) pulumi.log.warn(`${d.rule} at ${d.path}: ${d.message}`, this);

    const created: pulumi.Output<string>[] = [];
    for (const ns of plan.namespaces) {
      const base = `${name}-${ns.name}`;
      const namespace = new kubernetes.core.v1.Namespace(
        base,
        { metadata: { name: ns.name, labels: ns.labels } },
        // Deleting a namespace deletes everything in it.
        { parent: this, protect: args.production ?? false },
      );
      const nsName = namespace.metadata.name;
      new kubernetes.core.v1.ResourceQuota(
        `${base}-quota`,
        { metadata: { name: DEFAULT_QUOTA_NAME, namespace: nsName }, spec: { hard: ns.hard } },
        { parent: this },
      );
      new kubernetes.core.v1.LimitRange(
        `${base}-limits`,
        {
          metadata: { name: DEFAULT_QUOTA_NAME, namespace: nsName },
          spec: { limits: [limitEntry(ns.limits)] },
        },
        { parent: this },
      );
      if (ns.defaultDeny) {
        new kubernetes.networking.v1.NetworkPolicy(
          `${base}-default-deny`,
          {
            metadata: { name: "default-deny", namespace: nsName },
            spec: {
              podSelector: {},
              policyTypes: ["Ingress"],
              // Pods of the namespace still reach each other, and the ingress controllers' namespaces
              // reach them; everything else is denied.
              ingress: [
                {
                  from: [
                    { podSelector: {} },
                    ...ns.allowFrom.map((n) => ({
                      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": n } },
                    })),
                  ],
                },
              ],
            },
          },
          // The CNI's add-on (the component's dependsOn) enforces it: addon/required.
          { parent: this, dependsOn: dependsOnList(opts) },
        );
      }
      if (ns.overcommit && (ns.overcommit.cpu !== undefined || ns.overcommit.memory !== undefined)) {
        const spec: Record<string, number> = {};
        if (ns.overcommit.cpu !== undefined) spec.cpu = ns.overcommit.cpu;
        if (ns.overcommit.memory !== undefined) spec.memory = ns.overcommit.memory;
        new kubernetes.apiextensions.CustomResource(
          `${base}-overcommit`,
          {
            apiVersion: "resource.alauda.io/v1",
            kind: "NamespaceResourceRatio",
            metadata: { name: `${ns.name}-overcommit`, namespace: nsName },
            spec,
          },
          { parent: this },
        );
      }
      created.push(nsName);
    }

    const byProject: Record<string, string[]> = {};
    for (const ns of plan.namespaces) byProject[ns.project] = [...(byProject[ns.project] ?? []), ns.name];
    this.namespaces = pulumi.all(created);
    this.projectNamespaces = pulumi.output(byProject);
    this.registerOutputs({ namespaces: this.namespaces, projectNamespaces: this.projectNamespaces });
  }
}
