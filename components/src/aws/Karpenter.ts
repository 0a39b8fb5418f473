/**
 * Karpenter: node provisioning for an EKS cluster instead of the Cluster Autoscaler. Creates the
 * controller's IAM role (EKS Pod Identity) with Karpenter's scoped permissions, the node IAM role
 * and its access entry (type `EC2_LINUX`, so nodes join without aws-auth), the SQS interruption
 * queue with one EventBridge rule per event Karpenter handles, the controller from its pinned OCI
 * chart (on the managed node group labelled `KARPENTER_CONTROLLER_LABEL`, which the caller
 * creates), and one `EC2NodeClass` plus a `NodePool` (karpenter.sh/v1) per pool description.
 *
 * The Kubernetes objects go through the providers of `opts` (the cluster's Kubernetes provider);
 * the node class and pools wait for the release that installs their CRDs.
 */

import type { Diagnostic } from "@kubeplat/plan";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { awsSdk } from "../cloudSdks";
import { judge } from "../judgement";
import type { KarpenterNodeOs } from "../platform/environmentSpec";
import { argProblem, checkOneOf } from "./argCheck";
import {
  ec2NodeClassSpec,
  interruptionEventPattern,
  interruptionQueuePolicy,
  KARPENTER_CHART,
  KARPENTER_INTERRUPTION_EVENTS,
  KARPENTER_SERVICE_ACCOUNT,
  KarpenterAmiFamily,
  type KarpenterNodePoolInput,
  karpenterControllerPolicy,
  karpenterValues,
  nodePoolSpec,
} from "./karpenterDocuments";

export { KarpenterAmiFamily } from "./karpenterDocuments";

export interface KarpenterArgs {
  /** The EKS cluster name. */
  clusterName: pulumi.Input<string>;
  /** The EKS cluster ARN (the controller may describe only this cluster). */
  clusterArn: pulumi.Input<string>;
  /** Subnets Karpenter launches nodes in (the cluster's private node subnets). */
  subnetIds: pulumi.Input<string>[];
  /** Security groups of the nodes. Default (empty): the cluster security group, found by EKS's `aws:eks:cluster-name` tag. */
  securityGroupIds: pulumi.Input<string>[];
  /** AWS region. */
  region: string;
  /** AWS partition. Default `aws`. */
  partition?: string;
  /** Node OS: `bottlerocket` (default, node/immutable-image) or `al2023`. */
  amiFamily?: KarpenterNodeOs;
  /** The NodePools. At least one. */
  nodePools: KarpenterNodePoolInput[];
  /** Chart version. Default: the pinned one (`KARPENTER_CHART`). */
  chartVersion?: string;
  /** Tags of every AWS resource and of the nodes. Default none. */
  tags?: Record<string, string>;
}

const CAPACITY = ["on-demand", "spot"] as const;
const ARCH = ["amd64", "arm64"] as const;
const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;
const DURATION = /^[0-9]+(s|m|h)$/;

/** Every problem of the args (pure). */
export function checkKarpenterArgs(name: string, args: KarpenterArgs): Diagnostic[] {
  const out: Diagnostic[] = [];
  out.push(...checkOneOf(name, "amiFamily", args.amiFamily, Object.values(KarpenterAmiFamily)));
  if (args.subnetIds.length === 0) out.push(argProblem(name, "subnetIds", "no subnet given"));
  if (args.nodePools.length === 0) out.push(argProblem(name, "nodePools", "no NodePool given"));
  const seen = new Set<string>();
  args.nodePools.forEach((p, i) => {
    const at = `nodePools[${i}]`;
    if (seen.has(p.name)) out.push(argProblem(name, `${at}.name`, `NodePool "${p.name}" is listed twice`));
    seen.add(p.name);
    if (p.capacityTypes.length === 0) out.push(argProblem(name, `${at}.capacityTypes`, "no capacity type"));
    for (const [k, c] of p.capacityTypes.entries())
      out.push(...checkOneOf(name, `${at}.capacityTypes[${k}]`, c, CAPACITY));
    if (p.architectures.length === 0) out.push(argProblem(name, `${at}.architectures`, "no architecture"));
    for (const [k, a] of p.architectures.entries())
      out.push(...checkOneOf(name, `${at}.architectures[${k}]`, a, ARCH));
    for (const [k, t] of p.taints.entries())
      out.push(...checkOneOf(name, `${at}.taints[${k}].effect`, t.effect, EFFECTS));
    if (!(p.limits.cpu > 0))
      out.push(
        argProblem(
          name,
          `${at}.limits.cpu`,
          `limits.cpu ${p.limits.cpu}: a NodePool needs a CPU limit above 0`,
        ),
      );
    for (const [f, v] of [
      ["consolidateAfter", p.consolidateAfter],
      ["expireAfter", p.expireAfter],
    ] as const) {
      if (!DURATION.test(v))
        out.push(argProblem(name, `${at}.${f}`, `${f} "${v}" is not a duration such as 30s, 10m or 720h`));
    }
    if (!/^([0-9]+|[0-9]{1,2}%|100%)$/.test(p.disruptionBudget))
      out.push(
        argProblem(
          name,
          `${at}.disruptionBudget`,
          `disruptionBudget "${p.disruptionBudget}" is not a node count or a percentage`,
        ),
      );
  });
  return out;
}

export class Karpenter extends pulumi.ComponentResource {
  /** The controller's IAM role. */
  readonly controllerRoleArn: pulumi.Output<string>;
  /** The nodes' IAM role. */
  readonly nodeRoleArn: pulumi.Output<string>;
  /** The interruption queue's name. */
  readonly queueName: pulumi.Output<string>;
  /** The pinned chart version. */
  readonly chartVersion: pulumi.Output<string>;

  constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
    const aws = awsSdk();
    const advisories = judge(`Karpenter ${name}`, args, () => checkKarpenterArgs(name, args));
    super("platform:aws:Karpenter", name, {}, opts);
    for (const d of advisories) pulumi.log.warn(`${d.rule} at ${d.path}: ${d.message}`, this);

    const partition = args.partition ?? "aws";
    const tags = { ...(args.tags ?? {}) };
    const clusterName = pulumi.output(args.clusterName);

    // Nodes: the EKS worker policies, joined through an EC2_LINUX access entry.
    const nodeRole = new aws.iam.Role(
      `${name}-node`,
      {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
        description: "Karpenter nodes",
        tags,
      },
      { parent: this },
    );
    const nodePolicies = [
      ["worker", "AmazonEKSWorkerNodePolicy"],
      ["cni", "AmazonEKS_CNI_Policy"],
      ["ecr", "AmazonEC2ContainerRegistryReadOnly"],
      ["ssm", "AmazonSSMManagedInstanceCore"],
    ].map(
      ([short, policy]) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-node-${short}`,
          { role: nodeRole.name, policyArn: `arn:${partition}:iam::aws:policy/${policy}` },
          { parent: this },
        ),
    );
    const accessEntry = new aws.eks.AccessEntry(
      `${name}-node`,
      { clusterName: args.clusterName, principalArn: nodeRole.arn, type: "EC2_LINUX", tags },
      { parent: this },
    );

    // Interruption queue and its rules.
    const queue = new aws.sqs.Queue(
      `${name}-interruption`,
      {
        // Named after the cluster, as Karpenter's getting-started names it: one queue per cluster.
        name: clusterName.apply((c) => `${c}-karpenter`),
        messageRetentionSeconds: 300,
        sqsManagedSseEnabled: true,
        tags,
      },
      { parent: this },
    );
    new aws.sqs.QueuePolicy(
      `${name}-interruption`,
      { queueUrl: queue.url, policy: queue.arn.apply((arn) => JSON.stringify(interruptionQueuePolicy(arn))) },
      { parent: this },
    );
    for (const e of KARPENTER_INTERRUPTION_EVENTS) {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${e.id}`,
        {
          description: `Karpenter interruption: ${e.detailType}`,
          eventPattern: interruptionEventPattern(e),
          tags,
        },
        { parent: this },
      );
      new aws.cloudwatch.EventTarget(
        `${name}-${e.id}`,
        { rule: rule.name, arn: queue.arn, targetId: "KarpenterInterruptionQueue" },
        { parent: this },
      );
    }

    // Controller: Pod Identity role with the scoped policy.
    const controllerRole = new aws.iam.Role(
      `${name}-controller`,
      {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "pods.eks.amazonaws.com" },
              Action: ["sts:AssumeRole", "sts:TagSession"],
            },
          ],
        }),
        description: "Karpenter controller (EKS Pod Identity)",
        tags,
      },
      { parent: this },
    );
    const controllerPolicy = new aws.iam.RolePolicy(
      `${name}-controller`,
      {
        role: controllerRole.name,
        policy: pulumi
          .all([clusterName, args.clusterArn, nodeRole.arn, queue.arn])
          .apply(([c, clusterArn, nodeRoleArn, queueArn]) =>
            JSON.stringify(
              karpenterControllerPolicy({
                partition,
                region: args.region,
                clusterName: c,
                clusterArn,
                nodeRoleArn,
                queueArn,
              }),
            ),
          ),
      },
      { parent: this },
    );
    const association = new aws.eks.PodIdentityAssociation(
      `${name}-controller`,
      {
        clusterName: args.clusterName,
        namespace: KARPENTER_SERVICE_ACCOUNT.namespace,
        serviceAccount: KARPENTER_SERVICE_ACCOUNT.name,
        roleArn: controllerRole.arn,
        tags,
      },
      { parent: this },
    );

    const chartVersion = args.chartVersion ?? KARPENTER_CHART.version;
    const release = new kubernetes.helm.v3.Release(
      `${name}-controller`,
      {
        name: "karpenter",
        chart: KARPENTER_CHART.chart,
        version: chartVersion,
        namespace: KARPENTER_SERVICE_ACCOUNT.namespace,
        maxHistory: 10,
        values: pulumi
          .output(clusterName)
          .apply((c) => karpenterValues({ clusterName: c, queueName: `${c}-karpenter` })),
      },
      { parent: this, dependsOn: [controllerPolicy, association, accessEntry, ...nodePolicies] },
    );

    const nodeClassName = "default";
    const nodeClass = new kubernetes.apiextensions.CustomResource(
      `${name}-nodeclass`,
      {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name: nodeClassName },
        spec: pulumi
          .all([clusterName, nodeRole.name, pulumi.all(args.subnetIds), pulumi.all(args.securityGroupIds)])
          .apply(([c, role, subnetIds, securityGroupIds]) =>
            ec2NodeClassSpec({
              amiFamily: args.amiFamily ?? "bottlerocket",
              nodeRoleName: role,
              subnetIds,
              securityGroupIds,
              clusterName: c,
              tags,
            }),
          ),
      },
      { parent: this, dependsOn: [release] },
    );
    for (const p of args.nodePools) {
      new kubernetes.apiextensions.CustomResource(
        `${name}-${p.name}`,
        {
          apiVersion: "karpenter.sh/v1",
          kind: "NodePool",
          metadata: { name: p.name },
          spec: nodePoolSpec(p, nodeClassName),
        },
        { parent: this, dependsOn: [release, nodeClass] },
      );
    }

    this.controllerRoleArn = controllerRole.arn;
    this.nodeRoleArn = nodeRole.arn;
    this.queueName = queue.name;
    this.chartVersion = pulumi.output(chartVersion);
    this.registerOutputs({
      controllerRoleArn: this.controllerRoleArn,
      nodeRoleArn: this.nodeRoleArn,
      queueName: this.queueName,
      chartVersion: this.chartVersion,
    });
  }
}
