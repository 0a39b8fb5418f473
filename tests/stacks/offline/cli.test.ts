import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { EXIT, main, runAsProcess } from "../../../stacks/offline/cli";
import { captureOutput } from "../../support/output";

const io = captureOutput();

function stackDir(env: string, spec: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "plan-cli-"));
  writeFileSync(join(dir, `Pulumi.${env}.yaml`), stringify({ config: { "platform:environment": spec } }));
  return dir;
}

const overlapping = {
  name: "bad",
  cloud: "alicloud",
  region: "cn-hangzhou",
  zones: ["cn-hangzhou-i"],
  vpc: { cidr: "192.168.0.0/16" },
  connectedRanges: [{ name: "idc", kind: "leased-line", cidr: "192.168.0.0/20" }],
  clusters: [
    {
      name: "c1",
      cni: "flannel",
      podCidr: "192.168.128.0/17",
      serviceCidr: "172.21.0.0/20",
      nodePools: [{ name: "p", minSize: 1, maxSize: 3, instanceTypes: ["ecs.g7.xlarge"] }],
    },
  ],
};

describe("make plan (offline address plan)", () => {
  it("prints the dev environment's address plan and exits 0", async () => {
    expect(await main(["dev"])).toBe(0);
    expect(io.out).toContain("Environment dev (alicloud cn-hangzhou)");
    expect(io.out).toMatch(/cn-hangzhou-i\s+node\s+192\.168\.0\.0\/22/);
    expect(io.out).toContain("Diagnostics: 0 mandatory");
  });

  it("gives the same plan as JSON with --json", async () => {
    expect(await main(["dev", "--json"])).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.plan.allocations["vswitch:dev/cn-hangzhou-i/node"]).toBe("192.168.0.0/22");
    expect(doc.diagnostics.filter((d: { severity: string }) => d.severity === "mandatory")).toEqual([]);
  });

  it("exits non-zero on overlapping ranges, naming the rule ids and the ranges", async () => {
    const dir = stackDir("bad", overlapping);
    expect(await main(["bad", "--dir", dir])).toBe(1);
    expect(io.out).toContain("cidr/pod-overlaps-vpc");
    expect(io.out).toContain("pod CIDR 192.168.128.0/17 overlaps vpc 192.168.0.0/16");
    expect(io.out).toContain("cidr/overlaps-peer");
    expect(io.out).toMatch(
      /192\.168\.0\.0\/22 overlaps connected range idc \(leased-line\) 192\.168\.0\.0\/20/,
    );
  });

  it("reports schema problems with their paths and exits 1", async () => {
    const dir = stackDir("broken", {
      ...overlapping,
      clusters: [{ name: "x", nodePools: [{ name: "p", minSize: -1 }] }],
    });
    expect(await main(["broken", "--dir", dir])).toBe(1);
    expect(io.out).toContain("spec/schema at clusters[0].nodePools[0].minSize");
    expect(io.out).toContain("spec/schema at clusters[0].nodePools[0].maxSize");
  });

  it("exits 2 with a clear message for an unknown environment", async () => {
    expect(await main(["nope"])).toBe(2);
    expect(io.err).toMatch(/no settings file .*Pulumi\.nope\.yaml for environment "nope" \(known: .*dev.*\)/);
  });

  it("flags a renumbered range against a baseline plan", async () => {
    const dir = stackDir("grow", overlapping);
    const baseline = join(dir, "baseline.json");
    writeFileSync(
      baseline,
      JSON.stringify({ plan: { allocations: { "vswitch:c1/cn-hangzhou-i/node": "192.168.4.0/22" } } }),
    );
    await main(["grow", "--dir", dir, "--baseline", baseline]);
    expect(io.out).toContain("cidr/plan-renumbered");
    expect(io.out).toContain("vswitch:c1/cn-hangzhou-i/node moved from 192.168.4.0/22 to 192.168.0.0/22");
  });

  it("--json carries each cluster's and pool's version; --baseline compares them (cluster/version-skew)", async () => {
    expect(await main(["staging", "--json", "--plan-only"])).toBe(0);
    const doc = JSON.parse(io.out);
    const [cluster, v] =
      Object.entries(doc.versions as Record<string, { version: string; pools: object }>)[0] ?? [];
    expect(v?.version).toBe("1.36.1-aliyun.1");
    expect(Object.values(v?.pools ?? {})).not.toHaveLength(0);
    const dir = mkdtempSync(join(tmpdir(), "plan-cli-"));
    const at = (version: string) => {
      const file = join(dir, `baseline-${version}.json`);
      const pools = Object.fromEntries(Object.keys(v?.pools ?? {}).map((p) => [p, version]));
      writeFileSync(file, JSON.stringify({ ...doc, versions: { [cluster as string]: { version, pools } } }));
      return file;
    };
    // One minor (1.35 → 1.36): allowed, and the summary names the move.
    io.out = "";
    io.err = "";
    expect(await main(["staging", "--plan-only", "--baseline", at("1.35.7-aliyun.1")])).toBe(0);
    expect(io.out).toContain(`versions: cluster ${cluster} 1.35.7-aliyun.1 → 1.36.1-aliyun.1`);
    expect(io.out).not.toContain("cluster/version-skew at");
    // Two minors (1.34 → 1.36): refused.
    io.out = "";
    expect(await main(["staging", "--plan-only", "--baseline", at("1.34.2-aliyun.1")])).toBe(1);
    expect(io.out).toContain("cluster/version-skew at clusters[0].kubernetesVersion");
    expect(io.out).toContain("moves from 1.34.2-aliyun.1 to 1.36.1-aliyun.1: 2 minor versions in one change");
  });

  it("exits 70 with the stack trace on an internal error (a bug, not bad input)", async () => {
    const before = process.exitCode;
    try {
      runAsProcess(async () => {
        throw new Error("boom");
      });
      await new Promise((r) => setImmediate(r));
      expect(process.exitCode).toBe(EXIT.internal);
      expect(io.err).toContain("plan: internal error: Error: boom");
      expect(io.err).toMatch(/\n\s+at /);
    } finally {
      process.exitCode = before;
    }
  });
});
