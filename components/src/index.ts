// @kubeplat/components: the public surface. The plan layer (pure) is the package @kubeplat/plan,
// re-exported here; the mock runtime for tests and the offline preview is "@kubeplat/components/testing".

export * from "@kubeplat/plan";
export * as plan from "@kubeplat/plan";
// Alibaba Cloud
export * from "./alicloud/AckCluster";
export * from "./alicloud/AckClusterAddons";
export * from "./alicloud/AckNodePool";
export * from "./alicloud/AlicloudLoadBalancer";
export * from "./alicloud/AlicloudNetwork";
export * from "./alicloud/ackAddons";
export * from "./alicloud/securityGroupRules";
export * from "./alicloud/serviceAnnotations";
// AWS
export * from "./aws/AwsNetwork";
export { accessPolicyArn, planAccessEntries, ROLE_POLICIES } from "./aws/accessEntries";
export * from "./aws/EksCluster";
export * from "./aws/EksClusterAddons";
export * from "./aws/EksNodeGroup";
export * from "./aws/Karpenter";
export type {
  KarpenterLimitsInput,
  KarpenterNodePoolInput,
  KarpenterTaintInput,
} from "./aws/karpenterDocuments";
export { kubeconfigObject, renderKubeconfig } from "./aws/kubeconfig";
export * from "./aws/podIdentity";
export { kubernetesSubnetTags } from "./aws/subnetTags";
// Inside the cluster
export * from "./kubernetes/clusterAddons";
export * from "./kubernetes/IngressController";
export * from "./kubernetes/PlatformRbac";
export * from "./kubernetes/StorageClasses";
export * from "./kubernetes/Tenancy";
export * from "./kubernetes/TenantIdentities";
export * from "./nodeimage/bottlerocketSettings";
export * from "./nodeimage/buildScript";
export * from "./nodeimage/cloudImage";
export * from "./nodeimage/ignition";
export * from "./nodeimage/imageIdentity";
// Node images
export * from "./nodeimage/NodeImage";
export * from "./nodeimage/treefile";
export * from "./platform/contract";
export * from "./platform/environmentSpec";
// The composite and its contract
export * from "./platform/Platform";
export * from "./platform/PlatformReference";
// Self-managed (kubeadm) clusters
export * from "./selfmanaged/clusterPki";
export * from "./selfmanaged/kubeadmDocuments";
export * from "./selfmanaged/SelfManagedCluster";
