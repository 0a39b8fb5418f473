/**
 * Every pool-shape field of the spec reaches the registered resource: a random valid pool spec
 * (capacity, architecture, disks, max pods, labels, taints, rolling updates) goes through
 * parseEnvironment, the Platform's argument builder and the component under the mock runtime, and
 * the inputs of the `alicloud.cs.NodePool` / `aws.eks.NodeGroup` and its launch template say what
 * the spec said. The expectations are written from the providers' field names, not from the
 * builders under test. And the spec checks refuse the shapes a cloud cannot build.
 */

import { AckNodePool } from "@kubeplat/components/internal/alicloud/AckNodePool";
import { EksNodeGroup } from "@kubeplat/components/internal/aws/EksNodeGroup";
import {
  ackNodePoolArgs,
  eksNodeGroupArgs,
  PLACEHOLDER_REFS,
} from "@kubeplat/components/internal/platform/platformArgs";
import { type MockRuntime, startMockRuntime } from "@kubeplat/components/testing";
import { checkEnvironment, type Environment, parseEnvironment } from "@kubeplat/plan";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ENVIRONMENT_KEY, readStackSettings } from "../../../stacks/offline/stackConfig";

type Spec = Record<string, unknown> & { clusters: { nodePools: Record<string, unknown>[] }[] };
const shipped = (env: string) => structuredClone(readStackSettings(env).config[ENVIRONMENT_KEY]) as Spec;

let rt: MockRuntime;
beforeAll(async () => {
  rt = await startMockRuntime({ project: "platform", stack: "dev" });
});

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const labels = fc.dictionary(label, label, { maxKeys: 3 });
const taints = fc.array(
  fc.record({
    key: label,
    value: label,
    effect: fc.constantFrom("NoSchedule" as const, "PreferNoSchedule" as const, "NoExecute" as const),
  }),
  { maxLength: 2 },
);
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const level = fc.constantFrom("PL0" as const, "PL1" as const, "PL2" as const, "PL3" as const);
const kms = opt(fc.constantFrom("key-a", "key-b"));

const ackPool = fc.record({
  capacity: fc.oneof(
    fc.constant({ type: "on-demand" as const }),
    fc.constant({ type: "spot" as const }),
    fc.record({
      type: fc.constant("mixed" as const),
      onDemandBase: fc.integer({ min: 0, max: 5 }),
      onDemandPercentage: fc.integer({ min: 0, max: 100 }),
    }),
  ),
  systemDisk: opt(
    fc.record({
      sizeGiB: opt(fc.integer({ min: 40, max: 500 })),
      category: opt(fc.constantFrom("cloud_essd", "cloud_auto")),
      performanceLevel: opt(level),
      encrypted: fc.boolean(),
      kmsKeyId: kms,
    }),
  ),
  dataDisks: opt(
    fc.array(
      fc.record({
        sizeGiB: opt(fc.integer({ min: 20, max: 2000 })),
        category: opt(fc.constantFrom("cloud_essd", "cloud_auto")),
        performanceLevel: opt(level),
        encrypted: fc.boolean(),
        kmsKeyId: kms,
        mountTarget: opt(fc.constant("/var/lib/container")),
        fileSystem: opt(fc.constantFrom("ext4" as const, "xfs" as const)),
      }),
      { maxLength: 3 },
    ),
  ),
  update: opt(
    fc.record({
      maxUnavailable: opt(fc.integer({ min: 1, max: 10 })),
      surge: opt(fc.integer({ min: 0, max: 5 })),
    }),
  ),
  maxPods: opt(fc.integer({ min: 16, max: 64 })),
  labels,
  taints,
});

const eksPool = fc.record({
  capacity: fc.constantFrom({ type: "on-demand" as const }, { type: "spot" as const }),
  architecture: opt(fc.constantFrom("x86_64" as const, "arm64" as const)),
  systemDisk: opt(
    fc.record({
      sizeGiB: opt(fc.integer({ min: 2, max: 100 })),
      category: opt(fc.constantFrom("gp3", "gp2", "io2")),
      kmsKeyId: kms,
    }),
  ),
  dataDisks: opt(
    fc.array(
      fc.record({
        sizeGiB: opt(fc.integer({ min: 20, max: 2000 })),
        category: opt(fc.constantFrom("gp3", "io2")),
        kmsKeyId: kms,
      }),
      { maxLength: 1 },
    ),
  ),
  update: opt(
    fc.oneof(
      fc.record({ maxUnavailable: fc.integer({ min: 1, max: 10 }) }),
      fc.record({ maxUnavailablePercentage: fc.integer({ min: 1, max: 100 }) }),
    ),
  ),
  maxPods: opt(fc.integer({ min: 16, max: 29 })),
  labels,
  taints,
});

/** The shipped environment with its first pool's shape replaced; parsed and checked clean. */
function withPool(envName: string, shape: Record<string, unknown>): Environment {
  const spec = shipped(envName);
  const first = spec.clusters[0]?.nodePools[0] as Record<string, unknown>;
  // Undefined fields are absent, as in YAML.
  Object.assign(first, JSON.parse(JSON.stringify(shape)));
  const r = parseEnvironment(spec);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  const mandatory = checkEnvironment(r.env).diagnostics.filter((d) => d.severity === "mandatory");
  expect(mandatory).toEqual([]);
  return r.env;
}

let n = 0;

describe("pool shapes reach the registered resources", () => {
  it("ACK: capacity, disks, max pods, labels, taints and rolling updates on the NodePool", async () => {
    await fc.assert(
      fc.asyncProperty(ackPool, async (shape) => {
        const env = withPool("staging", shape);
        const cluster = env.clusters[0] as Environment["clusters"][number];
        const pool = cluster.nodePools[0] as Environment["clusters"][number]["nodePools"][number];
        const name = `ack-shape-${n++}`;
        await rt.run(async () => {
          new AckNodePool(
            name,
            ackNodePoolArgs(env, checkEnvironment(env).plan, cluster, pool, PLACEHOLDER_REFS, true),
          );
          return {};
        });
        const i = rt.one("alicloud:cs/nodePool:NodePool", `${name}-pool`).inputs as Record<string, unknown>;
        const c = shape.capacity;
        if (c.type === "on-demand") {
          expect(i.spotStrategy).toBeUndefined();
        } else {
          expect(i.spotStrategy).toBe("SpotAsPriceGo");
          expect(i.onDemandBaseCapacity).toBe(String(c.type === "mixed" ? c.onDemandBase : 0));
          expect(i.onDemandPercentageAboveBaseCapacity).toBe(
            String(c.type === "mixed" ? c.onDemandPercentage : 0),
          );
          expect((i.scalingConfig as { type: string }).type).toBe("spot");
        }
        const sys = shape.systemDisk;
        expect(i.systemDiskSize).toBe(sys?.sizeGiB ?? 120);
        expect(i.systemDiskCategory).toBe(sys?.category ?? "cloud_essd");
        expect(i.systemDiskPerformanceLevel).toBe(sys?.performanceLevel);
        expect(i.systemDiskEncrypted).toBe(sys?.encrypted ?? true);
        expect(i.systemDiskKmsKey).toBe(sys?.kmsKeyId);
        const data = i.dataDisks as Record<string, unknown>[];
        const want = shape.dataDisks ?? [{ encrypted: true }];
        expect(data).toHaveLength(want.length);
        want.forEach((d, k) => {
          const got = data[k] as Record<string, unknown>;
          const w = d as NonNullable<typeof shape.dataDisks>[number];
          expect(got.size).toBe(w.sizeGiB ?? 200);
          expect(got.category).toBe(w.category ?? "cloud_essd");
          expect(got.performanceLevel).toBe(w.performanceLevel);
          expect(got.encrypted).toBe(String(w.encrypted));
          expect(got.kmsKeyId).toBe(w.kmsKeyId);
          expect(got.mountTarget).toBe(w.mountTarget);
          if (w.mountTarget !== undefined) expect(got.fileSystem).toBe(w.fileSystem ?? "ext4");
        });
        const mgmt = i.management as Record<string, unknown>;
        expect(mgmt.maxUnavailable).toBe(shape.update?.maxUnavailable ?? 1);
        expect(mgmt.surge).toBe(shape.update?.surge);
        expect((i.kubeletConfiguration as { maxPods?: string } | undefined)?.maxPods).toBe(
          shape.maxPods === undefined ? undefined : String(shape.maxPods),
        );
        expect(i.labels).toEqual(Object.entries(shape.labels).map(([key, value]) => ({ key, value })));
        expect(i.taints).toEqual(shape.taints);
      }),
      { numRuns: 25 },
    );
  });

  it("EKS: capacity type, volumes, rolling updates, labels and taints on the node group and launch template", async () => {
    const EFFECT = {
      NoSchedule: "NO_SCHEDULE",
      PreferNoSchedule: "PREFER_NO_SCHEDULE",
      NoExecute: "NO_EXECUTE",
    };
    await fc.assert(
      fc.asyncProperty(eksPool, async (shape) => {
        const env = withPool("aws-dev", shape);
        const cluster = env.clusters[0] as Environment["clusters"][number];
        const pool = cluster.nodePools[0] as Environment["clusters"][number]["nodePools"][number];
        const name = `eks-shape-${n++}`;
        await rt.run(async () => {
          new EksNodeGroup(
            name,
            eksNodeGroupArgs(env, checkEnvironment(env).plan, cluster, pool, PLACEHOLDER_REFS),
          );
          return {};
        });
        const ng = rt.one("aws:eks/nodeGroup:NodeGroup", `${name}-ng`).inputs as Record<string, unknown>;
        expect(ng.capacityType).toBe(shape.capacity.type === "spot" ? "SPOT" : "ON_DEMAND");
        const u = shape.update;
        expect(ng.updateConfig).toEqual(
          u && "maxUnavailablePercentage" in u
            ? { maxUnavailablePercentage: u.maxUnavailablePercentage }
            : { maxUnavailable: u?.maxUnavailable ?? 1 },
        );
        expect(ng.labels ?? {}).toEqual(shape.labels);
        expect(ng.taints).toEqual(shape.taints.map((t) => ({ ...t, effect: EFFECT[t.effect] })));
        const lt = rt.one("aws:ec2/launchTemplate:LaunchTemplate", `${name}-lt`).inputs as {
          blockDeviceMappings: { deviceName: string; ebs: Record<string, unknown> }[];
        };
        const [os, data] = lt.blockDeviceMappings;
        expect(os?.ebs.volumeSize).toBe(shape.systemDisk?.sizeGiB);
        expect(os?.ebs.volumeType).toBe(shape.systemDisk?.category ?? "gp3");
        expect(os?.ebs.kmsKeyId).toBe(shape.systemDisk?.kmsKeyId ?? shape.dataDisks?.[0]?.kmsKeyId);
        expect(os?.ebs.encrypted).toBe("true");
        expect(data?.ebs.volumeSize).toBe(shape.dataDisks?.[0]?.sizeGiB ?? 20);
        expect(data?.ebs.volumeType).toBe(shape.dataDisks?.[0]?.category ?? "gp3");
        expect(data?.ebs.kmsKeyId).toBe(shape.dataDisks?.[0]?.kmsKeyId);
        expect(data?.ebs.encrypted).toBe("true");
        expect(pool.architecture).toBe(shape.architecture ?? "x86_64");
      }),
      { numRuns: 25 },
    );
  });
});

describe("spec checks refuse what a cloud cannot build", () => {
  const refused = (envName: string, shape: Record<string, unknown>) => {
    const spec = shipped(envName);
    Object.assign(spec.clusters[0]?.nodePools[0] as Record<string, unknown>, shape);
    const r = parseEnvironment(spec);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    return checkEnvironment(r.env)
      .diagnostics.filter((d) => d.rule === "spec/schema")
      .map((d) => [d.path, d.message]);
  };
  it("mixed capacity on EKS, at the capacity type", () => {
    expect(refused("aws-dev", { capacity: { type: "mixed", onDemandBase: 1 } })).toEqual([
      [
        "clusters[0].nodePools[0].capacity.type",
        expect.stringContaining('capacity "mixed" is not available on AWS (EKS)'),
      ],
    ]);
  });
  it("an on-demand base on a spot pool", () => {
    expect(refused("staging", { capacity: { type: "spot", onDemandBase: 2 } })).toEqual([
      [
        "clusters[0].nodePools[0].capacity",
        'pool "staging/general": onDemandBase 2 and onDemandPercentage 0 apply to capacity "mixed", the type is "spot"',
      ],
    ]);
  });
  it("an architecture on ACK, ESSD settings and two data volumes on EKS, surge on EKS", () => {
    expect(refused("staging", { architecture: "arm64" }).map(([p]) => p)).toEqual([
      "clusters[0].nodePools[0].architecture",
    ]);
    expect(
      refused("aws-dev", {
        systemDisk: { performanceLevel: "PL1" },
        dataDisks: [{ encrypted: false }, {}],
        update: { surge: 1 },
      }).map(([p]) => p),
    ).toEqual([
      "clusters[0].nodePools[0].systemDisk.performanceLevel",
      "clusters[0].nodePools[0].dataDisks[0].encrypted",
      "clusters[0].nodePools[0].dataDisks",
      "clusters[0].nodePools[0].update.surge",
    ]);
  });
});
