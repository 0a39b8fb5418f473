/**
 * The reference Alibaba Cloud environment: a production ACK Pro cluster in two zones with
 * Terway, one node pool, a NAT gateway and an ingress CLB. Its URN list is pinned: a change to
 * it (a renamed child is a replaced resource) must be deliberate and show up in review.
 */

import { AckCluster } from "@kubeplat/components/internal/alicloud/AckCluster";
import { AckNodePool } from "@kubeplat/components/internal/alicloud/AckNodePool";
import { AlicloudLoadBalancer } from "@kubeplat/components/internal/alicloud/AlicloudLoadBalancer";
import {
  AlicloudNetwork,
  type AlicloudNetworkVSwitchArgs,
} from "@kubeplat/components/internal/alicloud/AlicloudNetwork";
import { type MockRuntime, startMockRuntime } from "@kubeplat/components/testing";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";

const ZONES = ["cn-hangzhou-i", "cn-hangzhou-j"];
const VSWITCHES: AlicloudNetworkVSwitchArgs[] = ZONES.flatMap((zone, i) => [
  { key: `prod/${zone}/node`, cluster: "prod", zone, role: "node" as const, cidr: `10.0.${i * 16}.0/20` },
  { key: `prod/${zone}/pod`, cluster: "prod", zone, role: "pod" as const, cidr: `10.0.${64 + i * 32}.0/19` },
]);

function referenceEnvironment() {
  const network = new AlicloudNetwork("prod", {
    production: true,
    vpc: { cidr: "10.0.0.0/16" },
    vswitches: VSWITCHES,
    tags: { env: "prod" },
  });
  const byRole = (role: "node" | "pod") =>
    VSWITCHES.filter((v) => v.role === role).map((v) => ({
      id: network.vswitchIds.apply((ids) => ids[v.key] as string),
      zone: v.zone,
      cidr: v.cidr,
    }));
  const cluster = new AckCluster("prod", {
    production: true,
    vswitches: byRole("node"),
    podVSwitches: byRole("pod"),
    vpcCidrs: ["10.0.0.0/16"],
    serviceCidr: "172.21.0.0/20",
    kubernetesVersion: "1.36.1-aliyun.1",
    securityGroupId: network.securityGroupIds.apply((ids) => ids.prod as string),
    maxNodes: 10,
    tags: { env: "prod" },
  });
  const pool = new AckNodePool("prod-workers", {
    production: true,
    clusterId: cluster.clusterId,
    clusterName: "prod",
    vswitchIds: byRole("node").map((v) => v.id),
    instanceTypes: ["ecs.g7.xlarge", "ecs.g6.xlarge"],
    autoscaling: { minSize: 2, maxSize: 10 },
    keyPairName: "platform-ops",
    securityGroupIds: [network.securityGroupIds.apply((ids) => ids.prod as string)],
  });
  const ingress = new AlicloudLoadBalancer("prod-ingress", {
    production: true,
    addressType: "internet",
    vpcId: network.vpcId,
    vswitches: byRole("node").map((v) => ({ id: v.id, zone: v.zone })),
    service: {
      listeners: [
        { protocol: "tcp", port: 80 },
        { protocol: "tcp", port: 443 },
      ],
    },
  });
  return { network, cluster, pool, ingress };
}

let rt: MockRuntime;
let env: ReturnType<typeof referenceEnvironment>;
let outputs: Record<string, unknown>;
beforeAll(async () => {
  rt = await startMockRuntime({
    project: "platform",
    stack: "prod",
    state: (a) => {
      if (a.type === "alicloud:vpc/natGateway:NatGateway") return { snatTableIds: "stb-1" };
      if (a.type === "alicloud:ecs/eipAddress:EipAddress") return { ipAddress: "47.1.1.1" };
      if (a.type === "alicloud:cs/managedKubernetes:ManagedKubernetes") return { slbId: "lb-api" };
      return undefined;
    },
    call: (a) =>
      a.token === "alicloud:cs/getClusterCredential:getClusterCredential"
        ? { kubeConfig: "apiVersion: v1\nkind: Config\n" }
        : undefined,
  });
  outputs = await rt.run(async () => {
    env = referenceEnvironment();
    return {
      vpcId: env.network.vpcId,
      clusterId: env.cluster.clusterId,
      kubeconfig: env.cluster.kubeconfig,
      ingress: env.ingress.serviceAnnotations,
    };
  });
});

const P = "urn:pulumi:prod::platform::";
const NET = `${P}platform:alicloud:AlicloudNetwork$`;
const rule = (r: string) => `${NET}alicloud:ecs/securityGroupRule:SecurityGroupRule::prod-prod-sg-${r}`;

describe("reference environment (Pro, 2 zones, Terway, one pool, NAT, ingress CLB)", () => {
  it("registers exactly these resources (pinned)", () => {
    expect(rt.urns()).toEqual([
      `${P}platform:alicloud:AckCluster$alicloud:cs/managedKubernetes:ManagedKubernetes::prod-cluster`,
      `${P}platform:alicloud:AckCluster$alicloud:kms/key:Key::prod-secrets`,
      `${P}platform:alicloud:AckCluster$pulumi:providers:kubernetes::prod-k8s`,
      `${P}platform:alicloud:AckNodePool$alicloud:cs/nodePool:NodePool::prod-workers-pool`,
      `${P}platform:alicloud:AlicloudLoadBalancer$alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer::prod-ingress-clb`,
      `${NET}alicloud:ecs/eipAddress:EipAddress::prod-nat-eip`,
      `${NET}alicloud:ecs/eipAssociation:EipAssociation::prod-nat-eip-assoc`,
      `${NET}alicloud:ecs/securityGroup:SecurityGroup::prod-prod-sg`,
      rule("in-icmp-any-self"),
      rule("in-tcp-10250-self"),
      rule("in-tcp-10255-self"),
      rule("in-tcp-443-self"),
      rule("in-tcp-53-self"),
      rule("in-udp-53-self"),
      `${NET}alicloud:vpc/natGateway:NatGateway::prod-nat`,
      `${NET}alicloud:vpc/network:Network::prod-vpc`,
      `${NET}alicloud:vpc/snatEntry:SnatEntry::prod-snat-prod-cn-hangzhou-i-node`,
      `${NET}alicloud:vpc/snatEntry:SnatEntry::prod-snat-prod-cn-hangzhou-i-pod`,
      `${NET}alicloud:vpc/snatEntry:SnatEntry::prod-snat-prod-cn-hangzhou-j-node`,
      `${NET}alicloud:vpc/snatEntry:SnatEntry::prod-snat-prod-cn-hangzhou-j-pod`,
      `${NET}alicloud:vpc/switch:Switch::prod-prod-cn-hangzhou-i-node`,
      `${NET}alicloud:vpc/switch:Switch::prod-prod-cn-hangzhou-i-pod`,
      `${NET}alicloud:vpc/switch:Switch::prod-prod-cn-hangzhou-j-node`,
      `${NET}alicloud:vpc/switch:Switch::prod-prod-cn-hangzhou-j-pod`,
      `${P}pulumi:pulumi:Stack$platform:alicloud:AckCluster::prod`,
      `${P}pulumi:pulumi:Stack$platform:alicloud:AckNodePool::prod-workers`,
      `${P}pulumi:pulumi:Stack$platform:alicloud:AlicloudLoadBalancer::prod-ingress`,
      `${P}pulumi:pulumi:Stack$platform:alicloud:AlicloudNetwork::prod`,
      `${P}pulumi:pulumi:Stack::platform-prod`,
    ]);
  });

  it("every custom resource is a child of its component", () => {
    const components = new Set(
      rt.resources.filter((r) => r.type.startsWith("platform:alicloud:")).map((r) => r.urn),
    );
    for (const r of rt.resources.filter((x) => x.custom)) {
      expect(components.has(r.parent as string), `${r.urn} has parent ${r.parent}`).toBe(true);
    }
  });

  it("wires the components together through their outputs", () => {
    expect(outputs.vpcId).toBe("prod-vpc-id");
    const cluster = rt.one("alicloud:cs/managedKubernetes:ManagedKubernetes", "prod-cluster");
    expect(cluster.inputs).toMatchObject({
      vswitchIds: ["prod-prod-cn-hangzhou-i-node-id", "prod-prod-cn-hangzhou-j-node-id"],
      podVswitchIds: ["prod-prod-cn-hangzhou-i-pod-id", "prod-prod-cn-hangzhou-j-pod-id"],
      securityGroupId: "prod-prod-sg-id",
      encryptionProviderKey: "prod-secrets-id",
      deletionProtection: true,
      slbInternetEnabled: false,
    });
    expect(rt.one("alicloud:cs/nodePool:NodePool", "prod-workers-pool").inputs).toMatchObject({
      clusterId: "prod-cluster-id",
      securityGroupIds: ["prod-prod-sg-id"],
      scalingConfig: { enable: true, minSize: 2, maxSize: 10 },
    });
    expect(outputs.ingress).toMatchObject({
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id": "prod-ingress-clb-id",
      "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-force-override-listeners": "true",
    });
  });

  it("protects the stateful production resources", () => {
    const protectedNames = rt.resources
      .filter((r) => r.protect)
      .map((r) => r.name)
      .sort();
    expect(protectedNames).toEqual([
      "prod-cluster",
      "prod-ingress-clb",
      "prod-nat",
      "prod-nat-eip",
      "prod-prod-cn-hangzhou-i-node",
      "prod-prod-cn-hangzhou-i-pod",
      "prod-prod-cn-hangzhou-j-node",
      "prod-prod-cn-hangzhou-j-pod",
      "prod-secrets",
      "prod-vpc",
    ]);
  });

  it("the kubeconfig leaves the program only as a secret", async () => {
    expect(await pulumi.isSecret(env.cluster.kubeconfig)).toBe(true);
    expect(outputs.kubeconfig).toBe("apiVersion: v1\nkind: Config\n");
  });
});
