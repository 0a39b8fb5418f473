/**
 * Values not yet known during a preview never produce a violation and never hide a known one.
 * Property: replacing any set of known leaves of a stack by the unknown sentinel yields no
 * (rule, resource) diagnostic the fully known stack does not have.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EvaluatedResource } from "../../policy/evaluate";
import { packConfig } from "../../policy/policies";
import { of, run, Stack, T, UNKNOWN } from "./stack";

const PROJECT = "cpaas.io/project";

/** A production stack breaking rules of every family, plus compliant resources around them. */
function everything(): Stack {
  const s = new Stack("prod");
  const vpc = s.vpc("main", "10.0.0.0/16", { secondaryCidrBlocks: ["10.1.0.0/16"] });
  const a = s.vswitch("node-a", "10.0.0.0/20", "cn-hangzhou-i", vpc);
  const b = s.vswitch("node-b", "10.0.16.0/20", "cn-hangzhou-j", vpc);
  s.vswitch("dup", "10.0.8.0/24", "cn-hangzhou-i", vpc);
  s.vswitch("second", "10.1.0.0/24", "cn-hangzhou-j", vpc);
  s.vswitch("stray", "10.9.0.0/24", "cn-hangzhou-j", vpc);
  const pod = s.vswitch("pod-a", "10.0.64.0/24", "cn-hangzhou-i", vpc);
  const flannel = s.ack(
    "flannel",
    {
      podCidr: "10.0.128.0/17",
      serviceCidr: "172.21.0.0/20",
      nodeCidrMask: 26,
      addons: [{ name: "flannel" }],
      tags: { env: "prod" },
    },
    [a, b],
    [],
    { protect: true },
  );
  const terway = s.ack(
    "terway",
    {
      name: "terway_std",
      serviceCidr: "172.21.0.0/20",
      clusterSpec: "ack.standard",
      addons: [{ name: "terway-eniip" }],
      deletionProtection: true,
    },
    [a, b],
    [pod],
  );
  s.pool(
    "big",
    flannel,
    {
      scalingConfig: { enable: true, minSize: 1, maxSize: 60 },
      instanceTypes: ["ecs.g7.xlarge"],
      imageType: "AliyunLinux3",
      keyName: "ops",
    },
    [a, b],
  );
  s.pool(
    "cos",
    terway,
    {
      desiredSize: "120",
      imageType: "ContainerOS",
      runtimeName: "docker",
      password: "weak",
      securityGroupIds: ["sg-1", "sg-2", "sg-3", "sg-4", "sg-5", "sg-6"],
    },
    [a],
  );
  s.add(T.slb, "api", { loadBalancerName: "api", addressType: "internet", deleteProtection: "off" });
  s.add(T.eks, "eks", {
    name: "eks",
    vpcConfig: { subnetIds: ["subnet-1"], publicAccessCidrs: ["0.0.0.0/0"] },
  });
  const ns = s.namespace("team", { [PROJECT]: "alpha", "pod-security.kubernetes.io/enforce": "privileged" });
  s.quota(ns, "default", { "requests.cpu": "8", "bad name!": "1" });
  s.quota(ns, "extra", { pods: "10" });
  s.limitRange(ns, "default", [{ type: "Container", defaultRequest: { cpu: "2" }, default: { cpu: "1" } }]);
  s.add(T.crb, "admins", {
    roleRef: { kind: "ClusterRole", name: "cluster-admin" },
    subjects: [{ kind: "User", name: "alice" }],
  });
  s.add(T.service, "web", { metadata: { name: "web", namespace: "shop" }, spec: { type: "LoadBalancer" } });
  s.add(T.release, "nginx", { chart: "ingress-nginx", values: { controller: { replicaCount: 1 } } });
  return s;
}

const config = packConfig({
  connectedRanges: [{ name: "idc", cidr: "10.0.32.0/24", kind: "leased-line" }],
  projects: [{ name: "alpha", quota: { "requests.cpu": "4" } }],
  instanceTypes: { "ecs.g7.xlarge": { vcpu: 4, memoryGiB: 16 } },
  budget: { nodes: 100 },
});

type Leaf = { resource: number; path: (string | number)[] };

function leaves(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (v !== null && typeof v === "object") {
    return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, Array.isArray(v) ? Number(k) : k]));
  }
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? [path] : [];
}

function withUnknowns(resources: EvaluatedResource[], picked: Leaf[]): EvaluatedResource[] {
  const copy = resources.map((r) => ({ ...r, props: structuredClone(r.props) }));
  for (const { resource, path } of picked) {
    let o = copy[resource]?.props as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
    o[path[path.length - 1] as string | number] = UNKNOWN;
  }
  return copy;
}

const key = (d: { rule: string; resource: string }) => `${d.rule} ${d.resource}`;

describe("unknown values during a preview", () => {
  const base = everything();
  const known = run(base, { config });

  it("the fully known stack breaks rules of every family", () => {
    const families = new Set(known.map((d) => d.rule.split("/")[0]));
    expect([...families].sort()).toEqual([
      "addon",
      "cidr",
      "cluster",
      "ingress",
      "lb",
      "node",
      "quota",
      "security",
    ]);
    expect(known.length).toBeGreaterThan(30);
  });

  it("never produce a violation the known values do not", () => {
    const all: Leaf[] = base.resources.flatMap((r, i) =>
      leaves(r.props).map((path) => ({ resource: i, path })),
    );
    const allowed = new Set(known.map(key));
    fc.assert(
      fc.property(fc.subarray(all, { minLength: 1 }), (picked) => {
        const s = new Stack("prod");
        s.resources.push(...withUnknowns(base.resources, picked));
        const extra = run(s, { config }).filter((d) => !allowed.has(key(d)));
        expect(extra).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it("every leaf unknown at once: no violation at all but those the stack's shape proves", () => {
    const all: Leaf[] = base.resources.flatMap((r, i) =>
      leaves(r.props).map((path) => ({ resource: i, path })),
    );
    const s = new Stack("prod");
    s.resources.push(...withUnknowns(base.resources, all));
    const allowed = new Set(known.map(key));
    expect(run(s, { config }).filter((d) => !allowed.has(key(d)))).toEqual([]);
  });

  it("an unknown value does not hide a known violation elsewhere", () => {
    const s = new Stack("dev");
    const vpc = s.vpc("main", "10.0.0.0/16");
    s.vswitch("a", "10.0.0.0/20", "z1", vpc);
    s.vswitch("b", "10.0.8.0/24", "z1", vpc);
    s.vswitch("c", UNKNOWN, "z1", vpc); // its range is not known yet
    s.add(T.vsw, "d", { cidrBlock: "10.0.9.0/24", vpcId: UNKNOWN, zoneId: "z1" }); // its VPC is not known yet
    const ds = run(s);
    expect(of(ds, "cidr/vswitch-overlap").map((d) => d.message)).toEqual([
      "vSwitch b 10.0.8.0/24 overlaps vSwitch a 10.0.0.0/20 in vpc main",
    ]);
    // Sums over partly unknown pools still report a known excess.
    const q = new Stack("dev");
    const c = q.ack("std", { clusterSpec: "ack.standard" });
    q.pool("known", c, { desiredSize: "150" });
    q.pool("unknown", c, { desiredSize: UNKNOWN });
    expect(of(run(q), "quota/cluster-nodes").map((d) => d.message)).toEqual([
      expect.stringContaining(
        'cluster "std" (standard) plans up to 150 nodes (node pool max sizes: known 150)',
      ),
    ]);
  });
});
