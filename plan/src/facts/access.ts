/**
 * Raw Kubernetes RBAC and Namespace objects → AccessFacts (rules/access.ts).
 * Read: ClusterRoleBinding / RoleBinding `roleRef`, `subjects`, `metadata.namespace`, the
 * platform's grant label; Namespace `metadata.name` and `metadata.labels` (a namespace carrying
 * the project label, config projectLabel, is a tenant namespace).
 */
import { type AccessFacts, type BindingFact, GRANT_LABEL, type NamespaceFact } from "../index";
import { arr, obj, str } from "./known";
import { meta } from "./kubernetes";
import type { Labels, RawResource, RuleContext } from "./rawResource";
import { T } from "./resourceTypes";

export function bindingFact(r: RawResource, labels: Labels): BindingFact {
  const m = meta(r);
  const roleRef = obj(r.props.roleRef);
  const subjects = "subjects" in r.props ? arr(r.props.subjects) : [];
  return {
    resource: labels.of(r),
    path: "",
    kind: r.type === T.clusterRoleBinding ? "ClusterRoleBinding" : "RoleBinding",
    namespace: m.namespace,
    roleRef: roleRef
      ? { kind: str(roleRef.kind), name: str(roleRef.name) }
      : "roleRef" in r.props
        ? {}
        : undefined,
    subjects: subjects?.map((s) => {
      const o = obj(s);
      return { kind: str(o?.kind), name: str(o?.name), namespace: str(o?.namespace) };
    }),
    grant: m.labels === undefined ? undefined : GRANT_LABEL in m.labels,
  };
}

export function namespaceFact(r: RawResource, ctx: RuleContext, labels: Labels): NamespaceFact {
  const m = meta(r);
  return {
    resource: labels.of(r),
    path: "metadata",
    name: m.name ?? r.name,
    tenant: m.labels === undefined ? undefined : ctx.settings.projectLabel in m.labels,
    labels: m.labels,
  };
}

export function accessFacts(r: RawResource, ctx: RuleContext, labels: Labels): AccessFacts {
  const base: AccessFacts = {
    production: ctx.production,
    breakGlassGroups: ctx.settings.breakGlassGroups,
    predefinedRoles: ctx.settings.predefinedRoles,
  };
  if (r.type === T.namespace) return { ...base, namespaces: [namespaceFact(r, ctx, labels)] };
  return { ...base, bindings: [bindingFact(r, labels)] };
}
