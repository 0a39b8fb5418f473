/**
 * A pool pinned to its own Kubernetes version (issue 16: "each pool following the cluster's
 * version unless pinned"): on EKS the pool's node image is the pinned minor's and the skew rule
 * judges the pin; on ACK a pin is refused (its node pools run their cluster's version).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { previewEnvironment } from "../../../stacks/offline/preview";
import { stackFile } from "../../../stacks/offline/stackConfig";

const TODAY = "2026-11-28";

/** The shipped environment with its first cluster's first pool pinned to `version`. */
function pinned(env: string, version: string): string {
  const doc = parse(readFileSync(stackFile(env), "utf8"));
  doc.config["platform:environment"].clusters[0].nodePools[0].kubernetesVersion = version;
  const dir = mkdtempSync(join(tmpdir(), `pin-${env}-`));
  writeFileSync(stackFile(env, dir), stringify(doc));
  return dir;
}

const skews = (r: Awaited<ReturnType<typeof previewEnvironment>>) =>
  r.diagnostics.filter((d) => d.rule === "cluster/version-skew").map((d) => [d.severity, d.path, d.message]);

describe("a pool pinned to its own version", () => {
  it("EKS: a pool one minor behind boots that minor's node image; its cluster keeps its own", async () => {
    const r = await previewEnvironment("aws-dev", { dir: pinned("aws-dev", "1.34"), today: TODAY });
    expect(skews(r)).toEqual([]);
    expect(r.diagnostics.filter((d) => d.severity === "mandatory")).toEqual([]);
    const cluster = r.resources.find((x) => x.type === "aws:eks/cluster:Cluster");
    expect(cluster?.inputs.version).toBe("1.35");
    const lt = r.resources.find((x) => x.type === "aws:ec2/launchTemplate:LaunchTemplate");
    const shipped = await previewEnvironment("aws-dev", { today: TODAY });
    const shippedLt = shipped.resources.find((x) => x.type === "aws:ec2/launchTemplate:LaunchTemplate");
    // Another minor, another Bottlerocket AMI (the SSM parameter names the minor).
    expect(lt?.inputs.imageId).not.toEqual(shippedLt?.inputs.imageId);
    expect(r.resources.map((x) => x.urn).sort()).toEqual(shipped.resources.map((x) => x.urn).sort());
  });

  it("EKS: a pin newer than the cluster, or 4 minors behind, is refused at the pool's path", async () => {
    const newer = await previewEnvironment("aws-dev", { dir: pinned("aws-dev", "1.36"), today: TODAY });
    expect(newer.resources).toEqual([]);
    expect(skews(newer).map((s) => s[1])).toContain("clusters[0].nodePools[0].kubernetesVersion");
    const old = await previewEnvironment("aws-dev", { dir: pinned("aws-dev", "1.31"), today: TODAY });
    expect(skews(old)).toEqual([
      [
        "mandatory",
        "clusters[0].nodePools[0].kubernetesVersion",
        expect.stringContaining("4 minors behind its control plane 1.35"),
      ],
    ]);
  });

  it("ACK: a pin is refused with cluster/version-skew, naming the pool and the way nodes move on ACK", async () => {
    const r = await previewEnvironment("staging", {
      dir: pinned("staging", "1.35.7-aliyun.1"),
      today: TODAY,
    });
    expect(r.resources).toEqual([]);
    expect(skews(r)).toEqual([
      [
        "mandatory",
        "clusters[0].nodePools[0].kubernetesVersion",
        expect.stringContaining("ACK node pools run their cluster's version"),
      ],
    ]);
  });
});
