/**
 * Managed pools on the environment's rpm-ostree image: with `ostreeImage` declared, a pool with
 * `image: ostree` previews clean on both clouds — a NodeImage that builds and imports the custom
 * image, and an ACK node pool (`imageType: Custom`) or an EKS node group (launch template with the
 * AMI and the Ignition user data, no `amiType`) that boots it. Without `ostreeImage` the pool is
 * refused at its image (imageMatrix.test.ts).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { failed, previewEnvironment } from "../../../stacks/offline/preview";
import { ENVIRONMENT_KEY, readStackSettings } from "../../../stacks/offline/stackConfig";

type Doc = Record<string, unknown> & { clusters: { nodePools: Record<string, unknown>[] }[] };

const ostreeImage = (cloud: "alicloud" | "aws") => ({
  treefile: {
    ref: "platform/41/x86_64/node",
    releasever: "41",
    repos: [
      {
        id: "fedora",
        metalink: "https://mirrors.fedoraproject.org/metalink?repo=fedora-$releasever&arch=$basearch",
      },
    ],
    packages: [
      "kernel",
      "systemd",
      "ostree",
      "rpm-ostree",
      "containerd",
      "kubelet",
      "ignition",
      "bootupd",
      cloud === "alicloud" ? "cloud-init" : "aws-iam-authenticator",
    ],
  },
  remoteUrl: "https://ostree.example.com/repo",
  bucket: "platform-node-images",
});

function variant(base: string, cloud: "alicloud" | "aws", without?: string): Doc {
  const doc = structuredClone(readStackSettings(base).config[ENVIRONMENT_KEY]) as Doc;
  const image = ostreeImage(cloud);
  image.treefile.packages = image.treefile.packages.filter((p) => p !== without);
  doc.ostreeImage = image;
  const pool = doc.clusters[0]?.nodePools[0] as Record<string, unknown>;
  pool.image = "ostree";
  return doc;
}

describe("managed pools on the ostree image", () => {
  const dir = mkdtempSync(join(tmpdir(), "ostree-pools-"));
  const preview = async (base: string, cloud: "alicloud" | "aws", without?: string) => {
    const env = `ostree-${base}${without ? `-no-${without}` : ""}`;
    writeFileSync(
      join(dir, `Pulumi.${env}.yaml`),
      stringify({ config: { [ENVIRONMENT_KEY]: variant(base, cloud, without) } }),
    );
    return previewEnvironment(env, { dir });
  };

  it("ACK: the pool boots the imported ECS image as imageType Custom, and previews clean", async () => {
    const r = await preview("dev", "alicloud");
    expect([...r.diagnostics, ...r.policyDiagnostics].filter((d) => d.severity === "mandatory")).toEqual([]);
    expect(failed(r)).toBe(false);
    const types = r.resources.map((x) => x.type);
    expect(types).toContain("command:local:Command");
    expect(types).toContain("alicloud:oss/bucketObject:BucketObject");
    expect(types).toContain("alicloud:ecs/imageImport:ImageImport");
    const image = r.resources.find((x) => x.type === "alicloud:ecs/imageImport:ImageImport");
    expect(image?.retainOnDelete).toBe(true);
    const pools = r.resources.filter((x) => x.type === "alicloud:cs/nodePool:NodePool");
    const first = pools[0];
    expect(first?.inputs.imageType).toBe("Custom");
    // Unknown in a preview (the image is created by this update), never empty.
    expect(first?.inputs.imageId).not.toBe("");
  }, 120_000);

  it("EKS: the node group's launch template carries the AMI and the Ignition config; no amiType", async () => {
    const r = await preview("aws-dev", "aws");
    expect([...r.diagnostics, ...r.policyDiagnostics].filter((d) => d.severity === "mandatory")).toEqual([]);
    const types = r.resources.map((x) => x.type);
    expect(types).toContain("aws:ebs/snapshotImport:SnapshotImport");
    expect(types).toContain("aws:ec2/ami:Ami");
    const groups = r.resources.filter((x) => x.type === "aws:eks/nodeGroup:NodeGroup");
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) expect(g.inputs.amiType).toBeUndefined();
    const lts = r.resources.filter((x) => x.type === "aws:ec2/launchTemplate:LaunchTemplate");
    const ostreeLt = lts.find((lt) => (lt.inputs.blockDeviceMappings as unknown[] | undefined)?.length === 1);
    expect(ostreeLt).toBeDefined();
  }, 120_000);

  it.each([
    ["dev", "alicloud", "cloud-init"],
    ["dev", "alicloud", "bootupd"],
    ["aws-dev", "aws", "aws-iam-authenticator"],
  ] as const)(
    "%s: a treefile without %s is refused at ostreeImage.treefile.packages before anything is created",
    async (base, cloud, without) => {
      const r = await preview(base, cloud, without);
      const mandatory = [...r.diagnostics, ...r.policyDiagnostics].filter((d) => d.severity === "mandatory");
      expect(mandatory.map((d) => d.path)).toEqual(["ostreeImage.treefile.packages"]);
      expect(mandatory[0]?.message).toContain(`"${without}"`);
      expect(r.resources).toEqual([]);
    },
    120_000,
  );
});
