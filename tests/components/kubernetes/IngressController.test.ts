import { podIdentityTrustPolicy } from "@kubeplat/components/internal/aws/podIdentity";
import { AWS_LB_CONTROLLER_POLICY } from "@kubeplat/components/internal/kubernetes/awsLbControllerIamPolicy";
import {
  IngressController,
  type IngressControllerArgs,
} from "@kubeplat/components/internal/kubernetes/IngressController";
import { ingressNginxValues } from "@kubeplat/components/internal/kubernetes/ingressNginxValues";
import { type MockRuntime, resolveOutput, startMockRuntime } from "@kubeplat/components/testing";
import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { attempt as attemptIn, withSelf } from "../../support/runtime";

let rt: MockRuntime;
beforeAll(async () => {
  rt = await startMockRuntime({
    project: "platform",
    stack: "prod",
    state: (a) =>
      a.type === "aws:iam/role:Role"
        ? { arn: `arn:aws:iam::123456789012:role/${a.name}`, name: a.name }
        : a.type === "aws:iam/policy:Policy"
          ? { arn: `arn:aws:iam::123456789012:policy/${a.name}` }
          : undefined,
  });
});

const RELEASE = "kubernetes:helm.sh/v3:Release";
const mine = (prefix: string, type?: string) => withSelf(rt, prefix, type);

const attempt = (name: string, args: IngressControllerArgs) =>
  attemptIn(rt, () => new IngressController(name, args));

describe("IngressController kind nginx", () => {
  it("installs the pinned chart on ACK as an extra controller behind an NLB, protected in production", async () => {
    const out = await rt.run(async () => {
      const provider = new kubernetes.Provider("prod-k8s", { kubeconfig: "{}" });
      const ic = new IngressController(
        "public",
        {
          kind: "nginx",
          cloud: "alicloud",
          production: true,
          replicas: 3,
          loadBalancer: {
            type: "nlb",
            zoneMappings: [
              { zone: "cn-hangzhou-j", vSwitchId: pulumi.output("vsw-j") },
              { zone: "cn-hangzhou-k", vSwitchId: "vsw-k" },
            ],
          },
        },
        { provider },
      );
      return { className: ic.className, serviceName: ic.serviceName };
    });
    expect(mine("public").map((r) => r.urn)).toEqual([
      "urn:pulumi:prod::platform::pulumi:pulumi:Stack$platform:kubernetes:IngressController::public",
      "urn:pulumi:prod::platform::platform:kubernetes:IngressController$kubernetes:core/v1:Namespace::public-namespace",
      "urn:pulumi:prod::platform::platform:kubernetes:IngressController$kubernetes:helm.sh/v3:Release::public-release",
    ]);
    // The namespace is the platform's own resource: Helm's createNamespace would leave it behind
    // on destroy. Protected like the release: deleting it deletes the load balancer's Service.
    const namespace = rt.one("kubernetes:core/v1:Namespace", "public-namespace");
    expect(namespace.inputs).toMatchObject({ metadata: { name: "ingress-nginx" } });
    expect(namespace.protect).toBe(true);
    const release = rt.one(RELEASE, "public-release");
    expect(release.provider).toContain("pulumi:providers:kubernetes::prod-k8s");
    expect(release.protect).toBe(true);
    expect(release.replaceOnChanges).toEqual(["values.controller.service.loadBalancerClass"]);
    expect(release.inputs).toMatchObject({
      name: "ingress-nginx-public",
      chart: "ingress-nginx",
      version: "4.14.3",
      repositoryOpts: { repo: "https://kubernetes.github.io/ingress-nginx" },
      namespace: "ingress-nginx",
    });
    expect(release.inputs.createNamespace).toBeUndefined();
    // The recorded values are exactly the generator's, with the vSwitch ids resolved.
    expect(release.inputs.values).toEqual(
      ingressNginxValues({
        release: "ingress-nginx-public",
        className: "public",
        defaultClass: false,
        replicas: 3,
        production: true,
        loadBalancer: {
          cloud: "alicloud",
          kind: "nlb",
          addressType: "internet",
          deletionProtection: true,
          zoneMappings: [
            { zone: "cn-hangzhou-j", vSwitchId: "vsw-j" },
            { zone: "cn-hangzhou-k", vSwitchId: "vsw-k" },
          ],
        },
      }),
    );
    expect(release.inputs.values).toMatchSnapshot();
    expect(out).toEqual({
      className: "public",
      serviceName: "ingress-nginx/ingress-nginx-public-controller",
    });
  });

  it("owns the class nginx on EKS, where no default nginx controller runs", async () => {
    await rt.run(async () => {
      new IngressController("eks-nginx", { kind: "nginx", cloud: "aws", defaultClass: true });
      return {};
    });
    const values = rt.one(RELEASE, "eks-nginx-release").inputs.values as {
      controller: Record<string, unknown>;
    };
    expect(values.controller.ingressClassResource).toMatchObject({ name: "nginx", default: true });
    expect((values.controller.service as { annotations: Record<string, string> }).annotations).toMatchObject({
      "service.beta.kubernetes.io/aws-load-balancer-type": "external",
    });
    expect(rt.one(RELEASE, "eks-nginx-release").protect).toBe(false);
  });

  it("refuses an extra controller on the class nginx (ingress/class-unique), before creating anything", async () => {
    const error = await attempt("extra-nginx", { kind: "nginx", cloud: "alicloud", className: "nginx" });
    expect(error?.diagnostics.map((d) => d.rule)).toEqual(["ingress/class-unique", "ingress/class-unique"]);
    expect(error?.message).toContain('an extra nginx ingress controller uses the class "nginx"');
    expect(error?.message).toContain("the cluster's default nginx ingress controller");
    expect(mine("extra-nginx")).toEqual([]);
  });

  it("refuses a class another controller of the cluster already has", async () => {
    const error = await attempt("dup", {
      kind: "nginx",
      cloud: "aws",
      className: "web",
      existingClasses: ["alb", "web"],
    });
    expect(error?.diagnostics.map((d) => `${d.rule} ${d.path}`)).toEqual(["ingress/class-unique className"]);
    expect(error?.message).toContain('IngressClass "web" is already used by existing IngressClass "web"');
  });

  it("refuses one replica in production (ingress/replicas) and unprotected balancers", async () => {
    const error = await attempt("single", {
      kind: "nginx",
      cloud: "alicloud",
      production: true,
      replicas: 1,
      loadBalancer: { deletionProtection: false },
    });
    expect(error?.diagnostics.map((d) => `${d.rule} ${d.path}`)).toEqual([
      "ingress/replicas replicas",
      "security/deletion-protection loadBalancer.deletionProtection",
    ]);
    expect(error?.message).toContain("runs 1 replica(s) in a production environment; it needs at least 2");
    expect(mine("single")).toEqual([]);
  });

  it("lets a dev environment run one replica, as an advisory", async () => {
    const error = await attempt("dev-single", { kind: "nginx", cloud: "alicloud", replicas: 1 });
    expect(error).toBeUndefined();
    expect(
      (rt.one(RELEASE, "dev-single-release").inputs.values as { controller: { replicaCount: number } })
        .controller.replicaCount,
    ).toBe(1);
  });

  it("refuses an ACK NLB in one zone and, in production, a control-plane node selector", async () => {
    const error = await attempt("nlb1", {
      kind: "nginx",
      cloud: "alicloud",
      production: true,
      nodeSelector: { "node-role.kubernetes.io/control-plane": "" },
      loadBalancer: { type: "nlb", zoneMappings: [{ zone: "cn-hangzhou-j", vSwitchId: "vsw-j" }] },
    });
    expect(error?.diagnostics.map((d) => `${d.rule} ${d.path}`)).toEqual([
      "spec/schema loadBalancer.zoneMappings",
      "ingress/replicas replicas",
    ]);
    expect(error?.message).toContain("zoneMappings has 1 zone(s) [cn-hangzhou-j]");
    expect(error?.message).toContain("nodeSelector node-role.kubernetes.io/control-plane");
  });
});

describe("IngressController kind alb", () => {
  it("creates the AlbConfig over two zones and its IngressClass, protected in production", async () => {
    await rt.run(async () => {
      new IngressController("alb", {
        kind: "alb",
        production: true,
        defaultClass: true,
        alb: {
          vSwitches: [
            { zone: "cn-hangzhou-j", vSwitchId: "vsw-j" },
            { zone: "cn-hangzhou-k", vSwitchId: pulumi.output("vsw-k") },
          ],
          accessLogProject: "k8s-log",
          accessLogStore: "alb_prod",
        },
      });
      return {};
    });
    const config = rt.one("kubernetes:alibabacloud.com/v1:AlbConfig", "alb-albconfig");
    expect(config.protect).toBe(true);
    expect(config.inputs).toMatchObject({
      apiVersion: "alibabacloud.com/v1",
      kind: "AlbConfig",
      metadata: { name: "alb" },
      spec: {
        config: {
          addressType: "Internet",
          deletionProtectionEnabled: true,
          zoneMappings: [{ vSwitchId: "vsw-j" }, { vSwitchId: "vsw-k" }],
          accessLogConfig: { logProject: "k8s-log", logStore: "alb_prod" },
        },
      },
    });
    const cls = rt.one("kubernetes:networking.k8s.io/v1:IngressClass", "alb-class");
    expect(cls.inputs).toMatchObject({
      metadata: { name: "alb", annotations: { "ingressclass.kubernetes.io/is-default-class": "true" } },
      spec: { controller: "ingress.k8s.alibabacloud/alb", parameters: { kind: "AlbConfig", name: "alb" } },
    });
  });

  it("refuses vSwitches in one zone (ingress/alb-vswitches), naming them", async () => {
    const error = await attempt("alb1", {
      kind: "alb",
      alb: {
        vSwitches: [
          { zone: "cn-hangzhou-j", vSwitchId: "vsw-1" },
          { zone: "cn-hangzhou-j", vSwitchId: "vsw-2" },
        ],
      },
    });
    expect(error?.diagnostics.map((d) => `${d.rule} ${d.path}`)).toEqual([
      "ingress/alb-vswitches alb.vSwitches",
    ]);
    expect(error?.message).toContain("vsw-1@cn-hangzhou-j, vsw-2@cn-hangzhou-j");
    expect(mine("alb1")).toEqual([]);
  });

  it("refuses ALB deletion protection off in production", async () => {
    const error = await attempt("alb-unprotected", {
      kind: "alb",
      production: true,
      alb: {
        deletionProtection: false,
        vSwitches: [
          { zone: "a", vSwitchId: "vsw-a" },
          { zone: "b", vSwitchId: "vsw-b" },
        ],
      },
    });
    expect(error?.diagnostics.map((d) => `${d.rule} ${d.path}`)).toEqual([
      "security/deletion-protection alb.deletionProtection",
    ]);
  });
});

describe("IngressController kind aws-lb-controller", () => {
  it("creates the IRSA role with the controller's policy and installs the pinned chart", async () => {
    const out = await rt.run(async () => {
      const k8s = new kubernetes.Provider("eks-k8s", { kubeconfig: "{}" });
      const awsProvider = new aws.Provider("eks-aws", { region: "us-east-1" });
      const ic = new IngressController(
        "lbc",
        {
          kind: "aws-lb-controller",
          production: true,
          aws: {
            clusterName: "prod",
            identity: "irsa",
            oidcProviderArn:
              "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
            oidcProviderUrl: "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
            region: "us-east-1",
            vpcId: "vpc-1",
          },
        },
        { providers: [k8s, awsProvider] },
      );
      return { roleArn: ic.roleArn, className: ic.className };
    });
    expect(
      mine("lbc")
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toEqual([
      "aws:iam/policy:Policy lbc-policy",
      "aws:iam/role:Role lbc-role",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment lbc-policy",
      "kubernetes:helm.sh/v3:Release lbc-release",
      "platform:kubernetes:IngressController lbc",
    ]);
    const role = rt.one("aws:iam/role:Role", "lbc-role");
    expect(role.provider).toContain("pulumi:providers:aws::eks-aws");
    expect(JSON.parse(role.inputs.assumeRolePolicy as string)).toMatchObject({
      Statement: [
        {
          Principal: {
            Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
          },
          Condition: {
            StringEquals: {
              "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub":
                "system:serviceaccount:kube-system:aws-load-balancer-controller",
            },
          },
        },
      ],
    });
    expect(JSON.parse(rt.one("aws:iam/policy:Policy", "lbc-policy").inputs.policy as string)).toEqual(
      AWS_LB_CONTROLLER_POLICY,
    );
    const release = rt.one(RELEASE, "lbc-release");
    expect(release.provider).toContain("pulumi:providers:kubernetes::eks-k8s");
    expect(release.inputs).toMatchObject({
      name: "aws-load-balancer-controller",
      chart: "aws-load-balancer-controller",
      version: "1.14.0",
      repositoryOpts: { repo: "https://aws.github.io/eks-charts" },
      namespace: "kube-system",
      values: {
        clusterName: "prod",
        region: "us-east-1",
        vpcId: "vpc-1",
        replicaCount: 2,
        ingressClass: "alb",
        serviceAccount: {
          create: true,
          name: "aws-load-balancer-controller",
          annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/lbc-role" },
        },
      },
    });
    expect(out.className).toBe("alb");
    expect(await resolveOutput(out.roleArn as string)).toBe("arn:aws:iam::123456789012:role/lbc-role");
  });

  it("binds the controller's role through EKS Pod Identity by default, after the agent add-on", async () => {
    await rt.run(async () => {
      const k8s = new kubernetes.Provider("eks2-k8s", { kubeconfig: "{}" });
      const agent = new aws.eks.Addon("agent", { clusterName: "prod", addonName: "eks-pod-identity-agent" });
      new IngressController(
        "lbp",
        { kind: "aws-lb-controller", aws: { clusterName: "prod" } },
        { providers: [k8s], dependsOn: [agent] },
      );
      return {};
    });
    const role = rt.one("aws:iam/role:Role", "lbp-role");
    expect(JSON.parse(role.inputs.assumeRolePolicy as string)).toEqual(podIdentityTrustPolicy());
    const association = rt.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "lbp-identity");
    expect(association.inputs).toMatchObject({
      clusterName: "prod",
      namespace: "kube-system",
      serviceAccount: "aws-load-balancer-controller",
      roleArn: "arn:aws:iam::123456789012:role/lbp-role",
    });
    const agentUrn = rt.one("aws:eks/addon:Addon", "agent").urn;
    expect(association.dependencies).toContain(agentUrn);
    const release = rt.one(RELEASE, "lbp-release");
    expect(release.dependencies).toEqual(expect.arrayContaining([association.urn, agentUrn]));
    // No IRSA annotation: EKS injects the credentials.
    expect((release.inputs.values as { serviceAccount: Record<string, unknown> }).serviceAccount).toEqual({
      create: true,
      name: "aws-load-balancer-controller",
    });
  });

  it("refuses IRSA without the OIDC provider", async () => {
    const error = await attempt("lbi-bad", {
      kind: "aws-lb-controller",
      aws: { clusterName: "c", identity: "irsa" },
    });
    expect(error?.diagnostics.map((d) => `${d.rule} ${d.path}`)).toEqual(["spec/schema aws.identity"]);
  });

  it("refuses missing OIDC settings and the wrong cloud", async () => {
    const error = await attempt("lbc-bad", { kind: "aws-lb-controller", cloud: "alicloud" });
    expect(error?.diagnostics.map((d) => `${d.rule} ${d.path}`)).toEqual([
      "spec/schema cloud",
      "spec/schema aws",
    ]);
    expect(mine("lbc-bad")).toEqual([]);
  });
});
