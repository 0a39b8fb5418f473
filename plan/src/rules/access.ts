/**
 * The access rules of RULES.md (`security/cluster-admin-binding`, `security/rbac-clusterrole`,
 * `security/pod-security`) as pure functions over AccessFacts.
 *
 * AccessFacts are built from component args (PlatformRbac, Tenancy) or by the CrossGuard pack
 * from raw Kubernetes properties: RoleBinding/ClusterRoleBinding `roleRef` and `subjects`, and
 * Namespace labels. Every leaf may be undefined, meaning unknown during a preview: an unknown
 * value never produces a violation and never hides a known one.
 */
import { type Diagnostic, diagnostic, type RuleId } from "../diagnostic";

// ---------------------------------------------------------------------------------------------
// Facts

export interface RbacSubjectFact {
  /** `User`, `Group` or `ServiceAccount`. */
  kind?: string;
  name?: string;
  namespace?: string;
}

/** A RoleBinding or ClusterRoleBinding. */
export interface BindingFact {
  /** Logical name or URN. */
  resource: string;
  /** Field path, e.g. `grants[2]` or `roleRef`. */
  path: string;
  /** `RoleBinding` or `ClusterRoleBinding`. */
  kind?: string;
  /** The namespace of a RoleBinding. */
  namespace?: string;
  roleRef?: { kind?: string; name?: string };
  subjects?: RbacSubjectFact[];
  /**
   * A grant of predefined access made by the platform (PlatformRbac labels its bindings with
   * `GRANT_LABEL`); such a grant must name one of the predefined roles. Other bindings (a
   * chart's own controller binding) are checked only when they name a predefined role.
   */
  grant?: boolean;
}

export interface NamespaceFact {
  resource: string;
  /** Field path, e.g. `projects[0].namespaces[1]` or `metadata.labels`. */
  path: string;
  name?: string;
  /** A tenant namespace (one a project owns); system namespaces are out of scope. */
  tenant?: boolean;
  labels?: Record<string, string | undefined>;
}

export interface AccessFacts {
  /** Production: tenant namespaces must enforce `restricted`. */
  production?: boolean;
  /** The identity-provider groups the environment lists as break-glass (may hold cluster-admin). */
  breakGlassGroups?: string[];
  /**
   * The platform's predefined ClusterRoles (metadata names). A grant of one of these must
   * reference it as a ClusterRole; a grant that names a role outside this set is reported too.
   */
  predefinedRoles?: string[];
  /** Predefined roles granted cluster-wide only (ClusterRoleBinding): admin and ops (ACK docs: Authorization overview). */
  clusterWideRoles?: string[];
  bindings?: BindingFact[];
  namespaces?: NamespaceFact[];
}

// ---------------------------------------------------------------------------------------------
// Constants (with their sources)

/** The label PlatformRbac puts on the bindings it makes (value: the role granted). */
export const GRANT_LABEL = "platform.kubeplat.io/grant";
/** The super-user ClusterRole (ACK docs: Grant RBAC permissions to RAM users or RAM roles: "属于集群超级管理员权限，对所有资源都默认拥有权限"). */
export const CLUSTER_ADMIN = "cluster-admin";
/** Pod Security Admission labels (Alauda Container Platform docs: Pod Security Admission; Creating namespaces). */
export const PSA_ENFORCE = "pod-security.kubernetes.io/enforce";
export const PSA_AUDIT = "pod-security.kubernetes.io/audit";
export const PSA_WARN = "pod-security.kubernetes.io/warn";
/** PSA levels (Alauda Container Platform docs: Pod Security Admission): privileged, baseline, restricted. */
export const PSA_LEVELS = ["privileged", "baseline", "restricted"] as const;
export type PsaLevel = (typeof PSA_LEVELS)[number];
/** Levels a tenant namespace may enforce: baseline or restricted; restricted in production. */
export const TENANT_ENFORCE_LEVELS: readonly PsaLevel[] = ["baseline", "restricted"];

// ---------------------------------------------------------------------------------------------
// security/cluster-admin-binding

/** `security/cluster-admin-binding`: only break-glass groups are bound to `cluster-admin`. */
export function checkClusterAdminBinding(facts: AccessFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const breakGlass = new Set(facts.breakGlassGroups ?? []);
  for (const b of facts.bindings ?? []) {
    if (b.roleRef?.name !== CLUSTER_ADMIN) continue;
    // A namespaced Role that happens to be called cluster-admin is not the super-user role; an
    // unknown kind is not reported.
    if (b.roleRef.kind !== "ClusterRole") continue;
    (b.subjects ?? []).forEach((s, i) => {
      if (s.name === undefined || s.kind === undefined) return;
      if (s.kind !== "User" && s.kind !== "Group") return;
      if (s.kind === "Group" && breakGlass.has(s.name)) return;
      const allowed = breakGlass.size > 0 ? [...breakGlass].join(", ") : "none";
      out.push(
        diagnostic("security/cluster-admin-binding", {
          resource: b.resource,
          path: `${b.path}.subjects[${i}]`,
          message: `${s.kind} "${s.name}" is bound to ${CLUSTER_ADMIN} by ${b.kind ?? "a binding"} ${b.resource}; only the break-glass groups may be (break-glass: ${allowed})`,
        }),
      );
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// security/rbac-clusterrole

/** `security/rbac-clusterrole`: predefined access is granted by binding the predefined ClusterRoles. */
export function checkRbacClusterRole(facts: AccessFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const predefined = facts.predefinedRoles;
  if (predefined === undefined) return out;
  const known = new Set(predefined);
  const clusterWide = new Set(facts.clusterWideRoles ?? []);
  for (const b of facts.bindings ?? []) {
    const name = b.roleRef?.name;
    const kind = b.roleRef?.kind;
    if (name === undefined) continue;
    if (name === CLUSTER_ADMIN) continue; // security/cluster-admin-binding's concern
    if (known.has(name)) {
      if (kind !== undefined && kind !== "ClusterRole") {
        out.push(
          diagnostic("security/rbac-clusterrole", {
            resource: b.resource,
            path: `${b.path}.roleRef`,
            message: `${b.kind ?? "binding"} ${b.resource} grants "${name}" through a ${kind}${b.namespace ? ` in namespace "${b.namespace}"` : ""}; predefined access is granted by binding the ClusterRole "${name}" (ACK docs: Authorization overview)`,
          }),
        );
      }
      if (b.kind === "RoleBinding" && clusterWide.has(name)) {
        out.push(
          diagnostic("security/rbac-clusterrole", {
            resource: b.resource,
            path: b.path,
            message: `"${name}" is granted in namespace "${b.namespace ?? "?"}" by a RoleBinding; it covers every namespace and is granted cluster-wide only, by a ClusterRoleBinding (ACK docs: Authorization overview)`,
          }),
        );
      }
    } else if (b.grant === true) {
      out.push(
        diagnostic("security/rbac-clusterrole", {
          resource: b.resource,
          path: `${b.path}.roleRef`,
          message: `${b.kind ?? "binding"} ${b.resource} grants ${kind ?? "role"} "${name}", which is not one of the predefined ClusterRoles (${predefined.join(", ")})`,
        }),
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// security/pod-security

/** `security/pod-security`: tenant namespaces carry PSA labels; enforce baseline or restricted (restricted in production). */
export function checkPodSecurity(facts: AccessFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const production = facts.production ?? false;
  for (const ns of facts.namespaces ?? []) {
    if (ns.tenant !== true || ns.labels === undefined) continue;
    const label = ns.name ? `namespace "${ns.name}"` : "the namespace";
    const has = (k: string) => Object.hasOwn(ns.labels ?? {}, k);
    if (!has(PSA_ENFORCE)) {
      out.push(
        diagnostic("security/pod-security", {
          resource: ns.resource,
          path: `${ns.path}.labels`,
          message: `${label} has no ${PSA_ENFORCE} label; a tenant namespace enforces ${production ? "restricted" : "baseline or restricted"} (Alauda Container Platform docs: Pod Security Admission)`,
        }),
      );
      continue;
    }
    const enforce = ns.labels[PSA_ENFORCE];
    if (enforce === undefined) continue;
    const allowed: readonly string[] = production ? ["restricted"] : TENANT_ENFORCE_LEVELS;
    if (!allowed.includes(enforce)) {
      out.push(
        diagnostic("security/pod-security", {
          resource: ns.resource,
          path: `${ns.path}.labels["${PSA_ENFORCE}"]`,
          message: `${label} enforces "${enforce}"; a ${production ? "production" : "tenant"} namespace enforces ${allowed.join(" or ")}`,
        }),
      );
    }
    for (const k of [PSA_AUDIT, PSA_WARN]) {
      const v = ns.labels[k];
      if (v !== undefined && !(PSA_LEVELS as readonly string[]).includes(v)) {
        out.push(
          diagnostic("security/pod-security", {
            resource: ns.resource,
            path: `${ns.path}.labels["${k}"]`,
            message: `${label} sets ${k} to "${v}", which is not a Pod Security level (${PSA_LEVELS.join(", ")})`,
          }),
        );
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

export const accessRules = {
  "security/cluster-admin-binding": checkClusterAdminBinding,
  "security/rbac-clusterrole": checkRbacClusterRole,
  "security/pod-security": checkPodSecurity,
} satisfies Partial<Record<RuleId, (facts: AccessFacts) => Diagnostic[]>>;

/** Run every access rule over the facts. */
export function checkAccess(facts: AccessFacts): Diagnostic[] {
  return Object.values(accessRules).flatMap((rule) => rule(facts));
}
