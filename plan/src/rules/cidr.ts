/**
 * The addressing rules of RULES.md (`cidr/*`) as pure functions over NetworkFacts.
 *
 * NetworkFacts are built from an environment plan (planner), from component args, or by the
 * CrossGuard pack from raw resource properties. Any leaf may be undefined (unknown during a
 * preview): an unknown value never produces a violation and never hides a known one.
 *
 * Overlap rules share one sorted sweep over every range (`findOverlaps`), so a stack with
 * thousands of CIDRs costs O(n log n + pairs), never all pairs.
 */
import {
  bitsOf,
  type Cidr,
  contains,
  findOverlaps,
  formatCount,
  overlaps,
  cidr as parse,
  parseCidr,
  type Ranged,
  size,
  VPC_FORBIDDEN_RANGES,
} from "../cidr";
import { type Diagnostic, diagnostic, type RuleId } from "../diagnostic";
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

/** The source range ACK's control plane reaches the API server from (seed 002:5455–5459). */
export const ACK_CONTROL_PLANE_RANGE = "100.104.0.0/16";
/** Terway pod vSwitches of /19 or larger (seed 002:11066–11067). */
export const TERWAY_POD_VSWITCH_MIN_ADDRESSES = 8192n;
/** Alibaba Cloud reserves 4 addresses of every block (seed 002:10648: /16 → 65,532). */
export const ALICLOUD_RESERVED_PER_VSWITCH = 4;
/** AWS reserves 5 addresses of every subnet. */
export const AWS_RESERVED_PER_SUBNET = 5;

// ---------------------------------------------------------------------------------------------
// Parsing: every CIDR in the facts once; invalid ones become cidr/invalid and are left out of
// the other rules (so one typo is one diagnostic, not five).

type Kind = "vpc" | "vswitch" | "pod" | "service" | "connected";

interface Item {
  kind: Kind;
  resource: string;
  path: string;
  /** VPC key of vpc/vswitch/pod/service items. */
  vpc?: string;
  /** Cluster name of pod/service items, and of vswitches when known. */
  cluster?: string;
  label: string;
}

function describe(i: Item, c: Cidr): string {
  return `${i.label} ${c.text}`;
}

function parseField(
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

interface Parsed {
  items: Ranged<Item>[];
  invalid: Diagnostic[];
  vpcCidrs: Map<string, Ranged<Item>[]>;
  vpcShared: Map<string, boolean>;
  /** VPCs one of whose CIDRs is unknown: containment in them cannot be judged. */
  vpcPartlyUnknown: Set<string>;
  group: (vpc: string | undefined) => string | undefined;
  pod: Map<ClusterNetworkFacts, Cidr>;
  service: Map<ClusterNetworkFacts, Cidr>;
  ipv6Service: Map<ClusterNetworkFacts, Cidr>;
  joinCidr: Map<ClusterNetworkFacts, Cidr>;
}

const cache = new WeakMap<NetworkFacts, Parsed>();

function parseFacts(facts: NetworkFacts): Parsed {
  const hit = cache.get(facts);
  if (hit) return hit;
  const invalid: Diagnostic[] = [];
  const items: Ranged<Item>[] = [];
  const vpcCidrs = new Map<string, Ranged<Item>[]>();
  const vpcShared = new Map<string, boolean>();
  const vpcPartlyUnknown = new Set<string>();
  const add = (c: Cidr | undefined, item: Item) => {
    if (!c) return;
    const r = { cidr: c, item };
    items.push(r);
    if (item.kind === "vpc" && item.vpc !== undefined) {
      const list = vpcCidrs.get(item.vpc) ?? [];
      list.push(r);
      vpcCidrs.set(item.vpc, list);
    }
  };

  // VPC groups: connected VPCs (peering, CEN) share one address space for cluster ranges.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r) as string;
    parent.set(x, r);
    return r;
  };
  for (const v of facts.vpcs) {
    const key = v.id ?? v.resource;
    if (!parent.has(key)) parent.set(key, key);
    vpcShared.set(key, v.shared === true);
    for (const other of v.connectedTo ?? []) {
      if (!parent.has(other)) parent.set(other, other);
      parent.set(find(other), find(key));
    }
    const fields = [v.primary, ...(v.secondary ?? [])].filter((f): f is CidrField => f !== undefined);
    if (fields.some((f) => f.cidr === undefined || f.cidr === null)) vpcPartlyUnknown.add(key);
    for (const f of fields) {
      add(parseField(f.cidr, { resource: v.resource, path: f.path }, invalid), {
        kind: "vpc",
        resource: v.resource,
        path: f.path,
        vpc: key,
        label: key === "vpc" ? "vpc" : `vpc ${key}`,
      });
    }
  }
  for (const s of facts.vswitches) {
    add(parseField(s.cidr, s, invalid), {
      kind: "vswitch",
      resource: s.resource,
      path: s.path,
      vpc: s.vpc,
      cluster: s.cluster,
      label: `vSwitch ${s.resource}`,
    });
  }
  const pod = new Map<ClusterNetworkFacts, Cidr>();
  const service = new Map<ClusterNetworkFacts, Cidr>();
  const ipv6Service = new Map<ClusterNetworkFacts, Cidr>();
  const joinCidr = new Map<ClusterNetworkFacts, Cidr>();
  for (const c of facts.clusters) {
    const p = c.podCidr
      ? parseField(c.podCidr.cidr, { resource: c.resource, path: c.podCidr.path }, invalid)
      : undefined;
    // Only Flannel (or an unknown CNI with an explicit pod CIDR) routes a pod CIDR of its own;
    // Terway and the VPC CNI give pods vSwitch addresses.
    if (p && (c.cni === "flannel" || c.cni === undefined)) {
      pod.set(c, p);
      add(p, {
        kind: "pod",
        resource: c.resource,
        path: c.podCidr?.path ?? "",
        vpc: c.vpc,
        cluster: c.name,
        label: `pod CIDR`,
      });
    }
    const s = c.serviceCidr
      ? parseField(c.serviceCidr.cidr, { resource: c.resource, path: c.serviceCidr.path }, invalid)
      : undefined;
    if (s) {
      service.set(c, s);
      add(s, {
        kind: "service",
        resource: c.resource,
        path: c.serviceCidr?.path ?? "",
        vpc: c.vpc,
        cluster: c.name,
        label: `service CIDR`,
      });
    }
    const s6 = c.ipv6ServiceCidr
      ? parseField(c.ipv6ServiceCidr.cidr, { resource: c.resource, path: c.ipv6ServiceCidr.path }, invalid)
      : undefined;
    if (s6) ipv6Service.set(c, s6);
    const j = c.kubeOvn?.joinCidr
      ? parseField(c.kubeOvn.joinCidr.cidr, { resource: c.resource, path: c.kubeOvn.joinCidr.path }, invalid)
      : undefined;
    if (j) joinCidr.set(c, j);
    for (const z of c.zones ?? []) {
      for (const [i, t] of (z.nodeCidrs ?? []).entries())
        parseField(t, { resource: c.resource, path: `${z.path}.nodeCidrs[${i}]` }, invalid);
      for (const [i, t] of (z.podCidrs ?? []).entries())
        parseField(t, { resource: c.resource, path: `${z.path}.podCidrs[${i}]` }, invalid);
    }
    for (const [i, t] of (c.apiAllowList?.cidrs ?? []).entries()) {
      parseField(t, { resource: c.resource, path: `${c.apiAllowList?.path}[${i}]` }, invalid);
    }
  }
  for (const r of facts.connected) {
    add(parseField(r.cidr, r, invalid), {
      kind: "connected",
      resource: r.resource,
      path: r.path,
      label: `connected range ${r.name}${r.kind ? ` (${r.kind})` : ""}`,
    });
  }
  // Deduplicate invalid diagnostics of fields referenced twice (zones repeat vSwitch CIDRs).
  const seen = new Set<string>();
  const unique = invalid.filter((d) => {
    const k = `${d.path}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const parsed: Parsed = {
    items,
    invalid: unique,
    vpcCidrs,
    vpcShared,
    vpcPartlyUnknown,
    group: (vpc) => (vpc === undefined ? undefined : find(vpc)),
    pod,
    service,
    ipv6Service,
    joinCidr,
  };
  cache.set(facts, parsed);
  return parsed;
}

/** Overlapping pairs among all ranges of the facts, computed once per facts object. */
const pairCache = new WeakMap<NetworkFacts, [Ranged<Item>, Ranged<Item>][]>();
function overlapPairs(facts: NetworkFacts): [Ranged<Item>, Ranged<Item>][] {
  const hit = pairCache.get(facts);
  if (hit) return hit;
  const pairs = findOverlaps(parseFacts(facts).items);
  pairCache.set(facts, pairs);
  return pairs;
}

function pairsOf(facts: NetworkFacts, a: Kind, b: Kind): [Ranged<Item>, Ranged<Item>][] {
  const out: [Ranged<Item>, Ranged<Item>][] = [];
  for (const [x, y] of overlapPairs(facts)) {
    if (x.item.kind === a && y.item.kind === b) out.push([x, y]);
    else if (x.item.kind === b && y.item.kind === a) out.push([y, x]);
  }
  return out;
}

const clusterSuffix = (i: Item) => (i.cluster ? ` (cluster "${i.cluster}")` : "");

// ---------------------------------------------------------------------------------------------
// The rules

/** cidr/invalid: every CIDR parses, has host bits zero and a legal prefix. */
export function checkInvalid(facts: NetworkFacts): Diagnostic[] {
  return parseFacts(facts).invalid;
}

/** cidr/vpc-reserved-range: VPC CIDRs avoid 100.64/10, 224/4, 127/8, 169.254/16 (seed 002:10646–10656). */
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

/** cidr/shared-vpc-needs-terway: a cluster in a shared VPC uses Terway (seed 002:4062). */
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
 * service CIDR lies in fc00::/7 with a prefix of /112 to /120 (seed 002:4018–4024, 4136).
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

/**
 * cidr/kubeovn-join-overlap: the Kube-OVN join CIDR overlaps neither the pod (cluster) CIDR
 * nor the service CIDR; an underlay gateway lies inside the cluster CIDR (seed 003:3230–3271).
 */
export function checkKubeOvnJoinOverlap(facts: NetworkFacts): Diagnostic[] {
  const p = parseFacts(facts);
  const out: Diagnostic[] = [];
  for (const c of facts.clusters) {
    if (!c.kubeOvn) continue;
    const join = p.joinCidr.get(c);
    const pod = c.podCidr?.cidr !== undefined ? parseCidr(c.podCidr.cidr) : undefined;
    const svc = p.service.get(c);
    const podCidr = pod?.ok ? pod.cidr : undefined;
    const path = c.kubeOvn.joinCidr?.path ?? `${c.path}.kubeOvn.joinCidr`;
    if (join && podCidr && overlaps(join, podCidr)) {
      out.push(
        diagnostic("cidr/kubeovn-join-overlap", {
          resource: c.resource,
          path,
          message: `join CIDR ${join.text} overlaps cluster CIDR ${podCidr.text} (cluster "${c.name}")`,
        }),
      );
    }
    if (join && svc && overlaps(join, svc)) {
      out.push(
        diagnostic("cidr/kubeovn-join-overlap", {
          resource: c.resource,
          path,
          message: `join CIDR ${join.text} overlaps service CIDR ${svc.text} (cluster "${c.name}")`,
        }),
      );
    }
    for (const g of c.kubeOvn.underlayGateways ?? []) {
      if (g.ip === undefined || !podCidr) continue;
      const ip = parseCidr(`${g.ip}/${bitsOf(podCidr.version)}`);
      if (!ip.ok) {
        out.push(
          diagnostic("cidr/kubeovn-join-overlap", {
            resource: c.resource,
            path: g.path,
            message: `underlay gateway "${g.ip}" is not an IP address (cluster "${c.name}")`,
          }),
        );
      } else if (!contains(podCidr, ip.cidr)) {
        out.push(
          diagnostic("cidr/kubeovn-join-overlap", {
            resource: c.resource,
            path: g.path,
            message: `underlay gateway ${g.ip} is outside cluster CIDR ${podCidr.text} (cluster "${c.name}")`,
          }),
        );
      }
    }
  }
  return out;
}

/** cidr/api-vip: the API server VIP is in the control-plane subnet and equals no node IP (seed 003:3186–3189). */
export function checkApiVip(facts: NetworkFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of facts.clusters) {
    const v = c.apiVip;
    if (!v || v.vip === undefined) continue;
    const d = (message: string) =>
      out.push(diagnostic("cidr/api-vip", { resource: c.resource, path: v.path, message }));
    const subnet = v.subnet !== undefined ? parseCidr(v.subnet) : undefined;
    const bits = subnet?.ok ? bitsOf(subnet.cidr.version) : v.vip.includes(":") ? 128 : 32;
    const vip = parseCidr(`${v.vip}/${bits}`);
    if (!vip.ok) {
      d(`API server VIP "${v.vip}" is not an IP address (cluster "${c.name}")`);
      continue;
    }
    if (subnet?.ok && !contains(subnet.cidr, vip.cidr)) {
      d(
        `API server VIP ${v.vip} is outside the control-plane subnet ${subnet.cidr.text} (cluster "${c.name}")`,
      );
    }
    if ((v.nodeIps ?? []).includes(v.vip)) {
      d(`API server VIP ${v.vip} equals a node IP (cluster "${c.name}")`);
    }
  }
  return out;
}

/**
 * cidr/api-acl-missing-ranges: where the API server load balancer uses an allow-list, it holds
 * 100.104.0.0/16 and every node vSwitch CIDR (seed 002:5455–5459).
 */
export function checkApiAclMissingRanges(facts: NetworkFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const control = parse(ACK_CONTROL_PLANE_RANGE);
  for (const c of facts.clusters) {
    const acl = c.apiAllowList;
    if (!acl || acl.cidrs === undefined) continue;
    const entries = acl.cidrs.map((t) => parseCidr(t)).flatMap((r) => (r.ok ? [r.cidr] : []));
    const covered = (x: Cidr) => entries.some((e) => contains(e, x));
    const required: Cidr[] = [];
    if (c.cni !== "vpc-cni") required.push(control);
    for (const z of c.zones ?? []) {
      for (const t of z.nodeCidrs ?? []) {
        const r = parseCidr(t);
        if (r.ok) required.push(r.cidr);
      }
    }
    const missing = required.filter((r) => !covered(r)).map((r) => r.text);
    if (missing.length > 0) {
      out.push(
        diagnostic("cidr/api-acl-missing-ranges", {
          resource: c.resource,
          path: acl.path,
          message: `API server allow-list [${acl.cidrs.join(", ")}] lacks ${missing.join(", ")} (cluster "${c.name}")`,
        }),
      );
    }
  }
  return out;
}

/**
 * cidr/plan-renumbered: growing a plan never moves a range an earlier plan of the same
 * environment allocated. Compares allocation maps (key → CIDR) of a baseline and a new plan;
 * keys the new plan dropped are deletions, not renumbering, and are not reported here.
 */
export function checkPlanRenumbered(
  baseline: Record<string, string>,
  current: Record<string, string>,
  resource = "environment",
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [key, before] of Object.entries(baseline)) {
    const after = current[key];
    if (after !== undefined && after !== before) {
      out.push(
        diagnostic("cidr/plan-renumbered", {
          resource,
          path: `allocations["${key}"]`,
          message: `${key} moved from ${before} to ${after}: a moved range is a replaced vSwitch or cluster; pin it (cluster slot, explicit CIDR) or restore the layout`,
        }),
      );
    }
  }
  return out;
}

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
