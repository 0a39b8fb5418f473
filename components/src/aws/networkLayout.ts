/**
 * The AWS network layout (pure, no Pulumi import): which subnets, route tables, NAT gateways and
 * internet gateway AwsNetwork creates for a list of planned subnets, and under which names.
 *
 * Stability: every name derives from a stable key (subnet: the planner's allocation key
 * `<cluster>/<zone>/<role>`; route table and NAT gateway: the zone), never from a position, so
 * appending a zone, a cluster or a subnet never renames or moves what exists. A NAT gateway sits
 * in the first public subnet (in plan order) of its zone, and the single NAT of a non-production
 * network in the first public subnet of the plan, which perZone keeps too: appending subnets
 * never moves a NAT gateway, and switching single → perZone only adds some.
 */

import type { Diagnostic, VSwitchRole } from "@kubeplat/plan";
import {
  AWS_RESERVED_PER_SUBNET,
  checkNetwork,
  contains,
  type NetworkFacts,
  parseCidr,
} from "@kubeplat/plan";
import { argProblem, checkOneOf } from "./argCheck";
import { kubernetesSubnetTags } from "./subnetTags";

export const NAT_MODES = ["perZone", "single", "none"] as const;
export type NatMode = (typeof NAT_MODES)[number];
export const SUBNET_ROLES: readonly VSwitchRole[] = ["node", "pod", "public"];

/** A planned subnet, shaped like the planner's PlannedVSwitch. */
export interface SubnetInput {
  key: string;
  cluster: string;
  zone: string;
  role: string;
  cidr: string;
  existingId?: string;
  /** Dual stack (planner): not supported on AWS yet, rejected by checkLayout. */
  ipv6Index?: number;
}

export interface LayoutInput {
  /** The network component's name: the prefix of every child name. */
  name: string;
  vpc: { id?: string; cidr: string; secondaryCidrs?: string[] };
  subnets: readonly SubnetInput[];
  natGateways: NatMode;
  /** Adopted VPC: the internet gateway the new public subnets route to. */
  internetGatewayId?: string;
  /** Planner cluster name → EKS cluster name (the `kubernetes.io/cluster/<name>` tag). */
  clusterNames?: Record<string, string>;
}

export interface SubnetLayout {
  key: string;
  /** The Pulumi resource name (or, adopted, the name of its tag resources). */
  resourceName: string;
  zone: string;
  role: VSwitchRole;
  cidr: string;
  existingId?: string;
  /** Private subnets (node, pod) route through a NAT gateway; public ones through the IGW. */
  isPublic: boolean;
  /** Kubernetes discovery tags (subnetTags.ts). */
  kubernetesTags: Record<string, string>;
  /** Resource name of the secondary CIDR association the subnet lies in, if any. */
  secondaryCidrAssociation?: string;
}

export interface NatLayout {
  resourceName: string;
  zone: string;
  /** Key of the public subnet it sits in. */
  subnetKey: string;
}

export interface RouteTableLayout {
  resourceName: string;
  kind: "public" | "private";
  zone?: string;
  /** Private: the NAT gateway of the default route (undefined: no default route). */
  natResourceName?: string;
  /** Keys of the created subnets associated with it. */
  subnetKeys: string[];
}

export interface NetworkLayout {
  subnets: SubnetLayout[];
  secondaryCidrs: { cidr: string; resourceName: string }[];
  nats: NatLayout[];
  routeTables: RouteTableLayout[];
  /** Create an internet gateway (created VPC with created public subnets). */
  createInternetGateway: boolean;
  /** Public route table default route: created IGW, the given one, or none. */
  publicGateway: "created" | "given" | "none";
  /** Advisories to log (cross-zone NAT routes). */
  notes: string[];
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");

export function subnetResourceName(name: string, key: string): string {
  return `${name}-${safe(key)}`;
}

/**
 * Validate the layout input: spec/schema shape problems plus every cidr/* rule that applies to a
 * VPC and its subnets (cidr/invalid, cidr/vpc-reserved-range, cidr/vswitch-outside-vpc,
 * cidr/vswitch-overlap), from plan/rules/cidr.ts.
 */
export function checkLayout(input: LayoutInput, resource = input.name): Diagnostic[] {
  const out: Diagnostic[] = [];
  out.push(...checkOneOf(resource, "natGateways", input.natGateways, NAT_MODES));
  const seen = new Map<string, number>();
  for (const [i, s] of input.subnets.entries()) {
    out.push(...checkOneOf(resource, `subnets[${i}].role`, s.role, SUBNET_ROLES));
    const first = seen.get(s.key);
    if (first !== undefined) {
      out.push(argProblem(resource, `subnets[${i}].key`, `key ${s.key} repeats subnets[${first}].key`));
    } else seen.set(s.key, i);
    if (s.zone === "") out.push(argProblem(resource, `subnets[${i}].zone`, `subnet ${s.key} has no zone`));
    if (s.ipv6Index !== undefined) {
      out.push(
        argProblem(
          resource,
          `subnets[${i}].ipv6Index`,
          `subnet ${s.key} has IPv6 index ${s.ipv6Index}: AwsNetwork builds IPv4 subnets only (dual stack is not supported on AWS yet)`,
        ),
      );
    }
  }
  const createsPublic = input.subnets.some((s) => s.role === "public" && s.existingId === undefined);
  if (input.vpc.id !== undefined && createsPublic && input.internetGatewayId === undefined) {
    out.push(
      argProblem(
        resource,
        "internetGatewayId",
        `adopted vpc ${input.vpc.id} gets new public subnets (${input.subnets
          .filter((s) => s.role === "public" && s.existingId === undefined)
          .map((s) => s.key)
          .join(", ")}) but no internetGatewayId to route them to`,
      ),
    );
  }
  const createsPrivate = input.subnets.some((s) => s.role !== "public" && s.existingId === undefined);
  if (createsPrivate && input.natGateways !== "none" && !input.subnets.some((s) => s.role === "public")) {
    out.push(
      argProblem(
        resource,
        "natGateways",
        `natGateways ${input.natGateways} needs a public subnet to place the NAT gateway in; the plan has none (use "none" for isolated private subnets)`,
      ),
    );
  }
  const facts: NetworkFacts = {
    vpcs: [
      {
        resource,
        id: input.vpc.id ?? "vpc",
        primary: { cidr: input.vpc.cidr, path: "vpc.cidr" },
        secondary: (input.vpc.secondaryCidrs ?? []).map((c, i) => ({
          cidr: c,
          path: `vpc.secondaryCidrs[${i}]`,
        })),
      },
    ],
    vswitches: input.subnets.map((s, i) => ({
      resource: subnetResourceName(input.name, s.key),
      path: `subnets[${i}].cidr`,
      cidr: s.cidr,
      vpc: input.vpc.id ?? "vpc",
      zone: s.zone,
      role: s.role as VSwitchRole,
      cluster: s.cluster,
      reserved: AWS_RESERVED_PER_SUBNET,
    })),
    clusters: [],
    connected: [],
  };
  out.push(...checkNetwork(facts));
  return out;
}

/** The layout of a valid input (run checkLayout first). */
export function layoutNetwork(input: LayoutInput): NetworkLayout {
  const { name } = input;
  const notes: string[] = [];
  const adopted = input.vpc.id !== undefined;
  const secondaryCidrs = adopted
    ? []
    : (input.vpc.secondaryCidrs ?? []).map((c) => ({ cidr: c, resourceName: `${name}-cidr-${safe(c)}` }));
  const secondaryParsed = secondaryCidrs.flatMap((s) => {
    const p = parseCidr(s.cidr);
    return p.ok ? [{ ...s, parsed: p.cidr }] : [];
  });
  const primary = parseCidr(input.vpc.cidr);

  const clustersOf = (s: SubnetInput): string[] => {
    // A subnet with no cluster serves every cluster of the plan (spec: existingVSwitches[].cluster omitted).
    const planNames = s.cluster
      ? [s.cluster]
      : [...new Set(input.subnets.map((x) => x.cluster).filter(Boolean))];
    return planNames.map((c) => input.clusterNames?.[c] ?? c);
  };

  const subnets: SubnetLayout[] = input.subnets.map((s) => {
    const role = s.role as VSwitchRole;
    const parsed = parseCidr(s.cidr);
    let secondaryCidrAssociation: string | undefined;
    if (parsed.ok && !(primary.ok && contains(primary.cidr, parsed.cidr))) {
      secondaryCidrAssociation = secondaryParsed.find((x) => contains(x.parsed, parsed.cidr))?.resourceName;
    }
    return {
      key: s.key,
      resourceName: subnetResourceName(name, s.key),
      zone: s.zone,
      role,
      cidr: s.cidr,
      existingId: s.existingId,
      isPublic: role === "public",
      kubernetesTags: kubernetesSubnetTags(role, clustersOf(s)),
      secondaryCidrAssociation,
    };
  });

  const created = subnets.filter((s) => s.existingId === undefined);
  const privateZones = unique(created.filter((s) => !s.isPublic).map((s) => s.zone));
  const firstPublicInZone = new Map<string, SubnetLayout>();
  for (const s of subnets) if (s.isPublic && !firstPublicInZone.has(s.zone)) firstPublicInZone.set(s.zone, s);
  const firstPublic = subnets.find((s) => s.isPublic);

  // NAT gateways, only when created private subnets need egress. The first public subnet of the
  // plan always hosts one (the single NAT, or the fallback of zones without a public subnet);
  // perZone adds one in every other zone that has both private and public subnets. Appending
  // subnets only ever adds NAT gateways.
  const nats: NatLayout[] = [];
  const natName = (zone: string) => `${name}-nat-${safe(zone)}`;
  if (privateZones.length > 0 && input.natGateways !== "none" && firstPublic) {
    nats.push({
      resourceName: natName(firstPublic.zone),
      zone: firstPublic.zone,
      subnetKey: firstPublic.key,
    });
    if (input.natGateways === "perZone") {
      for (const zone of privateZones) {
        const pub = firstPublicInZone.get(zone);
        if (pub && zone !== firstPublic.zone)
          nats.push({ resourceName: natName(zone), zone, subnetKey: pub.key });
      }
    }
  }

  const routeTables: RouteTableLayout[] = [];
  const createdPublic = created.filter((s) => s.isPublic);
  if (createdPublic.length > 0) {
    routeTables.push({
      resourceName: `${name}-public`,
      kind: "public",
      subnetKeys: createdPublic.map((s) => s.key),
    });
  }
  for (const zone of privateZones) {
    let nat = nats.find((n) => n.zone === zone);
    if (!nat && nats.length > 0) {
      nat = nats[0]; // the NAT of the first public subnet
      if (input.natGateways === "perZone") {
        notes.push(
          `zone ${zone} has private subnets but no public subnet: its egress crosses zones through ${nat?.resourceName} (${nat?.zone})`,
        );
      }
    }
    routeTables.push({
      resourceName: `${name}-private-${safe(zone)}`,
      kind: "private",
      zone,
      natResourceName: nat?.resourceName,
      subnetKeys: created.filter((s) => !s.isPublic && s.zone === zone).map((s) => s.key),
    });
  }

  const createInternetGateway = !adopted && createdPublic.length > 0;
  const publicGateway = createInternetGateway
    ? "created"
    : input.internetGatewayId !== undefined
      ? "given"
      : "none";
  return { subnets, secondaryCidrs, nats, routeTables, createInternetGateway, publicGateway, notes };
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
