/**
 * The Alibaba Cloud side of a self-managed cluster (SelfManagedCluster), after the same model as
 * AWS (awsInfrastructure.ts):
 *
 *   security group  one for every node: node to node on every port (the group's inner access
 *                   policy), the API server (6443) from the VPC's CIDRs (the NLB's local addresses
 *                   sit in the node vSwitches)
 *   API server      an internal NLB: zone mapping 1 is the VIP's vSwitch at the planned VIP, one
 *                   mapping per other cluster zone at its planned address (an NLB needs at least two
 *                   zones, each with one vSwitch and, on an intranet NLB, one private address: the
 *                   alicloud provider's nlb.LoadBalancer zoneMappings); TCP 6443 to the
 *                   control-plane nodes' IPs (an `Ip` server group), client address retention off
 *   control plane   one `alicloud.ecs.Instance` per node at its planned private IP, user data = the
 *                   node's Ignition (base64); replaced, never updated in place, one at a time
 *   workers         per pool an ESS scaling group and its active scaling configuration
 *
 * Why an NLB and not a classic (CLB) layer-4 listener: every control-plane node reaches its own
 * API server through the VIP (kubeadm's controlPlaneEndpoint), and a CLB layer-4 listener passes
 * the client's address through, so a backend server that is also the client gets a packet from
 * itself and the connection fails (Server Load Balancer docs: CLB backend server FAQ; the same
 * hairpin limit as AWS's internal NLB with instance targets). An NLB `Ip` server group does not
 * preserve the client address (NLB docs: Obtain client IP addresses through an NLB instance), and
 * client address retention is off besides: a backend sees the NLB's local address as the source,
 * so a node that reaches itself through the VIP gets the reply.
 *
 * Upgrades by image: a new image id or a changed Ignition replaces a control-plane instance (the
 * alicloud provider would otherwise update `userData` in place and reboot, and re-initialise the
 * system disk for a new `imageId`: replaceOnChanges forces a replacement), one node at a time as on
 * AWS. A worker pool's scaling configuration is replaced too (a new one, active, then the old one
 * deleted), so every instance the group launches from then on boots the new image; ESS has no
 * instance refresh in the provider, so the running workers are NOT rolled by `pulumi up`: scale the
 * group out and in (its removal policy removes the oldest scaling configuration's instances first),
 * or drain and remove the old instances (README: Self-managed clusters, upgrades).
 */
import type * as alicloud from "@pulumi/alicloud";
import * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";
import { alicloudSdk } from "../cloudSdks";
import type { Infrastructure, InfrastructureContext } from "./awsInfrastructure";
import { API_SERVER_PORT } from "./kubeadmDocuments";
import { readinessCommand } from "./readiness";
import type { SelfManagedClusterArgs } from "./SelfManagedCluster";
import { essCapacity } from "./workerCapacity";

/** ECS system disk category of the nodes unless the spec names one (ECS docs: Block storage, ESSDs). */
export const ECS_DEFAULT_DISK_CATEGORY = "cloud_essd";

/** The block Alibaba Cloud's load balancers check health from (NLB docs: NLB FAQ). */
export const NLB_HEALTH_CHECK_CIDR = "100.64.0.0/10";

const base64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

/**
 * The NLB's zone mappings: the VIP's zone first at the VIP, then every other zone's planned
 * address. Pure, so the order and the addresses are tested on their own.
 */
export function nlbZoneMappings(
  vip: { zone: string; subnetId: pulumi.Input<string>; ip: string },
  others: readonly { zone: string; subnetId: pulumi.Input<string>; ip: string }[],
): { zoneId: string; vswitchId: pulumi.Input<string>; privateIpv4Address: string }[] {
  return [vip, ...others.filter((o) => o.zone !== vip.zone)].map((z) => ({
    zoneId: z.zone,
    vswitchId: z.subnetId,
    privateIpv4Address: z.ip,
  }));
}

export function alicloudInfrastructure(
  name: string,
  args: SelfManagedClusterArgs,
  { parent, documents, tags, deletionProtection }: InfrastructureContext,
): Infrastructure {
  // Loaded here, not at import: an AWS environment never loads @pulumi/alicloud (cloudSdks.ts).
  const alicloud = alicloudSdk();
  // One security group for every node: nodes reach each other on every port (the group's inner
  // access policy: the kubelet 10250, etcd 2379-2380, the overlay of Kube-OVN or Calico), and the
  // VPC reaches the API server (the NLB's local addresses, the deployer inside the VPC).
  const sg = new alicloud.ecs.SecurityGroup(
    `${name}-nodes`,
    {
      vpcId: args.vpcId,
      securityGroupName: `${args.clusterName}-nodes`,
      description: `Nodes of self-managed cluster ${args.clusterName}`,
      innerAccessPolicy: "Accept",
      tags,
    },
    { parent },
  );
  // The VPC, and 100.64.0.0/10, which NLB uses for its health checks (NLB docs: NLB FAQ).
  // Named by the CIDR, so adding a secondary VPC CIDR renames no rule.
  for (const cidr of [...new Set([...args.vpcCidrs, NLB_HEALTH_CHECK_CIDR])]) {
    new alicloud.ecs.SecurityGroupRule(
      `${name}-nodes-api-${cidr.replace(/[./]/g, "-")}`,
      {
        securityGroupId: sg.id,
        type: "ingress",
        ipProtocol: "tcp",
        portRange: `${API_SERVER_PORT}/${API_SERVER_PORT}`,
        cidrIp: cidr,
        policy: "accept",
        nicType: "intranet",
        description:
          cidr === NLB_HEALTH_CHECK_CIDR
            ? "API server from NLB health checks"
            : "API server from the VPC (the NLB's local addresses)",
      },
      { parent },
    );
  }

  const nlb = new alicloud.nlb.LoadBalancer(
    `${name}-api`,
    {
      loadBalancerName: `${args.clusterName}-api`,
      loadBalancerType: "Network",
      addressType: "Intranet",
      addressIpVersion: "ipv4",
      vpcId: args.vpcId,
      zoneMappings: nlbZoneMappings(
        { zone: args.apiVipZone ?? "", subnetId: args.apiVipSubnetId, ip: args.apiVip },
        args.apiZoneAddresses ?? [],
      ),
      crossZoneEnabled: true,
      deletionProtectionEnabled: deletionProtection,
      tags,
    },
    { parent },
  );
  const serverGroup = new alicloud.nlb.ServerGroup(
    `${name}-api`,
    {
      serverGroupName: `${args.clusterName}-api`,
      serverGroupType: "Ip",
      protocol: "TCP",
      vpcId: args.vpcId,
      // Client address retention off: a control-plane node reaches its own API server through
      // the VIP, and with retention on it would see its own address as the source and drop the reply.
      preserveClientIpEnabled: false,
      // NLB health checks speak TCP, HTTP or UDP; the API server serves HTTPS only: a TCP connect.
      healthCheck: {
        healthCheckEnabled: true,
        healthCheckType: "TCP",
        healthCheckConnectPort: API_SERVER_PORT,
      },
      tags,
    },
    { parent },
  );
  new alicloud.nlb.Listener(
    `${name}-api`,
    {
      loadBalancerId: nlb.id,
      listenerProtocol: "TCP",
      listenerPort: API_SERVER_PORT,
      serverGroupId: serverGroup.id,
      listenerDescription: `API server of ${args.clusterName}`,
      tags,
    },
    { parent },
  );

  const instances: alicloud.ecs.Instance[] = [];
  let previousReady: pulumi.Resource | undefined;
  args.controlPlane.nodes.forEach((node, i) => {
    const userData = documents.apply((d) => base64(d.controlPlane[i]?.ignition ?? ""));
    const instance = new alicloud.ecs.Instance(
      `${name}-${node.name.startsWith(`${args.clusterName}-`) ? node.name.slice(args.clusterName.length + 1) : node.name}`,
      {
        instanceName: node.name,
        hostName: node.name,
        imageId: args.imageId,
        instanceType: args.controlPlane.instanceType,
        instanceChargeType: "PostPaid",
        vswitchId: node.subnetId,
        privateIp: node.ip,
        securityGroups: [sg.id],
        keyName: args.keyName,
        userData,
        deletionProtection,
        httpEndpoint: "enabled",
        httpTokens: "required",
        systemDiskCategory: args.controlPlane.diskType ?? ECS_DEFAULT_DISK_CATEGORY,
        systemDiskSize: args.controlPlane.diskGiB,
        systemDiskEncrypted: args.controlPlane.diskEncrypted ?? true,
        systemDiskKmsKeyId: args.controlPlane.diskKmsKeyId,
        tags: { ...tags, Name: node.name, "kubeplat.io/role": "control-plane" },
      },
      {
        parent,
        // The provider updates userData in place (a reboot that Ignition ignores) and re-initialises
        // the system disk for a new imageId: a node is replaced instead, never patched.
        replaceOnChanges: ["userData", "imageId"],
        // The planned IP is the node's: the old instance must go before the new one takes it.
        deleteBeforeReplace: true,
        dependsOn: [nlb, ...(previousReady ? [previousReady] : [])],
      },
    );
    instances.push(instance);
    new alicloud.nlb.ServerGroupServerAttachment(
      `${name}-api-${i}`,
      {
        serverGroupId: serverGroup.id,
        serverType: "Ip",
        serverId: node.ip,
        serverIp: node.ip,
        port: API_SERVER_PORT,
        description: node.name,
      },
      { parent, dependsOn: [instance] },
    );
    previousReady = new command.local.Command(
      `${name}-${i}-ready`,
      { create: readinessCommand(node.name, node.ip), triggers: [instance.id] },
      { parent, dependsOn: [instance] },
    );
  });

  const groups: Record<string, pulumi.Output<string>> = {};
  (args.pools ?? []).forEach((pool, i) => {
    const capacity = essCapacity(pool.capacity ?? { type: "on-demand" }, pool.instanceTypes.length);
    const group = new alicloud.ess.ScalingGroup(
      `${name}-${pool.name}`,
      {
        scalingGroupName: `${args.clusterName}-${pool.name}`,
        vswitchIds: pool.subnetIds,
        minSize: pool.minSize,
        maxSize: pool.maxSize,
        desiredCapacity: pool.desiredSize ?? pool.minSize,
        multiAzPolicy: capacity.multiAzPolicy,
        onDemandBaseCapacity: capacity.onDemandBaseCapacity,
        onDemandPercentageAboveBaseCapacity: capacity.onDemandPercentageAboveBaseCapacity,
        spotInstancePools: capacity.spotInstancePools,
        spotInstanceRemedy: capacity.spotInstanceRemedy,
        // Scale-in removes the instances of the oldest scaling configuration first (an old image
        // or Ignition), then the oldest instances.
        removalPolicies: ["OldestScalingConfiguration", "OldestInstance"],
        tags: { ...tags, "kubeplat.io/pool": pool.name },
      },
      // Workers join through the VIP: wait for the control plane.
      { parent, dependsOn: previousReady ? [previousReady] : instances },
    );
    new alicloud.ess.ScalingConfiguration(
      `${name}-${pool.name}`,
      {
        scalingGroupId: group.id,
        scalingConfigurationName: `${args.clusterName}-${pool.name}`,
        imageId: args.imageId,
        instanceTypes: pool.instanceTypes,
        spotStrategy: capacity.spotStrategy,
        securityGroupIds: [sg.id],
        keyName: args.keyName,
        userData: documents.apply((d) => base64(d.pools[i]?.ignition ?? "")),
        systemDiskCategory: pool.diskType ?? ECS_DEFAULT_DISK_CATEGORY,
        systemDiskSize: pool.diskGiB ?? 100,
        systemDiskPerformanceLevel: pool.diskPerformanceLevel,
        systemDiskEncrypted: pool.diskEncrypted ?? true,
        systemDiskKmsKeyId: pool.diskKmsKeyId,
        instanceName: `${args.clusterName}-${pool.name}`,
        tags: { ...tags, Name: `${args.clusterName}-${pool.name}`, "kubeplat.io/pool": pool.name },
        // The group's active configuration, and the group enabled with it.
        active: true,
        enable: true,
        // The group's last configuration goes with the group.
        forceDelete: true,
      },
      // A new image or Ignition is a new configuration (created before the old one goes), never an
      // in-place edit, so the configuration a running instance came from stays recognisable.
      { parent, replaceOnChanges: ["imageId", "userData"] },
    );
    groups[pool.name] = group.scalingGroupName.apply((n) => n ?? `${args.clusterName}-${pool.name}`);
  });

  return { instances, instanceIds: instances.map((x) => x.id), ready: previousReady, groups };
}
