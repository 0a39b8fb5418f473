/**
 * PlatformRbac: the platform's ClusterRoles (the predefined admin/ops/dev/restricted of ACK and
 * the project roles project-admin/namespace-admin/developer/auditor) and their grants to
 * identity-provider groups, per namespace (RoleBinding) or cluster-wide (ClusterRoleBinding).
 * `cluster-admin` is bound to the environment's break-glass groups and nobody else
 * (rule security/cluster-admin-binding).
 *
 * The cluster's Kubernetes provider comes through the standard `provider`/`providers` option.
 */

import { type AccessFacts, type BindingFact, CLUSTER_ADMIN, checkAccess, GRANT_LABEL } from "@kubeplat/plan";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { judge } from "../judgement";
import {
  CLUSTER_WIDE_ROLES,
  clusterRoleName,
  isPlatformRole,
  PLATFORM_ROLES,
  type PlatformRole,
  ROLE_DESCRIPTIONS,
  ROLE_RULES,
} from "./rbacRoles";

/** One grant of a role to an identity-provider group. */
export interface RbacGrantArgs {
  /** The identity-provider group (OIDC `groups` claim, RAM role mapping, IAM access entry group). */
  group: string;
  /**
   * The role granted: one of admin, ops, dev, restricted, project-admin, namespace-admin,
   * developer, auditor; or `cluster-admin`, allowed only for a break-glass group.
   */
  role: string;
  /**
   * The namespaces the grant applies to (one RoleBinding each). Default: none, meaning a
   * cluster-wide grant (ClusterRoleBinding). admin and ops are cluster-wide only.
   */
  namespaces?: string[];
}

export interface PlatformRbacArgs {
  /** Production environment (passed to the rules' severities). Default false. */
  production?: boolean;
  /**
   * The groups the environment names as break-glass: bound to `cluster-admin` by one
   * ClusterRoleBinding (`platform:break-glass`). Default: none, and nobody holds cluster-admin.
   */
  breakGlassGroups?: string[];
  /** The grants. Default: none (the ClusterRoles are still created). */
  grants?: RbacGrantArgs[];
}

/** Prefix of the binding names: `platform:dev` (a RoleBinding in each granted namespace). */
export const ROLE_BINDING_PREFIX = "platform:";

/** The ClusterRoleBinding name of the break-glass groups. */
export const BREAK_GLASS_BINDING = "platform:break-glass";

interface PlannedBinding {
  role: string;
  roleName: string;
  namespace?: string;
  groups: string[];
  paths: string[];
}

/** Group the grants into one binding per (role, namespace), groups sorted, so names never depend on order. */
export function planBindings(args: PlatformRbacArgs): PlannedBinding[] {
  const byKey = new Map<string, PlannedBinding>();
  (args.grants ?? []).forEach((g, i) => {
    const roleName =
      g.role === CLUSTER_ADMIN ? CLUSTER_ADMIN : isPlatformRole(g.role) ? clusterRoleName(g.role) : g.role;
    const scopes: (string | undefined)[] =
      g.namespaces && g.namespaces.length > 0 ? g.namespaces : [undefined];
    for (const ns of scopes) {
      const key = `${g.role}\u0000${ns ?? ""}`;
      const b = byKey.get(key) ?? { role: g.role, roleName, namespace: ns, groups: [], paths: [] };
      if (!b.groups.includes(g.group)) b.groups.push(g.group);
      b.paths.push(`grants[${i}]`);
      byKey.set(key, b);
    }
  });
  const out = [...byKey.values()];
  for (const b of out) b.groups.sort();
  return out.sort((a, b) =>
    a.role === b.role ? (a.namespace ?? "").localeCompare(b.namespace ?? "") : a.role.localeCompare(b.role),
  );
}

/** The access facts of the planned bindings (what the rules see before anything is created). */
export function rbacFacts(resource: string, args: PlatformRbacArgs): AccessFacts {
  const bindings: BindingFact[] = planBindings(args).map((b) => ({
    resource,
    path: b.paths[0] ?? "grants",
    kind: b.namespace === undefined ? "ClusterRoleBinding" : "RoleBinding",
    namespace: b.namespace,
    roleRef: { kind: "ClusterRole", name: b.roleName },
    subjects: b.groups.map((g) => ({ kind: "Group", name: g })),
    grant: true,
  }));
  const breakGlass = args.breakGlassGroups ?? [];
  if (breakGlass.length > 0) {
    bindings.push({
      resource,
      path: "breakGlassGroups",
      kind: "ClusterRoleBinding",
      roleRef: { kind: "ClusterRole", name: CLUSTER_ADMIN },
      subjects: breakGlass.map((g) => ({ kind: "Group", name: g })),
    });
  }
  return {
    production: args.production,
    breakGlassGroups: breakGlass,
    predefinedRoles: PLATFORM_ROLES.map(clusterRoleName),
    clusterWideRoles: CLUSTER_WIDE_ROLES.map(clusterRoleName),
    bindings,
  };
}

/** Kubernetes-safe suffix of a namespace for logical names. */
function slug(s: string): string {
  return s.replace(/[^a-z0-9-]/gi, "-");
}

export class PlatformRbac extends pulumi.ComponentResource {
  /** Metadata names of the ClusterRoles, by role. */
  readonly clusterRoles: pulumi.Output<Record<string, string>>;
  /** The groups bound to cluster-admin. */
  readonly breakGlassGroups: pulumi.Output<string[]>;

  constructor(name: string, args: PlatformRbacArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything, the component included.
    const advisories = judge(`PlatformRbac "${name}"`, args, () => checkAccess(rbacFacts(name, args)));
    super("platform:kubernetes:PlatformRbac", name, {}, opts);
    for (const d of advisories) pulumi.log.warn(`${d.rule}: ${d.message}`, this);

    const roles = {} as Record<PlatformRole, kubernetes.rbac.v1.ClusterRole>;
    for (const role of PLATFORM_ROLES) {
      roles[role] = new kubernetes.rbac.v1.ClusterRole(
        `${name}-${role}`,
        {
          metadata: {
            name: clusterRoleName(role),
            labels: { "app.kubernetes.io/managed-by": "kubeplat", "platform.kubeplat.io/role": role },
            annotations: { "platform.kubeplat.io/description": ROLE_DESCRIPTIONS[role] },
          },
          rules: ROLE_RULES[role],
        },
        { parent: this },
      );
    }

    for (const b of planBindings(args)) {
      const roleRefName = isPlatformRole(b.role) ? roles[b.role].metadata.name : b.roleName;
      const subjects = b.groups.map((g) => ({
        kind: "Group",
        apiGroup: "rbac.authorization.k8s.io",
        name: g,
      }));
      const labels = { "app.kubernetes.io/managed-by": "kubeplat", [GRANT_LABEL]: b.role };
      const roleRef = { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleRefName };
      if (b.namespace === undefined) {
        new kubernetes.rbac.v1.ClusterRoleBinding(
          `${name}-${b.role}`,
          { metadata: { name: `${ROLE_BINDING_PREFIX}${b.role}`, labels }, roleRef, subjects },
          { parent: this },
        );
      } else {
        new kubernetes.rbac.v1.RoleBinding(
          `${name}-${b.role}-${slug(b.namespace)}`,
          {
            metadata: { name: `${ROLE_BINDING_PREFIX}${b.role}`, namespace: b.namespace, labels },
            roleRef,
            subjects,
          },
          { parent: this },
        );
      }
    }

    const breakGlass = [...(args.breakGlassGroups ?? [])].sort();
    if (breakGlass.length > 0) {
      new kubernetes.rbac.v1.ClusterRoleBinding(
        `${name}-break-glass`,
        {
          metadata: { name: BREAK_GLASS_BINDING, labels: { "app.kubernetes.io/managed-by": "kubeplat" } },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: CLUSTER_ADMIN },
          subjects: breakGlass.map((g) => ({
            kind: "Group",
            apiGroup: "rbac.authorization.k8s.io",
            name: g,
          })),
        },
        { parent: this },
      );
    }

    this.clusterRoles = pulumi.output(
      Object.fromEntries(PLATFORM_ROLES.map((r) => [r, roles[r].metadata.name])) as Record<
        string,
        pulumi.Input<string>
      >,
    );
    this.breakGlassGroups = pulumi.output(breakGlass);
    this.registerOutputs({ clusterRoles: this.clusterRoles, breakGlassGroups: this.breakGlassGroups });
  }
}
