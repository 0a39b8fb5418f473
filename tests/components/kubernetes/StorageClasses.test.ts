import {
  StorageClasses,
  type StorageClassesArgs,
} from "@kubeplat/components/internal/kubernetes/StorageClasses";
import { defaultStorageClasses } from "@kubeplat/components/internal/kubernetes/storageClassDefaults";
import { type MockRuntime, resolveOutput, startMockRuntime } from "@kubeplat/components/testing";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { attempt as attemptIn, mine as mineIn } from "../../support/runtime";

let rt: MockRuntime;
beforeAll(async () => {
  rt = await startMockRuntime({ project: "platform", stack: "dev" });
});

const SC = "kubernetes:storage.k8s.io/v1:StorageClass";
const PATCH = "kubernetes:storage.k8s.io/v1:StorageClassPatch";
const DEFAULT = "storageclass.kubernetes.io/is-default-class";
const mine = (prefix: string, type?: string) => mineIn(rt, prefix, type);
const annotation = (inputs: Record<string, unknown>) =>
  (inputs.metadata as { annotations: Record<string, string> }).annotations[DEFAULT];

const attempt = (name: string, args: StorageClassesArgs) =>
  attemptIn(rt, () => new StorageClasses(name, args));

describe("default StorageClasses", () => {
  it("mark exactly one class default on each cloud, whatever the options", () => {
    for (const cloud of ["alicloud", "aws"] as const) {
      for (const efs of [undefined, "fs-1"]) {
        const classes = defaultStorageClasses(cloud, { efsFileSystemId: efs });
        expect(classes.filter((c) => c.isDefault)).toHaveLength(1);
      }
    }
  });

  it("pin the per-cloud definitions", () => {
    expect(defaultStorageClasses("alicloud")).toMatchSnapshot();
    expect(
      defaultStorageClasses("aws", { efsFileSystemId: "fs-0123", kmsKeyId: "arn:aws:kms:k" }),
    ).toMatchSnapshot();
  });
});

describe("StorageClasses", () => {
  it("creates ebs-sc on EKS: gp3, encrypted, WaitForFirstConsumer, expandable, default (Alauda Container Platform docs: Storage initialization for AWS EKS clusters)", async () => {
    const out = await rt.run(async () => {
      const sc = new StorageClasses("eks", { cloud: "aws", efsFileSystemId: pulumi.output("fs-0abc") });
      return { names: sc.names, defaultClass: sc.defaultClass };
    });
    expect(mine("eks").map((r) => `${r.type} ${r.name}`)).toEqual([`${SC} eks-ebs-sc`, `${SC} eks-efs-sc`]);
    const ebs = rt.one(SC, "eks-ebs-sc");
    expect(ebs.inputs).toMatchObject({
      metadata: { name: "ebs-sc" },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
      reclaimPolicy: "Delete",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
    });
    expect(annotation(ebs.inputs)).toBe("true");
    expect(ebs.replaceOnChanges).toEqual(["provisioner", "parameters", "reclaimPolicy", "volumeBindingMode"]);
    expect(ebs.deleteBeforeReplace).toBe(true);
    const efs = rt.one(SC, "eks-efs-sc");
    expect(efs.inputs).toMatchObject({
      provisioner: "efs.csi.aws.com",
      parameters: { provisioningMode: "efs-ap", fileSystemId: "fs-0abc", directoryPerms: "755" },
      allowVolumeExpansion: false,
    });
    expect(annotation(efs.inputs)).toBe("false");
    expect(out.names).toEqual(["ebs-sc", "efs-sc"]);
    expect(await resolveOutput(out.defaultClass as string)).toBe("ebs-sc");
  });

  it("creates ESSD classes with delayed binding on ACK and can make a built-in class the default", async () => {
    await rt.run(async () => {
      new StorageClasses("ack", { cloud: "alicloud" });
      new StorageClasses("ack2", { cloud: "alicloud", defaultClass: "alicloud-disk-topology" });
      return {};
    });
    const essd = rt.one(SC, "ack-alicloud-disk-topology-essd");
    expect(essd.inputs).toMatchObject({
      provisioner: "diskplugin.csi.alibabacloud.com",
      parameters: { type: "cloud_essd", performanceLevel: "PL1", encrypted: "true" },
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Delete",
    });
    expect(annotation(essd.inputs)).toBe("true");
    expect(rt.one(SC, "ack-alicloud-disk-topology-essd-retain").inputs).toMatchObject({
      reclaimPolicy: "Retain",
    });
    // The built-in class is patched default; none of the created ones is.
    const patch = rt.one(PATCH, "ack2-default-alicloud-disk-topology");
    expect(patch.inputs).toMatchObject({
      metadata: { name: "alicloud-disk-topology", annotations: { [DEFAULT]: "true" } },
    });
    expect(
      mine("ack2")
        .filter((r) => r.type === SC)
        .map((r) => annotation(r.inputs)),
    ).toEqual(["false", "false"]);
  });

  it("demotes an existing default class", async () => {
    await rt.run(async () => {
      new StorageClasses("old", { cloud: "aws", demoteDefaults: ["gp2"] });
      return {};
    });
    expect(rt.one(PATCH, "old-demote-gp2").inputs).toMatchObject({
      metadata: { name: "gp2", annotations: { [DEFAULT]: "false" } },
    });
  });

  it("refuses a default that is not a class of the cloud, and options of the other cloud", async () => {
    const error = await attempt("bad-sc", {
      cloud: "aws",
      defaultClass: "alicloud-disk-ssd",
      essdPerformanceLevel: "PL2",
    });
    expect(error?.diagnostics.map((d) => `${d.rule} ${d.path}`)).toEqual([
      "spec/schema defaultClass",
      "spec/schema essdPerformanceLevel",
    ]);
    expect(error?.message).toContain(
      'defaultClass "alicloud-disk-ssd" is neither a class created on aws (ebs-sc)',
    );
    expect(mine("bad-sc")).toEqual([]);
  });
});
