/**
 * EKS Pod Identity as plain data (no Pulumi import): the trust policy of a role that pods
 * assume through the EKS Pod Identity Agent, and the least-privilege permissions of the
 * platform's own controllers.
 *
 * Trust (AWS docs: "Learn how EKS Pod Identity grants pods access to AWS services"): the service
 * principal `pods.eks.amazonaws.com` with `sts:AssumeRole` and `sts:TagSession` (the agent tags
 * the session with the cluster, namespace and service account). The association
 * (`aws.eks.PodIdentityAssociation`, or an add-on's `podIdentityAssociations`) binds the role to
 * one service account of one cluster, so the trust needs no OIDC condition.
 */

export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";

/** The trust policy of a Pod Identity role. */
export function podIdentityTrustPolicy(): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EksPodIdentity",
        Effect: "Allow",
        Principal: { Service: POD_IDENTITY_PRINCIPAL },
        Action: ["sts:AssumeRole", "sts:TagSession"],
      },
    ],
  };
}

/** AWS's managed policy for the EBS CSI driver (AWS docs: "Store Kubernetes volumes with Amazon EBS"). */
export const EBS_CSI_DRIVER_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy";
/** The EBS CSI controller's service account (the add-on's). */
export const EBS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "ebs-csi-controller-sa" } as const;
/** The Cluster Autoscaler's service account (set in its Helm values). */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = {
  namespace: "kube-system",
  name: "cluster-autoscaler",
} as const;

/**
 * The Cluster Autoscaler's permissions (its AWS provider README, "Minimal IAM Permissions"):
 * scaling actions only on Auto Scaling groups tagged as this cluster's (EKS tags a managed node
 * group's group `k8s.io/cluster-autoscaler/<cluster>: owned`), describe calls on any.
 */
export function clusterAutoscalerPolicy(clusterName: string): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ScaleOwnGroups",
        Effect: "Allow",
        Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        Resource: "*",
        Condition: {
          StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" },
        },
      },
      {
        Sid: "Describe",
        Effect: "Allow",
        Action: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeLaunchConfigurations",
          "autoscaling:DescribeScalingActivities",
          "autoscaling:DescribeTags",
          "ec2:DescribeImages",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:GetInstanceTypesFromInstanceRequirements",
          "eks:DescribeNodegroup",
        ],
        Resource: "*",
      },
    ],
  };
}

/** Statements of a policy document that grant every action (`*`, `<service>:*`) on every resource. */
export function wildcardGrants(policy: Record<string, unknown>): string[] {
  const statements = [policy.Statement].flat() as Record<string, unknown>[];
  const out: string[] = [];
  for (const s of statements) {
    if (s?.Effect !== "Allow") continue;
    const actions = [s.Action].flat().filter((a): a is string => typeof a === "string");
    const resources = [s.Resource].flat();
    const wild = actions.filter((a) => a === "*" || a.endsWith(":*"));
    if (wild.length > 0 && resources.includes("*") && s.Condition === undefined) out.push(...wild);
  }
  return out;
}
