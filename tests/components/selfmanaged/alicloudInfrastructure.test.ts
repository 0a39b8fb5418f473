/**
 * A self-managed cluster on Alibaba Cloud under Pulumi's mock runtime: ECS instances at the planned
 * IPs replaced one at a time, the API NLB at the VIP and one planned address per other zone,
 * an ESS scaling group and its active configuration per pool, the nodes' security group.
 */
import { nlbZoneMappings } from "@kubeplat/components/internal/selfmanaged/alicloudInfrastructure";
import {
  SelfManagedCluster,
  type SelfManagedClusterArgs,
} from "@kubeplat/components/internal/selfmanaged/SelfManagedCluster";
import { essCapacity } from "@kubeplat/components/internal/selfmanaged/workerCapacity";
import type { MockRuntime } from "@kubeplat/components/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { offlineRuntime } from "../../support/runtime";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

const args: SelfManagedClusterArgs = {
  cloud: "alicloud",
  clusterName: "sm-ali",
  zones: ["cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j"],
  kubernetesVersion: "v1.37.2",
  cni: "calico",
  podCidr: "172.16.0.0/16",
  serviceCidr: "172.17.0.0/20",
  apiVip: "10.48.7.251",
  apiVipSubnetCidr: "10.48.0.0/21",
  apiVipSubnetId: "vsw-a",
  apiVipZone: "cn-hangzhou-h",
  apiZoneAddresses: [
    { zone: "cn-hangzhou-i", subnetId: "vsw-b", ip: "10.48.23.251" },
    { zone: "cn-hangzhou-j", subnetId: "vsw-c", ip: "10.48.39.251" },
  ],
  controlPlane: {
    count: 3,
    instanceType: "ecs.g7.xlarge",
    diskGiB: 120,
    nodes: [
      { name: "sm-ali-cp-0", ip: "10.48.7.250", subnetId: "vsw-a", zone: "cn-hangzhou-h" },
      { name: "sm-ali-cp-1", ip: "10.48.23.250", subnetId: "vsw-b", zone: "cn-hangzhou-i" },
      { name: "sm-ali-cp-2", ip: "10.48.39.250", subnetId: "vsw-c", zone: "cn-hangzhou-j" },
    ],
  },
  imageId: "m-0ostree",
  vpcId: "vpc-1",
  vpcCidrs: ["10.48.0.0/16"],
  pools: [
    {
      name: "general",
      instanceTypes: ["ecs.g7.large", "ecs.g6.large"],
      capacity: { type: "mixed", onDemandBase: 1, onDemandPercentage: 50 },
      minSize: 2,
      maxSize: 4,
      subnetIds: ["vsw-a", "vsw-b", "vsw-c"],
    },
  ],
  encryption: { provider: "secretbox" },
};

describe("SelfManagedCluster on Alibaba Cloud", () => {
  let rt: MockRuntime;
  beforeAll(async () => {
    rt = await offlineRuntime({ preview: false });
    await rt.run(() => {
      const c = new SelfManagedCluster("sm", args);
      return { kubeconfig: c.kubeconfig };
    });
  });
  const of = (type: string) => rt.resources.filter((r) => r.type === type);

  it("builds nothing of AWS", () => {
    expect(rt.resources.filter((r) => r.type.startsWith("aws:"))).toEqual([]);
  });

  it("puts the NLB on the VIP in the first zone and a planned address in every other zone", () => {
    const [nlb] = of("alicloud:nlb/loadBalancer:LoadBalancer");
    expect(nlb?.inputs).toMatchObject({
      addressType: "Intranet",
      addressIpVersion: "ipv4",
      loadBalancerType: "Network",
      vpcId: "vpc-1",
      zoneMappings: [
        { zoneId: "cn-hangzhou-h", vswitchId: "vsw-a", privateIpv4Address: "10.48.7.251" },
        { zoneId: "cn-hangzhou-i", vswitchId: "vsw-b", privateIpv4Address: "10.48.23.251" },
        { zoneId: "cn-hangzhou-j", vswitchId: "vsw-c", privateIpv4Address: "10.48.39.251" },
      ],
    });
    const [group] = of("alicloud:nlb/serverGroup:ServerGroup");
    // A node reaches its own API server through the VIP: client address retention must be off.
    expect(group?.inputs).toMatchObject({
      serverGroupType: "Ip",
      protocol: "TCP",
      preserveClientIpEnabled: false,
    });
    expect(of("alicloud:nlb/listener:Listener")[0]?.inputs).toMatchObject({
      listenerProtocol: "TCP",
      listenerPort: 6443,
    });
    expect(
      of("alicloud:nlb/serverGroupServerAttachment:ServerGroupServerAttachment").map((a) => [
        a.inputs.serverType,
        a.inputs.serverIp,
        a.inputs.port,
      ]),
    ).toEqual([
      ["Ip", "10.48.7.250", 6443],
      ["Ip", "10.48.23.250", 6443],
      ["Ip", "10.48.39.250", 6443],
    ]);
  });

  it("never lists a zone twice, the VIP's zone first", () => {
    const m = nlbZoneMappings({ zone: "z1", subnetId: "a", ip: "10.0.0.4" }, [
      { zone: "z1", subnetId: "a", ip: "10.0.0.5" },
      { zone: "z2", subnetId: "b", ip: "10.0.1.4" },
    ]);
    expect(m.map((x) => [x.zoneId, x.privateIpv4Address])).toEqual([
      ["z1", "10.0.0.4"],
      ["z2", "10.0.1.4"],
    ]);
  });

  it("replaces control-plane instances one at a time, at their planned IPs, never in place", () => {
    const instances = of("alicloud:ecs/instance:Instance");
    expect(
      instances.map((i) => [i.name, i.inputs.privateIp, i.inputs.vswitchId, i.deleteBeforeReplace]),
    ).toEqual([
      ["sm-cp-0", "10.48.7.250", "vsw-a", true],
      ["sm-cp-1", "10.48.23.250", "vsw-b", true],
      ["sm-cp-2", "10.48.39.250", "vsw-c", true],
    ]);
    for (const i of instances) expect(i.replaceOnChanges).toEqual(["userData", "imageId"]);
    const ready = of("command:local:Command");
    expect(instances[1]?.dependencies).toContain(ready[0]?.urn);
    expect(instances[2]?.dependencies).toContain(ready[1]?.urn);
    expect(instances[0]?.inputs).toMatchObject({
      imageId: "m-0ostree",
      systemDiskCategory: "cloud_essd",
      systemDiskSize: 120,
      systemDiskEncrypted: true,
      httpTokens: "required",
    });
  });

  it("boots each node with its Ignition, base64, as a secret", () => {
    const ud = of("alicloud:ecs/instance:Instance")[0]?.inputs.userData as Record<string, string>;
    expect(ud[SECRET_SIG]).toBeDefined();
    const ign = JSON.parse(Buffer.from(ud.value as string, "base64").toString("utf8"));
    expect(ign.ignition.version).toMatch(/^3\./);
    const conf = of("alicloud:ess/scalingConfiguration:ScalingConfiguration")[0];
    const wud = conf?.inputs.userData as Record<string, string>;
    expect(wud[SECRET_SIG]).toBeDefined();
    expect(JSON.parse(Buffer.from(wud.value as string, "base64").toString("utf8")).ignition.version).toMatch(
      /^3\./,
    );
  });

  it("runs each pool as an ESS scaling group with its capacity and an active configuration", () => {
    const [group] = of("alicloud:ess/scalingGroup:ScalingGroup");
    expect(group?.inputs).toMatchObject({
      minSize: 2,
      maxSize: 4,
      desiredCapacity: 2,
      vswitchIds: ["vsw-a", "vsw-b", "vsw-c"],
      multiAzPolicy: "COST_OPTIMIZED",
      onDemandBaseCapacity: 1,
      onDemandPercentageAboveBaseCapacity: 50,
      spotInstancePools: 2,
      removalPolicies: ["OldestScalingConfiguration", "OldestInstance"],
    });
    const [conf] = of("alicloud:ess/scalingConfiguration:ScalingConfiguration");
    expect(conf?.inputs).toMatchObject({
      imageId: "m-0ostree",
      instanceTypes: ["ecs.g7.large", "ecs.g6.large"],
      spotStrategy: "SpotAsPriceGo",
      active: true,
      enable: true,
      forceDelete: true,
      systemDiskEncrypted: true,
    });
    expect(conf?.replaceOnChanges).toEqual(["imageId", "userData"]);
  });

  it("opens the API server to the VPC; nodes reach each other through the group", () => {
    expect(of("alicloud:ecs/securityGroup:SecurityGroup")[0]?.inputs).toMatchObject({
      innerAccessPolicy: "Accept",
    });
    expect(
      of("alicloud:ecs/securityGroupRule:SecurityGroupRule").map((r) => [
        r.inputs.portRange,
        r.inputs.cidrIp,
      ]),
    ).toEqual([
      ["6443/6443", "10.48.0.0/16"],
      ["6443/6443", "100.64.0.0/10"],
    ]);
  });
});

describe("essCapacity", () => {
  it("keeps on-demand pools off spot and spreads them evenly", () => {
    expect(essCapacity({ type: "on-demand" }, 3)).toEqual({
      multiAzPolicy: "BALANCE",
      spotStrategy: "NoSpot",
    });
  });
  it("runs spot pools entirely on spot over up to ten instance types", () => {
    expect(essCapacity({ type: "spot" }, 12)).toMatchObject({
      multiAzPolicy: "COST_OPTIMIZED",
      onDemandBaseCapacity: 0,
      onDemandPercentageAboveBaseCapacity: 0,
      spotInstancePools: 10,
      spotStrategy: "SpotAsPriceGo",
    });
  });
});
