/**
 * The access rules of an ACK cluster's node security group, as data (no Pulumi import).
 *
 * ACK adds no rule to a security group it did not create (ACK docs: "Configure security group
 * rules to enforce access control on ACK clusters": when an existing security group is specified,
 * the system adds no access rules to it), so the network component creates the group and these
 * rules itself. The rule sets are that document's table of minimal cluster access rules, for
 * normal (basic) and enterprise groups, in its two widths:
 *
 * - `minimum`: DNS, ICMP, kubelet (10250, 10255) and webhook (443) inside the cluster; on an
 *   enterprise group also egress to the cloud-service range, DNS, kubelet and the API server
 *   (443, 6443).
 * - `recommended`: everything inside the cluster, ICMP from anywhere; on an enterprise group
 *   also all egress.
 *
 * Egress is only written where it decides something. A basic security group allows all
 * outbound traffic by default and an enterprise group denies it (ECS docs: "Security group
 * rules"; "Basic security groups and enterprise security groups"): accept rules on a basic
 * group's egress restrict nothing, so a basic group gets none, and its nodes keep the outbound
 * access the NAT gateway is there for (image pulls, cloud APIs). An enterprise group gets the
 * table's egress rules, which are then its whole outbound policy. Restricting a basic group's
 * egress would take a drop-all rule at the lowest priority under the accept rules, and would cut
 * nodes off every public registry; choose an enterprise group for an outbound whitelist.
 *
 * Peers: a normal group authorises the group itself and, under Flannel only, the pod CIDR
 * (Terway pods use ENIs in the node group, so the self rule already covers them). An enterprise
 * group authorises the CIDRs of every node and pod vSwitch of the cluster instead.
 *
 * "All protocols 53/53" of the table is one rule per transport here: the ECS API only accepts
 * port ranges with tcp and udp ("Other protocols' port_range can only be -1/-1").
 *
 * The destination "the cluster's API server SLB address" is not known when the network is built
 * (ACK creates the API server SLB later, inside the cluster's vSwitches), so it is the node
 * vSwitch CIDRs.
 */

/**
 * The cloud-service range nodes reach OSS, ACR, SLS and the other cloud products at. The ACK
 * table writes it as 100.96.0.0/10, which has host bits set; the /10 it names is 100.64.0.0/10.
 */
export const CLOUD_SERVICE_RANGE = "100.64.0.0/10";

import type { SecurityGroupType } from "@kubeplat/plan";

export type { SecurityGroupType };
// String choices as `as const` objects with a type of the same name: Pulumi's component schema
// inference publishes them as enums.

/** `minimum` or `recommended` (ACK docs: Configure and manage cluster security groups). */
export const SecurityGroupRuleSet = { Minimum: "minimum", Recommended: "recommended" } as const;
export type SecurityGroupRuleSet = (typeof SecurityGroupRuleSet)[keyof typeof SecurityGroupRuleSet];

/** A security group rule's protocol. */
export const RuleProtocol = { Tcp: "tcp", Udp: "udp", Icmp: "icmp", All: "all" } as const;
export type RuleProtocol = (typeof RuleProtocol)[keyof typeof RuleProtocol];

/** A security group rule's direction. */
export const RuleDirection = { Ingress: "ingress", Egress: "egress" } as const;
export type RuleDirection = (typeof RuleDirection)[keyof typeof RuleDirection];

/**
 * A rule a user adds for the ports their applications expose or reach (ACK docs: Add existing ECS instances to an ACK cluster,
 * 8295–8297). An egress rule decides something only on an enterprise group: a basic group
 * already allows all outbound traffic.
 */
export interface ExtraSecurityGroupRule {
  /** `ingress` or `egress`. */
  direction: RuleDirection;
  /** `tcp`, `udp`, `icmp` or `all`. */
  protocol: RuleProtocol;
  /** `from/to`, e.g. `30000/32767`; `-1/-1` (the default) for icmp and all. */
  portRange?: string;
  /** The peer CIDR (source of an ingress rule, destination of an egress rule). */
  cidr: string;
  /** Why the rule exists; shown in the console. */
  description?: string;
}

export interface NodeSecurityGroupInput {
  /** Default `normal`. */
  type?: SecurityGroupType;
  /** Default `minimum`. */
  ruleSet?: SecurityGroupRuleSet;
  cni: "terway" | "flannel";
  /** Flannel: the cluster's pod CIDR. */
  podCidr?: string;
  /** CIDRs of the cluster's node vSwitches. */
  nodeVSwitchCidrs: readonly string[];
  /** CIDRs of the cluster's Terway pod vSwitches. */
  podVSwitchCidrs?: readonly string[];
  /** The VPC's primary and secondary CIDRs (enterprise `recommended`: "集群所属的VPC网段" and "附加VPC网段"). */
  vpcCidrs?: readonly string[];
  extraRules?: readonly ExtraSecurityGroupRule[];
}

/** The peer of a rule: the group itself, or a CIDR. */
export type RulePeer = { self: true; cidr?: undefined } | { self?: undefined; cidr: string };

export interface SecurityGroupRuleSpec {
  /** Stable identifier (`in-tcp-10250-self`), the basis of the rule resource's name. */
  id: string;
  direction: "ingress" | "egress";
  protocol: RuleProtocol;
  portRange: string;
  peer: RulePeer;
  description: string;
}

const ALL_PORTS = "-1/-1";

function ports(p: number): string {
  return `${p}/${p}`;
}

function peerId(peer: RulePeer): string {
  return peer.self ? "self" : peer.cidr.replace(/[./:]/g, "-");
}

function ruleId(direction: "ingress" | "egress", protocol: RuleProtocol, portRange: string, peer: RulePeer) {
  const [from, to] = portRange.split("/");
  const p = portRange === ALL_PORTS ? "any" : from === to ? from : `${from}-${to}`;
  return `${direction === "ingress" ? "in" : "out"}-${protocol}-${p}-${peerId(peer)}`;
}

interface PortSpec {
  protocol: RuleProtocol;
  portRange: string;
  why: string;
}

const DNS: PortSpec[] = [
  { protocol: "tcp", portRange: ports(53), why: "DNS" },
  { protocol: "udp", portRange: ports(53), why: "DNS" },
];
const KUBELET: PortSpec[] = [
  { protocol: "tcp", portRange: ports(10250), why: "kubelet" },
  { protocol: "tcp", portRange: ports(10255), why: "kubelet (read-only)" },
];
const ICMP: PortSpec = { protocol: "icmp", portRange: ALL_PORTS, why: "ICMP" };
const ALL: PortSpec = { protocol: "all", portRange: ALL_PORTS, why: "all traffic" };

/**
 * The rules of a cluster's node security group. Deterministic and duplicate-free: the same
 * input always gives the same rules in the same order, so rule resources keep their names.
 */
export function nodeSecurityGroupRules(input: NodeSecurityGroupInput): SecurityGroupRuleSpec[] {
  const type = input.type ?? "normal";
  const ruleSet = input.ruleSet ?? "minimum";
  const out: SecurityGroupRuleSpec[] = [];
  const seen = new Set<string>();
  const add = (direction: "ingress" | "egress", spec: PortSpec, peer: RulePeer, source: string) => {
    const id = ruleId(direction, spec.protocol, spec.portRange, peer);
    if (seen.has(id)) return;
    seen.add(id);
    out.push({
      id,
      direction,
      protocol: spec.protocol,
      portRange: spec.portRange,
      peer,
      description: `${spec.why} (${source})`,
    });
  };

  // The cluster's own peers: the group itself (normal) or every vSwitch of the cluster
  // (enterprise, ACK docs: Configure and manage cluster security groups); plus the Flannel pod CIDR (never under Terway).
  const flannelPod: RulePeer[] = input.cni === "flannel" && input.podCidr ? [{ cidr: input.podCidr }] : [];
  const clusterPeers: RulePeer[] =
    type === "normal"
      ? [{ self: true }, ...flannelPod]
      : [
          ...[...input.nodeVSwitchCidrs, ...(input.podVSwitchCidrs ?? [])].map((cidr) => ({ cidr })),
          ...flannelPod,
        ];

  if (ruleSet === "recommended") {
    // 推荐范围 (ACK docs: Add existing ECS instances to an ACK cluster; enterprise ACK docs: Configure and manage cluster security groups).
    const src =
      type === "normal"
        ? "ACK docs: Add existing ECS instances to an ACK cluster"
        : "ACK docs: Configure and manage cluster security groups";
    add("ingress", ICMP, { cidr: "0.0.0.0/0" }, src);
    const inside: RulePeer[] =
      type === "normal"
        ? [{ self: true }, ...flannelPod]
        : [...(input.vpcCidrs ?? []).map((cidr) => ({ cidr })), ...flannelPod];
    for (const peer of inside) add("ingress", ALL, peer, src);
    // A basic group already allows all outbound traffic; an enterprise group needs the rule.
    if (type === "enterprise")
      add("egress", ALL, { cidr: "0.0.0.0/0" }, "ACK docs: Configure and manage cluster security groups");
  } else {
    // 最小范围, ingress: DNS, ICMP, kubelet 10250/10255, webhook 443 (ACK docs: Add existing ECS instances to an ACK cluster; Configure and manage cluster security groups).
    const src =
      type === "normal"
        ? "ACK docs: Add existing ECS instances to an ACK cluster"
        : "ACK docs: Configure and manage cluster security groups";
    const ingress: PortSpec[] = [
      ...DNS,
      ICMP,
      ...KUBELET,
      { protocol: "tcp", portRange: ports(443), why: "admission webhooks" },
    ];
    for (const peer of clusterPeers) for (const spec of ingress) add("ingress", spec, peer, src);

    // 最小范围, egress (enterprise groups only: a basic group allows all outbound traffic, so
    // accept rules there restrict nothing): the cloud-service range, then DNS, kubelet, API
    // server 443/6443 to the cluster's peers and to the API server SLB (the enterprise table of "Configure security group rules to enforce access control on ACK clusters").
    if (type === "normal") return withExtras(out, add, input);
    const esrc = "ACK docs: Configure and manage cluster security groups";
    add("egress", ALL, { cidr: CLOUD_SERVICE_RANGE }, esrc);
    const egress: PortSpec[] = [
      ...DNS,
      ...KUBELET,
      { protocol: "tcp", portRange: ports(443), why: "API server" },
      { protocol: "tcp", portRange: ports(6443), why: "API server" },
    ];
    const apiServer: RulePeer[] = input.nodeVSwitchCidrs.map((cidr) => ({ cidr }));
    for (const peer of [...clusterPeers, ...apiServer])
      for (const spec of egress) add("egress", spec, peer, esrc);
  }

  return withExtras(out, add, input);
}

type AddRule = (direction: "ingress" | "egress", spec: PortSpec, peer: RulePeer, source: string) => void;

function withExtras(
  out: SecurityGroupRuleSpec[],
  add: AddRule,
  input: NodeSecurityGroupInput,
): SecurityGroupRuleSpec[] {
  for (const extra of input.extraRules ?? []) {
    add(
      extra.direction,
      {
        protocol: extra.protocol,
        portRange: extra.portRange ?? ALL_PORTS,
        why: extra.description ?? "application ports",
      },
      { cidr: extra.cidr },
      "ACK docs: Add existing ECS instances to an ACK cluster",
    );
  }
  return out;
}
