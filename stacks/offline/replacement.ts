/**
 * Which provider inputs force a stateful resource to be replaced: the one table the offline
 * preview's upgrade plan reads to call a change "replace" instead of "update in place".
 *
 * Pulumi's Alibaba Cloud and AWS providers are bridged from the Terraform providers, and a
 * bridged resource is replaced exactly when an input whose Terraform schema says `ForceNew: true`
 * changes (or a `CustomizeDiff` forces it, listed separately below). The inputs here are those
 * schema fields, under their Pulumi (camelCase) names; a dotted path names a field of a nested
 * block. Sources (the resource's schema in the provider's sources, read for this table):
 *
 * - aliyun/terraform-provider-alicloud (master of 2026-08-21, the line @pulumi/alicloud 3.108
 *   bridges): `alicloud/resource_alicloud_cs_managed_kubernetes.go`,
 *   `resource_alicloud_cs_kubernetes_node_pool.go`, `resource_alicloud_vpc.go`,
 *   `resource_alicloud_vswitch.go`, `resource_alicloud_slb_load_balancer.go` (Pulumi's
 *   `slb.ApplicationLoadBalancer`), `resource_alicloud_nlb_load_balancer.go`.
 * - hashicorp/terraform-provider-aws (the v6 line @pulumi/aws 7.x bridges):
 *   `internal/service/eks/cluster.go`, `internal/service/eks/node_group.go`,
 *   `internal/service/ec2/vpc_.go`, `internal/service/ec2/vpc_subnet.go`; for self-managed
 *   clusters `internal/service/ec2/ec2_instance.go` (a control-plane node),
 *   `internal/service/elbv2/load_balancer.go` (the API server's NLB) and
 *   `internal/service/autoscaling/group.go` (a worker pool). From v6 every resource
 *   takes a `region` argument, and changing it replaces the resource (Terraform AWS provider
 *   guide "Enhanced Region Support").
 *
 * Notably absent (changes in place): an ACK cluster's `version` (UpgradeCluster), a node pool's
 * `instanceTypes`, `vswitchIds`, `imageId` and `management`; an ACK VPC's `cidrBlock`; an EKS
 * cluster's `version` and `vpcConfig.subnetIds` / `securityGroupIds`; an EKS node group's
 * `version`, `releaseVersion` and `launchTemplate.version` (UpdateNodegroupVersion, rolled by
 * the group's `updateConfig`). An EKS node group's `instanceTypes`, `diskSize`, `amiType` and
 * `capacityType` do force a new group: that is what a blue/green pool rotation is for.
 *
 * A resource's own `replaceOnChanges` option (recorded by the mock runtime) is honoured too.
 * Refresh: re-read the files above when a provider SDK is bumped (`grep -n ForceNew`).
 */

export interface StatefulKind {
  /** What the resource is, in the words of the plan: cluster, VPC, vSwitch, node pool, load balancer. */
  kind: "cluster" | "vpc" | "vswitch" | "node pool" | "load balancer" | "control-plane node";
  /** Inputs whose change replaces the resource. */
  forceNew: readonly string[];
  /**
   * Inputs whose change replaces the resource when another input (a boolean) is true: an EC2
   * instance's `userData` with `userDataReplaceOnChange` (the provider's CustomizeDiff).
   */
  forceNewWhen?: Readonly<Record<string, string>>;
  /** Replacements a provider's CustomizeDiff forces on a condition, described (not evaluated). */
  conditional?: string;
}

const AWS_REGION = "region";

/** The stateful resource types the platform registers, keyed by Pulumi type token. */
export const STATEFUL_TYPES: Readonly<Record<string, StatefulKind>> = {
  "alicloud:cs/managedKubernetes:ManagedKubernetes": {
    kind: "cluster",
    forceNew: [
      "profile",
      "podCidr",
      "serviceCidr",
      "nodeCidrMask",
      "proxyMode",
      "ipStack",
      "clusterDomain",
      "serviceAccountIssuer",
      "apiAudiences",
      "autoMode.enabled",
    ],
  },
  "alicloud:cs/nodePool:NodePool": {
    kind: "node pool",
    forceNew: [
      "clusterId",
      "type",
      "securityGroupId",
      "securityGroupIds",
      "deploymentSetId",
      "ramRoleName",
      "loginAsNonRoot",
      "nodeNameMode",
      "cisEnabled",
      "socEnabled",
      "securityHardeningOs",
      "instanceMetadataOptions.httpTokens",
      "teeConfig.teeEnable",
      "autoMode.enabled",
    ],
  },
  "alicloud:vpc/network:Network": { kind: "vpc", forceNew: ["isDefault", "userCidrs", "ipv6CidrBlock"] },
  "alicloud:vpc/switch:Switch": {
    kind: "vswitch",
    forceNew: ["availabilityZone", "zoneId", "cidrBlock", "vpcId", "isDefault"],
  },
  "alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer": {
    kind: "load balancer",
    forceNew: [
      "address",
      "addressIpVersion",
      "addressType",
      "masterZoneId",
      "slaveZoneId",
      "vswitchId",
      "resourceGroupId",
    ],
  },
  "alicloud:nlb/loadBalancer:LoadBalancer": {
    kind: "load balancer",
    forceNew: ["addressIpVersion", "bandwidthPackageId", "loadBalancerType", "paymentType", "vpcId"],
  },
  "aws:eks/cluster:Cluster": {
    kind: "cluster",
    forceNew: [
      "name",
      "roleArn",
      "bootstrapSelfManagedAddons",
      "accessConfig.bootstrapClusterCreatorAdminPermissions",
      "kubernetesNetworkConfig.ipFamily",
      "kubernetesNetworkConfig.serviceIpv4Cidr",
      "outpostConfig.controlPlaneInstanceType",
      "outpostConfig.controlPlanePlacement.groupName",
      AWS_REGION,
    ],
    conditional: "removing encryptionConfig (envelope encryption cannot be turned off)",
  },
  "aws:eks/nodeGroup:NodeGroup": {
    kind: "node pool",
    forceNew: [
      "amiType",
      "capacityType",
      "clusterName",
      "diskSize",
      "instanceTypes",
      "launchTemplate.id",
      "launchTemplate.name",
      "nodeGroupName",
      "nodeGroupNamePrefix",
      "nodeRoleArn",
      "remoteAccess",
      "subnetIds",
      AWS_REGION,
    ],
  },
  "aws:ec2/vpc:Vpc": {
    kind: "vpc",
    forceNew: ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength", AWS_REGION],
    conditional: "instanceTenancy other than dedicated → default",
  },
  "aws:ec2/subnet:Subnet": {
    kind: "vswitch",
    forceNew: [
      "availabilityZone",
      "availabilityZoneId",
      "cidrBlock",
      "vpcId",
      "ipv4IpamPoolId",
      "ipv4NetmaskLength",
      "ipv6IpamPoolId",
      "ipv6Native",
      "ipv6NetmaskLength",
      "outpostArn",
      AWS_REGION,
    ],
    conditional: "ipv6CidrBlock changed on a subnet created with assignIpv6AddressOnCreation",
  },
  // A self-managed cluster's control-plane node: etcd lives on its root volume, so a replacement
  // is a member leaving and a new one joining (one node at a time, SelfManagedCluster.ts).
  "aws:ec2/instance:Instance": {
    kind: "control-plane node",
    forceNew: [
      "ami",
      "associatePublicIpAddress",
      "availabilityZone",
      "ebsBlockDevices",
      "ephemeralBlockDevices",
      "ipv6AddressCount",
      "ipv6Addresses",
      "keyName",
      "networkInterfaces",
      "placementGroup",
      "privateIp",
      "rootBlockDevice.encrypted",
      "rootBlockDevice.kmsKeyId",
      "securityGroups",
      "subnetId",
      AWS_REGION,
    ],
    forceNewWhen: { userData: "userDataReplaceOnChange", userDataBase64: "userDataReplaceOnChange" },
  },
  // A self-managed cluster's API server VIP: its address is the subnet mapping's private IP.
  "aws:lb/loadBalancer:LoadBalancer": {
    kind: "load balancer",
    forceNew: [
      "customerOwnedIpv4Pool",
      "internal",
      "loadBalancerType",
      "name",
      "namePrefix",
      "subnetMappings",
      AWS_REGION,
    ],
    conditional: "subnets removed from a network load balancer",
  },
  // A self-managed cluster's worker pool: a new launch template version is an instance refresh.
  "aws:autoscaling/group:Group": { kind: "node pool", forceNew: ["name", "namePrefix", AWS_REGION] },
};

/** The value at a dotted path; a nested block is an object or (Terraform's MaxItems 1) a one-element list. */
function at(value: unknown, path: string): unknown {
  let v = value;
  for (const key of path.split(".")) {
    if (Array.isArray(v)) v = v[0];
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Structural equality with object keys in any order (inputs are JSON-like). */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === "object")
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

export interface InputChange {
  /** Top-level inputs whose value differs. */
  changed: string[];
  /** The inputs among them (dotted, as in the table or `replaceOnChanges`) that force a replacement. */
  forceNew: string[];
}

/** What differs between two input sets of one resource, and which of it forces a replacement. */
export function diffInputs(
  type: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  replaceOnChanges: readonly string[] = [],
): InputChange {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changed = keys.filter((k) => !sameValue(before[k], after[k]));
  const when = Object.entries(STATEFUL_TYPES[type]?.forceNewWhen ?? {})
    .filter(([, flag]) => after[flag] === true)
    .map(([input]) => input);
  const paths = [...(STATEFUL_TYPES[type]?.forceNew ?? []), ...when, ...replaceOnChanges];
  const forceNew = [
    ...new Set(
      paths.filter((p) => (p === "*" ? changed.length > 0 : !sameValue(at(before, p), at(after, p)))),
    ),
  ];
  return { changed, forceNew };
}
