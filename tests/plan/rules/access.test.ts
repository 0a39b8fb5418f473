import {
  type AccessFacts,
  accessRules,
  type BindingFact,
  checkAccess,
  checkClusterAdminBinding,
  checkPodSecurity,
  checkRbacClusterRole,
  PSA_ENFORCE,
} from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const crb = (subjects: BindingFact["subjects"], roleName = "cluster-admin"): BindingFact => ({
  resource: "ops-binding",
  path: "",
  kind: "ClusterRoleBinding",
  roleRef: { kind: "ClusterRole", name: roleName },
  subjects,
});

describe("security/cluster-admin-binding", () => {
  it("reports a group bound to cluster-admin that is not break-glass, naming it and the break-glass list", () => {
    const d = checkClusterAdminBinding({
      breakGlassGroups: ["sre-break-glass"],
      bindings: [crb([{ kind: "Group", name: "developers" }])],
    });
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({
      rule: "security/cluster-admin-binding",
      severity: "mandatory",
      resource: "ops-binding",
      path: ".subjects[0]",
    });
    expect(d[0]?.message).toContain('Group "developers" is bound to cluster-admin');
    expect(d[0]?.message).toContain("break-glass: sre-break-glass");
  });

  it("reports a user even when a group of the same name is break-glass", () => {
    const d = checkClusterAdminBinding({
      breakGlassGroups: ["alice"],
      bindings: [crb([{ kind: "User", name: "alice" }])],
    });
    expect(d.map((x) => x.rule)).toEqual(["security/cluster-admin-binding"]);
    expect(d[0]?.message).toContain('User "alice"');
  });

  it("accepts the break-glass groups, other roles, service accounts and unknown subjects", () => {
    expect(
      checkClusterAdminBinding({
        breakGlassGroups: ["sre-break-glass"],
        bindings: [
          crb([{ kind: "Group", name: "sre-break-glass" }]),
          crb([{ kind: "Group", name: "developers" }], "platform:dev"),
          crb([{ kind: "ServiceAccount", name: "argo", namespace: "argo" }]),
          crb([{ kind: "Group" }, { name: "x" }]),
          { resource: "r", path: "", subjects: [{ kind: "Group", name: "g" }] },
        ],
      }),
    ).toEqual([]);
  });
});

describe("security/rbac-clusterrole", () => {
  const facts = (bindings: BindingFact[]): AccessFacts => ({
    predefinedRoles: ["platform:admin", "platform:ops", "platform:dev", "platform:restricted"],
    clusterWideRoles: ["platform:admin", "platform:ops"],
    bindings,
  });

  it("reports predefined access granted through a namespaced Role", () => {
    const d = checkRbacClusterRole(
      facts([
        {
          resource: "team-a/dev",
          path: "",
          kind: "RoleBinding",
          namespace: "team-a",
          roleRef: { kind: "Role", name: "platform:dev" },
        },
      ]),
    );
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ rule: "security/rbac-clusterrole", path: ".roleRef" });
    expect(d[0]?.message).toContain('grants "platform:dev" through a Role in namespace "team-a"');
  });

  it("reports a platform grant of a role outside the catalogue, and ops granted in one namespace", () => {
    const d = checkRbacClusterRole(
      facts([
        {
          resource: "g1",
          path: "grants[0]",
          kind: "ClusterRoleBinding",
          roleRef: { kind: "ClusterRole", name: "superuser" },
          grant: true,
        },
        {
          resource: "g2",
          path: "grants[1]",
          kind: "RoleBinding",
          namespace: "team-a",
          roleRef: { kind: "ClusterRole", name: "platform:ops" },
          grant: true,
        },
      ]),
    );
    expect(d.map((x) => x.resource)).toEqual(["g1", "g2"]);
    expect(d[0]?.message).toContain('"superuser", which is not one of the predefined ClusterRoles');
    expect(d[1]?.message).toContain('"platform:ops" is granted in namespace "team-a" by a RoleBinding');
  });

  it("accepts ClusterRole grants per namespace and cluster-wide, and leaves other bindings alone", () => {
    expect(
      checkRbacClusterRole(
        facts([
          {
            resource: "a",
            path: "",
            kind: "RoleBinding",
            namespace: "x",
            roleRef: { kind: "ClusterRole", name: "platform:dev" },
            grant: true,
          },
          {
            resource: "b",
            path: "",
            kind: "ClusterRoleBinding",
            roleRef: { kind: "ClusterRole", name: "platform:ops" },
            grant: true,
          },
          {
            resource: "c",
            path: "",
            kind: "ClusterRoleBinding",
            roleRef: { kind: "ClusterRole", name: "aws-load-balancer-controller" },
          },
          { resource: "d", path: "", kind: "RoleBinding", roleRef: { kind: "Role" } },
        ]),
      ),
    ).toEqual([]);
  });
});

describe("security/pod-security", () => {
  const ns = (labels: Record<string, string | undefined> | undefined, production = false): AccessFacts => ({
    production,
    namespaces: [
      { resource: "team-a-web", path: "projects[0].namespaces[0]", name: "team-a-web", tenant: true, labels },
    ],
  });

  it("reports a tenant namespace without an enforce label", () => {
    const d = checkPodSecurity(ns({ "cpaas.io/project": "team-a" }));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ rule: "security/pod-security", path: "projects[0].namespaces[0].labels" });
    expect(d[0]?.message).toContain('namespace "team-a-web" has no pod-security.kubernetes.io/enforce label');
  });

  it("reports enforce privileged anywhere and baseline in production, naming the value", () => {
    const priv = checkPodSecurity(ns({ [PSA_ENFORCE]: "privileged" }));
    expect(priv[0]?.message).toContain(
      'enforces "privileged"; a tenant namespace enforces baseline or restricted',
    );
    const base = checkPodSecurity(ns({ [PSA_ENFORCE]: "baseline" }, true));
    expect(base[0]).toMatchObject({
      rule: "security/pod-security",
      path: 'projects[0].namespaces[0].labels["pod-security.kubernetes.io/enforce"]',
    });
    expect(base[0]?.message).toContain('enforces "baseline"; a production namespace enforces restricted');
  });

  it("reports an audit or warn label that is not a level", () => {
    const d = checkPodSecurity(
      ns({ [PSA_ENFORCE]: "restricted", "pod-security.kubernetes.io/warn": "strict" }),
    );
    expect(d).toHaveLength(1);
    expect(d[0]?.message).toContain('"strict", which is not a Pod Security level');
  });

  it("accepts baseline outside production, restricted in production, and ignores unknowns and system namespaces", () => {
    expect(checkPodSecurity(ns({ [PSA_ENFORCE]: "baseline" }))).toEqual([]);
    expect(checkPodSecurity(ns({ [PSA_ENFORCE]: "restricted" }, true))).toEqual([]);
    expect(checkPodSecurity(ns({ [PSA_ENFORCE]: undefined }, true))).toEqual([]);
    expect(checkPodSecurity(ns(undefined, true))).toEqual([]);
    expect(
      checkPodSecurity({ namespaces: [{ resource: "kube-system", path: "", tenant: false, labels: {} }] }),
    ).toEqual([]);
  });
});

describe("the access rule catalogue", () => {
  it("maps each id to its function", () => {
    expect(Object.keys(accessRules).sort()).toEqual([
      "security/cluster-admin-binding",
      "security/pod-security",
      "security/rbac-clusterrole",
    ]);
  });

  it("never reports more once facts become unknown", () => {
    const subject = fc.record({
      kind: fc.constantFrom("User", "Group", "ServiceAccount"),
      name: fc.constantFrom("a", "b", "sre"),
    });
    const binding = fc.record({
      kind: fc.constantFrom("RoleBinding", "ClusterRoleBinding"),
      roleKind: fc.constantFrom("Role", "ClusterRole"),
      roleName: fc.constantFrom("cluster-admin", "platform:dev", "platform:ops", "other"),
      grant: fc.boolean(),
      subjects: fc.array(subject, { maxLength: 3 }),
    });
    const level = fc.constantFrom("privileged", "baseline", "restricted", "bogus");
    fc.assert(
      fc.property(
        fc.array(binding, { maxLength: 4 }),
        fc.option(level, { nil: undefined }),
        fc.boolean(),
        fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
        (bindings, enforce, production, m) => {
          let k = 0;
          const keep = () => m[k++ % m.length] !== true;
          const build = (masking: boolean): AccessFacts => ({
            production,
            breakGlassGroups: ["sre"],
            predefinedRoles: ["platform:dev", "platform:ops"],
            clusterWideRoles: ["platform:ops"],
            bindings: bindings.map((b, i) => ({
              resource: `b${i}`,
              path: "",
              kind: !masking || keep() ? b.kind : undefined,
              grant: b.grant,
              roleRef: {
                kind: !masking || keep() ? b.roleKind : undefined,
                name: !masking || keep() ? b.roleName : undefined,
              },
              subjects: b.subjects.map((s) => ({
                kind: s.kind,
                name: !masking || keep() ? s.name : undefined,
              })),
            })),
            namespaces: [
              {
                resource: "ns",
                path: "",
                tenant: true,
                labels:
                  enforce === undefined ? {} : { [PSA_ENFORCE]: !masking || keep() ? enforce : undefined },
              },
            ],
          });
          k = 0;
          const full = checkAccess(build(false)).length;
          k = 0;
          expect(checkAccess(build(true)).length).toBeLessThanOrEqual(full);
        },
      ),
    );
  });
});
