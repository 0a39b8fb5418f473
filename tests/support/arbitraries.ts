/**
 * fast-check arbitraries for environment specs that are valid by construction: the address
 * planner gives them no mandatory diagnostic. Alibaba Cloud (Terway, Flannel) and AWS (VPC
 * CNI), 1–4 zones, 1–4 clusters, 0–3 node pools per cluster, 0–2 connected ranges.
 *
 * Validity comes from an independent oracle of the documented fixed-slot layout (planner.ts
 * header, spec.ts layout defaults): every pool is sized from the zone capacity the oracle
 * computes, so "sized within capacity" does not lean on the planner under test.
 *
 * Address regions, chosen so generated values never collide:
 *   VPC              a block inside 10.0.0.0/9, 172.16.0.0/12 or 192.168.0.0/16 (/10–/20);
 *   connected ranges inside 10.128.0.0/10, 172.16.0.0/12 or 192.168.0.0/16, never the VPC's block;
 *   explicit pod     10.(224+i).0.0/16 for cluster i, explicit service 10.(240+i).0.0/20.
 * Planner-chosen pod/service /16s come from 172.16/12, then 10/8, then 192.168/16 (lowest free
 * first); with at most 8 of them and connected ranges of /14 or smaller they never reach 10.224/11.
 */

import type { EnvironmentInput } from "@kubeplat/plan";
import { fromRange, cidr as parseCidrText } from "@kubeplat/plan";
import fc from "fast-check";

export type Cloud = "alicloud" | "aws";
export type ClusterInput = NonNullable<EnvironmentInput["clusters"]>[number];
export type PoolInput = NonNullable<ClusterInput["nodePools"]>[number];
type LayoutInput = NonNullable<EnvironmentInput["vpc"]["layout"]>;

/** Reserved addresses per vSwitch / subnet: Alibaba Cloud 4 (ACK docs: Network overview: /16 → 65,532), AWS 5. */
export const RESERVED: Record<Cloud, number> = { alicloud: 4, aws: 5 };
/** Largest and smallest vSwitch / subnet prefixes. */
const VSWITCH_MIN_PREFIX = 16;
export const DEFAULT_MAX_PODS = 64;
export const MAX_ZONES = 4;
export const MAX_CLUSTERS = 4;
export const MAX_POOLS = 3;

const REGION: Record<Cloud, string> = { alicloud: "cn-hangzhou", aws: "us-east-1" };
const VPC_BLOCKS = ["10.0.0.0/9", "172.16.0.0/12", "192.168.0.0/16"] as const;
const CONNECTED_BLOCKS = ["10.128.0.0/10", "172.16.0.0/12", "192.168.0.0/16"] as const;

/** Zone names in slot order for a cloud: cn-hangzhou-a…, us-east-1a…. */
export function zoneName(cloud: Cloud, i: number): string {
  const letter = String.fromCharCode(97 + i);
  return cloud === "aws" ? `${REGION.aws}${letter}` : `${REGION.alicloud}-${letter}`;
}

export function explicitPodCidr(i: number): string {
  return `10.${224 + i}.0.0/16`;
}
export function explicitServiceCidr(i: number): string {
  return `10.${240 + i}.0.0/20`;
}

// ---------------------------------------------------------------------------------------------
// The layout oracle (independent of planner.ts)

export interface Block {
  prefix: number;
  /** Offset of the block inside its zone slot. */
  offset: bigint;
}

export interface LayoutOracle {
  cloud: Cloud;
  vpcCidr: string;
  vpcPrefix: number;
  clusterPrefix: number;
  zonePrefix: number;
  clusterSlots: number;
  zoneSlots: number;
  node: Block;
  /** Alibaba Cloud: the Terway pod vSwitch. */
  pod?: Block;
  /** AWS: the public subnet. */
  public?: Block;
}

const blockSize = (prefix: number) => 1n << BigInt(32 - prefix);
const alignUp = (n: bigint, step: bigint) => (n % step === 0n ? n : (n / step + 1n) * step);

/** The documented layout: cluster slot /P+2, zone slot +2, node +2 / pod +1 (Alibaba), node +1 / public +3 (AWS). */
export function layoutOracle(spec: EnvironmentInput): LayoutOracle {
  const cloud = spec.cloud;
  const vpcPrefix = Number(spec.vpc.cidr.split("/")[1]);
  const l: LayoutInput = spec.vpc.layout ?? {};
  const clusterPrefix = l.clusterPrefix ?? vpcPrefix + 2;
  const zonePrefix = l.zonePrefix ?? clusterPrefix + 2;
  const clamp = (p: number) => Math.max(p, VSWITCH_MIN_PREFIX, zonePrefix);
  const base = {
    cloud,
    vpcCidr: spec.vpc.cidr,
    vpcPrefix,
    clusterPrefix,
    zonePrefix,
    clusterSlots: 2 ** (clusterPrefix - vpcPrefix),
    zoneSlots: 2 ** (zonePrefix - clusterPrefix),
  };
  const nodePrefix = clamp(l.nodePrefix ?? zonePrefix + (cloud === "aws" ? 1 : 2));
  const node: Block = { prefix: nodePrefix, offset: 0n };
  if (cloud === "aws") {
    const p = clamp(l.publicPrefix ?? zonePrefix + 3);
    return { ...base, node, public: { prefix: p, offset: alignUp(blockSize(nodePrefix), blockSize(p)) } };
  }
  const p = clamp(l.podPrefix ?? zonePrefix + 1);
  return { ...base, node, pod: { prefix: p, offset: alignUp(blockSize(nodePrefix), blockSize(p)) } };
}

/** The CIDR text the fixed-slot layout gives (cluster slot, zone slot, role). */
export function expectedVSwitch(
  o: LayoutOracle,
  slot: number,
  zoneSlot: number,
  role: "node" | "pod" | "public",
): string | undefined {
  const b = o[role];
  if (!b) return undefined;
  const vpc = parseCidrText(o.vpcCidr);
  const start =
    vpc.start +
    BigInt(slot) * blockSize(o.clusterPrefix) +
    BigInt(zoneSlot) * blockSize(o.zonePrefix) +
    b.offset;
  return fromRange(start, b.prefix, 4).text;
}

const usable = (prefix: number, cloud: Cloud) => Number(blockSize(prefix)) - RESERVED[cloud];

export interface ZoneLimits {
  /** Usable addresses of the zone's node vSwitch. */
  nodeAddresses: number;
  /** Terway: usable addresses of the zone's pod vSwitch. */
  podAddresses?: number;
  maxPodsPerNode: number;
  /** Flannel: nodes the pod CIDR can give a range to. */
  flannelSlots?: number;
  /** The largest per-zone node count that fits every limit (Flannel: with pools over ≤ 4 zones). */
  nodesPerZone: number;
}

export function cniOfInput(cloud: Cloud, c: Pick<ClusterInput, "cni">): NonNullable<ClusterInput["cni"]> {
  return c.cni ?? (cloud === "aws" ? "vpc-cni" : "terway");
}

/** What one zone of a cluster holds, from the oracle layout. */
export function zoneLimits(o: LayoutOracle, c: ClusterInput): ZoneLimits {
  const cni = cniOfInput(o.cloud, c);
  const nodeAddresses = usable(o.node.prefix, o.cloud);
  const mask = c.nodeCidrMask ?? 26;
  const maxPodsPerNode = c.maxPodsPerNode ?? (cni === "flannel" ? 2 ** (32 - mask) : DEFAULT_MAX_PODS);
  if (cni === "terway") {
    const podAddresses = usable((o.pod as Block).prefix, o.cloud);
    return {
      nodeAddresses,
      podAddresses,
      maxPodsPerNode,
      nodesPerZone: Math.min(nodeAddresses, Math.floor(podAddresses / maxPodsPerNode)),
    };
  }
  if (cni === "vpc-cni") {
    return { nodeAddresses, maxPodsPerNode, nodesPerZone: Math.floor(nodeAddresses / (1 + maxPodsPerNode)) };
  }
  const podPrefix = Number((c.podCidr ?? "0/16").split("/")[1]);
  const flannelSlots = 2 ** (mask - podPrefix);
  return {
    nodeAddresses,
    maxPodsPerNode,
    flannelSlots,
    nodesPerZone: Math.min(nodeAddresses, Math.floor(flannelSlots / MAX_ZONES)),
  };
}

/** The zones a cluster spans, in environment order. */
export function zonesOf(spec: EnvironmentInput, c: ClusterInput): string[] {
  const wanted = c.zones ?? spec.zones;
  return spec.zones.filter((z) => wanted.includes(z));
}

/** Planned nodes per zone (each pool's max spread evenly, rounded up, over its zones). */
export function zoneLoads(spec: EnvironmentInput, c: ClusterInput): Map<string, number> {
  const zones = zonesOf(spec, c);
  const load = new Map(zones.map((z) => [z, 0]));
  for (const p of c.nodePools ?? []) {
    const pz = (p.zones ?? zones).filter((z) => load.has(z));
    if (pz.length === 0) continue;
    for (const z of pz) load.set(z, (load.get(z) ?? 0) + Math.ceil(p.maxSize / pz.length));
  }
  return load;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** A network: cloud, VPC CIDR, layout. */
export interface NetworkChoice {
  cloud: Cloud;
  vpcCidr: string;
  vpcBlock: string;
  layout?: LayoutInput;
}

export function networkArb(cloud?: Cloud): fc.Arbitrary<NetworkChoice> {
  return fc
    .record({
      cloud: cloud ? fc.constant(cloud) : fc.constantFrom<Cloud>("alicloud", "aws"),
      block: fc.constantFrom(...VPC_BLOCKS),
      layoutKind: fc.constantFrom("default", "slots", "ack"),
      clusterBits: fc.integer({ min: 1, max: 3 }),
      zoneBits: fc.integer({ min: 1, max: 2 }),
    })
    .chain(({ cloud, block, layoutKind, clusterBits, zoneBits }) => {
      const b = parseCidrText(block);
      // Alibaba Cloud VPCs /8–/28 (we use /10–/20); AWS VPCs /16–/28 (we use /16–/20).
      const lo = Math.max(b.prefix, cloud === "aws" ? 16 : 10);
      return fc.integer({ min: lo, max: 20 }).chain((prefix) =>
        fc.bigInt({ min: 0n, max: (1n << BigInt(prefix - b.prefix)) - 1n }).map((index) => {
          const vpc = fromRange(b.start + index * (1n << BigInt(32 - prefix)), prefix, 4);
          let layout: LayoutInput | undefined;
          if (layoutKind !== "default") {
            const clusterPrefix = prefix + clusterBits;
            const zonePrefix = clusterPrefix + zoneBits;
            layout = { clusterPrefix, zonePrefix };
            // ACK's worked example shape: node and pod vSwitch each half of the zone slot.
            if (layoutKind === "ack" && cloud === "alicloud") {
              layout = { ...layout, nodePrefix: zonePrefix + 1, podPrefix: zonePrefix + 1 };
            }
          }
          return { cloud, vpcCidr: vpc.text, vpcBlock: block, layout };
        }),
      );
    });
}

function poolArb(
  spec: EnvironmentInput,
  c: ClusterInput,
  j: number,
  perZoneMax: number,
): fc.Arbitrary<PoolInput> {
  const zones = zonesOf(spec, c);
  return fc
    .record({
      zones: fc.option(fc.subarray(zones, { minLength: 1 }), { nil: undefined }),
      // Often exactly at the limit, so generated specs probe the capacity boundary.
      perZone: fc.oneof(
        { weight: 2, arbitrary: fc.integer({ min: 0, max: Math.max(0, perZoneMax) }) },
        { weight: 1, arbitrary: fc.constant(Math.max(0, perZoneMax)) },
      ),
      under: fc.nat(),
      minPick: fc.integer({ min: 0, max: 100 }),
      autoscaling: fc.boolean(),
      instanceTypes: fc.constantFrom(
        spec.cloud === "aws" ? ["m6i.xlarge"] : ["ecs.g7.xlarge"],
        spec.cloud === "aws" ? ["m6i.xlarge", "m5.xlarge"] : ["ecs.g7.xlarge", "ecs.g6.xlarge"],
      ),
    })
    .map(({ zones: pz, perZone, under, minPick, autoscaling, instanceTypes }) => {
      const k = (pz ?? zones).length;
      // ceil(maxSize / k) === perZone exactly.
      const maxSize = perZone === 0 ? 0 : perZone * k - (under % k);
      const pool: PoolInput = {
        name: `pool-${j}`,
        minSize: Math.floor((minPick * maxSize) / 100),
        maxSize,
        autoscaling,
        instanceTypes,
      };
      if (pz) pool.zones = pz;
      return pool;
    });
}

/**
 * One cluster at position `index` of `spec` (whose network and zones are fixed), sized within
 * capacity. `slot` pins the cluster's slot when given.
 */
export function clusterArb(spec: EnvironmentInput, index: number, slot?: number): fc.Arbitrary<ClusterInput> {
  const o = layoutOracle(spec);
  const cnis =
    spec.cloud === "aws" ? (["vpc-cni", undefined] as const) : (["terway", "flannel", undefined] as const);
  return fc
    .record({
      cni: fc.constantFrom(...cnis),
      dual: fc.boolean(),
      zones: fc.option(fc.subarray(spec.zones, { minLength: 1 }), { nil: undefined }),
      nodeCidrMask: fc.integer({ min: 24, max: 28 }),
      explicitPod: fc.boolean(),
      explicitService: fc.boolean(),
      maxPodsPerNode: fc.option(fc.constantFrom(8, 16, 32, 64), { nil: undefined }),
      pools: fc.integer({ min: 0, max: MAX_POOLS }),
    })
    .chain((r) => {
      const cni = cniOfInput(spec.cloud, { cni: r.cni });
      const c: ClusterInput = { name: `c${index}`, nodePools: [] };
      if (r.cni) c.cni = r.cni;
      if (slot !== undefined) c.slot = slot;
      if (r.zones) c.zones = r.zones;
      if (r.maxPodsPerNode !== undefined) c.maxPodsPerNode = r.maxPodsPerNode;
      if (cni === "flannel") {
        c.nodeCidrMask = r.nodeCidrMask;
        if (r.explicitPod) c.podCidr = explicitPodCidr(index);
      } else if (r.dual) {
        c.ipStack = "dual";
      }
      if (r.explicitService) c.serviceCidr = explicitServiceCidr(index);
      const perZoneMax = Math.floor(zoneLimits(o, c).nodesPerZone / MAX_POOLS);
      return fc
        .tuple(...Array.from({ length: r.pools }, (_, j) => poolArb(spec, c, j, perZoneMax)))
        .map((pools) => ({ ...c, nodePools: pools }));
    });
}

function connectedArb(vpcBlock: string): fc.Arbitrary<NonNullable<EnvironmentInput["connectedRanges"]>> {
  const blocks = CONNECTED_BLOCKS.filter((b) => parseCidrText(b).start !== parseCidrText(vpcBlock).start);
  const one = fc
    .record({
      block: fc.constantFrom(...blocks),
      prefix: fc.integer({ min: 14, max: 24 }),
      kind: fc.constantFrom("peer-vpc", "cen", "vpn", "leased-line", "other") as fc.Arbitrary<
        "peer-vpc" | "cen" | "vpn" | "leased-line" | "other"
      >,
    })
    .chain(({ block, prefix, kind }) => {
      const b = parseCidrText(block);
      const p = Math.max(prefix, b.prefix);
      return fc.bigInt({ min: 0n, max: (1n << BigInt(p - b.prefix)) - 1n }).map((index) => ({
        cidr: fromRange(b.start + index * (1n << BigInt(32 - p)), p, 4).text,
        kind,
      }));
    });
  return fc
    .array(one, { maxLength: 2 })
    .map((rs) => rs.map((r, i) => ({ name: `peer-${i}`, cidr: r.cidr, kind: r.kind })));
}

export interface EnvSpecOptions {
  cloud?: Cloud;
}

/** A valid environment spec (raw input, as written in a stack's config). */
export function envSpecArb(opts: EnvSpecOptions = {}): fc.Arbitrary<EnvironmentInput> {
  return fc
    .record({
      net: networkArb(opts.cloud),
      production: fc.boolean(),
      zonesPick: fc.integer({ min: 1, max: MAX_ZONES }),
      clustersPick: fc.integer({ min: 1, max: MAX_CLUSTERS }),
      pinned: fc.boolean(),
      name: fc.constantFrom("dev", "staging", "prod"),
    })
    .chain(({ net, production, zonesPick, clustersPick, pinned, name }) => {
      const base: EnvironmentInput = {
        name,
        cloud: net.cloud,
        region: REGION[net.cloud],
        production,
        zones: [],
        vpc: net.layout ? { cidr: net.vpcCidr, layout: net.layout } : { cidr: net.vpcCidr },
        clusters: [],
      };
      const o = layoutOracle(base);
      base.zones = Array.from({ length: Math.min(zonesPick, o.zoneSlots) }, (_, i) => zoneName(net.cloud, i));
      const n = Math.min(clustersPick, o.clusterSlots);
      const allSlots = Array.from({ length: o.clusterSlots }, (_, i) => i);
      return fc
        .record({
          slots: pinned
            ? fc.shuffledSubarray(allSlots, { minLength: n, maxLength: n })
            : fc.constant(undefined as number[] | undefined),
          connected: connectedArb(net.vpcBlock),
        })
        .chain(({ slots, connected }) =>
          fc
            .tuple(...Array.from({ length: n }, (_, i) => clusterArb(base, i, slots?.[i])))
            .map((clusters): EnvironmentInput => ({ ...base, connectedRanges: connected, clusters })),
        );
    });
}

// ---------------------------------------------------------------------------------------------
// Growth: changes that must not move any range an earlier plan allocated.

export type Growth =
  | { kind: "zone" }
  | { kind: "cluster"; cluster: ClusterInput }
  | { kind: "pool"; cluster: number; pool: PoolInput }
  | { kind: "raise"; cluster: number; pool: number; by: number };

/** Slots the spec's clusters take (pinned or positional). */
export function usedSlots(spec: EnvironmentInput): number[] {
  return (spec.clusters ?? []).map((c, i) => c.slot ?? i);
}

/** One growth step applicable to `spec`: a zone appended, a cluster appended, a pool added, a max size raised. */
export function growthArb(spec: EnvironmentInput): fc.Arbitrary<Growth> {
  const clusters = spec.clusters ?? [];
  const o = layoutOracle(spec);
  const options: fc.Arbitrary<Growth>[] = [fc.constant({ kind: "zone" } as const)];
  const used = usedSlots(spec);
  // The appended cluster takes the next position; pin a free slot when earlier ones are pinned.
  const position = clusters.length;
  const free = Array.from({ length: o.clusterSlots }, (_, i) => i).filter((s) => !used.includes(s));
  if (free.length > 0) {
    const slot = used.includes(position) ? free[0] : undefined;
    options.push(clusterArb(spec, position, slot).map((cluster) => ({ kind: "cluster", cluster }) as const));
  }
  if (clusters.length > 0) {
    options.push(
      fc.integer({ min: 0, max: clusters.length - 1 }).chain((ci) => {
        const c = clusters[ci] as ClusterInput;
        return poolArb(spec, c, (c.nodePools ?? []).length, 50).map(
          (pool) => ({ kind: "pool", cluster: ci, pool }) as const,
        );
      }),
    );
    const withPools = clusters.flatMap((c, ci) => ((c.nodePools ?? []).length > 0 ? [ci] : []));
    if (withPools.length > 0) {
      options.push(
        fc
          .record({
            ci: fc.constantFrom(...withPools),
            pick: fc.nat(),
            by: fc.integer({ min: 1, max: 10_000 }),
          })
          .map(({ ci, pick, by }) => {
            const pools = (clusters[ci] as ClusterInput).nodePools ?? [];
            return { kind: "raise", cluster: ci, pool: pick % pools.length, by } as const;
          }),
      );
    }
  }
  return fc.oneof(...options);
}

/** Apply a growth step to a copy of `spec`. */
export function grow(spec: EnvironmentInput, g: Growth): EnvironmentInput {
  const next = structuredClone(spec);
  const clusters = next.clusters ?? [];
  next.clusters = clusters;
  switch (g.kind) {
    case "zone": {
      let i = next.zones.length;
      while (next.zones.includes(zoneName(next.cloud, i))) i++;
      next.zones.push(zoneName(next.cloud, i));
      break;
    }
    case "cluster":
      clusters.push(structuredClone(g.cluster));
      break;
    case "pool": {
      const c = clusters[g.cluster] as ClusterInput;
      const pools = c.nodePools ?? [];
      pools.push({ ...structuredClone(g.pool), name: `pool-${pools.length}-grown` });
      c.nodePools = pools;
      break;
    }
    case "raise": {
      const p = ((clusters[g.cluster] as ClusterInput).nodePools ?? [])[g.pool] as PoolInput;
      p.maxSize += g.by;
      break;
    }
  }
  return next;
}

/** A spec and 1–3 successive growth steps. */
export function grownSpecArb(opts: EnvSpecOptions = {}): fc.Arbitrary<{
  spec: EnvironmentInput;
  steps: Growth[];
  grown: EnvironmentInput;
}> {
  const step = (
    s: EnvironmentInput,
    left: number,
    steps: Growth[],
  ): fc.Arbitrary<{ steps: Growth[]; grown: EnvironmentInput }> =>
    left === 0
      ? fc.constant({ steps, grown: s })
      : growthArb(s).chain((g) => step(grow(s, g), left - 1, [...steps, g]));
  return fc
    .tuple(envSpecArb(opts), fc.integer({ min: 1, max: 3 }))
    .chain(([spec, n]) => step(spec, n, []).map(({ steps, grown }) => ({ spec, steps, grown })));
}
