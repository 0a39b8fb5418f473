/**
 * AwsNetwork: the VPC of an AWS environment and the subnets the planner laid out in it, with
 * the internet gateway, NAT gateways, route tables and the subnet tags Kubernetes load
 * balancers discover subnets by; or an adopted VPC and adopted subnets (tagged, not created).
 *
 * The layout (names, NAT placement, routing) is the pure networkLayout.ts; the CIDR rules are
 * those of plan/rules/cidr.ts, shared with the Alibaba Cloud side.
 */

import type { Diagnostic } from "@kubeplat/plan";
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsSdk } from "../cloudSdks";
import { judge } from "../judgement";
import { checkLayout, layoutNetwork, type NatMode, type SubnetLayout } from "./networkLayout";

/** The VPC: created from `cidr`, or adopted by `id`. */
export interface AwsVpcArgs {
  /** Adopt this existing VPC instead of creating one. Default: create a VPC. */
  id?: string;
  /** Primary IPv4 CIDR (planner `vpc.cidr`). Immutable: a change replaces the VPC. */
  cidr: string;
  /**
   * Secondary IPv4 CIDRs (planner `vpc.secondaryCidrs`). Created VPC: associated by this
   * component. Adopted VPC: assumed associated already. Default: none.
   */
  secondaryCidrs?: string[];
}

/** One planned subnet, as the planner's PlannedVSwitch. */
export interface AwsSubnetArgs {
  /** Stable allocation key `<cluster>/<zone>/<role>`; the subnet's resource name derives from it. */
  key: string;
  /** Planner cluster name; empty: every cluster of the plan uses the subnet. */
  cluster: string;
  /** Availability zone, e.g. `us-east-1a`. Immutable: a change replaces the subnet. */
  zone: string;
  /** `node` (private: nodes and VPC-CNI pods), `public` (load balancers, NAT) or `pod` (private, pods only). */
  role: string;
  /** IPv4 CIDR. Immutable: a change replaces the subnet. */
  cidr: string;
  /** Adopt this existing subnet (only tagged, never modified or routed). Default: create it. */
  existingId?: string;
  /** Planner dual-stack index; AwsNetwork is IPv4 only and rejects it. Default: unset. */
  ipv6Index?: number;
}

export interface AwsNetworkArgs {
  /** A production environment: one NAT gateway per zone and a protected VPC. Default false. */
  production?: boolean;
  /** The VPC (planner `vpc`). */
  vpc: AwsVpcArgs;
  /** The subnets (planner `vswitches` of an AWS plan), in plan order. */
  subnets: AwsSubnetArgs[];
  /**
   * NAT gateways for private subnets: `perZone` (each zone egresses in its own zone),
   * `single` (one for the whole VPC) or `none`. Default: `perZone` in production, `single` elsewhere.
   */
  natGateways?: string;
  /** Adopted VPC only: the internet gateway new public subnets route to. Default: none. */
  internetGatewayId?: string;
  /**
   * Planner cluster name → EKS cluster name, for the `kubernetes.io/cluster/<name>=shared` tag.
   * Default: the planner name is the EKS name.
   */
  clusterNames?: Record<string, string>;
  /** Tags on every resource (merged under the component's own). Default: none. */
  tags?: Record<string, string>;
}

/** A created or adopted subnet, as the outputs list it. */
export interface AwsSubnetInfo {
  key: string;
  id: string;
  zone: string;
  role: string;
  cluster: string;
  cidr: string;
}

function layoutInput(name: string, args: AwsNetworkArgs) {
  const production = args.production ?? false;
  return {
    name,
    vpc: args.vpc,
    subnets: args.subnets,
    natGateways: (args.natGateways ?? (production ? "perZone" : "single")) as NatMode,
    internetGatewayId: args.internetGatewayId,
    clusterNames: args.clusterNames,
  };
}

/** Everything AwsNetwork refuses (or warns about) in its arguments, before registering anything. */
export function validateAwsNetworkArgs(name: string, args: AwsNetworkArgs): Diagnostic[] {
  return checkLayout(layoutInput(name, args));
}

/**
 * Each network's subnet id outputs by allocation key, kept beside the component rather than as a
 * field: the component package publishes every field of a component as an output of its schema.
 */
const subnetIdsOf = new WeakMap<AwsNetwork, ReadonlyMap<string, pulumi.Output<string>>>();

export class AwsNetwork extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  /** Every subnet in plan order, with its id. */
  readonly subnets: pulumi.Output<AwsSubnetInfo[]>;
  /** Ids of the `node` (private) subnets, in plan order. */
  readonly privateSubnetIds: pulumi.Output<string[]>;
  /** Ids of the `public` subnets, in plan order. */
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly natGatewayIds: pulumi.Output<string[]>;
  /** The created (or given) internet gateway id; undefined when there is none. */
  readonly internetGatewayId: pulumi.Output<string | undefined>;

  constructor(name: string, args: AwsNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    const aws = awsSdk();
    const production = args.production ?? false;
    const input = layoutInput(name, args);
    // Validated before anything registers, this component included.
    const advisories = judge(`AwsNetwork ${name}`, args, () => checkLayout(input));
    super("platform:aws:AwsNetwork", name, {}, opts);
    const layout = layoutNetwork(input);
    for (const d of advisories) pulumi.log.warn(`${d.rule} at ${d.path}: ${d.message}`, this);
    for (const n of layout.notes) pulumi.log.warn(n, this);

    const tags = (resourceName: string, extra: Record<string, string> = {}) => ({
      ...(args.tags ?? {}),
      ...extra,
      Name: resourceName,
    });

    // VPC: created (protected in production) or adopted.
    let vpcId: pulumi.Output<string>;
    if (args.vpc.id !== undefined) {
      vpcId = pulumi.output(args.vpc.id);
    } else {
      const vpc = new aws.ec2.Vpc(
        `${name}-vpc`,
        {
          cidrBlock: args.vpc.cidr,
          // EKS needs DNS support and hostnames in the VPC (private endpoint, node names).
          enableDnsSupport: true,
          enableDnsHostnames: true,
          tags: tags(`${name}-vpc`),
        },
        { parent: this, protect: production, replaceOnChanges: ["cidrBlock"] },
      );
      vpcId = vpc.id;
    }
    const cidrAssociations = new Map<string, aws.ec2.VpcIpv4CidrBlockAssociation>();
    for (const s of layout.secondaryCidrs) {
      cidrAssociations.set(
        s.resourceName,
        new aws.ec2.VpcIpv4CidrBlockAssociation(
          s.resourceName,
          { vpcId, cidrBlock: s.cidr },
          { parent: this, replaceOnChanges: ["cidrBlock"] },
        ),
      );
    }

    // Subnets: created ones carry their Kubernetes tags; adopted ones get them as ec2.Tag resources.
    const subnetIds = new Map<string, pulumi.Output<string>>();
    for (const s of layout.subnets) {
      if (s.existingId !== undefined) {
        subnetIds.set(s.key, pulumi.output(s.existingId));
        for (const [key, value] of Object.entries(s.kubernetesTags)) {
          new aws.ec2.Tag(
            `${s.resourceName}-tag-${key.replace(/[^A-Za-z0-9-]+/g, "-")}`,
            { resourceId: s.existingId, key, value },
            { parent: this },
          );
        }
        continue;
      }
      const association = s.secondaryCidrAssociation
        ? cidrAssociations.get(s.secondaryCidrAssociation)
        : undefined;
      const subnet = new aws.ec2.Subnet(
        s.resourceName,
        {
          vpcId,
          cidrBlock: s.cidr,
          availabilityZone: s.zone,
          // Nodes are private; load balancers get their own addresses (no public IP on launch).
          mapPublicIpOnLaunch: false,
          tags: tags(s.resourceName, { ...s.kubernetesTags, "platform/subnet-key": s.key }),
        },
        {
          parent: this,
          replaceOnChanges: ["cidrBlock", "availabilityZone"],
          dependsOn: association ? [association] : [],
        },
      );
      subnetIds.set(s.key, subnet.id);
    }
    const idOf = (key: string) => subnetIds.get(key) as pulumi.Output<string>;

    // Internet gateway and NAT gateways.
    let igwId: pulumi.Output<string> | undefined;
    let igw: aws.ec2.InternetGateway | undefined;
    if (layout.createInternetGateway) {
      igw = new aws.ec2.InternetGateway(
        `${name}-igw`,
        { vpcId, tags: tags(`${name}-igw`) },
        { parent: this },
      );
      igwId = igw.id;
    } else if (args.internetGatewayId !== undefined) {
      igwId = pulumi.output(args.internetGatewayId);
    }
    const natIds = new Map<string, pulumi.Output<string>>();
    for (const n of layout.nats) {
      const eip = new aws.ec2.Eip(
        `${n.resourceName}-eip`,
        { domain: "vpc", tags: tags(`${n.resourceName}-eip`) },
        { parent: this },
      );
      const nat = new aws.ec2.NatGateway(
        n.resourceName,
        {
          allocationId: eip.allocationId,
          subnetId: idOf(n.subnetKey),
          connectivityType: "public",
          tags: tags(n.resourceName),
        },
        { parent: this, dependsOn: igw ? [igw] : [], replaceOnChanges: ["subnetId"] },
      );
      natIds.set(n.resourceName, nat.id);
    }

    // Route tables: one public, one private per zone (stable whether NAT is single or per zone).
    for (const rt of layout.routeTables) {
      const table = new aws.ec2.RouteTable(
        rt.resourceName,
        { vpcId, tags: tags(rt.resourceName) },
        { parent: this },
      );
      const target =
        rt.kind === "public"
          ? igwId && { gatewayId: igwId }
          : rt.natResourceName && { natGatewayId: natIds.get(rt.natResourceName) };
      if (target) {
        new aws.ec2.Route(
          `${rt.resourceName}-default`,
          { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", ...target },
          { parent: this },
        );
      }
      for (const key of rt.subnetKeys) {
        const s = layout.subnets.find((x) => x.key === key) as SubnetLayout;
        new aws.ec2.RouteTableAssociation(
          `${s.resourceName}-rt`,
          { routeTableId: table.id, subnetId: idOf(key) },
          { parent: this },
        );
      }
    }

    const byRole = (role: string) =>
      pulumi.all(layout.subnets.filter((s) => s.role === role).map((s) => idOf(s.key)));
    this.vpcId = vpcId;
    subnetIdsOf.set(this, subnetIds);
    this.subnets = pulumi.all(
      args.subnets.map((s) =>
        idOf(s.key).apply(
          (id): AwsSubnetInfo => ({
            key: s.key,
            id,
            zone: s.zone,
            role: s.role,
            cluster: s.cluster,
            cidr: s.cidr,
          }),
        ),
      ),
    );
    this.privateSubnetIds = byRole("node");
    this.publicSubnetIds = byRole("public");
    this.natGatewayIds = pulumi.all([...natIds.values()]);
    this.internetGatewayId = igwId ? igwId.apply((x): string | undefined => x) : pulumi.output(undefined);
    this.registerOutputs({
      vpcId: this.vpcId,
      subnets: this.subnets,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
      natGatewayIds: this.natGatewayIds,
      internetGatewayId: this.internetGatewayId,
    });
  }

  /**
   * The id of one subnet (by allocation key), depending on that subnet alone; `subnets` depends
   * on every subnet of the VPC, so a cluster reading its ids from there would depend on every
   * other cluster's subnets. Undefined for a key the network does not hold.
   */
  subnetId(key: string): pulumi.Output<string> | undefined {
    return subnetIdsOf.get(this)?.get(key);
  }
}
