/**
 * A self-managed cluster boots the project's image: with no `selfManaged.imageId` and the
 * environment's `ostreeImage` declared, one NodeImage per cluster builds and imports it, and the
 * control plane and every pool boot its `imageId`; `selfManaged.imageId` overrides it; a cluster
 * with neither is refused at `selfManaged.imageId`; the image's treefile must carry what a
 * kubeadm node runs (kubeadm, kubelet, containerd), at `ostreeImage.treefile.packages`.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validatePlatformChildren } from "@kubeplat/components";
import { checkEnvironment, type EnvironmentInput, parseEnvironment } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { failed, previewEnvironment } from "../../../stacks/offline/preview";
import { ENVIRONMENT_KEY, readStackSettings } from "../../../stacks/offline/stackConfig";

const ENV = "selfmanaged-dev";
const shipped = readStackSettings(ENV).config[ENVIRONMENT_KEY] as EnvironmentInput;
const AMI = "aws:ec2/ami:Ami";
const NODE_IMAGE = "platform:nodeimage:NodeImage";

function variant(mutate: (spec: EnvironmentInput) => void): EnvironmentInput {
  const spec = structuredClone(shipped);
  mutate(spec);
  return spec;
}

function judge(spec: EnvironmentInput) {
  const parsed = parseEnvironment(spec, ENV);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  const check = checkEnvironment(parsed.env, { today: "2026-11-28" });
  const mandatory = (ds: { rule: string; path: string; severity: string; message: string }[]) =>
    ds.filter((d) => d.severity === "mandatory").map((d) => [d.rule, d.path, d.message]);
  return {
    spec: mandatory(check.diagnostics),
    children: mandatory(validatePlatformChildren(ENV, parsed.env, check.plan)),
  };
}

const sm = (spec: EnvironmentInput) =>
  spec.clusters?.[0]?.selfManaged as NonNullable<
    NonNullable<EnvironmentInput["clusters"]>[number]["selfManaged"]
  >;

describe("selfmanaged-dev boots the project's ostree image", () => {
  const dir = mkdtempSync(join(tmpdir(), "selfmanaged-image-"));
  const preview = async (name: string, spec: EnvironmentInput) => {
    writeFileSync(join(dir, `Pulumi.${name}.yaml`), stringify({ config: { [ENVIRONMENT_KEY]: spec } }));
    return previewEnvironment(name, { dir, today: "2026-11-28" });
  };

  it("as shipped: one NodeImage for the cluster, imported as an AMI, booted by the control plane and the pool", async () => {
    expect(sm(shipped).imageId).toBeUndefined();
    const r = await previewEnvironment(ENV, { today: "2026-11-28" });
    expect(failed(r)).toBe(false);
    const images = r.resources.filter((x) => x.type === NODE_IMAGE);
    expect(images.map((x) => x.name)).toEqual([`${ENV}-sm-dev`]);
    const ami = r.resources.find((x) => x.type === AMI);
    expect(ami?.parent).toBe(images[0]?.urn);
    expect(ami?.retainOnDelete).toBe(true);
    // Every node boots the imported AMI: the instances wait for it (their ami is its id).
    const nodes = r.resources.filter((x) => x.type === "aws:ec2/instance:Instance");
    expect(nodes).toHaveLength(3);
    for (const n of nodes) expect(n.dependencies, n.name).toContain(ami?.urn);
    const lt = r.resources.find((x) => x.type === "aws:ec2/launchTemplate:LaunchTemplate");
    expect(lt?.dependencies).toContain(ami?.urn);
    // The shipped treefile carries what a kubeadm node runs.
    const packages = shipped.ostreeImage?.treefile.packages ?? [];
    for (const p of ["kubeadm", "kubelet", "containerd", "bootupd"]) expect(packages).toContain(p);
  }, 120_000);

  it("selfManaged.imageId overrides it: no NodeImage, every node boots the given AMI", async () => {
    const r = await preview(
      "sm-override",
      variant((s) => {
        sm(s).imageId = "ami-0a1b2c3d4e5f60718";
      }),
    );
    expect(failed(r)).toBe(false);
    expect(r.resources.filter((x) => x.type === NODE_IMAGE)).toEqual([]);
    for (const n of r.resources.filter((x) => x.type === "aws:ec2/instance:Instance"))
      expect(n.inputs.ami, n.name).toBe("ami-0a1b2c3d4e5f60718");
    const lt = r.resources.find((x) => x.type === "aws:ec2/launchTemplate:LaunchTemplate");
    expect(lt?.inputs.imageId).toBe("ami-0a1b2c3d4e5f60718");
  }, 120_000);

  it("neither selfManaged.imageId nor ostreeImage: refused at selfManaged.imageId, before anything is built", () => {
    const r = judge(
      variant((s) => {
        delete s.ostreeImage;
      }),
    );
    expect(r.spec.map(([rule, path]) => [rule, path])).toEqual([
      ["spec/schema", "clusters[0].selfManaged.imageId"],
    ]);
    expect(r.spec[0]?.[2]).toContain("declare ostreeImage");
    expect(r.spec[0]?.[2]).toContain("set selfManaged.imageId");
  });

  it("an image without what a kubeadm node runs: refused at ostreeImage.treefile.packages, naming each", () => {
    for (const missing of ["kubeadm", "kubelet", "containerd", "bootupd"]) {
      const r = judge(
        variant((s) => {
          const t = s.ostreeImage?.treefile as { packages: string[] };
          t.packages = t.packages.filter((p) => p !== missing);
        }),
      );
      expect(
        r.spec.map(([rule, path]) => [rule, path]),
        missing,
      ).toEqual([["spec/schema", "ostreeImage.treefile.packages"]]);
      expect(r.spec[0]?.[2], missing).toContain(`"${missing}"`);
    }
    // A self-managed node joins with kubeadm's token: no cloud join package is asked for.
    expect(judge(shipped).spec).toEqual([]);
    expect(shipped.ostreeImage?.treefile.packages).not.toContain("aws-iam-authenticator");
  });

  it("with its own imageId the cluster asks nothing of the environment's image", () => {
    const r = judge(
      variant((s) => {
        sm(s).imageId = "ami-0a1b2c3d4e5f60718";
        const t = s.ostreeImage?.treefile as { packages: string[] };
        t.packages = t.packages.filter((p) => p !== "kubeadm");
      }),
    );
    expect(r.spec).toEqual([]);
    expect(r.children).toEqual([]);
  });

  it("a pool on another architecture than the cluster's one x86_64 image is refused at the pool", () => {
    const r = judge(
      variant((s) => {
        const pool = s.clusters?.[0]?.nodePools?.[0] as Record<string, unknown>;
        pool.architecture = "arm64";
      }),
    );
    expect(r.spec.map(([rule, path]) => [rule, path])).toEqual([
      ["spec/schema", "clusters[0].nodePools[0].architecture"],
    ]);
  });
});
