/**
 * The shipped self-managed environment (selfmanaged-dev) and broken variants of it: each of the
 * self-provisioned rules fires at the spec path to edit, in the spec check (`make plan`) and in
 * the Platform's pre-flight of its children alike.
 */
import { validatePlatformChildren } from "@kubeplat/components";
import { checkEnvironment, type EnvironmentInput, parseEnvironment } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";
import { ENVIRONMENT_KEY, readStackSettings } from "../../../stacks/offline/stackConfig";

const shippedOf = (env: string) => readStackSettings(env).config[ENVIRONMENT_KEY] as EnvironmentInput;

function judge(mutate: (spec: EnvironmentInput) => void, env = "selfmanaged-dev") {
  const spec = structuredClone(shippedOf(env));
  mutate(spec);
  const parsed = parseEnvironment(spec, env);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  const check = checkEnvironment(parsed.env, { today: "2026-11-28" });
  const mandatory = (ds: { rule: string; path: string; severity: string }[]) =>
    ds.filter((d) => d.severity === "mandatory").map((d) => [d.rule, d.path]);
  return {
    plan: check.plan,
    spec: mandatory(check.diagnostics),
    children: mandatory(validatePlatformChildren(env, parsed.env, check.plan)),
  };
}

const sm = (spec: EnvironmentInput) => {
  const c = spec.clusters?.[0];
  if (!c?.selfManaged) throw new Error("selfmanaged-dev has no self-managed cluster");
  return c.selfManaged;
};

describe("selfmanaged-dev", () => {
  it("is clean as shipped: three control-plane nodes, one per zone, and the VIP beside the first", () => {
    const r = judge(() => {});
    expect(r.spec).toEqual([]);
    expect(r.children).toEqual([]);
    const plan = r.plan.clusters[0]?.selfManaged;
    expect(plan?.apiVip).toBe("10.48.7.251");
    expect(plan?.controlPlaneNodes.map((n) => [n.zone, n.ip])).toEqual([
      ["eu-central-1a", "10.48.7.250"],
      ["eu-central-1b", "10.48.23.250"],
      ["eu-central-1c", "10.48.39.250"],
    ]);
  });

  it("two control-plane nodes: cluster/control-plane-count", () => {
    const r = judge((s) => {
      sm(s).controlPlane = { count: 2 };
    });
    const at = ["cluster/control-plane-count", "clusters[0].selfManaged.controlPlane.count"];
    expect(r.spec).toEqual([at]);
    expect(r.children).toEqual([at]);
  });

  it("a VIP outside the control-plane subnet, or on a node: cidr/api-vip", () => {
    for (const vip of ["10.48.16.9", "10.48.23.250", "10.48.7.250"]) {
      const r = judge((s) => {
        sm(s).apiVip = vip;
      });
      expect(r.spec.length, vip).toBeGreaterThan(0);
      for (const d of [...r.spec, ...r.children])
        expect(d, vip).toEqual(["cidr/api-vip", "clusters[0].selfManaged.apiVip"]);
      expect(r.children.length, vip).toBeGreaterThan(0);
    }
  });

  it("a join CIDR over the pod or the service CIDR: cidr/kubeovn-join-overlap", () => {
    for (const join of ["172.16.0.0/16", "172.17.0.0/24"]) {
      const r = judge((s) => {
        sm(s).joinCidr = join;
      });
      const at = ["cidr/kubeovn-join-overlap", "clusters[0].selfManaged.joinCidr"];
      expect(r.spec, join).toEqual([at]);
      expect(r.children, join).toEqual([at]);
    }
  });
});

describe("selfmanaged-dev pool fields a worker group does not build are refused, never dropped", () => {
  const pool = (s: EnvironmentInput) => {
    const p = s.clusters?.[0]?.nodePools?.[0];
    if (!p) throw new Error("selfmanaged-dev has no pool");
    return p;
  };
  const cases: [string, (p: ReturnType<typeof pool>) => void][] = [
    ["autoscaling", (p) => Object.assign(p, { autoscaling: true })],
    ["dataDisks", (p) => Object.assign(p, { dataDisks: [{ sizeGiB: 100 }] })],
    ["securityGroups", (p) => Object.assign(p, { securityGroups: ["sg-1"] })],
    ["loginKeyPair", (p) => Object.assign(p, { loginKeyPair: "ops" })],
    ["maxPods", (p) => Object.assign(p, { maxPods: 64 })],
    ["gpu", (p) => Object.assign(p, { gpu: {} })],
    ["kubernetesVersion", (p) => Object.assign(p, { kubernetesVersion: "v1.36.4" })],
    ["update", (p) => Object.assign(p, { update: { maxUnavailable: 1 } })],
    ["runtime", (p) => Object.assign(p, { runtime: "docker" })],
  ];
  for (const [field, mutate] of cases) {
    it(`${field}: refused at its spec path`, () => {
      const r = judge((s) => mutate(pool(s)));
      expect(r.spec.map(([, path]) => path)).toContain(`clusters[0].nodePools[0].${field}`);
    });
  }

  it("capacity mixed, several instance types and a disk key are built (an auto scaling group mixes them)", () => {
    const r = judge((s) =>
      Object.assign(pool(s), {
        instanceTypes: ["m7i.large", "m6i.large"],
        capacity: { type: "mixed", onDemandBase: 1, onDemandPercentage: 50 },
      }),
    );
    expect(r.spec).toEqual([]);
    expect(r.children).toEqual([]);
  });
});

describe("selfmanaged-ali-dev (ECS, an intranet NLB, ESS)", () => {
  const ali = (mutate: (spec: EnvironmentInput) => void) => judge(mutate, "selfmanaged-ali-dev");

  it("is clean as shipped: a node per zone, the VIP beside the first, an NLB address in each other zone", () => {
    const r = ali(() => {});
    expect(r.spec).toEqual([]);
    expect(r.children).toEqual([]);
    const plan = r.plan.clusters[0]?.selfManaged;
    expect(plan?.apiVip).toBe("10.48.3.251");
    expect(plan?.controlPlaneNodes.map((n) => [n.zone, n.ip])).toEqual([
      ["cn-hangzhou-i", "10.48.3.250"],
      ["cn-hangzhou-j", "10.48.19.250"],
      ["cn-hangzhou-k", "10.48.35.250"],
    ]);
    expect(plan?.apiZoneAddresses?.map((a) => [a.zone, a.ip])).toEqual([
      ["cn-hangzhou-j", "10.48.19.251"],
      ["cn-hangzhou-k", "10.48.35.251"],
    ]);
  });

  it("two control-plane nodes: cluster/control-plane-count", () => {
    const r = ali((s) => {
      sm(s).controlPlane = { count: 2 };
    });
    const at = ["cluster/control-plane-count", "clusters[0].selfManaged.controlPlane.count"];
    expect(r.spec).toEqual([at]);
    expect(r.children).toEqual([at]);
  });

  it("a VIP outside the control-plane vSwitch, or on a node: cidr/api-vip", () => {
    for (const vip of ["10.48.16.9", "10.48.19.250", "10.48.3.250"]) {
      const r = ali((s) => {
        sm(s).apiVip = vip;
      });
      expect(r.spec.length, vip).toBeGreaterThan(0);
      expect(r.children.length, vip).toBeGreaterThan(0);
      for (const d of [...r.spec, ...r.children])
        expect(d, vip).toEqual(["cidr/api-vip", "clusters[0].selfManaged.apiVip"]);
    }
  });

  it("a join CIDR over the pod or the service CIDR: cidr/kubeovn-join-overlap", () => {
    for (const join of ["172.16.0.0/16", "172.17.0.0/24"]) {
      const r = ali((s) => {
        sm(s).joinCidr = join;
      });
      const at = ["cidr/kubeovn-join-overlap", "clusters[0].selfManaged.joinCidr"];
      expect(r.spec, join).toEqual([at]);
      expect(r.children, join).toEqual([at]);
    }
  });

  it("one zone: refused, the API NLB spans at least two", () => {
    const r = ali((s) => {
      s.zones = ["cn-hangzhou-i"];
    });
    expect(r.spec).toContainEqual(["spec/schema", "zones"]);
  });

  it("a spot or mixed pool over several instance types and an ESSD performance level are built", () => {
    const r = ali((s) => {
      const p = s.clusters?.[0]?.nodePools?.[0];
      if (!p) throw new Error("no pool");
      Object.assign(p, {
        capacity: { type: "mixed", onDemandBase: 1, onDemandPercentage: 50 },
        systemDisk: { category: "cloud_essd", sizeGiB: 120, performanceLevel: "PL1" },
      });
    });
    expect(r.spec).toEqual([]);
    expect(r.children).toEqual([]);
  });
});
