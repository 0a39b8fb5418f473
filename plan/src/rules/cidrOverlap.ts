/**
 * cidr/* rules on validity, placement and overlaps: every CIDR valid and outside reserved
 * ranges, vSwitches inside their VPC and apart, pod and service ranges apart from the VPC, each
 * other, other clusters and connected networks, Terway's zones and shared VPCs, IPv6 service
 * ranges. Overlaps come from one sorted sweep over every range of the facts.
 */
import { contains, overlaps, cidr as parse, VPC_FORBIDDEN_RANGES } from "../cidr";
import { type Diagnostic, diagnostic, type RuleId } from "../diagnostic";
import type { NetworkFacts } from "./cidr";
import { clusterSuffix, describeItem as describe, type Item, pairsOf, parseFacts } from "./networkParsing";

// ---------------------------------------------------------------------------------------------
// The rules

/** cidr/invalid: every CIDR parses, has host bits zero and a legal prefix. */
export function checkInvalid(facts: NetworkFacts): Diagnostic[] {
  return parseFacts(facts).invalid;
}

/** cidr/vpc-reserved-range: VPC CIDRs avoid 100.64/10, 224/4, 127/8, 169.254/16 (ACK docs: Network overview). */
export function checkVpcReservedRange(facts: NetworkFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of parseFacts(facts).items) {
    if (r.item.kind !== "vpc") continue;
    for (const bad of VPC_FORBIDDEN_RANGES) {
      if (overlaps(r.cidr, bad)) {
        out.push(
          diagnostic("cidr/vpc-reserved-range", {
            resource: r.item.resource,
            path: r.item.path,
            message: `${describe(r.item, r.cidr)} overlaps the reserved range ${bad.text}; use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`,
          }),
        );
      }
    }
  }
  return out;
}

/** cidr/vswitch-outside-vpc: a vSwitch lies inside its VPC's primary or a secondary CIDR. */
export function checkVSwitchOutsideVpc(facts: NetworkFacts): Diagnostic[] {
  const p = parseFacts(facts);
  const out: Diagnostic[] = [];
  for (const r of p.items) {
    if (r.item.kind !== "vswitch" || r.item.vpc === undefined) continue;
    const vpcRanges = p.vpcCidrs.get(r.item.vpc);
    if (!vpcRanges || vpcRanges.length === 0) continue; // VPC CIDRs unknown
    // One of the VPC's CIDRs is unknown (preview): the vSwitch may lie in that one.
    if (p.vpcPartlyUnknown.has(r.item.vpc)) continue;
    if (vpcRanges.some((v) => contains(v.cidr, r.cidr))) continue;
    out.push(
      diagnostic("cidr/vswitch-outside-vpc", {
        resource: r.item.resource,
        path: r.item.path,
        message: `${describe(r.item, r.cidr)} is not inside vpc ${r.item.vpc} (${vpcRanges.map((v) => v.cidr.text).join(", ")})`,
      }),
    );
  }
  return out;
}

/** cidr/vswitch-overlap: no two vSwitches of one VPC overlap. */
export function checkVSwitchOverlap(facts: NetworkFacts): Diagnostic[] {
  return pairsOf(facts, "vswitch", "vswitch")
    .filter(([a, b]) => a.item.vpc !== undefined && a.item.vpc === b.item.vpc)
    .map(([a, b]) =>
      diagnostic("cidr/vswitch-overlap", {
        resource: b.item.resource,
        path: b.item.path,
        message: `${describe(b.item, b.cidr)} overlaps ${describe(a.item, a.cidr)} in vpc ${a.item.vpc}`,
      }),
    );
}

function againstVpc(facts: NetworkFacts, kind: "pod" | "service", rule: RuleId): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const other of ["vpc", "vswitch"] as const) {
    for (const [x, y] of pairsOf(facts, kind, other)) {
      if (x.item.vpc === undefined || x.item.vpc !== y.item.vpc) continue;
      out.push(
        diagnostic(rule, {
          resource: x.item.resource,
          path: x.item.path,
          message: `${describe(x.item, x.cidr)} overlaps ${describe(y.item, y.cidr)}${clusterSuffix(x.item)}`,
        }),
      );
    }
  }
  return out;
}

/** cidr/pod-overlaps-vpc: a Flannel pod CIDR overlaps neither its VPC nor any of its vSwitches. */
export function checkPodOverlapsVpc(facts: NetworkFacts): Diagnostic[] {
  return againstVpc(facts, "pod", "cidr/pod-overlaps-vpc");
}

/** cidr/service-overlaps-vpc: a service CIDR overlaps neither its VPC nor any of its vSwitches. */
export function checkServiceOverlapsVpc(facts: NetworkFacts): Diagnostic[] {
  return againstVpc(facts, "service", "cidr/service-overlaps-vpc");
}

/** cidr/pod-overlaps-service: within a cluster, pod and service CIDRs do not overlap. */
export function checkPodOverlapsService(facts: NetworkFacts): Diagnostic[] {
  return pairsOf(facts, "pod", "service")
    .filter(([p, s]) => p.item.resource === s.item.resource && p.item.cluster === s.item.cluster)
    .map(([p, s]) =>
      diagnostic("cidr/pod-overlaps-service", {
        resource: p.item.resource,
        path: p.item.path,
        message: `pod CIDR ${p.cidr.text} overlaps service CIDR ${s.cidr.text}${clusterSuffix(p.item)}`,
      }),
    );
}

/**
 * cidr/pod-overlaps-cluster: pod CIDRs of clusters that share a VPC (or sit in connected VPCs)
 * overlap neither each other nor the other clusters' service CIDRs.
 */
export function checkPodOverlapsCluster(facts: NetworkFacts): Diagnostic[] {
  const p = parseFacts(facts);
  const sameSpace = (a: Item, b: Item) => {
    const ga = p.group(a.vpc);
    return ga !== undefined && ga === p.group(b.vpc) && a.cluster !== b.cluster;
  };
  const out: Diagnostic[] = [];
  for (const [a, b] of pairsOf(facts, "pod", "pod")) {
    if (!sameSpace(a.item, b.item)) continue;
    out.push(
      diagnostic("cidr/pod-overlaps-cluster", {
        resource: b.item.resource,
        path: b.item.path,
        message: `pod CIDR ${b.cidr.text} (cluster "${b.item.cluster}") overlaps pod CIDR ${a.cidr.text} (cluster "${a.item.cluster}")`,
      }),
    );
  }
  for (const [pod, svc] of pairsOf(facts, "pod", "service")) {
    if (!sameSpace(pod.item, svc.item)) continue;
    out.push(
      diagnostic("cidr/pod-overlaps-cluster", {
        resource: pod.item.resource,
        path: pod.item.path,
        message: `pod CIDR ${pod.cidr.text} (cluster "${pod.item.cluster}") overlaps service CIDR ${svc.cidr.text} (cluster "${svc.item.cluster}")`,
      }),
    );
  }
  return out;
}

/** cidr/service-shared (advisory): two clusters of one VPC use the same service CIDR. */
export function checkServiceShared(facts: NetworkFacts): Diagnostic[] {
  return pairsOf(facts, "service", "service")
    .filter(
      ([a, b]) =>
        a.item.vpc !== undefined &&
        a.item.vpc === b.item.vpc &&
        a.item.cluster !== b.item.cluster &&
        a.cidr.text === b.cidr.text,
    )
    .map(([a, b]) =>
      diagnostic("cidr/service-shared", {
        resource: b.item.resource,
        path: b.item.path,
        message: `clusters "${a.item.cluster}" and "${b.item.cluster}" in vpc ${a.item.vpc} share service CIDR ${a.cidr.text}: allowed, but their services cannot reach each other`,
      }),
    );
}

/** cidr/overlaps-peer: no VPC, vSwitch, pod or service CIDR overlaps a connected range. */
export function checkOverlapsPeer(facts: NetworkFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const kind of ["vpc", "vswitch", "pod", "service"] as const) {
    for (const [x, peer] of pairsOf(facts, kind, "connected")) {
      out.push(
        diagnostic("cidr/overlaps-peer", {
          resource: x.item.resource,
          path: x.item.path,
          message: `${describe(x.item, x.cidr)} overlaps ${describe(peer.item, peer.cidr)}${clusterSuffix(x.item)}`,
        }),
      );
    }
  }
  return out;
}

/** cidr/terway-zone-mismatch: node and pod vSwitches of a Terway cluster sit in the same zones. */
export function checkTerwayZoneMismatch(facts: NetworkFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of facts.clusters) {
    if (c.cni !== "terway" || !c.zones) continue;
    for (const z of c.zones) {
      if (z.nodeCidrs === undefined || z.podCidrs === undefined) continue;
      if (z.nodeCidrs.length > 0 && z.podCidrs.length === 0) {
        out.push(
          diagnostic("cidr/terway-zone-mismatch", {
            resource: c.resource,
            path: z.path,
            message: `zone ${z.zone} has node vSwitch ${z.nodeCidrs.join(", ")} but no Terway pod vSwitch (cluster "${c.name}")`,
          }),
        );
      } else if (z.podCidrs.length > 0 && z.nodeCidrs.length === 0) {
        out.push(
          diagnostic("cidr/terway-zone-mismatch", {
            resource: c.resource,
            path: z.path,
            message: `zone ${z.zone} has Terway pod vSwitch ${z.podCidrs.join(", ")} but no node vSwitch (cluster "${c.name}")`,
          }),
        );
      }
    }
  }
  return out;
}

/** cidr/shared-vpc-needs-terway: a cluster in a shared VPC uses Terway (ACK docs: Create an ACK dedicated cluster). */
export function checkSharedVpcNeedsTerway(facts: NetworkFacts): Diagnostic[] {
  const p = parseFacts(facts);
  return facts.clusters
    .filter(
      (c) =>
        c.vpc !== undefined && p.vpcShared.get(c.vpc) === true && c.cni !== undefined && c.cni !== "terway",
    )
    .map((c) =>
      diagnostic("cidr/shared-vpc-needs-terway", {
        resource: c.resource,
        path: `${c.path}.cni`,
        message: `cluster "${c.name}" uses ${c.cni} in shared vpc ${c.vpc}; a shared VPC supports only Terway`,
      }),
    );
}

/** Compare dotted Kubernetes versions ("1.20.4", "1.31.1-aliyun.1"); undefined when unparseable. */
export function compareKubernetesVersion(a: string, b: string): number | undefined {
  const parse = (v: string) =>
    /^v?(\d+)\.(\d+)(?:\.(\d+))?/
      .exec(v)
      ?.slice(1)
      .map((x) => Number(x ?? 0));
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

const ULA = parse("fc00::/7");

/**
 * cidr/ipv6-service-range: a dual-stack cluster uses Terway and Kubernetes ≥ 1.20.4; its IPv6
 * service CIDR lies in fc00::/7 with a prefix of /112 to /120 (ACK docs: Create an ACK dedicated cluster).
 */
export function checkIpv6ServiceRange(facts: NetworkFacts): Diagnostic[] {
  const p = parseFacts(facts);
  const out: Diagnostic[] = [];
  for (const c of facts.clusters) {
    if (c.ipStack !== "dual") continue;
    const d = (path: string, message: string) =>
      out.push(diagnostic("cidr/ipv6-service-range", { resource: c.resource, path, message }));
    if (c.cni !== undefined && c.cni !== "terway" && c.cni !== "vpc-cni") {
      d(`${c.path}.cni`, `dual-stack cluster "${c.name}" uses ${c.cni}; IPv6 dual stack needs Terway`);
    }
    if (c.kubernetesVersion !== undefined) {
      const cmp = compareKubernetesVersion(c.kubernetesVersion, "1.20.4");
      if (cmp !== undefined && cmp < 0) {
        d(
          `${c.path}.kubernetesVersion`,
          `dual-stack cluster "${c.name}" runs Kubernetes ${c.kubernetesVersion}; dual stack needs 1.20.4 or later`,
        );
      }
    }
    const s6 = p.ipv6Service.get(c);
    if (c.ipv6ServiceCidr === undefined) {
      d(
        `${c.path}.ipv6ServiceCidr`,
        `dual-stack cluster "${c.name}" has no IPv6 service CIDR (a /112–/120 inside fc00::/7)`,
      );
    } else if (s6) {
      if (s6.version !== 6 || !contains(ULA, s6)) {
        d(
          c.ipv6ServiceCidr.path,
          `IPv6 service CIDR ${s6.text} is not inside fc00::/7 (cluster "${c.name}")`,
        );
      } else if (s6.prefix < 112 || s6.prefix > 120) {
        d(
          c.ipv6ServiceCidr.path,
          `IPv6 service CIDR ${s6.text} has prefix /${s6.prefix}; it must be /112 to /120 (cluster "${c.name}")`,
        );
      }
    }
  }
  return out;
}
