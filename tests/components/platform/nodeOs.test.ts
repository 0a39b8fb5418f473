/**
 * EKS node groups on Amazon Linux 2023 beside Bottlerocket, and GPU pools on both clouds: the
 * spec's `image: al2023` and `gpu` reach the registered resources (EKS amiType, no NodeImage and no
 * custom AMI for AL2023; Bottlerocket's NVIDIA variant; the NVIDIA taint on every GPU pool), and
 * what the platform cannot build is refused at the spec path before anything registers.
 */
import { validatePlatformChildren } from "@kubeplat/components";
import { checkEksNodeGroupArgs } from "@kubeplat/components/internal/aws/EksNodeGroup";
import { al2023UserData } from "@kubeplat/components/internal/aws/eksAmiType";
import { nodeImageArgs, PLACEHOLDER_REFS } from "@kubeplat/components/internal/platform/platformArgs";
import type { MockRuntime } from "@kubeplat/components/testing";
import { checkEnvironment, parseEnvironment } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";
import { ENVIRONMENT_KEY, readStackSettings } from "../../../stacks/offline/stackConfig";
import { buildPlatform, offlineRuntime } from "../../support/runtime";

type Spec = Record<string, unknown> & { clusters: { nodePools: Record<string, unknown>[] }[] };
const shipped = (env: string) => structuredClone(readStackSettings(env).config[ENVIRONMENT_KEY]) as Spec;

const pool = (name: string, extra: Record<string, unknown>) => ({
  name,
  minSize: 1,
  maxSize: 3,
  instanceTypes: ["m6i.large"],
  ...extra,
});

function judge(spec: unknown) {
  const r = parseEnvironment(spec);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  const check = checkEnvironment(r.env);
  const mandatory = (ds: { rule: string; path: string; severity: string }[]) =>
    ds.filter((d) => d.severity === "mandatory").map((d) => `${d.rule} at ${d.path}`);
  return {
    spec: mandatory(check.diagnostics),
    children: mandatory(validatePlatformChildren(r.env.name, r.env, check.plan)),
    all: check.diagnostics,
  };
}

async function run(spec: Spec, stack: string): Promise<MockRuntime> {
  const rt = await offlineRuntime({ stack });
  await buildPlatform(rt, stack, spec);
  return rt;
}

describe("EKS node OS and GPU pools", () => {
  it("AL2023 node groups boot an EKS AMI type; a Bottlerocket GPU pool its NVIDIA variant; GPU pools are tainted", async () => {
    const spec = shipped("aws-dev");
    spec.clusters[0]?.nodePools.push(
      pool("al", { image: "al2023" }),
      pool("alarm", { image: "al2023", architecture: "arm64", instanceTypes: ["m7g.large"], maxPods: 58 }),
      pool("gpu", { image: "bottlerocket", instanceTypes: ["g5.xlarge"], gpu: { count: 1 } }),
    );
    const rt = await run(spec, "aws-dev");
    const groups = rt.byType("aws:eks/nodeGroup:NodeGroup");
    const group = (n: string) =>
      groups.find((g) => g.name.includes(`-${n}-ng`))?.inputs as Record<string, unknown>;
    expect(group("al").amiType).toBe("AL2023_x86_64_STANDARD");
    expect(group("alarm").amiType).toBe("AL2023_ARM_64_STANDARD");
    expect(group("gpu").amiType).toBeUndefined();
    expect(group("general").amiType).toBeUndefined();
    expect(group("gpu").taints).toEqual([{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }]);
    expect(group("al").taints).toEqual([]);

    const templates = rt.byType("aws:ec2/launchTemplate:LaunchTemplate");
    const template = (n: string) =>
      templates.find((t) => t.name.includes(`-${n}-lt`))?.inputs as Record<string, unknown>;
    // No custom AMI and one root volume for AL2023; Bottlerocket keeps its AMI and data volume.
    expect(template("al").imageId).toBeUndefined();
    expect(template("al").userData).toBeUndefined();
    expect((template("al").blockDeviceMappings as unknown[]).length).toBe(1);
    expect(Buffer.from(template("alarm").userData as string, "base64").toString("utf8")).toBe(
      al2023UserData({ maxPods: 58 }),
    );
    expect(template("gpu").imageId).toBeDefined();
    expect((template("gpu").blockDeviceMappings as unknown[]).length).toBe(2);

    // Only the Bottlerocket pools have a NodeImage; the GPU one reads the NVIDIA variant's AMI.
    const images = rt.byType("platform:nodeimage:NodeImage").map((r) => r.name);
    expect(images.some((n) => n.includes("-al"))).toBe(false);
    expect(images.some((n) => n.includes("-gpu"))).toBe(true);
    const r = parseEnvironment(spec);
    if (!r.ok) throw new Error("parse");
    const c = r.env.clusters[0] as (typeof r.env.clusters)[number];
    const byName = (n: string) => c.nodePools.find((p) => p.name === n) as (typeof c.nodePools)[number];
    expect(nodeImageArgs(r.env, c, byName("gpu"), PLACEHOLDER_REFS)?.bottlerocket?.flavor).toBe("nvidia");
    expect(
      nodeImageArgs(r.env, c, byName("general"), PLACEHOLDER_REFS)?.bottlerocket?.flavor,
    ).toBeUndefined();
    expect(nodeImageArgs(r.env, c, byName("al"), PLACEHOLDER_REFS)).toBeUndefined();
  });

  it("the NodeConfig EKS merges for kubelet settings", () => {
    expect(al2023UserData({})).toBeUndefined();
    expect(al2023UserData({ maxPods: 58 })).toMatchInlineSnapshot(`
      "MIME-Version: 1.0
      Content-Type: multipart/mixed; boundary="KUBEPLAT"

      --KUBEPLAT
      Content-Type: application/node.eks.aws

      apiVersion: node.eks.aws/v1alpha1
      kind: NodeConfig
      spec:
        kubelet:
          config:
            maxPods: 58

      --KUBEPLAT--
      "
    `);
  });

  it("an ACK GPU pool carries the NVIDIA taint, after its own", async () => {
    const spec = shipped("staging");
    const p = spec.clusters[0]?.nodePools[0] as Record<string, unknown>;
    p.gpu = {};
    p.taints = [{ key: "team", value: "ml", effect: "NoSchedule" }];
    const rt = await run(spec, "staging");
    const pools = rt.byType("alicloud:cs/nodePool:NodePool");
    const tainted = pools.find((x) => (x.inputs.taints as unknown[] | undefined)?.length);
    expect(tainted?.inputs.taints).toEqual([
      { key: "team", value: "ml", effect: "NoSchedule" },
      { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" },
    ]);
  });

  it("refuses at the spec path what the platform cannot build", () => {
    const aws = shipped("aws-dev");
    aws.clusters[0]?.nodePools.push(
      pool("algpu", { image: "al2023", gpu: {}, instanceTypes: ["g5.xlarge"] }),
      pool("aldisk", { image: "al2023", dataDisks: [{ sizeGiB: 50 }] }),
    );
    const a = judge(aws);
    expect(a.spec).toEqual([
      "spec/schema at clusters[0].nodePools[1].gpu",
      "spec/schema at clusters[0].nodePools[2].dataDisks",
    ]);
    const ack = shipped("staging");
    (ack.clusters[0]?.nodePools[0] as Record<string, unknown>).image = "al2023";
    expect(judge(ack).spec).toContain("spec/schema at clusters[0].nodePools[0].image");
  });

  it("AL2023 is not immutable: node/immutable-image in production, at the pool's image, in both layers", () => {
    const prod = shipped("aws-dev");
    prod.production = true;
    (prod.clusters[0]?.nodePools[0] as Record<string, unknown>).image = "al2023";
    const j = judge(prod);
    expect(j.spec).toContain("node/immutable-image at clusters[0].nodePools[0].image");
    expect(j.children).toContain("node/immutable-image at clusters[0].nodePools[0].image");
  });

  it("EksNodeGroup takes exactly one of amiId and amiType, and an AL2023 type only", () => {
    const base = {
      clusterName: "c",
      subnetIds: ["s"],
      instanceTypes: ["m6i.large"],
      minSize: 1,
      maxSize: 2,
    };
    const problems = (extra: Record<string, unknown>) =>
      checkEksNodeGroupArgs("ng", { ...base, ...extra }).map((d) => `${d.path}: ${d.message}`);
    expect(problems({ amiType: "AL2023_x86_64_NVIDIA" })).toEqual([]);
    expect(problems({})).toEqual([
      "amiType: neither amiId nor amiType: give the node image's AMI id or an AL2023 AMI type",
    ]);
    expect(problems({ amiId: "ami-1", amiType: "AL2023_x86_64_STANDARD" })[0]).toMatch(/exclusive/);
    expect(problems({ amiType: "AL2_x86_64" })[0]).toMatch(/^amiType:/);
    expect(problems({ amiType: "AL2023_ARM_64_STANDARD", dataVolumeSizeGiB: 40 })[0]).toMatch(
      /^dataVolumeSizeGiB:/,
    );
  });
});
