/**
 * Every cidr/* rule over hand-built NetworkFacts: a violating case (rule id, severity, path and
 * the conflicting values in the message), a compliant case, and unknown leaves (undefined)
 * that produce nothing.
 */

import {
  ACK_CONTROL_PLANE_RANGE,
  type ClusterNetworkFacts,
  checkApiAclMissingRanges,
  checkApiVip,
  checkInvalid,
  checkIpv6ServiceRange,
  checkKubeOvnJoinOverlap,
  checkNetwork,
  checkOverlapsPeer,
  checkPlanRenumbered,
  checkPodCapacity,
  checkPodOverlapsCluster,
  checkPodOverlapsService,
  checkPodOverlapsVpc,
  checkServiceOverlapsVpc,
  checkServiceShared,
  checkSharedVpcNeedsTerway,
  checkTerwayPodVSwitchSmall,
  checkTerwayZoneMismatch,
  checkVpcReservedRange,
  checkVSwitchOutsideVpc,
  checkVSwitchOverlap,
  cidrRules,
  compareKubernetesVersion,
  type Diagnostic,
  type NetworkFacts,
  RULES,
  type VSwitchFacts,
} from "@kubeplat/plan";
import { describe, expect, it } from "vitest";

// ---------------------------------------------------------------------------------------------
// Fixtures: one VPC 192.168.0.0/16 with a Terway cluster "prod" (ACK's worked example, ACK docs: Plan the network of an ACK cluster) and a Flannel cluster "dev" (pod 172.20.0.0/16, service 172.21.0.0/20, ACK docs: Network overview).

function vpc(cidr: string | undefined, extra: Partial<NetworkFacts["vpcs"][number]> = {}) {
  return { resource: "vpc", id: "vpc-1", primary: { cidr, path: "vpc.cidr" }, ...extra };
}

function vswitch(
  resource: string,
  cidr: string | undefined,
  extra: Partial<VSwitchFacts> = {},
): VSwitchFacts {
  return { resource, path: `vswitches.${resource}`, cidr, vpc: "vpc-1", reserved: 4, ...extra };
}

function terway(extra: Partial<ClusterNetworkFacts> = {}): ClusterNetworkFacts {
  return {
    resource: "prod",
    name: "prod",
    path: "clusters[0]",
    vpc: "vpc-1",
    cni: "terway",
    ipStack: "ipv4",
    kubernetesVersion: "1.31.1-aliyun.1",
    serviceCidr: { cidr: "172.21.0.0/20", path: "clusters[0].serviceCidr" },
    maxPodsPerNode: 64,
    maxNodes: 100,
    reservedPerVSwitch: 4,
    zones: [
      {
        zone: "cn-hangzhou-i",
        path: "clusters[0].zones[0]",
        nodeCidrs: ["192.168.0.0/19"],
        podCidrs: ["192.168.32.0/19"],
        plannedNodes: 100,
      },
    ],
    ...extra,
  };
}

function flannel(extra: Partial<ClusterNetworkFacts> = {}): ClusterNetworkFacts {
  return {
    resource: "dev",
    name: "dev",
    path: "clusters[1]",
    vpc: "vpc-1",
    cni: "flannel",
    ipStack: "ipv4",
    podCidr: { cidr: "172.20.0.0/16", path: "clusters[1].podCidr" },
    serviceCidr: { cidr: "172.21.0.0/20", path: "clusters[1].serviceCidr" },
    nodeCidrMask: 26,
    maxPodsPerNode: 64,
    maxNodes: 10,
    zones: [
      {
        zone: "cn-hangzhou-i",
        path: "clusters[1].zones[0]",
        nodeCidrs: ["192.168.64.0/24"],
        plannedNodes: 10,
      },
    ],
    ...extra,
  };
}

function facts(f: Partial<NetworkFacts> = {}): NetworkFacts {
  return {
    vpcs: [vpc("192.168.0.0/16")],
    vswitches: [
      vswitch("prod-i-node", "192.168.0.0/19", { role: "node", zone: "cn-hangzhou-i", cluster: "prod" }),
      vswitch("prod-i-pod", "192.168.32.0/19", { role: "pod", zone: "cn-hangzhou-i", cluster: "prod" }),
    ],
    clusters: [terway()],
    connected: [],
    ...f,
  };
}

/** The one diagnostic a check returns, with its rule id, severity and path checked. */
function only(ds: Diagnostic[], rule: keyof typeof RULES, path: string): Diagnostic {
  expect(ds.map((d) => `${d.rule} ${d.path}: ${d.message}`)).toHaveLength(1);
  const d = ds[0] as Diagnostic;
  expect(d.rule).toBe(rule);
  expect(d.severity).toBe(RULES[rule].severity);
  expect(d.path).toBe(path);
  return d;
}

describe("the compliant fixture", () => {
  it("passes every cidr/* rule", () => {
    const f = facts({
      vswitches: [
        ...facts().vswitches,
        vswitch("dev-node", "192.168.64.0/24", { role: "node", zone: "cn-hangzhou-i", cluster: "dev" }),
      ],
      clusters: [
        terway(),
        flannel({ serviceCidr: { cidr: "172.22.0.0/20", path: "clusters[1].serviceCidr" } }),
      ],
      connected: [
        {
          resource: "idc",
          name: "idc",
          path: "connectedRanges[0].cidr",
          cidr: "10.0.0.0/8",
          kind: "leased-line",
        },
      ],
    });
    expect(checkNetwork(f)).toEqual([]);
  });

  it("cidrRules holds exactly the cidr/* ids of the catalogue that read NetworkFacts", () => {
    const catalogue = Object.keys(RULES).filter(
      (id) => id.startsWith("cidr/") && id !== "cidr/plan-renumbered",
    );
    expect(Object.keys(cidrRules).sort()).toEqual(catalogue.sort());
  });
});

describe("cidr/invalid", () => {
  it("reports a CIDR with host bits, naming the canonical form, once per field", () => {
    const f = facts({
      vswitches: [vswitch("a", "192.168.0.1/19", { role: "node", zone: "z" })],
      clusters: [
        terway({
          zones: [{ zone: "z", path: "clusters[0].zones[0]", nodeCidrs: ["192.168.0.1/19"], podCidrs: [] }],
        }),
      ],
    });
    const ds = checkInvalid(f);
    expect(ds.map((d) => [d.rule, d.severity, d.path])).toEqual([
      ["cidr/invalid", "mandatory", "vswitches.a"],
      ["cidr/invalid", "mandatory", "clusters[0].zones[0].nodeCidrs[0]"],
    ]);
    expect(ds[0]?.message).toBe('"192.168.0.1/19" has host bits set; the canonical form is 192.168.0.0/19');
  });

  it.each([
    ["10.0.0.0/33", "has prefix /33, longer than an IPv4 address (/32)"],
    ["10.0.0.0", "has no prefix length (expected address/prefix)"],
    ["banana/8", "is not an IPv4 or IPv6 address"],
  ])("reports %s in a VPC, a pod, a service, a connected range, an allow-list", (bad, why) => {
    const f = facts({
      vpcs: [vpc(bad)],
      vswitches: [],
      clusters: [
        flannel({
          podCidr: { cidr: bad, path: "p" },
          serviceCidr: { cidr: bad, path: "s" },
          apiAllowList: { cidrs: [bad], path: "acl" },
          kubeOvn: { joinCidr: { cidr: bad, path: "j" } },
          ipStack: "dual",
          ipv6ServiceCidr: { cidr: bad, path: "s6" },
          zones: [],
        }),
      ],
      connected: [{ resource: "peer", name: "peer", path: "c", cidr: bad }],
    });
    const ds = checkInvalid(f);
    expect(ds.map((d) => d.path).sort()).toEqual(["acl[0]", "c", "j", "p", "s", "s6", "vpc.cidr"]);
    for (const d of ds) expect(d.message).toBe(`"${bad}" ${why}`);
    // An invalid value takes part in no overlap or capacity rule: one typo, one diagnostic per
    // field. (Dual stack on Flannel, and an allow-list holding nothing valid, are real findings.)
    const others = checkNetwork(f).filter((d) => d.rule !== "cidr/invalid");
    expect(others.map((d) => d.rule)).toEqual(["cidr/ipv6-service-range", "cidr/api-acl-missing-ranges"]);
  });

  it("ignores unknown values", () => {
    const f = facts({
      vpcs: [vpc(undefined, { secondary: [{ path: "vpc.secondaryCidrs[0]" }] })],
      vswitches: [vswitch("a", undefined)],
      clusters: [flannel({ podCidr: { path: "p" }, serviceCidr: { path: "s" }, zones: undefined })],
      connected: [{ resource: "peer", name: "peer", path: "c" }],
    });
    expect(checkNetwork(f)).toEqual([]);
  });
});

describe("cidr/vpc-reserved-range", () => {
  it.each(["100.64.0.0/10", "224.0.0.0/4", "127.0.0.0/8", "169.254.0.0/16"])(
    "a VPC overlapping %s is reported (ACK docs: Network overview)",
    (reserved) => {
      const inner = reserved.replace(/\/\d+$/, "/20");
      const d = only(
        checkVpcReservedRange(facts({ vpcs: [vpc(inner)] })),
        "cidr/vpc-reserved-range",
        "vpc.cidr",
      );
      expect(d.message).toContain(`vpc vpc-1 ${inner} overlaps the reserved range ${reserved}`);
    },
  );

  it("checks secondary CIDRs too, and 0.0.0.0/0 hits all four ranges", () => {
    const f = facts({
      vpcs: [vpc("10.0.0.0/8", { secondary: [{ cidr: "0.0.0.0/0", path: "vpc.secondaryCidrs[0]" }] })],
    });
    const ds = checkVpcReservedRange(f);
    expect(ds.map((d) => d.path)).toEqual(Array(4).fill("vpc.secondaryCidrs[0]"));
  });

  it.each(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.128.0.0/16", "11.0.0.0/8"])(
    "%s is allowed",
    (ok) => {
      expect(checkVpcReservedRange(facts({ vpcs: [vpc(ok)] }))).toEqual([]);
    },
  );
});

describe("cidr/vswitch-outside-vpc", () => {
  it("a vSwitch outside the primary and every secondary CIDR is reported with the VPC's ranges", () => {
    const f = facts({
      vpcs: [vpc("192.168.0.0/16", { secondary: [{ cidr: "10.0.0.0/16", path: "vpc.secondaryCidrs[0]" }] })],
      vswitches: [vswitch("in-secondary", "10.0.1.0/24"), vswitch("straddles", "192.168.0.0/15")],
    });
    const d = only(checkVSwitchOutsideVpc(f), "cidr/vswitch-outside-vpc", "vswitches.straddles");
    expect(d.message).toBe(
      "vSwitch straddles 192.168.0.0/15 is not inside vpc vpc-1 (192.168.0.0/16, 10.0.0.0/16)",
    );
  });

  it("unknown VPC CIDRs or an unknown VPC report nothing", () => {
    expect(
      checkVSwitchOutsideVpc(facts({ vpcs: [vpc(undefined)], vswitches: [vswitch("a", "10.0.0.0/24")] })),
    ).toEqual([]);
    expect(
      checkVSwitchOutsideVpc(facts({ vswitches: [vswitch("a", "10.0.0.0/24", { vpc: undefined })] })),
    ).toEqual([]);
  });
});

describe("cidr/vswitch-overlap", () => {
  it("two overlapping vSwitches of one VPC are reported, naming both", () => {
    const f = facts({ vswitches: [vswitch("a", "192.168.0.0/19"), vswitch("b", "192.168.16.0/20")] });
    const d = only(checkVSwitchOverlap(f), "cidr/vswitch-overlap", "vswitches.b");
    expect(d.message).toBe("vSwitch b 192.168.16.0/20 overlaps vSwitch a 192.168.0.0/19 in vpc vpc-1");
  });

  it("adjacent vSwitches, vSwitches of different VPCs or of an unknown VPC are fine", () => {
    expect(checkVSwitchOverlap(facts())).toEqual([]);
    expect(
      checkVSwitchOverlap(
        facts({
          vswitches: [vswitch("a", "192.168.0.0/19"), vswitch("b", "192.168.0.0/19", { vpc: "vpc-2" })],
        }),
      ),
    ).toEqual([]);
    expect(
      checkVSwitchOverlap(
        facts({
          vswitches: [
            vswitch("a", "192.168.0.0/19", { vpc: undefined }),
            vswitch("b", "192.168.0.0/19", { vpc: undefined }),
          ],
        }),
      ),
    ).toEqual([]);
  });
});

describe("cidr/pod-overlaps-vpc", () => {
  it("a Flannel pod CIDR inside the VPC is reported (ACK docs: Create an ACK dedicated cluster)", () => {
    const f = facts({
      vswitches: [],
      clusters: [flannel({ podCidr: { cidr: "192.168.128.0/17", path: "clusters[1].podCidr" } })],
    });
    const d = only(checkPodOverlapsVpc(f), "cidr/pod-overlaps-vpc", "clusters[1].podCidr");
    expect(d.message).toBe('pod CIDR 192.168.128.0/17 overlaps vpc vpc-1 192.168.0.0/16 (cluster "dev")');
  });

  it("a pod CIDR over a vSwitch outside the VPC CIDRs is reported against the vSwitch", () => {
    const f = facts({
      vswitches: [vswitch("stray", "172.20.1.0/24")],
      clusters: [flannel()],
    });
    const d = only(checkPodOverlapsVpc(f), "cidr/pod-overlaps-vpc", "clusters[1].podCidr");
    expect(d.message).toBe('pod CIDR 172.20.0.0/16 overlaps vSwitch stray 172.20.1.0/24 (cluster "dev")');
  });

  it("Terway and VPC-CNI pod CIDRs are not routed ranges; a pod CIDR outside the VPC is fine", () => {
    expect(checkPodOverlapsVpc(facts({ clusters: [flannel()] }))).toEqual([]);
    const t = terway({ podCidr: { cidr: "192.168.0.0/16", path: "x" } });
    expect(checkPodOverlapsVpc(facts({ clusters: [t] }))).toEqual([]);
    expect(checkPodOverlapsVpc(facts({ clusters: [{ ...t, cni: "vpc-cni" }] }))).toEqual([]);
  });
});

describe("cidr/service-overlaps-vpc", () => {
  it("a service CIDR over the VPC is reported (ACK docs: Create an ACK dedicated cluster)", () => {
    const f = facts({
      vswitches: [],
      clusters: [terway({ serviceCidr: { cidr: "192.168.240.0/20", path: "clusters[0].serviceCidr" } })],
    });
    const d = only(checkServiceOverlapsVpc(f), "cidr/service-overlaps-vpc", "clusters[0].serviceCidr");
    expect(d.message).toBe(
      'service CIDR 192.168.240.0/20 overlaps vpc vpc-1 192.168.0.0/16 (cluster "prod")',
    );
  });

  it("a service CIDR outside the VPC, or of a cluster in another VPC, is fine", () => {
    expect(checkServiceOverlapsVpc(facts())).toEqual([]);
    const other = terway({ vpc: "vpc-2", serviceCidr: { cidr: "192.168.240.0/20", path: "s" } });
    expect(checkServiceOverlapsVpc(facts({ clusters: [other] }))).toEqual([]);
  });
});

describe("cidr/pod-overlaps-service", () => {
  it("a cluster's pod and service CIDRs overlapping are reported", () => {
    const f = facts({
      vswitches: [],
      clusters: [flannel({ serviceCidr: { cidr: "172.20.240.0/20", path: "clusters[1].serviceCidr" } })],
    });
    const d = only(checkPodOverlapsService(f), "cidr/pod-overlaps-service", "clusters[1].podCidr");
    expect(d.message).toBe('pod CIDR 172.20.0.0/16 overlaps service CIDR 172.20.240.0/20 (cluster "dev")');
  });

  it("disjoint pod and service CIDRs (ACK docs: Network overview) are fine; another cluster's service is not this rule", () => {
    expect(checkPodOverlapsService(facts({ clusters: [flannel()] }))).toEqual([]);
    const other = terway({ serviceCidr: { cidr: "172.20.0.0/20", path: "s" } });
    expect(checkPodOverlapsService(facts({ clusters: [flannel(), other] }))).toEqual([]);
  });
});

describe("cidr/pod-overlaps-cluster", () => {
  const second = flannel({
    resource: "dev2",
    name: "dev2",
    path: "clusters[2]",
    podCidr: { cidr: "172.20.128.0/17", path: "clusters[2].podCidr" },
    serviceCidr: { cidr: "172.23.0.0/20", path: "clusters[2].serviceCidr" },
  });

  it("two clusters of one VPC with overlapping pod CIDRs are reported (ACK docs: Plan the network of an ACK cluster)", () => {
    const d = only(
      checkPodOverlapsCluster(facts({ clusters: [flannel(), second] })),
      "cidr/pod-overlaps-cluster",
      "clusters[2].podCidr",
    );
    expect(d.message).toBe(
      'pod CIDR 172.20.128.0/17 (cluster "dev2") overlaps pod CIDR 172.20.0.0/16 (cluster "dev")',
    );
  });

  it("a pod CIDR over another cluster's service CIDR is reported", () => {
    const svc = terway({ serviceCidr: { cidr: "172.20.16.0/20", path: "clusters[0].serviceCidr" } });
    const d = only(
      checkPodOverlapsCluster(facts({ clusters: [flannel(), svc] })),
      "cidr/pod-overlaps-cluster",
      "clusters[1].podCidr",
    );
    expect(d.message).toBe(
      'pod CIDR 172.20.0.0/16 (cluster "dev") overlaps service CIDR 172.20.16.0/20 (cluster "prod")',
    );
  });

  it("clusters in connected VPCs (peering, CEN) share one space (ACK docs: Plan the network of an ACK cluster)", () => {
    const peered = { ...second, vpc: "vpc-2" };
    const f = (connectedTo?: string[]) =>
      facts({
        vpcs: [
          vpc("192.168.0.0/16", { connectedTo }),
          { resource: "vpc2", id: "vpc-2", primary: { cidr: "10.0.0.0/16", path: "p" } },
        ],
        clusters: [flannel(), peered],
      });
    expect(checkPodOverlapsCluster(f(["vpc-2"])).map((d) => d.rule)).toEqual(["cidr/pod-overlaps-cluster"]);
    // Unconnected VPCs route nothing to each other: the same pod CIDR is allowed.
    expect(checkPodOverlapsCluster(f(undefined))).toEqual([]);
  });

  it("distinct pod CIDRs and a cluster of an unknown VPC are fine", () => {
    const distinct = { ...second, podCidr: { cidr: "172.24.0.0/16", path: "p" } };
    expect(checkPodOverlapsCluster(facts({ clusters: [flannel(), distinct] }))).toEqual([]);
    expect(checkPodOverlapsCluster(facts({ clusters: [flannel(), { ...second, vpc: undefined }] }))).toEqual(
      [],
    );
  });
});

describe("cidr/service-shared (advisory)", () => {
  it("two clusters of one VPC with the same service CIDR get an advisory (ACK docs: Plan the network of an ACK cluster)", () => {
    const d = only(
      checkServiceShared(facts({ clusters: [terway(), flannel()] })),
      "cidr/service-shared",
      "clusters[1].serviceCidr",
    );
    expect(d.severity).toBe("advisory");
    expect(d.message).toContain('clusters "prod" and "dev" in vpc vpc-1 share service CIDR 172.21.0.0/20');
  });

  it("different service CIDRs, or the same in different VPCs, are fine", () => {
    const other = flannel({ serviceCidr: { cidr: "172.22.0.0/20", path: "s" } });
    expect(checkServiceShared(facts({ clusters: [terway(), other] }))).toEqual([]);
    expect(checkServiceShared(facts({ clusters: [terway(), flannel({ vpc: "vpc-2" })] }))).toEqual([]);
  });
});

describe("cidr/overlaps-peer", () => {
  const peer = (cidr: string | undefined) => ({
    resource: "idc",
    name: "idc-beijing",
    path: "connectedRanges[0].cidr",
    cidr,
    kind: "leased-line",
  });

  it("a VPC, a vSwitch, a pod CIDR and a service CIDR over a connected range are each reported", () => {
    const vpcHit = checkOverlapsPeer(facts({ connected: [peer("192.168.0.0/20")] }));
    expect(vpcHit.map((d) => [d.rule, d.severity, d.path])).toEqual([
      ["cidr/overlaps-peer", "mandatory", "vpc.cidr"],
      ["cidr/overlaps-peer", "mandatory", "vswitches.prod-i-node"],
    ]);
    expect(vpcHit[0]?.message).toBe(
      "vpc vpc-1 192.168.0.0/16 overlaps connected range idc-beijing (leased-line) 192.168.0.0/20",
    );
    const podHit = checkOverlapsPeer(
      facts({ vswitches: [], clusters: [flannel()], connected: [peer("172.20.0.0/24")] }),
    );
    expect(podHit.map((d) => d.path)).toEqual(["clusters[1].podCidr"]);
    expect(podHit[0]?.message).toBe(
      'pod CIDR 172.20.0.0/16 overlaps connected range idc-beijing (leased-line) 172.20.0.0/24 (cluster "dev")',
    );
    const svcHit = checkOverlapsPeer(facts({ connected: [peer("172.16.0.0/12")] }));
    expect(svcHit.map((d) => d.path)).toEqual(["clusters[0].serviceCidr"]);
  });

  it("a connected range clear of every range (ACK docs: Plan the network of an ACK cluster: pods from 10/8 beside 172.16/12) is fine", () => {
    expect(checkOverlapsPeer(facts({ clusters: [flannel()], connected: [peer("10.0.0.0/8")] }))).toEqual([]);
    expect(checkOverlapsPeer(facts({ connected: [peer(undefined)] }))).toEqual([]);
  });
});

describe("cidr/terway-pod-vswitch-small (advisory)", () => {
  it("a pod vSwitch smaller than /19 gets an advisory naming its size (ACK docs: Add vSwitches for Terway)", () => {
    const f = facts({ vswitches: [vswitch("pod-a", "192.168.32.0/20", { role: "pod", cluster: "prod" })] });
    const d = only(checkTerwayPodVSwitchSmall(f), "cidr/terway-pod-vswitch-small", "vswitches.pod-a");
    expect(d.severity).toBe("advisory");
    expect(d.message).toBe(
      'Terway pod vSwitch 192.168.32.0/20 has 4,096 addresses; /19 (8,192) or larger is recommended (cluster "prod")',
    );
  });

  it("a /19 pod vSwitch, a small node vSwitch, or an unknown CIDR is fine", () => {
    expect(checkTerwayPodVSwitchSmall(facts())).toEqual([]);
    expect(
      checkTerwayPodVSwitchSmall(facts({ vswitches: [vswitch("n", "192.168.0.0/24", { role: "node" })] })),
    ).toEqual([]);
    expect(
      checkTerwayPodVSwitchSmall(facts({ vswitches: [vswitch("p", undefined, { role: "pod" })] })),
    ).toEqual([]);
  });
});

describe("cidr/terway-zone-mismatch", () => {
  const zone = (nodeCidrs?: string[], podCidrs?: string[]) =>
    terway({ zones: [{ zone: "cn-hangzhou-j", path: "clusters[0].zones[1]", nodeCidrs, podCidrs }] });

  it("a zone with a node vSwitch and no pod vSwitch is reported (ACK docs: Create an ACK managed cluster)", () => {
    const d = only(
      checkTerwayZoneMismatch(facts({ clusters: [zone(["192.168.64.0/19"], [])] })),
      "cidr/terway-zone-mismatch",
      "clusters[0].zones[1]",
    );
    expect(d.message).toBe(
      'zone cn-hangzhou-j has node vSwitch 192.168.64.0/19 but no Terway pod vSwitch (cluster "prod")',
    );
  });

  it("a zone with a pod vSwitch and no node vSwitch is reported", () => {
    const d = only(
      checkTerwayZoneMismatch(facts({ clusters: [zone([], ["192.168.96.0/19"])] })),
      "cidr/terway-zone-mismatch",
      "clusters[0].zones[1]",
    );
    expect(d.message).toBe(
      'zone cn-hangzhou-j has Terway pod vSwitch 192.168.96.0/19 but no node vSwitch (cluster "prod")',
    );
  });

  it("matching zones (ACK docs: Plan the network of an ACK cluster), unknown lists and Flannel clusters are fine", () => {
    expect(
      checkTerwayZoneMismatch(facts({ clusters: [zone(["192.168.64.0/19"], ["192.168.96.0/19"])] })),
    ).toEqual([]);
    expect(checkTerwayZoneMismatch(facts({ clusters: [zone(["192.168.64.0/19"], undefined)] }))).toEqual([]);
    expect(checkTerwayZoneMismatch(facts({ clusters: [flannel()] }))).toEqual([]);
  });
});

describe("cidr/shared-vpc-needs-terway", () => {
  it("a Flannel cluster in a shared VPC is reported (ACK docs: Create an ACK dedicated cluster)", () => {
    const f = facts({ vpcs: [vpc("192.168.0.0/16", { shared: true })], clusters: [flannel()] });
    const d = only(checkSharedVpcNeedsTerway(f), "cidr/shared-vpc-needs-terway", "clusters[1].cni");
    expect(d.message).toBe(
      'cluster "dev" uses flannel in shared vpc vpc-1; a shared VPC supports only Terway',
    );
  });

  it("Terway in a shared VPC, Flannel in an unshared one, or an unknown CNI is fine", () => {
    expect(checkSharedVpcNeedsTerway(facts({ vpcs: [vpc("192.168.0.0/16", { shared: true })] }))).toEqual([]);
    expect(checkSharedVpcNeedsTerway(facts({ clusters: [flannel()] }))).toEqual([]);
    const unknown = flannel({ cni: undefined });
    expect(
      checkSharedVpcNeedsTerway(
        facts({ vpcs: [vpc("192.168.0.0/16", { shared: true })], clusters: [unknown] }),
      ),
    ).toEqual([]);
  });
});

describe("cidr/ipv6-service-range", () => {
  const dual = (extra: Partial<ClusterNetworkFacts> = {}) =>
    terway({
      ipStack: "dual",
      ipv6ServiceCidr: { cidr: "fd00::/112", path: "clusters[0].ipv6ServiceCidr" },
      ...extra,
    });

  it("a compliant dual-stack cluster: Terway, ≥ 1.20.4, a /112–/120 inside fc00::/7 (ACK docs: Create an ACK dedicated cluster)", () => {
    expect(checkIpv6ServiceRange(facts({ clusters: [dual()] }))).toEqual([]);
    expect(
      checkIpv6ServiceRange(
        facts({ clusters: [dual({ ipv6ServiceCidr: { cidr: "fdff::/120", path: "x" } })] }),
      ),
    ).toEqual([]);
    expect(
      checkIpv6ServiceRange(facts({ clusters: [dual({ kubernetesVersion: "1.20.4-aliyun.1" })] })),
    ).toEqual([]);
    // An IPv4 cluster needs nothing.
    expect(checkIpv6ServiceRange(facts())).toEqual([]);
  });

  it.each([
    ["2001:db8::/112", "IPv6 service CIDR 2001:db8::/112 is not inside fc00::/7"],
    ["10.0.0.0/16", "IPv6 service CIDR 10.0.0.0/16 is not inside fc00::/7"],
    ["fd00::/64", "IPv6 service CIDR fd00::/64 has prefix /64; it must be /112 to /120"],
    ["fd00::/124", "IPv6 service CIDR fd00::/124 has prefix /124; it must be /112 to /120"],
  ])("service CIDR %s is reported", (bad, message) => {
    const f = facts({
      clusters: [dual({ ipv6ServiceCidr: { cidr: bad, path: "clusters[0].ipv6ServiceCidr" } })],
    });
    const d = only(checkIpv6ServiceRange(f), "cidr/ipv6-service-range", "clusters[0].ipv6ServiceCidr");
    expect(d.message).toBe(`${message} (cluster "prod")`);
  });

  it("a missing IPv6 service CIDR, Flannel, or an old Kubernetes is reported", () => {
    const missing = only(
      checkIpv6ServiceRange(facts({ clusters: [dual({ ipv6ServiceCidr: undefined })] })),
      "cidr/ipv6-service-range",
      "clusters[0].ipv6ServiceCidr",
    );
    expect(missing.message).toContain('dual-stack cluster "prod" has no IPv6 service CIDR');
    const fl = only(
      checkIpv6ServiceRange(facts({ clusters: [dual({ cni: "flannel" })] })),
      "cidr/ipv6-service-range",
      "clusters[0].cni",
    );
    expect(fl.message).toBe('dual-stack cluster "prod" uses flannel; IPv6 dual stack needs Terway');
    const old = only(
      checkIpv6ServiceRange(facts({ clusters: [dual({ kubernetesVersion: "1.20.3" })] })),
      "cidr/ipv6-service-range",
      "clusters[0].kubernetesVersion",
    );
    expect(old.message).toBe(
      'dual-stack cluster "prod" runs Kubernetes 1.20.3; dual stack needs 1.20.4 or later',
    );
  });

  it("unknown values (version, CNI, the CIDR's value) report nothing", () => {
    const f = facts({
      clusters: [
        dual({
          cni: undefined,
          kubernetesVersion: undefined,
          ipv6ServiceCidr: { path: "clusters[0].ipv6ServiceCidr" },
        }),
      ],
    });
    expect(checkIpv6ServiceRange(f)).toEqual([]);
  });

  it("compareKubernetesVersion orders dotted versions and gives undefined for junk", () => {
    expect(compareKubernetesVersion("1.31.1-aliyun.1", "1.20.4")).toBe(1);
    expect(compareKubernetesVersion("v1.20.4", "1.20.4")).toBe(0);
    expect(compareKubernetesVersion("1.20", "1.20.4")).toBe(-1);
    expect(compareKubernetesVersion("latest", "1.20.4")).toBeUndefined();
  });
});

describe("cidr/pod-capacity", () => {
  it("Terway: a zone planning more pods than its pod vSwitch holds (8,188 usable of a /19)", () => {
    // 128 nodes × 64 pods = 8,192 > 8,192 − 4 reserved.
    const t = terway({
      zones: [
        {
          zone: "cn-hangzhou-i",
          path: "clusters[0].zones[0]",
          nodeCidrs: ["192.168.0.0/19"],
          podCidrs: ["192.168.32.0/19"],
          plannedNodes: 128,
        },
      ],
    });
    const d = only(checkPodCapacity(facts({ clusters: [t] })), "cidr/pod-capacity", "clusters[0].zones[0]");
    expect(d.message).toBe(
      'Terway pod vSwitches 192.168.32.0/19 in zone cn-hangzhou-i hold 8,188 pods; the zone plans 8,192 (128 nodes × 64 pods) (cluster "prod")',
    );
    // 127 nodes × 64 = 8,128 fit.
    const fits = terway({
      zones: [{ ...(t.zones?.[0] as NonNullable<ClusterNetworkFacts["zones"]>[number]), plannedNodes: 127 }],
    });
    expect(checkPodCapacity(facts({ clusters: [fits] }))).toEqual([]);
  });

  it("node vSwitches that cannot address the zone's nodes are reported, also when there are none", () => {
    const t = terway({
      maxPodsPerNode: 1,
      zones: [
        {
          zone: "a",
          path: "clusters[0].zones[0]",
          nodeCidrs: ["192.168.0.0/29"],
          podCidrs: ["192.168.32.0/19"],
          plannedNodes: 5,
        },
        { zone: "b", path: "clusters[0].zones[1]", nodeCidrs: [], podCidrs: [], plannedNodes: 1 },
      ],
    });
    const ds = checkPodCapacity(facts({ clusters: [t] }));
    expect(ds.map((d) => [d.rule, d.path])).toEqual([
      ["cidr/pod-capacity", "clusters[0].zones[0]"],
      ["cidr/pod-capacity", "clusters[0].zones[1]"],
      ["cidr/pod-capacity", "clusters[0].zones[1]"],
    ]);
    expect(ds[0]?.message).toBe(
      'node vSwitches 192.168.0.0/29 in zone a hold 4 nodes; the zone plans 5 (cluster "prod")',
    );
    expect(ds[1]?.message).toBe(
      'node vSwitches (none) in zone b hold 0 nodes; the zone plans 1 (cluster "prod")',
    );
  });

  it("Flannel: 2^(nodeMask − podPrefix) node ranges must cover the max nodes (ACK docs: Create an ACK dedicated cluster)", () => {
    // 172.20.0.0/16 with /26 per node: 1,024 nodes.
    expect(checkPodCapacity(facts({ clusters: [flannel({ maxNodes: 1024 })] }))).toEqual([]);
    const d = only(
      checkPodCapacity(facts({ clusters: [flannel({ maxNodes: 1025 })] })),
      "cidr/pod-capacity",
      "clusters[1].nodeCidrMask",
    );
    expect(d.message).toBe(
      'pod CIDR 172.20.0.0/16 with node mask /26 gives 1,024 nodes a pod range; the cluster plans 1,025 nodes (cluster "dev")',
    );
    const misfit = only(
      checkPodCapacity(facts({ clusters: [flannel({ nodeCidrMask: 12 })] })),
      "cidr/pod-capacity",
      "clusters[1].nodeCidrMask",
    );
    expect(misfit.message).toBe('node CIDR mask /12 does not fit pod CIDR 172.20.0.0/16 (cluster "dev")');
  });

  it("VPC CNI: nodes and their pods share the node subnets (AWS reserves 5)", () => {
    const aws = (plannedNodes: number): ClusterNetworkFacts => ({
      resource: "eks",
      name: "eks",
      path: "clusters[0]",
      cni: "vpc-cni",
      maxPodsPerNode: 29,
      reservedPerVSwitch: 5,
      zones: [{ zone: "us-east-1a", path: "clusters[0].zones[0]", nodeCidrs: ["10.0.0.0/22"], plannedNodes }],
    });
    // /22 = 1,024 − 5 = 1,019 addresses; 33 nodes × 30 = 990 fit, 34 × 30 = 1,020 do not.
    expect(checkPodCapacity(facts({ clusters: [aws(33)] }))).toEqual([]);
    const d = only(
      checkPodCapacity(facts({ clusters: [aws(34)] })),
      "cidr/pod-capacity",
      "clusters[0].zones[0]",
    );
    expect(d.message).toBe(
      'node subnets 10.0.0.0/22 in zone us-east-1a hold 1,019 addresses; 34 nodes with 29 pods each need 1,020 (cluster "eks")',
    );
  });

  it("unknown planned nodes, max pods, node mask or CIDRs report nothing", () => {
    const t = terway({
      maxPodsPerNode: undefined,
      zones: [
        { zone: "a", path: "z", nodeCidrs: undefined, podCidrs: ["192.168.32.0/29"], plannedNodes: 100 },
      ],
    });
    expect(checkPodCapacity(facts({ clusters: [t] }))).toEqual([]);
    const noPlan = terway({
      zones: [{ zone: "a", path: "z", nodeCidrs: ["192.168.0.0/29"], podCidrs: ["192.168.32.0/29"] }],
    });
    expect(checkPodCapacity(facts({ clusters: [noPlan] }))).toEqual([]);
    expect(
      checkPodCapacity(facts({ clusters: [flannel({ maxNodes: 5000, nodeCidrMask: undefined })] })),
    ).toEqual([]);
    expect(
      checkPodCapacity(facts({ clusters: [flannel({ maxNodes: 5000, podCidr: { path: "p" } })] })),
    ).toEqual([]);
  });
});

describe("cidr/kubeovn-join-overlap", () => {
  const ovn = (join: string | undefined, gateways: { ip?: string; path: string }[] = []) =>
    flannel({
      cni: undefined,
      podCidr: { cidr: "10.16.0.0/16", path: "clusters[1].podCidr" },
      serviceCidr: { cidr: "10.96.0.0/12", path: "clusters[1].serviceCidr" },
      kubeOvn: { joinCidr: { cidr: join, path: "clusters[1].kubeOvn.joinCidr" }, underlayGateways: gateways },
    });

  it("a join CIDR over the cluster CIDR or the service CIDR is reported (Alauda Container Platform docs: Creating an on-premise cluster)", () => {
    const pod = only(
      checkKubeOvnJoinOverlap(facts({ clusters: [ovn("10.16.0.0/24")] })),
      "cidr/kubeovn-join-overlap",
      "clusters[1].kubeOvn.joinCidr",
    );
    expect(pod.message).toBe('join CIDR 10.16.0.0/24 overlaps cluster CIDR 10.16.0.0/16 (cluster "dev")');
    const svc = only(
      checkKubeOvnJoinOverlap(facts({ clusters: [ovn("10.100.0.0/16")] })),
      "cidr/kubeovn-join-overlap",
      "clusters[1].kubeOvn.joinCidr",
    );
    expect(svc.message).toBe('join CIDR 10.100.0.0/16 overlaps service CIDR 10.96.0.0/12 (cluster "dev")');
  });

  it("an underlay gateway outside the cluster CIDR, or not an IP, is reported", () => {
    const ds = checkKubeOvnJoinOverlap(
      facts({
        clusters: [
          ovn("100.64.0.0/16", [
            { ip: "10.17.0.1", path: "gw0" },
            { ip: "gateway", path: "gw1" },
            { ip: "10.16.0.1", path: "gw2" },
          ]),
        ],
      }),
    );
    expect(ds.map((d) => [d.rule, d.path, d.message])).toEqual([
      [
        "cidr/kubeovn-join-overlap",
        "gw0",
        'underlay gateway 10.17.0.1 is outside cluster CIDR 10.16.0.0/16 (cluster "dev")',
      ],
      ["cidr/kubeovn-join-overlap", "gw1", 'underlay gateway "gateway" is not an IP address (cluster "dev")'],
    ]);
  });

  it("Kube-OVN's default join 100.64.0.0/16 with a gateway inside the cluster CIDR is fine; unknowns report nothing", () => {
    expect(
      checkKubeOvnJoinOverlap(facts({ clusters: [ovn("100.64.0.0/16", [{ ip: "10.16.0.1", path: "g" }])] })),
    ).toEqual([]);
    expect(checkKubeOvnJoinOverlap(facts({ clusters: [ovn(undefined, [{ path: "g" }])] }))).toEqual([]);
    expect(checkKubeOvnJoinOverlap(facts({ clusters: [flannel()] }))).toEqual([]);
  });
});

describe("cidr/api-vip", () => {
  const vip = (v: string | undefined, subnet?: string, nodeIps?: string[]) =>
    terway({ apiVip: { vip: v, subnet, nodeIps, path: "clusters[0].apiVip" } });

  it("a VIP outside the control-plane subnet is reported (Alauda Container Platform docs: Creating an on-premise cluster)", () => {
    const d = only(
      checkApiVip(facts({ clusters: [vip("10.0.1.10", "10.0.0.0/24")] })),
      "cidr/api-vip",
      "clusters[0].apiVip",
    );
    expect(d.message).toBe(
      'API server VIP 10.0.1.10 is outside the control-plane subnet 10.0.0.0/24 (cluster "prod")',
    );
  });

  it("a VIP equal to a node IP, or not an IP, is reported", () => {
    const same = only(
      checkApiVip(facts({ clusters: [vip("10.0.0.10", "10.0.0.0/24", ["10.0.0.10", "10.0.0.11"])] })),
      "cidr/api-vip",
      "clusters[0].apiVip",
    );
    expect(same.message).toBe('API server VIP 10.0.0.10 equals a node IP (cluster "prod")');
    const junk = only(
      checkApiVip(facts({ clusters: [vip("vip.example", "10.0.0.0/24")] })),
      "cidr/api-vip",
      "clusters[0].apiVip",
    );
    expect(junk.message).toBe('API server VIP "vip.example" is not an IP address (cluster "prod")');
  });

  it("a VIP inside the subnet that no node uses is fine; an unknown VIP or subnet reports nothing", () => {
    expect(checkApiVip(facts({ clusters: [vip("10.0.0.100", "10.0.0.0/24", ["10.0.0.10"])] }))).toEqual([]);
    expect(checkApiVip(facts({ clusters: [vip("fd00::100", "fd00::/64")] }))).toEqual([]);
    expect(checkApiVip(facts({ clusters: [vip(undefined, "10.0.0.0/24", ["10.0.0.10"])] }))).toEqual([]);
    expect(checkApiVip(facts({ clusters: [vip("10.9.9.9", undefined)] }))).toEqual([]);
  });
});

describe("cidr/api-acl-missing-ranges", () => {
  const acl = (cidrs: string[] | undefined, cni: ClusterNetworkFacts["cni"] = "terway") =>
    terway({ cni, apiAllowList: { cidrs, path: "clusters[0].apiAllowList" } });

  it("an allow-list without 100.104.0.0/16 and the node vSwitches is reported (ACK docs: Configure access control policies for the API server)", () => {
    const d = only(
      checkApiAclMissingRanges(facts({ clusters: [acl(["203.0.113.0/24"])] })),
      "cidr/api-acl-missing-ranges",
      "clusters[0].apiAllowList",
    );
    expect(d.message).toBe(
      `API server allow-list [203.0.113.0/24] lacks ${ACK_CONTROL_PLANE_RANGE}, 192.168.0.0/19 (cluster "prod")`,
    );
  });

  it("an allow-list holding both (directly or by a covering range) is fine; EKS needs no ACK control range", () => {
    expect(
      checkApiAclMissingRanges(facts({ clusters: [acl(["100.104.0.0/16", "192.168.0.0/19"])] })),
    ).toEqual([]);
    expect(checkApiAclMissingRanges(facts({ clusters: [acl(["100.64.0.0/10", "192.168.0.0/16"])] }))).toEqual(
      [],
    );
    expect(checkApiAclMissingRanges(facts({ clusters: [acl(["192.168.0.0/19"], "vpc-cni")] }))).toEqual([]);
  });

  it("no allow-list, or an unknown one, reports nothing", () => {
    expect(checkApiAclMissingRanges(facts())).toEqual([]);
    expect(checkApiAclMissingRanges(facts({ clusters: [acl(undefined)] }))).toEqual([]);
  });
});

describe("cidr/plan-renumbered", () => {
  const before = {
    "vswitch:prod/cn-hangzhou-i/node": "192.168.0.0/19",
    "vswitch:prod/cn-hangzhou-i/pod": "192.168.32.0/19",
    "service:prod": "172.21.0.0/20",
  };

  it("a moved range is reported with its key, old and new CIDR", () => {
    const after = { ...before, "vswitch:prod/cn-hangzhou-i/pod": "192.168.64.0/19" };
    const ds = checkPlanRenumbered(before, after, "prod-env");
    const d = only(ds, "cidr/plan-renumbered", 'allocations["vswitch:prod/cn-hangzhou-i/pod"]');
    expect(d.resource).toBe("prod-env");
    expect(d.message).toContain(
      "vswitch:prod/cn-hangzhou-i/pod moved from 192.168.32.0/19 to 192.168.64.0/19",
    );
  });

  it("added and removed keys are growth and deletion, not renumbering", () => {
    const grown = { ...before, "vswitch:prod/cn-hangzhou-j/node": "192.168.64.0/19" };
    expect(checkPlanRenumbered(before, grown)).toEqual([]);
    const { "service:prod": _gone, ...shrunk } = before;
    expect(checkPlanRenumbered(before, shrunk)).toEqual([]);
    expect(checkPlanRenumbered({}, before)).toEqual([]);
  });
});
