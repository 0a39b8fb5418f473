/**
 * cidr/* capacity rules: a Terway pod vSwitch large enough, and enough usable addresses in each
 * zone for the planned nodes and their pods (each cloud reserves some addresses per vSwitch).
 */
import { bitsOf, type Cidr, formatCount, parseCidr, size } from "../cidr";
import { type Diagnostic, diagnostic } from "../diagnostic";
import { ALICLOUD_RESERVED_PER_VSWITCH, type NetworkFacts, TERWAY_POD_VSWITCH_MIN_ADDRESSES } from "./cidr";
import { parseFacts } from "./networkParsing";

/** cidr/terway-pod-vswitch-small (advisory): a Terway pod vSwitch is /19 or larger. */
export function checkTerwayPodVSwitchSmall(facts: NetworkFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of facts.vswitches) {
    if (s.role !== "pod" || s.cidr === undefined) continue;
    const p = parseCidr(s.cidr);
    if (!p.ok || p.cidr.version !== 4) continue;
    if (size(p.cidr) < TERWAY_POD_VSWITCH_MIN_ADDRESSES) {
      out.push(
        diagnostic("cidr/terway-pod-vswitch-small", {
          resource: s.resource,
          path: s.path,
          message: `Terway pod vSwitch ${p.cidr.text} has ${formatCount(size(p.cidr))} addresses; /19 (8,192) or larger is recommended${s.cluster ? ` (cluster "${s.cluster}")` : ""}`,
        }),
      );
    }
  }
  return out;
}

function usable(c: Cidr, reserved: number): bigint {
  const n = size(c) - BigInt(reserved);
  return n > 0n ? n : 0n;
}

function sumUsable(texts: string[] | undefined, reserved: number): bigint | undefined {
  if (texts === undefined) return undefined;
  let total = 0n;
  for (const t of texts) {
    const p = parseCidr(t);
    if (!p.ok) return undefined;
    total += usable(p.cidr, reserved);
  }
  return total;
}

/**
 * cidr/pod-capacity: the address plan holds the planned size. Flannel: 2^(nodeMask − podPrefix)
 * ≥ max nodes; Terway: pod vSwitch addresses of a zone ≥ the zone's planned pods; VPC CNI: the
 * node subnets hold the zone's nodes and their pods; node vSwitches hold the zone's max nodes.
 */
export function checkPodCapacity(facts: NetworkFacts): Diagnostic[] {
  const p = parseFacts(facts);
  const out: Diagnostic[] = [];
  for (const c of facts.clusters) {
    const reserved = c.reservedPerVSwitch ?? ALICLOUD_RESERVED_PER_VSWITCH;
    const d = (path: string, message: string) =>
      out.push(diagnostic("cidr/pod-capacity", { resource: c.resource, path, message }));
    const pod = p.pod.get(c);
    if (c.cni === "flannel" && pod && c.nodeCidrMask !== undefined && c.maxNodes !== undefined) {
      const bits = bitsOf(pod.version);
      if (c.nodeCidrMask < pod.prefix || c.nodeCidrMask > bits) {
        d(
          `${c.path}.nodeCidrMask`,
          `node CIDR mask /${c.nodeCidrMask} does not fit pod CIDR ${pod.text} (cluster "${c.name}")`,
        );
      } else {
        const slots = 1n << BigInt(c.nodeCidrMask - pod.prefix);
        if (slots < BigInt(c.maxNodes)) {
          d(
            `${c.path}.nodeCidrMask`,
            `pod CIDR ${pod.text} with node mask /${c.nodeCidrMask} gives ${formatCount(slots)} nodes a pod range; the cluster plans ${formatCount(c.maxNodes)} nodes (cluster "${c.name}")`,
          );
        }
      }
    }
    for (const z of c.zones ?? []) {
      if (z.plannedNodes === undefined) continue;
      const nodeAddresses = sumUsable(z.nodeCidrs, reserved);
      const pods =
        c.maxPodsPerNode !== undefined ? BigInt(z.plannedNodes) * BigInt(c.maxPodsPerNode) : undefined;
      if (c.cni === "vpc-cni") {
        // Nodes and their pods share the node subnets.
        if (nodeAddresses !== undefined && pods !== undefined) {
          const need = BigInt(z.plannedNodes) + pods;
          if (nodeAddresses < need) {
            d(
              z.path,
              `node subnets ${z.nodeCidrs?.join(", ")} in zone ${z.zone} hold ${formatCount(nodeAddresses)} addresses; ${formatCount(z.plannedNodes)} nodes with ${c.maxPodsPerNode} pods each need ${formatCount(need)} (cluster "${c.name}")`,
            );
          }
        }
        continue;
      }
      if (nodeAddresses !== undefined && nodeAddresses < BigInt(z.plannedNodes)) {
        d(
          z.path,
          `node vSwitches ${z.nodeCidrs?.join(", ") || "(none)"} in zone ${z.zone} hold ${formatCount(nodeAddresses)} nodes; the zone plans ${formatCount(z.plannedNodes)} (cluster "${c.name}")`,
        );
      }
      if (c.cni === "terway" && pods !== undefined) {
        const podAddresses = sumUsable(z.podCidrs, reserved);
        if (podAddresses !== undefined && podAddresses < pods) {
          d(
            z.path,
            `Terway pod vSwitches ${z.podCidrs?.join(", ") || "(none)"} in zone ${z.zone} hold ${formatCount(podAddresses)} pods; the zone plans ${formatCount(pods)} (${formatCount(z.plannedNodes)} nodes × ${c.maxPodsPerNode} pods) (cluster "${c.name}")`,
          );
        }
      }
    }
  }
  return out;
}
