/**
 * Karpenter under the mock runtime: the interruption queue's rules are exactly the events
 * Karpenter documents, the node role joins through an EC2_LINUX access entry, the controller's
 * role is Pod Identity with a policy scoped to this cluster (no wildcard grants), and the
 * EC2NodeClass / NodePool objects (snapshots) say what the pool descriptions said.
 */
import { Karpenter, type KarpenterArgs } from "@kubeplat/components/internal/aws/Karpenter";
import {
  KARPENTER_CHART,
  KARPENTER_CONTROLLER_LABEL,
  KARPENTER_INTERRUPTION_EVENTS,
  karpenterControllerPolicy,
} from "@kubeplat/components/internal/aws/karpenterDocuments";
import { wildcardGrants } from "@kubeplat/components/internal/aws/podIdentity";
import type { MockRuntime } from "@kubeplat/components/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { mine, offlineRuntime } from "../../support/runtime";
import { caught } from "../../support/validation";

let rt: MockRuntime;
beforeAll(async () => {
  rt = await offlineRuntime();
  await rt.run(() => {
    new Karpenter("k", ARGS);
    return {};
  });
});

const ARGS: KarpenterArgs = {
  clusterName: "prod",
  clusterArn: "arn:aws:eks:eu-central-1:111122223333:cluster/prod",
  subnetIds: ["subnet-a", "subnet-b"],
  securityGroupIds: ["sg-cluster"],
  region: "eu-central-1",
  nodePools: [
    {
      name: "general",
      capacityTypes: ["spot", "on-demand"],
      architectures: ["amd64", "arm64"],
      instanceCategories: ["c", "m", "r"],
      instanceFamilies: [],
      limits: { cpu: 200, memory: "800Gi" },
      consolidateUnderutilized: true,
      consolidateAfter: "1m",
      disruptionBudget: "10%",
      expireAfter: "720h",
      labels: { "platform.kubeplat.io/pool": "general" },
      taints: [],
    },
    {
      name: "batch",
      capacityTypes: ["spot"],
      architectures: ["arm64"],
      instanceCategories: [],
      instanceFamilies: ["m7g", "c7g"],
      limits: { cpu: 64, memory: "256Gi" },
      consolidateUnderutilized: false,
      consolidateAfter: "5m",
      disruptionBudget: "2",
      expireAfter: "168h",
      labels: {},
      taints: [{ key: "batch", effect: "NoSchedule" }],
    },
  ],
  tags: { team: "platform" },
};

describe("Karpenter", () => {
  it("routes exactly Karpenter's four interruption events to its queue", () => {
    const patterns = mine(rt, "k", "aws:cloudwatch/eventRule:EventRule").map((r) =>
      JSON.parse(r.inputs.eventPattern as string),
    );
    expect(patterns).toEqual([
      { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
      { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
      { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
      { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
    ]);
    const targets = mine(rt, "k", "aws:cloudwatch/eventTarget:EventTarget");
    expect(targets).toHaveLength(KARPENTER_INTERRUPTION_EVENTS.length);
    const queue = rt.one("aws:sqs/queue:Queue", "k-interruption");
    expect(queue.inputs).toMatchObject({ messageRetentionSeconds: 300, sqsManagedSseEnabled: true });
  });

  it("joins nodes through an EC2_LINUX access entry and runs the controller under Pod Identity", () => {
    expect(rt.one("aws:eks/accessEntry:AccessEntry", "k-node").inputs).toMatchObject({
      clusterName: "prod",
      type: "EC2_LINUX",
    });
    expect(
      rt.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "k-controller").inputs,
    ).toMatchObject({
      namespace: "kube-system",
      serviceAccount: "karpenter",
    });
    const trust = JSON.parse(rt.one("aws:iam/role:Role", "k-controller").inputs.assumeRolePolicy as string);
    expect(trust.Statement[0].Principal).toEqual({ Service: "pods.eks.amazonaws.com" });
    const release = rt.one("kubernetes:helm.sh/v3:Release", "k-controller").inputs;
    expect(release).toMatchObject({ chart: KARPENTER_CHART.chart, version: KARPENTER_CHART.version });
    expect((release.values as { nodeSelector: unknown }).nodeSelector).toEqual({
      [KARPENTER_CONTROLLER_LABEL]: "true",
    });
  });

  it("scopes the controller's policy to this cluster, its node role and its queue", () => {
    const policy = karpenterControllerPolicy({
      partition: "aws",
      region: "eu-central-1",
      clusterName: "prod",
      clusterArn: ARGS.clusterArn as string,
      nodeRoleArn: "arn:aws:iam::111122223333:role/prod-karpenter-node",
      queueArn: "arn:aws:sqs:eu-central-1:111122223333:prod-karpenter",
    });
    expect(wildcardGrants(policy)).toEqual([]);
    expect(policy).toMatchSnapshot();
  });

  it("writes the EC2NodeClass and one NodePool per description (snapshots)", () => {
    const objects = mine(rt, "k", "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass")
      .concat(mine(rt, "k", "kubernetes:karpenter.sh/v1:NodePool"))
      .map((r) => ({ name: r.name, kind: r.inputs.kind, spec: r.inputs.spec }));
    expect(objects.map((o) => o.name)).toEqual(["k-nodeclass", "k-general", "k-batch"]);
    expect(objects).toMatchSnapshot();
  });

  it("refuses an unknown capacity type, an empty CPU limit and a malformed duration", () => {
    const bad: KarpenterArgs = {
      ...ARGS,
      nodePools: [
        {
          ...(ARGS.nodePools[0] as KarpenterArgs["nodePools"][number]),
          capacityTypes: ["reserved" as "spot"],
          limits: { cpu: 0, memory: "1Gi" },
          expireAfter: "30 days",
        },
      ],
    };
    const error = caught(() => new Karpenter("bad", bad));
    expect(error.diagnostics.map((d) => d.path)).toEqual([
      "nodePools[0].capacityTypes[0]",
      "nodePools[0].limits.cpu",
      "nodePools[0].expireAfter",
    ]);
  });
});
