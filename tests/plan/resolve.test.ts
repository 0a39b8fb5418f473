/**
 * The model's seams: defaults decided once per cloud (resolveEnvironment), the version data, and
 * the spec-level checks that `--plan-only` and the Platform share (issue 13 items 4, 9, 11, 12).
 */

import {
  checkEnvironment,
  checkQuotas,
  checkRegion,
  DEFAULT_KUBERNETES_VERSION,
  type Environment,
  type EnvironmentInput,
  KUBERNETES_RELEASES,
  kubernetesRelease,
  kubernetesVersionProblem,
  parseEnvironment,
  quotaFactsFromEnvironment,
  VERSION_CATALOGUE_DATE,
} from "@kubeplat/plan";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";

const alicloud: EnvironmentInput = {
  name: "dev",
  cloud: "alicloud",
  region: "cn-hangzhou",
  zones: ["cn-hangzhou-i", "cn-hangzhou-j"],
  vpc: { cidr: "192.168.0.0/16" },
  // The clusters' API endpoints are private: deployed from inside the VPC (security/deployer-access).
  access: { deployFrom: "vpc" },
  clusters: [
    {
      name: "dev",
      nodePools: [
        { name: "system", minSize: 2, maxSize: 3, instanceTypes: ["ecs.g7.xlarge"], loginKeyPair: "ops" },
      ],
    },
  ],
};
const aws: EnvironmentInput = {
  name: "aws-dev",
  cloud: "aws",
  region: "eu-central-1",
  zones: ["eu-central-1a", "eu-central-1b"],
  vpc: { cidr: "10.20.0.0/16" },
  access: { deployFrom: "vpc" },
  clusters: [
    { name: "eks", nodePools: [{ name: "system", minSize: 2, maxSize: 3, instanceTypes: ["m7i.xlarge"] }] },
  ],
};

function parsed(input: EnvironmentInput): Environment {
  const r = parseEnvironment(input);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.env;
}

const withCluster = (base: EnvironmentInput, over: Record<string, unknown>): EnvironmentInput => ({
  ...base,
  clusters: [{ ...(base.clusters?.[0] as object), ...over } as NonNullable<EnvironmentInput["clusters"]>[0]],
});

const mandatory = (input: EnvironmentInput) =>
  checkEnvironment(parsed(input)).diagnostics.filter((d) => d.severity === "mandatory");

describe("resolveEnvironment: every cloud- and production-dependent default decided once", () => {
  it("gives each cloud its own Kubernetes version, CNI and node image (13.4)", () => {
    const a = parsed(alicloud).clusters[0];
    const e = parsed(aws).clusters[0];
    expect(a).toMatchObject({ kubernetesVersion: DEFAULT_KUBERNETES_VERSION.alicloud, cni: "terway" });
    expect(a?.nodePools[0]?.image).toBe("containeros");
    expect(e).toMatchObject({ kubernetesVersion: DEFAULT_KUBERNETES_VERSION.aws, cni: "vpc-cni" });
    expect(e?.nodePools[0]?.image).toBe("bottlerocket");
    expect(parsed(withCluster(alicloud, { edition: "standard" })).clusters[0]?.nodePools[0]?.image).toBe(
      "alinux",
    );
  });

  it("an AWS spec without a version is not refused as 'not an EKS version' (13.4)", () => {
    expect(mandatory(aws)).toEqual([]);
    expect(mandatory(alicloud)).toEqual([]);
  });

  it("turns safety on in production and leaves explicit values alone", () => {
    const prod = parsed({ ...alicloud, production: true }).clusters[0]?.security;
    expect(prod).toMatchObject({ deletionProtection: true, secretsEncryption: true });
    const dev = parsed(alicloud).clusters[0]?.security;
    expect(dev).toMatchObject({ deletionProtection: false, secretsEncryption: false });
    const pinned = parsed({
      ...withCluster(alicloud, { security: { deletionProtection: false } }),
      production: true,
    });
    expect(pinned.clusters[0]?.security.deletionProtection).toBe(false);
  });

  it("is idempotent: resolving a resolved spec changes nothing", () => {
    const once = parsed({ ...alicloud, production: true });
    const twice = parseEnvironment(once);
    expect(twice.ok && twice.env).toEqual(once);
  });
});

describe("version data (plan/versions.ts)", () => {
  it("defaults to a version in standard support on the catalogue date, on both clouds", () => {
    for (const cloud of ["alicloud", "aws"] as const) {
      const release = kubernetesRelease(cloud, DEFAULT_KUBERNETES_VERSION[cloud]);
      expect(release, cloud).toBeDefined();
      expect((release?.endOfStandardSupport ?? "") > VERSION_CATALOGUE_DATE, cloud).toBe(true);
      expect((release?.released ?? "9") <= VERSION_CATALOGUE_DATE, cloud).toBe(true);
      expect(kubernetesVersionProblem(cloud, DEFAULT_KUBERNETES_VERSION[cloud])).toBeUndefined();
    }
  });

  it("lists each cloud's releases newest first, released before support ends", () => {
    for (const releases of Object.values(KUBERNETES_RELEASES)) {
      const minors = releases.map((r) => Number(r.minor.split(".")[1]));
      expect([...minors].sort((x, y) => y - x)).toEqual(minors);
      for (const r of releases) expect(r.released < r.endOfStandardSupport, r.minor).toBe(true);
    }
  });

  it("refuses another cloud's version shape at the spec path, once (13.4)", () => {
    const d = mandatory(withCluster(aws, { kubernetesVersion: "1.33.1-aliyun.1" }));
    expect(d.map((x) => [x.rule, x.path])).toEqual([["spec/schema", "clusters[0].kubernetesVersion"]]);
    expect(d[0]?.message).toContain('"1.33.1-aliyun.1" is not an EKS version');
    const a = mandatory(withCluster(alicloud, { kubernetesVersion: "1.35" }));
    expect(a.map((x) => [x.rule, x.path])).toEqual([["spec/schema", "clusters[0].kubernetesVersion"]]);
  });
});

describe("node/pool-size at the spec (13.9)", () => {
  it("refuses minSize > maxSize on a fixed pool at the spec path", () => {
    const bad = withCluster(alicloud, {
      nodePools: [
        { name: "system", minSize: 5, maxSize: 3, instanceTypes: ["ecs.g7.xlarge"], loginKeyPair: "ops" },
      ],
    });
    const d = mandatory(bad);
    expect(d.map((x) => [x.rule, x.path])).toEqual([["node/pool-size", "clusters[0].nodePools[0].minSize"]]);
    expect(d[0]?.message).toContain("minSize 5 > maxSize 3");
  });

  it("refuses a desired size outside [minSize, maxSize]", () => {
    const bad = withCluster(aws, {
      nodePools: [{ name: "w", minSize: 1, maxSize: 3, desiredSize: 4, instanceTypes: ["m7i.xlarge"] }],
    });
    expect(mandatory(bad).map((x) => [x.rule, x.path])).toEqual([
      ["node/pool-size", "clusters[0].nodePools[0].desiredSize"],
    ]);
  });

  it("quota rules count what the program requests: a fixed pool's desired size, an autoscaling pool's maxSize", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        fc.boolean(),
        (a, b, c, autoscaling) => {
          const [min, desired, max] = [a, b, c].sort((x, y) => x - y) as [number, number, number];
          const env = parsed(
            withCluster(alicloud, {
              nodePools: [
                {
                  name: "w",
                  minSize: min,
                  maxSize: max,
                  desiredSize: autoscaling ? undefined : desired,
                  autoscaling,
                  instanceTypes: ["ecs.g7.xlarge"],
                  loginKeyPair: "ops",
                },
              ],
            }),
          );
          const counted = checkQuotas({
            ...quotaFactsFromEnvironment(env),
            budget: { resource: "dev", path: "budget", nodes: 0 },
          });
          const requested = autoscaling ? max : desired;
          const budget = counted.filter((d) => d.rule === "quota/environment-budget");
          if (requested === 0) expect(budget).toEqual([]);
          else expect(budget[0]?.message).toContain(`${requested} nodes`);
        },
      ),
    );
  });
});

describe("a CNI the cloud does not offer (13.11)", () => {
  it("vpc-cni on Alibaba Cloud: one diagnostic saying so, first, and no Terway cascade", () => {
    const d = mandatory(withCluster(alicloud, { cni: "vpc-cni" }));
    expect(d.map((x) => [x.rule, x.path])).toEqual([["spec/schema", "clusters[0].cni"]]);
    expect(d[0]?.message).toContain('cni "vpc-cni" is not available on Alibaba Cloud (ACK)');
  });

  it("terway or flannel on AWS: one diagnostic each, first", () => {
    for (const cni of ["terway", "flannel"]) {
      const d = checkEnvironment(parsed(withCluster(aws, { cni }))).diagnostics;
      expect(d[0]).toMatchObject({ rule: "spec/schema", path: "clusters[0].cni" });
      expect(d[0]?.message).toContain(`cni "${cni}" is not available on AWS (EKS)`);
      expect(d.filter((x) => x.severity === "mandatory")).toHaveLength(1);
    }
  });
});

describe("region: the spec's against the stack's provider setting (13.12)", () => {
  it("refuses a mismatch at `region`, names both values, accepts equal or unset", () => {
    const env = parsed(aws);
    expect(checkRegion(env, "eu-central-1")).toEqual([]);
    expect(checkRegion(env, undefined)).toEqual([]);
    const d = checkEnvironment(env, { providerRegion: "us-east-1" }).diagnostics.filter(
      (x) => x.severity === "mandatory",
    );
    expect(d.map((x) => [x.rule, x.severity, x.path])).toEqual([["spec/schema", "mandatory", "region"]]);
    expect(d[0]?.message).toContain('region "eu-central-1" differs from the stack\'s aws:region "us-east-1"');
  });
});

describe("nodeCidrMask: one range for the spec and AckCluster", () => {
  it("refuses a mask ACK does not offer at the spec path", () => {
    const r = parseEnvironment(withCluster(alicloud, { cni: "flannel", nodeCidrMask: 30 }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics.map((d) => [d.rule, d.path])).toEqual([["spec/schema", "clusters[0].nodeCidrMask"]]);
  });
});
