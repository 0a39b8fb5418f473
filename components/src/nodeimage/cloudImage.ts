/**
 * From an ostree commit to a cloud custom image: the settings of the disk image, the names and
 * keys every step derives from one identity, and the facts each cloud's import takes.
 *
 * The chain (NodeImage, family `ostree`, with `ostree.cloudImage` set):
 * 1. the build host composes the treefile into an ostree commit (buildScript.ts);
 * 2. the same script deploys that commit into a fresh sysroot on a loop-mounted disk
 *    (`ostree admin init-fs`, `ostree admin os-init`, `ostree pull-local`, `ostree admin deploy`,
 *    as in ostree's docs "Deployments" and "Adapting existing mainstream distributions"),
 *    installs the bootloader and converts the raw disk to the cloud's import format with
 *    `qemu-img convert` (diskImage.ts);
 * 3. the disk goes to object storage (an `alicloud.oss.BucketObject` or `aws.s3.BucketObjectv2`
 *    when the build ran on the machine running Pulumi; the build host's own upload otherwise);
 * 4. the cloud imports it: `alicloud.ecs.ImageImport` (ECS ImportImage), or
 *    `aws.ebs.SnapshotImport` + `aws.ec2.Ami` (VM Import/Export, then RegisterImage).
 *
 * Every name in the chain derives from `diskIdentity`: a content hash of the treefile and the
 * disk settings, known before anything runs (a Pulumi resource name cannot wait for the build).
 * A new treefile is a new identity, so a new custom image is a *new resource* next to the old one,
 * never a replacement of it; the old one is `retainOnDelete`, so dropping it from the program
 * leaves it in the cloud for nodes that still boot it and for a rollback (see README: "Node
 * images: from treefile to running node").
 */

import { type Diagnostic, SPEC_SCHEMA } from "@kubeplat/plan";
import { DISK_PACKAGES } from "./diskImage";
import { imageIdentity } from "./imageIdentity";

/** Where the custom image is imported. An `as const` object so the component schema has an enum. */
export const CloudImageTarget = {
  /** Alibaba Cloud ECS custom image (ImportImage from OSS). */
  Alicloud: "alicloud",
  /** AWS AMI (ImportSnapshot from S3, then RegisterImage). */
  Aws: "aws",
} as const;
export type CloudImageTarget = (typeof CloudImageTarget)[keyof typeof CloudImageTarget];
export const CLOUD_IMAGE_TARGETS: readonly CloudImageTarget[] = Object.values(CloudImageTarget);

/** CPU architecture of a disk image. */
export const DiskArchitecture = { X86_64: "x86_64", Arm64: "arm64" } as const;
export type DiskArchitecture = (typeof DiskArchitecture)[keyof typeof DiskArchitecture];
export const DISK_ARCHITECTURES: readonly DiskArchitecture[] = Object.values(DiskArchitecture);

/** Settings of the disk image and its import (NodeImage `ostree.cloudImage`). */
export interface OstreeCloudImageArgs {
  /** `alicloud` or `aws`. Required. */
  cloud: CloudImageTarget;
  /** The object storage bucket (OSS or S3) the disk is uploaded to; it must exist. Required. */
  bucket: string;
  /** Key prefix of the uploaded disks. Default `node-images/`. */
  keyPrefix?: string;
  /** CPU architecture of the image. Default `x86_64`. */
  architecture?: DiskArchitecture;
  /** Size of the disk image in GiB (the system disk is at least this). Default 10. */
  diskSizeGiB?: number;
  /** AWS: the IAM role VM Import/Export assumes. Default `vmimport`. */
  vmImportRole?: string;
}

/** The settings with defaults applied. */
export interface ResolvedCloudImage {
  cloud: CloudImageTarget;
  bucket: string;
  keyPrefix: string;
  architecture: DiskArchitecture;
  diskSizeGiB: number;
  vmImportRole: string;
}

export const DEFAULT_KEY_PREFIX = "node-images/";
export const DEFAULT_DISK_SIZE_GIB = 10;
export const DEFAULT_VMIMPORT_ROLE = "vmimport";

export function resolveCloudImage(args: OstreeCloudImageArgs): ResolvedCloudImage {
  return {
    cloud: args.cloud,
    bucket: args.bucket,
    keyPrefix: args.keyPrefix ?? DEFAULT_KEY_PREFIX,
    architecture: args.architecture ?? "x86_64",
    diskSizeGiB: args.diskSizeGiB ?? DEFAULT_DISK_SIZE_GIB,
    vmImportRole: args.vmImportRole ?? DEFAULT_VMIMPORT_ROLE,
  };
}

/**
 * The image type a managed pool names for an imported custom image: ACK node pools take
 * `imageType: "Custom"` with the image id, EKS managed node groups `amiType: "CUSTOM"` with the
 * AMI in their launch template (alicloud.cs.NodePool and aws.eks.NodeGroup docs).
 */
export const CUSTOM_IMAGE_TYPE: Readonly<Record<CloudImageTarget, string>> = {
  alicloud: "Custom",
  aws: "CUSTOM",
};

export interface DiskIdentityInput {
  /** The treefile's content hash: the build's trigger, so the same hash is the same commit. */
  treefileHash: string;
  disk: ResolvedCloudImage;
  kernelArguments: readonly string[];
  /** The remote baked into the disk's deployment (its origin). */
  remote: { name: string; url: string; gpgVerify: boolean };
}

/** The identity of one disk image: everything the disk and its import are made from. Known at construction. */
export function diskIdentity(input: DiskIdentityInput): string {
  return imageIdentity({ ...input, kernelArguments: [...input.kernelArguments] });
}

/** The Pulumi resource name of one identity's upload and import: a new identity, a new resource. */
export function importResourceName(nodeImage: string, identity: string): string {
  return `${nodeImage}-${identity}`;
}

/**
 * The cloud image's name: `<node image>-<identity>-<commit, 12 hex>`, at most 128 characters and
 * starting with a letter (ECS ImportImage `imageName`: 2–128 characters, letters, digits, `.:_-`,
 * starting with a letter, not with `acs:` or `aliyun`; EC2 AMI names: 3–128 characters, unique in the region). The commit is in
 * it so that two builds of one identity never register the same name.
 */
export function cloudImageName(nodeImage: string, identity: string, commit: string): string {
  const suffix = `-${identity}-${commit.slice(0, 12)}`;
  let head = nodeImage.replace(/[^A-Za-z0-9.:_-]/g, "-");
  // ECS refuses names that do not start with a letter, or start with `acs:` or `aliyun`.
  if (!/^[A-Za-z]/.test(head) || /^(acs:|aliyun)/i.test(head)) head = `img-${head}`;
  head = head.slice(0, 128 - suffix.length).replace(/-+$/, "");
  return `${head}${suffix}`;
}

/**
 * Shape problems of `ostree.cloudImage` (spec/schema diagnostics): the bucket, the size, the
 * architecture the cloud's import takes (the alicloud provider's ImageImport takes x86_64 and
 * i386 only), and the bootloader installer the disk step runs from the image (bootupd).
 */
export function validateCloudImage(
  args: OstreeCloudImageArgs,
  packages: readonly string[],
  resource: string,
  path = "ostree.cloudImage",
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bad = (p: string, message: string) =>
    out.push({ rule: SPEC_SCHEMA, severity: "mandatory", resource, path: `${path}.${p}`, message });
  if (!(CLOUD_IMAGE_TARGETS as readonly string[]).includes(args.cloud))
    bad("cloud", `cloud "${args.cloud}" is not one of ${CLOUD_IMAGE_TARGETS.join(", ")}`);
  if (typeof args.bucket !== "string" || args.bucket.trim() === "")
    bad("bucket", "the disk image needs a bucket to be uploaded to (an existing OSS or S3 bucket)");
  if (
    args.architecture !== undefined &&
    !(DISK_ARCHITECTURES as readonly string[]).includes(args.architecture)
  )
    bad("architecture", `architecture "${args.architecture}" is not one of ${DISK_ARCHITECTURES.join(", ")}`);
  if (args.cloud === "alicloud" && args.architecture === "arm64")
    bad(
      "architecture",
      "ECS image import (alicloud.ecs.ImageImport) takes x86_64 and i386 images only; build arm64 images for AWS",
    );
  const size = args.diskSizeGiB;
  const min = minDiskSizeGiB(args.cloud);
  if (size !== undefined && !(Number.isInteger(size) && size >= min && size <= 500))
    bad(
      "diskSizeGiB",
      `diskSizeGiB ${size} must be an integer from ${min} to 500${args.cloud === "alicloud" ? " (ECS ImportImage takes a system disk image of 5 to 500 GiB)" : ""}`,
    );
  if (args.keyPrefix !== undefined && (args.keyPrefix.startsWith("/") || /\s/.test(args.keyPrefix)))
    bad("keyPrefix", `keyPrefix "${args.keyPrefix}" must not start with / or contain whitespace`);
  for (const p of DISK_PACKAGES) {
    if (!packages.includes(p))
      out.push({
        rule: SPEC_SCHEMA,
        severity: "mandatory",
        resource,
        path: "ostree.treefile.packages",
        message: `a cloud image installs its bootloader with ${p} from the image itself, but the treefile's packages do not include "${p}"`,
      });
  }
  return out;
}

/** The smallest disk: 1 MiB BIOS boot + 127 MiB EFI + 384 MiB boot + a root that holds the tree. */
export const MIN_DISK_SIZE_GIB = 4;

/**
 * ECS ImportImage's smallest system disk image: `DiskDeviceMapping.1.DiskImageSize` takes 5 to
 * 500 GiB (ECS API reference: ImportImage; the Alibaba Cloud ECS SDK's ImportImage request).
 */
export const ECS_MIN_SYSTEM_DISK_GIB = 5;

/** The smallest disk a cloud's import takes: the layout's, and on ECS at least ImportImage's. */
export function minDiskSizeGiB(cloud: CloudImageTarget): number {
  return cloud === "alicloud" ? Math.max(MIN_DISK_SIZE_GIB, ECS_MIN_SYSTEM_DISK_GIB) : MIN_DISK_SIZE_GIB;
}
