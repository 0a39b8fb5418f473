import {
  AlicloudNetwork,
  type AlicloudNetworkArgs,
  type AlicloudNetworkVSwitchArgs,
  validateNetworkArgs,
} from "@kubeplat/components/internal/alicloud/AlicloudNetwork";
import { type MockRuntime, resolveOutput, startMockRuntime } from "@kubeplat/components/testing";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { mine as mineIn } from "../../support/runtime";
import { caught } from "../../support/validation";

const T = {
  vpc: "alicloud:vpc/network:Network",
  block: "alicloud:vpc/ipv4CidrBlock:Ipv4CidrBlock",
  vsw: "alicloud:vpc/switch:Switch",
  nat: "alicloud:vpc/natGateway:NatGateway",
  eip: "alicloud:ecs/eipAddress:EipAddress",
  assoc: "alicloud:ecs/eipAssociation:EipAssociation",
  snat: "alicloud:vpc/snatEntry:SnatEntry",
  rt: "alicloud:vpc/routeTable:RouteTable",
  rta: "alicloud:vpc/routeTableAttachment:RouteTableAttachment",
  route: "alicloud:vpc/routeEntry:RouteEntry",
  sg: "alicloud:ecs/securityGroup:SecurityGroup",
  rule: "alicloud:ecs/securityGroupRule:SecurityGroupRule",
};
const COMPONENT = "platform:alicloud:AlicloudNetwork";

/** The planner's shape: a Terway cluster "prod" in two zones, node /20 and pod /19 per zone. */
function vswitches(
  cluster = "prod",
  zones = ["cn-hangzhou-i", "cn-hangzhou-j"],
): AlicloudNetworkVSwitchArgs[] {
  return zones.flatMap((zone, i) => [
    { key: `${cluster}/${zone}/node`, cluster, zone, role: "node" as const, cidr: `10.0.${i * 16}.0/20` },
    { key: `${cluster}/${zone}/pod`, cluster, zone, role: "pod" as const, cidr: `10.0.${64 + i * 32}.0/19` },
  ]);
}
const base = (): AlicloudNetworkArgs => ({ vpc: { cidr: "10.0.0.0/16" }, vswitches: vswitches() });

let rt: MockRuntime;
beforeAll(async () => {
  rt = await startMockRuntime({
    project: "platform",
    stack: "dev",
    state: (a) => {
      if (a.type === T.nat) return { snatTableIds: `stb-${a.name}` };
      if (a.type === T.eip) return { ipAddress: `47.1.1.${a.name.length}` };
      return undefined;
    },
  });
});

const mine = (prefix: string, type?: string) => mineIn(rt, prefix, type);

describe("AlicloudNetwork", () => {
  it("creates the VPC, one vSwitch per planned vSwitch named from its key, all children of the component", async () => {
    const out = await rt.run(async () => {
      const n = new AlicloudNetwork("net1", { ...base(), tags: { env: "dev" } });
      return { vswitchIds: n.vswitchIds, vpcId: n.vpcId };
    });
    expect(out.vpcId).toBe("net1-vpc-id");
    expect(out.vswitchIds).toEqual({
      "prod/cn-hangzhou-i/node": "net1-prod-cn-hangzhou-i-node-id",
      "prod/cn-hangzhou-i/pod": "net1-prod-cn-hangzhou-i-pod-id",
      "prod/cn-hangzhou-j/node": "net1-prod-cn-hangzhou-j-node-id",
      "prod/cn-hangzhou-j/pod": "net1-prod-cn-hangzhou-j-pod-id",
    });
    const component = rt.one(COMPONENT, "net1");
    for (const r of mine("net1")) expect(r.parent).toBe(component.urn);
    expect(rt.one(T.vpc, "net1-vpc").inputs).toMatchObject({
      cidrBlock: "10.0.0.0/16",
      vpcName: "net1",
      tags: { env: "dev" },
    });
    expect(rt.one(T.vpc, "net1-vpc").replaceOnChanges).toEqual(["cidrBlock"]);
    const sw = rt.one(T.vsw, "net1-prod-cn-hangzhou-j-pod");
    expect(sw.inputs).toMatchObject({
      vpcId: "net1-vpc-id",
      cidrBlock: "10.0.96.0/19",
      zoneId: "cn-hangzhou-j",
      vswitchName: "net1-prod-cn-hangzhou-j-pod",
    });
    expect(sw.replaceOnChanges).toEqual(["cidrBlock", "zoneId", "vpcId"]);
    expect(sw.protect).toBe(false);
  });

  it("one NAT gateway with its EIP, and one SNAT entry per node and per pod vSwitch (ACK docs: Enable an existing cluster to access the Internet (SNAT))", async () => {
    const out = await rt.run(async () => {
      const n = new AlicloudNetwork("net2", { ...base(), nat: { bandwidth: 200 } });
      return { nat: n.natGatewayId, ips: n.natPublicIps };
    });
    expect(out.nat).toBe("net2-nat-id");
    const nat = rt.one(T.nat, "net2-nat");
    expect(nat.inputs).toMatchObject({
      vpcId: "net2-vpc-id",
      vswitchId: "net2-prod-cn-hangzhou-i-node-id",
      natType: "Enhanced",
      networkType: "internet",
      deletionProtection: false,
    });
    expect(nat.replaceOnChanges).toEqual(["vswitchId", "vpcId"]);
    expect(rt.one(T.eip, "net2-nat-eip").inputs).toMatchObject({
      bandwidth: "200",
      internetChargeType: "PayByTraffic",
    });
    expect(rt.one(T.assoc, "net2-nat-eip-assoc").inputs).toMatchObject({
      allocationId: "net2-nat-eip-id",
      instanceId: "net2-nat-id",
      instanceType: "Nat",
    });
    const snats = mine("net2", T.snat);
    expect(snats.map((s) => [s.name, s.inputs.sourceVswitchId, s.inputs.snatTableId]).sort()).toEqual([
      ["net2-snat-prod-cn-hangzhou-i-node", "net2-prod-cn-hangzhou-i-node-id", "stb-net2-nat"],
      ["net2-snat-prod-cn-hangzhou-i-pod", "net2-prod-cn-hangzhou-i-pod-id", "stb-net2-nat"],
      ["net2-snat-prod-cn-hangzhou-j-node", "net2-prod-cn-hangzhou-j-node-id", "stb-net2-nat"],
      ["net2-snat-prod-cn-hangzhou-j-pod", "net2-prod-cn-hangzhou-j-pod-id", "stb-net2-nat"],
    ]);
    for (const s of snats) expect(s.inputs.snatIp).toBe(rt.one(T.eip, "net2-nat-eip").state.ipAddress);
    // Single mode relies on the route the VPC's first NAT gateway gets (ACK docs: Enable an existing cluster to access the Internet (SNAT)).
    expect(mine("net2", T.route)).toEqual([]);
  });

  it("Flannel: SNAT for node vSwitches only, and the pod CIDR in the security group rules", async () => {
    await rt.run(async () => {
      new AlicloudNetwork("net3", {
        vpc: { cidr: "10.0.0.0/16" },
        vswitches: vswitches().filter((v) => v.role === "node"),
        clusters: [{ name: "prod", cni: "flannel", podCidr: "172.20.0.0/16", serviceCidr: "172.21.0.0/20" }],
      });
      return {};
    });
    expect(
      mine("net3", T.snat)
        .map((s) => s.name)
        .sort(),
    ).toEqual(["net3-snat-prod-cn-hangzhou-i-node", "net3-snat-prod-cn-hangzhou-j-node"]);
    expect(rt.one(T.rule, "net3-prod-sg-in-tcp-10250-172-20-0-0-16").inputs).toMatchObject({
      type: "ingress",
      ipProtocol: "tcp",
      portRange: "10250/10250",
      cidrIp: "172.20.0.0/16",
      policy: "accept",
      nicType: "intranet",
    });
  });

  it("one NAT gateway per zone, each zone's vSwitches routed through its own (ACK docs: Enable an existing cluster to access the Internet (SNAT))", async () => {
    const out = await rt.run(async () => {
      const n = new AlicloudNetwork("net4", { ...base(), nat: { mode: "perZone" } });
      return { ids: n.natGatewayIds };
    });
    expect(out.ids).toEqual({
      "cn-hangzhou-i": "net4-nat-cn-hangzhou-i-id",
      "cn-hangzhou-j": "net4-nat-cn-hangzhou-j-id",
    });
    expect(rt.one(T.nat, "net4-nat-cn-hangzhou-j").inputs.vswitchId).toBe("net4-prod-cn-hangzhou-j-node-id");
    expect(rt.one(T.route, "net4-rt-cn-hangzhou-j-default").inputs).toMatchObject({
      routeTableId: "net4-rt-cn-hangzhou-j-id",
      destinationCidrblock: "0.0.0.0/0",
      nexthopType: "NatGateway",
      nexthopId: "net4-nat-cn-hangzhou-j-id",
    });
    expect(rt.one(T.rta, "net4-rt-prod-cn-hangzhou-j-pod").inputs).toEqual({
      routeTableId: "net4-rt-cn-hangzhou-j-id",
      vswitchId: "net4-prod-cn-hangzhou-j-pod-id",
    });
    expect(rt.one(T.snat, "net4-snat-prod-cn-hangzhou-j-pod").inputs.snatTableId).toBe(
      "stb-net4-nat-cn-hangzhou-j",
    );
  });

  it("creates secondary CIDR blocks named from their CIDR; mode none creates no NAT", async () => {
    await rt.run(async () => {
      new AlicloudNetwork("net5", {
        vpc: { cidr: "10.0.0.0/16", secondaryCidrs: ["10.1.0.0/16"] },
        vswitches: [
          {
            key: "prod/cn-hangzhou-i/node",
            cluster: "prod",
            zone: "cn-hangzhou-i",
            role: "node",
            cidr: "10.0.0.0/20",
          },
          {
            key: "prod/cn-hangzhou-i/pod",
            cluster: "prod",
            zone: "cn-hangzhou-i",
            role: "pod",
            cidr: "10.1.0.0/19",
          },
        ],
        nat: { mode: "none" },
      });
      return {};
    });
    expect(rt.one(T.block, "net5-vpc-10-1-0-0-16").inputs).toEqual({
      vpcId: "net5-vpc-id",
      secondaryCidrBlock: "10.1.0.0/16",
    });
    expect(mine("net5", T.nat)).toEqual([]);
    expect(mine("net5", T.snat)).toEqual([]);
  });

  it("adopts an existing VPC and vSwitches by id, creating only the rest", async () => {
    const out = await rt.run(async () => {
      const planned = vswitches();
      planned[0] = { ...(planned[0] as AlicloudNetworkVSwitchArgs), existingId: "vsw-existing" };
      const n = new AlicloudNetwork("net6", {
        vpc: { id: "vpc-existing", cidr: "10.0.0.0/16" },
        vswitches: planned,
      });
      return { vpcId: n.vpcId, vswitchIds: n.vswitchIds };
    });
    expect(out.vpcId).toBe("vpc-existing");
    expect((out.vswitchIds as Record<string, string>)["prod/cn-hangzhou-i/node"]).toBe("vsw-existing");
    expect(mine("net6", T.vpc)).toEqual([]);
    expect(
      mine("net6", T.vsw)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["net6-prod-cn-hangzhou-i-pod", "net6-prod-cn-hangzhou-j-node", "net6-prod-cn-hangzhou-j-pod"]);
    expect(rt.one(T.nat, "net6-nat").inputs.vswitchId).toBe("vsw-existing");
    expect(rt.one(T.snat, "net6-snat-prod-cn-hangzhou-i-node").inputs.sourceVswitchId).toBe("vsw-existing");
  });

  it("production: deletion protection on the NAT gateway and EIP, protect on the VPC, vSwitches and NAT", async () => {
    await rt.run(async () => {
      new AlicloudNetwork("net7", { ...base(), production: true });
      return {};
    });
    expect(rt.one(T.vpc, "net7-vpc").protect).toBe(true);
    expect(rt.one(T.vsw, "net7-prod-cn-hangzhou-i-node").protect).toBe(true);
    expect(rt.one(T.nat, "net7-nat")).toMatchObject({
      protect: true,
      inputs: expect.objectContaining({ deletionProtection: true }),
    });
    expect(rt.one(T.eip, "net7-nat-eip").inputs.deletionProtection).toBe(true);
  });

  it("one node security group per cluster, with the minimum rules; securityGroupId only for one cluster", async () => {
    const out = await rt.run(async () => {
      const n = new AlicloudNetwork("net8", {
        vpc: { cidr: "10.0.0.0/16" },
        vswitches: [
          ...vswitches("prod", ["cn-hangzhou-i"]).map((v) => v),
          ...vswitches("data", ["cn-hangzhou-j"]).map((v) => ({
            ...v,
            cidr: v.cidr.replace("10.0.0.", "10.0.32.").replace("10.0.64.", "10.0.160."),
          })),
        ],
      });
      return { ids: n.securityGroupIds, one: n.securityGroupId };
    });
    expect(out.ids).toEqual({ prod: "net8-prod-sg-id", data: "net8-data-sg-id" });
    expect(out.one).toBeUndefined();
    expect(rt.one(T.sg, "net8-prod-sg").inputs).toMatchObject({
      vpcId: "net8-vpc-id",
      securityGroupType: "normal",
    });
    expect(rt.one(T.rule, "net8-prod-sg-in-tcp-10250-self").inputs).toMatchObject({
      securityGroupId: "net8-prod-sg-id",
      sourceSecurityGroupId: "net8-prod-sg-id",
      type: "ingress",
      portRange: "10250/10250",
    });
    // A basic group allows all outbound traffic: no egress rule that would restrict nothing.
    expect(rt.resources.filter((r) => r.type === T.rule && r.inputs.type === "egress")).toEqual([]);
  });

  it("adding a zone adds resources and renames none", async () => {
    await rt.run(async () => {
      new AlicloudNetwork("grow", {
        vpc: { cidr: "10.0.0.0/16" },
        vswitches: vswitches("prod", ["cn-hangzhou-i"]),
      });
      return {};
    });
    const before = new Set(mine("grow").map((r) => r.urn));
    const beforeInputs = new Map(mine("grow").map((r) => [r.urn, r.inputs]));
    rt.resources.splice(0, rt.resources.length, ...rt.resources.filter((r) => !r.name.startsWith("grow")));
    await rt.run(async () => {
      new AlicloudNetwork("grow", {
        vpc: { cidr: "10.0.0.0/16" },
        vswitches: vswitches("prod", ["cn-hangzhou-i", "cn-hangzhou-j"]),
      });
      return {};
    });
    const after = mine("grow");
    const afterUrns = new Set(after.map((r) => r.urn));
    for (const urn of before) expect(afterUrns.has(urn)).toBe(true);
    // Only rules that depend on the vSwitch list change inputs (new egress peers are new rules).
    for (const r of after) {
      if (!before.has(r.urn) || r.type === T.rule) continue;
      expect([r.name, r.inputs]).toEqual([r.name, beforeInputs.get(r.urn)]);
    }
    expect(after.length).toBeGreaterThan(before.size);
  });

  describe("validation: every violation, before anything is registered", () => {
    const cases: [string, () => AlicloudNetworkArgs, string, string, RegExp][] = [
      [
        "a vSwitch outside the VPC",
        () => ({
          ...base(),
          vswitches: [
            ...vswitches(),
            {
              key: "x/cn-hangzhou-i/node",
              cluster: "x",
              zone: "cn-hangzhou-i",
              role: "node",
              cidr: "192.168.0.0/24",
            },
          ],
        }),
        "cidr/vswitch-outside-vpc",
        "vswitches[4].cidr",
        /192\.168\.0\.0\/24/,
      ],
      [
        "overlapping vSwitches",
        () => ({
          ...base(),
          vswitches: vswitches().map((v, i) => (i === 2 ? { ...v, cidr: "10.0.8.0/21" } : v)),
        }),
        "cidr/vswitch-overlap",
        "vswitches[2].cidr",
        /10\.0\.0\.0\/20.*10\.0\.8\.0\/21|10\.0\.8\.0\/21.*10\.0\.0\.0\/20/,
      ],
      [
        "a reserved VPC range",
        () => ({ vpc: { cidr: "100.64.0.0/16" }, vswitches: [], nat: { mode: "none" } }),
        "cidr/vpc-reserved-range",
        "vpc.cidr",
        /100\.64\.0\.0\/16/,
      ],
      [
        "a Terway zone without pod vSwitch",
        () => ({ ...base(), vswitches: vswitches().filter((v) => v.key !== "prod/cn-hangzhou-j/pod") }),
        "cidr/terway-zone-mismatch",
        "clusters[0].zones.cn-hangzhou-j",
        /cn-hangzhou-j/,
      ],
      [
        "an invalid CIDR",
        () => ({
          ...base(),
          vswitches: vswitches().map((v, i) => (i === 0 ? { ...v, cidr: "10.0.0.1/20" } : v)),
        }),
        "cidr/invalid",
        "vswitches[0].cidr",
        /canonical form is 10\.0\.0\.0\/20/,
      ],
      [
        "more EIPs than the quota",
        () => ({ ...base(), nat: { mode: "perZone" }, quotas: { eips: 1 } }),
        "quota/eips",
        "quotas.eips",
        /2 EIPs .* > declared quota 1/,
      ],
      [
        "an adopted vSwitch in a new VPC",
        () => ({
          ...base(),
          vswitches: vswitches().map((v, i) => (i === 0 ? { ...v, existingId: "vsw-1" } : v)),
        }),
        "spec/schema",
        "vswitches[0].existingId",
        /adopts vsw-1 but the VPC is created here/,
      ],
      [
        "a duplicate key",
        () => ({
          ...base(),
          vswitches: [
            ...vswitches(),
            { ...(vswitches()[0] as AlicloudNetworkVSwitchArgs), cidr: "10.0.200.0/24" },
          ],
        }),
        "spec/schema",
        "vswitches[4].key",
        /"prod\/cn-hangzhou-i\/node" repeats vswitches\[0\]/,
      ],
    ];
    for (const [what, args, rule, path, message] of cases) {
      it(`${rule}: ${what}`, () => {
        const count = rt.resources.length;
        const e = caught(() => new AlicloudNetwork("bad", args()));
        const d = e.diagnostics.find((x) => x.rule === rule);
        expect(d, e.message).toBeDefined();
        expect(d?.path).toBe(path);
        expect(d?.message).toMatch(message);
        expect(e.message).toContain(rule);
        expect(rt.resources.length).toBe(count);
      });
    }

    it("the compliant reference network has no diagnostic at all", () => {
      expect(validateNetworkArgs("ok", base())).toEqual([]);
    });

    it("one error lists every violation", () => {
      const e = caught(
        () =>
          new AlicloudNetwork("bad", {
            vpc: { cidr: "10.0.0.0/16" },
            vswitches: [
              ...vswitches(),
              {
                key: "x/cn-hangzhou-i/node",
                cluster: "x",
                zone: "cn-hangzhou-i",
                role: "node",
                cidr: "192.168.0.0/24",
              },
              {
                key: "x/cn-hangzhou-i/node",
                cluster: "x",
                zone: "cn-hangzhou-i",
                role: "node",
                cidr: "10.0.0.0/24",
              },
            ],
          }),
      );
      expect(new Set(e.diagnostics.map((d) => d.rule))).toEqual(
        new Set(["cidr/vswitch-outside-vpc", "cidr/vswitch-overlap", "spec/schema"]),
      );
    });
  });

  it("outputs are plain (nothing sensitive), and resolve through the component", async () => {
    const out = await rt.run(async () => {
      const n = new AlicloudNetwork("net9", base());
      return { secret: pulumi.isSecret(n.vswitchIds), sg: n.securityGroupId };
    });
    expect(out.secret).toBe(false);
    expect(await resolveOutput(pulumi.output(out.sg))).toBe("net9-prod-sg-id");
  });
});
