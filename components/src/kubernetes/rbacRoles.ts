/**
 * The platform's ClusterRoles as plain data (no Pulumi import): the four predefined access
 * levels of ACK's authorization page and the four project roles of the ACP project model.
 *
 * Predefined (ACK docs: Authorization overview, repeated ACK docs: Grant RBAC permissions to RAM users or RAM roles):
 *   - admin       所有命名空间下所有资源的读写权限 — read/write on every resource of every namespace;
 *   - ops         所有命名空间下控制台可见资源的读写权限，对集群节点、存储卷、命名空间、配额的只读权限 —
 *                 read/write on the console-visible resources of every namespace, read-only on
 *                 nodes, persistent volumes, namespaces and quotas;
 *   - dev         所有命名空间或所选命名空间下控制台可见资源的读写权限 — read/write on the
 *                 console-visible resources of all or selected namespaces;
 *   - restricted  所有命名空间或所选命名空间下控制台可见资源的只读权限 — read-only on them.
 * Project roles (Alauda Container Platform docs: Projects: roles and permissions):
 *   - project-admin    manages the namespaces of a project: everything a namespace-admin can,
 *                      plus read access to the project's namespaces objects;
 *   - namespace-admin  manages one namespace, including its members (RoleBindings, Alauda Container Platform docs: Managing namespace members);
 *   - developer        read/write on the workloads of a namespace, no RBAC;
 *   - auditor          read-only on everything a namespace holds, secrets excluded.
 *
 * ACK only binds ClusterRoles (ACK docs: Authorization overview):
 * every role here is a ClusterRole, granted per namespace with a RoleBinding or cluster-wide with
 * a ClusterRoleBinding (rule security/rbac-clusterrole). The names carry a `platform:` prefix so
 * they never collide with Kubernetes' own `admin`/`edit`/`view` or ACK's `cs:*` roles.
 *
 * Quotas (ResourceQuota, LimitRange) and NetworkPolicies are the platform's (Tenancy): no tenant
 * role may write them, so a tenant cannot lift its own quota or default-deny policy.
 * Secrets are left out of the read-only roles (restricted, auditor): reading a Secret is reading
 * its credentials.
 */

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}

import { PLATFORM_ROLES, type PlatformRole } from "@kubeplat/plan";

// The roles are defined once, with the spec (plan/spec.ts).
export { PLATFORM_ROLES, type PlatformRole, PREDEFINED_ROLES, PROJECT_ROLES } from "@kubeplat/plan";

/** Roles granted cluster-wide only: admin and ops cover every namespace (ACK docs: Authorization overview). */
export const CLUSTER_WIDE_ROLES: readonly PlatformRole[] = ["admin", "ops"];

/** Prefix of the ClusterRoles' metadata names. */
export const ROLE_PREFIX = "platform:";

/** The ClusterRole name of a platform role: `platform:dev`. */
export function clusterRoleName(role: PlatformRole): string {
  return `${ROLE_PREFIX}${role}`;
}

export function isPlatformRole(role: string): role is PlatformRole {
  return (PLATFORM_ROLES as readonly string[]).includes(role);
}

export const READ = ["get", "list", "watch"];
export const WRITE = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

/** The namespaced workload resources the console shows, by API group. */
const WORKLOADS: PolicyRule[] = [
  {
    apiGroups: [""],
    resources: [
      "pods",
      "services",
      "endpoints",
      "configmaps",
      "secrets",
      "persistentvolumeclaims",
      "serviceaccounts",
      "replicationcontrollers",
    ],
    verbs: WRITE,
  },
  {
    apiGroups: ["apps"],
    resources: [
      "deployments",
      "statefulsets",
      "daemonsets",
      "replicasets",
      "deployments/scale",
      "statefulsets/scale",
    ],
    verbs: WRITE,
  },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: WRITE },
  { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: WRITE },
  { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: WRITE },
  { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: WRITE },
];

/** Interactive access to pods (logs, exec, port-forward). */
const POD_ACCESS: PolicyRule[] = [
  { apiGroups: [""], resources: ["pods/log"], verbs: ["get", "list", "watch"] },
  { apiGroups: [""], resources: ["pods/exec", "pods/attach", "pods/portforward"], verbs: ["get", "create"] },
];

/** What every namespace role may read: events, endpoint slices, the namespace's quota and limits, its network policies. */
const NAMESPACE_VIEW: PolicyRule[] = [
  { apiGroups: [""], resources: ["events", "resourcequotas", "limitranges"], verbs: READ },
  { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: READ },
  { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: READ },
  { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: READ },
];

/** The workload rules read-only, secrets left out. */
function readOnly(rules: PolicyRule[]): PolicyRule[] {
  return rules.map((r) => ({
    ...r,
    resources: (r.resources ?? []).filter((x) => x !== "secrets" && !x.endsWith("/scale")),
    verbs: READ,
  }));
}

/** Managing a namespace's members: RoleBindings (to ClusterRoles the binder holds itself). */
const MEMBERS: PolicyRule[] = [
  { apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: WRITE },
  { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: READ },
];

/** The rules of every platform role. */
export const ROLE_RULES: Readonly<Record<PlatformRole, PolicyRule[]>> = {
  // ACK docs: Authorization overview: every resource, every namespace.
  admin: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
  // ACK docs: Authorization overview: console resources read/write everywhere; nodes, volumes, namespaces, quotas read-only.
  ops: [
    ...WORKLOADS,
    ...POD_ACCESS,
    ...NAMESPACE_VIEW,
    { apiGroups: [""], resources: ["nodes", "persistentvolumes", "namespaces"], verbs: READ },
    { apiGroups: ["storage.k8s.io"], resources: ["storageclasses"], verbs: READ },
    { apiGroups: ["metrics.k8s.io"], resources: ["pods", "nodes"], verbs: READ },
  ],
  // ACK docs: Authorization overview: console resources read/write in all or selected namespaces.
  dev: [...WORKLOADS, ...POD_ACCESS, ...NAMESPACE_VIEW],
  // ACK docs: Authorization overview: console resources read-only.
  restricted: [
    ...readOnly(WORKLOADS),
    { apiGroups: [""], resources: ["pods/log"], verbs: READ },
    ...NAMESPACE_VIEW,
  ],
  "project-admin": [
    ...WORKLOADS,
    ...POD_ACCESS,
    ...NAMESPACE_VIEW,
    ...MEMBERS,
    { apiGroups: [""], resources: ["namespaces"], verbs: READ },
  ],
  "namespace-admin": [...WORKLOADS, ...POD_ACCESS, ...NAMESPACE_VIEW, ...MEMBERS],
  developer: [...WORKLOADS, ...POD_ACCESS, ...NAMESPACE_VIEW],
  auditor: [
    ...readOnly(WORKLOADS),
    { apiGroups: [""], resources: ["pods/log"], verbs: READ },
    ...NAMESPACE_VIEW,
    { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"], verbs: READ },
  ],
};

/** One-line descriptions, put on the ClusterRoles as an annotation. */
export const ROLE_DESCRIPTIONS: Readonly<Record<PlatformRole, string>> = {
  admin: "Read/write on every resource of every namespace (ACK predefined role 管理员).",
  ops: "Read/write on workloads of every namespace; read-only on nodes, volumes, namespaces, quotas (ACK 运维人员).",
  dev: "Read/write on workloads of all or selected namespaces (ACK 开发人员).",
  restricted: "Read-only on workloads of all or selected namespaces, secrets excluded (ACK 受限用户).",
  "project-admin": "Manages the namespaces of a project and their members (项目管理员).",
  "namespace-admin": "Manages one namespace and its members (命名空间管理员).",
  developer: "Read/write on the workloads of a namespace (开发人员).",
  auditor: "Read-only on everything a namespace holds, secrets excluded (审计人员).",
};
