/**
 * The reference AWS environment end to end under the mock runtime: the planner's 3-zone
 * production plan → AwsNetwork → EksCluster → NodeImage (Bottlerocket) → one EksNodeGroup.
 * The URN list is pinned: a change to it is a change to what `pulumi up` creates or replaces.
 */

import { AwsNetwork } from "@kubeplat/components/internal/aws/AwsNetwork";
import { EksCluster } from "@kubeplat/components/internal/aws/EksCluster";
import { EksNodeGroup, IMAGE_IDENTITY_TAG } from "@kubeplat/components/internal/aws/EksNodeGroup";
import { NodeImage } from "@kubeplat/components/internal/nodeimage/NodeImage";
import { type MockRuntime, startMockRuntime } from "@kubeplat/components/testing";
import { planFromSpec } from "@kubeplat/plan";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { awsState, EKS_ENDPOINT, referenceSpec, role } from "./fixtures";

const AMI = "ami-0bottlerocket133";

describe("reference AWS environment (production, 3 zones, one node group)", () => {
  let rt: MockRuntime;
  const ssmParameters: string[] = [];
  beforeAll(async () => {
    rt = await startMockRuntime({
      project: "platform",
      stack: "prod",
      state: awsState,
      config: { "aws:region": "eu-west-1" },
      call: (args) => {
        if (args.token === "aws:ssm/getParameter:getParameter") {
          ssmParameters.push(String(args.inputs.name));
          return { name: args.inputs.name, value: AMI, type: "String" };
        }
        return undefined;
      },
    });
  });

  it("pins every URN and wires plan → network → cluster → image → node group", async () => {
    const r = planFromSpec(referenceSpec);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const { plan, env } = r;
    const clusterPlan = plan.clusters[0];
    const poolSpec = env.clusters[0]?.nodePools[0];
    if (!clusterPlan || !poolSpec) throw new Error("reference plan has no cluster or pool");
    let cluster: EksCluster | undefined;

    const out = await rt.run(() => {
      const network = new AwsNetwork("prod", {
        production: plan.production,
        vpc: plan.vpc,
        subnets: plan.vswitches,
        clusterNames: { main: "prod-main" },
      });
      const nodeSubnets = plan.vswitches.filter((s) => s.cluster === "main" && s.role === "node");
      const subnetId = (key: string) =>
        network.subnets.apply((all) => all.find((s) => s.key === key)?.id ?? "");
      cluster = new EksCluster("prod-main", {
        production: plan.production,
        kubernetesVersion: "1.35",
        subnets: nodeSubnets.map((s) => ({ id: subnetId(s.key), zone: s.zone })),
        vpcCidrs: [plan.vpc.cidr, ...plan.vpc.secondaryCidrs],
        serviceCidr: clusterPlan.serviceCidr,
        access: [{ principalArn: role("platform-ops"), role: "ops" }],
        deployers: [role("platform-deployer")],
      });
      const image = new NodeImage("prod-main-general", {
        family: "bottlerocket",
        kubernetesVersion: "1.35",
        production: plan.production,
        kubelet: { maxPods: clusterPlan.maxPodsPerNode },
        nodeLabels: poolSpec.labels,
        bottlerocket: {
          clusterName: cluster.clusterName,
          apiServer: cluster.endpoint,
          clusterCertificate: cluster.certificateAuthorityData,
        },
      });
      const pool = new EksNodeGroup("prod-main-general", {
        clusterName: cluster.clusterName,
        subnetIds: nodeSubnets.map((s) => subnetId(s.key)),
        production: plan.production,
        amiId: image.imageId,
        userData: image.userData,
        imageIdentity: image.identity,
        imageFamily: image.family,
        instanceTypes: poolSpec.instanceTypes,
        minSize: poolSpec.minSize,
        maxSize: poolSpec.maxSize,
        autoscaling: poolSpec.autoscaling,
        labels: poolSpec.labels,
      });
      return {
        kubeconfig: cluster.kubeconfig,
        identity: image.identity,
        version: pool.launchTemplateVersion,
      };
    });

    const S = "urn:pulumi:prod::platform::pulumi:pulumi:Stack";
    const NET = "urn:pulumi:prod::platform::platform:aws:AwsNetwork";
    const EKS = "urn:pulumi:prod::platform::platform:aws:EksCluster";
    const NG = "urn:pulumi:prod::platform::platform:aws:EksNodeGroup";
    expect(rt.urns()).toEqual([
      `${NET}$aws:ec2/eip:Eip::prod-nat-eu-west-1a-eip`,
      `${NET}$aws:ec2/eip:Eip::prod-nat-eu-west-1b-eip`,
      `${NET}$aws:ec2/eip:Eip::prod-nat-eu-west-1c-eip`,
      `${NET}$aws:ec2/internetGateway:InternetGateway::prod-igw`,
      `${NET}$aws:ec2/natGateway:NatGateway::prod-nat-eu-west-1a`,
      `${NET}$aws:ec2/natGateway:NatGateway::prod-nat-eu-west-1b`,
      `${NET}$aws:ec2/natGateway:NatGateway::prod-nat-eu-west-1c`,
      `${NET}$aws:ec2/route:Route::prod-private-eu-west-1a-default`,
      `${NET}$aws:ec2/route:Route::prod-private-eu-west-1b-default`,
      `${NET}$aws:ec2/route:Route::prod-private-eu-west-1c-default`,
      `${NET}$aws:ec2/route:Route::prod-public-default`,
      `${NET}$aws:ec2/routeTable:RouteTable::prod-private-eu-west-1a`,
      `${NET}$aws:ec2/routeTable:RouteTable::prod-private-eu-west-1b`,
      `${NET}$aws:ec2/routeTable:RouteTable::prod-private-eu-west-1c`,
      `${NET}$aws:ec2/routeTable:RouteTable::prod-public`,
      `${NET}$aws:ec2/routeTableAssociation:RouteTableAssociation::prod-main-eu-west-1a-node-rt`,
      `${NET}$aws:ec2/routeTableAssociation:RouteTableAssociation::prod-main-eu-west-1a-public-rt`,
      `${NET}$aws:ec2/routeTableAssociation:RouteTableAssociation::prod-main-eu-west-1b-node-rt`,
      `${NET}$aws:ec2/routeTableAssociation:RouteTableAssociation::prod-main-eu-west-1b-public-rt`,
      `${NET}$aws:ec2/routeTableAssociation:RouteTableAssociation::prod-main-eu-west-1c-node-rt`,
      `${NET}$aws:ec2/routeTableAssociation:RouteTableAssociation::prod-main-eu-west-1c-public-rt`,
      `${NET}$aws:ec2/subnet:Subnet::prod-main-eu-west-1a-node`,
      `${NET}$aws:ec2/subnet:Subnet::prod-main-eu-west-1a-public`,
      `${NET}$aws:ec2/subnet:Subnet::prod-main-eu-west-1b-node`,
      `${NET}$aws:ec2/subnet:Subnet::prod-main-eu-west-1b-public`,
      `${NET}$aws:ec2/subnet:Subnet::prod-main-eu-west-1c-node`,
      `${NET}$aws:ec2/subnet:Subnet::prod-main-eu-west-1c-public`,
      `${NET}$aws:ec2/vpc:Vpc::prod-vpc`,
      `${EKS}$aws:eks/accessEntry:AccessEntry::prod-main-access-123456789012-role-platform-deployer`,
      `${EKS}$aws:eks/accessEntry:AccessEntry::prod-main-access-123456789012-role-platform-ops`,
      `${EKS}$aws:eks/accessPolicyAssociation:AccessPolicyAssociation::prod-main-access-123456789012-role-platform-deployer-clusteradmin`,
      `${EKS}$aws:eks/accessPolicyAssociation:AccessPolicyAssociation::prod-main-access-123456789012-role-platform-ops-adminview`,
      `${EKS}$aws:eks/accessPolicyAssociation:AccessPolicyAssociation::prod-main-access-123456789012-role-platform-ops-edit`,
      `${EKS}$aws:eks/cluster:Cluster::prod-main-cluster`,
      `${EKS}$aws:iam/openIdConnectProvider:OpenIdConnectProvider::prod-main-oidc`,
      `${EKS}$aws:iam/role:Role::prod-main-cluster-role`,
      `${EKS}$aws:iam/rolePolicy:RolePolicy::prod-main-cluster-kms`,
      `${EKS}$aws:iam/rolePolicyAttachment:RolePolicyAttachment::prod-main-cluster-policy`,
      `${EKS}$aws:kms/key:Key::prod-main-secrets-key`,
      `${EKS}$pulumi:providers:kubernetes::prod-main-k8s`,
      `${NG}$aws:ec2/launchTemplate:LaunchTemplate::prod-main-general-lt`,
      `${NG}$aws:eks/nodeGroup:NodeGroup::prod-main-general-ng`,
      `${NG}$aws:iam/role:Role::prod-main-general-node-role`,
      `${NG}$aws:iam/rolePolicyAttachment:RolePolicyAttachment::prod-main-general-node-cni`,
      `${NG}$aws:iam/rolePolicyAttachment:RolePolicyAttachment::prod-main-general-node-ecr`,
      `${NG}$aws:iam/rolePolicyAttachment:RolePolicyAttachment::prod-main-general-node-ssm`,
      `${NG}$aws:iam/rolePolicyAttachment:RolePolicyAttachment::prod-main-general-node-worker`,
      `${S}$platform:aws:AwsNetwork::prod`,
      `${S}$platform:aws:EksCluster::prod-main`,
      `${S}$platform:aws:EksNodeGroup::prod-main-general`,
      `${S}$platform:nodeimage:NodeImage::prod-main-general`,
      `${S}::platform-prod`,
    ]);

    // Stateful resources of a production environment are protected.
    expect(
      rt.resources
        .filter((x) => x.protect)
        .map((x) => x.name)
        .sort(),
    ).toEqual(["prod-main-cluster", "prod-main-secrets-key", "prod-vpc"]);
    // The cluster sits in the three private subnets; its service CIDR is the planner's.
    expect(rt.one("aws:eks/cluster:Cluster").inputs).toMatchObject({
      name: "prod-main",
      vpcConfig: {
        subnetIds: [
          "prod-main-eu-west-1a-node-id",
          "prod-main-eu-west-1b-node-id",
          "prod-main-eu-west-1c-node-id",
        ],
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: clusterPlan.serviceCidr },
    });
    // Subnets are tagged for the EKS cluster's load balancers under its EKS name.
    expect(rt.one("aws:ec2/subnet:Subnet", "prod-main-eu-west-1c-public").inputs.tags).toMatchObject({
      "kubernetes.io/role/elb": "1",
      "kubernetes.io/cluster/prod-main": "shared",
    });
    // The node image resolved the Bottlerocket AMI for 1.35 and its identity reached the launch template.
    expect(ssmParameters).toEqual(["/aws/service/bottlerocket/aws-k8s-1.35/x86_64/latest/image_id"]);
    const lt = rt.one("aws:ec2/launchTemplate:LaunchTemplate").inputs;
    expect(lt.imageId).toBe(AMI);
    expect((lt.tags as Record<string, string>)[IMAGE_IDENTITY_TAG]).toBe(out.identity);
    const toml = Buffer.from(lt.userData as string, "base64").toString("utf8");
    expect(toml).toContain(`api-server = "${EKS_ENDPOINT}"`);
    expect(toml).toContain("max-pods = 64");
    expect(rt.one("aws:eks/nodeGroup:NodeGroup").inputs).toMatchObject({
      subnetIds: [
        "prod-main-eu-west-1a-node-id",
        "prod-main-eu-west-1b-node-id",
        "prod-main-eu-west-1c-node-id",
      ],
      scalingConfig: { minSize: 3, maxSize: 12, desiredSize: 3 },
      launchTemplate: { version: "1" },
    });
    expect(await pulumi.isSecret((cluster as EksCluster).kubeconfig)).toBe(true);
    expect(out.kubeconfig).toContain("--cluster-name\n          - prod-main");
  });
});
