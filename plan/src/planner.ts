/**
 * The address planner: environment spec → address plan. Pure and deterministic.
 *
 * Stability under growth comes from FIXED SLOTS, not from packing:
 *
 *   VPC primary CIDR (/P)
 *   └─ cluster slot s (/clusterPrefix, default P+2: 4 slots)      s = cluster.slot ?? position
 *      └─ zone slot z (/zonePrefix, default clusterPrefix+2: 4)   z = position in env.zones
 *         Alibaba Cloud: node vSwitch (/nodePrefix, default zonePrefix+2) at the start,
 *                        Terway pod vSwitch (/podPrefix, default zonePrefix+1) at the next
 *                        aligned offset (the second half).
 *         AWS:           private node subnet, nodes and VPC-CNI pods (/nodePrefix, default
 *                        zonePrefix+1) at the start, public subnet (/publicPrefix, default
 *                        zonePrefix+3) after it.
 *
 * With `layout: {zonePrefix: 18, nodePrefix: 19, podPrefix: 19}` in 192.168.0.0/16 this is
 * exactly ACK's worked example (ACK docs: Plan the network of an ACK cluster): node 192.168.0.0/19, pod 192.168.32.0/19.
 *
 * Every range is a function of (VPC CIDR, layout, slot of its cluster, slot of its zone, role)
 * and nothing else: adding a zone (appended to env.zones), a cluster or a node pool cannot move
 * a range an earlier plan gave out. Pod and service CIDRs chosen by the planner come from a
 * list of /16 candidates outside the VPC and every connected range, indexed by cluster slot,
 * so they too depend only on environment-level facts; the slots without two whole /16s share
 * what is left with the smallest blocks that hold them, in slot order (see autoRanges). What can still move a range — reordering
 * zones, removing an earlier cluster without pinning `slot`, changing the layout, adding a
 * connected range over an auto-chosen pod CIDR — is caught by `cidr/plan-renumbered` against a
 * baseline plan (the PR workflow passes the target branch's plan).
 */
import {
  type Cidr,
  carve,
  contains,
  fromRange,
  PRIVATE_RANGES,
  cidr as parse,
  parseCidr,
  size,
  subnet,
} from "./cidr";
import { type Diagnostic, diagnostic, SPEC_SCHEMA } from "./diagnostic";
import { DEFAULT_MAX_PODS_SELF_PROVISIONED } from "./kubelet";
import type { ClusterPlan, EnvironmentPlan, PlannedVSwitch, VSwitchRole, ZoneCapacity } from "./planTypes";
import { OVERLAY_CNIS } from "./resolve";
import {
  ALICLOUD_RESERVED_PER_VSWITCH,
  AWS_RESERVED_PER_SUBNET,
  type ClusterNetworkFacts,
  type NetworkFacts,
} from "./rules/cidr";
import { checkNetwork } from "./rules/cidrRules";
import { QUOTA_DEFAULTS } from "./rules/quota";
import { planSelfManaged } from "./selfManagedPlan";
import { type ClusterSpec, type Cni, cniOf, type Environment, parseEnvironment } from "./spec";

/** The key the plan's facts use for the environment's one VPC. */
const VPC_KEY = "vpc";

/** vSwitch / subnet prefix limits per cloud. */
export const VSWITCH_PREFIX_LIMITS = {
  alicloud: { min: 16, max: 29 },
  aws: { min: 16, max: 28 },
} as const;

/** Flannel pod CIDRs the planner picks are /16 (65,536 pods, ACK docs: Network overview). */
export const AUTO_POD_PREFIX = 16;
/** Service CIDRs the planner picks are /20 (4,096 services, ACK docs: Network overview). */
export const AUTO_SERVICE_PREFIX = 20;
/** IPv6 service CIDRs the planner picks: a /112 inside fd00::/8 (ACK docs: Create an ACK dedicated cluster). */
export const AUTO_IPV6_SERVICE_PREFIX = 112;
/** Default max pods per node under Terway and the VPC CNI. */
export const DEFAULT_MAX_PODS_PER_NODE = 64;

export interface Layout {
  vpc: Cidr;
  clusterPrefix: number;
  zonePrefix: number;
  /** Offset (within the zone slot) and prefix of each role's block; only the cloud's roles. */
  blocks: Partial<Record<VSwitchRole, { prefix: number; offset: bigint }>>;
  clusterSlots: number;
  zoneSlots: number;
}

export interface PlanOptions {
  /** Allocations of an earlier plan of the same environment; moved ranges are `cidr/plan-renumbered`. */
  baseline?: Record<string, string>;
  /** Extra diagnostics sources, run over the parsed spec (quota rules, cluster rules, ...). */
  extraRules?: ((env: Environment) => Diagnostic[])[];
}

/** The roles a cloud lays out in every zone slot, in placement order. */
const CLOUD_ROLES: Record<Environment["cloud"], VSwitchRole[]> = {
  alicloud: ["node", "pod"],
  aws: ["node", "public"],
};

/** The roles a cluster of this CNI uses. */
const CNI_ROLES: Record<Cni, VSwitchRole[]> = {
  terway: ["node", "pod"],
  flannel: ["node"],
  "vpc-cni": ["node", "public"],
  // Self-managed overlays: nodes in the node vSwitch; on AWS a public subnet for the NAT
  // gateway the nodes pull through (Alibaba Cloud's layout has no public role: skipped there).
  "kube-ovn": ["node", "public"],
  calico: ["node", "public"],
};

/** Compute the fixed-slot layout of a VPC; diagnostics when the layout does not fit. */
export function computeLayout(env: Environment, out: Diagnostic[]): Layout | undefined {
  const parsed = parseCidr(env.vpc.cidr);
  if (!parsed.ok) return undefined; // reported as cidr/invalid by the rules
  const vpc = parsed.cidr;
  if (vpc.version !== 4) {
    out.push(
      diagnostic("cidr/invalid", {
        resource: "vpc",
        path: "vpc.cidr",
        message: `VPC CIDR ${vpc.text} must be IPv4`,
      }),
    );
    return undefined;
  }
  const limits = VSWITCH_PREFIX_LIMITS[env.cloud];
  const l = env.vpc.layout;
  const clusterPrefix = l.clusterPrefix ?? vpc.prefix + 2;
  const zonePrefix = l.zonePrefix ?? clusterPrefix + 2;
  const bad = (path: string, message: string) => {
    out.push(diagnostic("cidr/invalid", { resource: "vpc", path: `vpc.layout.${path}`, message }));
  };
  if (clusterPrefix < vpc.prefix)
    bad("clusterPrefix", `cluster slot /${clusterPrefix} is larger than vpc ${vpc.text}`);
  if (zonePrefix < clusterPrefix)
    bad("zonePrefix", `zone slot /${zonePrefix} is larger than the cluster slot /${clusterPrefix}`);
  // A slot longer than /32 (a small VPC's defaults, or a typo) has no addresses at all.
  const tooLong = (path: string, what: string, prefix: number) =>
    bad(path, `${what} /${prefix} is longer than /32: vpc ${vpc.text} is too small for this layout`);
  if (clusterPrefix > 32) tooLong("clusterPrefix", "cluster slot", clusterPrefix);
  if (zonePrefix > 32) tooLong("zonePrefix", "zone slot", zonePrefix);
  if (clusterPrefix > 32 || zonePrefix > 32) return undefined;
  const wanted: Record<VSwitchRole, number> =
    env.cloud === "aws"
      ? { node: l.nodePrefix ?? zonePrefix + 1, pod: 0, public: l.publicPrefix ?? zonePrefix + 3 }
      : { node: l.nodePrefix ?? zonePrefix + 2, pod: l.podPrefix ?? zonePrefix + 1, public: 0 };
  const blocks: Layout["blocks"] = {};
  let cursor = 0n;
  const zoneSize = 1n << BigInt(32 - zonePrefix);
  for (const role of CLOUD_ROLES[env.cloud]) {
    // vSwitches may not be larger than the cloud allows: clamp to the largest legal block.
    const prefix = Math.max(wanted[role], limits.min, zonePrefix);
    if (prefix > limits.max) {
      bad(
        `${role}Prefix`,
        `a /${prefix} ${role} vSwitch is smaller than ${env.cloud} allows (/${limits.min}–/${limits.max}); vpc ${vpc.text} is too small for this layout`,
      );
      if (prefix > 32) continue; // no block to place
    }
    const blockSize = 1n << BigInt(32 - prefix);
    const offset = cursor % blockSize === 0n ? cursor : (cursor / blockSize + 1n) * blockSize;
    blocks[role] = { prefix, offset };
    cursor = offset + blockSize;
  }
  if (cursor > zoneSize) {
    bad(
      "zonePrefix",
      `blocks ${Object.entries(blocks)
        .map(([r, b]) => `${r} /${b.prefix}`)
        .join(", ")} do not fit a /${zonePrefix} zone slot`,
    );
  }
  if (out.some((d) => d.path.startsWith("vpc.layout"))) return undefined;
  return {
    vpc,
    clusterPrefix,
    zonePrefix,
    blocks,
    clusterSlots: 2 ** (clusterPrefix - vpc.prefix),
    zoneSlots: 2 ** (zonePrefix - clusterPrefix),
  };
}

/** The /16 candidates for planner-chosen pod and service CIDRs, outside the VPC and every connected range. */
function autoCandidates(env: Environment, count: number): Cidr[] {
  const used: Cidr[] = [];
  for (const t of [env.vpc.cidr, ...env.vpc.secondaryCidrs, ...env.connectedRanges.map((r) => r.cidr)]) {
    const p = parseCidr(t);
    if (p.ok && p.cidr.version === 4) used.push(p.cidr);
  }
  const out: Cidr[] = [];
  // 172.16/12 first (ACK's own examples use 172.20/16 and 172.21/20), then 10/8, then 192.168/16.
  for (const pool of [PRIVATE_RANGES[1], PRIVATE_RANGES[0], PRIVATE_RANGES[2]] as Cidr[]) {
    if (out.length >= count) break;
    out.push(...carve(pool, AUTO_POD_PREFIX, used, count - out.length));
  }
  return out;
}

/** Planner-chosen pod and service CIDRs of one cluster slot, or why there is none. */
interface AutoRanges {
  pod?: Cidr;
  service?: Cidr;
}

/**
 * The private pools the planner chooses pod and service CIDRs from, in order: 172.16/12 first
 * (ACK's own examples use 172.20/16 and 172.21/20), then 10/8, then 192.168/16.
 */
const AUTO_POOLS = [PRIVATE_RANGES[1], PRIVATE_RANGES[0], PRIVATE_RANGES[2]] as Cidr[];

/**
 * Nodes a Flannel cluster can ever have: each node takes one VPC route entry, so the route-entry
 * quota bounds the cluster (quota/flannel-route-entries); a plan above it is refused anyway.
 * Sizing by this bound, not by the pools of the day, keeps the pod CIDR unmoved as pools grow.
 */
function flannelNodeBound(env: Environment, cluster: ClusterSpec): number {
  const quota = env.quotas.routeEntries ?? env.vpc.routeEntryQuota ?? QUOTA_DEFAULTS.routeEntries;
  const planned = cluster.nodePools.reduce((n, p) => n + p.maxSize, 0);
  return Math.max(quota, planned, 1);
}

/**
 * Pod and service CIDRs for every cluster slot that leaves them to the planner.
 *
 * Slot s takes whole /16 candidates 2s (pod) and 2s + 1 (service, its first /20): every range is
 * a function of the VPC, the connected ranges and the slot, so growth moves nothing. When fewer
 * than 2s + 2 free /16s exist, slot s (and every later one) shares what is left instead of
 * giving up: the smallest blocks that hold the cluster — a Flannel pod range of
 * 2^(32 − nodeCidrMask) addresses for each node the route-entry quota allows, a /20 service
 * range — carved in slot order from the private space outside the VPC, the connected ranges, the
 * earlier slots' pod /16s and service /20s (the rest of a service /16 is shared) and every range
 * a cluster sets itself. Only the slots without two
 * whole /16s are packed, so a plan that fitted before keeps every range it had.
 */
function autoRanges(env: Environment, candidates: readonly Cidr[]): Map<number, AutoRanges> {
  const out = new Map<number, AutoRanges>();
  const slots = env.clusters
    .map((cluster, ci) => ({ cluster, slot: cluster.slot ?? ci }))
    .sort((a, b) => a.slot - b.slot);
  const used: Cidr[] = [];
  for (const t of [
    env.vpc.cidr,
    ...env.vpc.secondaryCidrs,
    ...env.connectedRanges.map((r) => r.cidr),
    ...env.clusters.flatMap((c) => [c.podCidr, c.serviceCidr]),
  ]) {
    if (t === undefined) continue;
    const p = parseCidr(t);
    if (p.ok && p.cidr.version === 4) used.push(p.cidr);
  }
  const take = (prefix: number): Cidr | undefined => {
    for (const pool of AUTO_POOLS) {
      const [block] = carve(pool, prefix, used, 1);
      if (block) {
        used.push(block);
        return block;
      }
    }
    return undefined;
  };
  for (const { cluster, slot } of slots) {
    if (out.has(slot)) continue;
    const flannel = OVERLAY_CNIS.includes(cniOf(env, cluster));
    const pod = candidates[2 * slot];
    const service = candidates[2 * slot + 1];
    if (pod && service) {
      out.set(slot, { pod, service: fromRange(service.start, AUTO_SERVICE_PREFIX, 4) });
      continue;
    }
    // The earlier slots that have two whole /16s keep their pod /16 and their service /20; the
    // rest of a service /16 is shared.
    const whole = Math.min(slot, Math.floor(candidates.length / 2));
    for (let s = 0; s < whole; s++) {
      used.push(
        candidates[2 * s] as Cidr,
        fromRange((candidates[2 * s + 1] as Cidr).start, AUTO_SERVICE_PREFIX, 4),
      );
    }
    const bits = Math.ceil(Math.log2(flannelNodeBound(env, cluster)));
    const podPrefix = Math.max(AUTO_POD_PREFIX, cluster.nodeCidrMask - bits);
    out.set(slot, {
      pod: flannel && cluster.podCidr === undefined ? take(podPrefix) : undefined,
      service: cluster.serviceCidr === undefined ? take(AUTO_SERVICE_PREFIX) : undefined,
    });
  }
  return out;
}

function usableAddresses(c: Cidr, reserved: number): number {
  return Math.max(0, Number(size(c)) - reserved);
}

const keyOf = (cluster: string, zone: string, role: VSwitchRole) => `${cluster}/${zone}/${role}`;

function plannedNodesPerZone(cluster: ClusterSpec, zones: string[]): Map<string, number> {
  const perZone = new Map<string, number>(zones.map((z) => [z, 0]));
  for (const pool of cluster.nodePools) {
    const poolZones = (pool.zones ?? zones).filter((z) => perZone.has(z));
    if (poolZones.length === 0) continue;
    const each = Math.ceil(pool.maxSize / poolZones.length);
    for (const z of poolZones) perZone.set(z, (perZone.get(z) ?? 0) + each);
  }
  return perZone;
}

/**
 * Nothing the spec declares may vanish: an existing vSwitch declared for a cluster that the
 * cluster cannot use is reported with the rule that explains why, at the entry's spec path.
 * (Shared ones, without a cluster, stay in the plan and the output contract either way.)
 */
function unusedExistingVSwitches(env: Environment, clusters: readonly ClusterPlan[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const used = new Set<string>();
  for (const c of clusters) for (const k of c.vswitchKeys) used.add(k);
  for (const [i, e] of env.vpc.existingVSwitches.entries()) {
    if (e.cluster === undefined) continue;
    const path = `vpc.existingVSwitches[${i}]`;
    const what = `existing ${e.role} vSwitch ${e.id}`;
    const ci = env.clusters.findIndex((c) => c.name === e.cluster);
    const cp = clusters.find((c) => c.name === e.cluster);
    const schema = (field: string, message: string) =>
      out.push({
        rule: SPEC_SCHEMA,
        severity: "mandatory",
        resource: e.cluster ?? e.id,
        path: field ? `${path}.${field}` : path,
        message,
      });
    if (ci < 0 || !cp) {
      schema(
        "cluster",
        `${what} names cluster "${e.cluster}", which the spec does not declare (clusters: ${env.clusters.map((c) => c.name).join(", ") || "none"})`,
      );
      continue;
    }
    if (!CNI_ROLES[cp.cni].includes(e.role)) {
      schema(
        "role",
        `${what} has role ${e.role}, which cluster "${cp.name}" does not use: its CNI ${cp.cni} uses ${CNI_ROLES[cp.cni].join(" and ")} vSwitches`,
      );
      continue;
    }
    if (!cp.zones.includes(e.zone)) {
      const where = env.zones.includes(e.zone) ? `clusters[${ci}].zones` : "zones";
      const message = `${what} is declared for cluster "${cp.name}" in zone ${e.zone}, which the cluster does not span (its zones: ${cp.zones.join(", ")}); add ${e.zone} to ${where} or remove the declaration`;
      out.push(
        diagnostic(e.role === "pod" ? "cidr/terway-zone-mismatch" : "cluster/zones", {
          resource: cp.name,
          path: `${path}.zone`,
          message:
            e.role === "pod" ? `${message}: a Terway pod vSwitch in a zone without node vSwitch` : message,
        }),
      );
      continue;
    }
    const key = keyOf(cp.name, e.zone, e.role);
    if (!used.has(key)) continue;
    const first = env.vpc.existingVSwitches.find(
      (x) => x.cluster === e.cluster && x.zone === e.zone && x.role === e.role,
    );
    if (first && first !== e) {
      schema(
        "",
        `${what} is a second ${e.role} vSwitch for cluster "${cp.name}" in zone ${e.zone}; the cluster uses one per zone and role, ${first.id}`,
      );
    }
  }
  return out;
}

/**
 * Plan an environment that has already been parsed. Returns the plan and every diagnostic
 * the cidr/* rules (and any extra rules) find in it; never throws on bad CIDRs.
 */
export function planEnvironment(env: Environment, options: PlanOptions = {}): EnvironmentPlan {
  const diagnostics: Diagnostic[] = [];
  const layout = computeLayout(env, diagnostics);
  const reserved = env.cloud === "aws" ? AWS_RESERVED_PER_SUBNET : ALICLOUD_RESERVED_PER_VSWITCH;
  const vswitches: PlannedVSwitch[] = [];
  const clusters: ClusterPlan[] = [];
  const allocations: Record<string, string> = {};
  const candidates = autoCandidates(
    env,
    2 * Math.max(env.clusters.length, ...env.clusters.map((c) => (c.slot ?? 0) + 1), 1),
  );
  const autos = autoRanges(env, candidates);
  const ula = parse("fd00::/112");

  diagnostics.push(...checkIpv4Fields(env));

  // Existing vSwitches adopted by id: shared ones (no cluster) are listed once.
  const existing = env.vpc.existingVSwitches;
  for (const e of existing) {
    if (e.cluster !== undefined) continue;
    const p = parseCidr(e.cidr);
    vswitches.push({
      key: keyOf("shared", e.zone, e.role),
      cluster: "shared",
      zone: e.zone,
      role: e.role,
      cidr: p.ok ? p.cidr.text : e.cidr,
      existingId: e.id,
      usableAddresses: p.ok ? usableAddresses(p.cidr, reserved) : 0,
    });
  }

  for (const [ci, cluster] of env.clusters.entries()) {
    const cni = cniOf(env, cluster);
    const slot = cluster.slot ?? ci;
    const unknownZones = (cluster.zones ?? []).filter((z) => !env.zones.includes(z));
    if (unknownZones.length > 0) {
      diagnostics.push(
        diagnostic("cluster/zones", {
          resource: cluster.name,
          path: `clusters[${ci}].zones`,
          message: `cluster "${cluster.name}" names zones ${unknownZones.join(", ")} that are not among the environment's zones (${env.zones.join(", ")})`,
          production: env.production,
        }),
      );
    }
    const zones = env.zones.filter((z) => (cluster.zones ?? env.zones).includes(z));
    const slotCidr = layout ? subnet(layout.vpc, layout.clusterPrefix, slot) : undefined;
    if (layout && !slotCidr) {
      diagnostics.push(
        diagnostic("cidr/pod-capacity", {
          resource: cluster.name,
          path: `clusters[${ci}].slot`,
          message: `cluster "${cluster.name}" takes slot ${slot}, but vpc ${layout.vpc.text} has ${layout.clusterSlots} cluster slots of /${layout.clusterPrefix}`,
        }),
      );
    }
    const keys: string[] = [];
    const perZoneNodes = plannedNodesPerZone(cluster, zones);
    const maxPodsPerNode =
      cluster.maxPodsPerNode ??
      (cni === "flannel"
        ? 2 ** (32 - cluster.nodeCidrMask)
        : cluster.kind === "selfmanaged"
          ? DEFAULT_MAX_PODS_SELF_PROVISIONED
          : DEFAULT_MAX_PODS_PER_NODE);
    const zoneCaps: ZoneCapacity[] = [];

    for (const zone of zones) {
      const z = env.zones.indexOf(zone);
      const zoneSlot = slotCidr && layout ? subnet(slotCidr, layout.zonePrefix, z) : undefined;
      if (slotCidr && layout && !zoneSlot) {
        diagnostics.push(
          diagnostic("cidr/pod-capacity", {
            resource: cluster.name,
            path: "zones",
            message: `zone ${zone} is zone slot ${z}, but a /${layout.clusterPrefix} cluster slot has ${layout.zoneSlots} zone slots of /${layout.zonePrefix}`,
          }),
        );
      }
      const byRole: Partial<Record<VSwitchRole, PlannedVSwitch>> = {};
      for (const role of CNI_ROLES[cni]) {
        const key = keyOf(cluster.name, zone, role);
        const adopted =
          existing.find((e) => e.cluster === cluster.name && e.zone === zone && e.role === role) ??
          existing.find((e) => e.cluster === undefined && e.zone === zone && e.role === role);
        let v: PlannedVSwitch | undefined;
        if (adopted) {
          const p = parseCidr(adopted.cidr);
          if (adopted.cluster === undefined) {
            v = vswitches.find((s) => s.existingId === adopted.id);
          } else {
            v = {
              key,
              cluster: cluster.name,
              zone,
              role,
              cidr: p.ok ? p.cidr.text : adopted.cidr,
              existingId: adopted.id,
              usableAddresses: p.ok ? usableAddresses(p.cidr, reserved) : 0,
            };
            vswitches.push(v);
          }
        } else if (zoneSlot && layout?.blocks[role]) {
          const b = layout.blocks[role];
          const c = fromRange(zoneSlot.start + b.offset, b.prefix, 4);
          v = {
            key,
            cluster: cluster.name,
            zone,
            role,
            cidr: c.text,
            usableAddresses: usableAddresses(c, reserved),
          };
          if (cluster.ipStack === "dual") {
            const index = (slot * layout.zoneSlots + z) * 4 + ["node", "pod", "public"].indexOf(role);
            if (index < 256) v.ipv6Index = index;
          }
          vswitches.push(v);
        }
        if (v) {
          byRole[role] = v;
          if (!keys.includes(v.key)) keys.push(v.key);
          allocations[`vswitch:${v.key}`] = v.cidr;
        }
      }
      const plannedNodes = perZoneNodes.get(zone) ?? 0;
      const plannedPods = plannedNodes * maxPodsPerNode;
      const nodeCapacity = byRole.node?.usableAddresses ?? 0;
      let podCapacity: number | undefined;
      let freeAddresses = Math.max(0, nodeCapacity - plannedNodes);
      if (cni === "terway") {
        podCapacity = byRole.pod?.usableAddresses ?? 0;
        freeAddresses += Math.max(0, podCapacity - plannedPods);
      } else if (cni === "vpc-cni") {
        podCapacity = Math.max(0, nodeCapacity - plannedNodes);
        freeAddresses = Math.max(0, nodeCapacity - plannedNodes - plannedPods);
      }
      zoneCaps.push({ zone, plannedNodes, nodeCapacity, plannedPods, podCapacity, freeAddresses });
    }

    // Pod and service CIDRs: honoured when given, else the slot's planner-chosen ranges.
    const auto = autos.get(slot) ?? {};
    let podCidr: string | undefined;
    if (OVERLAY_CNIS.includes(cni)) {
      podCidr = cluster.podCidr ?? auto.pod?.text;
      if (podCidr !== undefined) allocations[`pod:${cluster.name}`] = podCidr;
      else
        diagnostics.push(
          diagnostic("cidr/pod-capacity", {
            resource: cluster.name,
            path: `clusters[${ci}].podCidr`,
            message: `no free block of 172.16.0.0/12, 10.0.0.0/8, 192.168.0.0/16 outside the VPC, the connected ranges and the ranges of the other cluster slots holds cluster "${cluster.name}"'s pod CIDR (${flannelNodeBound(env, cluster)} nodes × /${cluster.nodeCidrMask}, slot ${slot}); set clusters[${ci}].podCidr`,
          }),
        );
    }
    const serviceCidr = cluster.serviceCidr ?? auto.service?.text;
    // An explicit value, even "" or junk, is the spec's: cidr/invalid reports it, not this.
    if (serviceCidr !== undefined) allocations[`service:${cluster.name}`] = serviceCidr;
    else
      diagnostics.push(
        diagnostic("cidr/service-overlaps-vpc", {
          resource: cluster.name,
          path: `clusters[${ci}].serviceCidr`,
          message: `every /${AUTO_SERVICE_PREFIX} of 172.16.0.0/12, 10.0.0.0/8, 192.168.0.0/16 overlaps the VPC, a connected range or a range of another cluster slot: no service CIDR is left for cluster "${cluster.name}" (slot ${slot}); set clusters[${ci}].serviceCidr`,
        }),
      );
    let ipv6ServiceCidr: string | undefined;
    if (cluster.ipStack === "dual") {
      ipv6ServiceCidr =
        cluster.ipv6ServiceCidr ??
        fromRange(ula.start + BigInt(slot) * 65536n, AUTO_IPV6_SERVICE_PREFIX, 6).text;
      allocations[`service6:${cluster.name}`] = ipv6ServiceCidr;
    }

    const maxNodes = cluster.nodePools.reduce((n, p) => n + p.maxSize, 0);
    const podParse = podCidr ? parseCidr(podCidr) : undefined;
    const flannelNodeSlots =
      cni === "flannel" && podParse?.ok && cluster.nodeCidrMask >= podParse.cidr.prefix
        ? 2 ** (cluster.nodeCidrMask - podParse.cidr.prefix)
        : undefined;
    clusters.push({
      name: cluster.name,
      slot,
      cni,
      ipStack: cluster.ipStack,
      zones,
      slotCidr: slotCidr?.text ?? "",
      podCidr,
      nodeCidrMask: cni === "flannel" ? cluster.nodeCidrMask : undefined,
      serviceCidr: serviceCidr ?? "",
      ipv6ServiceCidr,
      maxPodsPerNode,
      vswitchKeys: keys,
      selfManaged:
        cluster.kind === "selfmanaged"
          ? planSelfManaged(
              env,
              cluster,
              vswitches.filter((v) => keys.includes(v.key)),
            )
          : undefined,
      capacity: {
        maxNodes,
        maxPods: maxNodes * maxPodsPerNode,
        flannelNodeSlots,
        podAddresses: cni === "flannel" && podParse?.ok ? Number(size(podParse.cidr)) : undefined,
        zones: zoneCaps,
      },
    });
  }

  diagnostics.push(...unusedExistingVSwitches(env, clusters));

  const plan: EnvironmentPlan = {
    environment: env.name,
    cloud: env.cloud,
    region: env.region,
    production: env.production,
    vpc: {
      id: env.vpc.id,
      cidr: env.vpc.cidr,
      secondaryCidrs: env.vpc.secondaryCidrs,
      freeAddresses: vpcFreeAddresses(env, vswitches),
    },
    vswitches,
    clusters,
    allocations,
    diagnostics,
  };
  diagnostics.push(...checkNetwork(networkFactsFromPlan(env, plan)));
  for (const rule of options.extraRules ?? []) diagnostics.push(...rule(env));
  if (options.baseline) diagnostics.push(...checkPlanRenumbered(options.baseline, allocations, env.name));
  return plan;
}

/**
 * cidr/invalid: the spec's IPv4-only fields hold IPv4. (IPv6 belongs in ipv6ServiceCidr; the
 * other rules compare versions and would let an IPv6 value through unreported.)
 */
function checkIpv4Fields(env: Environment): Diagnostic[] {
  const fields: { value?: string; path: string; resource: string; what: string }[] = [
    ...env.vpc.secondaryCidrs.map((value, i) => ({
      value,
      path: `vpc.secondaryCidrs[${i}]`,
      resource: "vpc",
      what: "VPC secondary CIDR",
    })),
    ...env.vpc.existingVSwitches.map((e, i) => ({
      value: e.cidr,
      path: `vpc.existingVSwitches[${i}].cidr`,
      resource: e.id,
      what: `existing vSwitch ${e.id} CIDR`,
    })),
    ...env.clusters.flatMap((c, i) => [
      {
        value: c.podCidr,
        path: `clusters[${i}].podCidr`,
        resource: c.name,
        what: `cluster "${c.name}" pod CIDR`,
      },
      {
        value: c.serviceCidr,
        path: `clusters[${i}].serviceCidr`,
        resource: c.name,
        what: `cluster "${c.name}" service CIDR`,
      },
    ]),
  ];
  return fields.flatMap((f) => {
    const p = f.value === undefined ? undefined : parseCidr(f.value);
    if (!p?.ok || p.cidr.version === 4) return [];
    return [
      diagnostic("cidr/invalid", {
        resource: f.resource,
        path: f.path,
        message: `${f.what} ${p.cidr.text} is IPv6; this field takes an IPv4 CIDR`,
      }),
    ];
  });
}

function vpcFreeAddresses(env: Environment, vswitches: PlannedVSwitch[]): number {
  const vpcRanges = [env.vpc.cidr, ...env.vpc.secondaryCidrs]
    .map((t) => parseCidr(t))
    .flatMap((p) => (p.ok ? [p.cidr] : []));
  let total = vpcRanges.reduce((n, c) => n + size(c), 0n);
  const seen = new Set<string>();
  for (const v of vswitches) {
    const p = parseCidr(v.cidr);
    if (!p.ok || seen.has(p.cidr.text) || !vpcRanges.some((r) => contains(r, p.cidr))) continue;
    seen.add(p.cidr.text);
    total -= size(p.cidr);
  }
  return Number(total > 0n ? total : 0n);
}

/** The NetworkFacts of a plan: what the cidr/* rules check. Paths point into the spec where the value came from it. */
export function networkFactsFromPlan(env: Environment, plan: EnvironmentPlan): NetworkFacts {
  const existingIndex = new Map(env.vpc.existingVSwitches.map((e, i) => [e.id, i]));
  const pathOf = (v: PlannedVSwitch) =>
    v.existingId !== undefined && existingIndex.has(v.existingId)
      ? `vpc.existingVSwitches[${existingIndex.get(v.existingId)}].cidr`
      : `plan.vswitches["${v.key}"]`;
  const reserved = env.cloud === "aws" ? AWS_RESERVED_PER_SUBNET : ALICLOUD_RESERVED_PER_VSWITCH;
  const byKey = new Map(plan.vswitches.map((v) => [v.key, v]));
  const clusters: ClusterNetworkFacts[] = plan.clusters.map((c) => {
    const ci = env.clusters.findIndex((s) => s.name === c.name);
    const spec = env.clusters[ci] as ClusterSpec;
    const own = c.vswitchKeys.map((k) => byKey.get(k)).filter((v): v is PlannedVSwitch => v !== undefined);
    return {
      resource: c.name,
      name: c.name,
      path: `clusters[${ci}]`,
      vpc: VPC_KEY,
      cni: c.cni,
      ipStack: c.ipStack,
      kubernetesVersion: spec.kubernetesVersion,
      podCidr:
        c.podCidr !== undefined
          ? {
              cidr: c.podCidr,
              path:
                spec.podCidr !== undefined ? `clusters[${ci}].podCidr` : `plan.clusters["${c.name}"].podCidr`,
            }
          : undefined,
      serviceCidr:
        c.serviceCidr !== "" || spec.serviceCidr !== undefined
          ? {
              cidr: c.serviceCidr,
              path:
                spec.serviceCidr !== undefined
                  ? `clusters[${ci}].serviceCidr`
                  : `plan.clusters["${c.name}"].serviceCidr`,
            }
          : undefined,
      ipv6ServiceCidr:
        c.ipv6ServiceCidr !== undefined
          ? {
              cidr: c.ipv6ServiceCidr,
              path:
                spec.ipv6ServiceCidr !== undefined
                  ? `clusters[${ci}].ipv6ServiceCidr`
                  : `plan.clusters["${c.name}"].ipv6ServiceCidr`,
            }
          : undefined,
      nodeCidrMask: c.nodeCidrMask,
      ...selfManagedNetworkFacts(spec, ci, c),
      apiAllowList:
        spec.apiServer.public && spec.apiServer.allowList.length > 0
          ? { cidrs: spec.apiServer.allowList, path: `clusters[${ci}].apiServer.allowList` }
          : undefined,
      maxPodsPerNode: c.maxPodsPerNode,
      maxNodes: c.capacity.maxNodes,
      reservedPerVSwitch: reserved,
      zones: c.capacity.zones.map((z) => ({
        zone: z.zone,
        path: `plan.clusters["${c.name}"].zones["${z.zone}"]`,
        nodeCidrs: own.filter((v) => v.zone === z.zone && v.role === "node").map((v) => v.cidr),
        podCidrs: own.filter((v) => v.zone === z.zone && v.role === "pod").map((v) => v.cidr),
        plannedNodes: z.plannedNodes,
      })),
    };
  });
  return {
    vpcs: [
      {
        resource: "vpc",
        id: VPC_KEY,
        primary: { cidr: env.vpc.cidr, path: "vpc.cidr" },
        secondary: env.vpc.secondaryCidrs.map((cidr, i) => ({ cidr, path: `vpc.secondaryCidrs[${i}]` })),
        shared: env.vpc.shared,
      },
    ],
    vswitches: plan.vswitches.map((v) => ({
      resource: v.key,
      path: pathOf(v),
      cidr: v.cidr,
      vpc: VPC_KEY,
      zone: v.zone,
      role: v.role,
      cluster: v.cluster === "shared" ? undefined : v.cluster,
      reserved,
    })),
    clusters,
    connected: env.connectedRanges.map((r, i) => ({
      resource: r.name,
      name: r.name,
      path: `connectedRanges[${i}].cidr`,
      cidr: r.cidr,
      kind: r.kind,
    })),
  };
}

/** The Kube-OVN join CIDR and API VIP facts of a self-managed cluster (cidr/kubeovn-join-overlap, cidr/api-vip). */
function selfManagedNetworkFacts(
  spec: ClusterSpec,
  ci: number,
  c: ClusterPlan,
): Pick<ClusterNetworkFacts, "kubeOvn" | "apiVip"> {
  const sm = c.selfManaged;
  if (spec.kind !== "selfmanaged" || !sm) return {};
  const at = `clusters[${ci}].selfManaged`;
  return {
    kubeOvn:
      c.cni === "kube-ovn" && spec.selfManaged?.joinCidr !== undefined
        ? { joinCidr: { cidr: spec.selfManaged.joinCidr, path: `${at}.joinCidr` } }
        : undefined,
    apiVip: {
      vip: sm.apiVip,
      subnet: sm.apiVipSubnet,
      nodeIps: sm.controlPlaneNodes.map((n) => n.ip),
      path:
        spec.selfManaged?.apiVip !== undefined
          ? `${at}.apiVip`
          : `plan.clusters["${c.name}"].selfManaged.apiVip`,
    },
  };
}

export type PlanResult =
  | { ok: true; env: Environment; plan: EnvironmentPlan }
  | { ok: false; diagnostics: Diagnostic[] };

/** Parse a raw spec (from YAML/config) and plan it; schema problems come back as diagnostics. */
export function planFromSpec(input: unknown, options: PlanOptions = {}, source = "environment"): PlanResult {
  const parsed = parseEnvironment(input, source);
  if (!parsed.ok) return parsed;
  return { ok: true, env: parsed.env, plan: planEnvironment(parsed.env, options) };
}

// ---------------------------------------------------------------------------------------------
// Stability: the planner's promise, checked against an earlier plan

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
