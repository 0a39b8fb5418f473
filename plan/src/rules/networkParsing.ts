/**
 * Parsing of NetworkFacts, shared by the cidr/* rule modules: every CIDR in the facts once;
 * invalid ones become cidr/invalid and are left out of the other rules (so one typo is one
 * diagnostic, not five). Internal to the rules: the package index does not export it.
 */

import { type Cidr, findOverlaps, type Ranged } from "../cidr";
import type { Diagnostic } from "../diagnostic";
import { OVERLAY_CNIS } from "../resolve";
import {
  type CidrField,
  type ClusterNetworkFacts,
  checkCidrList,
  type NetworkFacts,
  parseField,
} from "./cidr";

export type Kind = "vpc" | "vswitch" | "pod" | "service" | "connected";

export interface Item {
  kind: Kind;
  resource: string;
  path: string;
  /** VPC key of vpc/vswitch/pod/service items. */
  vpc?: string;
  /** Cluster name of pod/service items, and of vswitches when known. */
  cluster?: string;
  label: string;
}

export function describeItem(i: Item, c: Cidr): string {
  return `${i.label} ${c.text}`;
}

export interface Parsed {
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

export function parseFacts(facts: NetworkFacts): Parsed {
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
    // Only an overlay (Flannel, Kube-OVN, Calico; or an unknown CNI with an explicit pod CIDR)
    // routes a pod CIDR of its own; Terway and the VPC CNI give pods vSwitch addresses.
    if (p && (c.cni === undefined || OVERLAY_CNIS.includes(c.cni))) {
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
    if (c.apiAllowList) {
      invalid.push(
        ...checkCidrList({
          resource: c.resource,
          path: c.apiAllowList.path,
          cidrs: c.apiAllowList.cidrs ?? [],
        }),
      );
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
export function overlapPairs(facts: NetworkFacts): [Ranged<Item>, Ranged<Item>][] {
  const hit = pairCache.get(facts);
  if (hit) return hit;
  const pairs = findOverlaps(parseFacts(facts).items);
  pairCache.set(facts, pairs);
  return pairs;
}

/**
 * The overlapping pairs of kinds `a` and `b`, each as [the `a`, the `b`]. A pair already in that
 * order is the shared pair itself (read-only; a stack of 100,000 resources has hundreds of
 * thousands of pairs), only a reversed one is a new array.
 */
export function pairsOf(facts: NetworkFacts, a: Kind, b: Kind): [Ranged<Item>, Ranged<Item>][] {
  const out: [Ranged<Item>, Ranged<Item>][] = [];
  const pairs = overlapPairs(facts);
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as [Ranged<Item>, Ranged<Item>];
    const x = pair[0].item.kind;
    const y = pair[1].item.kind;
    if (x === a && y === b) out.push(pair);
    else if (x === b && y === a) out.push([pair[1], pair[0]]);
  }
  return out;
}

export const clusterSuffix = (i: Item) => (i.cluster ? ` (cluster "${i.cluster}")` : "");
