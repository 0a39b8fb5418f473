/**
 * The ForceNew table: a change of a listed input is a replacement, anything else an update in
 * place; nested blocks (objects or one-element lists) and `replaceOnChanges` count.
 */
import { describe, expect, it } from "vitest";
import { diffInputs, STATEFUL_TYPES } from "../../../stacks/offline/replacement";

const ACK = "alicloud:cs/managedKubernetes:ManagedKubernetes";
const EKS_NG = "aws:eks/nodeGroup:NodeGroup";

describe("diffInputs", () => {
  it("an ACK cluster's version moves in place; its pod or service CIDR replaces it", () => {
    const before = { version: "1.35.7-aliyun.1", serviceCidr: "172.17.0.0/20", podCidr: "10.0.0.0/16" };
    expect(diffInputs(ACK, before, { ...before, version: "1.36.1-aliyun.1" })).toEqual({
      changed: ["version"],
      forceNew: [],
    });
    expect(diffInputs(ACK, before, { ...before, serviceCidr: "172.18.0.0/20" }).forceNew).toEqual([
      "serviceCidr",
    ]);
    expect(diffInputs(ACK, before, { ...before, podCidr: "10.1.0.0/16" }).forceNew).toEqual(["podCidr"]);
  });

  it("an EKS node group: instance types and the launch template id replace it, its version does not", () => {
    const before = { instanceTypes: ["m6i.large"], launchTemplate: { id: "lt-1", version: "1" } };
    expect(diffInputs(EKS_NG, before, { ...before, launchTemplate: { id: "lt-1", version: "2" } })).toEqual({
      changed: ["launchTemplate"],
      forceNew: [],
    });
    expect(
      diffInputs(EKS_NG, before, { ...before, launchTemplate: [{ id: "lt-2", version: "1" }] }).forceNew,
    ).toEqual(["launchTemplate.id"]);
    expect(diffInputs(EKS_NG, before, { ...before, instanceTypes: ["m7i.large"] }).forceNew).toEqual([
      "instanceTypes",
    ]);
  });

  it("object keys in another order are no change; replaceOnChanges forces a replacement", () => {
    const t = "aws:ec2/routeTableAssociation:RouteTableAssociation";
    expect(diffInputs(t, { a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } })).toEqual({
      changed: [],
      forceNew: [],
    });
    expect(diffInputs(t, { subnetId: "a" }, { subnetId: "b" }, ["subnetId"]).forceNew).toEqual(["subnetId"]);
  });

  it("every stateful kind the issue names has a table entry", () => {
    const kinds = new Set(Object.values(STATEFUL_TYPES).map((k) => k.kind));
    expect([...kinds].sort()).toEqual([
      "cluster",
      "control-plane node",
      "load balancer",
      "node pool",
      "vpc",
      "vswitch",
    ]);
  });

  it("an EC2 instance's user data replaces it only with userDataReplaceOnChange; its AMI and IP always", () => {
    const t = "aws:ec2/instance:Instance";
    const before = { ami: "ami-1", privateIp: "10.0.0.5", userData: "a", userDataReplaceOnChange: true };
    expect(diffInputs(t, before, { ...before, userData: "b" })).toEqual({
      changed: ["userData"],
      forceNew: ["userData"],
    });
    const inPlace = { ...before, userDataReplaceOnChange: false };
    expect(diffInputs(t, inPlace, { ...inPlace, userData: "b" }).forceNew).toEqual([]);
    expect(diffInputs(t, before, { ...before, ami: "ami-2" }).forceNew).toEqual(["ami"]);
    expect(diffInputs(t, before, { ...before, privateIp: "10.0.0.6" }).forceNew).toEqual(["privateIp"]);
  });
});
