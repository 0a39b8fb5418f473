/**
 * The `dev` environment (Alibaba Cloud ACK) through the real Pulumi engine, the real Kubernetes
 * provider and API server, and the cloud simulator. The tests run in order on one stack: up,
 * no-op up, secrets in state, a team's stack reference, replacement previews, the policy pack,
 * destroy. Proof numbers are the issue's.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkContractVersion } from "@kubeplat/components";
import { nginxControllerValue } from "@kubeplat/components/internal/kubernetes/ingressNginxValues";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ruleOfPolicy } from "../../policy/define";
import {
  type E2E,
  engineUrns,
  offlinePreview,
  type PlatformStack,
  REPO,
  snapshot,
  startE2E,
  stateFile,
} from "../harness";
import {
  type Deployment,
  expectDeclaredObjects,
  expectNoChanges,
  explain,
  stackState as state,
} from "../harness/checks";
import type { KubeObject } from "../harness/kube";

/**
 * The IngressClass of dev's `public` nginx controller. ACK clusters come with an ingress-nginx of
 * their own that holds the class `nginx`, so the platform's controller gets a class named after
 * itself (<env>-<cluster>-<ingress>); the team app takes the cluster's first class.
 */
const PUBLIC_CLASS = "dev-dev-public";

let e2e: E2E;
let dev: PlatformStack;
let baseline: Set<string>;

const replaceOps = new Set(["replace", "create-replacement", "delete-replaced", "replace-same"]);

beforeAll(async () => {
  e2e = await startE2E();
  dev = e2e.platformStack("dev");
  baseline = await snapshot(e2e.cluster.api);
});

afterAll(async () => {
  await e2e?.stop();
});

describe("dev (Alibaba Cloud) on the real engine", () => {
  test("1. pulumi up creates the cloud layer and every in-cluster object the API server accepts", async () => {
    const up = await dev.run("up");
    expect(up.ok, explain(up)).toBe(true);
    const resources = await state(dev);

    // The engine registered what the offline preview (mock runtime) registers, URN for URN (in
    // the engine's form of a URN: see engineUrns).
    const { report } = await offlinePreview("dev", join(REPO, "stacks"));
    const urns = new Set(resources.map((r) => r.urn));
    expect(engineUrns(report).filter((u) => !urns.has(u))).toEqual([]);

    // Every Kubernetes object in the state is in the API server, as the program declared it.
    expect(await expectDeclaredObjects(e2e.cluster.api, resources)).toBeGreaterThan(10);

    // What the dev spec asks for, read back.
    const spec = dev.spec() as {
      tenancy: {
        projects: { name: string; namespaces: { name: string; quota: Record<string, string> }[] }[];
      };
      access: { breakGlassGroups: string[] };
    };
    const project = spec.tenancy.projects[0];
    const nsSpec = project?.namespaces[0];
    const nsName = `${project?.name}-${nsSpec?.name}`;
    const ns = await e2e.cluster.api<KubeObject>("GET", `/api/v1/namespaces/${nsName}`);
    expect(ns?.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("baseline");
    const quotas = await e2e.cluster.api<{ items: { spec: { hard: Record<string, string> } }[] }>(
      "GET",
      `/api/v1/namespaces/${nsName}/resourcequotas`,
    );
    expect(quotas?.items.map((q) => q.spec.hard)).toContainEqual(expect.objectContaining(nsSpec?.quota));
    const limits = await e2e.cluster.api<{ items: unknown[] }>(
      "GET",
      `/api/v1/namespaces/${nsName}/limitranges`,
    );
    expect(limits?.items.length).toBeGreaterThan(0);
    const classes = await e2e.cluster.api<{ items: KubeObject[] }>(
      "GET",
      "/apis/networking.k8s.io/v1/ingressclasses",
    );
    expect(
      classes?.items.map((c) => [c.metadata.name, (c.spec as { controller: string }).controller]),
    ).toContainEqual([PUBLIC_CLASS, nginxControllerValue(PUBLIC_CLASS)]);
    const bindings = await e2e.cluster.api<{ items: { subjects?: { kind: string; name: string }[] }[] }>(
      "GET",
      "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
    );
    const groups = bindings?.items.flatMap((b) =>
      (b.subjects ?? []).filter((s) => s.kind === "Group").map((s) => s.name),
    );
    for (const g of spec.access.breakGlassGroups) expect(groups).toContain(g);
    const storage = await e2e.cluster.api<{ items: KubeObject[] }>(
      "GET",
      "/apis/storage.k8s.io/v1/storageclasses",
    );
    expect(
      storage?.items.filter(
        (s) => s.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true",
      ),
    ).toHaveLength(1);
  });

  test("1. a second pulumi up reports no changes", async () => {
    const up = await dev.run("up");
    expect(up.ok, explain(up)).toBe(true);
    expectNoChanges(up);
  });

  test("4. the kubeconfig outputs are encrypted in the state file", async () => {
    const raw = stateFile(e2e.pulumi, "platform", "dev");
    const file = JSON.parse(raw) as { checkpoint: { latest: Deployment["deployment"] } };
    const stackRes = file.checkpoint.latest.resources?.find((r) => r.type === "pulumi:pulumi:Stack");
    const kubeconfigs = stackRes?.outputs?.kubeconfigs as Record<string, unknown>;
    expect(kubeconfigs).toHaveProperty("ciphertext");
    // No trace of the credential or the document anywhere in the file.
    expect(raw).not.toContain(e2e.cluster.token);
    expect(raw).not.toContain("current-context");
    const outputs = await dev.run("outputs");
    expect(outputs.outputs?.kubeconfigs?.secret).toBe(true);
  });

  test("5. examples/team-app deploys into its namespace through PlatformReference; an unknown contract fails", async () => {
    const workDir = e2e.pulumi.workDir("team-app");
    const config = { platformStack: "organization/platform/dev", project: "shop", namespace: "shop-web" };
    const app = {
      op: "up" as const,
      program: "team-app" as const,
      project: "team-app",
      stack: "dev",
      workDir,
      config,
    };
    const up = await e2e.pulumi.run(app);
    expect(up.ok, explain(up)).toBe(true);
    const dep = await e2e.cluster.api<KubeObject>(
      "GET",
      "/apis/apps/v1/namespaces/shop-web/deployments/hello",
    );
    expect(dep?.metadata.labels?.["app.kubernetes.io/part-of"]).toBe("shop");
    expect(await e2e.cluster.api("GET", "/api/v1/namespaces/shop-web/services/hello")).not.toBeNull();
    const ing = await e2e.cluster.api<KubeObject>(
      "GET",
      "/apis/networking.k8s.io/v1/namespaces/shop-web/ingresses/hello",
    );
    expect((ing?.spec as { ingressClassName?: string } | undefined)?.ingressClassName).toBe(PUBLIC_CLASS);
    const down = await e2e.pulumi.run({ ...app, op: "destroy" });
    expect(down.ok, explain(down)).toBe(true);
    expect(await e2e.cluster.api("GET", "/apis/apps/v1/namespaces/shop-web/deployments/hello")).toBeNull();

    // A platform stack exporting a contract version this library does not know.
    const futureDir = e2e.pulumi.workDir("future");
    const future = await e2e.pulumi.run({
      op: "up",
      program: "future-contract",
      project: "platform",
      stack: "future",
      workDir: futureDir,
    });
    expect(future.ok, explain(future)).toBe(true);
    const stale = await e2e.pulumi.run({
      ...app,
      op: "preview",
      workDir: e2e.pulumi.workDir("team-app-future"),
      config: { ...config, platformStack: "organization/platform/future" },
    });
    expect(stale.ok).toBe(false);
    let documented = "";
    try {
      checkContractVersion("organization/platform/future", "2");
    } catch (e) {
      documented = (e as Error).message;
    }
    expect(documented).toContain("upgrade the library");
    expect(explain(stale)).toContain(documented);
  });

  test("3. a pod CIDR change previews as a replacement of the cluster, never of the network", async () => {
    const original = dev.spec();
    const spec = structuredClone(original) as { clusters: { podCidr?: string }[] };
    const before = await state(dev);
    const cluster = before.find((r) => r.type === "alicloud:cs/managedKubernetes:ManagedKubernetes");
    const current = cluster?.inputs?.podCidr as string;
    expect(current).toMatch(/\//);
    (spec.clusters[0] as { podCidr?: string }).podCidr = current.startsWith("172.20.")
      ? "172.22.0.0/16"
      : "172.20.0.0/16";
    dev.setSpec(spec as Record<string, unknown>);
    try {
      const preview = await dev.run("preview");
      expect(preview.ok, explain(preview)).toBe(true);
      const replaced = new Set(preview.steps.filter((s) => replaceOps.has(s.op)).map((s) => s.urn));
      expect(replaced).toContain(cluster?.urn);
      const network = /alicloud:(vpc|ecs)\//;
      expect([...replaced].filter((u) => network.test(u))).toEqual([]);
      // Deleted: only the node security group's rules that authorise the old pod CIDR (Flannel:
      // one rule per port, named after its peer), each matched by a created rule for the new one.
      const slug = (cidr: string) => cidr.replace(/[./]/g, "-");
      const next = (spec.clusters[0] as { podCidr: string }).podCidr;
      const deleted = preview.steps.filter((s) => s.op === "delete").map((s) => s.urn);
      const oldRule = new RegExp(`alicloud:ecs/securityGroupRule:SecurityGroupRule::.*-${slug(current)}$`);
      expect(deleted.filter((u) => !oldRule.test(u))).toEqual([]);
      const created = preview.steps.filter((s) => s.op === "create").map((s) => s.urn);
      expect(
        deleted.map((u) => u.replace(slug(current), slug(next))).filter((u) => !created.includes(u)),
      ).toEqual([]);
      // Whatever else is replaced depends on the cluster (its id or kubeconfig changes): directly,
      // or through the Kubernetes provider that is configured with the cluster's kubeconfig.
      const providerUrn = (ref: string) => ref.slice(0, ref.lastIndexOf("::"));
      const deps = new Map(
        before.map((r) => [
          r.urn,
          [...(r.dependencies ?? []), ...(r.provider ? [providerUrn(r.provider)] : [])],
        ]),
      );
      const dependsOnCluster = (urn: string, seen = new Set<string>()): boolean => {
        if (urn === cluster?.urn) return true;
        if (seen.has(urn)) return false;
        seen.add(urn);
        return (deps.get(urn) ?? []).some((d) => dependsOnCluster(d, seen));
      };
      expect([...replaced].filter((u) => !dependsOnCluster(u))).toEqual([]);
      const step = preview.steps.find((s) => s.urn === cluster?.urn && s.op === "replace");
      expect(step?.diffs ?? step?.keys).toContain("podCidr");
    } finally {
      dev.setSpec(original);
    }
  });

  test("3. adding a zone previews as creates, with no replacement or deletion", async () => {
    const original = dev.spec();
    const spec = structuredClone(original) as { zones: string[] };
    spec.zones = [...spec.zones, "cn-hangzhou-j"];
    dev.setSpec(spec as Record<string, unknown>);
    try {
      const preview = await dev.run("preview");
      expect(preview.ok, explain(preview)).toBe(true);
      const ops = preview.steps.map((s) => s.op);
      expect(ops.filter((op) => replaceOps.has(op) || op === "delete")).toEqual([]);
      const creates = preview.steps.filter((s) => s.op === "create").map((s) => s.type);
      expect(creates).toContain("alicloud:vpc/switch:Switch");
    } finally {
      dev.setSpec(original);
    }
  });

  test("2. preview --policy-pack: the pack runs in the engine and agrees with the offline preview", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeplat-policy-"));
    // The dev spec as it is: the pack's findings equal the offline preview's policy findings.
    const okConfig = join(dir, "policy-dev.json");
    const offline = await offlinePreview("dev", join(REPO, "stacks"), okConfig);
    const preview = await dev.run("preview", {
      policyPacks: [join(REPO, "policy")],
      policyPackConfigs: [okConfig],
    });
    expect(preview.ok, explain(preview)).toBe(true);
    const engineRules = preview.policyViolations.map(
      (v) => `${v.enforcementLevel} ${ruleOfPolicy(v.policyName) ?? v.policyName}`,
    );
    const offlineRules = offline.report.policyDiagnostics.map((d) => `${d.severity} ${d.rule}`);
    expect(engineRules.sort()).toEqual(offlineRules.sort());

    // A broken variant: over the environment's node budget, a mandatory violation.
    const original = dev.spec();
    const broken = structuredClone(original) as { budget: { nodes: number } };
    broken.budget.nodes = 3;
    dev.setSpec(broken as Record<string, unknown>);
    try {
      writeFileSync(join(dir, `Pulumi.dev.yaml`), readFileSync(dev.configFile));
      const brokenConfig = join(dir, "policy-broken.json");
      const off = await offlinePreview("dev", dir, brokenConfig);
      expect(off.exitCode).not.toBe(0);
      const mandatory = [
        ...off.report.diagnostics.filter((d) => d.severity === "mandatory").map((d) => d.rule),
        ...off.report.policyDiagnostics.filter((d) => d.severity === "mandatory").map((d) => d.rule),
      ];
      expect(mandatory.length).toBeGreaterThan(0);
      const failed = await dev.run("preview", {
        policyPacks: [join(REPO, "policy")],
        policyPackConfigs: [brokenConfig],
      });
      expect(failed.ok).toBe(false);
      const text = explain(failed);
      const engineMandatory = new Set(
        [...text.matchAll(/\b([a-z]+\/[a-z0-9-]+)\b/g)]
          .map((m) => m[1])
          .filter((id) => mandatory.includes(id as string)),
      );
      expect([...engineMandatory].sort()).toEqual([...new Set(mandatory)].sort());
    } finally {
      dev.setSpec(original);
    }
  });

  test("7. pulumi destroy removes everything; the API server holds no platform object", async () => {
    const down = await dev.run("destroy");
    expect(down.ok, explain(down)).toBe(true);
    expect(await state(dev)).toEqual([]);
    const left = [...(await snapshot(e2e.cluster.api))].filter((o) => !baseline.has(o));
    expect(left).toEqual([]);
  });
});
