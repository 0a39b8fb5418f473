/**
 * AlicloudNetwork: the VPC of an environment on Alibaba Cloud, built from the address plan.
 *
 * Creates (or adopts) the VPC and its secondary CIDR blocks, one vSwitch per planned vSwitch
 * (node vSwitches, and Terway pod vSwitches per zone), an Internet NAT gateway with its EIP and
 * one SNAT entry per node vSwitch and per pod vSwitch (ACK docs: Enable an existing cluster to access the Internet (SNAT): "Terway网络：需要
 * 选中节点虚拟交换机和Pod虚拟交换机…Flannel网络：只需选中节点虚拟交换机"; ACK docs: Use the multiple route tables feature of VPC: pod
 * vSwitches without SNAT have no Internet access), optionally one NAT gateway per zone, and one
 * node security group per cluster with the access rules of `securityGroupRules.ts`.
 *
 * Names are stable: a vSwitch is named from its allocation key (`${name}-${cluster}-${zone}-
 * ${role}`), a secondary CIDR block from its CIDR, a NAT gateway from its zone, a security group
 * from its cluster; adding a zone or a cluster adds resources and renames none.
 */

import type { VSwitchRole } from "@kubeplat/plan";
import {
  checkCidrList,
  checkEips,
  checkNetwork,
  contains,
  type Diagnostic,
  type NetworkFacts,
  parseCidr,
  SPEC_SCHEMA,
  type ZoneFacts,
} from "@kubeplat/plan";
import type * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { alicloudSdk } from "../cloudSdks";
import { judge } from "../judgement";
import type { AckCni } from "./AckCluster";
import type { AlicloudInternetChargeType } from "./AlicloudLoadBalancer";
import { cidrToNamePart, distinct, keyToNamePart } from "./naming";
import {
  type ExtraSecurityGroupRule,
  nodeSecurityGroupRules,
  type SecurityGroupRuleSet,
  type SecurityGroupType,
} from "./securityGroupRules";

/** One planned vSwitch: the shape of the planner's `PlannedVSwitch`. */
export interface AlicloudNetworkVSwitchArgs {
  /** Stable allocation key `<cluster>/<zone>/<role>`; the resource is named from it. */
  key: string;
  /** The cluster that uses the vSwitch. */
  cluster: string;
  /** Zone id, e.g. `cn-hangzhou-i`. Immutable (a change replaces the vSwitch). */
  zone: string;
  /** `node` (nodes), `pod` (Terway pods) or `public` (not used on Alibaba Cloud). */
  role: VSwitchRole;
  /** IPv4 CIDR inside the VPC's primary or a secondary CIDR. Immutable. */
  cidr: string;
  /** Dual stack: the index of the vSwitch's IPv6 /64 inside the VPC's /56 (0–255). */
  ipv6Index?: number;
  /** Adopt this existing vSwitch instead of creating one. */
  existingId?: string;
}

/** Internet NAT gateways: one for the VPC, one per zone, or none. */
export const AlicloudNatMode = { Single: "single", PerZone: "perZone", None: "none" } as const;
export type AlicloudNatMode = (typeof AlicloudNatMode)[keyof typeof AlicloudNatMode];

/** The VPC of an AlicloudNetwork. */
export interface AlicloudNetworkVpcArgs {
  /** Adopt this existing VPC (its secondary CIDRs must already exist). Default: create one. */
  id?: string;
  /** Primary IPv4 CIDR. Immutable. */
  cidr: string;
  /** Secondary IPv4 CIDRs (one `vpc.Ipv4CidrBlock` each). Default []. */
  secondaryCidrs?: string[];
  /** A shared VPC (resource sharing): clusters must use Terway. Default false. */
  shared?: boolean;
  /** Enable IPv6 (dual stack). Default false. */
  ipv6?: boolean;
  /** VPC name. Default: the component name. */
  name?: string;
}

/** Internet NAT gateway settings. */
export interface AlicloudNatArgs {
  /** `single` (one NAT, default), `perZone` (one per zone, own route table per zone) or `none`. */
  mode?: AlicloudNatMode;
  /** Single mode: the vSwitch key the NAT gateway sits in. Default: the first node vSwitch. */
  vswitchKey?: string;
  /** EIP peak bandwidth in Mbit/s. Default 100. */
  bandwidth?: number;
  /** EIP billing: `PayByTraffic` (default) or `PayByBandwidth`. */
  internetChargeType?: AlicloudInternetChargeType;
}

/** Node security groups, one per cluster. */
export interface AlicloudSecurityGroupsArgs {
  /** Create them. Default true. */
  enabled?: boolean;
  /** `normal` (default) or `enterprise`. */
  type?: SecurityGroupType;
  /** `minimum` (default) or `recommended` (ACK docs: Configure and manage cluster security groups). */
  ruleSet?: SecurityGroupRuleSet;
  /** Extra rules for application ports, added to every cluster's group. Default []. */
  extraRules?: ExtraSecurityGroupRule[];
}

/** Raised account quotas (quota/eips). */
export interface AlicloudNetworkQuotasArgs {
  /** EIPs. Default 20. */
  eips?: number;
  /** Security groups. Default 100. */
  securityGroups?: number;
}

/** A cluster the network serves (for its security group and the CIDR rules). */
export interface AlicloudNetworkClusterArgs {
  /** The cluster name used in the vSwitches' `cluster`. */
  name: string;
  /** Default: `terway` when the cluster has pod vSwitches, else `flannel`. */
  cni?: AckCni;
  /** Flannel pod CIDR (security group rules; `cidr/pod-overlaps-*`). */
  podCidr?: string;
  /** Service CIDR (`cidr/service-overlaps-vpc`, `cidr/pod-overlaps-service`). */
  serviceCidr?: string;
  /**
   * Create the cluster's node security group (ACK's rules). Default true; false for a cluster that
   * brings its own (a self-managed cluster: SelfManagedCluster's nodes group).
   */
  nodeSecurityGroup?: boolean;
}

export interface AlicloudNetworkArgs {
  /** Production environment: turns on deletion protection and `protect`. Default false. */
  production?: boolean;
  /** The VPC. */
  vpc: AlicloudNetworkVpcArgs;
  /** The planned vSwitches (planner's `EnvironmentPlan.vswitches`). */
  vswitches: AlicloudNetworkVSwitchArgs[];
  /** The clusters; default: every `cluster` named by a vSwitch, CNI from its vSwitches. */
  clusters?: AlicloudNetworkClusterArgs[];
  /** Internet NAT gateway. */
  nat?: AlicloudNatArgs;
  /** Node security groups, one per cluster. */
  securityGroups?: AlicloudSecurityGroupsArgs;
  /** Raised account quotas (quota/eips). Default: 20 EIPs, 100 security groups. */
  quotas?: AlicloudNetworkQuotasArgs;
  /** Protect the VPC, vSwitches and NAT gateways from deletion by Pulumi. Default: `production`. */
  protect?: boolean;
  /** Tags of every resource. Default {}. */
  tags?: Record<string, string>;
  /** Resource group of the VPC, EIPs and security groups. Default: the account's default group. */
  resourceGroupId?: string;
}

const COMPONENT = "AlicloudNetwork";

type ResolvedCluster = AlicloudNetworkClusterArgs & { cni: "terway" | "flannel" };

/** The clusters of the args: explicit, else derived from the vSwitches. */
function clustersOf(args: AlicloudNetworkArgs): ResolvedCluster[] {
  const names = distinct([
    ...(args.clusters ?? []).map((c) => c.name),
    ...args.vswitches.map((v) => v.cluster),
  ]);
  return names.map((n) => {
    const given = args.clusters?.find((c) => c.name === n);
    const hasPod = args.vswitches.some((v) => v.cluster === n && v.role === "pod");
    return { ...given, name: n, cni: given?.cni ?? (hasPod ? "terway" : "flannel") };
  });
}

/** The facts the `cidr/*` rules read, from the args. */
export function networkFacts(name: string, args: AlicloudNetworkArgs): NetworkFacts {
  const vpcKey = args.vpc.id ?? name;
  const clusters = clustersOf(args);
  return {
    vpcs: [
      {
        resource: name,
        id: vpcKey,
        primary: { cidr: args.vpc.cidr, path: "vpc.cidr" },
        secondary: (args.vpc.secondaryCidrs ?? []).map((c, i) => ({
          cidr: c,
          path: `vpc.secondaryCidrs[${i}]`,
        })),
        shared: args.vpc.shared,
      },
    ],
    vswitches: args.vswitches.map((v, i) => ({
      resource: `${name}-${keyToNamePart(v.key)}`,
      path: `vswitches[${i}].cidr`,
      cidr: v.cidr,
      vpc: vpcKey,
      zone: v.zone,
      role: v.role,
      cluster: v.cluster,
    })),
    clusters: clusters.map((c, i) => {
      const zones = distinct(args.vswitches.filter((v) => v.cluster === c.name).map((v) => v.zone));
      const given = args.clusters?.findIndex((g) => g.name === c.name) ?? -1;
      const base = given >= 0 ? `clusters[${given}]` : `clusters[${i}]`;
      return {
        resource: name,
        name: c.name,
        path: base,
        vpc: vpcKey,
        cni: c.cni,
        podCidr: c.podCidr !== undefined ? { cidr: c.podCidr, path: `${base}.podCidr` } : undefined,
        serviceCidr:
          c.serviceCidr !== undefined ? { cidr: c.serviceCidr, path: `${base}.serviceCidr` } : undefined,
        zones: zones.map(
          (z): ZoneFacts => ({
            zone: z,
            path: `${base}.zones.${z}`,
            nodeCidrs: args.vswitches
              .filter((v) => v.cluster === c.name && v.zone === z && v.role === "node")
              .map((v) => v.cidr),
            podCidrs: args.vswitches
              .filter((v) => v.cluster === c.name && v.zone === z && v.role === "pod")
              .map((v) => v.cidr),
          }),
        ),
      };
    }),
    connected: [],
  };
}

function schema(resource: string, path: string, message: string): Diagnostic {
  return { rule: SPEC_SCHEMA, severity: "mandatory", resource, path, message };
}

/** Every problem of the args: the `cidr/*` rules plus shape problems. Pure. */
export function validateNetworkArgs(name: string, args: AlicloudNetworkArgs): Diagnostic[] {
  const out: Diagnostic[] = [...checkNetwork(networkFacts(name, args))];
  const extra = args.securityGroups?.extraRules ?? [];
  // cidr/invalid over the extra rules' peers (a list of CIDRs).
  out.push(
    ...checkCidrList({ resource: name, path: "securityGroups.extraRules", cidrs: extra.map((e) => e.cidr) }),
  );
  const keys = new Map<string, number>();
  args.vswitches.forEach((v, i) => {
    const prev = keys.get(v.key);
    if (prev !== undefined) {
      out.push(schema(name, `vswitches[${i}].key`, `vSwitch key "${v.key}" repeats vswitches[${prev}]`));
    }
    keys.set(v.key, i);
    if (v.existingId !== undefined && args.vpc.id === undefined) {
      out.push(
        schema(
          name,
          `vswitches[${i}].existingId`,
          `vSwitch "${v.key}" adopts ${v.existingId} but the VPC is created here (vpc.id is unset): an existing vSwitch lives in an existing VPC`,
        ),
      );
    }
  });
  const nat = args.nat ?? {};
  const natZones =
    (nat.mode ?? "single") === "none"
      ? []
      : nat.mode === "perZone"
        ? distinct(args.vswitches.filter((v) => v.role === "node").map((v) => v.zone))
        : ["single"];
  out.push(
    ...checkEips({
      cloud: "alicloud",
      quotas: args.quotas,
      scope: { resource: name, path: "" },
      eips: natZones.map((z) => ({
        resource: z === "single" ? `${name}-nat-eip` : `${name}-nat-${z}-eip`,
        path: "nat",
      })),
      securityGroups:
        (args.securityGroups?.enabled ?? true)
          ? clustersOf(args)
              .filter((c) => c.nodeSecurityGroup !== false)
              .map((c) => ({ resource: `${name}-${c.name}-sg`, path: "securityGroups" }))
          : [],
    }),
  );
  if (nat.vswitchKey !== undefined) {
    const v = args.vswitches.find((x) => x.key === nat.vswitchKey);
    if (!v) out.push(schema(name, "nat.vswitchKey", `nat.vswitchKey "${nat.vswitchKey}" names no vSwitch`));
    if (nat.mode === "perZone") {
      out.push(schema(name, "nat.vswitchKey", `nat.vswitchKey is for mode "single"; mode is "perZone"`));
    }
  }
  if ((nat.mode ?? "single") !== "none" && !args.vswitches.some((v) => v.role === "node")) {
    out.push(schema(name, "nat.mode", `a NAT gateway needs a node vSwitch to sit in; there is none`));
  }
  return out;
}

/** The secondary CIDR block that holds `cidr`, if any. */
function holder(secondary: readonly string[], cidr: string): string | undefined {
  const inner = parseCidr(cidr);
  if (!inner.ok) return undefined;
  return secondary.find((s) => {
    const outer = parseCidr(s);
    return outer.ok && contains(outer.cidr, inner.cidr);
  });
}

/**
 * Each network's own outputs per vSwitch and per cluster security group, kept beside the
 * component rather than as fields: the component package publishes every field of a component
 * as an output of its schema.
 */
const ownOutputs = new WeakMap<
  AlicloudNetwork,
  {
    vswitchIds: Readonly<Record<string, pulumi.Output<string>>>;
    securityGroupIds: Readonly<Record<string, pulumi.Output<string>>>;
  }
>();

export class AlicloudNetwork extends pulumi.ComponentResource {
  /** The VPC id (created or adopted). */
  readonly vpcId: pulumi.Output<string>;
  /** vSwitch ids by allocation key (`<cluster>/<zone>/<role>`). */
  readonly vswitchIds: pulumi.Output<Record<string, string>>;
  /** The NAT gateway (single mode) or the first zone's (per-zone mode); undefined with mode `none`. */
  readonly natGatewayId: pulumi.Output<string | undefined>;
  /** NAT gateway ids by zone. */
  readonly natGatewayIds: pulumi.Output<Record<string, string>>;
  /** The NAT gateways' public addresses (their EIPs), by zone. */
  readonly natPublicIps: pulumi.Output<Record<string, string>>;
  /** Node security group ids by cluster. */
  readonly securityGroupIds: pulumi.Output<Record<string, string>>;
  /** The node security group when the network serves one cluster; else undefined. */
  readonly securityGroupId: pulumi.Output<string | undefined>;

  constructor(name: string, args: AlicloudNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    const alicloud = alicloudSdk();
    // Validate before registering anything, the component included.
    const advisories = judge(`${COMPONENT} "${name}"`, args, () => validateNetworkArgs(name, args));
    super(`platform:alicloud:${COMPONENT}`, name, {}, opts);
    for (const d of advisories) pulumi.log.warn(`${d.rule} at ${d.path}: ${d.message}`, this);

    const production = args.production ?? false;
    const protect = args.protect ?? production;
    const tags = args.tags ?? {};
    const secondary = args.vpc.secondaryCidrs ?? [];
    const stateful = { parent: this, protect };

    // --- VPC and secondary CIDR blocks -------------------------------------------------
    let vpcId: pulumi.Output<string>;
    const blocks = new Map<string, alicloud.vpc.Ipv4CidrBlock>();
    if (args.vpc.id !== undefined) {
      vpcId = pulumi.output(args.vpc.id);
    } else {
      const vpc = new alicloud.vpc.Network(
        `${name}-vpc`,
        {
          vpcName: args.vpc.name ?? name,
          cidrBlock: args.vpc.cidr,
          enableIpv6: args.vpc.ipv6 || undefined,
          resourceGroupId: args.resourceGroupId,
          tags,
        },
        { ...stateful, replaceOnChanges: ["cidrBlock"] },
      );
      vpcId = vpc.id;
      for (const c of secondary) {
        blocks.set(
          c,
          new alicloud.vpc.Ipv4CidrBlock(
            `${name}-vpc-${cidrToNamePart(c)}`,
            { vpcId, secondaryCidrBlock: c },
            { ...stateful, replaceOnChanges: ["secondaryCidrBlock"] },
          ),
        );
      }
    }

    // --- vSwitches ---------------------------------------------------------------------
    const vswitchIds: Record<string, pulumi.Output<string>> = {};
    for (const v of args.vswitches) {
      if (v.existingId !== undefined) {
        vswitchIds[v.key] = pulumi.output(v.existingId);
        continue;
      }
      const block = holder(secondary, v.cidr);
      const part = keyToNamePart(v.key);
      const sw = new alicloud.vpc.Switch(
        `${name}-${part}`,
        {
          vpcId,
          vswitchName: `${name}-${part}`,
          cidrBlock: v.cidr,
          zoneId: v.zone,
          enableIpv6: v.ipv6Index !== undefined ? true : undefined,
          ipv6CidrBlockMask: v.ipv6Index,
          description: `${v.role} vSwitch of cluster ${v.cluster} in ${v.zone}`,
          tags: { ...tags, "platform/role": v.role, "platform/cluster": v.cluster },
        },
        {
          ...stateful,
          replaceOnChanges: ["cidrBlock", "zoneId", "vpcId"],
          dependsOn: block !== undefined && blocks.has(block) ? [blocks.get(block) as pulumi.Resource] : [],
        },
      );
      vswitchIds[v.key] = sw.id;
    }

    // --- NAT gateways, EIPs, SNAT entries, per-zone routes --------------------------------
    const nat = args.nat ?? {};
    const mode = nat.mode ?? "single";
    const natIds: Record<string, pulumi.Output<string>> = {};
    const natIps: Record<string, pulumi.Output<string>> = {};
    const nodeSwitches = args.vswitches.filter((v) => v.role === "node");
    // SNAT for node vSwitches, and pod vSwitches (Terway), never `public` ones (ACK docs: Enable an existing cluster to access the Internet (SNAT)).
    const snatSwitches = args.vswitches.filter((v) => v.role === "node" || v.role === "pod");
    const zones = distinct(args.vswitches.map((v) => v.zone));

    const makeNat = (natName: string, zone: string, vswitchKey: string) => {
      const gw = new alicloud.vpc.NatGateway(
        natName,
        {
          vpcId,
          vswitchId: vswitchIds[vswitchKey],
          natGatewayName: natName,
          natType: "Enhanced",
          networkType: "internet",
          paymentType: "PayAsYouGo",
          internetChargeType: "PayByLcu",
          deletionProtection: production,
          description: `Internet NAT of ${name} (${zone})`,
          tags,
        },
        { ...stateful, replaceOnChanges: ["vswitchId", "vpcId"] },
      );
      const eip = new alicloud.ecs.EipAddress(
        `${natName}-eip`,
        {
          addressName: `${natName}-eip`,
          bandwidth: String(nat.bandwidth ?? 100),
          internetChargeType: nat.internetChargeType ?? "PayByTraffic",
          paymentType: "PayAsYouGo",
          deletionProtection: production,
          resourceGroupId: args.resourceGroupId,
          tags,
        },
        { parent: this, protect },
      );
      const assoc = new alicloud.ecs.EipAssociation(
        `${natName}-eip-assoc`,
        { allocationId: eip.id, instanceId: gw.id, instanceType: "Nat" },
        { parent: this },
      );
      natIds[zone] = gw.id;
      natIps[zone] = eip.ipAddress;
      return { gw, eip, assoc };
    };

    const snat = (v: AlicloudNetworkVSwitchArgs, n: ReturnType<typeof makeNat>) =>
      new alicloud.vpc.SnatEntry(
        `${name}-snat-${keyToNamePart(v.key)}`,
        {
          snatTableId: n.gw.snatTableIds,
          sourceVswitchId: vswitchIds[v.key],
          snatIp: n.eip.ipAddress,
          snatEntryName: `${name}-${keyToNamePart(v.key)}`,
        },
        { parent: this, dependsOn: [n.assoc] },
      );

    if (mode === "single") {
      const home = nat.vswitchKey ?? (nodeSwitches[0] as AlicloudNetworkVSwitchArgs).key;
      const zone = (args.vswitches.find((v) => v.key === home) as AlicloudNetworkVSwitchArgs).zone;
      // The VPC's first NAT gateway gets the 0.0.0.0/0 route in the system route table
      // automatically (ACK docs: Enable an existing cluster to access the Internet (SNAT)), so single mode adds no route.
      const n = makeNat(`${name}-nat`, zone, home);
      for (const v of snatSwitches) snat(v, n);
    } else if (mode === "perZone") {
      // Only the VPC's first NAT gateway gets a route automatically (ACK docs: Enable an existing cluster to access the Internet (SNAT)): each
      // zone gets its own route table with 0.0.0.0/0 → its NAT gateway.
      for (const zone of zones) {
        const home = nodeSwitches.find((v) => v.zone === zone);
        if (!home) continue;
        const n = makeNat(`${name}-nat-${zone}`, zone, home.key);
        const table = new alicloud.vpc.RouteTable(
          `${name}-rt-${zone}`,
          {
            vpcId,
            routeTableName: `${name}-${zone}`,
            associateType: "VSwitch",
            description: `Routes of ${name} in ${zone}: Internet through the zone's NAT gateway`,
            tags,
          },
          { parent: this },
        );
        new alicloud.vpc.RouteEntry(
          `${name}-rt-${zone}-default`,
          {
            routeTableId: table.id,
            destinationCidrblock: "0.0.0.0/0",
            nexthopType: "NatGateway",
            nexthopId: n.gw.id,
          },
          { parent: this },
        );
        for (const v of snatSwitches.filter((s) => s.zone === zone)) {
          snat(v, n);
          new alicloud.vpc.RouteTableAttachment(
            `${name}-rt-${keyToNamePart(v.key)}`,
            { routeTableId: table.id, vswitchId: vswitchIds[v.key] as pulumi.Output<string> },
            { parent: this },
          );
        }
      }
    }

    // --- Node security groups, one per cluster -----------------------------------------
    const sgArgs = args.securityGroups ?? {};
    const sgIds: Record<string, pulumi.Output<string>> = {};
    if (sgArgs.enabled ?? true) {
      const type = sgArgs.type ?? "normal";
      for (const c of clustersOf(args).filter((x) => x.nodeSecurityGroup !== false)) {
        const sgName = `${name}-${c.name}-sg`;
        const sg = new alicloud.ecs.SecurityGroup(
          sgName,
          {
            vpcId,
            securityGroupName: sgName,
            securityGroupType: type,
            description: `Nodes of cluster ${c.name} (rules: ACK docs: Configure and manage cluster security groups, ${sgArgs.ruleSet ?? "minimum"})`,
            resourceGroupId: args.resourceGroupId,
            tags,
          },
          { parent: this },
        );
        sgIds[c.name] = sg.id;
        const mine = args.vswitches.filter((v) => v.cluster === c.name);
        const rules = nodeSecurityGroupRules({
          type,
          ruleSet: sgArgs.ruleSet,
          cni: c.cni,
          podCidr: c.podCidr,
          nodeVSwitchCidrs: mine.filter((v) => v.role === "node").map((v) => v.cidr),
          podVSwitchCidrs: mine.filter((v) => v.role === "pod").map((v) => v.cidr),
          vpcCidrs: [args.vpc.cidr, ...secondary],
          extraRules: sgArgs.extraRules,
        });
        for (const r of rules) {
          new alicloud.ecs.SecurityGroupRule(
            `${sgName}-${r.id}`,
            {
              securityGroupId: sg.id,
              type: r.direction,
              ipProtocol: r.protocol,
              portRange: r.portRange,
              policy: "accept",
              priority: 1,
              nicType: "intranet",
              ...(r.peer.self ? { sourceSecurityGroupId: sg.id } : { cidrIp: r.peer.cidr }),
              description: r.description,
            },
            { parent: this },
          );
        }
      }
    }

    const clusterNames = Object.keys(sgIds);
    this.vpcId = vpcId;
    this.vswitchIds = pulumi.output(vswitchIds);
    ownOutputs.set(this, { vswitchIds, securityGroupIds: sgIds });
    this.natGatewayIds = pulumi.output(natIds);
    this.natPublicIps = pulumi.output(natIps);
    const firstNat = Object.values(natIds)[0];
    this.natGatewayId = firstNat ? firstNat.apply((x): string | undefined => x) : pulumi.output(undefined);
    this.securityGroupIds = pulumi.output(sgIds);
    this.securityGroupId =
      clusterNames.length === 1 && sgIds[clusterNames[0] as string] !== undefined
        ? (sgIds[clusterNames[0] as string] as pulumi.Output<string>).apply((x): string | undefined => x)
        : pulumi.output(undefined);
    this.registerOutputs({
      vpcId: this.vpcId,
      vswitchIds: this.vswitchIds,
      natGatewayId: this.natGatewayId,
      natGatewayIds: this.natGatewayIds,
      natPublicIps: this.natPublicIps,
      securityGroupIds: this.securityGroupIds,
      securityGroupId: this.securityGroupId,
    });
  }

  /**
   * The id of one vSwitch (by allocation key), depending on that vSwitch alone. A resource in
   * one cluster's vSwitches takes its id from here rather than from `vswitchIds`, whose output
   * depends on every vSwitch of the network: the engine would otherwise see each cluster depend
   * on every other cluster's vSwitches. Undefined for a key the network does not hold.
   */
  vswitchId(key: string): pulumi.Output<string> | undefined {
    return ownOutputs.get(this)?.vswitchIds[key];
  }

  /** The node security group of one cluster; undefined when the network made none for it. */
  securityGroupIdOf(cluster: string): pulumi.Output<string> | undefined {
    return ownOutputs.get(this)?.securityGroupIds[cluster];
  }
}
