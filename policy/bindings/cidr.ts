/**
 * cidr/* policies: the rules of plan/src/rules/cidr.ts over raw network resources.
 * A rule that one resource decides alone is a resource policy; overlaps among resources and
 * anything that follows a reference (a vSwitch's VPC, a cluster's vSwitches and pools) is a
 * stack policy. The stack policies share one NetworkFacts per stack, so the cidr module's one
 * sorted overlap sweep serves them all.
 *
 * Not bound (not visible on cloud resources): cidr/shared-vpc-needs-terway (a shared VPC is
 * another account's), cidr/kubeovn-join-overlap and cidr/api-vip (self-provisioned clusters),
 * cidr/api-acl-missing-ranges (ACK creates the API server SLB and its ACL itself),
 * cidr/plan-renumbered (needs the previous plan).
 */
import { cidrRules, type NetworkFacts } from "@kubeplat/plan";
import {
  CLUSTER_TYPES,
  outsideVpcFacts,
  resourceNetworkFacts,
  stackNetworkFacts,
  VPC_CIDR_TYPES,
  VPC_TYPES,
  VSWITCH_TYPES,
} from "@kubeplat/plan/facts";
import type { ResourceBinding, StackBinding } from "../define";

const NETWORK_TYPES = [...VPC_TYPES, ...VPC_CIDR_TYPES, ...VSWITCH_TYPES, ...CLUSTER_TYPES];

const resource = (
  rule: keyof typeof cidrRules,
  description: string,
  types: readonly string[],
  withConnected = false,
): ResourceBinding<NetworkFacts> => ({
  scope: "resource",
  rule,
  description,
  types,
  settings: withConnected ? ["connectedRanges"] : [],
  // Without connected ranges cidr/overlaps-peer has nothing to compare against.
  facts: (r, ctx, labels) =>
    withConnected && ctx.settings.connectedRanges.length === 0
      ? undefined
      : resourceNetworkFacts(r, ctx, labels, withConnected),
  check: cidrRules[rule],
});

const stack = (rule: keyof typeof cidrRules, description: string): StackBinding<NetworkFacts> => ({
  scope: "stack",
  rule,
  description,
  key: "network",
  settings: [],
  facts: (resources, ctx, labels) => stackNetworkFacts(resources, ctx, labels),
  check: cidrRules[rule],
});

export const cidrBindings = [
  // A stack policy although it judges each resource alone: every CIDR is then parsed once per
  // stack, in the NetworkFacts the overlap rules share, instead of once more per resource (the
  // parse dominates: half the pack's time on 10,000 resources). Violations still name the resource.
  stack(
    "cidr/invalid",
    "Every CIDR of a VPC, vSwitch (subnet) or cluster parses, has its host bits zero and a legal prefix.",
  ),
  resource(
    "cidr/vpc-reserved-range",
    "A VPC CIDR lies outside 100.64.0.0/10, 224.0.0.0/4, 127.0.0.0/8 and 169.254.0.0/16.",
    [...VPC_TYPES, ...VPC_CIDR_TYPES],
  ),
  resource(
    "cidr/pod-overlaps-service",
    "Within a cluster the pod CIDR and the service CIDR do not overlap.",
    CLUSTER_TYPES,
  ),
  resource(
    "cidr/ipv6-service-range",
    "A dual-stack cluster uses Terway and Kubernetes >= 1.20.4; its IPv6 service CIDR lies in fc00::/7 with a /112 to /120 prefix.",
    CLUSTER_TYPES,
  ),
  resource(
    "cidr/overlaps-peer",
    "No VPC, vSwitch, pod or service CIDR overlaps a connected range (config connectedRanges).",
    NETWORK_TYPES,
    true,
  ),
  {
    ...stack(
      "cidr/vswitch-outside-vpc",
      "Every vSwitch (subnet) lies inside its VPC's primary or a secondary CIDR.",
    ),
    // A VPC whose address space is partly unknown is not used to judge its vSwitches.
    key: "network-outside",
    facts: outsideVpcFacts,
  },
  stack("cidr/vswitch-overlap", "No two vSwitches (subnets) of one VPC overlap."),
  stack("cidr/pod-overlaps-vpc", "A Flannel pod CIDR overlaps neither its VPC nor any of its vSwitches."),
  stack("cidr/service-overlaps-vpc", "A service CIDR overlaps neither its VPC nor any of its vSwitches."),
  stack(
    "cidr/pod-overlaps-cluster",
    "Pod CIDRs of clusters that share a VPC overlap neither each other nor the other clusters' service CIDRs.",
  ),
  stack(
    "cidr/service-shared",
    "Two clusters in one VPC use the same service CIDR (their services cannot reach each other).",
  ),
  stack("cidr/terway-pod-vswitch-small", "A Terway pod vSwitch is /19 or larger (8,192 addresses)."),
  stack(
    "cidr/terway-zone-mismatch",
    "Every zone with a node vSwitch has a Terway pod vSwitch in the same zone, and no pod vSwitch sits in a zone without one.",
  ),
  stack(
    "cidr/pod-capacity",
    "The address plan holds the planned size: Flannel node slots >= max nodes; per zone, vSwitches hold the planned nodes and pods.",
  ),
];
