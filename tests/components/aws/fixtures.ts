/** Shared fixtures of the AWS component tests: the reference environment and mocked EKS outputs. */

import type { EnvironmentInput } from "@kubeplat/plan";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";

export const ACCOUNT = "123456789012";
export const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

/** The reference environment: production, 3 availability zones, one cluster, one node pool. */
export const referenceSpec: EnvironmentInput = {
  name: "prod",
  cloud: "aws",
  region: "eu-west-1",
  production: true,
  zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
  vpc: { cidr: "10.20.0.0/16" },
  clusters: [
    {
      name: "main",
      kubernetesVersion: "1.35",
      nodePools: [
        { name: "general", minSize: 3, maxSize: 12, autoscaling: true, instanceTypes: ["m6i.xlarge"] },
      ],
    },
  ],
};

export const EKS_ENDPOINT = "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com";
export const EKS_CA = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=";
export const EKS_ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF";

/** Provider outputs the mock answers with: EKS endpoint, CA and OIDC issuer, ARNs, versions. */
export function awsState(args: MockResourceArgs): Record<string, unknown> | undefined {
  switch (args.type) {
    case "aws:eks/cluster:Cluster":
      return {
        arn: `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/${args.inputs.name}`,
        endpoint: EKS_ENDPOINT,
        certificateAuthority: { data: EKS_CA },
        identities: [{ oidcs: [{ issuer: EKS_ISSUER }] }],
        vpcConfig: { ...(args.inputs.vpcConfig as object), clusterSecurityGroupId: "sg-cluster" },
      };
    case "aws:iam/role:Role":
      return { arn: role(args.name), name: args.name };
    case "aws:kms/key:Key":
      return { arn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${args.name}` };
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
      return {
        arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${String(args.inputs.url).replace("https://", "")}`,
      };
    case "aws:ec2/eip:Eip":
      return { allocationId: `eipalloc-${args.name}` };
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return { latestVersion: 1 };
    case "aws:eks/nodeGroup:NodeGroup":
      return {
        nodeGroupName: `${args.name}-1234567`,
        arn: `arn:aws:eks:eu-west-1:${ACCOUNT}:nodegroup/${args.name}`,
      };
    default:
      return undefined;
  }
}
