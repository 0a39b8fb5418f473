/**
 * The catalogue of cidr/* rules over NetworkFacts: one entry per rule id (the policy pack makes
 * one policy each), and `checkNetwork` to run them all.
 */
import type { Diagnostic, RuleId } from "../diagnostic";
import type { NetworkFacts } from "./cidr";
import { checkPodCapacity, checkTerwayPodVSwitchSmall } from "./cidrCapacity";
import {
  checkInvalid,
  checkIpv6ServiceRange,
  checkOverlapsPeer,
  checkPodOverlapsCluster,
  checkPodOverlapsService,
  checkPodOverlapsVpc,
  checkServiceOverlapsVpc,
  checkServiceShared,
  checkSharedVpcNeedsTerway,
  checkTerwayZoneMismatch,
  checkVpcReservedRange,
  checkVSwitchOutsideVpc,
  checkVSwitchOverlap,
} from "./cidrOverlap";
import { checkApiAclMissingRanges, checkApiVip, checkKubeOvnJoinOverlap } from "./selfProvisioned";

/** Every cidr/* rule that reads NetworkFacts, keyed by id (the policy pack makes one policy each). */
export const cidrRules = {
  "cidr/invalid": checkInvalid,
  "cidr/vpc-reserved-range": checkVpcReservedRange,
  "cidr/vswitch-outside-vpc": checkVSwitchOutsideVpc,
  "cidr/vswitch-overlap": checkVSwitchOverlap,
  "cidr/pod-overlaps-vpc": checkPodOverlapsVpc,
  "cidr/service-overlaps-vpc": checkServiceOverlapsVpc,
  "cidr/pod-overlaps-service": checkPodOverlapsService,
  "cidr/pod-overlaps-cluster": checkPodOverlapsCluster,
  "cidr/service-shared": checkServiceShared,
  "cidr/overlaps-peer": checkOverlapsPeer,
  "cidr/terway-pod-vswitch-small": checkTerwayPodVSwitchSmall,
  "cidr/terway-zone-mismatch": checkTerwayZoneMismatch,
  "cidr/shared-vpc-needs-terway": checkSharedVpcNeedsTerway,
  "cidr/ipv6-service-range": checkIpv6ServiceRange,
  "cidr/pod-capacity": checkPodCapacity,
  "cidr/kubeovn-join-overlap": checkKubeOvnJoinOverlap,
  "cidr/api-vip": checkApiVip,
  "cidr/api-acl-missing-ranges": checkApiAclMissingRanges,
} satisfies Partial<Record<RuleId, (facts: NetworkFacts) => Diagnostic[]>>;

/** Run every cidr/* rule over the facts. */
export function checkNetwork(facts: NetworkFacts): Diagnostic[] {
  return Object.values(cidrRules).flatMap((rule) => rule(facts));
}
