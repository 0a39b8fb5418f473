import {
  checkEksClusterArgs,
  EksCluster,
  type EksClusterArgs,
} from "@kubeplat/components/internal/aws/EksCluster";
import { renderKubeconfig } from "@kubeplat/components/internal/aws/kubeconfig";
import { type MockRuntime, startMockRuntime } from "@kubeplat/components/testing";
import { PlatformValidationError } from "@kubeplat/plan";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT, awsState, EKS_CA, EKS_ENDPOINT, EKS_ISSUER, role } from "./fixtures";

const subnets = [
  { id: "subnet-a", zone: "eu-west-1a" },
  { id: "subnet-b", zone: "eu-west-1b" },
  { id: "subnet-c", zone: "eu-west-1c" },
];

const production: EksClusterArgs = {
  clusterName: "prod-main",
  production: true,
  kubernetesVersion: "1.35",
  subnets,
  vpcCidrs: ["10.20.0.0/16"],
  serviceCidr: "172.17.0.0/20",
  access: [
    { principalArn: role("platform-admin"), role: "admin" },
    { principalArn: role("platform-ops"), role: "ops" },
    { principalArn: role("team-a-dev"), role: "dev", namespaces: ["team-a"] },
    { principalArn: role("auditor"), role: "restricted" },
  ],
  breakGlassPrincipalArns: [role("break-glass")],
  deployers: [role("platform-deployer")],
  tags: { environment: "prod" },
};

const C = "urn:pulumi:prod::platform::platform:aws:EksCluster";
/** How the provider's inputs carry a secret (Pulumi's wire form). */
const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });

describe("EksCluster", () => {
  let rt: MockRuntime;
  beforeAll(async () => {
    rt = await startMockRuntime({
      project: "platform",
      stack: "prod",
      state: awsState,
      config: { "aws:region": "eu-west-1" },
      // The identity running the program: an IAM Identity Center session, whose role has a path
      // that the STS ARN drops.
      call: (a) =>
        a.token === "aws:index/getCallerIdentity:getCallerIdentity"
          ? {
              accountId: ACCOUNT,
              arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com`,
            }
          : a.token === "aws:iam/getRole:getRole"
            ? {
                name: a.inputs.name,
                arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/${String(a.inputs.name)}`,
              }
            : undefined,
    });
  });
  const under = (prefix: string) => rt.resources.filter((r) => r.name.startsWith(prefix));

  it("production: private endpoint, KMS secrets encryption, logging, access entries, OIDC, protected", async () => {
    let cluster: EksCluster | undefined;
    const out = await rt.run(() => {
      cluster = new EksCluster("prod", production);
      return {
        kubeconfig: cluster.kubeconfig,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcIssuerUrl: cluster.oidcIssuerUrl,
        sg: cluster.clusterSecurityGroupId,
        ca: cluster.certificateAuthorityData,
        kms: cluster.kmsKeyArn,
      };
    });
    expect(
      under("prod")
        .map((r) => r.urn)
        .sort(),
    ).toEqual([
      `${C}$aws:eks/accessEntry:AccessEntry::prod-access-123456789012-role-auditor`,
      `${C}$aws:eks/accessEntry:AccessEntry::prod-access-123456789012-role-break-glass`,
      `${C}$aws:eks/accessEntry:AccessEntry::prod-access-123456789012-role-platform-admin`,
      `${C}$aws:eks/accessEntry:AccessEntry::prod-access-123456789012-role-platform-deployer`,
      `${C}$aws:eks/accessEntry:AccessEntry::prod-access-123456789012-role-platform-ops`,
      `${C}$aws:eks/accessEntry:AccessEntry::prod-access-123456789012-role-team-a-dev`,
      `${C}$aws:eks/accessPolicyAssociation:AccessPolicyAssociation::prod-access-123456789012-role-auditor-view`,
      `${C}$aws:eks/accessPolicyAssociation:AccessPolicyAssociation::prod-access-123456789012-role-break-glass-clusteradmin`,
      `${C}$aws:eks/accessPolicyAssociation:AccessPolicyAssociation::prod-access-123456789012-role-platform-admin-admin`,
      `${C}$aws:eks/accessPolicyAssociation:AccessPolicyAssociation::prod-access-123456789012-role-platform-deployer-clusteradmin`,
      `${C}$aws:eks/accessPolicyAssociation:AccessPolicyAssociation::prod-access-123456789012-role-platform-ops-adminview`,
      `${C}$aws:eks/accessPolicyAssociation:AccessPolicyAssociation::prod-access-123456789012-role-platform-ops-edit`,
      `${C}$aws:eks/accessPolicyAssociation:AccessPolicyAssociation::prod-access-123456789012-role-team-a-dev-edit`,
      `${C}$aws:eks/cluster:Cluster::prod-cluster`,
      `${C}$aws:iam/openIdConnectProvider:OpenIdConnectProvider::prod-oidc`,
      `${C}$aws:iam/role:Role::prod-cluster-role`,
      `${C}$aws:iam/rolePolicy:RolePolicy::prod-cluster-kms`,
      `${C}$aws:iam/rolePolicyAttachment:RolePolicyAttachment::prod-cluster-policy`,
      `${C}$aws:kms/key:Key::prod-secrets-key`,
      `${C}$pulumi:providers:kubernetes::prod-k8s`,
      "urn:pulumi:prod::platform::pulumi:pulumi:Stack$platform:aws:EksCluster::prod",
    ]);

    const c = rt.one("aws:eks/cluster:Cluster", "prod-cluster");
    expect(c.inputs).toMatchObject({
      name: "prod-main",
      version: "1.35",
      // Always registered: EKS's own default is EXTENDED (billed).
      upgradePolicy: { supportType: "STANDARD" },
      roleArn: role("prod-cluster-role"),
      vpcConfig: {
        subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
        endpointPrivateAccess: true,
        endpointPublicAccess: false,
      },
      kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: "172.17.0.0/20" },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
      enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      encryptionConfig: {
        provider: { keyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/prod-secrets-key` },
        resources: ["secrets"],
      },
      deletionProtection: true,
      tags: { environment: "prod" },
    });
    expect((c.inputs.vpcConfig as Record<string, unknown>).publicAccessCidrs).toBeUndefined();
    // Output-only upstream ("Value for unconfigurable attribute", pulumi/pulumi-aws issue 4558).
    expect((c.inputs.vpcConfig as Record<string, unknown>).vpcId).toBeUndefined();
    expect(c.protect).toBe(true);
    expect(c.replaceOnChanges).toEqual([
      "name",
      "kubernetesNetworkConfig.serviceIpv4Cidr",
      "kubernetesNetworkConfig.ipFamily",
      "accessConfig.bootstrapClusterCreatorAdminPermissions",
    ]);
    expect(rt.one("aws:kms/key:Key", "prod-secrets-key")).toMatchObject({
      protect: true,
      inputs: { enableKeyRotation: true, deletionWindowInDays: 30 },
    });
    const kmsPolicy = JSON.parse(
      rt.one("aws:iam/rolePolicy:RolePolicy", "prod-cluster-kms").inputs.policy as string,
    );
    expect(kmsPolicy.Statement[0].Resource).toBe(`arn:aws:kms:eu-west-1:${ACCOUNT}:key/prod-secrets-key`);
    expect(
      JSON.parse(rt.one("aws:iam/role:Role", "prod-cluster-role").inputs.assumeRolePolicy as string),
    ).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "eks.amazonaws.com" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
        },
      ],
    });

    // Access: admin/ops cluster-wide, dev per namespace, restricted view, cluster-admin only for break-glass and the deployer.
    const association = (n: string) =>
      rt.one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation", n).inputs;
    expect(association("prod-access-123456789012-role-team-a-dev-edit")).toEqual({
      clusterName: "prod-main",
      principalArn: role("team-a-dev"),
      policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
      accessScope: { type: "namespace", namespaces: ["team-a"] },
    });
    expect(association("prod-access-123456789012-role-platform-admin-admin")).toMatchObject({
      policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy",
      accessScope: { type: "cluster" },
    });
    expect(association("prod-access-123456789012-role-auditor-view").policyArn).toBe(
      "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
    );
    const clusterAdmins = rt
      .byType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
      .filter((r) => String(r.inputs.policyArn).endsWith("/AmazonEKSClusterAdminPolicy"));
    expect(clusterAdmins.map((r) => r.inputs.principalArn)).toEqual([
      role("break-glass"),
      role("platform-deployer"),
    ]);
    expect(
      rt.one("aws:eks/accessEntry:AccessEntry", "prod-access-123456789012-role-platform-ops").inputs,
    ).toMatchObject({
      clusterName: "prod-main",
      principalArn: role("platform-ops"),
      type: "STANDARD",
    });

    // OIDC provider for IAM roles for service accounts.
    expect(rt.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "prod-oidc").inputs).toMatchObject({
      url: EKS_ISSUER,
      clientIdLists: ["sts.amazonaws.com"],
    });
    expect(out.oidcIssuerUrl).toBe(EKS_ISSUER);
    expect(out.oidcProviderArn).toBe(
      `arn:aws:iam::${ACCOUNT}:oidc-provider/${EKS_ISSUER.replace("https://", "")}`,
    );
    expect(out.sg).toBe("sg-cluster");
    expect(out.ca).toBe(EKS_CA);
    expect(out.kms).toBe(`arn:aws:kms:eu-west-1:${ACCOUNT}:key/prod-secrets-key`);

    // The kubeconfig is a secret, and the provider of the in-cluster components uses it.
    const expected = renderKubeconfig({
      clusterName: "prod-main",
      endpoint: EKS_ENDPOINT,
      certificateAuthorityData: EKS_CA,
      region: "eu-west-1",
    });
    expect(out.kubeconfig).toBe(expected);
    expect(await pulumi.isSecret((cluster as EksCluster).kubeconfig)).toBe(true);
    expect(rt.one("pulumi:providers:kubernetes", "prod-k8s").inputs).toMatchObject({
      kubeconfig: secret(expected),
      enableServerSideApply: "true",
    });
  });

  it("development: public endpoint behind an allow-list, a given KMS key, unprotected", async () => {
    await rt.run(() => {
      new EksCluster("dev", {
        subnets: subnets.slice(0, 2),
        endpoint: { publicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] },
        secretsEncryption: { kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/shared" },
        logTypes: ["audit"],
        kubeconfigRoleArn: role("deployer"),
      });
      return {};
    });
    const c = rt.one("aws:eks/cluster:Cluster", "dev-cluster");
    expect(c.protect).toBe(false);
    expect(c.inputs).toMatchObject({
      name: "dev",
      deletionProtection: false,
      enabledClusterLogTypes: ["audit"],
      vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] },
      encryptionConfig: { provider: { keyArn: "arn:aws:kms:eu-west-1:123456789012:key/shared" } },
    });
    expect(under("dev").filter((r) => r.type === "aws:kms/key:Key")).toEqual([]);
    // No deployers named: the identity running the program gets cluster-admin, its assumed role
    // resolved to the role's ARN with its IAM path.
    const sso = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123`;
    expect(
      under("dev")
        .filter((r) => r.type.startsWith("aws:eks/access"))
        .map((r) => [r.name, r.inputs.principalArn, r.inputs.policyArn, r.inputs.accessScope]),
    ).toEqual([
      ["dev-deployer", sso, undefined, undefined],
      [
        "dev-deployer-cluster-admin",
        sso,
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        { type: "cluster" },
      ],
    ]);
    expect(rt.one("aws:eks/accessEntry:AccessEntry", "dev-deployer").replaceOnChanges).toEqual([
      "principalArn",
    ]);
    const kc = rt.one("pulumi:providers:kubernetes", "dev-k8s").inputs.kubeconfig as { value: string };
    expect(kc.value).toContain(`--role-arn\n          - ${role("deployer")}`);
  });

  it("throws one error listing every violation before registering anything", async () => {
    let error: unknown;
    try {
      new EksCluster("bad", {
        ...production,
        deletionProtection: false,
        secretsEncryption: { enabled: false },
        bootstrapClusterCreatorAdminPermissions: true,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlatformValidationError);
    expect((error as PlatformValidationError).diagnostics.map((d) => d.rule)).toEqual([
      "security/deletion-protection",
      "security/secrets-encryption",
      "security/cluster-admin-binding",
    ]);
    expect((error as Error).message).toContain(
      "[mandatory] security/secrets-encryption at secretsEncryption.enabled (bad)",
    );
    await rt.settle();
    expect(rt.resources.filter((r) => r.name.startsWith("bad"))).toEqual([]);
  });

  it("supportType: extended is passed as EXTENDED; another word is refused at supportType", () => {
    expect(checkEksClusterArgs("prod", { ...production, supportType: "extended" })).toEqual([]);
    const d = checkEksClusterArgs("prod", { ...production, supportType: "EXTENDED" });
    expect(d.map((x) => [x.rule, x.path])).toEqual([["spec/schema", "supportType"]]);
  });

  it("cluster/version-supported: a version past standard support is refused in production, advised elsewhere", () => {
    // EKS 1.31: standard support ended 2025-11-26 (versions.ts); today is later.
    const prod = checkEksClusterArgs("prod", { ...production, kubernetesVersion: "1.31" });
    expect(prod.map((d) => [d.rule, d.path, d.severity])).toEqual([
      ["cluster/version-supported", "kubernetesVersion", "mandatory"],
    ]);
    const dev = checkEksClusterArgs("dev", { ...production, production: false, kubernetesVersion: "1.31" });
    expect(dev.filter((d) => d.rule === "cluster/version-supported").map((d) => d.severity)).toEqual([
      "advisory",
    ]);
  });

  it("security/deployer-access: in-cluster objects with nobody to create them, or a private endpoint deployed from the internet", () => {
    const none = checkEksClusterArgs("prod", { ...production, deployers: [] });
    expect(none.map((d) => [d.rule, d.path])).toEqual([["security/deployer-access", "deployers"]]);
    expect(
      checkEksClusterArgs("prod", { ...production, deployers: [], managesInClusterObjects: false }),
    ).toEqual([]);
    expect(
      checkEksClusterArgs("prod", {
        ...production,
        deployers: [],
        bootstrapClusterCreatorAdminPermissions: true,
      }).map((d) => d.rule),
    ).toEqual(["security/cluster-admin-binding"]);
    const reach = checkEksClusterArgs("prod", { ...production, deployFrom: "internet" });
    expect(reach.map((d) => [d.rule, d.path])).toEqual([["security/deployer-access", "deployFrom"]]);
    expect(checkEksClusterArgs("prod", { ...production, deployFrom: "vpc" })).toEqual([]);
  });

  it("the production args are compliant", () => {
    expect(checkEksClusterArgs("prod", production)).toEqual([]);
  });
});

describe("EksCluster rules", () => {
  const check = (over: Partial<EksClusterArgs>) => checkEksClusterArgs("prod", { ...production, ...over });
  const only = (over: Partial<EksClusterArgs>, rule: string) => {
    const d = check(over);
    expect(d.map((x) => x.rule)).toEqual(d.map(() => rule));
    expect(d.length).toBeGreaterThan(0);
    return d;
  };

  it("security/deletion-protection: production without deletion protection or protect", () => {
    const d = only({ deletionProtection: false, protect: false }, "security/deletion-protection");
    expect(d.map((x) => [x.severity, x.path])).toEqual([
      ["mandatory", "deletionProtection"],
      ["mandatory", "protect"],
    ]);
    expect(d[0]?.message).toContain('production cluster "prod-main": deletionProtection false');
  });

  it("security/secrets-encryption: production without KMS encryption", () => {
    const [d] = only({ secretsEncryption: { enabled: false } }, "security/secrets-encryption");
    expect(d).toMatchObject({ severity: "mandatory", path: "secretsEncryption.enabled" });
    expect(d?.message).toContain("prod-main");
  });

  it("security/public-api-server: a public endpoint open to 0.0.0.0/0 or without allow-list", () => {
    const [open] = only(
      { endpoint: { publicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } },
      "security/public-api-server",
    );
    expect(open).toMatchObject({ severity: "mandatory", path: "endpoint.publicAccessCidrs" });
    expect(open?.message).toContain("0.0.0.0/0");
    const [none] = only({ endpoint: { publicAccess: true } }, "security/public-api-server");
    expect(none?.message).toContain("no allow-list");
    // advisory outside production
    expect(
      check({ production: false, endpoint: { publicAccess: true } }).map((x) => [x.rule, x.severity]),
    ).toContainEqual(["security/public-api-server", "advisory"]);
  });

  it("cluster/zones: production in one zone; EKS needs two zones even outside production", () => {
    const d = only({ subnets: [subnets[0] as (typeof subnets)[0]] }, "cluster/zones");
    // One finding: the rule function judges EKS's two-zone minimum for every layer (spec, component, pack).
    expect(d.map((x) => x.path)).toEqual(["subnets"]);
    expect(d[0]?.message).toContain("eu-west-1a");
    const dev = checkEksClusterArgs("dev", { subnets: [subnets[0] as (typeof subnets)[0]] });
    expect(dev.filter((x) => x.rule === "cluster/zones").map((x) => x.severity)).toEqual(["mandatory"]);
    expect(dev.find((x) => x.rule === "cluster/zones")?.message).toContain("at least 2");
  });

  it("cluster/name: characters EKS and the platform reject", () => {
    const d = only({ clusterName: "prod_main!" }, "cluster/name");
    expect(d.map((x) => x.path)).toEqual(["clusterName", "clusterName"]);
    expect(d[0]?.message).toContain('"!"');
    expect(d[1]?.message).toContain('"prod_main!"');
  });

  it("cluster/tags: a reserved aws: key", () => {
    const [d] = only({ tags: { "aws:owner": "me" } }, "cluster/tags");
    expect(d?.message).toContain('"aws:owner"');
  });

  it("cidr/invalid and cidr/service-overlaps-vpc on the service CIDR and the allow-list", () => {
    expect(only({ serviceCidr: "172.17.0.1/20" }, "cidr/invalid")[0]?.message).toContain("172.17.0.0/20");
    const [eks] = only({ serviceCidr: "100.64.0.0/16" }, "cidr/invalid");
    expect(eks?.message).toContain("100.64.0.0/16");
    expect(eks?.message).toContain("/12 to /24");
    const [overlap] = only({ serviceCidr: "10.20.64.0/20" }, "cidr/service-overlaps-vpc");
    expect(overlap?.message).toContain("10.20.64.0/20");
    expect(overlap?.message).toContain("10.20.0.0/16");
    const [acl] = only(
      { endpoint: { publicAccess: true, publicAccessCidrs: ["203.0.113.7/24"] } },
      "cidr/invalid",
    );
    expect(acl?.path).toBe("endpoint.publicAccessCidrs[0]");
  });

  it("security/cluster-admin-binding and security/rbac-clusterrole on access entries", () => {
    const [creator] = only(
      { bootstrapClusterCreatorAdminPermissions: true },
      "security/cluster-admin-binding",
    );
    expect(creator?.path).toBe("bootstrapClusterCreatorAdminPermissions");
    const [unknown] = only(
      { access: [{ principalArn: role("x"), role: "owner" }] },
      "security/rbac-clusterrole",
    );
    expect(unknown?.message).toContain('"owner"');
  });

  it("spec/schema: version, unreachable endpoint, log type, allow-list without public endpoint", () => {
    const d = only(
      {
        kubernetesVersion: "1.33.1-aliyun.1",
        endpoint: { privateAccess: false, publicAccess: false, publicAccessCidrs: ["203.0.113.0/24"] },
        logTypes: ["api", "kubelet"],
      },
      "spec/schema",
    );
    expect(d.map((x) => x.path)).toEqual([
      "kubernetesVersion",
      "endpoint",
      "endpoint.publicAccessCidrs",
      "logTypes[1]",
    ]);
    expect(d[0]?.message).toContain('"1.33.1-aliyun.1"');
    expect(d[3]?.message).toContain('"kubelet"');
  });
});
