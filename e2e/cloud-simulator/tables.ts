/**
 * What the cloud simulator knows about each resource type the platform creates: which input
 * changes force a new resource, which properties are output-only, which are autonamed.
 *
 * Replace-on-change properties come from the providers' own reference pages, the properties
 * marked "(ForceNew)" / "Changing this forces a new resource to be created" / "Update requires:
 * Replacement":
 *  - AWS: Terraform AWS provider docs (registry.terraform.io/providers/hashicorp/aws, the pages
 *    the Pulumi AWS provider is generated from), e.g. "Resource: aws_subnet", "Resource:
 *    aws_eks_cluster" (`kubernetes_network_config`, `access_config.bootstrap_cluster_creator_admin_permissions`),
 *    "Resource: aws_eks_node_group", "Resource: aws_iam_role"; AWS CloudFormation "AWS::EKS::Cluster
 *    KubernetesNetworkConfig" ("Update requires: Replacement" for IpFamily, ServiceIpv4Cidr).
 *  - Alibaba Cloud: Terraform Alibaba Cloud provider docs (help.aliyun.com "alicloud_vswitch",
 *    "alicloud_cs_managed_kubernetes", "alicloud_nat_gateway", ...) and the ROS reference
 *    ("ALIYUN::ECS::VSwitch": VpcId, ZoneId, CidrBlock "Editable: No").
 * Paths are Pulumi (camelCase) property paths; a nested path is `block.property`.
 */

/** type token → property paths whose change replaces the resource. */
export const REPLACE_ON_CHANGE: Record<string, readonly string[]> = {
  // AWS
  "aws:ec2/vpc:Vpc": ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"],
  "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation": ["vpcId", "cidrBlock"],
  "aws:ec2/subnet:Subnet": ["vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId"],
  "aws:ec2/eip:Eip": ["domain", "address", "networkBorderGroup", "publicIpv4Pool"],
  "aws:ec2/natGateway:NatGateway": ["allocationId", "subnetId", "connectivityType", "privateIp"],
  "aws:ec2/routeTable:RouteTable": ["vpcId"],
  "aws:ec2/route:Route": [
    "routeTableId",
    "destinationCidrBlock",
    "destinationIpv6CidrBlock",
    "destinationPrefixListId",
  ],
  "aws:ec2/routeTableAssociation:RouteTableAssociation": ["subnetId", "gatewayId"],
  "aws:ec2/launchTemplate:LaunchTemplate": ["name", "namePrefix"],
  "aws:ec2/tag:Tag": ["resourceId", "key"],
  "aws:eks/cluster:Cluster": [
    "name",
    "roleArn",
    "bootstrapSelfManagedAddons",
    "kubernetesNetworkConfig.serviceIpv4Cidr",
    "kubernetesNetworkConfig.ipFamily",
    "accessConfig.bootstrapClusterCreatorAdminPermissions",
    "outpostConfig",
  ],
  "aws:eks/nodeGroup:NodeGroup": [
    "clusterName",
    "nodeGroupName",
    "nodeGroupNamePrefix",
    "nodeRoleArn",
    "subnetIds",
    "amiType",
    "capacityType",
    "diskSize",
    "instanceTypes",
    "remoteAccess",
    "launchTemplate.id",
    "launchTemplate.name",
  ],
  "aws:eks/accessEntry:AccessEntry": ["clusterName", "principalArn", "type"],
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": [
    "clusterName",
    "principalArn",
    "policyArn",
    "accessScope",
  ],
  "aws:iam/role:Role": ["name", "namePrefix", "path"],
  "aws:iam/policy:Policy": ["name", "namePrefix", "path", "description"],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["role", "policyArn"],
  "aws:iam/rolePolicy:RolePolicy": ["name", "namePrefix", "role"],
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": ["url"],
  "aws:kms/key:Key": ["keyUsage", "keySpec", "customerMasterKeySpec", "multiRegion", "customKeyStoreId"],
  // Alibaba Cloud
  "alicloud:vpc/switch:Switch": ["vpcId", "cidrBlock", "zoneId", "availabilityZone"],
  "alicloud:vpc/ipv4CidrBlock:Ipv4CidrBlock": ["vpcId", "secondaryCidrBlock"],
  "alicloud:ecs/securityGroup:SecurityGroup": ["vpcId", "securityGroupType"],
  "alicloud:ecs/securityGroupRule:SecurityGroupRule": [
    "type",
    "ipProtocol",
    "nicType",
    "policy",
    "portRange",
    "securityGroupId",
    "sourceSecurityGroupId",
    "sourceGroupOwnerAccount",
    "cidrIp",
    "ipv6CidrIp",
    "prefixListId",
  ],
  "alicloud:vpc/natGateway:NatGateway": ["vpcId", "natType", "networkType", "vswitchId", "paymentType"],
  "alicloud:ecs/eipAddress:EipAddress": ["isp", "ipAddress", "publicIpAddressPoolId", "zone"],
  "alicloud:ecs/eipAssociation:EipAssociation": [
    "allocationId",
    "instanceId",
    "instanceType",
    "privateIpAddress",
  ],
  "alicloud:vpc/snatEntry:SnatEntry": ["snatTableId", "sourceVswitchId", "sourceCidr"],
  "alicloud:vpc/routeTable:RouteTable": ["vpcId", "associateType"],
  "alicloud:vpc/routeEntry:RouteEntry": ["routeTableId", "destinationCidrblock", "nexthopType", "nexthopId"],
  "alicloud:vpc/routeTableAttachment:RouteTableAttachment": ["vswitchId", "routeTableId"],
  "alicloud:cs/managedKubernetes:ManagedKubernetes": [
    "podCidr",
    "serviceCidr",
    "nodeCidrMask",
    "proxyMode",
    "ipStack",
    "securityGroupId",
    "isEnterpriseSecurityGroup",
    "serviceAccountIssuer",
    "zoneIds",
  ],
  "alicloud:cs/nodePool:NodePool": ["clusterId", "securityGroupIds", "autoMode", "efloNodeGroup"],
  "alicloud:kms/key:Key": ["keySpec", "keyUsage", "protectionLevel", "dkmsInstanceId"],
  "alicloud:slb/acl:Acl": ["ipVersion"],
  "alicloud:slb/aclEntryAttachment:AclEntryAttachment": ["aclId", "entry"],
};

/**
 * Output-only properties: the provider rejects a program that sets them (Terraform: "Computed
 * attributes cannot be set"). AWS: "Resource: aws_eks_cluster", Attribute Reference
 * (`vpc_config.vpc_id`, `vpc_config.cluster_security_group_id`).
 */
export const OUTPUT_ONLY: Record<string, readonly string[]> = {
  "aws:eks/cluster:Cluster": ["vpcConfig.vpcId", "vpcConfig.clusterSecurityGroupId", "arn", "endpoint"],
};

/** Autonamed properties: unset, the provider picks `<logical name>-<7 hex>` and keeps it. */
export const AUTONAME: Record<string, string> = {
  "aws:iam/role:Role": "name",
  "aws:iam/policy:Policy": "name",
  "aws:iam/rolePolicy:RolePolicy": "name",
  "aws:ec2/launchTemplate:LaunchTemplate": "name",
  "aws:eks/nodeGroup:NodeGroup": "nodeGroupName",
  "aws:eks/cluster:Cluster": "name",
};

/**
 * Deletion protection: the cloud API refuses to delete the resource while the property is on
 * (ACK "DeleteCluster": deletion protection; EKS "DeleteCluster": `deletionProtection`; KMS, CLB,
 * NLB likewise). type → property → the "on" value.
 */
export const DELETION_PROTECTION: Record<string, [string, unknown]> = {
  "alicloud:cs/managedKubernetes:ManagedKubernetes": ["deletionProtection", true],
  "alicloud:kms/key:Key": ["deletionProtection", "Enabled"],
  "alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer": ["deleteProtection", "on"],
  "alicloud:nlb/loadBalancer:LoadBalancer": ["deletionProtectionEnabled", true],
  "aws:eks/cluster:Cluster": ["deletionProtection", true],
};
