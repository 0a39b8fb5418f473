/**
 * The AWS Load Balancer Controller on EKS as plain data (no Pulumi import): its pinned Helm
 * chart, the IAM policy it needs, the IRSA trust policy of its role, and its Helm values.
 *
 * Installation (Alauda Container Platform docs: Network initialization for AWS EKS clusters): `helm repo add eks https://aws.github.io/eks-charts`, then
 * `helm install aws-load-balancer-controller eks/aws-load-balancer-controller -n kube-system
 * --set clusterName=<CLUSTER_NAME> --set serviceAccount.create=false --set
 * serviceAccount.name=aws-load-balancer-controller --set ingressClassConfig.default=true`, the
 * service account bound to an IAM role through the cluster's OIDC provider (Alauda Container Platform docs: Network initialization for AWS EKS clusters). The
 * the docs pin v2.4.7; this module pins a current release (below). Services then ask for an NLB with
 * the annotations of Alauda Container Platform docs: AWS EKS supplementary information.
 *
 * The policy transcribes the controller's published `docs/install/iam_policy.json` (the version
 * that added IPAM pools and capacity reservations, v2.13+); re-check it when the chart is bumped.
 */

/** The aws-load-balancer-controller chart, pinned (aws/eks-charts; app version v2.14.0). */
export const AWS_LB_CONTROLLER_CHART = {
  chart: "aws-load-balancer-controller",
  version: "1.14.0",
  repo: "https://aws.github.io/eks-charts",
} as const;

/** Namespace and service account of the controller (Alauda Container Platform docs: Network initialization for AWS EKS clusters). */
export const AWS_LB_CONTROLLER_NAMESPACE = "kube-system";
export const AWS_LB_CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";

export interface IamStatement {
  Effect: "Allow" | "Deny";
  Principal?: Record<string, string>;
  Action: string[];
  /** Absent in a trust policy. */
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface IamPolicyDocument {
  Version: "2012-10-17";
  Statement: IamStatement[];
}

const CLUSTER_TAG_REQUEST = "aws:RequestTag/elbv2.k8s.aws/cluster";
const CLUSTER_TAG_RESOURCE = "aws:ResourceTag/elbv2.k8s.aws/cluster";
const LB_ARNS = [
  "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
  "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*",
  "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*",
];

/** The IAM policy of the AWS Load Balancer Controller. */
export const AWS_LB_CONTROLLER_POLICY: IamPolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: ["iam:CreateServiceLinkedRole"],
      Resource: "*",
      Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    {
      Effect: "Allow",
      Action: [
        "ec2:DescribeAccountAttributes",
        "ec2:DescribeAddresses",
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs",
        "ec2:DescribeVpcPeeringConnections",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeInstances",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeTags",
        "ec2:GetCoipPoolUsage",
        "ec2:DescribeCoipPools",
        "ec2:GetSecurityGroupsForVpc",
        "ec2:DescribeIpamPools",
        "ec2:DescribeRouteTables",
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeListenerCertificates",
        "elasticloadbalancing:DescribeSSLPolicies",
        "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "elasticloadbalancing:DescribeTargetHealth",
        "elasticloadbalancing:DescribeTags",
        "elasticloadbalancing:DescribeTrustStores",
        "elasticloadbalancing:DescribeListenerAttributes",
        "elasticloadbalancing:DescribeCapacityReservation",
      ],
      Resource: "*",
    },
    {
      Effect: "Allow",
      Action: [
        "cognito-idp:DescribeUserPoolClient",
        "acm:ListCertificates",
        "acm:DescribeCertificate",
        "iam:ListServerCertificates",
        "iam:GetServerCertificate",
        "waf-regional:GetWebACL",
        "waf-regional:GetWebACLForResource",
        "waf-regional:AssociateWebACL",
        "waf-regional:DisassociateWebACL",
        "wafv2:GetWebACL",
        "wafv2:GetWebACLForResource",
        "wafv2:AssociateWebACL",
        "wafv2:DisassociateWebACL",
        "shield:GetSubscriptionState",
        "shield:DescribeProtection",
        "shield:CreateProtection",
        "shield:DeleteProtection",
      ],
      Resource: "*",
    },
    {
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      Resource: "*",
    },
    { Effect: "Allow", Action: ["ec2:CreateSecurityGroup"], Resource: "*" },
    {
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: "arn:aws:ec2:*:*:security-group/*",
      Condition: {
        StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" },
        Null: { [CLUSTER_TAG_REQUEST]: "false" },
      },
    },
    {
      Effect: "Allow",
      Action: ["ec2:CreateTags", "ec2:DeleteTags"],
      Resource: "arn:aws:ec2:*:*:security-group/*",
      Condition: { Null: { [CLUSTER_TAG_REQUEST]: "true", [CLUSTER_TAG_RESOURCE]: "false" } },
    },
    {
      Effect: "Allow",
      Action: [
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:DeleteSecurityGroup",
      ],
      Resource: "*",
      Condition: { Null: { [CLUSTER_TAG_RESOURCE]: "false" } },
    },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      Resource: "*",
      Condition: { Null: { [CLUSTER_TAG_REQUEST]: "false" } },
    },
    {
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:CreateRule",
        "elasticloadbalancing:DeleteRule",
      ],
      Resource: "*",
    },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: LB_ARNS,
      Condition: { Null: { [CLUSTER_TAG_REQUEST]: "true", [CLUSTER_TAG_RESOURCE]: "false" } },
    },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: [
        "arn:aws:elasticloadbalancing:*:*:listener/net/*/*/*",
        "arn:aws:elasticloadbalancing:*:*:listener/app/*/*/*",
        "arn:aws:elasticloadbalancing:*:*:listener-rule/net/*/*/*",
        "arn:aws:elasticloadbalancing:*:*:listener-rule/app/*/*/*",
      ],
    },
    {
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetIpAddressType",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:ModifyListenerAttributes",
        "elasticloadbalancing:ModifyCapacityReservation",
        "elasticloadbalancing:ModifyIpPools",
      ],
      Resource: "*",
      Condition: { Null: { [CLUSTER_TAG_RESOURCE]: "false" } },
    },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags"],
      Resource: LB_ARNS,
      Condition: {
        StringEquals: { "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"] },
        Null: { [CLUSTER_TAG_REQUEST]: "false" },
      },
    },
    {
      Effect: "Allow",
      Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
      Resource: "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*",
    },
    {
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:SetWebAcl",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:AddListenerCertificates",
        "elasticloadbalancing:RemoveListenerCertificates",
        "elasticloadbalancing:ModifyRule",
        "elasticloadbalancing:SetRulePriorities",
      ],
      Resource: "*",
    },
  ],
};

/** The issuer host path of an OIDC provider URL (`https://oidc.eks...` → `oidc.eks...`). */
export function oidcIssuerHostPath(url: string): string {
  return url.replace(/^https:\/\//, "").replace(/\/$/, "");
}

/**
 * The IRSA trust policy: the cluster's OIDC provider may assume the role for the controller's
 * service account only (`sub`), with the STS audience (`aud`).
 */
export function irsaTrustPolicy(
  oidcProviderArn: string,
  oidcProviderUrl: string,
  namespace = AWS_LB_CONTROLLER_NAMESPACE,
  serviceAccount = AWS_LB_CONTROLLER_SERVICE_ACCOUNT,
): IamPolicyDocument {
  const issuer = oidcIssuerHostPath(oidcProviderUrl);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            [`${issuer}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
  };
}

export interface AwsLbControllerValuesInput {
  clusterName: string;
  region?: string;
  vpcId?: string;
  /** IRSA: the IAM role ARN annotated on the service account. Undefined with EKS Pod Identity (EKS binds it). */
  roleArn?: string;
  replicas: number;
  className: string;
  defaultClass: boolean;
}

/** Helm values for the AWS Load Balancer Controller. */
export function awsLbControllerValues(input: AwsLbControllerValuesInput): Record<string, unknown> {
  const podLabels = {
    "app.kubernetes.io/name": "aws-load-balancer-controller",
    "app.kubernetes.io/instance": "aws-load-balancer-controller",
  };
  const values: Record<string, unknown> = {
    clusterName: input.clusterName,
    replicaCount: input.replicas,
    serviceAccount: {
      create: true,
      name: AWS_LB_CONTROLLER_SERVICE_ACCOUNT,
      ...(input.roleArn ? { annotations: { "eks.amazonaws.com/role-arn": input.roleArn } } : {}),
    },
    ingressClass: input.className,
    createIngressClassResource: true,
    ingressClassConfig: { default: input.defaultClass },
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: podLabels },
      },
    ],
  };
  if (input.region) values.region = input.region;
  if (input.vpcId) values.vpcId = input.vpcId;
  return values;
}
