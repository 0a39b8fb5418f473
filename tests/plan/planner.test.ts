/**
 * Table tests of the address planner: ACK's worked examples (ACK docs: Plan the network of an ACK cluster), the AWS
 * layout, planner-chosen pod and service CIDRs, adopted vSwitches, dual stack, layout errors
 * and the options (baseline, extra rules).
 */

import type { Diagnostic, EnvironmentPlan } from "@kubeplat/plan";
import {
  computeLayout,
  type EnvironmentInput,
  networkFactsFromPlan,
  parseEnvironment,
  planEnvironment,
  planFromSpec,
} from "@kubeplat/plan";
import { describe, expect, it } from "vitest";

const pool = (name: string, maxSize: number, zones?: string[]) => ({
  name,
  minSize: 0,
  maxSize,
  instanceTypes: ["ecs.g7.xlarge"],
  ...(zones ? { zones } : {}),
});

function alicloud(extra: Partial<EnvironmentInput> = {}): EnvironmentInput {
  return {
    name: "prod",
    cloud: "alicloud",
    region: "cn-hangzhou",
    zones: ["cn-hangzhou-i"],
    vpc: { cidr: "192.168.0.0/16" },
    clusters: [],
    ...extra,
  };
}

function plan(spec: EnvironmentInput, options = {}): EnvironmentPlan {
  const r = planFromSpec(spec, options);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.plan;
}
const rules = (p: EnvironmentPlan) => p.diagnostics.map((d) => d.rule);
const show = (ds: Diagnostic[]) => ds.map((d) => `${d.rule} ${d.path}: ${d.message}`);

/** ACK's Terway layout: one /16 cluster slot, /18 zone slots, /19 node and pod vSwitches. */
const ACK_TERWAY_LAYOUT = { clusterPrefix: 16, zonePrefix: 18, nodePrefix: 19, podPrefix: 19 };

describe("ACK worked examples (ACK docs: Plan the network of an ACK cluster)", () => {
  it("Flannel: VPC 192.168.0.0/16, vSwitch 192.168.0.0/24, pod 172.20.0.0/16, service 172.21.0.0/20: 65,536 pods", () => {
    const p = plan(
      alicloud({
        vpc: { cidr: "192.168.0.0/16", layout: { nodePrefix: 24 } },
        clusters: [
          {
            name: "dev",
            cni: "flannel",
            podCidr: "172.20.0.0/16",
            serviceCidr: "172.21.0.0/20",
            nodePools: [pool("default", 10)],
          },
        ],
      }),
    );
    expect(show(p.diagnostics)).toEqual([]);
    expect(p.allocations).toEqual({
      "vswitch:dev/cn-hangzhou-i/node": "192.168.0.0/24",
      "pod:dev": "172.20.0.0/16",
      "service:dev": "172.21.0.0/20",
    });
    const c = p.clusters[0];
    // ACK docs: Network overview: "最大可分配Pod地址数 65536".
    expect(c?.capacity.podAddresses).toBe(65536);
    // /26 per node (default nodeCidrMask) in a /16: 1,024 nodes, 64 pods each.
    expect(c?.nodeCidrMask).toBe(26);
    expect(c?.capacity.flannelNodeSlots).toBe(1024);
    expect(c?.maxPodsPerNode).toBe(64);
    expect(c?.capacity.maxPods).toBe(640);
    expect(c?.capacity.zones).toEqual([
      { zone: "cn-hangzhou-i", plannedNodes: 10, nodeCapacity: 252, plannedPods: 640, freeAddresses: 242 },
    ]);
  });

  it("Terway: node vSwitch 192.168.0.0/19 and pod vSwitch 192.168.32.0/19 hold 8,192 pods in the zone", () => {
    const p = plan(
      alicloud({
        vpc: { cidr: "192.168.0.0/16", layout: ACK_TERWAY_LAYOUT },
        clusters: [
          { name: "prod", cni: "terway", serviceCidr: "172.21.0.0/20", nodePools: [pool("default", 100)] },
        ],
      }),
    );
    expect(show(p.diagnostics)).toEqual([]);
    expect(p.vswitches.map((v) => [v.key, v.cidr, v.usableAddresses])).toEqual([
      ["prod/cn-hangzhou-i/node", "192.168.0.0/19", 8188],
      ["prod/cn-hangzhou-i/pod", "192.168.32.0/19", 8188],
    ]);
    expect(p.clusters[0]?.slotCidr).toBe("192.168.0.0/16");
    // ACK docs: Plan the network of an ACK cluster counts the pod vSwitch's block, 8,192 addresses; the capacity report counts
    // what pods can use, the block minus Alibaba Cloud's 4 reserved addresses (ACK docs: Network overview).
    const zone = p.clusters[0]?.capacity.zones[0];
    expect(zone?.podCapacity).toBe(8192 - 4);
    expect(zone).toEqual({
      zone: "cn-hangzhou-i",
      plannedNodes: 100,
      nodeCapacity: 8188,
      plannedPods: 6400,
      podCapacity: 8188,
      freeAddresses: 8188 - 100 + (8188 - 6400),
    });
    expect(p.vpc.freeAddresses).toBe(65536 - 2 * 8192);
  });

  it("Terway: 128 nodes × 64 pods fill the 8,192-address block but not its 8,188 usable addresses", () => {
    const spec = (n: number) =>
      alicloud({
        vpc: { cidr: "192.168.0.0/16", layout: ACK_TERWAY_LAYOUT },
        clusters: [
          { name: "prod", cni: "terway", serviceCidr: "172.21.0.0/20", nodePools: [pool("default", n)] },
        ],
      });
    expect(show(plan(spec(127)).diagnostics)).toEqual([]);
    const over = plan(spec(128)).diagnostics;
    expect(show(over)).toEqual([
      'cidr/pod-capacity plan.clusters["prod"].zones["cn-hangzhou-i"]: Terway pod vSwitches 192.168.32.0/19 in zone cn-hangzhou-i hold 8,188 pods; the zone plans 8,192 (128 nodes × 64 pods) (cluster "prod")',
    ]);
  });

  it("Terway, two zones: I 192.168.0.0/19 + 192.168.32.0/19, J 192.168.64.0/19 + 192.168.96.0/19", () => {
    const p = plan(
      alicloud({
        zones: ["cn-hangzhou-i", "cn-hangzhou-j"],
        vpc: { cidr: "192.168.0.0/16", layout: ACK_TERWAY_LAYOUT },
        clusters: [
          { name: "prod", cni: "terway", serviceCidr: "172.21.0.0/20", nodePools: [pool("default", 200)] },
        ],
      }),
    );
    expect(show(p.diagnostics)).toEqual([]);
    expect(p.allocations).toEqual({
      "vswitch:prod/cn-hangzhou-i/node": "192.168.0.0/19",
      "vswitch:prod/cn-hangzhou-i/pod": "192.168.32.0/19",
      "vswitch:prod/cn-hangzhou-j/node": "192.168.64.0/19",
      "vswitch:prod/cn-hangzhou-j/pod": "192.168.96.0/19",
      "service:prod": "172.21.0.0/20",
    });
    // 200 nodes spread over two zones: 100 each, 6,400 pods of 8,188 per zone.
    expect(
      p.clusters[0]?.capacity.zones.map((z) => [z.zone, z.plannedNodes, z.plannedPods, z.podCapacity]),
    ).toEqual([
      ["cn-hangzhou-i", 100, 6400, 8188],
      ["cn-hangzhou-j", 100, 6400, 8188],
    ]);
  });
});

describe("default layouts", () => {
  it("Alibaba Cloud /16: cluster /18, zone /20, node /22 at the start, Terway pod /21 in the second half", () => {
    const p = plan(
      alicloud({
        vpc: { cidr: "10.0.0.0/16" },
        zones: ["a", "b"],
        clusters: [
          { name: "one", nodePools: [] },
          { name: "two", nodePools: [] },
        ],
      }),
    );
    expect(p.clusters.map((c) => [c.name, c.slot, c.slotCidr, c.cni])).toEqual([
      ["one", 0, "10.0.0.0/18", "terway"],
      ["two", 1, "10.0.64.0/18", "terway"],
    ]);
    expect(p.vswitches.map((v) => `${v.key} ${v.cidr}`)).toEqual([
      "one/a/node 10.0.0.0/22",
      "one/a/pod 10.0.8.0/21",
      "one/b/node 10.0.16.0/22",
      "one/b/pod 10.0.24.0/21",
      "two/a/node 10.0.64.0/22",
      "two/a/pod 10.0.72.0/21",
      "two/b/node 10.0.80.0/22",
      "two/b/pod 10.0.88.0/21",
    ]);
    // Pod vSwitches of /21 are below Terway's recommended /19: advisories, not errors.
    expect(new Set(rules(p))).toEqual(new Set(["cidr/terway-pod-vswitch-small"]));
    expect(p.diagnostics.every((d) => d.severity === "advisory")).toBe(true);
  });

  it("AWS /16: node subnet /21 (nodes and VPC-CNI pods) and public /23 per zone, 5 reserved per subnet", () => {
    const p = plan({
      name: "prod",
      cloud: "aws",
      region: "us-east-1",
      zones: ["us-east-1a", "us-east-1b"],
      vpc: { cidr: "10.0.0.0/16" },
      clusters: [{ name: "eks", maxPodsPerNode: 29, nodePools: [pool("default", 60)] }],
    });
    expect(show(p.diagnostics)).toEqual([]);
    expect(p.vswitches.map((v) => [v.key, v.cidr, v.usableAddresses])).toEqual([
      ["eks/us-east-1a/node", "10.0.0.0/21", 2043],
      ["eks/us-east-1a/public", "10.0.8.0/23", 507],
      ["eks/us-east-1b/node", "10.0.16.0/21", 2043],
      ["eks/us-east-1b/public", "10.0.24.0/23", 507],
    ]);
    expect(p.clusters[0]?.cni).toBe("vpc-cni");
    // 30 nodes a zone: 30 node addresses and 870 pod addresses of 2,043.
    expect(p.clusters[0]?.capacity.zones[0]).toEqual({
      zone: "us-east-1a",
      plannedNodes: 30,
      nodeCapacity: 2043,
      plannedPods: 870,
      podCapacity: 2013,
      freeAddresses: 2043 - 30 - 870,
    });
  });

  it("computeLayout: defaults, the /16 vSwitch clamp of a large VPC, and the AWS roles", () => {
    const layout = (spec: EnvironmentInput) => {
      const parsed = parseEnvironment(spec);
      if (!parsed.ok) throw new Error("bad fixture");
      const out: Diagnostic[] = [];
      const l = computeLayout(parsed.env, out);
      expect(out).toEqual([]);
      return l && { ...l, vpc: l.vpc.text };
    };
    expect(layout(alicloud({ vpc: { cidr: "10.0.0.0/16" } }))).toEqual({
      vpc: "10.0.0.0/16",
      clusterPrefix: 18,
      zonePrefix: 20,
      blocks: { node: { prefix: 22, offset: 0n }, pod: { prefix: 21, offset: 2048n } },
      clusterSlots: 4,
      zoneSlots: 4,
    });
    // A /8 would give /14 and /13 vSwitches; Alibaba Cloud's largest is /16.
    expect(layout(alicloud({ vpc: { cidr: "10.0.0.0/8" } }))?.blocks).toEqual({
      node: { prefix: 16, offset: 0n },
      pod: { prefix: 16, offset: 65536n },
    });
    expect(
      layout({ name: "x", cloud: "aws", region: "r", zones: ["a"], vpc: { cidr: "10.0.0.0/16" } })?.blocks,
    ).toEqual({ node: { prefix: 21, offset: 0n }, public: { prefix: 23, offset: 2048n } });
  });
});

describe("planner-chosen pod and service CIDRs", () => {
  it("take the slot's /16s from 172.16.0.0/12 outside the VPC and every connected range", () => {
    const p = plan(
      alicloud({
        vpc: { cidr: "172.16.0.0/16" },
        connectedRanges: [{ name: "idc", cidr: "172.18.0.0/15", kind: "leased-line" }],
        clusters: [
          { name: "a", cni: "flannel", nodePools: [] },
          { name: "b", cni: "flannel", nodePools: [] },
        ],
      }),
    );
    expect(show(p.diagnostics.filter((d) => d.severity === "mandatory"))).toEqual([]);
    expect(p.clusters.map((c) => [c.podCidr, c.serviceCidr])).toEqual([
      ["172.17.0.0/16", "172.20.0.0/20"],
      ["172.21.0.0/16", "172.22.0.0/20"],
    ]);
  });

  it("depend on the slot, not the position: a pinned slot keeps its ranges", () => {
    const p = plan(alicloud({ clusters: [{ name: "b", slot: 1, cni: "flannel", nodePools: [] }] }));
    expect(p.clusters[0]).toMatchObject({
      slot: 1,
      slotCidr: "192.168.64.0/18",
      podCidr: "172.18.0.0/16",
      serviceCidr: "172.19.0.0/20",
    });
  });

  it("report a cluster the private ranges have no free /16 left for (no silent empty CIDR)", () => {
    const p = plan(
      alicloud({
        connectedRanges: [
          { name: "idc-10", cidr: "10.0.0.0/8" },
          { name: "idc-172", cidr: "172.16.0.0/12" },
        ],
        clusters: [{ name: "dev", cni: "flannel", nodePools: [] }],
      }),
    );
    const found = p.diagnostics.filter((d) => d.severity === "mandatory");
    // Each exhaustion under its own rule: the service CIDR's is not a pod-capacity problem.
    expect(found.map((d) => `${d.rule} ${d.path}`).sort()).toEqual([
      "cidr/pod-capacity clusters[0].podCidr",
      "cidr/service-overlaps-vpc clusters[0].serviceCidr",
    ]);
    for (const d of found) {
      expect(d.message).toContain('cluster "dev"');
      expect(d.message).toContain("172.16.0.0/12, 10.0.0.0/8, 192.168.0.0/16");
    }
  });

  it("share the last free /16 with the smallest blocks that hold the cluster", () => {
    // VPC 10.0.0.0/8 and a connected 172.16.0.0/12 leave one private /16: 192.168.0.0/16.
    const spec = (clusters: EnvironmentInput["clusters"]) =>
      alicloud({
        vpc: { cidr: "10.0.0.0/8" },
        connectedRanges: [{ name: "idc", cidr: "172.16.0.0/12", kind: "leased-line" }],
        clusters,
      });
    const p = plan(spec([{ name: "dev", cni: "flannel", nodeCidrMask: 26, nodePools: [pool("p", 10)] }]));
    expect(show(p.diagnostics.filter((d) => d.severity === "mandatory"))).toEqual([]);
    // 48 nodes (the route-entry quota bounds a Flannel cluster) × /26 = a /20, and a /20 service range.
    expect(p.clusters.map((c) => [c.podCidr, c.serviceCidr, c.capacity.flannelNodeSlots])).toEqual([
      ["192.168.0.0/20", "192.168.16.0/20", 64],
    ]);
    // A Terway cluster needs only the service range; a second cluster takes the next blocks and
    // moves nothing of the first; a larger pool (within the quota) moves nothing either.
    const grown = plan(
      spec([
        { name: "dev", cni: "flannel", nodeCidrMask: 26, nodePools: [pool("p", 40)] },
        { name: "two", cni: "terway", nodePools: [pool("p", 3)] },
      ]),
    );
    expect(grown.clusters.map((c) => [c.podCidr, c.serviceCidr])).toEqual([
      ["192.168.0.0/20", "192.168.16.0/20"],
      [undefined, "192.168.32.0/20"],
    ]);
  });

  it("a cluster slot past the whole /16s (slot 300 of 4,096 in a /8) shares what the earlier slots leave", () => {
    const p = plan(
      alicloud({
        vpc: { cidr: "10.0.0.0/8", layout: { clusterPrefix: 20 } },
        clusters: [{ name: "far", slot: 300, nodePools: [] }],
      }),
    );
    expect(p.clusters[0]?.slotCidr).toBe("10.18.192.0/20");
    // 172.16.0.0/12 holds eight slots' pairs of /16s; slot 0's service /16 (172.17.0.0/16) keeps
    // only its first /20 for slot 0, and the rest is shared.
    expect(show(p.diagnostics.filter((d) => d.severity === "mandatory"))).toEqual([]);
    expect(p.clusters[0]?.serviceCidr).toBe("172.17.16.0/20");
  });

  it("dual stack: an IPv6 service /112 per slot inside fd00::/8, and an IPv6 /64 index per vSwitch", () => {
    const p = plan(
      alicloud({
        zones: ["a", "b"],
        clusters: [
          { name: "one", ipStack: "dual", nodePools: [] },
          { name: "two", ipStack: "dual", nodePools: [] },
        ],
      }),
    );
    expect(show(p.diagnostics.filter((d) => d.severity === "mandatory"))).toEqual([]);
    expect(p.clusters.map((c) => c.ipv6ServiceCidr)).toEqual(["fd00::/112", "fd00::1:0/112"]);
    expect(p.allocations["service6:two"]).toBe("fd00::1:0/112");
    // (slot × zone slots + zone) × 4 + role: unique per vSwitch.
    expect(p.vswitches.map((v) => [v.key, v.ipv6Index])).toEqual([
      ["one/a/node", 0],
      ["one/a/pod", 1],
      ["one/b/node", 4],
      ["one/b/pod", 5],
      ["two/a/node", 16],
      ["two/a/pod", 17],
      ["two/b/node", 20],
      ["two/b/pod", 21],
    ]);
  });
});

describe("explicit values and adopted vSwitches", () => {
  it("an explicit pod CIDR over the VPC is cidr/pod-overlaps-vpc at the spec path", () => {
    const p = plan(
      alicloud({ clusters: [{ name: "dev", cni: "flannel", podCidr: "192.168.128.0/17", nodePools: [] }] }),
    );
    const d = p.diagnostics.find((x) => x.rule === "cidr/pod-overlaps-vpc");
    expect(d).toMatchObject({ severity: "mandatory", path: "clusters[0].podCidr", resource: "dev" });
    expect(d?.message).toBe('pod CIDR 192.168.128.0/17 overlaps vpc 192.168.0.0/16 (cluster "dev")');
  });

  it("a planner-chosen range is reported at its plan path", () => {
    const parsed = parseEnvironment(alicloud({ clusters: [{ name: "dev", cni: "flannel", nodePools: [] }] }));
    if (!parsed.ok) throw new Error("bad fixture");
    const facts = networkFactsFromPlan(parsed.env, planEnvironment(parsed.env));
    expect(facts.clusters[0]?.podCidr).toEqual({
      cidr: "172.16.0.0/16",
      path: 'plan.clusters["dev"].podCidr',
    });
    expect(facts.clusters[0]?.serviceCidr?.path).toBe('plan.clusters["dev"].serviceCidr');
    expect(facts.vswitches[0]?.path).toBe('plan.vswitches["dev/cn-hangzhou-i/node"]');
    expect(facts.vswitches[0]?.reserved).toBe(4);
  });

  it("adopts existing vSwitches: a cluster's own, and a shared one listed once", () => {
    const p = plan(
      alicloud({
        zones: ["i", "j"],
        vpc: {
          cidr: "192.168.0.0/16",
          existingVSwitches: [
            { id: "vsw-node-i", zone: "i", cidr: "192.168.200.0/24", role: "node", cluster: "a" },
            { id: "vsw-pods-j", zone: "j", cidr: "192.168.224.0/19", role: "pod" },
          ],
        },
        clusters: [
          { name: "a", nodePools: [] },
          { name: "b", nodePools: [] },
        ],
      }),
    );
    expect(p.vswitches.filter((v) => v.existingId).map((v) => [v.key, v.cidr, v.existingId])).toEqual([
      ["shared/j/pod", "192.168.224.0/19", "vsw-pods-j"],
      ["a/i/node", "192.168.200.0/24", "vsw-node-i"],
    ]);
    expect(p.clusters.map((c) => c.vswitchKeys)).toEqual([
      ["a/i/node", "a/i/pod", "a/j/node", "shared/j/pod"],
      ["b/i/node", "b/i/pod", "b/j/node", "shared/j/pod"],
    ]);
    expect(p.allocations["vswitch:shared/j/pod"]).toBe("192.168.224.0/19");
    expect(show(p.diagnostics.filter((d) => d.severity === "mandatory"))).toEqual([]);
  });

  it("a declared vSwitch the cluster cannot use is reported, never dropped", () => {
    const p = plan(
      alicloud({
        zones: ["i", "j", "k"],
        vpc: {
          cidr: "192.168.0.0/16",
          existingVSwitches: [
            { id: "vsw-node-k", zone: "k", cidr: "192.168.200.0/24", role: "node", cluster: "a" },
            { id: "vsw-pod-k", zone: "k", cidr: "192.168.224.0/19", role: "pod", cluster: "a" },
            { id: "vsw-node-i", zone: "i", cidr: "192.168.201.0/24", role: "node", cluster: "a" },
            { id: "vsw-node-i2", zone: "i", cidr: "192.168.202.0/24", role: "node", cluster: "a" },
            { id: "vsw-pod-f", zone: "i", cidr: "192.168.203.0/24", role: "pod", cluster: "f" },
            { id: "vsw-ghost", zone: "i", cidr: "192.168.204.0/24", role: "node", cluster: "ghost" },
          ],
        },
        clusters: [
          { name: "a", zones: ["i", "j"], nodePools: [] },
          { name: "f", cni: "flannel", nodePools: [] },
        ],
      }),
    );
    const ds = p.diagnostics.filter((d) => d.path.startsWith("vpc.existingVSwitches"));
    expect(ds.map((d) => [d.rule, d.severity, d.path])).toEqual([
      ["cluster/zones", "mandatory", "vpc.existingVSwitches[0].zone"],
      ["cidr/terway-zone-mismatch", "mandatory", "vpc.existingVSwitches[1].zone"],
      ["spec/schema", "mandatory", "vpc.existingVSwitches[3]"],
      ["spec/schema", "mandatory", "vpc.existingVSwitches[4].role"],
      ["spec/schema", "mandatory", "vpc.existingVSwitches[5].cluster"],
    ]);
    expect(ds[0]?.message).toBe(
      'existing node vSwitch vsw-node-k is declared for cluster "a" in zone k, which the cluster does not span (its zones: i, j); add k to clusters[0].zones or remove the declaration',
    );
    expect(ds[1]?.message).toContain("vsw-pod-k");
    expect(ds[3]?.message).toContain("flannel");
    // The one it can use is used.
    expect(p.clusters[0]?.vswitchKeys).toContain("a/i/node");
    expect(p.vswitches.find((v) => v.key === "a/i/node")?.existingId).toBe("vsw-node-i");
  });

  it("an adopted vSwitch outside the VPC is reported at its spec path", () => {
    const p = plan(
      alicloud({
        vpc: {
          cidr: "192.168.0.0/16",
          existingVSwitches: [
            { id: "vsw-1", zone: "cn-hangzhou-i", cidr: "10.1.0.0/24", role: "node", cluster: "a" },
          ],
        },
        clusters: [{ name: "a", nodePools: [] }],
      }),
    );
    const d = p.diagnostics.find((x) => x.rule === "cidr/vswitch-outside-vpc");
    expect(d?.path).toBe("vpc.existingVSwitches[0].cidr");
    expect(d?.message).toBe(
      "vSwitch a/cn-hangzhou-i/node 10.1.0.0/24 is not inside vpc vpc (192.168.0.0/16)",
    );
  });
});

describe("bad specs give diagnostics, not exceptions", () => {
  it.each([
    ["10.0.0.0/30", "vpc.layout"],
    ["10.0.0.0/32", "vpc.layout"],
    ["10.0.0.0/26", "vpc.layout"],
  ])("a VPC %s too small for the layout is cidr/invalid under %s", (cidr, path) => {
    const p = plan(alicloud({ vpc: { cidr }, clusters: [{ name: "a", nodePools: [] }] }));
    const found = p.diagnostics.filter((d) => d.rule === "cidr/invalid");
    expect(found.length).toBeGreaterThan(0);
    for (const d of found) {
      expect(d.path.startsWith(path)).toBe(true);
      expect(d.message).toContain(cidr);
    }
    expect(p.vswitches).toEqual([]);
  });

  it.each([
    [{ zonePrefix: 40 }, "vpc.layout.zonePrefix", "/40"],
    [{ clusterPrefix: 100 }, "vpc.layout.clusterPrefix", "/100"],
    [{ nodePrefix: 100 }, "vpc.layout.nodePrefix", "/100"],
    [{ podPrefix: 33 }, "vpc.layout.podPrefix", "/33"],
    [{ clusterPrefix: 12 }, "vpc.layout.clusterPrefix", "/12"],
    [{ clusterPrefix: 20, zonePrefix: 18 }, "vpc.layout.zonePrefix", "/18"],
    [
      { zonePrefix: 20, nodePrefix: 20, podPrefix: 20 },
      "vpc.layout.zonePrefix",
      "do not fit a /20 zone slot",
    ],
  ])("layout %j is cidr/invalid at %s naming %s", (layout, path, named) => {
    const p = plan(
      alicloud({ vpc: { cidr: "192.168.0.0/16", layout }, clusters: [{ name: "a", nodePools: [] }] }),
    );
    const d = p.diagnostics.find((x) => x.rule === "cidr/invalid" && x.path === path);
    expect(show(p.diagnostics)).toContainEqual(expect.stringContaining(path));
    expect(d?.severity).toBe("mandatory");
    expect(d?.message).toContain(named);
    expect(p.vswitches).toEqual([]);
  });

  it("an IPv6 VPC CIDR is cidr/invalid: the VPC's primary CIDR must be IPv4", () => {
    const p = plan(alicloud({ vpc: { cidr: "fd00::/48" }, clusters: [{ name: "a", nodePools: [] }] }));
    expect(show(p.diagnostics)).toContain("cidr/invalid vpc.cidr: VPC CIDR fd00::/48 must be IPv4");
  });

  it.each([
    [
      "vpc.secondaryCidrs[0]",
      { vpc: { cidr: "192.168.0.0/16", secondaryCidrs: ["fd00::/64"] } },
      "fd00::/64",
    ],
    [
      "clusters[0].podCidr",
      { clusters: [{ name: "a", cni: "flannel" as const, podCidr: "fd00:1::/64" }] },
      "fd00:1::/64",
    ],
    [
      "clusters[0].serviceCidr",
      { clusters: [{ name: "a", serviceCidr: "2001:db8::/112" }] },
      "2001:db8::/112",
    ],
    [
      "vpc.existingVSwitches[0].cidr",
      {
        vpc: {
          cidr: "192.168.0.0/16",
          existingVSwitches: [{ id: "v", zone: "cn-hangzhou-i", cidr: "fd00::/64", role: "node" as const }],
        },
      },
      "fd00::/64",
    ],
  ])("IPv6 in the IPv4 field %s is cidr/invalid naming the value", (path, extra, value) => {
    const p = plan(alicloud({ clusters: [{ name: "a", nodePools: [] }], ...extra }));
    const d = p.diagnostics.find((x) => x.rule === "cidr/invalid" && x.path === path);
    expect(d, show(p.diagnostics).join("\n")).toBeDefined();
    expect(d?.message).toContain(value);
    expect(d?.message).toContain("IPv4");
  });

  it.each([
    ["serviceCidr", { name: "a", serviceCidr: "" }],
    ["podCidr", { name: "a", cni: "flannel" as const, podCidr: "" }],
    ["ipv6ServiceCidr", { name: "a", ipStack: "dual" as const, ipv6ServiceCidr: "" }],
  ])('an explicit empty %s is cidr/invalid at the spec path, not "absent"', (field, cluster) => {
    const p = plan(alicloud({ clusters: [cluster] }));
    expect(show(p.diagnostics.filter((d) => d.severity === "mandatory"))).toEqual([
      `cidr/invalid clusters[0].${field}: "" is not a CIDR block`,
    ]);
  });

  it("a fifth cluster past the four default slots, and a fifth zone, are cidr/pod-capacity", () => {
    const p = plan(
      alicloud({
        zones: ["a", "b", "c", "d", "e"],
        clusters: ["c0", "c1", "c2", "c3", "c4"].map((name) => ({ name, nodePools: [] })),
      }),
    );
    const found = show(p.diagnostics.filter((d) => d.rule === "cidr/pod-capacity"));
    expect(found).toContain(
      'cidr/pod-capacity clusters[4].slot: cluster "c4" takes slot 4, but vpc 192.168.0.0/16 has 4 cluster slots of /18',
    );
    expect(found).toContain(
      "cidr/pod-capacity zones: zone e is zone slot 4, but a /18 cluster slot has 4 zone slots of /20",
    );
    // The first four clusters and zones are planned as usual.
    expect(p.allocations["vswitch:c3/d/pod"]).toBe("192.168.248.0/21");
    expect(p.allocations["vswitch:c3/e/node"]).toBeUndefined();
  });

  it("a cluster naming a zone the environment lacks is cluster/zones", () => {
    const p = plan(
      alicloud({ clusters: [{ name: "a", zones: ["cn-hangzhou-i", "cn-hangzhou-x"], nodePools: [] }] }),
    );
    expect(show(p.diagnostics.filter((d) => d.rule === "cluster/zones"))).toEqual([
      'cluster/zones clusters[0].zones: cluster "a" names zones cn-hangzhou-x that are not among the environment\'s zones (cn-hangzhou-i)',
    ]);
    expect(p.clusters[0]?.zones).toEqual(["cn-hangzhou-i"]);
  });

  it("a schema error comes back as spec/schema diagnostics, without a plan", () => {
    const r = planFromSpec({ ...alicloud(), zones: [] }, {}, "stacks/Pulumi.prod.yaml");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => [d.rule, d.path, d.resource])).toEqual([
      ["spec/schema", "zones", "stacks/Pulumi.prod.yaml"],
    ]);
  });
});

describe("options", () => {
  it("baseline: a moved range is cidr/plan-renumbered, a grown plan is not", () => {
    const base = alicloud({ zones: ["i", "j"], clusters: [{ name: "a", nodePools: [] }] });
    const baseline = plan(base).allocations;
    const grown = plan({ ...base, zones: ["i", "j", "k"] }, { baseline });
    expect(rules(grown)).not.toContain("cidr/plan-renumbered");
    const reordered = plan({ ...base, zones: ["j", "i"] }, { baseline });
    const moved = reordered.diagnostics.filter((d) => d.rule === "cidr/plan-renumbered");
    expect(moved.map((d) => d.path)).toEqual([
      'allocations["vswitch:a/i/node"]',
      'allocations["vswitch:a/i/pod"]',
      'allocations["vswitch:a/j/node"]',
      'allocations["vswitch:a/j/pod"]',
    ]);
    expect(moved[0]?.message).toContain("vswitch:a/i/node moved from 192.168.0.0/22 to 192.168.16.0/22");
    expect(moved[0]?.resource).toBe("prod");
  });

  it("extra rules run over the parsed spec and their diagnostics join the plan's", () => {
    const p = plan(alicloud({ clusters: [{ name: "a", nodePools: [] }] }), {
      extraRules: [
        (env: { clusters: unknown[] }) => [
          {
            rule: "quota/cluster-nodes" as const,
            severity: "mandatory" as const,
            resource: "x",
            path: "clusters",
            message: `${env.clusters.length} cluster(s) seen`,
          },
        ],
      ],
    });
    expect(show(p.diagnostics)).toContain("quota/cluster-nodes clusters: 1 cluster(s) seen");
  });
});
