/**
 * The addressing facts of RULES.md (`cidr/*`): NetworkFacts, built from an environment plan
 * (planner), from component args, or by the facts decoders from raw resource properties. Any leaf
 * may be undefined (unknown during a preview): an unknown value never produces a violation and
 * never hides a known one.
 *
 * The rules over them, by what they judge: cidrOverlap.ts (validity, reserved ranges,
 * containment and overlaps, one sorted sweep over every range, so a stack with thousands of
 * CIDRs costs O(n log n + pairs)), cidrCapacity.ts (addresses for the planned nodes and pods),
 * selfProvisioned.ts (Kube-OVN, API VIP and ACL of self-provisioned clusters); the stability
 * check (cidr/plan-renumbered) sits with the planner; cidrRules.ts is the catalogue.
 */
import { type Cidr, parseCidr } from "../cidr";
import { type Diagnostic, diagnostic } from "../diagnostic";
import type { VSwitchRole } from "../planTypes";
import type { Cni } from "../spec";

/** A CIDR value with the field path it came from. */
export interface CidrField {
  cidr?: string;
  path: string;
}

export interface VpcFacts {
  /** Logical name or URN. */
  resource: string;
  /** The key vSwitches and clusters use to name their VPC (logical name or VPC id). */
  id?: string;
  primary?: CidrField;
  secondary?: CidrField[];
  /** A shared VPC (resource sharing). */
  shared?: boolean;
  /** Ids of VPCs this one is connected to (peering, CEN): their clusters' ranges must not overlap. */
  connectedTo?: string[];
}

export interface VSwitchFacts {
  resource: string;
  path: string;
  cidr?: string;
  vpc?: string;
  zone?: string;
  role?: VSwitchRole;
  /** The cluster using it, when known. */
  cluster?: string;
  /** Addresses the cloud reserves in every vSwitch/subnet (Alibaba Cloud 4, AWS 5). */
  reserved?: number;
}

export interface ZoneFacts {
  zone: string;
  path: string;
  nodeCidrs?: string[];
  podCidrs?: string[];
  /** Planned max nodes in this zone. */
  plannedNodes?: number;
}

export interface ClusterNetworkFacts {
  resource: string;
  name: string;
  path: string;
  vpc?: string;
  cni?: Cni;
  ipStack?: "ipv4" | "dual";
  kubernetesVersion?: string;
  podCidr?: CidrField;
  serviceCidr?: CidrField;
  ipv6ServiceCidr?: CidrField;
  /** Flannel: prefix of each node's pod range. */
  nodeCidrMask?: number;
  maxPodsPerNode?: number;
  /** Max nodes of the cluster (sum of pool max sizes). */
  maxNodes?: number;
  zones?: ZoneFacts[];
  /** Addresses reserved per vSwitch (capacity arithmetic); default 4 (Alibaba Cloud). */
  reservedPerVSwitch?: number;
  /** The API server load balancer's allow-list, when it uses one. */
  apiAllowList?: { cidrs?: string[]; path: string };
  /** Kube-OVN (self-provisioned): join CIDR and underlay subnet gateways. */
  kubeOvn?: { joinCidr?: CidrField; underlayGateways?: { ip?: string; path: string }[] };
  /** Self-provisioned: API server VIP, control-plane subnet, node IPs. */
  apiVip?: { vip?: string; subnet?: string; nodeIps?: string[]; path: string };
}

export interface ConnectedRangeFacts {
  resource: string;
  name: string;
  path: string;
  cidr?: string;
  kind?: string;
}

export interface NetworkFacts {
  vpcs: VpcFacts[];
  vswitches: VSwitchFacts[];
  clusters: ClusterNetworkFacts[];
  connected: ConnectedRangeFacts[];
}

/**
 * The facts of one VPC given as a list of CIDRs (primary first), the way the cluster components
 * receive it (`vpcCidrs`): none when the list is empty or unknown.
 */
export function vpcFactsFromCidrs(
  resource: string,
  cidrs: readonly string[] | undefined,
  field = "vpcCidrs",
): VpcFacts[] {
  if (!cidrs || cidrs.length === 0) return [];
  return [
    {
      resource,
      id: "vpc",
      primary: { cidr: cidrs[0], path: `${field}[0]` },
      secondary: cidrs.slice(1).map((c, i) => ({ cidr: c, path: `${field}[${i + 1}]` })),
    },
  ];
}

/** The source range ACK's control plane reaches the API server from (ACK docs: Configure access control policies for the API server). */
export const ACK_CONTROL_PLANE_RANGE = "100.104.0.0/16";
/** Terway pod vSwitches of /19 or larger (ACK docs: Add vSwitches for Terway). */
export const TERWAY_POD_VSWITCH_MIN_ADDRESSES = 8192n;
/** Alibaba Cloud reserves 4 addresses of every block (ACK docs: Network overview: /16 → 65,532). */
export const ALICLOUD_RESERVED_PER_VSWITCH = 4;
/** AWS reserves 5 addresses of every subnet. */
export const AWS_RESERVED_PER_SUBNET = 5;

// ---------------------------------------------------------------------------------------------

/** A list of CIDRs one resource holds (an ACL, an allow-list, security group peers). */
export interface CidrListFacts {
  resource: string;
  /** Path of the list; entry i is reported at `${path}[i]`. */
  path: string;
  /** The entries; an undefined entry is unknown. */
  cidrs: readonly (string | undefined)[];
}

/** cidr/invalid over a list of CIDRs: each entry parses, has host bits zero and a legal prefix. */
export function checkCidrList(facts: CidrListFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [i, t] of facts.cidrs.entries()) {
    parseField(t, { resource: facts.resource, path: `${facts.path}[${i}]` }, out);
  }
  return out;
}

/** Parse one CIDR field; an invalid one adds its cidr/invalid diagnostic to `out`. */
export function parseField(
  value: string | undefined,
  where: { resource: string; path: string },
  out: Diagnostic[],
): Cidr | undefined {
  if (value === undefined || value === null) return undefined;
  const p = parseCidr(value);
  if (p.ok) return p.cidr;
  out.push(
    diagnostic("cidr/invalid", {
      resource: where.resource,
      path: where.path,
      message: p.reason,
    }),
  );
  return undefined;
}
