/**
 * Every shipped environment previews offline with no mandatory violation, and its URN list is
 * pinned: changing one is a deliberate, reviewed act (a changed URN is a replaced resource).
 * Regenerate a pin after a deliberate change with: UPDATE_URNS=1 npx vitest run tests/stacks/offline/preview.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { failed, previewEnvironment } from "../../../stacks/offline/preview";
import { listEnvironments } from "../../../stacks/offline/stackConfig";

const PINS = join(__dirname, "urns");
const STATEFUL = [
  "alicloud:vpc/network:Network",
  "alicloud:vpc/switch:Switch",
  "alicloud:cs/managedKubernetes:ManagedKubernetes",
  "alicloud:cs/nodePool:NodePool",
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:eks/cluster:Cluster",
  "aws:eks/nodeGroup:NodeGroup",
  "aws:ec2/instance:Instance",
  "aws:autoscaling/group:Group",
  "alicloud:ecs/instance:Instance",
  "alicloud:nlb/loadBalancer:LoadBalancer",
  "alicloud:ess/scalingGroup:ScalingGroup",
];

describe("offline preview of every shipped environment", () => {
  it("ships the seven environments", () => {
    expect(listEnvironments()).toEqual([
      "aws-dev",
      "aws-karpenter",
      "dev",
      "prod",
      "selfmanaged-ali-dev",
      "selfmanaged-dev",
      "staging",
    ]);
  });

  // One Pulumi runtime per process: the environments run one after another.
  for (const env of [
    "dev",
    "staging",
    "prod",
    "aws-dev",
    "aws-karpenter",
    "selfmanaged-dev",
    "selfmanaged-ali-dev",
  ]) {
    it(`${env}: clean preview, pinned URNs`, async () => {
      const r = await previewEnvironment(env);
      const mandatory = [...r.diagnostics, ...r.policyDiagnostics].filter((d) => d.severity === "mandatory");
      expect(mandatory).toEqual([]);
      expect(failed(r)).toBe(false);
      expect(r.resources.length).toBeGreaterThan(40);
      expect(r.outputs?.contractVersion).toBe("1");

      const urns = r.resources.map((x) => x.urn).sort();
      const file = join(PINS, `${env}.txt`);
      if (process.env.UPDATE_URNS === "1") writeFileSync(file, `${urns.join("\n")}\n`);
      expect(existsSync(file), `no pinned URN list ${file}; create it with UPDATE_URNS=1`).toBe(true);
      const pinned = readFileSync(file, "utf8").trim().split("\n");
      expect(
        urns,
        `URNs of ${env} changed: a changed URN replaces a resource; if deliberate, regenerate ${file}`,
      ).toEqual(pinned);

      // Every stateful resource of production is protected; nowhere is one replaced silently.
      for (const res of r.resources.filter((x) => STATEFUL.includes(x.type))) {
        if (r.env?.production) expect(res.protect, `${res.urn} must be protected in production`).toBe(true);
      }
    });
  }
});
