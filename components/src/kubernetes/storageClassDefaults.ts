/**
 * The platform's default StorageClasses per cloud, as plain data (no Pulumi import).
 *
 * ACK (seed 002:28598–28631, 29160–29250): the CSI disk plugin `diskplugin.csi.alibabacloud.com`
 * already installs alicloud-disk-{efficiency,ssd,essd,available,topology}, none of them default
 * (002:28645–28650 "ACK集群没有提供Default StorageClass"). A multi-zone cluster should create
 * disks where the pod lands, `volumeBindingMode: WaitForFirstConsumer` (002:28616–28631), so the
 * platform adds ESSD classes with delayed binding (the `alicloud-disk-topology-essd` of
 * 002:29164–29183), one with `reclaimPolicy: Retain` for data that must outlive its claim
 * (002:29235–29243), and marks the first one default.
 *
 * EKS (seed 003:2343–2504): `ebs-sc` on the EBS CSI driver, gp3 (003:2504, the driver's default
 * type), encrypted (003:2495, default false in the driver), `WaitForFirstConsumer`, expansion
 * allowed (003:2439–2449); `efs-sc` on the EFS CSI driver when a file system id is given
 * (003:2420–2437: `provisioningMode: efs-ap`, `directoryPerms: "755"`; EFS volumes do not expand,
 * 003:2348). The default block class is `ebs-sc` (003:2416).
 *
 * At most one default StorageClass per cluster (002:28649 "一个集群中最多配置一个Default
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
  /** AWS: the KMS key ARN for EBS volumes; default the account's `aws/ebs` key (003:2501). */
  kmsKeyId?: string;
  /** AWS: an EFS file system id; adds `efs-sc`. */
  efsFileSystemId?: string;
  /** ACK: the ESSD performance level. Default PL1 (002:29180). */
  essdPerformanceLevel?: string;
  /** The class marked default. Default: the cloud's first class (alicloud-disk-topology-essd, ebs-sc). */
  defaultClass?: string;
}

/** The annotation marking the default class (seed 002:28655). */
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
// The provisioner names live with the addon/required rule (one definition).
export const ACK_DISK_PROVISIONER = ACK_DISK_CSI_PROVISIONER;
export const EBS_PROVISIONER = EBS_CSI_PROVISIONER;
export const EFS_PROVISIONER = EFS_CSI_PROVISIONER;
/** The classes ACK installs itself (seed 002:28601–28616); the platform never redefines them. */
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
