/**
 * One size per pool: the spec check (quotaFactsFromEnvironment) and each pool component's own
 * check (AckNodePool, EksNodeGroup, through the Platform's pre-flight) judge quota/scale-step and
 * quota/nodes-per-pool on the number requestedPoolSize gives, at the same spec path. The first
 * row is the differential test's counterexample (seed -1609640159): a fixed ACK Terway pool of
 * minSize 502, maxSize 508, no desiredSize, which only the spec check reported.
 */
import { validatePlatformChildren } from "@kubeplat/components/internal/platform/Platform";
import { checkEnvironment, parseEnvironment, requestedPoolSize } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";

type Pool = Record<string, unknown>;

function spec(cloud: "alicloud" | "aws", pool: Pool, quotas: Record<string, number> = {}) {
  const alicloud = cloud === "alicloud";
  return {
    name: "dev",
    cloud,
    region: alicloud ? "cn-hangzhou" : "us-east-1",
    production: false,
    zones: alicloud ? ["cn-hangzhou-a", "cn-hangzhou-b"] : ["us-east-1a", "us-east-1b"],
    vpc: { cidr: "10.0.0.0/10" },
    quotas,
    access: { deployFrom: "vpc" },
    clusters: [
      {
        name: "c0",
        ...(alicloud ? { cni: "terway" } : { kubernetesVersion: "1.33", ipStack: "ipv4" }),
        nodePools: [
          {
            name: "pool-1",
            instanceTypes: [alicloud ? "ecs.g7.xlarge" : "m6i.xlarge"],
            ...(alicloud ? { loginKeyPair: "platform-ops" } : {}),
            ...pool,
          },
        ],
      },
    ],
  };
}

const QUOTA_RULES = new Set(["quota/scale-step", "quota/nodes-per-pool"]);

function judged(input: unknown) {
  const r = parseEnvironment(input);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  const check = checkEnvironment(r.env);
  const pick = (ds: { rule: string; path: string }[]) =>
    ds
      .filter((d) => QUOTA_RULES.has(d.rule))
      .map((d) => `${d.rule} at ${d.path}`)
      .sort();
  return {
    spec: pick(check.diagnostics),
    children: [...new Set(pick(validatePlatformChildren(r.env.name, r.env, check.plan)))],
  };
}

const at = "clusters[0].nodePools[0]";

describe("requestedPoolSize", () => {
  it.each([
    [
      { autoscaling: false, minSize: 502, maxSize: 508 },
      { autoscaling: false, desiredSize: 502 },
    ],
    [
      { autoscaling: false, minSize: 3, maxSize: 9, desiredSize: 5 },
      { autoscaling: false, desiredSize: 5 },
    ],
    [
      { autoscaling: true, minSize: 0, maxSize: 508, desiredSize: 2 },
      { autoscaling: true, maxSize: 508 },
    ],
  ])("%j counts %j", (pool, size) => {
    expect(requestedPoolSize(pool)).toEqual(size);
  });
});

describe("spec check and pool components count one size", () => {
  it.each<[string, "alicloud" | "aws", Pool, Record<string, number>, string[]]>([
    [
      "ACK fixed pool 502–508, no desiredSize: +502 in one change",
      "alicloud",
      { minSize: 502, maxSize: 508, autoscaling: false },
      {},
      [`quota/scale-step at ${at}.desiredSize`],
    ],
    [
      "ACK fixed pool of 500: at the step",
      "alicloud",
      { minSize: 500, maxSize: 508, autoscaling: false },
      {},
      [],
    ],
    [
      "ACK fixed pool, declared step 600",
      "alicloud",
      { minSize: 502, maxSize: 508, autoscaling: false },
      { scaleStep: 600 },
      [],
    ],
    [
      "ACK fixed pool with maxSize 1200 but desiredSize 10: counts 10",
      "alicloud",
      { minSize: 10, maxSize: 1200, autoscaling: false },
      {},
      [],
    ],
    [
      "ACK autoscaling pool to 1200: nodes-per-pool at maxSize, no scale step",
      "alicloud",
      { minSize: 0, maxSize: 1200, autoscaling: true },
      {},
      [`quota/nodes-per-pool at ${at}.maxSize`],
    ],
    [
      "ACK fixed pool of 1200 over a declared pool quota of 1100",
      "alicloud",
      { minSize: 1200, maxSize: 1200, autoscaling: false },
      { nodesPerPool: 1100 },
      [`quota/nodes-per-pool at ${at}.desiredSize`, `quota/scale-step at ${at}.desiredSize`],
    ],
    [
      "EKS fixed node group of 502: no quota declared, none applies",
      "aws",
      { minSize: 502, maxSize: 508 },
      {},
      [],
    ],
    [
      "EKS fixed node group of 502, declared step 100",
      "aws",
      { minSize: 502, maxSize: 508, autoscaling: false },
      { scaleStep: 100 },
      [`quota/scale-step at ${at}.desiredSize`],
    ],
  ])("%s", (_, cloud, pool, quotas, expected) => {
    const { spec: s, children } = judged(spec(cloud, pool, quotas));
    expect(s).toEqual(expected);
    expect(children).toEqual(expected);
  });
});
