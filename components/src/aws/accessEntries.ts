/**
 * The platform's predefined access roles mapped onto EKS access policies (pure, no Pulumi).
 *
 * The roles are those of the Alibaba Cloud side (ACK docs: Authorization overview; Grant RBAC permissions to RAM users or RAM roles):
 * - admin (管理员): read/write on every resource in every namespace (ACK docs: Grant RBAC permissions to RAM users or RAM roles)
 *     → AmazonEKSAdminPolicy, cluster scope. Not cluster-admin: it cannot edit RBAC cluster-wide
 *       or cluster-scoped objects beyond what the Kubernetes `admin` role aggregates.
 * - ops (运维人员): read/write on namespaced resources of every namespace, read-only on nodes,
 *     volumes, namespaces and quotas (ACK docs: Grant RBAC permissions to RAM users or RAM roles)
 *     → AmazonEKSEditPolicy + AmazonEKSAdminViewPolicy (read of cluster-scoped objects), cluster scope.
 * - dev (开发人员): read/write on all namespaces or the chosen ones (ACK docs: Grant RBAC permissions to RAM users or RAM roles)
 *     → AmazonEKSEditPolicy, cluster scope or the listed namespaces.
 * - restricted (受限用户): read-only on all namespaces or the chosen ones (ACK docs: Grant RBAC permissions to RAM users or RAM roles)
 *     → AmazonEKSViewPolicy, cluster scope or the listed namespaces.
 * cluster-admin (AmazonEKSClusterAdminPolicy) goes only to the break-glass principals the
 * environment lists (security/cluster-admin-binding; ACK docs: Grant RBAC permissions to RAM users or RAM roles: cluster-admin holds every
 * permission on every resource, grant it with care).
 */
import type { Diagnostic } from "@kubeplat/plan";
import {
  type BindingFact,
  CLUSTER_ADMIN,
  checkClusterAdminBinding,
  checkRbacClusterRole,
  PLATFORM_ROLES,
  type PREDEFINED_ROLES,
  PROJECT_ROLES,
  type AccessFacts as RbacAccessFacts,
} from "@kubeplat/plan";
import { argProblem, DNS_LABEL } from "./argCheck";

/** The roles EKS access policies express: the four predefined ones (plan/spec.ts). */
type PolicyRole = (typeof PREDEFINED_ROLES)[number];

export type EksAccessPolicy =
  | "AmazonEKSClusterAdminPolicy"
  | "AmazonEKSAdminPolicy"
  | "AmazonEKSEditPolicy"
  | "AmazonEKSViewPolicy"
  | "AmazonEKSAdminViewPolicy";

interface RoleMapping {
  policies: EksAccessPolicy[];
  /** Whether the role may be narrowed to namespaces (dev, restricted: ACK docs: Grant RBAC permissions to RAM users or RAM roles). */
  namespaced: boolean;
}

export const ROLE_POLICIES: Readonly<Record<PolicyRole, RoleMapping>> = {
  admin: { policies: ["AmazonEKSAdminPolicy"], namespaced: false },
  ops: { policies: ["AmazonEKSEditPolicy", "AmazonEKSAdminViewPolicy"], namespaced: false },
  dev: { policies: ["AmazonEKSEditPolicy"], namespaced: true },
  restricted: { policies: ["AmazonEKSViewPolicy"], namespaced: true },
};

export const BREAK_GLASS_POLICY: EksAccessPolicy = "AmazonEKSClusterAdminPolicy";

/** `arn:<partition>:eks::aws:cluster-access-policy/<policy>`. */
export function accessPolicyArn(policy: EksAccessPolicy, partition = "aws"): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${policy}`;
}

/** One grant of a predefined role to an IAM principal. */
export interface AccessGrant {
  /** IAM role or user ARN. */
  principalArn: string;
  /**
   * A platform role (plan/spec.ts PLATFORM_ROLES). admin, ops, dev and restricted map onto EKS
   * access policies; the project roles have none and need `group`.
   */
  role: string;
  /**
   * The Kubernetes group the principal is mapped to (the access entry's `kubernetesGroups`),
   * which PlatformRbac binds to the role's ClusterRole. Required for the project roles.
   */
  group?: string;
  /** dev and restricted only: limit the grant to these namespaces. Default: every namespace. */
  namespaces?: string[];
}

export type AccessScope = { type: "cluster" } | { type: "namespace"; namespaces: string[] };

export interface PolicyAssociationPlan {
  policy: EksAccessPolicy;
  scope: AccessScope;
}

/** One EKS access entry (one per principal) and its policy associations. */
export interface AccessEntryPlan {
  /** Stable name suffix derived from the principal ARN. */
  key: string;
  principalArn: string;
  associations: PolicyAssociationPlan[];
  /** Kubernetes groups of the principal (project-role grants); [] when none. */
  kubernetesGroups: string[];
}

const PRINCIPAL_ARN = /^arn:(aws[a-z-]*):(iam|sts)::(\d{12}):((role|user)\/[\w+=,.@/-]+)$/;

/**
 * A resource-name suffix for a principal: `<account>-<role|user>-<path-and-name>`, stable as
 * long as the ARN is (a principal is its ARN). Characters outside [A-Za-z0-9-] become `-`.
 */
export function principalKey(principalArn: string): string {
  const m = PRINCIPAL_ARN.exec(principalArn);
  const raw = m ? `${m[3]}-${m[4]}` : principalArn;
  return raw.replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
}

export interface AccessGrantFacts {
  resource: string;
  /** Path of the grants array in the args, e.g. `access`. */
  path: string;
  grants: readonly AccessGrant[];
  breakGlassPrincipalArns: readonly string[];
  /** EKS `bootstrapClusterCreatorAdminPermissions`: the creator becomes cluster-admin. */
  bootstrapClusterCreatorAdminPermissions?: boolean;
  breakGlassPath?: string;
}

/** The subject name the cluster creator takes in diagnostics (its ARN is not known to the program). */
export const CLUSTER_CREATOR =
  "(the identity running the deployment: bootstrapClusterCreatorAdminPermissions)";

/**
 * EKS access grants as the RBAC facts of plan/rules/access.ts: a grant of role R to principal P
 * is a binding of ClusterRole R to P (a ClusterRoleBinding, or one RoleBinding per namespace);
 * a break-glass principal is a break-glass subject bound to cluster-admin; the creator's
 * bootstrap permissions are a cluster-admin binding of a subject no list names.
 */
export function accessRuleFacts(f: AccessGrantFacts): RbacAccessFacts {
  const bindings: BindingFact[] = [];
  const clusterAdmin = { kind: "ClusterRole", name: CLUSTER_ADMIN };
  if (f.bootstrapClusterCreatorAdminPermissions === true) {
    bindings.push({
      resource: f.resource,
      path: "bootstrapClusterCreatorAdminPermissions",
      kind: "ClusterRoleBinding",
      roleRef: clusterAdmin,
      subjects: [{ kind: "User", name: CLUSTER_CREATOR }],
    });
  }
  for (const [i, arn] of f.breakGlassPrincipalArns.entries()) {
    bindings.push({
      resource: f.resource,
      path: `${f.breakGlassPath ?? "breakGlassPrincipalArns"}[${i}]`,
      kind: "ClusterRoleBinding",
      roleRef: clusterAdmin,
      subjects: [{ kind: "Group", name: arn }],
    });
  }
  for (const [i, g] of f.grants.entries()) {
    const base = {
      resource: f.resource,
      path: `${f.path}[${i}]`,
      roleRef: { kind: "ClusterRole", name: g.role },
      subjects: [{ kind: "User", name: g.principalArn }],
      grant: true,
    };
    if (g.namespaces === undefined || g.namespaces.length === 0) {
      bindings.push({ ...base, kind: "ClusterRoleBinding" });
    } else {
      for (const ns of g.namespaces) bindings.push({ ...base, kind: "RoleBinding", namespace: ns });
    }
  }
  return {
    breakGlassGroups: [...f.breakGlassPrincipalArns],
    predefinedRoles: [...PLATFORM_ROLES],
    clusterWideRoles: (Object.keys(ROLE_POLICIES) as PolicyRole[]).filter(
      (r) => !ROLE_POLICIES[r].namespaced,
    ),
    bindings,
  };
}

/**
 * The arg path of a binding diagnostic: a grant's role (`access[i].role`) for its roleRef or
 * subject, its namespaces for a cluster-wide role bound per namespace; elsewhere the binding's.
 */
function argPath(path: string, grantsPath: string): string {
  const prefix = `${grantsPath}[`;
  if (path.startsWith(prefix)) {
    const m = /^(\[\d+\])(\.roleRef|\.subjects\[\d+\])?$/.exec(path.slice(grantsPath.length));
    if (m) return `${grantsPath}${m[1]}.${m[2] ? "role" : "namespaces"}`;
  }
  return path.replace(/\.subjects\[\d+\]$/, "");
}

/**
 * security/cluster-admin-binding and security/rbac-clusterrole (the shared rules of
 * plan/rules/access.ts) over EKS access grants, plus the shape of each grant (principal ARN,
 * namespaces) as spec/schema. Diagnostics point at the arg: `access[i].role`, `access[i].namespaces`.
 */
export function checkAccessGrants(f: AccessGrantFacts): Diagnostic[] {
  const facts = accessRuleFacts(f);
  const out: Diagnostic[] = [...checkClusterAdminBinding(facts), ...checkRbacClusterRole(facts)].map((d) => ({
    ...d,
    path: argPath(d.path, f.path),
  }));
  const bgPath = f.breakGlassPath ?? "breakGlassPrincipalArns";
  for (const [i, arn] of f.breakGlassPrincipalArns.entries()) {
    if (!PRINCIPAL_ARN.test(arn)) {
      out.push(
        argProblem(f.resource, `${bgPath}[${i}]`, `${JSON.stringify(arn)} is not an IAM role or user ARN`),
      );
    }
  }
  for (const [i, g] of f.grants.entries()) {
    const at = `${f.path}[${i}]`;
    if (!PRINCIPAL_ARN.test(g.principalArn)) {
      out.push(
        argProblem(
          f.resource,
          `${at}.principalArn`,
          `${JSON.stringify(g.principalArn)} is not an IAM role or user ARN`,
        ),
      );
    }
    const projectRole = (PROJECT_ROLES as readonly string[]).includes(g.role);
    if (projectRole && (g.group === undefined || g.group === "")) {
      out.push(
        argProblem(
          f.resource,
          `${at}.group`,
          `role ${JSON.stringify(g.role)} has no EKS access policy: it reaches the cluster through the grant's Kubernetes group, and principal ${g.principalArn} has none`,
        ),
      );
    }
    if (g.namespaces === undefined) continue;
    if (g.namespaces.length === 0) {
      out.push(
        argProblem(
          f.resource,
          `${at}.namespaces`,
          `empty namespaces for principal ${g.principalArn}: omit namespaces for a cluster-wide ${g.role} grant`,
        ),
      );
    }
    for (const [j, ns] of g.namespaces.entries()) {
      if (!DNS_LABEL.test(ns)) {
        out.push(
          argProblem(
            f.resource,
            `${at}.namespaces[${j}]`,
            `namespace ${JSON.stringify(ns)} is not a DNS-1123 label`,
          ),
        );
      }
    }
  }
  return out;
}

/**
 * The access entries to create: one per principal (EKS allows one entry per principal), each
 * with one association per policy; a policy granted both cluster-wide and per namespace keeps
 * the cluster scope, namespace grants of one policy are merged. Assumes checkAccess passed;
 * unknown roles are skipped. Deterministic: entries sorted by key, associations by policy.
 */
export function planAccessEntries(
  grants: readonly AccessGrant[],
  breakGlassPrincipalArns: readonly string[],
): AccessEntryPlan[] {
  const byPrincipal = new Map<string, Map<EksAccessPolicy, Set<string> | "cluster">>();
  const groups = new Map<string, Set<string>>();
  const add = (arn: string, policy: EksAccessPolicy, namespaces: readonly string[] | undefined) => {
    const policies = byPrincipal.get(arn) ?? new Map<EksAccessPolicy, Set<string> | "cluster">();
    byPrincipal.set(arn, policies);
    const current = policies.get(policy);
    if (namespaces === undefined || current === "cluster") {
      policies.set(policy, "cluster");
      return;
    }
    const set = current ?? new Set<string>();
    for (const ns of namespaces) set.add(ns);
    policies.set(policy, set);
  };
  for (const arn of breakGlassPrincipalArns) add(arn, BREAK_GLASS_POLICY, undefined);
  for (const g of grants) {
    const mapping = (ROLE_POLICIES as Record<string, RoleMapping | undefined>)[g.role];
    if (mapping) {
      for (const p of mapping.policies) add(g.principalArn, p, mapping.namespaced ? g.namespaces : undefined);
      continue;
    }
    // A project role: no EKS access policy; the entry maps the principal to the grant's group,
    // which PlatformRbac binds to the role's ClusterRole (per namespace or cluster-wide).
    if (g.group === undefined || g.group === "") continue;
    if (!byPrincipal.has(g.principalArn)) byPrincipal.set(g.principalArn, new Map());
    const set = groups.get(g.principalArn) ?? new Set<string>();
    set.add(g.group);
    groups.set(g.principalArn, set);
  }
  return [...byPrincipal.entries()]
    .map(([principalArn, policies]) => ({
      key: principalKey(principalArn),
      principalArn,
      kubernetesGroups: [...(groups.get(principalArn) ?? [])].sort(),
      associations: [...policies.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(
          ([policy, scope]): PolicyAssociationPlan => ({
            policy,
            scope:
              scope === "cluster"
                ? { type: "cluster" }
                : { type: "namespace", namespaces: [...scope].sort() },
          }),
        ),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * The IAM principal behind an STS caller ARN (`aws.getCallerIdentity().arn`), as an EKS access
 * entry names it:
 * - `arn:aws:sts::111122223333:assumed-role/ROLE/SESSION` → role ROLE of account 111122223333.
 *   STS drops the role's IAM path (`/aws-reserved/sso.amazonaws.com/` of an IAM Identity Center
 *   role, for instance), so `roleName` is returned for the caller to resolve with
 *   `aws.iam.getRole`, whose ARN has the path; `arn` is the path-less guess.
 * - an IAM user or role ARN is its own principal.
 * Anything else (the account root, a federated user) cannot hold an access entry: `arn` is
 * returned unchanged and `supported` is false.
 */
export function principalOfCaller(callerArn: string): {
  arn: string;
  roleName?: string;
  supported: boolean;
} {
  const assumed = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/[^/]+$/.exec(callerArn);
  if (assumed) {
    const [, partition, account, role] = assumed as unknown as [string, string, string, string];
    return { arn: `arn:${partition}:iam::${account}:role/${role}`, roleName: role, supported: true };
  }
  if (PRINCIPAL_ARN.test(callerArn) && /^arn:[^:]+:iam::/.test(callerArn)) {
    return { arn: callerArn, supported: true };
  }
  return { arn: callerArn, supported: false };
}
