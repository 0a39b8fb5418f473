import {
  CLOUD_SERVICE_RANGE,
  type NodeSecurityGroupInput,
  nodeSecurityGroupRules,
} from "@kubeplat/components/internal/alicloud/securityGroupRules";
import { parseCidr } from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const terway: NodeSecurityGroupInput = {
  cni: "terway",
  nodeVSwitchCidrs: ["10.0.0.0/20", "10.0.16.0/20"],
  podVSwitchCidrs: ["10.0.64.0/19", "10.0.96.0/19"],
  vpcCidrs: ["10.0.0.0/16"],
};
const flannel: NodeSecurityGroupInput = {
  cni: "flannel",
  podCidr: "172.20.0.0/16",
  nodeVSwitchCidrs: ["10.0.0.0/20"],
  vpcCidrs: ["10.0.0.0/16"],
};

const line = (r: ReturnType<typeof nodeSecurityGroupRules>[number]) =>
  `${r.direction} ${r.protocol} ${r.portRange} ${r.peer.self ? "self" : r.peer.cidr}`;

describe("node security group rules (ACK docs: Configure and manage cluster security groups)", () => {
  it("minimum, normal group, Terway: the documented table, peers are the group itself and the API server vSwitches", () => {
    const rules = nodeSecurityGroupRules(terway);
    expect(rules.map(line)).toMatchSnapshot();
    // Terway adds no pod CIDR rule: pods use ENIs in this group (ACK docs: Add existing ECS instances to an ACK cluster).
    expect(rules.some((r) => r.peer.cidr === "10.0.64.0/19")).toBe(false);
    // "所有协议 53/53" becomes tcp and udp: the ECS API takes ports only with tcp/udp.
    expect(
      rules.filter((r) => r.portRange === "53/53" && r.direction === "ingress").map((r) => r.protocol),
    ).toEqual(["tcp", "udp"]);
    expect(rules.some((r) => r.protocol === "all" && r.portRange !== "-1/-1")).toBe(false);
    // No egress: a basic group allows all outbound traffic (see the basic-group test below).
    expect(rules.filter((r) => r.direction === "egress")).toEqual([]);
    for (const port of ["10250/10250", "10255/10255", "443/443"]) {
      expect(rules).toContainEqual(
        expect.objectContaining({
          direction: "ingress",
          protocol: "tcp",
          portRange: port,
          peer: { self: true },
        }),
      );
    }
  });

  it("minimum, Flannel: the pod CIDR is a peer as well (ACK docs: Add existing ECS instances to an ACK cluster)", () => {
    const rules = nodeSecurityGroupRules(flannel);
    expect(rules).toContainEqual(
      expect.objectContaining({
        direction: "ingress",
        protocol: "tcp",
        portRange: "10250/10250",
        peer: { cidr: "172.20.0.0/16" },
      }),
    );
    expect(nodeSecurityGroupRules({ ...flannel, type: "enterprise" })).toContainEqual(
      expect.objectContaining({
        direction: "egress",
        protocol: "udp",
        portRange: "53/53",
        peer: { cidr: "172.20.0.0/16" },
      }),
    );
  });

  it("minimum, enterprise group: every node and pod vSwitch CIDR instead of the group (ACK docs: Configure and manage cluster security groups)", () => {
    const rules = nodeSecurityGroupRules({ ...terway, type: "enterprise" });
    expect(rules.some((r) => r.peer.self)).toBe(false);
    for (const cidr of ["10.0.0.0/20", "10.0.16.0/20", "10.0.64.0/19", "10.0.96.0/19"]) {
      expect(rules).toContainEqual(
        expect.objectContaining({
          direction: "ingress",
          protocol: "udp",
          portRange: "53/53",
          peer: { cidr },
        }),
      );
    }
  });

  it("recommended: ICMP from anywhere, everything inside, all egress where it is not the default (ACK docs: Add existing ECS instances to an ACK cluster)", () => {
    expect(nodeSecurityGroupRules({ ...flannel, ruleSet: "recommended" }).map(line)).toEqual([
      "ingress icmp -1/-1 0.0.0.0/0",
      "ingress all -1/-1 self",
      "ingress all -1/-1 172.20.0.0/16",
    ]);
    expect(
      nodeSecurityGroupRules({ ...terway, type: "enterprise", ruleSet: "recommended" }).map(line),
    ).toEqual([
      "ingress icmp -1/-1 0.0.0.0/0",
      "ingress all -1/-1 10.0.0.0/16",
      "egress all -1/-1 0.0.0.0/0",
    ]);
  });

  it("a basic (normal) group gets no egress rule: it allows all outbound traffic by default, so an accept rule restricts nothing", () => {
    for (const input of [terway, flannel]) {
      for (const ruleSet of ["minimum", "recommended"] as const) {
        const rules = nodeSecurityGroupRules({ ...input, ruleSet });
        expect(rules.filter((r) => r.direction === "egress").map(line)).toEqual([]);
      }
    }
  });

  it("an enterprise group (outbound denied by default) gets the minimum egress whitelist, with the cloud-service range", () => {
    const rules = nodeSecurityGroupRules({ ...terway, type: "enterprise" });
    expect(CLOUD_SERVICE_RANGE).toBe("100.64.0.0/10");
    expect(
      rules.filter((r) => r.direction === "egress" && r.protocol === "all").map((r) => r.peer.cidr),
    ).toEqual([CLOUD_SERVICE_RANGE]);
    expect(rules).toContainEqual(
      expect.objectContaining({
        direction: "egress",
        protocol: "tcp",
        portRange: "6443/6443",
        peer: { cidr: "10.0.16.0/20" },
      }),
    );
  });

  it("every rule's CIDR is canonical (the ECS API and cidr/invalid take no host bits)", () => {
    for (const input of [terway, flannel]) {
      for (const type of ["normal", "enterprise"] as const) {
        for (const ruleSet of ["minimum", "recommended"] as const) {
          for (const r of nodeSecurityGroupRules({ ...input, type, ruleSet })) {
            if (r.peer.cidr === undefined) continue;
            const p = parseCidr(r.peer.cidr);
            expect(p.ok && p.cidr.text, `${type} ${ruleSet} ${line(r)}`).toBe(r.peer.cidr);
          }
        }
      }
    }
  });

  it("extra rules for application ports are appended with stable ids", () => {
    const rules = nodeSecurityGroupRules({
      ...terway,
      extraRules: [
        { direction: "ingress", protocol: "tcp", portRange: "30000/32767", cidr: "192.168.0.0/16" },
      ],
    });
    expect(rules.at(-1)).toEqual({
      id: "in-tcp-30000-32767-192-168-0-0-16",
      direction: "ingress",
      protocol: "tcp",
      portRange: "30000/32767",
      peer: { cidr: "192.168.0.0/16" },
      description: "application ports (ACK docs: Add existing ECS instances to an ACK cluster)",
    });
  });

  it("ids are unique, and adding a node vSwitch never changes or drops an existing rule", () => {
    const cidrArb = fc
      .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 15 }))
      .map(([a, b]) => `10.${a}.${b * 16}.0/20`);
    fc.assert(
      fc.property(
        fc.uniqueArray(cidrArb, { minLength: 1, maxLength: 4 }),
        cidrArb,
        fc.constantFrom("normal" as const, "enterprise" as const),
        fc.constantFrom("terway" as const, "flannel" as const),
        (nodes, extra, type, cni) => {
          const input: NodeSecurityGroupInput = {
            type,
            cni,
            podCidr: "172.20.0.0/16",
            nodeVSwitchCidrs: nodes,
          };
          const before = nodeSecurityGroupRules(input);
          const ids = before.map((r) => r.id);
          expect(new Set(ids).size).toBe(ids.length);
          const after = nodeSecurityGroupRules({ ...input, nodeVSwitchCidrs: [...nodes, extra] });
          const byId = new Map(after.map((r) => [r.id, r]));
          for (const r of before) expect(byId.get(r.id)).toEqual(r);
        },
      ),
      { numRuns: 200 },
    );
  });
});
