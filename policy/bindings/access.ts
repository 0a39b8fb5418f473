/** security/cluster-admin-binding, security/rbac-clusterrole, security/pod-security on raw Kubernetes objects. */
import { type AccessFacts, accessRules } from "@kubeplat/plan";
import { accessFacts, T } from "@kubeplat/plan/facts";
import type { ResourceBinding } from "../define";

const BINDINGS = [T.clusterRoleBinding, T.roleBinding];

export const accessBindings: ResourceBinding<AccessFacts>[] = [
  {
    scope: "resource",
    rule: "security/cluster-admin-binding",
    description:
      "No user or group is bound to cluster-admin except the break-glass groups (config breakGlassGroups).",
    types: BINDINGS,
    settings: ["breakGlassGroups"],
    facts: accessFacts,
    check: accessRules["security/cluster-admin-binding"],
  },
  {
    scope: "resource",
    rule: "security/rbac-clusterrole",
    description:
      "Predefined access (config predefinedRoles) is granted by binding ClusterRoles, per namespace or cluster-wide.",
    types: BINDINGS,
    settings: ["predefinedRoles"],
    facts: accessFacts,
    check: accessRules["security/rbac-clusterrole"],
  },
  {
    scope: "resource",
    rule: "security/pod-security",
    description:
      "Every tenant namespace (config projectLabel) carries Pod Security Admission labels; enforce is baseline or restricted (restricted in production).",
    types: [T.namespace],
    settings: ["productionStacks", "projectLabel"],
    facts: accessFacts,
    check: accessRules["security/pod-security"],
  },
];
