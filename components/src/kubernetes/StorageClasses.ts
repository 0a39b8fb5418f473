/**
 * StorageClasses: the platform's default StorageClasses of a cluster (ACK ESSD disk classes
 * with delayed binding; EKS `ebs-sc` gp3 encrypted, and `efs-sc` when a file system is given),
 * exactly one of them marked default. See storageClassDefaults.ts for the facts and sources.
 *
 * The cluster's Kubernetes provider comes through the standard `provider`/`providers` option.
 */

import { type Diagnostic, SPEC_SCHEMA } from "@kubeplat/plan";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { judge } from "../judgement";
import { checkClusterAddons, dependsOnList, type InstalledAddonArgs } from "./clusterAddons";
import {
  ACK_BUILTIN_CLASSES,
  DEFAULT_CLASS_ANNOTATION,
  defaultStorageClasses,
  type StorageClassSpec,
} from "./storageClassDefaults";

export interface StorageClassesArgs {
  /** The cloud the cluster runs on: `alicloud` (ACK) or `aws` (EKS). Required. */
  cloud: string;
  /**
   * The class marked default (one per cluster, ACK docs: Disk volume overview). Default:
   * `alicloud-disk-topology-essd` on ACK, `ebs-sc` on EKS. One of the classes this component
   * creates, or on ACK one of the built-in alicloud-disk-* classes, which is then patched with the
   * default annotation (as ACK docs: Disk volume overview does with `kubectl patch`).
   */
  defaultClass?: string;
  /** Encrypt new disks/volumes. Default true. */
  encrypted?: boolean;
  /** EKS: the KMS key ARN that encrypts EBS volumes. Default: the account's `aws/ebs` key. */
  kmsKeyId?: pulumi.Input<string>;
  /** EKS: an EFS file system id; adds the `efs-sc` class. Default: none. */
  efsFileSystemId?: pulumi.Input<string>;
  /** ACK: ESSD performance level (PL0–PL3). Default PL1. */
  essdPerformanceLevel?: string;
  /**
   * Existing classes to un-mark as default (a StorageClassPatch setting the annotation to
   * "false"), e.g. `["gp2"]` on EKS clusters created before 1.30. Default: none.
   */
  demoteDefaults?: string[];
  /**
   * The add-ons installed on the cluster: each class's CSI driver must be among them
   * (`addon/required`), and the component's `dependsOn` (the driver's add-on) orders the classes
   * after it. Default: not checked.
   */
  clusterAddons?: InstalledAddonArgs[];
  /** The cluster's name, for messages. Default: the component name. */
  clusterName?: string;
}

/** Shape errors of the args (no catalogue rule covers them): reported as `spec/schema`. */
export function validateStorageClasses(resource: string, args: StorageClassesArgs): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bad = (path: string, message: string) =>
    out.push({ rule: SPEC_SCHEMA, severity: "mandatory", resource, path, message });
  if (args.cloud !== "alicloud" && args.cloud !== "aws") {
    bad("cloud", `cloud "${args.cloud}" is not one of alicloud, aws`);
    return out;
  }
  const names = plannedClasses(args).map((c) => c.name);
  const builtins = args.cloud === "alicloud" ? ACK_BUILTIN_CLASSES : [];
  if (
    args.defaultClass !== undefined &&
    !names.includes(args.defaultClass) &&
    !builtins.includes(args.defaultClass)
  ) {
    bad(
      "defaultClass",
      `defaultClass "${args.defaultClass}" is neither a class created on ${args.cloud} (${names.join(", ")}) nor a built-in one${builtins.length ? ` (${builtins.join(", ")})` : ""}`,
    );
  }
  for (const [i, d] of (args.demoteDefaults ?? []).entries()) {
    if (names.includes(d) || d === args.defaultClass) {
      bad(`demoteDefaults[${i}]`, `demoteDefaults names "${d}", a class this component creates`);
    }
  }
  if (args.cloud === "alicloud") {
    if (args.efsFileSystemId !== undefined)
      bad("efsFileSystemId", "efsFileSystemId is an EKS option; cloud is alicloud");
    if (args.kmsKeyId !== undefined) bad("kmsKeyId", "kmsKeyId is an EKS option; cloud is alicloud");
  } else if (args.essdPerformanceLevel !== undefined) {
    bad("essdPerformanceLevel", "essdPerformanceLevel is an ACK option; cloud is aws");
  }
  out.push(
    ...checkClusterAddons(
      args.clusterName ?? resource,
      args.clusterAddons,
      plannedClasses(args).map((c) => ({
        resource,
        path: "clusterAddons",
        kind: "storage-class" as const,
        label: `StorageClass "${c.name}" (provisioner ${c.provisioner})`,
        provisioner: c.provisioner,
      })),
    ),
  );
  return out;
}

const UNKNOWN = "(unknown)";

/** The classes the args describe, with placeholders for values only known at deploy time. */
function plannedClasses(args: StorageClassesArgs): StorageClassSpec[] {
  return defaultStorageClasses(args.cloud === "aws" ? "aws" : "alicloud", {
    encrypted: args.encrypted,
    kmsKeyId: args.kmsKeyId === undefined ? undefined : UNKNOWN,
    efsFileSystemId: args.efsFileSystemId === undefined ? undefined : UNKNOWN,
    essdPerformanceLevel: args.essdPerformanceLevel,
    defaultClass: args.defaultClass,
  });
}

export class StorageClasses extends pulumi.ComponentResource {
  /** Metadata names of the classes created. */
  readonly names: pulumi.Output<string[]>;
  /** The default class. */
  readonly defaultClass: pulumi.Output<string>;

  constructor(name: string, args: StorageClassesArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything, the component included.
    judge(`StorageClasses "${name}"`, args, () => validateStorageClasses(name, args));
    super("platform:kubernetes:StorageClasses", name, {}, opts);

    const created: kubernetes.storage.v1.StorageClass[] = [];
    let defaultName: pulumi.Output<string> | undefined;
    for (const c of plannedClasses(args)) {
      const parameters: Record<string, pulumi.Input<string>> = { ...c.parameters };
      if (c.parameters.kmsKeyId === UNKNOWN && args.kmsKeyId !== undefined)
        parameters.kmsKeyId = args.kmsKeyId;
      if (c.parameters.fileSystemId === UNKNOWN && args.efsFileSystemId !== undefined) {
        parameters.fileSystemId = args.efsFileSystemId;
      }
      const sc = new kubernetes.storage.v1.StorageClass(
        `${name}-${c.name}`,
        {
          metadata: {
            name: c.name,
            labels: { "app.kubernetes.io/managed-by": "kubeplat" },
            annotations: { [DEFAULT_CLASS_ANNOTATION]: String(c.isDefault) },
          },
          provisioner: c.provisioner,
          parameters,
          reclaimPolicy: c.reclaimPolicy,
          volumeBindingMode: c.volumeBindingMode,
          allowVolumeExpansion: c.allowVolumeExpansion,
        },
        // Provisioner, parameters, reclaim policy and binding mode are immutable in Kubernetes:
        // a change replaces the class, and must show as a replacement.
        // The CSI driver's add-on (the component's dependsOn) comes first: addon/required.
        {
          parent: this,
          dependsOn: dependsOnList(opts),
          replaceOnChanges: ["provisioner", "parameters", "reclaimPolicy", "volumeBindingMode"],
          deleteBeforeReplace: true,
        },
      );
      created.push(sc);
      if (c.isDefault) defaultName = sc.metadata.name;
    }
    if (args.defaultClass !== undefined && ACK_BUILTIN_CLASSES.includes(args.defaultClass)) {
      const patch = new kubernetes.storage.v1.StorageClassPatch(
        `${name}-default-${args.defaultClass}`,
        { metadata: { name: args.defaultClass, annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } } },
        { parent: this },
      );
      defaultName = patch.metadata.name;
    }
    for (const d of args.demoteDefaults ?? []) {
      new kubernetes.storage.v1.StorageClassPatch(
        `${name}-demote-${d}`,
        { metadata: { name: d, annotations: { [DEFAULT_CLASS_ANNOTATION]: "false" } } },
        { parent: this },
      );
    }

    this.names = pulumi.all(created.map((c) => c.metadata.name));
    this.defaultClass = defaultName ?? pulumi.output("");
    this.registerOutputs({ names: this.names, defaultClass: this.defaultClass });
  }
}
