import {
  accessPolicyArn,
  checkAccessGrants,
  planAccessEntries,
  principalKey,
  principalOfCaller,
  ROLE_POLICIES,
} from "@kubeplat/components/internal/aws/accessEntries";
import { PREDEFINED_ROLES } from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const ops = "arn:aws:iam::123456789012:role/platform-ops";
const dev = "arn:aws:iam::123456789012:role/team-a-dev";
const breakGlass = "arn:aws:iam::123456789012:role/break-glass";
const facts = (over: Partial<Parameters<typeof checkAccessGrants>[0]> = {}) => ({
  resource: "prod",
  path: "access",
  grants: [],
  breakGlassPrincipalArns: [breakGlass],
  ...over,
});

describe("project roles on EKS: the access entry maps the principal to the grant's group", () => {
  it("plans an entry with the group and no policy, and refuses a project-role grant without a group", () => {
    const plan = planAccessEntries([{ principalArn: dev, role: "developer", group: "team-a-dev" }], []);
    expect(plan).toEqual([
      {
        key: principalKey(dev),
        principalArn: dev,
        associations: [],
        kubernetesGroups: ["team-a-dev"],
      },
    ]);
    const d = checkAccessGrants(facts({ grants: [{ principalArn: dev, role: "auditor" }] }));
    expect(d.map((x) => [x.rule, x.path])).toContainEqual(["spec/schema", "access[0].group"]);
  });
});

describe("platform role → EKS access policy", () => {
  it("maps the four predefined roles and never grants cluster-admin outside break-glass", () => {
    expect(ROLE_POLICIES.admin.policies).toEqual(["AmazonEKSAdminPolicy"]);
    expect(ROLE_POLICIES.ops.policies).toEqual(["AmazonEKSEditPolicy", "AmazonEKSAdminViewPolicy"]);
    expect(ROLE_POLICIES.dev.policies).toEqual(["AmazonEKSEditPolicy"]);
    expect(ROLE_POLICIES.restricted.policies).toEqual(["AmazonEKSViewPolicy"]);
    for (const r of PREDEFINED_ROLES)
      expect(ROLE_POLICIES[r].policies).not.toContain("AmazonEKSClusterAdminPolicy");
    expect(accessPolicyArn("AmazonEKSViewPolicy", "aws-cn")).toBe(
      "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
    );
  });

  it("plans one entry per principal, merging namespaces and keeping cluster scope over namespaces", () => {
    const plan = planAccessEntries(
      [
        { principalArn: dev, role: "dev", namespaces: ["team-a"] },
        { principalArn: dev, role: "dev", namespaces: ["team-b", "team-a"] },
        { principalArn: dev, role: "restricted" },
        { principalArn: ops, role: "ops" },
      ],
      [breakGlass],
    );
    expect(plan).toEqual([
      {
        key: "123456789012-role-break-glass",
        principalArn: breakGlass,
        associations: [{ policy: "AmazonEKSClusterAdminPolicy", scope: { type: "cluster" } }],
        kubernetesGroups: [],
      },
      {
        key: "123456789012-role-platform-ops",
        principalArn: ops,
        associations: [
          { policy: "AmazonEKSAdminViewPolicy", scope: { type: "cluster" } },
          { policy: "AmazonEKSEditPolicy", scope: { type: "cluster" } },
        ],
        kubernetesGroups: [],
      },
      {
        key: "123456789012-role-team-a-dev",
        principalArn: dev,
        associations: [
          { policy: "AmazonEKSEditPolicy", scope: { type: "namespace", namespaces: ["team-a", "team-b"] } },
          { policy: "AmazonEKSViewPolicy", scope: { type: "cluster" } },
        ],
        kubernetesGroups: [],
      },
    ]);
  });

  it("keys a principal by account and path, stable and name-safe", () => {
    expect(principalKey("arn:aws:iam::123456789012:role/teams/a/dev")).toBe("123456789012-role-teams-a-dev");
    expect(principalKey("arn:aws-cn:iam::123456789012:user/alice")).toBe("123456789012-user-alice");
  });

  it("property: every principal gets exactly one entry, no policy twice, and only break-glass gets cluster-admin", () => {
    const arn = fc.constantFrom(ops, dev, breakGlass, "arn:aws:iam::210987654321:user/bob");
    const grant = fc.record({
      principalArn: arn,
      role: fc.constantFrom(...PREDEFINED_ROLES),
      namespaces: fc.option(fc.uniqueArray(fc.constantFrom("a", "b", "c"), { minLength: 1 }), {
        nil: undefined,
      }),
    });
    fc.assert(
      fc.property(fc.array(grant, { maxLength: 12 }), fc.subarray([breakGlass, ops]), (grants, bg) => {
        const plan = planAccessEntries(grants, bg);
        const principals = new Set([...grants.map((g) => g.principalArn), ...bg]);
        expect(plan.map((e) => e.principalArn).sort()).toEqual([...principals].sort());
        for (const e of plan) {
          const policies = e.associations.map((a) => a.policy);
          expect(new Set(policies).size).toBe(policies.length);
          expect(policies.includes("AmazonEKSClusterAdminPolicy")).toBe(bg.includes(e.principalArn));
          for (const a of e.associations) {
            if (a.scope.type === "namespace") {
              // a namespace scope only where no grant of that principal and policy was cluster-wide
              const wide = grants.some(
                (g) =>
                  g.principalArn === e.principalArn &&
                  g.namespaces === undefined &&
                  ROLE_POLICIES[g.role as keyof typeof ROLE_POLICIES].policies.includes(a.policy),
              );
              expect(wide).toBe(false);
            }
          }
        }
      }),
    );
  });
});

describe("access rules on EKS grants", () => {
  it("compliant: predefined roles, namespaced dev, break-glass principal", () => {
    expect(
      checkAccessGrants(
        facts({
          grants: [
            { principalArn: ops, role: "ops" },
            { principalArn: dev, role: "dev", namespaces: ["team-a"] },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it("security/cluster-admin-binding: bootstrapClusterCreatorAdminPermissions binds an unlisted identity", () => {
    const d = checkAccessGrants(facts({ bootstrapClusterCreatorAdminPermissions: true }));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({
      rule: "security/cluster-admin-binding",
      severity: "mandatory",
      path: "bootstrapClusterCreatorAdminPermissions",
    });
    expect(d[0]?.message).toContain("bootstrapClusterCreatorAdminPermissions");
    expect(d[0]?.message).toContain(breakGlass);
  });

  it("security/cluster-admin-binding: a grant of cluster-admin to a principal not listed as break-glass", () => {
    const d = checkAccessGrants(facts({ grants: [{ principalArn: dev, role: "cluster-admin" }] }));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ rule: "security/cluster-admin-binding", path: "access[0].role" });
    expect(d[0]?.message).toContain(dev);
    expect(d[0]?.message).toContain("cluster-admin");
  });

  it("security/rbac-clusterrole: an unknown role and a cluster-wide role limited to namespaces", () => {
    const d = checkAccessGrants(
      facts({
        grants: [
          { principalArn: dev, role: "superuser" },
          { principalArn: ops, role: "admin", namespaces: ["team-a"] },
        ],
      }),
    );
    expect(d.map((x) => [x.rule, x.path])).toEqual([
      ["security/rbac-clusterrole", "access[0].role"],
      ["security/rbac-clusterrole", "access[1].namespaces"],
    ]);
    expect(d[0]?.message).toContain('"superuser"');
    expect(d[0]?.message).toContain("admin, ops, dev, restricted");
    expect(d[1]?.message).toContain('"admin"');
    expect(d[1]?.message).toContain('"team-a"');
  });

  it("spec/schema: a principal that is not an IAM ARN and a bad namespace", () => {
    const d = checkAccessGrants(
      facts({
        breakGlassPrincipalArns: ["alice"],
        grants: [{ principalArn: dev, role: "dev", namespaces: ["Team_A"] }],
      }),
    );
    expect(d.map((x) => [x.rule, x.path])).toEqual([
      ["spec/schema", "breakGlassPrincipalArns[0]"],
      ["spec/schema", "access[0].namespaces[0]"],
    ]);
    expect(d[0]?.message).toContain('"alice"');
    expect(d[1]?.message).toContain('"Team_A"');
  });
});

describe("principalOfCaller (the deployer derived from aws.getCallerIdentity)", () => {
  it.each([
    [
      "arn:aws:sts::111122223333:assumed-role/platform-deployer/ci-1234",
      {
        arn: "arn:aws:iam::111122223333:role/platform-deployer",
        roleName: "platform-deployer",
        supported: true,
      },
    ],
    [
      "arn:aws-cn:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com",
      {
        arn: "arn:aws-cn:iam::111122223333:role/AWSReservedSSO_Admin_0123",
        roleName: "AWSReservedSSO_Admin_0123",
        supported: true,
      },
    ],
    [
      "arn:aws:iam::111122223333:user/alice",
      { arn: "arn:aws:iam::111122223333:user/alice", supported: true },
    ],
    ["arn:aws:iam::111122223333:root", { arn: "arn:aws:iam::111122223333:root", supported: false }],
    [
      "arn:aws:sts::111122223333:federated-user/bob",
      { arn: "arn:aws:sts::111122223333:federated-user/bob", supported: false },
    ],
  ])("%s", (caller, expected) => {
    expect(principalOfCaller(caller)).toEqual(expected);
  });
});
