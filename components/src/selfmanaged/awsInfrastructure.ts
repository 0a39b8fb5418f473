/**
 * The AWS side of a self-managed cluster (SelfManagedCluster): the nodes' security group, the
 * API server's internal NLB at the planned VIP, one EC2 instance per control-plane node at its
 * planned IP (replaced one at a time, each after the previous node's readiness check), and per
 * worker pool a launch template and an auto scaling group rolled by instance refresh.
 */
import type * as aws from "@pulumi/aws";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { awsSdk } from "../cloudSdks";
import { API_SERVER_PORT } from "./kubeadmDocuments";
import { readinessCommand } from "./readiness";
import type { SelfManagedClusterArgs } from "./SelfManagedCluster";
import { instancesDistribution } from "./workerCapacity";

/** What both clouds' infrastructure takes from the component. */
export interface InfrastructureContext {
  /** The component: every resource's parent. */
  parent: pulumi.Resource;
  /** Every node's Ignition (a secret): control-plane nodes in order, then pools in order. */
  documents: pulumi.Output<{ controlPlane: { ignition: string }[]; pools: { ignition: string }[] }>;
  tags: Record<string, string>;
  deletionProtection: boolean;
}

/** What the component reads back from either cloud's infrastructure. */
export interface Infrastructure {
  /** The control-plane instances, in node order. */
  instances: pulumi.Resource[];
  instanceIds: pulumi.Output<string>[];
  /** The last control-plane node's readiness check: the in-cluster layer waits for it. */
  ready?: pulumi.Resource;
  /** The scaling group names, by pool. */
  groups: Record<string, pulumi.Output<string>>;
}

/**
 * The API NLB's subnet mappings: the VIP's subnet at the VIP, then every other control-plane
 * node's subnet once (one per zone; an NLB takes one subnet per zone). Added subnets are an
 * in-place change of a network load balancer (aws.lb.LoadBalancer: "subnet mappings can only be
 * added").
 */
export function apiSubnetMappings(
  vipSubnetId: pulumi.Input<string>,
  vip: string,
  nodeSubnetIds: readonly pulumi.Input<string>[],
): pulumi.Output<{ subnetId: string; privateIpv4Address?: string }[]> {
  return pulumi.all([vipSubnetId, ...nodeSubnetIds]).apply((ids) => {
    const vipSubnet = ids[0] as string;
    return [
      { subnetId: vipSubnet, privateIpv4Address: vip },
      ...[...new Set(ids.slice(1))].filter((s) => s !== vipSubnet).map((subnetId) => ({ subnetId })),
    ];
  });
}

export function awsInfrastructure(
  name: string,
  args: SelfManagedClusterArgs,
  { parent, documents, tags, deletionProtection }: InfrastructureContext,
): Infrastructure {
  // Loaded here, not at import: an Alibaba Cloud environment never loads @pulumi/aws (cloudSdks.ts).
  const aws = awsSdk();
  // One security group for every node: the VPC reaches the API server, the kubelet and the
  // overlay (Kube-OVN Geneve, Calico BGP / VXLAN); nodes reach each other on every port.
  const sg = new aws.ec2.SecurityGroup(
    `${name}-nodes`,
    {
      vpcId: args.vpcId,
      description: `Nodes of self-managed cluster ${args.clusterName}`,
      ingress: [
        { protocol: "-1", fromPort: 0, toPort: 0, self: true, description: "node to node" },
        {
          protocol: "tcp",
          fromPort: API_SERVER_PORT,
          toPort: API_SERVER_PORT,
          cidrBlocks: args.vpcCidrs,
          description: "API server from the VPC (the NLB's IP targets)",
        },
      ],
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "all" }],
      tags: { ...tags, Name: `${args.clusterName}-nodes` },
    },
    { parent },
  );

  // The API server VIP: an internal NLB at the planned address, enabled in every control-plane
  // node's zone: targets in a zone the load balancer does not enable receive no traffic (ELB
  // docs: Availability Zones and load balancer nodes), so a VIP in one zone only would reach the
  // first node alone, and while that node is replaced nothing would answer there.
  const nlb = new aws.lb.LoadBalancer(
    `${name}-api`,
    {
      internal: true,
      loadBalancerType: "network",
      subnetMappings: apiSubnetMappings(
        args.apiVipSubnetId,
        args.apiVip,
        args.controlPlane.nodes.map((n) => n.subnetId),
      ),
      enableCrossZoneLoadBalancing: true,
      enableDeletionProtection: deletionProtection,
      tags,
    },
    { parent },
  );
  const targetGroup = new aws.lb.TargetGroup(
    `${name}-api`,
    {
      port: API_SERVER_PORT,
      protocol: "TCP",
      targetType: "ip",
      vpcId: args.vpcId,
      // Client IP preservation off: a control-plane node reaches its own API server through the VIP.
      preserveClientIp: "false",
      healthCheck: { protocol: "HTTPS", path: "/readyz", port: String(API_SERVER_PORT) },
      tags,
    },
    { parent },
  );
  new aws.lb.Listener(
    `${name}-api`,
    {
      loadBalancerArn: nlb.arn,
      port: API_SERVER_PORT,
      protocol: "TCP",
      defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
      tags,
    },
    { parent },
  );

  const instances: aws.ec2.Instance[] = [];
  let previousReady: pulumi.Resource | undefined;
  args.controlPlane.nodes.forEach((node, i) => {
    const userData = documents.apply((d) => d.controlPlane[i]?.ignition ?? "");
    const instance = new aws.ec2.Instance(
      `${name}-${node.name.startsWith(`${args.clusterName}-`) ? node.name.slice(args.clusterName.length + 1) : node.name}`,
      {
        ami: args.imageId,
        instanceType: args.controlPlane.instanceType,
        subnetId: node.subnetId,
        privateIp: node.ip,
        vpcSecurityGroupIds: [sg.id],
        keyName: args.keyName,
        userData,
        userDataReplaceOnChange: true,
        disableApiTermination: deletionProtection,
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        rootBlockDevice: {
          volumeSize: args.controlPlane.diskGiB,
          volumeType: args.controlPlane.diskType ?? "gp3",
          encrypted: true,
          deleteOnTermination: true,
        },
        tags: { ...tags, Name: node.name, "kubeplat.io/role": "control-plane" },
      },
      {
        parent,
        // The planned IP is the node's: the old instance must go before the new one takes it.
        deleteBeforeReplace: true,
        dependsOn: [nlb, ...(previousReady ? [previousReady] : [])],
      },
    );
    instances.push(instance);
    new aws.lb.TargetGroupAttachment(
      `${name}-api-${i}`,
      { targetGroupArn: targetGroup.arn, targetId: node.ip, port: API_SERVER_PORT },
      { parent, dependsOn: [instance] },
    );
    // The next node is replaced only once this one serves again (its own /readyz, etcd included).
    previousReady = new command.local.Command(
      `${name}-${i}-ready`,
      {
        create: readinessCommand(node.name, node.ip),
        triggers: [instance.id],
      },
      { parent, dependsOn: [instance] },
    );
  });

  const groups: Record<string, pulumi.Output<string>> = {};
  (args.pools ?? []).forEach((pool, i) => {
    const userData = documents.apply((d) => d.pools[i]?.ignition ?? "");
    const lt = new aws.ec2.LaunchTemplate(
      `${name}-${pool.name}`,
      {
        description: `Workers of pool ${pool.name}, self-managed cluster ${args.clusterName}`,
        imageId: args.imageId,
        keyName: args.keyName,
        vpcSecurityGroupIds: [sg.id],
        userData: userData.apply((u) => Buffer.from(u, "utf8").toString("base64")),
        updateDefaultVersion: true,
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: {
              volumeSize: pool.diskGiB ?? 100,
              volumeType: pool.diskType ?? "gp3",
              encrypted: String(pool.diskEncrypted ?? true),
              kmsKeyId: pool.diskKmsKeyId,
              deleteOnTermination: "true",
            },
          },
        ],
        tagSpecifications: [
          { resourceType: "instance", tags: { ...tags, Name: `${args.clusterName}-${pool.name}` } },
          { resourceType: "volume", tags },
        ],
        tags,
      },
      { parent },
    );
    const group = new aws.autoscaling.Group(
      `${name}-${pool.name}`,
      {
        vpcZoneIdentifiers: pool.subnetIds,
        minSize: pool.minSize,
        maxSize: pool.maxSize,
        desiredCapacity: pool.desiredSize ?? pool.minSize,
        // Every listed instance type, and the pool's capacity type (on-demand, spot, mixed).
        mixedInstancesPolicy: {
          instancesDistribution: instancesDistribution(pool.capacity ?? { type: "on-demand" }),
          launchTemplate: {
            launchTemplateSpecification: {
              launchTemplateId: lt.id,
              version: lt.latestVersion.apply((v) => String(v)),
            },
            overrides: pool.instanceTypes.map((instanceType) => ({ instanceType })),
          },
        },
        // A new launch template version (image or Ignition) rolls the group: new instances
        // replace the old ones while minHealthyPercentage of the group stays in service.
        instanceRefresh: {
          strategy: "Rolling",
          preferences: { minHealthyPercentage: pool.minHealthyPercentage ?? 90, instanceWarmup: "300" },
        },
        tags: Object.entries({ ...tags, "kubeplat.io/pool": pool.name }).map(([key, value]) => ({
          key,
          value,
          propagateAtLaunch: true,
        })),
      },
      // Workers join through the VIP: wait for the control plane.
      { parent, dependsOn: previousReady ? [previousReady] : instances },
    );
    groups[pool.name] = group.name;
  });

  return { instances, instanceIds: instances.map((x) => x.id), ready: previousReady, groups };
}
