/** Tenant workload identity: spec check (no administrator policies), EKS Pod Identity and ACK RRSA roles. */

import { podIdentityTrustPolicy } from "@kubeplat/components/internal/aws/podIdentity";
import { rrsaTrustPolicy, TenantIdentities } from "@kubeplat/components/internal/kubernetes/TenantIdentities";
import { type MockRuntime, startMockRuntime } from "@kubeplat/components/testing";
import { checkAddons, PlatformValidationError, parseEnvironment } from "@kubeplat/plan";
import { beforeAll, describe, expect, it } from "vitest";

let rt: MockRuntime;
beforeAll(async () => {
  rt = await startMockRuntime({ project: "platform", stack: "dev" });
});

function env(cloud: "aws" | "alicloud", roles: unknown[]) {
  const r = parseEnvironment({
    name: "t",
    cloud,
    region: cloud === "aws" ? "eu-central-1" : "cn-hangzhou",
    zones: [cloud === "aws" ? "eu-central-1a" : "cn-hangzhou-i"],
    vpc: { cidr: "10.0.0.0/16" },
    clusters: [{ name: "k", kubernetesVersion: cloud === "aws" ? "1.35" : "1.36.1-aliyun.1" }],
    tenancy: {
      projects: [
        {
          name: "shop",
          clusters: [{ name: "k" }],
          namespaces: [{ name: "web", cluster: "k", serviceAccountRoles: roles }],
        },
      ],
    },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.env;
}
const found = (e: ReturnType<typeof env>) =>
  checkAddons(e)
    .filter((d) => d.rule !== "addon/required")
    .map((d) => `${d.rule} ${d.path}`);

describe("security/tenant-role-admin at spec level", () => {
  it("refuses administrator policies for tenants on both clouds, accepts narrow ones", () => {
    expect(
      found(
        env("aws", [
          { serviceAccount: "app", awsPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"] },
          { serviceAccount: "admin", awsPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
          { serviceAccount: "iam", awsPolicyArns: ["arn:aws-cn:iam::aws:policy/IAMFullAccess"] },
        ]),
      ),
    ).toEqual([
      "security/tenant-role-admin tenancy.projects[0].namespaces[0].serviceAccountRoles[1].awsPolicyArns[0]",
      "security/tenant-role-admin tenancy.projects[0].namespaces[0].serviceAccountRoles[2].awsPolicyArns[0]",
    ]);
    expect(
      found(
        env("alicloud", [
          { serviceAccount: "app", ramPolicies: ["AliyunOSSReadOnlyAccess", "AdministratorAccess"] },
        ]),
      ),
    ).toEqual([
      "security/tenant-role-admin tenancy.projects[0].namespaces[0].serviceAccountRoles[0].ramPolicies[1]",
    ]);
  });

  it("refuses the other cloud's policies", () => {
    expect(found(env("aws", [{ serviceAccount: "app", ramPolicies: ["AliyunOSSReadOnlyAccess"] }]))).toEqual([
      "spec/schema tenancy.projects[0].namespaces[0].serviceAccountRoles[0].ramPolicies",
    ]);
  });
});

describe("TenantIdentities", () => {
  it("EKS: a Pod Identity role with the requested policies, bound to one service account", async () => {
    await rt.run(() => {
      new TenantIdentities("e", {
        cloud: "aws",
        clusterName: "k",
        roles: [
          {
            namespace: "shop-web",
            serviceAccount: "app",
            awsPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
          },
        ],
      });
      return {};
    });
    const role = rt.one("aws:iam/role:Role", "e-shop-web-app");
    expect(JSON.parse(role.inputs.assumeRolePolicy as string)).toEqual(podIdentityTrustPolicy());
    expect(
      rt.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "e-shop-web-app-0").inputs.policyArn,
    ).toBe("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
    expect(
      rt.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "e-shop-web-app").inputs,
    ).toMatchObject({
      clusterName: "k",
      namespace: "shop-web",
      serviceAccount: "app",
    });
  });

  it("ACK: a RAM role trusted through RRSA by exactly that service account", async () => {
    await rt.run(() => {
      new TenantIdentities("a", {
        cloud: "alicloud",
        oidcProviderArn: "acs:ram::1:oidc-provider/ack-rrsa-c1",
        oidcIssuerUrl: "https://oidc-ack-cn-hangzhou.oss-cn-hangzhou-internal.aliyuncs.com/c1",
        roles: [{ namespace: "shop-web", serviceAccount: "app", ramPolicies: ["AliyunOSSReadOnlyAccess"] }],
      });
      return {};
    });
    const role = rt.one("alicloud:ram/role:Role", "a-shop-web-app");
    const trust = JSON.parse(role.inputs.assumeRolePolicyDocument as string);
    expect(trust).toEqual(
      rrsaTrustPolicy(
        "acs:ram::1:oidc-provider/ack-rrsa-c1",
        "https://oidc-ack-cn-hangzhou.oss-cn-hangzhou-internal.aliyuncs.com/c1",
        "shop-web",
        "app",
      ),
    );
    expect(trust).toMatchSnapshot();
    expect(
      rt.one("alicloud:ram/rolePolicyAttachment:RolePolicyAttachment", "a-shop-web-app-0").inputs,
    ).toMatchObject({
      policyName: "AliyunOSSReadOnlyAccess",
      policyType: "System",
    });
  });

  it("refuses an administrator policy before registering anything", async () => {
    let error: PlatformValidationError | undefined;
    await rt.run(() => {
      try {
        new TenantIdentities("bad", {
          cloud: "aws",
          clusterName: "k",
          roles: [
            {
              namespace: "ns",
              serviceAccount: "sa",
              awsPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"],
            },
          ],
        });
      } catch (e) {
        if (!(e instanceof PlatformValidationError)) throw e;
        error = e;
      }
      return {};
    });
    expect(error?.diagnostics.map((d) => `${d.rule} ${d.path}`)).toEqual([
      "security/tenant-role-admin roles[0].awsPolicyArns[0]",
    ]);
    expect(rt.resources.filter((r) => r.name.startsWith("bad-"))).toEqual([]);
  });
});
