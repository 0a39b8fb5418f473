/**
 * cidr/* policies on hand-written network stacks (plain alicloud / aws resources, no components).
 */
import { describe, expect, it } from "vitest";
import { packConfig } from "../../policy/policies";
import { by, of, resourceName, run, Stack, T, UNKNOWN, violations } from "./stack";

/** A compliant ACK network: VPC 10.0.0.0/16, node vSwitches in two zones, Flannel pod and service CIDRs. */
function network(stack = "dev") {
  const s = new Stack(stack);
  const vpc = s.vpc("main", "10.0.0.0/16");
  const a = s.vswitch("node-a", "10.0.0.0/20", "cn-hangzhou-i", vpc);
  const b = s.vswitch("node-b", "10.0.16.0/20", "cn-hangzhou-j", vpc);
  return { s, vpc, a, b };
}

function flannel(
  s: Stack,
  name: string,
  podCidr: string,
  serviceCidr: string,
  vswitches: ReturnType<Stack["vswitch"]>[],
) {
  return s.ack(name, { podCidr, serviceCidr, nodeCidrMask: 26, addons: [{ name: "flannel" }] }, vswitches);
}

describe("cidr policies on raw resources", () => {
  it("a compliant network reports nothing", () => {
    const { s, a, b } = network();
    const c = flannel(s, "prod", "172.20.0.0/16", "172.21.0.0/20", [a, b]);
    s.pool("workers", c, { desiredSize: "3" }, [a, b]);
    expect(of(run(s), "cidr/invalid")).toEqual([]);
    expect(run(s).filter((d) => d.rule.startsWith("cidr/"))).toEqual([]);
  });

  it("cidr/invalid names the bad value and its canonical form", () => {
    const { s, vpc } = network();
    s.vswitch("typo", "10.0.32.1/20", "cn-hangzhou-i", vpc);
    const [v] = by(violations(s), "cidr/invalid");
    expect(v?.urn).toContain("::typo");
    expect(v?.level).toBe("mandatory");
    expect(v?.message).toContain('"10.0.32.1/20" has host bits set; the canonical form is 10.0.32.0/20');
  });

  it("cidr/vpc-reserved-range: a VPC in 100.64.0.0/10 (aws too)", () => {
    const s = new Stack();
    s.vpc("carrier", "100.64.0.0/16");
    s.add(T.awsVpc, "aws-ok", { cidrBlock: "10.1.0.0/16" });
    s.add(T.awsVpc, "aws-loop", { cidrBlock: "127.0.0.0/16" });
    const vs = by(violations(s), "cidr/vpc-reserved-range");
    expect(vs.map((v) => v.urn?.split("::").pop())).toEqual(["carrier", "aws-loop"]);
    expect(vs[0]?.message).toContain("100.64.0.0/16 overlaps the reserved range 100.64.0.0/10");
    expect(vs[1]?.message).toContain("127.0.0.0/16 overlaps the reserved range 127.0.0.0/8");
  });

  it("cidr/vswitch-outside-vpc: a vSwitch outside its VPC, followed through the property dependency", () => {
    const { s, vpc } = network();
    s.vswitch("stray", "10.1.0.0/24", "cn-hangzhou-i", vpc);
    const [d, ...rest] = of(run(s), "cidr/vswitch-outside-vpc");
    expect(rest).toEqual([]);
    expect(d?.resource.split("::").pop()).toBe("stray");
    expect(d?.path).toBe("cidrBlock");
    expect(d?.message).toBe("vSwitch stray 10.1.0.0/24 is not inside vpc main (10.0.0.0/16)");
  });

  it("cidr/vswitch-outside-vpc: a secondary CIDR (Ipv4CidrBlock resource) makes the vSwitch compliant", () => {
    const { s, vpc } = network();
    s.vswitch("second", "10.1.0.0/24", "cn-hangzhou-i", vpc);
    expect(of(run(s), "cidr/vswitch-outside-vpc")).toHaveLength(1);
    s.add(T.vpcCidr, "extra", { secondaryCidrBlock: "10.1.0.0/16", vpcId: UNKNOWN }, { vpcId: vpc });
    expect(of(run(s), "cidr/vswitch-outside-vpc")).toEqual([]);
  });

  it("cidr/vswitch-overlap: two vSwitches of one VPC, not of two VPCs", () => {
    const { s, vpc } = network();
    s.vswitch("dup", "10.0.8.0/24", "cn-hangzhou-i", vpc);
    const other = s.vpc("other", "10.0.0.0/16");
    s.vswitch("elsewhere", "10.0.0.0/24", "cn-hangzhou-i", other);
    const ds = of(run(s), "cidr/vswitch-overlap");
    expect(ds.map((d) => d.message)).toEqual([
      "vSwitch dup 10.0.8.0/24 overlaps vSwitch node-a 10.0.0.0/20 in vpc main",
    ]);
  });

  it("cidr/pod-overlaps-vpc and cidr/service-overlaps-vpc name the cluster", () => {
    const { s, a, b } = network();
    flannel(s, "prod", "10.0.128.0/17", "10.0.16.0/24", [a, b]);
    const ds = run(s);
    expect(of(ds, "cidr/pod-overlaps-vpc").map((d) => d.message)).toEqual([
      'pod CIDR 10.0.128.0/17 overlaps vpc main 10.0.0.0/16 (cluster "prod")',
    ]);
    expect(of(ds, "cidr/service-overlaps-vpc").map((d) => d.message)).toEqual([
      'service CIDR 10.0.16.0/24 overlaps vpc main 10.0.0.0/16 (cluster "prod")',
      'service CIDR 10.0.16.0/24 overlaps vSwitch node-b 10.0.16.0/20 (cluster "prod")',
    ]);
  });

  it("cidr/pod-overlaps-service is a resource policy on the cluster alone", () => {
    const s = new Stack();
    s.ack("solo", { podCidr: "172.20.0.0/16", serviceCidr: "172.20.8.0/24", addons: [{ name: "flannel" }] });
    const [v] = by(violations(s), "cidr/pod-overlaps-service");
    expect(v?.urn).toContain("::solo");
    expect(v?.message).toBe(
      'pod CIDR 172.20.0.0/16 overlaps service CIDR 172.20.8.0/24 (cluster "solo") (at podCidr)',
    );
  });

  it("cidr/pod-overlaps-cluster and cidr/service-shared between two clusters of a VPC", () => {
    const { s, a, b } = network();
    flannel(s, "one", "172.20.0.0/16", "172.30.0.0/20", [a]);
    flannel(s, "two", "172.20.128.0/17", "172.30.0.0/20", [b]);
    const ds = run(s);
    expect(of(ds, "cidr/pod-overlaps-cluster").map((d) => d.message)).toEqual([
      'pod CIDR 172.20.128.0/17 (cluster "two") overlaps pod CIDR 172.20.0.0/16 (cluster "one")',
    ]);
    const [shared] = of(ds, "cidr/service-shared");
    expect(shared?.severity).toBe("advisory");
    expect(shared?.message).toContain(
      'clusters "one" and "two" in vpc main share service CIDR 172.30.0.0/20',
    );
  });

  it("cidr/overlaps-peer: config connectedRanges changes the outcome", () => {
    const { s } = network();
    expect(of(run(s), "cidr/overlaps-peer")).toEqual([]);
    const config = packConfig({
      connectedRanges: [{ name: "idc-beijing", cidr: "10.0.16.0/24", kind: "leased-line" }],
    });
    const ds = of(run(s, { config }), "cidr/overlaps-peer");
    expect(ds.map((d) => [resourceName(d), d.message])).toEqual([
      ["main", "vpc main 10.0.0.0/16 overlaps connected range idc-beijing (leased-line) 10.0.16.0/24"],
      [
        "node-b",
        "vSwitch node-b 10.0.16.0/20 overlaps connected range idc-beijing (leased-line) 10.0.16.0/24",
      ],
    ]);
  });

  it("cidr/terway-pod-vswitch-small and cidr/terway-zone-mismatch on a Terway cluster", () => {
    const { s, vpc, a, b } = network();
    const pod = s.vswitch("pod-a", "10.0.64.0/24", "cn-hangzhou-i", vpc);
    s.ack("terway", { serviceCidr: "172.21.0.0/20", addons: [{ name: "terway-eniip" }] }, [a, b], [pod]);
    const ds = run(s);
    expect(of(ds, "cidr/terway-pod-vswitch-small").map((d) => d.message)).toEqual([
      'Terway pod vSwitch 10.0.64.0/24 has 256 addresses; /19 (8,192) or larger is recommended (cluster "terway")',
    ]);
    expect(of(ds, "cidr/terway-zone-mismatch").map((d) => d.message)).toEqual([
      'zone cn-hangzhou-j has node vSwitch 10.0.16.0/20 but no Terway pod vSwitch (cluster "terway")',
    ]);
  });

  it("cidr/terway-zone-mismatch: an adopted node vSwitch next to created ones is never lost", () => {
    // The node vSwitch of zone j is adopted (a literal id, outside the stack); the pod vSwitches
    // are created. Its zone is unknown to the pack, so the zone picture is incomplete: no
    // verdict, and certainly not "pod vSwitch but no node vSwitch" in zone j.
    const s = new Stack();
    const vpc = s.vpc("vpc", "10.0.0.0/8");
    const a = s.vswitch("node-a", "10.0.0.0/20", "cn-hangzhou-i", vpc);
    const pa = s.vswitch("pod-a", "10.1.0.0/19", "cn-hangzhou-i", vpc);
    const pb = s.vswitch("pod-b", "10.1.32.0/19", "cn-hangzhou-j", vpc);
    const c = s.ack(
      "terway",
      { serviceCidr: "172.21.0.0/20", addons: [{ name: "terway-eniip" }] },
      [a],
      [pa, pb],
    );
    c.props.vswitchIds = [UNKNOWN, "vsw-adopted-j"];
    c.props.workerVswitchIds = [UNKNOWN, "vsw-adopted-j"];
    expect(of(run(s), "cidr/terway-zone-mismatch")).toEqual([]);
  });

  it("cidr/terway-* compliant: a /19 pod vSwitch in every node zone", () => {
    const s = new Stack();
    const vpc = s.vpc("vpc", "10.0.0.0/8");
    const a = s.vswitch("node-a", "10.0.0.0/20", "cn-hangzhou-i", vpc);
    const b = s.vswitch("node-b", "10.0.16.0/20", "cn-hangzhou-j", vpc);
    const pa = s.vswitch("pod-a", "10.1.0.0/19", "cn-hangzhou-i", vpc);
    const pb = s.vswitch("pod-b", "10.1.32.0/19", "cn-hangzhou-j", vpc);
    s.ack("terway", { serviceCidr: "172.21.0.0/20", addons: [{ name: "terway-eniip" }] }, [a, b], [pa, pb]);
    expect(run(s).filter((d) => d.rule.startsWith("cidr/"))).toEqual([]);
  });

  it("cidr/pod-capacity: a Flannel pod CIDR with too few node slots for the pools' max sizes", () => {
    const { s, a, b } = network();
    const c = flannel(s, "small", "172.20.0.0/22", "172.21.0.0/20", [a, b]);
    s.pool("workers", c, { scalingConfig: { enable: true, minSize: 1, maxSize: 20 } }, [a, b]);
    const [d] = of(run(s), "cidr/pod-capacity");
    expect(d?.message).toBe(
      'pod CIDR 172.20.0.0/22 with node mask /26 gives 16 nodes a pod range; the cluster plans 20 nodes (cluster "small")',
    );
    // 16 nodes fit.
    const ok = network();
    const c2 = flannel(ok.s, "small", "172.20.0.0/22", "172.21.0.0/20", [ok.a, ok.b]);
    ok.s.pool("workers", c2, { scalingConfig: { enable: true, minSize: 1, maxSize: 16 } }, [ok.a, ok.b]);
    expect(of(run(ok.s), "cidr/pod-capacity")).toEqual([]);
  });

  it("cidr/ipv6-service-range: dual stack on Flannel", () => {
    const s = new Stack();
    s.ack("dual", {
      ipStack: "dual",
      podCidr: "172.20.0.0/16",
      serviceCidr: "172.21.0.0/20,fd00::/100",
      addons: [{ name: "flannel" }],
    });
    const msgs = of(run(s), "cidr/ipv6-service-range").map((d) => d.message);
    expect(msgs).toEqual([
      'dual-stack cluster "dual" uses flannel; IPv6 dual stack needs Terway',
      'IPv6 service CIDR fd00::/100 has prefix /100; it must be /112 to /120 (cluster "dual")',
    ]);
  });

  it("cidr/ipv6-service-range compliant: Terway, Kubernetes 1.31, a /112 in fc00::/7", () => {
    const s = new Stack();
    s.ack("dual", {
      ipStack: "dual",
      version: "1.31.1-aliyun.1",
      serviceCidr: "172.21.0.0/20,fd00::/112",
      addons: [{ name: "terway-eniip" }],
    });
    expect(of(run(s), "cidr/ipv6-service-range")).toEqual([]);
  });

  it("AWS: subnets outside the VPC and an EKS service CIDR overlapping the VPC", () => {
    const s = new Stack();
    const vpc = s.add(T.awsVpc, "vpc", { cidrBlock: "10.10.0.0/16" });
    const sub = s.add(
      T.subnet,
      "private-a",
      { cidrBlock: "10.10.0.0/20", vpcId: UNKNOWN, availabilityZone: "us-east-1a" },
      { vpcId: vpc },
    );
    s.add(
      T.subnet,
      "stray",
      { cidrBlock: "10.20.0.0/20", vpcId: UNKNOWN, availabilityZone: "us-east-1b" },
      { vpcId: vpc },
    );
    s.add(
      T.eks,
      "eks",
      {
        name: "eks",
        vpcConfig: { subnetIds: [UNKNOWN] },
        kubernetesNetworkConfig: { serviceIpv4Cidr: "10.10.0.0/24" },
      },
      { vpcConfig: [sub] },
    );
    const ds = run(s);
    expect(of(ds, "cidr/vswitch-outside-vpc").map((d) => d.message)).toEqual([
      "vSwitch stray 10.20.0.0/20 is not inside vpc vpc (10.10.0.0/16)",
    ]);
    expect(of(ds, "cidr/service-overlaps-vpc").map((d) => d.path)).toEqual([
      "kubernetesNetworkConfig.serviceIpv4Cidr",
      "kubernetesNetworkConfig.serviceIpv4Cidr",
    ]);
  });

  it("links by known ids when no property dependencies are given (the offline preview's mock ids)", () => {
    const s = new Stack();
    s.add(T.vpc, "vpc", { cidrBlock: "10.0.0.0/16" }, {}, { id: "vpc-123" });
    s.add(
      T.vsw,
      "stray",
      { cidrBlock: "10.9.0.0/24", vpcId: "vpc-123", zoneId: "z" },
      {},
      { propertyDependencies: undefined },
    );
    expect(of(run(s), "cidr/vswitch-outside-vpc").map(resourceName)).toEqual(["stray"]);
  });
});
