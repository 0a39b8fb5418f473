/**
 * ACK's node autoscaler settings: typed in the spec (clusters[].autoscaler), resolved with ACK's
 * documented defaults, and registered on `alicloud.cs.AutoscalingConfig`; the add-on config keeps
 * only serviceRole, and EKS refuses the ACK settings at the spec path.
 */
import { AckClusterAddons } from "@kubeplat/components/internal/alicloud/AckClusterAddons";
import {
  ackClusterAddonsArgs,
  eksNodeGroupArgs,
  karpenterArgs,
  PLACEHOLDER_REFS,
} from "@kubeplat/components/internal/platform/platformArgs";
import { type MockRuntime, startMockRuntime } from "@kubeplat/components/testing";
import { checkEnvironment, type Environment, parseEnvironment } from "@kubeplat/plan";
import { beforeAll, describe, expect, it } from "vitest";
import { ENVIRONMENT_KEY, readStackSettings } from "../../../stacks/offline/stackConfig";

type Spec = Record<string, unknown> & { clusters: Record<string, unknown>[] };
const shipped = (env: string) => structuredClone(readStackSettings(env).config[ENVIRONMENT_KEY]) as Spec;

function parsed(spec: unknown): Environment {
  const r = parseEnvironment(spec);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.env;
}
const schemaProblems = (env: Environment) =>
  checkEnvironment(env)
    .diagnostics.filter((d) => d.rule === "spec/schema")
    .map((d) => [d.path, d.message]);

let rt: MockRuntime;
beforeAll(async () => {
  rt = await startMockRuntime({ project: "platform", stack: "staging" });
});

describe("ACK node autoscaler settings", () => {
  it("staging: ACK's defaults with its own scale-down time reach the AutoscalingConfig", async () => {
    const env = parsed(shipped("staging"));
    const cluster = env.clusters[0] as Environment["clusters"][number];
    await rt.run(async () => {
      new AckClusterAddons("st", ackClusterAddonsArgs(env, cluster, PLACEHOLDER_REFS, "create"));
      return {};
    });
    expect(rt.one("alicloud:cs/autoscalingConfig:AutoscalingConfig", "st-autoscaling").inputs).toEqual({
      clusterId: "(cluster staging)",
      scalerType: "cluster-autoscaler",
      expander: "least-waste",
      scaleDownEnabled: true,
      utilizationThreshold: "0.5",
      gpuUtilizationThreshold: "0.5",
      coolDownDuration: "10m",
      unneededDuration: "5m",
      scanInterval: "30s",
      skipNodesWithSystemPods: true,
      skipNodesWithLocalStorage: false,
      maxGracefulTerminationSec: 14400,
    });
  });

  it("refuses a malformed duration and a threshold above 1 when parsing", () => {
    const spec = shipped("staging");
    (spec.clusters[0] as Record<string, unknown>).autoscaler = {
      scanInterval: "30 seconds",
      scaleDownUtilizationThreshold: 1.5,
    };
    const r = parseEnvironment(spec);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.diagnostics.map((d) => d.path).sort()).toEqual([
        "clusters[0].autoscaler.scaleDownUtilizationThreshold",
        "clusters[0].autoscaler.scanInterval",
      ]);
  });

  it("keeps only serviceRole in the add-on config: an expander there points at the typed setting", () => {
    const spec = shipped("staging");
    (spec.clusters[0] as Record<string, unknown>).addons = {
      "cluster-autoscaler": { config: { serviceRole: "existing", expander: "priority" } },
    };
    expect(schemaProblems(parsed(spec))).toEqual([
      [
        "clusters[0].addons.cluster-autoscaler.config.expander",
        'ACK\'s node autoscaler takes only serviceRole here; "expander" is a typed setting under clusters[0].autoscaler',
      ],
    ]);
  });

  it("EKS: the ACK settings are refused at clusters[0].autoscaler", () => {
    const spec = shipped("aws-dev");
    (spec.clusters[0] as Record<string, unknown>).autoscaler = { expander: "priority" };
    expect(schemaProblems(parsed(spec)).map(([p]) => p)).toEqual(["clusters[0].autoscaler"]);
  });
});

describe("Karpenter chosen per cluster in the spec", () => {
  it("aws-karpenter: a Karpenter child with the spec's NodePools, the controller on the default node group", async () => {
    const env = parsed(shipped("aws-karpenter"));
    const cluster = env.clusters[0] as Environment["clusters"][number];
    const plan = checkEnvironment(env).plan;
    const k = karpenterArgs(env, plan, cluster, PLACEHOLDER_REFS);
    expect(k?.amiFamily).toBe("bottlerocket");
    expect(k?.nodePools.map((p) => [p.name, p.capacityTypes, p.limits])).toEqual([
      ["general", ["spot", "on-demand"], { cpu: 64, memory: "256Gi" }],
      ["batch", ["spot"], { cpu: 32, memory: "128Gi" }],
    ]);
    const system = cluster.nodePools[0] as Environment["clusters"][number]["nodePools"][number];
    expect(eksNodeGroupArgs(env, plan, cluster, system, PLACEHOLDER_REFS).labels).toEqual({
      "platform.kubeplat.io/karpenter-controller": "true",
    });
  });

  it("refuses Karpenter on ACK and an autoscaling node group beside it", () => {
    const ack = shipped("staging");
    (ack.clusters[0] as Record<string, unknown>).karpenter = {
      nodePools: [{ name: "x", cpuLimit: 4, memoryLimitGiB: 8 }],
    };
    expect(schemaProblems(parsed(ack)).map(([p]) => p)).toEqual(["clusters[0].karpenter"]);
    const eks = shipped("aws-karpenter");
    (
      (eks.clusters[0] as { nodePools: Record<string, unknown>[] }).nodePools[0] as Record<string, unknown>
    ).autoscaling = true;
    expect(schemaProblems(parsed(eks)).map(([p]) => p)).toEqual(["clusters[0].nodePools[0].autoscaling"]);
  });
});

describe("quota and budget count Karpenter's NodePool limits", () => {
  it("fires quota/autoscaling-vcpu and quota/environment-budget on the limits", () => {
    const spec = shipped("aws-karpenter") as Spec & { budget: Record<string, number> };
    // general (spot or on-demand, 64) counts against both quotas; batch (spot only, 32) the spot one.
    spec.quotas = { autoscalingVcpu: 60, spotVcpu: 90 };
    spec.budget = { ...spec.budget, vcpu: 90, memoryGiB: 400 };
    const d = checkEnvironment(parsed(spec)).diagnostics.filter((x) => x.rule.startsWith("quota/"));
    expect(d.map((x) => [x.rule, x.path, x.message])).toEqual([
      [
        "quota/autoscaling-vcpu",
        "quotas.autoscalingVcpu",
        expect.stringContaining(
          "autoscaling pools can reach 64 on-demand vCPUs (max size × vCPU: general limit 64)",
        ),
      ],
      [
        "quota/autoscaling-vcpu",
        "quotas.spotVcpu",
        expect.stringContaining(
          "autoscaling pools can reach 96 spot vCPUs (max size × vCPU: general limit 64, batch limit 32)",
        ),
      ],
      ["quota/environment-budget", "budget.vcpu", expect.stringContaining("up to 100 vCPUs")],
    ]);
  });
});
