import { describe, expect, it } from "vitest";
import { evaluatePolicies } from "../../policy/evaluate";
import { policies } from "../../policy/policies";
import { Stack, UNKNOWN } from "./stack";

describe("smoke", () => {
  it("runs", () => {
    console.log(policies.map((p) => p.name).join("\n"));
    const s = new Stack("prod");
    const vpc = s.add("alicloud:vpc/network:Network", "vpc", { cidrBlock: "10.0.0.0/8" });
    const a = s.add(
      "alicloud:vpc/switch:Switch",
      "a",
      { cidrBlock: "10.0.0.0/16", vpcId: UNKNOWN, zoneId: "cn-a" },
      { vpcId: [vpc] },
    );
    s.add(
      "alicloud:vpc/switch:Switch",
      "b",
      { cidrBlock: "10.0.128.0/17", vpcId: UNKNOWN, zoneId: "cn-a" },
      { vpcId: [vpc] },
    );
    const c = s.add(
      "alicloud:cs/managedKubernetes:ManagedKubernetes",
      "k",
      {
        name: "k",
        clusterSpec: "ack.pro.small",
        podCidr: "10.1.0.0/16",
        serviceCidr: "172.16.0.0/16",
        vswitchIds: [UNKNOWN],
        workerVswitchIds: [UNKNOWN],
      },
      { vswitchIds: [a], workerVswitchIds: [a] },
    );
    s.add(
      "alicloud:cs/nodePool:NodePool",
      "p",
      {
        clusterId: UNKNOWN,
        nodePoolName: "p",
        vswitchIds: [UNKNOWN],
        desiredSize: "3",
        imageType: "AliyunLinux3",
        password: "abc",
      },
      { clusterId: [c], vswitchIds: [a] },
    );
    const d = evaluatePolicies(s.resources, { stackName: "prod" });
    console.log(d);
    expect(d.length).toBeGreaterThan(0);
  });
});
