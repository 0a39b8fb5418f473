import * as pulumi from "@pulumi/pulumi";
import { alicloudSdk, awsSdk } from "../cloudSdks";
import { cloudImageName, importResourceName, type ResolvedCloudImage } from "./cloudImage";
import { DISK_FORMAT, type DiskOutput } from "./diskImage";

export interface ImportInput {
  /** The NodeImage's name. */
  nodeImage: string;
  identity: string;
  disk: ResolvedCloudImage;
  ref: string;
  /** The built commit and disk, read from the build's output. */
  commit: pulumi.Output<string>;
  built: pulumi.Output<DiskOutput>;
  /**
   * Upload with an object resource from the machine running Pulumi (the build ran there). False:
   * the build host uploaded the disk itself (uploadStep), so only the import is a resource here.
   */
  uploadFromHere: boolean;
  /** The build: the import waits for it. */
  build: pulumi.Resource;
  parent: pulumi.Resource;
  tags?: Record<string, string>;
}

export interface ImportedImage {
  imageId: pulumi.Output<string>;
  imageName: pulumi.Output<string>;
  /** The object key the disk was uploaded to. */
  key: string;
}

/** The object key of one identity's disk: `<prefix><node image>/<identity>.<qcow2|vmdk>`. */
export function diskObjectKey(nodeImage: string, identity: string, disk: ResolvedCloudImage): string {
  return `${disk.keyPrefix}${nodeImage}/${identity}.${DISK_FORMAT[disk.cloud].extension}`;
}

/**
 * ECS ImportImage boot mode: BIOS on x86_64 (every instance family boots it; bootupd installs
 * GRUB for BIOS and UEFI there), UEFI on Arm (ECS docs: Instance boot modes).
 * EC2 RegisterImage boot mode: `uefi-preferred` on x86_64, `uefi` on Arm64 (Amazon EC2 user guide:
 * Boot modes).
 */
export function bootModeOf(disk: ResolvedCloudImage): string {
  if (disk.cloud === "alicloud") return disk.architecture === "arm64" ? "UEFI" : "BIOS";
  return disk.architecture === "arm64" ? "uefi" : "uefi-preferred";
}

/** The root device of the AMI (the NVMe/Xen name EC2 maps for hvm images). */
export const AMI_ROOT_DEVICE = "/dev/xvda";

export function importImage(input: ImportInput): ImportedImage {
  const res = importResourceName(input.nodeImage, input.identity);
  const key = diskObjectKey(input.nodeImage, input.identity, input.disk);
  const imageName = input.commit.apply((c) => cloudImageName(input.nodeImage, input.identity, c));
  const description = input.commit.apply(
    (c) => `ostree ${input.ref} commit ${c} (node image ${input.nodeImage}, identity ${input.identity})`,
  );
  const childOf = { parent: input.parent };
  // The image outlives its identity in the program (see the module comment).
  const retained = { ...childOf, retainOnDelete: true };
  const format = DISK_FORMAT[input.disk.cloud].importFormat;
  if (input.disk.cloud === "alicloud") {
    const alicloud = alicloudSdk();
    const object = input.uploadFromHere
      ? new alicloud.oss.BucketObject(
          res,
          {
            bucket: input.disk.bucket,
            key,
            // A path on the machine running Pulumi, read when the object is created.
            source: input.built.apply((b) => b.path),
            contentType: "application/octet-stream",
          },
          { ...childOf, dependsOn: [input.build] },
        )
      : undefined;
    const image = new alicloud.ecs.ImageImport(
      res,
      {
        imageName,
        description,
        architecture: "x86_64",
        osType: "linux",
        platform: "Customized Linux",
        bootMode: bootModeOf(input.disk),
        diskDeviceMappings: [
          {
            ossBucket: input.disk.bucket,
            ossObject: key,
            format,
            diskImageSize: input.disk.diskSizeGiB,
          },
        ],
      },
      { ...retained, dependsOn: [object ?? input.build] },
    );
    return { imageId: image.id, imageName, key };
  }
  const aws = awsSdk();
  const object = input.uploadFromHere
    ? new aws.s3.BucketObjectv2(
        res,
        {
          bucket: input.disk.bucket,
          key,
          source: input.built.apply((b) => new pulumi.asset.FileAsset(b.path)),
          contentType: "application/octet-stream",
          tags: input.tags,
        },
        { ...childOf, dependsOn: [input.build] },
      )
    : undefined;
  const tags = pulumi.all([imageName, input.commit]).apply(([name, commit]) => ({
    ...(input.tags ?? {}),
    Name: name,
    "platform:node-image": input.nodeImage,
    "platform:identity": input.identity,
    "platform:ostree-commit": commit,
  }));
  const snapshot = new aws.ebs.SnapshotImport(
    res,
    {
      description,
      diskContainer: {
        format,
        userBucket: { s3Bucket: input.disk.bucket, s3Key: key },
      },
      roleName: input.disk.vmImportRole,
      tags,
    },
    { ...retained, dependsOn: [object ?? input.build] },
  );
  const ami = new aws.ec2.Ami(
    res,
    {
      name: imageName,
      description,
      virtualizationType: "hvm",
      architecture: input.disk.architecture,
      bootMode: bootModeOf(input.disk),
      enaSupport: true,
      imdsSupport: "v2.0",
      rootDeviceName: AMI_ROOT_DEVICE,
      ebsBlockDevices: [
        {
          deviceName: AMI_ROOT_DEVICE,
          snapshotId: snapshot.id,
          volumeSize: input.disk.diskSizeGiB,
          volumeType: "gp3",
          deleteOnTermination: true,
        },
      ],
      tags,
    },
    retained,
  );
  return { imageId: ami.id, imageName, key };
}
