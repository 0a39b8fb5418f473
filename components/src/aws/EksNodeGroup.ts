/**
 * EksNodeGroup: an EKS managed node group booting an immutable image (Bottlerocket, from the
 * NodeImage component) through a launch template: the AMI id, the Bottlerocket settings TOML as
 * user data, and the image identity as a tag and in the description. An image change is a new
 * launch template version, which EKS rolls out by replacing nodes (never in place).
 *
 * Scaling: min/max/desired; when autoscaling, the desired size is ignored on update so the
 * cluster autoscaler owns it. Labels, taints, update config (max unavailable), instance types.
 */

import {
  checkAutoscalerInstanceTypes,
  checkName,
  checkNodePool,
  checkNodesPerPool,
  checkScaleStep,
  type Diagnostic,
  diagnostic,
  immutableImage,
  type QuotaFacts,
  requestedPoolSize,
} from "@kubeplat/plan";
import * as pulumi from "@pulumi/pulumi";
import { awsSdk } from "../cloudSdks";
import { judge } from "../judgement";
import { dependsOnList } from "../kubernetes/clusterAddons";
import { argProblem, checkOneOf } from "./argCheck";
import { EKS_AL2023_AMI_TYPE_VALUES } from "./eksAmiType";

/** Tag carrying the node image identity on the launch template, instances and volumes. */
export const IMAGE_IDENTITY_TAG = "platform.kubeplat.io/image-identity";
export const CAPACITY_TYPES = ["ON_DEMAND", "SPOT"] as const;
export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;
/** Kubernetes taint effect → EKS node group taint effect. */
const EKS_TAINT_EFFECT: Record<string, string> = {
  NoSchedule: "NO_SCHEDULE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
};
/** EKS node group names are at most 63 characters; Pulumi's auto-name adds `-` and 7 characters. */
const EKS_NODE_GROUP_NAME_MAX = 63;
const AUTONAME_SUFFIX = 8;

export interface EksTaintArgs {
  key: string;
  /** Default "". */
  value?: string;
  /** `NoSchedule`, `PreferNoSchedule` or `NoExecute`. */
  effect: string;
}

export interface EksNodeGroupArgs {
  /** The EKS cluster name (EksCluster `clusterName`). */
  clusterName: pulumi.Input<string>;
  /** The private subnets nodes are placed in (immutable: a change replaces the node group). */
  subnetIds: pulumi.Input<string>[];
  /** A production environment: node/immutable-image mandatory. Default false. */
  production?: boolean;
  /** The cluster's default pool (node/autoscaling-default-pool). Default false. */
  defaultPool?: boolean;
  /** AMI id of the node image (NodeImage `amiId`). Exactly one of `amiId` and `amiType`. */
  amiId?: pulumi.Input<string>;
  /**
   * An EKS-optimized Amazon Linux 2023 AMI type (`AL2023_x86_64_STANDARD`, `AL2023_ARM_64_STANDARD`,
   * `AL2023_x86_64_NVIDIA`, `AL2023_ARM_64_NVIDIA`) instead of `amiId`: EKS picks the AMI release
   * of the cluster's minor and bootstraps the node. Default: none (`amiId`).
   */
  amiType?: string;
  /**
   * User data, plain text; base64-encoded here. With `amiId`: the Bottlerocket settings TOML
   * (NodeImage `userData`); with `amiType`: a MIME document EKS merges with its own, or none.
   */
  userData?: pulumi.Input<string>;
  /** Identity of the node image (NodeImage `identity`): tagged on the launch template and nodes. Default: `amiType`. */
  imageIdentity?: pulumi.Input<string>;
  /** OS family of the image, for node/immutable-image. Default "bottlerocket". */
  imageFamily?: string;
  /** Instance types (immutable). At least one. */
  instanceTypes: string[];
  /** `ON_DEMAND` or `SPOT` (immutable). Default `ON_DEMAND`. */
  capacityType?: string;
  minSize: number;
  maxSize: number;
  /** Initial desired size. Default `minSize`. Ignored on update when `autoscaling`. */
  desiredSize?: number;
  /** The cluster autoscaler owns the desired size. Default false. */
  autoscaling?: boolean;
  /** Kubernetes node labels (the node image's settings should carry the same). Default none. */
  labels?: Record<string, string>;
  /** Kubernetes node taints. Default none. */
  taints?: EksTaintArgs[];
  /** Nodes replaced at once during an update. Default 1 (unless `maxUnavailablePercentage`). */
  maxUnavailable?: number;
  /** Percentage of nodes replaced at once during an update, instead of `maxUnavailable`. Default unset. */
  maxUnavailablePercentage?: number;
  /** Size of the Bottlerocket data volume (/dev/xvdb) in GiB, encrypted gp3. Default 20. */
  dataVolumeSizeGiB?: number;
  /** EBS volume type of the data volume (`gp3`, `gp2`, `io1`, `io2`, ...). Default `gp3`. */
  dataVolumeType?: string;
  /** KMS key of the node volumes. Default: the account's EBS default key. */
  volumeKmsKeyArn?: string;
  /** Size of the OS volume (/dev/xvda) in GiB. Default: the AMI's. */
  systemVolumeSizeGiB?: number;
  /** EBS volume type of the OS volume. Default `gp3`. */
  systemVolumeType?: string;
  /** KMS key of the OS volume. Default `volumeKmsKeyArn`. */
  systemVolumeKmsKeyArn?: string;
  /** IMDSv2 hop limit: 1 keeps pods away from the node's credentials. Default 1. */
  metadataHopLimit?: number;
  /** Use this node IAM role instead of creating one. Default: a role with the EKS worker policies. */
  nodeRoleArn?: pulumi.Input<string>;
  /** AWS partition of ARNs. Default "aws". */
  partition?: string;
  /**
   * Quotas the environment declares (spec `quotas`). On AWS the quota rules apply only where a
   * quota is declared (the documented defaults are Alibaba Cloud's). Default none.
   */
  quotas?: EksNodeGroupQuotaArgs;
  /** Tags of every resource (and of nodes and volumes). Default none. */
  tags?: Record<string, string>;
}

export interface EksNodeGroupQuotaArgs {
  /** Max nodes of one node group (quota/nodes-per-pool). Default: not checked. */
  nodesPerPool?: number;
  /** Nodes one change may add to a fixed node group (quota/scale-step). Default: not checked. */
  scaleStep?: number;
}

/** Every diagnostic of an EksNodeGroup's args (pure; exported for the preview and tests). */
export function checkEksNodeGroupArgs(name: string, args: EksNodeGroupArgs): Diagnostic[] {
  const production = args.production ?? false;
  const out: Diagnostic[] = [];
  out.push(
    ...checkName({ resource: name, path: "", production, nodePools: [{ resource: name, path: "", name }] }),
  );
  const physical = `${name}-ng`;
  if (physical.length + AUTONAME_SUFFIX > EKS_NODE_GROUP_NAME_MAX) {
    out.push(
      diagnostic("cluster/name", {
        resource: name,
        path: "name",
        production,
        message: `node group name ${JSON.stringify(physical)} plus its ${AUTONAME_SUFFIX}-character unique suffix is ${physical.length + AUTONAME_SUFFIX} characters; EKS allows ${EKS_NODE_GROUP_NAME_MAX}`,
      }),
    );
  }
  out.push(
    // image.ts reports at `image`; the arg is `imageFamily`.
    ...immutableImage({
      resource: name,
      path: "",
      production,
      image: args.imageFamily ?? "bottlerocket",
      // A launch template version change is rolled out by EKS replacing nodes.
      rollout: { imageChange: "replace" },
    }).map((d) => (d.path === "image" ? { ...d, path: "imageFamily" } : d)),
  );
  out.push(
    ...checkNodePool({
      resource: name,
      path: "",
      production,
      name,
      keyPairLogin: false,
      passwordLogin: false,
      loginRequired: false,
      default: args.defaultPool ?? false,
      autoscaling: args.autoscaling ?? false,
      fieldPaths: { default: "defaultPool" },
    }),
  );
  const quota: QuotaFacts = {
    cloud: "aws",
    quotas: { ...(args.quotas ?? {}) },
    scope: { resource: name, path: "" },
    clusters: [
      {
        resource: name,
        path: "",
        name: typeof args.clusterName === "string" ? args.clusterName : undefined,
        nodePools: [
          {
            resource: name,
            path: "",
            name,
            // The size this node group requests: a fixed one holds desiredSize (minSize when unset).
            ...requestedPoolSize({
              autoscaling: args.autoscaling ?? false,
              minSize: args.minSize,
              maxSize: args.maxSize,
              desiredSize: args.desiredSize,
            }),
            instanceTypes: args.instanceTypes,
          },
        ],
      },
    ],
  };
  out.push(...checkNodesPerPool(quota), ...checkAutoscalerInstanceTypes(quota), ...checkScaleStep(quota));

  // Shapes no catalogue rule covers.
  if (args.instanceTypes.length === 0) out.push(argProblem(name, "instanceTypes", "no instance type given"));
  if (args.subnetIds.length === 0) out.push(argProblem(name, "subnetIds", "no subnet given"));
  if (typeof args.imageIdentity === "string" && args.imageIdentity === "")
    out.push(argProblem(name, "imageIdentity", "imageIdentity is empty"));
  out.push(...checkOneOf(name, "capacityType", args.capacityType, CAPACITY_TYPES));
  out.push(...checkAmiChoice(name, args));
  const { minSize, maxSize } = args;
  const desired = args.desiredSize ?? minSize;
  const ints: [string, number | undefined][] = [
    ["minSize", minSize],
    ["maxSize", maxSize],
    ["desiredSize", args.desiredSize],
    ["maxUnavailable", args.maxUnavailable],
    ["dataVolumeSizeGiB", args.dataVolumeSizeGiB],
    ["systemVolumeSizeGiB", args.systemVolumeSizeGiB],
    ["metadataHopLimit", args.metadataHopLimit],
  ];
  for (const [field, v] of ints) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
      out.push(argProblem(name, field, `${field} ${v} is not a non-negative integer`));
    }
  }
  if (maxSize < 1)
    out.push(argProblem(name, "maxSize", `maxSize ${maxSize}: an EKS node group has maxSize ≥ 1`));
  if (minSize > maxSize) out.push(argProblem(name, "minSize", `minSize ${minSize} > maxSize ${maxSize}`));
  if (desired < minSize || desired > maxSize) {
    out.push(
      argProblem(
        name,
        "desiredSize",
        `desiredSize ${desired} is outside [minSize ${minSize}, maxSize ${maxSize}]`,
      ),
    );
  }
  if (args.maxUnavailable !== undefined && args.maxUnavailablePercentage !== undefined) {
    out.push(
      argProblem(
        name,
        "maxUnavailablePercentage",
        `maxUnavailable ${args.maxUnavailable} and maxUnavailablePercentage ${args.maxUnavailablePercentage} are exclusive`,
      ),
    );
  }
  const pct = args.maxUnavailablePercentage;
  if (pct !== undefined && (!Number.isInteger(pct) || pct < 1 || pct > 100)) {
    out.push(
      argProblem(
        name,
        "maxUnavailablePercentage",
        `maxUnavailablePercentage ${pct} is not an integer of 1 to 100`,
      ),
    );
  }
  if (args.maxUnavailable !== undefined && args.maxUnavailable < 1) {
    out.push(
      argProblem(
        name,
        "maxUnavailable",
        `maxUnavailable ${args.maxUnavailable}: at least 1 node is replaced at a time`,
      ),
    );
  }
  for (const [i, t] of (args.taints ?? []).entries()) {
    out.push(...checkOneOf(name, `taints[${i}].effect`, t.effect, TAINT_EFFECTS));
  }
  return out;
}

/** Exactly one of `amiId` and `amiType`, an AL2023 type, and no Bottlerocket data volume with it. */
function checkAmiChoice(name: string, args: EksNodeGroupArgs): Diagnostic[] {
  const out: Diagnostic[] = [];
  if ((args.amiId === undefined) === (args.amiType === undefined)) {
    out.push(
      argProblem(
        name,
        "amiType",
        args.amiType === undefined
          ? "neither amiId nor amiType: give the node image's AMI id or an AL2023 AMI type"
          : `amiId and amiType ${args.amiType} are exclusive: a custom AMI has no AMI type`,
      ),
    );
  }
  if (args.amiType !== undefined) {
    out.push(...checkOneOf(name, "amiType", args.amiType, EKS_AL2023_AMI_TYPE_VALUES));
    for (const field of ["dataVolumeSizeGiB", "dataVolumeType"] as const) {
      if (args[field] !== undefined)
        out.push(
          argProblem(
            name,
            field,
            `${field} is Bottlerocket's data volume; an AL2023 node has its root volume only`,
          ),
        );
    }
  }
  return out;
}

export class EksNodeGroup extends pulumi.ComponentResource {
  /** The node group's EKS name (auto-named: `<name>-ng-<suffix>`). */
  readonly nodeGroupName: pulumi.Output<string>;
  readonly nodeGroupArn: pulumi.Output<string>;
  readonly launchTemplateId: pulumi.Output<string>;
  /** The launch template version the node group runs (a new one per image change). */
  readonly launchTemplateVersion: pulumi.Output<string>;
  readonly nodeRoleArn: pulumi.Output<string>;
  readonly imageIdentity: pulumi.Output<string>;

  constructor(name: string, args: EksNodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    const aws = awsSdk();
    // Validated before anything registers, this component included.
    const advisories = judge(`EksNodeGroup ${name}`, args, () => checkEksNodeGroupArgs(name, args));
    super("platform:aws:EksNodeGroup", name, {}, opts);
    for (const d of advisories) pulumi.log.warn(`${d.rule} at ${d.path}: ${d.message}`, this);

    const partition = args.partition ?? "aws";
    const tags = { ...(args.tags ?? {}) };
    const autoscaling = args.autoscaling ?? false;

    // Node IAM role: join the cluster, run the VPC CNI, pull from ECR, SSM for Bottlerocket's
    // control container (node access without SSH keys).
    let nodeRoleArn: pulumi.Output<string>;
    const roleReady: pulumi.Resource[] = [];
    if (args.nodeRoleArn !== undefined) {
      nodeRoleArn = pulumi.output(args.nodeRoleArn);
    } else {
      const role = new aws.iam.Role(
        `${name}-node-role`,
        {
          assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
            ],
          }),
          tags,
        },
        { parent: this },
      );
      const policies: [string, string][] = [
        ["worker", "AmazonEKSWorkerNodePolicy"],
        ["cni", "AmazonEKS_CNI_Policy"],
        ["ecr", "AmazonEC2ContainerRegistryReadOnly"],
        ["ssm", "AmazonSSMManagedInstanceCore"],
      ];
      for (const [short, policy] of policies) {
        roleReady.push(
          new aws.iam.RolePolicyAttachment(
            `${name}-node-${short}`,
            { role: role.name, policyArn: `arn:${partition}:iam::aws:policy/${policy}` },
            { parent: this },
          ),
        );
      }
      nodeRoleArn = role.arn;
    }

    const identity = pulumi.output(args.imageIdentity ?? (args.amiType as string));
    const imageTags = identity.apply((id) => ({ ...tags, [IMAGE_IDENTITY_TAG]: id }));
    const volume = (deviceName: string, volumeSize?: number, volumeType?: string, kmsKeyId?: string) => ({
      deviceName,
      ebs: {
        volumeType: volumeType ?? "gp3",
        volumeSize,
        encrypted: "true",
        kmsKeyId: kmsKeyId ?? args.volumeKmsKeyArn,
        deleteOnTermination: "true",
      },
    });
    const launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-lt`,
      {
        description: pulumi.interpolate`EKS node group ${name}, node image ${identity}`,
        imageId: args.amiId,
        userData:
          args.userData === undefined
            ? undefined
            : pulumi.output(args.userData).apply((u) => Buffer.from(u, "utf8").toString("base64")),
        updateDefaultVersion: true,
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: args.metadataHopLimit ?? 1,
        },
        // Bottlerocket: /dev/xvda is the OS volume, /dev/xvdb the data volume (images, pods).
        // An ostree image has one disk (its /var holds images and pods), and so has AL2023 (its
        // root volume holds both): /dev/xvda only.
        blockDeviceMappings: [
          volume("/dev/xvda", args.systemVolumeSizeGiB, args.systemVolumeType, args.systemVolumeKmsKeyArn),
          ...(args.imageFamily === "ostree" || args.amiType !== undefined
            ? []
            : [volume("/dev/xvdb", args.dataVolumeSizeGiB ?? 20, args.dataVolumeType)]),
        ],
        tagSpecifications: [
          { resourceType: "instance", tags: imageTags },
          { resourceType: "volume", tags: imageTags },
        ],
        tags: imageTags,
      },
      { parent: this },
    );
    const launchTemplateVersion = launchTemplate.latestVersion.apply((v) => String(v));

    const updateConfig =
      args.maxUnavailablePercentage !== undefined
        ? { maxUnavailablePercentage: args.maxUnavailablePercentage }
        : { maxUnavailable: args.maxUnavailable ?? 1 };
    const nodeGroup = new aws.eks.NodeGroup(
      `${name}-ng`,
      {
        clusterName: args.clusterName,
        nodeRoleArn,
        subnetIds: args.subnetIds,
        instanceTypes: args.instanceTypes,
        capacityType: args.capacityType ?? "ON_DEMAND",
        amiType: args.amiType,
        launchTemplate: { id: launchTemplate.id, version: launchTemplateVersion },
        scalingConfig: {
          minSize: args.minSize,
          maxSize: args.maxSize,
          desiredSize: args.desiredSize ?? args.minSize,
        },
        labels: args.labels,
        taints: (args.taints ?? []).map((t) => ({
          key: t.key,
          value: t.value ?? "",
          effect: EKS_TAINT_EFFECT[t.effect] ?? t.effect,
        })),
        updateConfig,
        tags,
      },
      {
        parent: this,
        // The component's dependsOn (the add-ons that run before nodes) holds for the group itself.
        dependsOn: [...roleReady, ...dependsOnList(opts)],
        ignoreChanges: autoscaling ? ["scalingConfig.desiredSize"] : [],
        replaceOnChanges: ["instanceTypes", "subnetIds", "capacityType", "nodeRoleArn"],
      },
    );

    this.nodeGroupName = nodeGroup.nodeGroupName;
    this.nodeGroupArn = nodeGroup.arn;
    this.launchTemplateId = launchTemplate.id;
    this.launchTemplateVersion = launchTemplateVersion;
    this.nodeRoleArn = nodeRoleArn;
    this.imageIdentity = identity;
    this.registerOutputs({
      nodeGroupName: this.nodeGroupName,
      nodeGroupArn: this.nodeGroupArn,
      launchTemplateId: this.launchTemplateId,
      launchTemplateVersion: this.launchTemplateVersion,
      nodeRoleArn: this.nodeRoleArn,
      imageIdentity: this.imageIdentity,
    });
  }
}
