/**
 * Karpenter on EKS as plain data (no Pulumi import): the pinned chart, the controller's IAM
 * permissions, the interruption events it handles, and the `EC2NodeClass` / `NodePool` objects
 * (karpenter.sh/v1) a pool description becomes. Karpenter docs: "Getting Started with Karpenter"
 * (its CloudFormation template's controller policy and interruption queue), "NodePools",
 * "NodeClasses", "Disruption".
 */

import {
  type KarpenterArchitecture,
  type KarpenterCapacityType,
  KarpenterNodeOs,
} from "../platform/environmentSpec";

/** The controller chart, from Karpenter's OCI registry (signed with Cosign). */
export const KARPENTER_CHART = {
  chart: "oci://public.ecr.aws/karpenter/karpenter",
  version: "1.12.1",
} as const;

/** The controller's service account (set in the chart values; the Pod Identity association names it). */
export const KARPENTER_SERVICE_ACCOUNT = { namespace: "kube-system", name: "karpenter" } as const;

/** The label of the managed node group the controller runs on (never on nodes it manages itself). */
export const KARPENTER_CONTROLLER_LABEL = "platform.kubeplat.io/karpenter-controller";

/**
 * The EventBridge events Karpenter handles through its interruption queue: spot interruption
 * warnings, rebalance recommendations, instance state changes, and AWS Health scheduled changes.
 */
export const KARPENTER_INTERRUPTION_EVENTS = [
  { id: "scheduled-change", source: "aws.health", detailType: "AWS Health Event" },
  { id: "spot-interruption", source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
  { id: "rebalance", source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
  { id: "instance-state-change", source: "aws.ec2", detailType: "EC2 Instance State-change Notification" },
] as const;

/** The EventBridge pattern of one interruption event. */
export function interruptionEventPattern(e: (typeof KARPENTER_INTERRUPTION_EVENTS)[number]): string {
  return JSON.stringify({ source: [e.source], "detail-type": [e.detailType] });
}

/** The interruption queue's policy: EventBridge (and SQS itself) may send; nothing over plain HTTP. */
export function interruptionQueuePolicy(queueArn: string): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Id: "EC2InterruptionPolicy",
    Statement: [
      {
        Sid: "EventBridgeSends",
        Effect: "Allow",
        Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
        Action: "sqs:SendMessage",
        Resource: queueArn,
      },
      {
        Sid: "DenyHTTP",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: queueArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

export interface KarpenterPolicyInput {
  partition: string;
  region: string;
  clusterName: string;
  clusterArn: string;
  nodeRoleArn: string;
  queueArn: string;
}

/**
 * The controller's permissions, after Karpenter's v1 CloudFormation template: instances, fleets
 * and launch templates only with this cluster's ownership tag (`kubernetes.io/cluster/<name>:
 * owned`) and a `karpenter.sh/nodepool` tag; terminate and delete only what carries them; pass
 * only the node role, to EC2; read-only calls limited to the region; its own queue.
 */

/** What launching a node creates, scoped by Karpenter's policy on creation and on tagging alike. */
const LAUNCHED_EC2_TYPES = [
  "fleet",
  "instance",
  "volume",
  "network-interface",
  "launch-template",
  "spot-instances-request",
];
export function karpenterControllerPolicy(p: KarpenterPolicyInput): Record<string, unknown> {
  const ec2 = (type: string) => `arn:${p.partition}:ec2:${p.region}:*:${type}/*`;
  const owned = `aws:RequestTag/kubernetes.io/cluster/${p.clusterName}`;
  const ownedResource = `aws:ResourceTag/kubernetes.io/cluster/${p.clusterName}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowScopedEC2InstanceAccessActions",
        Effect: "Allow",
        Action: ["ec2:RunInstances", "ec2:CreateFleet"],
        Resource: [
          `arn:${p.partition}:ec2:${p.region}::image/*`,
          `arn:${p.partition}:ec2:${p.region}::snapshot/*`,
          ec2("security-group"),
          ec2("subnet"),
          ec2("capacity-reservation"),
        ],
      },
      {
        Sid: "AllowScopedEC2LaunchTemplateAccessActions",
        Effect: "Allow",
        Action: ["ec2:RunInstances", "ec2:CreateFleet"],
        Resource: ec2("launch-template"),
        Condition: {
          StringEquals: { [ownedResource]: "owned" },
          StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
        },
      },
      {
        Sid: "AllowScopedEC2InstanceActionsWithTags",
        Effect: "Allow",
        Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
        Resource: LAUNCHED_EC2_TYPES.map(ec2),
        Condition: {
          StringEquals: { [owned]: "owned", "aws:RequestTag/eks:eks-cluster-name": p.clusterName },
          StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
        },
      },
      {
        Sid: "AllowScopedResourceCreationTagging",
        Effect: "Allow",
        Action: "ec2:CreateTags",
        Resource: LAUNCHED_EC2_TYPES.map(ec2),
        Condition: {
          StringEquals: {
            [owned]: "owned",
            "aws:RequestTag/eks:eks-cluster-name": p.clusterName,
            "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
          },
          StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
        },
      },
      {
        Sid: "AllowScopedResourceTagging",
        Effect: "Allow",
        Action: "ec2:CreateTags",
        Resource: ec2("instance"),
        Condition: {
          StringEquals: { [ownedResource]: "owned" },
          StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
          StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": p.clusterName },
          "ForAllValues:StringEquals": {
            "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"],
          },
        },
      },
      {
        Sid: "AllowScopedDeletion",
        Effect: "Allow",
        Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
        Resource: [ec2("instance"), ec2("launch-template")],
        Condition: {
          StringEquals: { [ownedResource]: "owned" },
          StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
        },
      },
      {
        Sid: "AllowRegionalReadActions",
        Effect: "Allow",
        Action: [
          "ec2:DescribeCapacityReservations",
          "ec2:DescribeImages",
          "ec2:DescribeInstances",
          "ec2:DescribeInstanceTypeOfferings",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplates",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSpotPriceHistory",
          "ec2:DescribeSubnets",
        ],
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": p.region } },
      },
      {
        Sid: "AllowSSMReadActions",
        Effect: "Allow",
        Action: "ssm:GetParameter",
        Resource: `arn:${p.partition}:ssm:${p.region}::parameter/aws/service/*`,
      },
      {
        Sid: "AllowPricingReadActions",
        Effect: "Allow",
        Action: "pricing:GetProducts",
        Resource: "*",
      },
      {
        Sid: "AllowInterruptionQueueActions",
        Effect: "Allow",
        Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
        Resource: p.queueArn,
      },
      {
        Sid: "AllowPassingInstanceRole",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: p.nodeRoleArn,
        Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com"] } },
      },
      {
        Sid: "AllowScopedInstanceProfileActions",
        Effect: "Allow",
        Action: [
          "iam:CreateInstanceProfile",
          "iam:TagInstanceProfile",
          "iam:AddRoleToInstanceProfile",
          "iam:RemoveRoleFromInstanceProfile",
          "iam:DeleteInstanceProfile",
        ],
        Resource: `arn:${p.partition}:iam::*:instance-profile/*`,
        Condition: {
          StringEquals: {
            [`aws:ResourceTag/kubernetes.io/cluster/${p.clusterName}`]: "owned",
            "aws:ResourceTag/topology.kubernetes.io/region": p.region,
          },
          StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
        },
      },
      {
        Sid: "AllowScopedInstanceProfileCreation",
        Effect: "Allow",
        Action: ["iam:CreateInstanceProfile", "iam:TagInstanceProfile"],
        Resource: `arn:${p.partition}:iam::*:instance-profile/*`,
        Condition: {
          StringEquals: {
            [owned]: "owned",
            "aws:RequestTag/eks:eks-cluster-name": p.clusterName,
            "aws:RequestTag/topology.kubernetes.io/region": p.region,
          },
          StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
        },
      },
      {
        Sid: "AllowInstanceProfileReadActions",
        Effect: "Allow",
        Action: ["iam:GetInstanceProfile", "iam:ListInstanceProfiles"],
        Resource: "*",
      },
      {
        Sid: "AllowAPIServerEndpointDiscovery",
        Effect: "Allow",
        Action: "eks:DescribeCluster",
        Resource: p.clusterArn,
      },
    ],
  };
}

/**
 * The node OS a Karpenter node class boots, an alias Karpenter resolves to the newest AMI: the
 * spec's `KarpenterNodeOs`, one enum for the spec and the component.
 */
export const KarpenterAmiFamily = KarpenterNodeOs;
export type KarpenterAmiFamily = KarpenterNodeOs;

/** The most a NodePool may hold. */
export interface KarpenterLimitsInput {
  /** CPU cores. */
  cpu: number;
  /** Memory, a Kubernetes quantity such as `400Gi`. */
  memory: string;
}

/** A taint of a NodePool's nodes. */
export interface KarpenterTaintInput {
  key: string;
  /** Default "". */
  value?: string;
  /** `NoSchedule`, `PreferNoSchedule` or `NoExecute`. */
  effect: string;
}

export interface KarpenterNodePoolInput {
  /** The NodePool's name. */
  name: string;
  /** `on-demand`, `spot` (both: Karpenter prefers spot and falls back). */
  capacityTypes: KarpenterCapacityType[];
  /** `amd64`, `arm64`. */
  architectures: KarpenterArchitecture[];
  /** Instance categories, e.g. `c`, `m`, `r`. Empty: any. */
  instanceCategories: string[];
  /** Instance families, e.g. `m7g`. Empty: any. */
  instanceFamilies: string[];
  /** The most CPU (cores) and memory (quantity, e.g. `400Gi`) the pool may hold. */
  limits: KarpenterLimitsInput;
  /** Consolidate empty and underutilised nodes (true) or only empty ones. */
  consolidateUnderutilized: boolean;
  /** Wait this long before consolidating, e.g. `1m`. */
  consolidateAfter: string;
  /** At most this share (`10%`) or number of nodes disrupted at once. */
  disruptionBudget: string;
  /** Replace nodes older than this, e.g. `720h`. */
  expireAfter: string;
  /** Kubernetes labels of the nodes. */
  labels: Record<string, string>;
  /** Kubernetes taints of the nodes. */
  taints: KarpenterTaintInput[];
}

/** The `EC2NodeClass` (karpenter.k8s.aws/v1) of a cluster's Karpenter nodes. */
export function ec2NodeClassSpec(input: {
  amiFamily: KarpenterAmiFamily;
  nodeRoleName: string;
  subnetIds: string[];
  securityGroupIds: string[];
  clusterName: string;
  tags: Record<string, string>;
}): Record<string, unknown> {
  return {
    amiSelectorTerms: [{ alias: `${input.amiFamily}@latest` }],
    role: input.nodeRoleName,
    subnetSelectorTerms: input.subnetIds.map((id) => ({ id })),
    // No ids: the cluster security group, which EKS tags with the cluster's name.
    securityGroupSelectorTerms:
      input.securityGroupIds.length > 0
        ? input.securityGroupIds.map((id) => ({ id }))
        : [{ tags: { "aws:eks:cluster-name": input.clusterName } }],
    // IMDSv2 only, one hop: pods cannot reach the node's credentials.
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
    tags: { ...input.tags, "karpenter.sh/discovery": input.clusterName },
  };
}

/** The `NodePool` (karpenter.sh/v1) spec of one pool description. */
export function nodePoolSpec(p: KarpenterNodePoolInput, nodeClassName: string): Record<string, unknown> {
  const requirements: Record<string, unknown>[] = [
    { key: "karpenter.sh/capacity-type", operator: "In", values: p.capacityTypes },
    { key: "kubernetes.io/arch", operator: "In", values: p.architectures },
    { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
  ];
  if (p.instanceCategories.length > 0)
    requirements.push({
      key: "karpenter.k8s.aws/instance-category",
      operator: "In",
      values: p.instanceCategories,
    });
  if (p.instanceFamilies.length > 0)
    requirements.push({
      key: "karpenter.k8s.aws/instance-family",
      operator: "In",
      values: p.instanceFamilies,
    });
  return {
    template: {
      metadata: { labels: p.labels },
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: nodeClassName },
        requirements,
        taints: p.taints.map((t) => ({ key: t.key, value: t.value ?? "", effect: t.effect })),
        expireAfter: p.expireAfter,
      },
    },
    limits: { cpu: String(p.limits.cpu), memory: p.limits.memory },
    disruption: {
      consolidationPolicy: p.consolidateUnderutilized ? "WhenEmptyOrUnderutilized" : "WhenEmpty",
      consolidateAfter: p.consolidateAfter,
      budgets: [{ nodes: p.disruptionBudget }],
    },
  };
}

/** The chart values: cluster, queue, service account, and the controller on its own node group. */
export function karpenterValues(input: { clusterName: string; queueName: string }): Record<string, unknown> {
  return {
    settings: { clusterName: input.clusterName, interruptionQueue: input.queueName },
    serviceAccount: { name: KARPENTER_SERVICE_ACCOUNT.name },
    replicas: 2,
    nodeSelector: { [KARPENTER_CONTROLLER_LABEL]: "true" },
    controller: { resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "512Mi" } } },
  };
}
