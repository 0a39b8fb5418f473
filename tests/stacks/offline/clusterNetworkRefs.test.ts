/**
 * Every ACK cluster of the shipped Alibaba Cloud environments is created in the platform's own
 * network: its vSwitches and the node security group the network registers with the access rules
 * of securityGroupRules.ts. (The Platform's references were once read before the network existed,
 * and every ACK cluster got no securityGroupId, so ACK made a group of its own and the platform's
 * rules applied to nothing; the mock runtime accepted the missing input.)
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecordedResource } from "@kubeplat/components/testing";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { writeFleetStack } from "../../../bench/fleet";
import { failed, type PreviewResult, previewEnvironment } from "../../../stacks/offline/preview";
import { ENVIRONMENT_KEY, readStackSettings } from "../../../stacks/offline/stackConfig";

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

/**
 * In an environment of several clusters, each cluster's resources depend on the vSwitches
 * (subnets) and the node security group of that cluster only. The references once went through
 * the network's whole map of vSwitch ids, an output that depends on every vSwitch, so the engine
 * saw every cluster depend on every other cluster's vSwitches (and a preview expanded that set
 * for every child: quadratic in the clusters); and a network of several clusters left every ACK
 * cluster without a security group (the network's single `securityGroupId` is for one cluster).
 */
describe("several clusters: each depends on its own network resources only", () => {
  const byUrn = (r: PreviewResult) => new Map(r.resources.map((x) => [x.urn, x]));
  const ownedBy = (x: RecordedResource, cluster: string) =>
    (x.inputs.tags as Record<string, string>)["platform/cluster"] === cluster;

  it("Alibaba Cloud: a fleet of three ACK clusters", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netrefs-"));
    const env = writeFleetStack(dir, 3);
    const r = await previewEnvironment(env, { dir });
    expect(failed(r)).toBe(false);
    const urns = byUrn(r);
    const switches = r.resources.filter((x) => x.type === "alicloud:vpc/switch:Switch");
    const groups = r.resources.filter((x) => x.type === "alicloud:ecs/securityGroup:SecurityGroup");
    expect(switches.length).toBe(3 * 6);
    expect(groups.length).toBe(3);
    const consumers = r.resources.filter(
      (x) =>
        x.type === "alicloud:cs/managedKubernetes:ManagedKubernetes" ||
        x.type === "alicloud:cs/nodePool:NodePool",
    );
    expect(consumers.length).toBe(3 + 3 * 4);
    for (const c of consumers) {
      const cluster = /-(c\d\d)-/.exec(c.name)?.[1] as string;
      const used = c.dependencies
        .map((d) => urns.get(d))
        .filter((d) => d?.type === "alicloud:vpc/switch:Switch");
      expect(used.length, `${c.name} depends on vSwitches`).toBeGreaterThan(0);
      for (const s of used)
        expect(ownedBy(s as RecordedResource, cluster), `${c.name} -> ${s?.name}`).toBe(true);
      const ids = new Set(used.map((s) => (s as RecordedResource).state.id ?? `${s?.name}-id`));
      const given = [c.inputs.vswitchIds, c.inputs.workerVswitchIds, c.inputs.podVswitchIds].flat();
      expect(
        given.filter((id) => typeof id === "string" && !ids.has(id)),
        c.name,
      ).toEqual([]);
    }
    for (const c of consumers.filter((x) => x.type.endsWith("ManagedKubernetes"))) {
      const cluster = /-(c\d\d)-/.exec(c.name)?.[1] as string;
      const own = groups.find((g) => g.name.endsWith(`-${cluster}-sg`)) as RecordedResource;
      expect(c.inputs.securityGroupId, c.name).toBe(own.state.id ?? `${own.name}-id`);
      expect(c.dependencies).toContain(own.urn);
      expect(c.dependencies.filter((d) => groups.some((g) => g.urn === d))).toEqual([own.urn]);
    }
  });

  it("AWS: aws-dev with a second cluster", async () => {
    const settings = readStackSettings("aws-dev");
    const spec = structuredClone(settings.config[ENVIRONMENT_KEY]) as {
      name: string;
      clusters: { name: string }[];
      budget: { clusters: number };
      vpc: Record<string, unknown>;
    };
    spec.clusters.push({ ...structuredClone(spec.clusters[0] as { name: string }), name: "aws-dev-b" });
    spec.budget = { ...spec.budget, clusters: 2, nodes: 20 } as typeof spec.budget;
    const dir = mkdtempSync(join(tmpdir(), "netrefs-aws-"));
    writeFileSync(
      join(dir, "Pulumi.aws-dev.yaml"),
      stringify({ config: { ...settings.config, [ENVIRONMENT_KEY]: spec } }),
    );
    const r = await previewEnvironment("aws-dev", { dir });
    expect(r.diagnostics.filter((d) => d.severity === "mandatory")).toEqual([]);
    const urns = byUrn(r);
    const consumers = r.resources.filter(
      (x) => x.type === "aws:eks/cluster:Cluster" || x.type === "aws:eks/nodeGroup:NodeGroup",
    );
    expect(consumers.length).toBeGreaterThanOrEqual(4);
    for (const c of consumers) {
      const cluster =
        c.name.startsWith("aws-dev-aws-dev-b") || c.name.includes("aws-dev-b-") ? "aws-dev-b" : "aws-dev";
      const used = c.dependencies.map((d) => urns.get(d)).filter((d) => d?.type === "aws:ec2/subnet:Subnet");
      expect(used.length, `${c.name} depends on subnets`).toBeGreaterThan(0);
      for (const s of used) {
        const key = ((s as RecordedResource).inputs.tags as Record<string, string>)[
          "platform/subnet-key"
        ] as string;
        expect(key.split("/")[0], `${c.name} -> ${s?.name}`).toBe(cluster);
      }
    }
  });
});
