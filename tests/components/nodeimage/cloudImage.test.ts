import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  cloudImageName,
  DISK_ARCHITECTURES,
  diskIdentity,
  resolveCloudImage,
  validateCloudImage,
} from "@kubeplat/components/internal/nodeimage/cloudImage";
import { diskObjectKey } from "@kubeplat/components/internal/nodeimage/cloudImport";
import { DEPLOYED_STAMP, decodeDataUrl } from "@kubeplat/components/internal/nodeimage/ignition";
import { NodeImage, type NodeImageArgs } from "@kubeplat/components/internal/nodeimage/NodeImage";
import { treefileHash } from "@kubeplat/components/internal/nodeimage/treefile";
import { type MockRuntime, startMockRuntime } from "@kubeplat/components/testing";
import { PlatformValidationError } from "@kubeplat/plan";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CA_PEM, nodeTreefile, SSH_KEY } from "./fixtures";
import { requireTool, run } from "./tools";

const STACK = "urn:pulumi:dev::platform::pulumi:pulumi:Stack";
const NODE_IMAGE = "urn:pulumi:dev::platform::platform:nodeimage:NodeImage";
const treefile = { ...nodeTreefile, packages: [...nodeTreefile.packages, "bootupd"] };
const commitFor = (trigger: unknown) => createHash("sha256").update(String(trigger)).digest("hex");

let rt: MockRuntime;
const scratch = mkdtempSync(join(tmpdir(), "nodeimage-cloud-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(async () => {
  rt = await startMockRuntime({
    project: "platform",
    stack: "dev",
    state: (args) => {
      if (args.type === "command:local:Command" || args.type === "command:remote:Command") {
        const [trigger, disk] = args.inputs.triggers as string[];
        const path = `/var/lib/platform/ostree/${args.name.replace(/-build$/, "")}/build/disk-${disk}.img`;
        return {
          stdout: [
            `ostree-ref=${treefile.ref}`,
            `ostree-commit=${commitFor(trigger)}`,
            `disk-image=${path}`,
            `disk-sha256=${commitFor(path)}`,
            "",
          ].join("\n"),
          stderr: "",
        };
      }
      if (args.type === "alicloud:ecs/imageImport:ImageImport") return { id: `m-${args.name.slice(-10)}` };
      if (args.type === "aws:ebs/snapshotImport:SnapshotImport")
        return { id: `snap-${args.name.slice(-10)}` };
      if (args.type === "aws:ec2/ami:Ami") return { id: `ami-${args.name.slice(-10)}` };
      return undefined;
    },
  });
});

const args = (cloudImage: NonNullable<NodeImageArgs["ostree"]>["cloudImage"], extra = {}): NodeImageArgs => ({
  family: "ostree",
  kubernetesVersion: "1.31",
  production: true,
  ostree: {
    treefile,
    remoteUrl: "https://ostree.example.com/repo",
    users: [{ name: "core", sshAuthorizedKeys: [pulumi.secret(SSH_KEY)] }],
    cloudImage,
    ...extra,
  },
});

const outputs = (i: NodeImage) => ({
  imageId: i.imageId,
  imageType: i.imageType,
  userData: i.userData,
  identity: i.identity,
  commit: i.ostreeCommit,
  imageName: i.cloudImageName,
});

function identityOf(
  cloud: "alicloud" | "aws",
  tf = treefile,
  extra: Partial<Parameters<typeof resolveCloudImage>[0]> = {},
) {
  return diskIdentity({
    treefileHash: treefileHash(tf),
    disk: resolveCloudImage({ cloud, bucket: "platform-images", ...extra }),
    kernelArguments: tf.kernelArguments ?? [],
    remote: { name: "platform", url: "https://ostree.example.com/repo", gpgVerify: false },
  });
}

describe("NodeImage ostree → Alibaba Cloud custom image", () => {
  it("builds the disk locally, uploads it as an OSS object and imports it as an ECS image named after its identity", async () => {
    const out = await rt.run(() =>
      outputs(new NodeImage("ack-os", args({ cloud: "alicloud", bucket: "platform-images" }))),
    );
    const id = identityOf("alicloud");
    const name = `ack-os-${id}`;
    expect(rt.urns().filter((u) => u.includes("ack-os"))).toEqual([
      `${NODE_IMAGE}$alicloud:ecs/imageImport:ImageImport::${name}`,
      `${NODE_IMAGE}$alicloud:oss/bucketObject:BucketObject::${name}`,
      `${NODE_IMAGE}$command:local:Command::ack-os-build`,
      `${STACK}$platform:nodeimage:NodeImage::ack-os`,
    ]);
    const build = rt.one("command:local:Command", "ack-os-build");
    expect(build.inputs.triggers).toEqual([treefileHash(treefile), id]);
    const script = build.inputs.create as string;
    expect(script).toContain('ostree admin deploy --sysroot="$disk_mnt" --os=platform');
    expect(script).toContain("--karg-append='ignition.platform.id=aliyun'");
    expect(script).toContain("qemu-img convert -f raw -O qcow2");
    expect(script).not.toContain("ossutil");

    const object = rt.one("alicloud:oss/bucketObject:BucketObject", name);
    const key = `node-images/ack-os/${id}.qcow2`;
    expect(object.inputs).toMatchObject({
      bucket: "platform-images",
      key,
      source: `/var/lib/platform/ostree/ack-os/build/disk-${id}.img`,
    });
    expect(object.retainOnDelete).toBe(false);
    const image = rt.one("alicloud:ecs/imageImport:ImageImport", name);
    const commit = commitFor(treefileHash(treefile));
    expect(image.inputs).toEqual({
      imageName: `ack-os-${id}-${commit.slice(0, 12)}`,
      description: `ostree ${treefile.ref} commit ${commit} (node image ack-os, identity ${id})`,
      architecture: "x86_64",
      osType: "linux",
      platform: "Customized Linux",
      bootMode: "BIOS",
      diskDeviceMappings: [
        { ossBucket: "platform-images", ossObject: key, format: "qcow2", diskImageSize: 10 },
      ],
    });
    // The image outlives its identity; nothing deletes it before a replacement exists.
    expect(image.retainOnDelete).toBe(true);
    expect(image.deleteBeforeReplace).toBe(false);
    expect(image.dependencies).toContain(object.urn);

    expect(out.imageId).toBe(`${name}-id`);
    expect(out.imageType).toBe("Custom");
    expect(out.imageName).toBe(`ack-os-${id}-${commit.slice(0, 12)}`);
  });

  it("boots the preinstalled commit: the Ignition config writes the deployed stamp and has no rebase unit, and ignition-validate accepts it", async () => {
    const out = await rt.run(() =>
      outputs(new NodeImage("ack-ign", args({ cloud: "alicloud", bucket: "b" }))),
    );
    const ignition = JSON.parse(out.userData as string);
    expect(ignition.systemd.units.map((u: { name: string }) => u.name)).not.toContain(
      "platform-ostree-deploy.service",
    );
    const stamp = ignition.storage.files.find((f: { path: string }) => f.path === DEPLOYED_STAMP);
    expect(decodeDataUrl(stamp.contents.source)).toBe(`${out.commit}\n`);
    const bin = requireTool("ignition-validate", "ignition");
    const path = join(scratch, "ack.ign");
    writeFileSync(path, out.userData as string);
    const r = run(bin, [path]);
    expect(`${r.stdout}${r.stderr}`).toBe("");
    expect(r.status).toBe(0);
  });

  it("a new treefile is a new image resource next to the old one; the same treefile is the same resource", async () => {
    const changed = { ...treefile, packages: [...treefile.packages, "htop"] };
    const base = args({ cloud: "alicloud", bucket: "platform-images" });
    const ostree = base.ostree as NonNullable<NodeImageArgs["ostree"]>;
    await rt.run(() => ({ id: new NodeImage("gen", base).imageId }));
    await rt.run(() => ({
      id: new NodeImage("gen", { ...base, ostree: { ...ostree, treefile: changed } }).imageId,
    }));
    const images = rt.byType("alicloud:ecs/imageImport:ImageImport").filter((r) => r.name.startsWith("gen-"));
    // Another name per treefile, so Pulumi creates the new image instead of replacing the old
    // one; the old one, once out of the program, is retained (retainOnDelete), not deleted.
    expect(images.map((r) => r.name)).toEqual([
      `gen-${identityOf("alicloud")}`,
      `gen-${identityOf("alicloud", changed)}`,
    ]);
    expect(new Set(images.map((r) => r.name)).size).toBe(2);
    for (const r of images) {
      expect(r.retainOnDelete).toBe(true);
      expect(r.deleteBeforeReplace).toBe(false);
    }
    // The same content is the same identity, whatever the order it was written in.
    const reordered = Object.fromEntries(Object.entries(treefile).reverse()) as typeof treefile;
    expect(identityOf("alicloud", reordered)).toBe(identityOf("alicloud"));
  });
});

describe("NodeImage ostree → AWS AMI", () => {
  it("on a build host the host uploads to S3 itself; the AMI registers the imported snapshot (hvm, ENA, UEFI-preferred, IMDSv2)", async () => {
    const out = await rt.run(() =>
      outputs(
        new NodeImage(
          "eks-os",
          args(
            { cloud: "aws", bucket: "platform-images", vmImportRole: "vmimport-platform" },
            {
              buildHost: {
                host: "10.0.0.5",
                privateKey: pulumi.secret("-----BEGIN OPENSSH PRIVATE KEY-----"),
              },
              eksJoin: {
                clusterName: "prod",
                apiServer: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
                certificateAuthority: Buffer.from(CA_PEM).toString("base64"),
              },
            },
          ),
        ),
      ),
    );
    const id = identityOf("aws", treefile, { vmImportRole: "vmimport-platform" });
    const name = `eks-os-${id}`;
    const key = `node-images/eks-os/${id}.vmdk`;
    expect(rt.urns().filter((u) => u.includes("eks-os"))).toEqual([
      `${NODE_IMAGE}$aws:ebs/snapshotImport:SnapshotImport::${name}`,
      `${NODE_IMAGE}$aws:ec2/ami:Ami::${name}`,
      `${NODE_IMAGE}$command:remote:Command::eks-os-build`,
      `${STACK}$platform:nodeimage:NodeImage::eks-os`,
    ]);
    const script = rt.one("command:remote:Command", "eks-os-build").inputs.create as string;
    expect(script).toContain(
      `aws s3 cp --only-show-errors '/var/lib/platform/ostree/eks-os/build/disk-${id}.vmdk' 's3://platform-images/${key}' >&2`,
    );
    expect(script).toContain("-O vmdk -o adapter_type=lsilogic,subformat=streamOptimized,compat6");
    const snapshot = rt.one("aws:ebs/snapshotImport:SnapshotImport", name);
    expect(snapshot.inputs).toMatchObject({
      diskContainer: { format: "VMDK", userBucket: { s3Bucket: "platform-images", s3Key: key } },
      roleName: "vmimport-platform",
    });
    expect(snapshot.retainOnDelete).toBe(true);
    const ami = rt.one("aws:ec2/ami:Ami", name);
    expect(ami.inputs).toMatchObject({
      virtualizationType: "hvm",
      architecture: "x86_64",
      bootMode: "uefi-preferred",
      enaSupport: true,
      imdsSupport: "v2.0",
      rootDeviceName: "/dev/xvda",
      ebsBlockDevices: [
        {
          deviceName: "/dev/xvda",
          snapshotId: `${name}-id`,
          volumeSize: 10,
          volumeType: "gp3",
          deleteOnTermination: true,
        },
      ],
    });
    expect((ami.inputs.tags as Record<string, string>)["platform:identity"]).toBe(id);
    expect(ami.retainOnDelete).toBe(true);
    expect(out.imageId).toBe(`${name}-id`);
    expect(out.imageType).toBe("CUSTOM");

    // The join: a kubelet kubeconfig authenticating with the node role, no token.
    const ignition = JSON.parse(out.userData as string);
    const kubeconfig = ignition.storage.files.find(
      (f: { path: string }) => f.path === "/var/lib/kubelet/kubeconfig",
    );
    expect(decodeDataUrl(kubeconfig.contents.source)).toMatchSnapshot();
    const ca = ignition.storage.files.find((f: { path: string }) => f.path === "/etc/kubernetes/pki/ca.crt");
    expect(decodeDataUrl(ca.contents.source)).toBe(CA_PEM);
    const bin = requireTool("ignition-validate", "ignition");
    const path = join(scratch, "eks.ign");
    writeFileSync(path, out.userData as string);
    const r = run(bin, [path]);
    expect(`${r.stdout}${r.stderr}`).toBe("");
    expect(readFileSync(path, "utf8")).toBe(out.userData);
    expect(r.status).toBe(0);
  });
});

describe("cloud image settings", () => {
  it("refuses arm64 on Alibaba Cloud, an empty bucket, a bad size and a treefile without bootupd, before registering anything", () => {
    let error: PlatformValidationError | undefined;
    try {
      new NodeImage("bad", {
        ...args({ cloud: "alicloud", bucket: " ", architecture: "arm64", diskSizeGiB: 2 }),
        ostree: {
          treefile: nodeTreefile,
          remoteUrl: "https://ostree.example.com/repo",
          cloudImage: { cloud: "alicloud", bucket: " ", architecture: "arm64", diskSizeGiB: 2 },
        },
      });
    } catch (e) {
      if (e instanceof PlatformValidationError) error = e;
      else throw e;
    }
    expect(error?.diagnostics.map((d) => `${d.rule} ${d.path}`)).toEqual([
      "spec/schema ostree.cloudImage.bucket",
      "spec/schema ostree.cloudImage.architecture",
      "spec/schema ostree.cloudImage.diskSizeGiB",
      "spec/schema ostree.treefile.packages",
    ]);
    expect(error?.message).toContain('do not include "bootupd"');
  });

  it("refuses a 4 GiB disk for ECS, whose ImportImage takes a 5 to 500 GiB system disk; AWS takes the layout's 4", () => {
    const size = (cloud: "alicloud" | "aws", diskSizeGiB: number) =>
      validateCloudImage({ cloud, bucket: "b", diskSizeGiB }, ["bootupd"], "img").map((d) => d.message);
    expect(size("alicloud", 4)).toEqual([
      "diskSizeGiB 4 must be an integer from 5 to 500 (ECS ImportImage takes a system disk image of 5 to 500 GiB)",
    ]);
    expect(size("alicloud", 5)).toEqual([]);
    expect(size("alicloud", 500)).toEqual([]);
    expect(size("alicloud", 501)).toHaveLength(1);
    expect(size("aws", 4)).toEqual([]);
    expect(size("aws", 3)).toHaveLength(1);
  });

  it("refuses a node that would join both with a token and with its IAM role", () => {
    let error: PlatformValidationError | undefined;
    try {
      new NodeImage(
        "two-joins",
        args(
          { cloud: "aws", bucket: "b" },
          {
            bootstrap: {
              apiServer: "https://10.0.0.10:6443",
              caCertificate: CA_PEM,
              token: "abcdef.0123456789abcdef",
            },
            eksJoin: { clusterName: "prod", apiServer: "https://x", certificateAuthority: "Y2E=" },
          },
        ),
      );
    } catch (e) {
      if (e instanceof PlatformValidationError) error = e;
      else throw e;
    }
    expect(error?.diagnostics.map((d) => `${d.rule} ${d.path}`)).toEqual(["spec/schema ostree.eksJoin"]);
  });

  it("accepts every architecture on AWS", () => {
    for (const architecture of DISK_ARCHITECTURES) {
      expect(validateCloudImage({ cloud: "aws", bucket: "b", architecture }, ["bootupd"], "r")).toEqual([]);
    }
  });

  it("image names are 2-128 characters of [A-Za-z0-9.:_-], start with a letter, and keep identity and commit apart", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 200 }),
          fc.constantFrom("aliyun-prod", "acs:pool", "ALIYUN", "9pool"),
        ),
        fc.stringMatching(/^[0-9a-f]{10}$/),
        fc.stringMatching(/^[0-9a-f]{64}$/),
        (base, identity, commit) => {
          const name = cloudImageName(base, identity, commit);
          expect(name.length).toBeGreaterThanOrEqual(2);
          expect(name.length).toBeLessThanOrEqual(128);
          expect(name).toMatch(/^[A-Za-z][A-Za-z0-9.:_-]*$/);
          expect(name).not.toMatch(/^(acs:|aliyun)/i);
          expect(name.endsWith(`${identity}-${commit.slice(0, 12)}`)).toBe(true);
        },
      ),
    );
  });

  it("object keys live under the prefix, one per node image and identity", () => {
    const disk = resolveCloudImage({ cloud: "alicloud", bucket: "b", keyPrefix: "images/" });
    expect(diskObjectKey("workers", "0123456789", disk)).toBe("images/workers/0123456789.qcow2");
  });
});
