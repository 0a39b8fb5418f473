/**
 * The platform's default StorageClasses per cloud, as plain data (no Pulumi import).
 *
 * ACK (ACK docs: Disk volume overview; Use dynamically provisioned disk volumes): the CSI disk plugin `diskplugin.csi.alibabacloud.com`
 * already installs alicloud-disk-{efficiency,ssd,essd,available,topology}, none of them default
 * (ACK docs: Disk volume overview). A multi-zone cluster should create
 * disks where the pod lands, `volumeBindingMode: WaitForFirstConsumer` (ACK docs: Disk volume overview), so the
 * platform adds ESSD classes with delayed binding (the `alicloud-disk-topology-essd` of
 * ACK docs: Use dynamically provisioned disk volumes), one with `reclaimPolicy: Retain` for data that must outlive its claim
 * (ACK docs: Use dynamically provisioned disk volumes), and marks the first one default.
 *
 * EKS (Alauda Container Platform docs: Storage initialization for AWS EKS clusters): `ebs-sc` on the EBS CSI driver, gp3 (Alauda Container Platform docs: Storage initialization for AWS EKS clusters, the driver's default
 * type), encrypted (Alauda Container Platform docs: Storage initialization for AWS EKS clusters, default false in the driver), `WaitForFirstConsumer`, expansion
 * allowed (Alauda Container Platform docs: Storage initialization for AWS EKS clusters); `efs-sc` on the EFS CSI driver when a file system id is given
 * (Alauda Container Platform docs: Storage initialization for AWS EKS clusters: `provisioningMode: efs-ap`, `directoryPerms: "755"`; EFS volumes do not expand,
 * Alauda Container Platform docs: Storage initialization for AWS EKS clusters). The default block class is `ebs-sc` (Alauda Container Platform docs: Storage initialization for AWS EKS clusters).
 *
 * At most one default StorageClass per cluster (ACK docs: Disk volume overview "一个集群中最多配置一个Default
 * StorageClass，否则默认能力将不起作用").
 */

import { ACK_DISK_CSI_PROVISIONER, EBS_CSI_PROVISIONER, EFS_CSI_PROVISIONER } from "@kubeplat/plan";

export type StorageCloud = "alicloud" | "aws";

export interface StorageClassSpec {
  name: string;
  provisioner: string;
  parameters: Record<string, string>;
  reclaimPolicy: "Delete" | "Retain";
  volumeBindingMode: "Immediate" | "WaitForFirstConsumer";
  allowVolumeExpansion: boolean;
  /** Marked `storageclass.kubernetes.io/is-default-class: "true"`. */
  isDefault: boolean;
}

export interface StorageDefaultsOptions {
  /** Encrypt new volumes. Default true. */
  encrypted?: boolean;
  /** AWS: the KMS key ARN for EBS volumes; default the account's `aws/ebs` key (Alauda Container Platform docs: Storage initialization for AWS EKS clusters). */
  kmsKeyId?: string;
  /** AWS: an EFS file system id; adds `efs-sc`. */
  efsFileSystemId?: string;
  /** ACK: the ESSD performance level. Default PL1 (ACK docs: Use dynamically provisioned disk volumes). */
  essdPerformanceLevel?: string;
  /** The class marked default. Default: the cloud's first class (alicloud-disk-topology-essd, ebs-sc). */
  defaultClass?: string;
}

/** The annotation marking the default class (ACK docs: Disk volume overview). */
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
// The provisioner names live with the addon/required rule (one definition).
export const ACK_DISK_PROVISIONER = ACK_DISK_CSI_PROVISIONER;
export const EBS_PROVISIONER = EBS_CSI_PROVISIONER;
export const EFS_PROVISIONER = EFS_CSI_PROVISIONER;
/** The classes ACK installs itself (ACK docs: Disk volume overview); the platform never redefines them. */
export const ACK_BUILTIN_CLASSES = [
  "alicloud-disk-efficiency",
  "alicloud-disk-ssd",
  "alicloud-disk-essd",
  "alicloud-disk-available",
  "alicloud-disk-topology",
];

/** The StorageClasses the platform creates on a cloud, exactly one of them default. */
export function defaultStorageClasses(
  cloud: StorageCloud,
  o: StorageDefaultsOptions = {},
): StorageClassSpec[] {
  const encrypted = String(o.encrypted ?? true);
  let classes: StorageClassSpec[];
  if (cloud === "alicloud") {
    const essd = {
      provisioner: ACK_DISK_PROVISIONER,
      parameters: {
        type: "cloud_essd",
        performanceLevel: o.essdPerformanceLevel ?? "PL1",
        fstype: "ext4",
        encrypted,
      },
      volumeBindingMode: "WaitForFirstConsumer" as const,
      allowVolumeExpansion: true,
      isDefault: false,
    };
    classes = [
      { name: "alicloud-disk-topology-essd", reclaimPolicy: "Delete", ...essd },
      { name: "alicloud-disk-topology-essd-retain", reclaimPolicy: "Retain", ...essd },
    ];
  } else {
    const ebsParameters: Record<string, string> = {
      type: "gp3",
      encrypted,
      "csi.storage.k8s.io/fstype": "ext4",
    };
    if (o.kmsKeyId !== undefined) ebsParameters.kmsKeyId = o.kmsKeyId;
    classes = [
      {
        name: "ebs-sc",
        provisioner: EBS_PROVISIONER,
        parameters: ebsParameters,
        reclaimPolicy: "Delete",
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
        isDefault: false,
      },
    ];
    if (o.efsFileSystemId !== undefined) {
      classes.push({
        name: "efs-sc",
        provisioner: EFS_PROVISIONER,
        parameters: { provisioningMode: "efs-ap", fileSystemId: o.efsFileSystemId, directoryPerms: "755" },
        reclaimPolicy: "Delete",
        volumeBindingMode: "Immediate",
        allowVolumeExpansion: false,
        isDefault: false,
      });
    }
  }
  const wanted = o.defaultClass ?? classes[0]?.name;
  return classes.map((c) => ({ ...c, isDefault: c.name === wanted }));
}
