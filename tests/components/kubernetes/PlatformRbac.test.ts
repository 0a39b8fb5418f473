import { PlatformRbac, type PlatformRbacArgs } from "@kubeplat/components/internal/kubernetes/PlatformRbac";
import { type MockRuntime, resolveOutput, startMockRuntime } from "@kubeplat/components/testing";
import * as kubernetes from "@pulumi/kubernetes";
import { beforeAll, describe, expect, it } from "vitest";
import { attempt as attemptIn, mine as mineIn } from "../../support/runtime";

let rt: MockRuntime;
beforeAll(async () => {
  rt = await startMockRuntime({ project: "platform", stack: "dev" });
});

/** Construct, returning the validation error if the constructor threw one. */
const attempt = (name: string, args: PlatformRbacArgs) => attemptIn(rt, () => new PlatformRbac(name, args));

const mine = (prefix: string, type?: string) => mineIn(rt, prefix, type);

describe("PlatformRbac", () => {
  it("creates the eight ClusterRoles and binds them to groups per namespace and cluster-wide", async () => {
    const out = await rt.run(async () => {
      const provider = new kubernetes.Provider("rbac-k8s", { kubeconfig: "{}" });
      const rbac = new PlatformRbac(
        "rbac",
        {
          breakGlassGroups: ["sre-break-glass"],
          grants: [
            { group: "team-a-devs", role: "dev", namespaces: ["team-a-web", "team-a-api"] },
            { group: "team-a-leads", role: "dev", namespaces: ["team-a-web"] },
            { group: "platform-ops", role: "ops" },
            { group: "auditors", role: "auditor", namespaces: ["team-a-web"] },
          ],
        },
        { provider },
      );
      return { roles: rbac.clusterRoles, breakGlass: rbac.breakGlassGroups };
    });
    expect(
      mine("rbac")
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toEqual([
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole rbac-admin",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole rbac-auditor",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole rbac-dev",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole rbac-developer",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole rbac-namespace-admin",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole rbac-ops",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole rbac-project-admin",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole rbac-restricted",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding rbac-break-glass",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding rbac-ops",
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding rbac-auditor-team-a-web",
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding rbac-dev-team-a-api",
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding rbac-dev-team-a-web",
      "pulumi:providers:kubernetes rbac-k8s",
    ]);
    const component = rt.one("platform:kubernetes:PlatformRbac", "rbac");
    const dev = rt.one("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "rbac-dev");
    expect(dev.parent).toBe(component.urn);
    expect(dev.provider).toContain("pulumi:providers:kubernetes::rbac-k8s");
    expect((dev.inputs.metadata as { name: string }).name).toBe("platform:dev");

    const web = rt.one("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "rbac-dev-team-a-web");
    expect(web.inputs).toMatchObject({
      metadata: {
        name: "platform:dev",
        namespace: "team-a-web",
        labels: { "platform.kubeplat.io/grant": "dev" },
      },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "platform:dev" },
      subjects: [
        { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "team-a-devs" },
        { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "team-a-leads" },
      ],
    });
    expect(
      rt.one("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "rbac-ops").inputs,
    ).toMatchObject({
      metadata: { name: "platform:ops" },
      roleRef: { kind: "ClusterRole", name: "platform:ops" },
      subjects: [{ kind: "Group", name: "platform-ops" }],
    });
    expect(
      rt.one("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "rbac-break-glass").inputs,
    ).toMatchObject({
      metadata: { name: "platform:break-glass" },
      roleRef: { kind: "ClusterRole", name: "cluster-admin" },
      subjects: [{ kind: "Group", name: "sre-break-glass" }],
    });
    // Nobody else is bound to cluster-admin.
    const toClusterAdmin = mine("rbac").filter(
      (r) => (r.inputs.roleRef as { name?: string } | undefined)?.name === "cluster-admin",
    );
    expect(toClusterAdmin.map((r) => r.name)).toEqual(["rbac-break-glass"]);
    expect(out.breakGlass).toEqual(["sre-break-glass"]);
    expect(await resolveOutput(out.roles as Record<string, string>)).toMatchObject({ dev: "platform:dev" });
  });

  it("refuses cluster-admin for a group that is not break-glass, before creating anything", async () => {
    const error = await attempt("bad-admin", {
      breakGlassGroups: ["sre-break-glass"],
      grants: [{ group: "developers", role: "cluster-admin" }],
    });
    expect(error?.diagnostics.map((d) => d.rule)).toEqual(["security/cluster-admin-binding"]);
    expect(error?.message).toContain('Group "developers" is bound to cluster-admin');
    expect(error?.diagnostics[0]?.path).toBe("grants[0].subjects[0]");
    expect(mine("bad-admin")).toEqual([]);
  });

  it("grants cluster-admin to a break-glass group named in grants", async () => {
    const error = await attempt("glass", {
      breakGlassGroups: ["sre-break-glass"],
      grants: [{ group: "sre-break-glass", role: "cluster-admin" }],
    });
    expect(error).toBeUndefined();
    expect(
      rt.one("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "glass-cluster-admin").inputs,
    ).toMatchObject({ roleRef: { name: "cluster-admin" }, subjects: [{ name: "sre-break-glass" }] });
  });

  it("refuses a role outside the catalogue and ops granted in one namespace (security/rbac-clusterrole)", async () => {
    const error = await attempt("bad-role", {
      grants: [
        { group: "devs", role: "superuser" },
        { group: "ops", role: "ops", namespaces: ["team-a-web"] },
      ],
    });
    expect(error?.diagnostics.map((d) => d.rule)).toEqual([
      "security/rbac-clusterrole",
      "security/rbac-clusterrole",
    ]);
    expect(error?.message).toContain('"platform:ops" is granted in namespace "team-a-web"');
    expect(error?.message).toContain('"superuser", which is not one of the predefined ClusterRoles');
    expect(mine("bad-role")).toEqual([]);
  });
});
