/**
 * The offline preview's upgrade plan (issue 16): every shipped environment of managed clusters
 * (ACK, EKS) moved up one minor previews as in-place updates in engine order (control plane
 * first), with the pinned URNs unchanged and no stateful resource replaced; a self-managed
 * (kubeadm) cluster moved up one minor replaces its control-plane nodes one at a time and rolls
 * its workers, and replaces nothing else stateful; a two-minor jump is refused with
 * cluster/version-skew; the CLI prints the plan against an earlier settings file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EKS_ADDONS_BEFORE_NODES } from "@kubeplat/components/internal/platform/upgradeOrder";
import { KUBERNETES_RELEASES } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";
import { main } from "../../../stacks/offline/cli";
import { previewEnvironment } from "../../../stacks/offline/preview";
import { listEnvironments, STACKS_DIR, stackFile } from "../../../stacks/offline/stackConfig";
import {
  renderUpgradePlan,
  SELF_MANAGED_UPGRADE,
  upgradeBaseline,
  upgradePlan,
} from "../../../stacks/offline/upgradePlan";
import { captureOutput } from "../../support/output";

const TODAY = "2026-11-28";
const CLUSTER_TYPES = ["alicloud:cs/managedKubernetes:ManagedKubernetes", "aws:eks/cluster:Cluster"];

/** Whether an environment's clusters are self-managed (kubeadm): they upgrade by replacing nodes. */
const selfManaged = (env: string) => /^\s*kind: selfmanaged\s*$/m.test(readFileSync(stackFile(env), "utf8"));
const MANAGED = listEnvironments(STACKS_DIR).filter((env) => !selfManaged(env));

/** The shipped file with its cluster version one minor lower (the release before it that names a version). */
function oneMinorBack(env: string): { dir: string; before: string; after: string } {
  const text = readFileSync(stackFile(env), "utf8");
  const m = /kubernetesVersion: "?(v?[0-9][^"\s]*)"?/.exec(text);
  if (!m) throw new Error(`${env}: no kubernetesVersion`);
  const after = m[1] as string;
  const channel = selfManaged(env) ? "kubeadm" : text.includes("cloud: aws") ? "aws" : "alicloud";
  const releases = KUBERNETES_RELEASES[channel];
  const i = releases.findIndex((r) => after === r.version);
  const prev = releases.slice(i + 1).find((r) => r.version !== undefined);
  const [aMajor, aMinor] = after.replace(/^v/, "").split(".").map(Number) as [number, number];
  const [pMajor, pMinor] = (prev?.minor ?? "0.0").split(".").map(Number) as [number, number];
  // One minor back exactly: the skew rule must see a single step.
  expect([pMajor, pMinor]).toEqual([aMajor, aMinor - 1]);
  const before = prev?.version as string;
  const dir = mkdtempSync(join(tmpdir(), `upgrade-${env}-`));
  writeFileSync(stackFile(env, dir), text.replace(m[0], m[0].replace(after, before)));
  return { dir, before, after };
}

/**
 * The environment previewed one minor back, then as shipped against that baseline: the upgrade
 * plan, checked for what every one-minor upgrade must show — the skew rule passes, no mandatory
 * finding, and the pinned URNs unchanged before and after.
 */
async function upgradeOneMinor(env: string) {
  const { dir, before, after } = oneMinorBack(env);
  const old = await previewEnvironment(env, { dir, today: TODAY });
  expect(old.resources.length).toBeGreaterThan(0);
  const baseline = upgradeBaseline(old.env, old.resources);
  const now = await previewEnvironment(env, { baselineVersions: baseline.versions, today: TODAY });
  const plan = upgradePlan(baseline, now.env, now.resources, [...now.diagnostics, ...now.policyDiagnostics]);

  expect(plan.rules.find((r) => r.rule === "cluster/version-skew")?.result).toBe("passes");
  expect(plan.rules.every((r) => r.result !== "mandatory")).toBe(true);
  const pinned = readFileSync(join(__dirname, "urns", `${env}.txt`), "utf8")
    .trim()
    .split("\n")
    .sort();
  expect(now.resources.map((r) => r.urn).sort()).toEqual(pinned);
  expect(old.resources.map((r) => r.urn).sort()).toEqual(pinned);
  return { before, after, now, plan };
}

describe("every shipped environment of managed clusters, one minor up", () => {
  it("covers the managed environments, and only those", () => {
    expect(MANAGED.length).toBeGreaterThan(0);
    expect(MANAGED).not.toContain("selfmanaged-dev");
    expect(MANAGED).toContain("staging");
  });
  for (const env of MANAGED) {
    it(`${env}: in-place updates, control plane first, pinned URNs, nothing stateful replaced`, async () => {
      const { before, after, now, plan } = await upgradeOneMinor(env);

      expect(plan.stateful).toMatchObject({ replaced: 0, created: 0, deleted: 0 });
      expect(plan.steps.every((s) => s.action === "update")).toBe(true);
      const cluster = plan.steps.filter((s) => CLUSTER_TYPES.includes(s.type));
      expect(cluster.map((s) => [s.step, s.changed])).toEqual([[1, ["version"]]]);
      // Everything else that changes waits for the control plane.
      expect(plan.steps.filter((s) => !CLUSTER_TYPES.includes(s.type)).every((s) => s.step > 1)).toBe(true);
      const clusterMove = plan.versions.find((v) => v.pool === undefined);
      expect([clusterMove?.before, clusterMove?.after]).toEqual([before, after]);
      for (const pool of plan.versions.filter((v) => v.pool !== undefined)) expect(pool.how).toBeDefined();

      if (now.env?.cloud === "aws") {
        // The node image follows the minor: a new launch template version, then the group rolls.
        const lt = plan.steps.find((s) => s.type === "aws:ec2/launchTemplate:LaunchTemplate");
        const ng = plan.steps.find((s) => s.type === "aws:eks/nodeGroup:NodeGroup");
        expect(ng?.changed).toEqual(["launchTemplate.version"]);
        expect((ng?.step ?? 0) > (lt?.step ?? 99)).toBe(true);
        // Control plane → add-ons that run before nodes → node groups → add-ons that need nodes.
        const addon = (n: string) =>
          plan.steps.find((s) => s.type === "aws:eks/addon:Addon" && s.name.endsWith(`-${n}`));
        for (const n of EKS_ADDONS_BEFORE_NODES)
          expect((addon(n)?.step ?? 99) < (ng?.step ?? 0), n).toBe(true);
        for (const n of ["coredns", "aws-ebs-csi-driver"])
          expect((addon(n)?.step ?? 0) > (ng?.step ?? 99), n).toBe(true);
        // Explicit dependencies, not an accident of the launch template: every node group waits for them.
        for (const group of now.resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup")) {
          const waitsFor = group.dependencies.map((d) => d.split("::").pop());
          for (const n of EKS_ADDONS_BEFORE_NODES)
            expect(
              waitsFor.some((w) => w?.endsWith(`-addons-${n}`)),
              n,
            ).toBe(true);
        }
      }
    });
  }
});

describe("a self-managed cluster, one minor up (selfmanaged-dev v1.36.4 → v1.37.2)", () => {
  it("replaces the control-plane nodes one at a time, rolls the workers, replaces nothing else stateful", async () => {
    const env = "selfmanaged-dev";
    const { before, after, now, plan } = await upgradeOneMinor(env);
    expect([before, after]).toEqual(["v1.36.4", "v1.37.2"]);

    // The control plane: every node replaced (its user data carries the version), in node order.
    const nodes = plan.steps.filter((s) => s.type === "aws:ec2/instance:Instance");
    expect(nodes.map((s) => [s.name, s.action, s.stateful, s.forceNew])).toEqual(
      [0, 1, 2].map((i) => [`${env}-sm-dev-cp-${i}`, "replace", "control-plane node", ["userData"]]),
    );
    const order = nodes.map((s) => s.step);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(3);
    // Each node waits for the one before it to serve again.
    const readiness = plan.steps.filter(
      (s) => s.type === "command:local:Command" && s.name.endsWith("-ready"),
    );
    expect(readiness.map((s) => s.step)).toEqual(order.map((n) => n + 1));

    // Workers: a new launch template version, after the control plane; the group itself stays.
    const lt = plan.steps.find((s) => s.type === "aws:ec2/launchTemplate:LaunchTemplate");
    expect(lt?.action).toBe("update");
    const group = now.resources.find((r) => r.type === "aws:autoscaling/group:Group");
    const lastReady = now.resources.find((r) => r.name === `${env}-sm-dev-2-ready`);
    expect(group?.dependencies).toContain(lastReady?.urn);
    expect(plan.steps.find((s) => s.type === "aws:autoscaling/group:Group")?.action ?? "update").toBe(
      "update",
    );

    // Nothing else stateful: the VPC, the subnets, the NLB (the VIP) and the pool stay.
    expect(plan.steps.filter((s) => s.stateful && s.stateful !== "control-plane node")).toEqual(
      plan.steps.filter((s) => s.stateful === "node pool" && s.action === "update"),
    );
    expect(plan.stateful).toMatchObject({ replaced: 3, created: 0, deleted: 0 });
    for (const type of ["aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:lb/loadBalancer:LoadBalancer"])
      expect(
        plan.steps.filter((s) => s.type === type),
        type,
      ).toEqual([]);
    // Replaced: the nodes and their readiness checks (triggered by the new instance ids), nothing else.
    expect(plan.steps.filter((s) => s.action === "replace")).toEqual(
      [...nodes, ...readiness].sort((a, b) => a.step - b.step || a.urn.localeCompare(b.urn)),
    );
    expect(plan.steps.every((s) => s.action === "update" || s.action === "replace")).toBe(true);

    const clusterMove = plan.versions.find((v) => v.pool === undefined);
    expect([clusterMove?.before, clusterMove?.after]).toEqual([before, after]);
    expect(clusterMove?.how).toBe(SELF_MANAGED_UPGRADE.controlPlane);
    expect(plan.versions.find((v) => v.pool === "general")?.how).toBe(SELF_MANAGED_UPGRADE.pool);
    expect(renderUpgradePlan(plan, "before.yaml")).toContain(
      `1. replace aws:ec2/instance:Instance ${env}-sm-dev-cp-0 (userData) — replaced because userData forces a new resource`,
    );
  });
});

describe("a two-minor jump", () => {
  it("staging 1.34 → 1.36 is refused with cluster/version-skew, and the plan says so", async () => {
    const r = await previewEnvironment("staging", {
      baselineVersions: { staging: { version: "1.34.2-aliyun.1" } },
      today: TODAY,
    });
    const plan = upgradePlan({ versions: { staging: { version: "1.34.2-aliyun.1" } } }, r.env, r.resources, [
      ...r.diagnostics,
      ...r.policyDiagnostics,
    ]);
    expect(plan.rules.find((x) => x.rule === "cluster/version-skew")?.result).toBe("mandatory");
    expect(plan.resourcesCompared).toBe("not-run");
    expect(plan.steps).toEqual([]);
  });
});

describe("kubeplat plan --baseline <earlier settings file>", () => {
  const io = captureOutput();

  it("prints the ordered upgrade of staging 1.35 → 1.36, and --json carries it", async () => {
    const { dir } = oneMinorBack("staging");
    expect(await main(["staging", "--no-tree", "--baseline", stackFile("staging", dir)])).toBe(0);
    expect(io.out).toContain("Upgrade plan against");
    expect(io.out).toContain("cluster staging 1.35.7-aliyun.1 → 1.36.1-aliyun.1");
    expect(io.out).toContain(
      "1. update alicloud:cs/managedKubernetes:ManagedKubernetes staging-staging-cluster (version)",
    );
    expect(io.out).toContain("0 replaced, 1 updated in place, 0 created, 0 deleted");
    expect(io.out).toContain("cluster/version-skew: passes");

    io.out = "";
    expect(await main(["staging", "--json", "--baseline", stackFile("staging", dir)])).toBe(0);
    const doc = JSON.parse(io.out);
    expect(doc.upgrade.steps.map((s: { action: string; name: string }) => `${s.action} ${s.name}`)).toEqual([
      "update staging-staging-cluster",
    ]);
    // The document is itself a baseline: stateful inputs and a digest of every resource's inputs.
    expect(doc.stateful.length).toBeGreaterThan(0);
    const file = join(dir, "now.json");
    writeFileSync(file, io.out);
    io.out = "";
    expect(await main(["staging", "--no-tree", "--baseline", file])).toBe(0);
    expect(io.out).toContain("Order: nothing changes");
  });
});
