import {
  planTenancy,
  Tenancy,
  type TenancyArgs,
  type TenantNamespaceArgs,
} from "@kubeplat/components/internal/kubernetes/Tenancy";
import { type MockRuntime, startMockRuntime } from "@kubeplat/components/testing";
import { compareQuantities } from "@kubeplat/plan";
import * as kubernetes from "@pulumi/kubernetes";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { attempt as attemptIn, withSelf } from "../../support/runtime";

let rt: MockRuntime;
beforeAll(async () => {
  rt = await startMockRuntime({ project: "platform", stack: "prod" });
});

const mine = (prefix: string, type?: string) => withSelf(rt, prefix, type);

const attempt = (name: string, args: TenancyArgs) => attemptIn(rt, () => new Tenancy(name, args));

/** One project on cluster prod with the given namespaces. */
function project(
  namespaces: TenantNamespaceArgs[],
  over: Partial<TenancyArgs> = {},
  quota: Record<string, string> = { "requests.cpu": "8", "limits.memory": "32Gi", pods: "200" },
): TenancyArgs {
  return {
    cluster: "prod",
    projects: [
      {
        name: "team-a",
        clusters: [
          { name: "prod", quota, storageClasses: ["alicloud-disk-topology-essd"] },
          { name: "staging" },
        ],
        namespaces,
      },
    ],
    ...over,
  };
}

/** The documented two quotas of an imported namespace (Alauda Container Platform docs: FAQ: why a namespace must not hold several ResourceQuotas when it is imported). */
const SEED_A = { "requests.cpu": "1", "requests.memory": "500Mi", "limits.cpu": "3", "limits.memory": "1Gi" };
const SEED_B = { "requests.cpu": "2", "requests.memory": "300Mi", "limits.cpu": "2", "limits.memory": "2Gi" };

describe("Tenancy", () => {
  it("creates each namespace of the cluster with its label, PSA labels, one default quota and limit range", async () => {
    await rt.run(async () => {
      const provider = new kubernetes.Provider("tenancy-k8s", { kubeconfig: "{}" });
      new Tenancy(
        "tenancy",
        project(
          [
            { name: "web", quota: { "requests.cpu": "4", "limits.memory": "16Gi" } },
            {
              name: "api",
              quota: { "requests.cpu": "2" },
              customQuota: {
                "alicloud-disk-topology-essd.storageclass.storage.k8s.io/requests.storage": "100Gi",
              },
              defaultDenyNetworkPolicy: true,
              limitRange: { defaultRequest: { cpu: "200m" }, default: { cpu: "1" }, max: { cpu: "2" } },
            },
            { name: "imported", importedQuotas: [SEED_A, SEED_B] },
            { name: "batch", cluster: "staging" },
          ],
          { production: true },
        ),
        { provider },
      );
      return {};
    });
    const urns = mine("tenancy")
      .map((r) => r.urn)
      .sort();
    expect(urns).toEqual(
      [
        "urn:pulumi:prod::platform::pulumi:pulumi:Stack$platform:kubernetes:Tenancy::tenancy",
        "urn:pulumi:prod::platform::pulumi:pulumi:Stack$pulumi:providers:kubernetes::tenancy-k8s",
        "urn:pulumi:prod::platform::platform:kubernetes:Tenancy$kubernetes:core/v1:Namespace::tenancy-team-a-web",
        "urn:pulumi:prod::platform::platform:kubernetes:Tenancy$kubernetes:core/v1:Namespace::tenancy-team-a-api",
        "urn:pulumi:prod::platform::platform:kubernetes:Tenancy$kubernetes:core/v1:Namespace::tenancy-team-a-imported",
        "urn:pulumi:prod::platform::platform:kubernetes:Tenancy$kubernetes:core/v1:ResourceQuota::tenancy-team-a-web-quota",
        "urn:pulumi:prod::platform::platform:kubernetes:Tenancy$kubernetes:core/v1:LimitRange::tenancy-team-a-web-limits",
        "urn:pulumi:prod::platform::platform:kubernetes:Tenancy$kubernetes:core/v1:ResourceQuota::tenancy-team-a-api-quota",
        "urn:pulumi:prod::platform::platform:kubernetes:Tenancy$kubernetes:core/v1:LimitRange::tenancy-team-a-api-limits",
        "urn:pulumi:prod::platform::platform:kubernetes:Tenancy$kubernetes:networking.k8s.io/v1:NetworkPolicy::tenancy-team-a-api-default-deny",
        "urn:pulumi:prod::platform::platform:kubernetes:Tenancy$kubernetes:core/v1:ResourceQuota::tenancy-team-a-imported-quota",
        "urn:pulumi:prod::platform::platform:kubernetes:Tenancy$kubernetes:core/v1:LimitRange::tenancy-team-a-imported-limits",
      ].sort(),
    );
    const ns = rt.one("kubernetes:core/v1:Namespace", "tenancy-team-a-web");
    expect(ns.protect).toBe(true);
    expect(ns.provider).toContain("pulumi:providers:kubernetes::tenancy-k8s");
    expect(ns.inputs.metadata).toEqual({
      name: "team-a-web",
      labels: {
        "cpaas.io/project": "team-a",
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
      },
    });
    // The imported namespace's two quotas become one `default` of each item's minimum (Alauda Container Platform docs: FAQ: why a namespace must not hold several ResourceQuotas when it is imported).
    expect(rt.one("kubernetes:core/v1:ResourceQuota", "tenancy-team-a-imported-quota").inputs).toEqual({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "default", namespace: "team-a-imported" },
      spec: {
        hard: { "limits.cpu": "2", "limits.memory": "1Gi", "requests.cpu": "1", "requests.memory": "300Mi" },
      },
    });
    expect(
      mine("tenancy")
        .filter((r) => r.custom && !r.type.startsWith("pulumi:providers"))
        .map((r) => ({ type: r.type, name: r.name, inputs: r.inputs }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ).toMatchSnapshot();
  });

  it("enforces baseline outside production and skips namespaces of other clusters", () => {
    const plan = planTenancy("t", project([{ name: "web" }, { name: "batch", cluster: "staging" }]));
    expect(plan.diagnostics).toEqual([]);
    expect(plan.namespaces.map((n) => [n.name, n.labels["pod-security.kubernetes.io/enforce"]])).toEqual([
      ["team-a-web", "baseline"],
    ]);
  });
});

describe("Tenancy refuses, before creating anything", () => {
  it("namespace quotas that exceed the project's on the cluster (quota/namespace-exceeds-project)", async () => {
    const error = await attempt(
      "over",
      project([
        { name: "web", quota: { "requests.cpu": "6" } },
        { name: "api", quota: { "requests.cpu": "4", "limits.memory": "8Gi" } },
      ]),
    );
    expect(error?.diagnostics.map((d) => d.rule)).toEqual(["quota/namespace-exceeds-project"]);
    expect(error?.message).toContain("requests.cpu 10 in total");
    expect(error?.message).toContain("team-a-web 6");
    expect(error?.message).toContain("the project's quota 8");
    expect(mine("over")).toEqual([]);
  });

  it("a namespace on a cluster the project may not use", async () => {
    const error = await attempt("elsewhere", project([{ name: "web", cluster: "dev" }]));
    expect(error?.diagnostics.map((d) => `${d.rule} ${d.path}`)).toEqual([
      "quota/namespace-exceeds-project projects[0].namespaces[0].cluster",
    ]);
    expect(error?.message).toContain(
      'on cluster "dev", where project "team-a" has no quota (its clusters: prod, staging)',
    );
  });

  it("a LimitRange whose default request exceeds its default (quota/limitrange-order)", async () => {
    const error = await attempt(
      "order",
      project([{ name: "web", limitRange: { defaultRequest: { cpu: "1" }, default: { cpu: "500m" } } }]),
    );
    expect(error?.diagnostics.map((d) => d.rule)).toEqual(["quota/limitrange-order"]);
    expect(error?.message).toContain("cpu: defaultRequest 1 > default 500m");
  });

  it("a custom quota item with a reserved name (quota/reserved-name)", async () => {
    const error = await attempt("reserved", project([{ name: "web", customQuota: { pods: "10" } }]));
    expect(error?.diagnostics.map((d) => d.rule)).toEqual(["quota/reserved-name"]);
    expect(error?.message).toContain('custom quota item "pods" is reserved');
  });

  it("a per-StorageClass quota on a class not assigned to the project (quota/storageclass-not-assigned)", async () => {
    const error = await attempt(
      "storage",
      project([
        { name: "web", customQuota: { "gold.storageclass.storage.k8s.io/requests.storage": "10Gi" } },
      ]),
    );
    expect(error?.diagnostics.map((d) => d.rule)).toEqual(["quota/storageclass-not-assigned"]);
    expect(error?.message).toContain('names StorageClass "gold", which is not assigned to project "team-a"');
  });

  it("an overcommit ratio of 1 (quota/overcommit-ratio)", async () => {
    const error = await attempt("ratio", project([{ name: "web", overcommit: { cpu: 1 } }]));
    expect(error?.diagnostics.map((d) => d.rule)).toEqual(["quota/overcommit-ratio"]);
    expect(error?.message).toContain("cpu overcommit ratio 1 is not allowed");
  });

  it("privileged pods, and baseline in production (security/pod-security)", async () => {
    const dev = await attempt("psa", project([{ name: "web", podSecurity: { enforce: "privileged" } }]));
    expect(dev?.diagnostics.map((d) => d.rule)).toEqual(["security/pod-security"]);
    expect(dev?.message).toContain('namespace "team-a-web" enforces "privileged"');
    const prod = await attempt(
      "psa-prod",
      project([{ name: "web", podSecurity: { enforce: "baseline" } }], { production: true }),
    );
    expect(prod?.message).toContain('enforces "baseline"; a production namespace enforces restricted');
  });

  it("a default-deny policy on Flannel, and a quota value that is not a quantity", async () => {
    const error = await attempt(
      "flannel",
      project([{ name: "web", defaultDenyNetworkPolicy: true, quota: { "requests.cpu": "lots" } }], {
        cni: "flannel",
      }),
    );
    expect(error?.diagnostics.map((d) => `${d.rule} ${d.path}`)).toEqual([
      "quota/namespace-exceeds-project projects[0].namespaces[0].quota",
      "spec/schema projects[0].namespaces[0].defaultDenyNetworkPolicy",
    ]);
    expect(error?.message).toContain('"lots" is not a Kubernetes quantity');
    expect(error?.message).toContain("runs Flannel, which has no NetworkPolicy");
    expect(mine("flannel")).toEqual([]);
  });
});

describe("quota arithmetic (properties)", () => {
  const cpu = fc.integer({ min: 0, max: 64_000 }).map((m) => `${m}m`);
  const mem = fc.integer({ min: 0, max: 4096 }).map((n) => `${n}Mi`);
  const quota = fc.record(
    { "requests.cpu": cpu, "limits.cpu": cpu, "requests.memory": mem, "limits.memory": mem },
    { requiredKeys: [] },
  );

  it("an imported namespace's default quota is the item-wise minimum of its quotas", () => {
    fc.assert(
      fc.property(fc.array(quota, { minLength: 1, maxLength: 4 }), (quotas) => {
        const plan = planTenancy("t", project([{ name: "imported", importedQuotas: quotas }], {}, {}));
        const hard = plan.namespaces[0]?.hard ?? {};
        const items = new Set(quotas.flatMap((q) => Object.keys(q)));
        expect(Object.keys(hard).sort()).toEqual([...items].sort());
        for (const item of items) {
          const values = quotas.flatMap((q) =>
            q[item as keyof typeof q] === undefined ? [] : [q[item as keyof typeof q] as string],
          );
          // Not above any input, and equal to one of them.
          for (const v of values) expect(compareQuantities(hard[item] as string, v)).toBeLessThanOrEqual(0);
          expect(values.some((v) => compareQuantities(hard[item] as string, v) === 0)).toBe(true);
        }
      }),
    );
  });

  it("namespaces fit the project per resource: a resource is reported exactly when its sum exceeds the project's", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 32_000 }),
        fc.integer({ min: 1, max: 2048 }),
        fc.array(
          fc.record({ cpu: fc.integer({ min: 1, max: 16_000 }), mem: fc.integer({ min: 1, max: 1024 }) }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (projectCpu, projectMem, namespaces) => {
          const plan = planTenancy(
            "t",
            project(
              namespaces.map((n, i) => ({
                name: `ns${i}`,
                quota: { "requests.cpu": `${n.cpu}m`, "requests.memory": `${n.mem}Mi` },
              })),
              {},
              { "requests.cpu": `${projectCpu}m`, "requests.memory": `${projectMem}Mi` },
            ),
          );
          const exceeded = plan.diagnostics
            .filter((d) => d.rule === "quota/namespace-exceeds-project")
            .map((d) => (d.message.includes("requests.cpu") ? "cpu" : "memory"));
          const sumCpu = namespaces.reduce((s, n) => s + n.cpu, 0);
          const sumMem = namespaces.reduce((s, n) => s + n.mem, 0);
          expect(exceeded.includes("cpu")).toBe(sumCpu > projectCpu);
          expect(exceeded.includes("memory")).toBe(sumMem > projectMem);
        },
      ),
    );
  });
});
