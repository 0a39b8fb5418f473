import {
  clusterRoleName,
  PLATFORM_ROLES,
  type PlatformRole,
  type PolicyRule,
  READ,
  ROLE_RULES,
} from "@kubeplat/components/internal/kubernetes/rbacRoles";
import { describe, expect, it } from "vitest";

/** Every (group, resource, verb) a role's rules allow. */
function grants(rules: PolicyRule[]): Set<string> {
  const out = new Set<string>();
  for (const r of rules) {
    for (const g of r.apiGroups ?? []) {
      for (const res of r.resources ?? []) for (const v of r.verbs) out.add(`${g}/${res}:${v}`);
    }
  }
  return out;
}

const can = (role: PlatformRole, group: string, resource: string, verb: string) =>
  grants(ROLE_RULES[role]).has(`${group}/${resource}:${verb}`);

describe("platform ClusterRoles", () => {
  it("are the predefined and project roles, prefixed so they never collide with admin/edit/view or cs:*", () => {
    expect(PLATFORM_ROLES.map(clusterRoleName)).toEqual([
      "platform:admin",
      "platform:ops",
      "platform:dev",
      "platform:restricted",
      "platform:project-admin",
      "platform:namespace-admin",
      "platform:developer",
      "platform:auditor",
    ]);
  });

  it("are well-formed: every rule names verbs and either API groups with resources or URLs; only admin grants wildcards", () => {
    expect(Object.keys(ROLE_RULES).sort()).toEqual([...PLATFORM_ROLES].sort());
    for (const role of PLATFORM_ROLES) {
      expect(ROLE_RULES[role].length, role).toBeGreaterThan(0);
      for (const r of ROLE_RULES[role]) {
        expect(r.verbs.length, role).toBeGreaterThan(0);
        const onResources = (r.apiGroups?.length ?? 0) > 0 && (r.resources?.length ?? 0) > 0;
        const onUrls = (r.nonResourceURLs?.length ?? 0) > 0;
        expect(onResources !== onUrls, `${role}: ${JSON.stringify(r)}`).toBe(true);
        const wildcard = [...(r.resources ?? []), ...r.verbs].includes("*");
        if (role !== "admin") expect(wildcard, `${role}: ${JSON.stringify(r)}`).toBe(false);
      }
    }
  });

  it("admin reads and writes everything (ACK docs: Authorization overview)", () => {
    expect(ROLE_RULES.admin).toEqual([{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]);
  });

  it("ops writes workloads and only reads nodes, volumes, namespaces and quotas (ACK docs: Authorization overview)", () => {
    expect(can("ops", "apps", "deployments", "update")).toBe(true);
    for (const res of ["nodes", "persistentvolumes", "namespaces", "resourcequotas"]) {
      expect(can("ops", "", res, "get")).toBe(true);
      expect(can("ops", "", res, "update")).toBe(false);
      expect(can("ops", "", res, "delete")).toBe(false);
    }
  });

  it("restricted and auditor only read, and never secrets", () => {
    for (const role of ["restricted", "auditor"] as const) {
      const verbs = new Set(ROLE_RULES[role].flatMap((r) => r.verbs));
      expect([...verbs].every((v) => READ.includes(v))).toBe(true);
      expect(can(role, "", "secrets", "get")).toBe(false);
      expect(can(role, "apps", "deployments", "list")).toBe(true);
    }
  });

  it("no tenant role can lift its quota, limits or network policy", () => {
    for (const role of PLATFORM_ROLES.filter((r) => r !== "admin")) {
      for (const [group, res] of [
        ["", "resourcequotas"],
        ["", "limitranges"],
        ["networking.k8s.io", "networkpolicies"],
      ] as const) {
        expect(can(role, group, res, "update"), `${role} updates ${res}`).toBe(false);
        expect(can(role, group, res, "delete"), `${role} deletes ${res}`).toBe(false);
      }
    }
  });

  it("namespace and project admins manage members; developers do not", () => {
    expect(can("namespace-admin", "rbac.authorization.k8s.io", "rolebindings", "create")).toBe(true);
    expect(can("project-admin", "rbac.authorization.k8s.io", "rolebindings", "create")).toBe(true);
    expect(can("developer", "rbac.authorization.k8s.io", "rolebindings", "create")).toBe(false);
    expect(can("dev", "rbac.authorization.k8s.io", "rolebindings", "create")).toBe(false);
  });
});
