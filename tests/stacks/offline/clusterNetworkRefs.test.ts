/**
 * Every ACK cluster of the shipped Alibaba Cloud environments is created in the platform's own
 * network: its vSwitches and the node security group the network registers with the access rules
 * of securityGroupRules.ts. (The Platform's references were once read before the network existed,
 * and every ACK cluster got no securityGroupId, so ACK made a group of its own and the platform's
 * rules applied to nothing; the mock runtime accepted the missing input.)
 */
import { describe, expect, it } from "vitest";
import { previewEnvironment } from "../../../stacks/offline/preview";

describe("ACK clusters take the network's security group", () => {
  for (const env of ["dev", "staging", "prod"]) {
    it(env, async () => {
      const r = await previewEnvironment(env);
      const groups = r.resources.filter((x) => x.type === "alicloud:ecs/securityGroup:SecurityGroup");
      const clusters = r.resources.filter(
        (x) => x.type === "alicloud:cs/managedKubernetes:ManagedKubernetes",
      );
      expect(groups.length).toBeGreaterThan(0);
      expect(clusters.length).toBeGreaterThan(0);
      for (const c of clusters) {
        const sg = c.inputs.securityGroupId;
        expect(sg, `${c.name} has a securityGroupId`).toEqual(expect.any(String));
        expect(sg).not.toBe("");
        expect(c.dependencies.some((d) => groups.some((g) => g.urn === d))).toBe(true);
      }
    });
  }
});
