import {
  AlicloudLoadBalancer,
  type AlicloudLoadBalancerArgs,
  validateLoadBalancerArgs,
} from "@kubeplat/components/internal/alicloud/AlicloudLoadBalancer";
import {
  annotation,
  NLB_LOAD_BALANCER_CLASS,
} from "@kubeplat/components/internal/alicloud/serviceAnnotations";
import { type MockRuntime, startMockRuntime } from "@kubeplat/components/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { mine as mineIn } from "../../support/runtime";
import { caught } from "../../support/validation";

const T = {
  clb: "alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer",
  nlb: "alicloud:nlb/loadBalancer:LoadBalancer",
  acl: "alicloud:slb/acl:Acl",
  entry: "alicloud:slb/aclEntryAttachment:AclEntryAttachment",
  listener: "alicloud:slb/listener:Listener",
};

const ingress = (): AlicloudLoadBalancerArgs => ({
  addressType: "internet",
  vpcId: "vpc-1",
  vswitches: [
    { id: "vsw-i", zone: "cn-hangzhou-i" },
    { id: "vsw-j", zone: "cn-hangzhou-j" },
  ],
});

let rt: MockRuntime;
beforeAll(async () => {
  rt = await startMockRuntime({
    project: "platform",
    stack: "dev",
    state: (a) =>
      a.type === T.clb
        ? { address: "47.2.2.2" }
        : a.type === T.nlb
          ? { dnsName: `${a.name}.nlb.aliyuncs.com` }
          : undefined,
  });
});

const mine = (prefix: string, type?: string) => mineIn(rt, prefix, type);

describe("AlicloudLoadBalancer", () => {
  it("a production ingress CLB: protected, deletion and console protection, an ACL, CCM-managed listeners", async () => {
    const out = await rt.run(async () => {
      const lb = new AlicloudLoadBalancer("ingress", {
        ...ingress(),
        production: true,
        acl: { type: "white", cidrs: ["203.0.113.0/24", "198.51.100.0/24"] },
        service: {
          listeners: [
            { protocol: "tcp", port: 80 },
            { protocol: "tcp", port: 443 },
          ],
        },
      });
      return {
        id: lb.loadBalancerId,
        address: lb.address,
        annotations: lb.serviceAnnotations,
        policy: lb.externalTrafficPolicy,
        klass: lb.loadBalancerClass,
      };
    });
    const clb = rt.one(T.clb, "ingress-clb");
    expect(clb.protect).toBe(true);
    expect(clb.parent).toBe(rt.one("platform:alicloud:AlicloudLoadBalancer", "ingress").urn);
    expect(clb.inputs).toMatchObject({
      loadBalancerName: "ingress",
      addressType: "internet",
      paymentType: "PayAsYouGo",
      instanceChargeType: "PayByCLCU",
      internetChargeType: "PayByTraffic",
      deleteProtection: "on",
      modificationProtectionStatus: "ConsoleProtection",
    });
    expect(clb.inputs.vswitchId).toBeUndefined();
    expect(clb.replaceOnChanges).toEqual(["addressType", "vswitchId", "masterZoneId", "slaveZoneId"]);
    expect(mine("ingress", T.entry).map((e) => [e.name, e.inputs.entry, e.inputs.aclId])).toEqual([
      ["ingress-acl-203-0-113-0-24", "203.0.113.0/24", "ingress-acl-id"],
      ["ingress-acl-198-51-100-0-24", "198.51.100.0/24", "ingress-acl-id"],
    ]);
    expect(mine("ingress", T.listener)).toEqual([]);
    expect(out).toEqual({
      id: "ingress-clb-id",
      address: "47.2.2.2",
      annotations: {
        [annotation("acl-id")]: "ingress-acl-id",
        [annotation("acl-status")]: "on",
        [annotation("acl-type")]: "white",
        [annotation("address-type")]: "internet",
        [annotation("force-override-listeners")]: "true",
        [annotation("id")]: "ingress-clb-id",
        [annotation("protocol-port")]: "tcp:80,tcp:443",
        [annotation("scheduler")]: "wrr",
      },
      policy: "Local",
      klass: undefined,
    });
  });

  it("an intranet CLB sits in the first vSwitch", async () => {
    await rt.run(async () => {
      new AlicloudLoadBalancer("internal", { ...ingress(), addressType: "intranet" });
      return {};
    });
    expect(rt.one(T.clb, "internal-clb").inputs).toMatchObject({
      addressType: "intranet",
      vswitchId: "vsw-i",
    });
    expect(rt.one(T.clb, "internal-clb").inputs.internetChargeType).toBeUndefined();
  });

  it("Pulumi-managed listeners with the ACL applied, and CCM told not to override them", async () => {
    const out = await rt.run(async () => {
      const lb = new AlicloudLoadBalancer("api", {
        ...ingress(),
        addressType: "intranet",
        purpose: "apiserver",
        listenerManagement: "pulumi",
        listeners: [{ protocol: "tcp", port: 6443 }],
        acl: { type: "white", cidrs: ["10.0.0.0/16"] },
      });
      return { annotations: lb.serviceAnnotations };
    });
    expect(rt.one(T.listener, "api-tcp-6443").inputs).toMatchObject({
      loadBalancerId: "api-clb-id",
      protocol: "tcp",
      frontendPort: 6443,
      backendPort: 6443,
      scheduler: "wrr",
      aclStatus: "on",
      aclType: "white",
      aclId: "api-acl-id",
    });
    expect((out.annotations as Record<string, string>)[annotation("force-override-listeners")]).toBe("false");
    expect((out.annotations as Record<string, string>)[annotation("acl-id")]).toBeUndefined();
  });

  it("an NLB across two zones, with security groups and the NLB load balancer class", async () => {
    const out = await rt.run(async () => {
      const lb = new AlicloudLoadBalancer("edge", {
        ...ingress(),
        kind: "nlb",
        securityGroupIds: ["sg-edge"],
      });
      return { klass: lb.loadBalancerClass, address: lb.address };
    });
    expect(rt.one(T.nlb, "edge-nlb").inputs).toMatchObject({
      loadBalancerName: "edge",
      addressType: "Internet",
      vpcId: "vpc-1",
      zoneMappings: [
        { vswitchId: "vsw-i", zoneId: "cn-hangzhou-i" },
        { vswitchId: "vsw-j", zoneId: "cn-hangzhou-j" },
      ],
      securityGroupIds: ["sg-edge"],
      deletionProtectionConfig: { enabled: false },
    });
    expect(out).toEqual({ klass: NLB_LOAD_BALANCER_CLASS, address: "edge-nlb.nlb.aliyuncs.com" });
  });

  describe("validation: every violation, before anything is registered", () => {
    const cases: [string, () => AlicloudLoadBalancerArgs, string, string, RegExp][] = [
      [
        "production without deletion protection",
        () => ({ ...ingress(), production: true, deletionProtection: false }),
        "security/deletion-protection",
        "deletionProtection",
        /load balancer "bad": deletionProtection false/,
      ],
      [
        "production without protect",
        () => ({ ...ingress(), production: true, protect: false }),
        "security/deletion-protection",
        "protect",
        /protect false/,
      ],
      [
        "Cluster traffic policy (advisory)",
        () => ({
          ...ingress(),
          production: true,
          deletionProtection: false,
          service: { externalTrafficPolicy: "Cluster" },
        }),
        "lb/traffic-policy",
        "service.externalTrafficPolicy",
        /uses externalTrafficPolicy Cluster/,
      ],
      [
        "an intranet balancer outside the cluster's VPC",
        () => ({ ...ingress(), addressType: "intranet", clusterVpcId: "vpc-2" }),
        "lb/reuse",
        "vpcId",
        /is intranet in VPC vpc-1 but the cluster is in VPC vpc-2/,
      ],
      [
        "51 listeners",
        () => ({
          ...ingress(),
          service: {
            listeners: Array.from({ length: 51 }, (_, i) => ({ protocol: "tcp" as const, port: 1000 + i })),
          },
        }),
        "quota/load-balancers",
        "service.listeners",
        /has 51 listeners > default quota 50/,
      ],
      [
        "an invalid ACL entry",
        () => ({ ...ingress(), acl: { type: "white", cidrs: ["10.0.0.1/16"] } }),
        "cidr/invalid",
        "acl.cidrs[0]",
        /canonical form is 10\.0\.0\.0\/16/,
      ],
      [
        "an NLB in one zone",
        () => ({ ...ingress(), kind: "nlb", vswitches: [{ id: "vsw-i", zone: "cn-hangzhou-i" }] }),
        "spec/schema",
        "vswitches",
        /needs vSwitches in ≥ 2 zones, got \[cn-hangzhou-i\]/,
      ],
      [
        "an ACL on an NLB",
        () => ({ ...ingress(), kind: "nlb", acl: { type: "white", cidrs: ["10.0.0.0/8"] } }),
        "spec/schema",
        "acl",
        /an NLB has no ACL/,
      ],
      [
        "listeners owned by CCM declared as resources",
        () => ({ ...ingress(), listeners: [{ protocol: "tcp", port: 80 }] }),
        "spec/schema",
        "listeners",
        /listeners are CCM's/,
      ],
      [
        "https without certificate",
        () => ({ ...ingress(), listenerManagement: "pulumi", listeners: [{ protocol: "https", port: 443 }] }),
        "spec/schema",
        "listeners[0].certificateId",
        /https listener on 443 needs certificateId/,
      ],
      [
        "Local traffic with round robin",
        () => ({ ...ingress(), service: { scheduler: "rr" } }),
        "spec/schema",
        "service.scheduler",
        /needs scheduler "wrr", not "rr"/,
      ],
    ];
    for (const [what, args, rule, path, message] of cases) {
      it(`${rule}: ${what}`, () => {
        const ds = validateLoadBalancerArgs("bad", args());
        const d = ds.find((x) => x.rule === rule && x.path === path);
        expect(d, JSON.stringify(ds, null, 1)).toBeDefined();
        expect(d?.message).toMatch(message);
        if (d?.severity === "mandatory") {
          const count = rt.resources.length;
          const e = caught(() => new AlicloudLoadBalancer("bad", args()));
          expect(e.message).toContain(rule);
          expect(rt.resources.length).toBe(count);
        }
      });
    }

    it("the compliant production balancer has no diagnostic", () => {
      expect(validateLoadBalancerArgs("ok", { ...ingress(), production: true })).toEqual([]);
    });
  });
});
