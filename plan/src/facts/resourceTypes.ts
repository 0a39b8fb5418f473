/**
 * Type tokens of the raw provider resources the pack reads (the `__pulumiType` of each SDK
 * class, e.g. node_modules/@pulumi/alicloud/vpc/network.js). Policies match on these strings,
 * so the pack needs none of the provider SDKs at run time and also guards stacks written with
 * the plain providers, without our components.
 */
export const T = {
  // Alibaba Cloud
  aliVpc: "alicloud:vpc/network:Network",
  aliVpcCidr: "alicloud:vpc/ipv4CidrBlock:Ipv4CidrBlock",
  aliVSwitch: "alicloud:vpc/switch:Switch",
  ack: "alicloud:cs/managedKubernetes:ManagedKubernetes",
  ackNodePool: "alicloud:cs/nodePool:NodePool",
  ackAddon: "alicloud:cs/kubernetesAddon:KubernetesAddon",
  ackAutoscaling: "alicloud:cs/autoscalingConfig:AutoscalingConfig",
  slb: "alicloud:slb/loadBalancer:LoadBalancer",
  slbListener: "alicloud:slb/listener:Listener",
  nlb: "alicloud:nlb/loadBalancer:LoadBalancer",
  aliEip: "alicloud:ecs/eipAddress:EipAddress",
  aliSecurityGroup: "alicloud:ecs/securityGroup:SecurityGroup",
  // AWS
  awsVpc: "aws:ec2/vpc:Vpc",
  awsVpcCidr: "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
  awsSubnet: "aws:ec2/subnet:Subnet",
  eks: "aws:eks/cluster:Cluster",
  eksNodeGroup: "aws:eks/nodeGroup:NodeGroup",
  eksAddon: "aws:eks/addon:Addon",
  awsEip: "aws:ec2/eip:Eip",
  awsSecurityGroup: "aws:ec2/securityGroup:SecurityGroup",
  awsLb: "aws:lb/loadBalancer:LoadBalancer",
  awsAlb: "aws:alb/loadBalancer:LoadBalancer",
  // Kubernetes
  namespace: "kubernetes:core/v1:Namespace",
  resourceQuota: "kubernetes:core/v1:ResourceQuota",
  limitRange: "kubernetes:core/v1:LimitRange",
  service: "kubernetes:core/v1:Service",
  clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
  roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
  ingressClass: "kubernetes:networking.k8s.io/v1:IngressClass",
  deployment: "kubernetes:apps/v1:Deployment",
  helmRelease: "kubernetes:helm.sh/v3:Release",
  albConfig: "kubernetes:alibabacloud.com/v1:AlbConfig",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  k8sProvider: "pulumi:providers:kubernetes",
} as const;

export const VPC_TYPES: readonly string[] = [T.aliVpc, T.awsVpc];
export const VPC_CIDR_TYPES: readonly string[] = [T.aliVpcCidr, T.awsVpcCidr];
export const VSWITCH_TYPES: readonly string[] = [T.aliVSwitch, T.awsSubnet];
export const CLUSTER_TYPES: readonly string[] = [T.ack, T.eks];
export const NODE_POOL_TYPES: readonly string[] = [T.ackNodePool, T.eksNodeGroup];
export const LOAD_BALANCER_TYPES: readonly string[] = [T.slb, T.nlb, T.awsLb, T.awsAlb];

export function cloudOf(type: string): "alicloud" | "aws" | undefined {
  if (type.startsWith("alicloud:")) return "alicloud";
  if (type.startsWith("aws:")) return "aws";
  return undefined;
}
