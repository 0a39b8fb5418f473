import { AwsNetwork, type AwsSubnetArgs } from "@kubeplat/components/internal/aws/AwsNetwork";
import { type MockRuntime, startMockRuntime } from "@kubeplat/components/testing";
import { PlatformValidationError, planFromSpec } from "@kubeplat/plan";
import { beforeAll, describe, expect, it } from "vitest";
import { awsState, referenceSpec } from "./fixtures";

const P = "urn:pulumi:prod::platform::platform:aws:AwsNetwork";

function referencePlan() {
  const r = planFromSpec(referenceSpec);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.plan;
}

describe("AwsNetwork", () => {
  let rt: MockRuntime;
  beforeAll(async () => {
    rt = await startMockRuntime({ project: "platform", stack: "prod", state: awsState });
  });
  const under = (prefix: string) => rt.resources.filter((r) => r.name.startsWith(prefix));

  it("creates the planner's 3-zone production network: protected VPC, tagged subnets, a NAT per zone", async () => {
    const plan = referencePlan();
    const out = await rt.run(() => {
      const net = new AwsNetwork("prod", {
        production: true,
        vpc: plan.vpc,
        subnets: plan.vswitches,
        clusterNames: { main: "prod-main" },
        tags: { environment: "prod" },
      });
      return { privateSubnetIds: net.privateSubnetIds, subnets: net.subnets, nat: net.natGatewayIds };
    });
    expect(
      under("prod")
        .map((r) => r.urn)
        .sort(),
    ).toEqual(
      [
        "aws:ec2/eip:Eip::prod-nat-eu-west-1a-eip",
        "aws:ec2/eip:Eip::prod-nat-eu-west-1b-eip",
        "aws:ec2/eip:Eip::prod-nat-eu-west-1c-eip",
        "aws:ec2/internetGateway:InternetGateway::prod-igw",
        "aws:ec2/natGateway:NatGateway::prod-nat-eu-west-1a",
        "aws:ec2/natGateway:NatGateway::prod-nat-eu-west-1b",
        "aws:ec2/natGateway:NatGateway::prod-nat-eu-west-1c",
        "aws:ec2/route:Route::prod-private-eu-west-1a-default",
        "aws:ec2/route:Route::prod-private-eu-west-1b-default",
        "aws:ec2/route:Route::prod-private-eu-west-1c-default",
        "aws:ec2/route:Route::prod-public-default",
        "aws:ec2/routeTable:RouteTable::prod-private-eu-west-1a",
        "aws:ec2/routeTable:RouteTable::prod-private-eu-west-1b",
        "aws:ec2/routeTable:RouteTable::prod-private-eu-west-1c",
        "aws:ec2/routeTable:RouteTable::prod-public",
        "aws:ec2/routeTableAssociation:RouteTableAssociation::prod-main-eu-west-1a-node-rt",
        "aws:ec2/routeTableAssociation:RouteTableAssociation::prod-main-eu-west-1a-public-rt",
        "aws:ec2/routeTableAssociation:RouteTableAssociation::prod-main-eu-west-1b-node-rt",
        "aws:ec2/routeTableAssociation:RouteTableAssociation::prod-main-eu-west-1b-public-rt",
        "aws:ec2/routeTableAssociation:RouteTableAssociation::prod-main-eu-west-1c-node-rt",
        "aws:ec2/routeTableAssociation:RouteTableAssociation::prod-main-eu-west-1c-public-rt",
        "aws:ec2/subnet:Subnet::prod-main-eu-west-1a-node",
        "aws:ec2/subnet:Subnet::prod-main-eu-west-1a-public",
        "aws:ec2/subnet:Subnet::prod-main-eu-west-1b-node",
        "aws:ec2/subnet:Subnet::prod-main-eu-west-1b-public",
        "aws:ec2/subnet:Subnet::prod-main-eu-west-1c-node",
        "aws:ec2/subnet:Subnet::prod-main-eu-west-1c-public",
        "aws:ec2/vpc:Vpc::prod-vpc",
      ]
        .map((t) => `${P}$${t}`)
        .concat(["urn:pulumi:prod::platform::pulumi:pulumi:Stack$platform:aws:AwsNetwork::prod"])
        .sort(),
    );
    const vpc = rt.one("aws:ec2/vpc:Vpc", "prod-vpc");
    expect(vpc.protect).toBe(true);
    expect(vpc.inputs).toMatchObject({
      cidrBlock: "10.20.0.0/16",
      enableDnsHostnames: true,
      enableDnsSupport: true,
    });

    const node = rt.one("aws:ec2/subnet:Subnet", "prod-main-eu-west-1a-node");
    expect(node.inputs).toMatchObject({
      cidrBlock: "10.20.0.0/21",
      availabilityZone: "eu-west-1a",
      mapPublicIpOnLaunch: false,
      tags: {
        "kubernetes.io/role/internal-elb": "1",
        "kubernetes.io/cluster/prod-main": "shared",
        "platform/subnet-key": "main/eu-west-1a/node",
        environment: "prod",
        Name: "prod-main-eu-west-1a-node",
      },
    });
    expect(node.replaceOnChanges).toEqual(["cidrBlock", "availabilityZone"]);
    const pub = rt.one("aws:ec2/subnet:Subnet", "prod-main-eu-west-1b-public");
    expect(pub.inputs.tags).toMatchObject({
      "kubernetes.io/role/elb": "1",
      "kubernetes.io/cluster/prod-main": "shared",
    });
    expect(pub.inputs.tags).not.toHaveProperty("kubernetes.io/role/internal-elb");

    // Each zone's private route goes to its own zone's NAT, which sits in that zone's public subnet.
    for (const z of ["a", "b", "c"]) {
      const nat = rt.one("aws:ec2/natGateway:NatGateway", `prod-nat-eu-west-1${z}`);
      expect(nat.inputs).toMatchObject({
        subnetId: `prod-main-eu-west-1${z}-public-id`,
        allocationId: `eipalloc-prod-nat-eu-west-1${z}-eip`,
        connectivityType: "public",
      });
      const route = rt.one("aws:ec2/route:Route", `prod-private-eu-west-1${z}-default`);
      expect(route.inputs).toMatchObject({
        routeTableId: `prod-private-eu-west-1${z}-id`,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: `prod-nat-eu-west-1${z}-id`,
      });
    }
    expect(rt.one("aws:ec2/route:Route", "prod-public-default").inputs).toMatchObject({
      gatewayId: "prod-igw-id",
    });
    expect(out.privateSubnetIds).toEqual([
      "prod-main-eu-west-1a-node-id",
      "prod-main-eu-west-1b-node-id",
      "prod-main-eu-west-1c-node-id",
    ]);
    expect((out.subnets as { key: string; id: string }[])[1]).toMatchObject({
      key: "main/eu-west-1a/public",
      id: "prod-main-eu-west-1a-public-id",
      role: "public",
      zone: "eu-west-1a",
    });
    expect(out.nat).toHaveLength(3);
  });

  it("non-production: one NAT gateway for every zone, unprotected VPC", async () => {
    const plan = referencePlan();
    await rt.run(() => {
      new AwsNetwork("dev", { vpc: plan.vpc, subnets: plan.vswitches });
      return {};
    });
    expect(
      rt.resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway" && r.name.startsWith("dev")),
    ).toHaveLength(1);
    expect(rt.one("aws:ec2/vpc:Vpc", "dev-vpc").protect).toBe(false);
    for (const z of ["a", "b", "c"]) {
      expect(rt.one("aws:ec2/route:Route", `dev-private-eu-west-1${z}-default`).inputs.natGatewayId).toBe(
        "dev-nat-eu-west-1a-id",
      );
    }
  });

  it("adopts an existing VPC and subnets: tags them for Kubernetes, creates and routes only new subnets", async () => {
    const subnets: AwsSubnetArgs[] = [
      {
        key: "main/eu-west-1a/public",
        cluster: "main",
        zone: "eu-west-1a",
        role: "public",
        cidr: "10.0.0.0/24",
        existingId: "subnet-pub-a",
      },
      {
        key: "main/eu-west-1a/node",
        cluster: "main",
        zone: "eu-west-1a",
        role: "node",
        cidr: "10.0.16.0/20",
        existingId: "subnet-node-a",
      },
      {
        key: "main/eu-west-1b/node",
        cluster: "main",
        zone: "eu-west-1b",
        role: "node",
        cidr: "10.0.32.0/20",
      },
    ];
    const out = await rt.run(() => {
      const net = new AwsNetwork("legacy", { vpc: { id: "vpc-0abc", cidr: "10.0.0.0/16" }, subnets });
      return { vpcId: net.vpcId, privateSubnetIds: net.privateSubnetIds, igw: net.internetGatewayId };
    });
    expect(out.vpcId).toBe("vpc-0abc");
    expect(out.privateSubnetIds).toEqual(["subnet-node-a", "legacy-main-eu-west-1b-node-id"]);
    expect(out.igw).toBeUndefined();
    const created = under("legacy")
      .map((r) => `${r.type}::${r.name}`)
      .sort();
    expect(created).toEqual([
      "aws:ec2/eip:Eip::legacy-nat-eu-west-1a-eip",
      "aws:ec2/natGateway:NatGateway::legacy-nat-eu-west-1a",
      "aws:ec2/route:Route::legacy-private-eu-west-1b-default",
      "aws:ec2/routeTable:RouteTable::legacy-private-eu-west-1b",
      "aws:ec2/routeTableAssociation:RouteTableAssociation::legacy-main-eu-west-1b-node-rt",
      "aws:ec2/subnet:Subnet::legacy-main-eu-west-1b-node",
      "aws:ec2/tag:Tag::legacy-main-eu-west-1a-node-tag-kubernetes-io-cluster-main",
      "aws:ec2/tag:Tag::legacy-main-eu-west-1a-node-tag-kubernetes-io-role-internal-elb",
      "aws:ec2/tag:Tag::legacy-main-eu-west-1a-public-tag-kubernetes-io-cluster-main",
      "aws:ec2/tag:Tag::legacy-main-eu-west-1a-public-tag-kubernetes-io-role-elb",
      "platform:aws:AwsNetwork::legacy",
    ]);
    expect(
      rt.one("aws:ec2/tag:Tag", "legacy-main-eu-west-1a-public-tag-kubernetes-io-role-elb").inputs,
    ).toEqual({
      resourceId: "subnet-pub-a",
      key: "kubernetes.io/role/elb",
      value: "1",
    });
    expect(rt.one("aws:ec2/natGateway:NatGateway", "legacy-nat-eu-west-1a").inputs.subnetId).toBe(
      "subnet-pub-a",
    );
    expect(rt.one("aws:ec2/subnet:Subnet", "legacy-main-eu-west-1b-node").inputs.vpcId).toBe("vpc-0abc");
  });

  it("associates secondary CIDRs and makes the subnets inside them depend on the association", async () => {
    const out = await rt.run(() => {
      const net = new AwsNetwork("sec", {
        vpc: { cidr: "10.30.0.0/16", secondaryCidrs: ["10.31.0.0/16"] },
        natGateways: "none",
        subnets: [
          {
            key: "main/eu-west-1a/node",
            cluster: "main",
            zone: "eu-west-1a",
            role: "node",
            cidr: "10.30.0.0/20",
          },
          {
            key: "main/eu-west-1b/node",
            cluster: "main",
            zone: "eu-west-1b",
            role: "node",
            cidr: "10.31.0.0/20",
          },
        ],
      });
      return { ids: net.privateSubnetIds };
    });
    expect(out.ids).toHaveLength(2);
    expect(
      rt.one("aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation", "sec-cidr-10-31-0-0-16")
        .inputs,
    ).toEqual({
      vpcId: "sec-vpc-id",
      cidrBlock: "10.31.0.0/16",
    });
    expect(under("sec").filter((r) => r.type === "aws:ec2/route:Route")).toEqual([]);
  });

  it("rejects a broken plan before registering anything, naming every rule, path and value", async () => {
    const plan = referencePlan();
    const bad = [
      ...plan.vswitches,
      {
        key: "main/eu-west-1c/extra",
        cluster: "main",
        zone: "eu-west-1c",
        role: "node",
        cidr: "10.20.4.0/22",
      },
      {
        key: "main/eu-west-1c/outside",
        cluster: "main",
        zone: "eu-west-1c",
        role: "node",
        cidr: "10.99.0.0/24",
      },
    ];
    let error: unknown;
    try {
      new AwsNetwork("broken", { production: true, vpc: plan.vpc, subnets: bad });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlatformValidationError);
    const diagnostics = (error as PlatformValidationError).diagnostics;
    expect(diagnostics.map((d) => [d.rule, d.path])).toEqual([
      ["cidr/vswitch-outside-vpc", "subnets[7].cidr"],
      ["cidr/vswitch-overlap", "subnets[6].cidr"],
    ]);
    expect((error as Error).message).toContain("10.99.0.0/24");
    expect((error as Error).message).toContain(
      "10.20.4.0/22 overlaps vSwitch broken-main-eu-west-1a-node 10.20.0.0/21",
    );
    await rt.settle();
    expect(under("broken")).toEqual([]);
  });
});
