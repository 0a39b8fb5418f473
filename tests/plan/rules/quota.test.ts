import {
  type ClusterQuotaFacts,
  checkAutoscalerInstanceTypes,
  checkAutoscalingVcpu,
  checkClusterNodes,
  checkEips,
  checkEnvironmentBudget,
  checkFlannelRouteEntries,
  checkLimitRangeOrder,
  checkLoadBalancers,
  checkNamespaceExceedsProject,
  checkNodePoolSecurityGroups,
  checkNodePoolsPerCluster,
  checkNodesPerPool,
  checkOvercommitRatio,
  checkQuotas,
  checkReservedName,
  checkScaleStep,
  checkSingleDefault,
  checkStorageClassNotAssigned,
  type Diagnostic,
  type NamespaceQuotaFacts,
  type NodePoolQuotaFacts,
  QUOTA_DEFAULTS,
  type QuotaFacts,
  qualifiedNameProblem,
  quotaRules,
  RESERVED_QUOTA_ITEMS,
  RULES,
  storageClassOfQuotaItem,
} from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

// ---------------------------------------------------------------------------------------------
// Builders

function pool(name: string, o: Partial<NodePoolQuotaFacts> = {}, ci = 0, pi = 0): NodePoolQuotaFacts {
  return { resource: name, path: `clusters[${ci}].nodePools[${pi}]`, name, ...o };
}

function cluster(
  name: string,
  pools: Partial<NodePoolQuotaFacts>[],
  o: Partial<ClusterQuotaFacts> = {},
  ci = 0,
) {
  return {
    resource: name,
    path: `clusters[${ci}]`,
    name,
    nodePools: pools.map((p, i) => pool(p.name ?? `${name}-p${i}`, p, ci, i)),
    ...o,
  } satisfies ClusterQuotaFacts;
}

function ns(name: string, o: Partial<NamespaceQuotaFacts> = {}): NamespaceQuotaFacts {
  return { resource: name, path: `namespaces.${name}`, name, ...o };
}

function refs(prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({ resource: `${prefix}-${i}`, path: `${prefix}[${i}]` }));
}

/** The single diagnostic of `ds`, checked to carry `rule`. */
function one(ds: Diagnostic[], rule: string): Diagnostic {
  expect(ds, JSON.stringify(ds, null, 2)).toHaveLength(1);
  const d = ds[0] as Diagnostic;
  expect(d.rule).toBe(rule);
  expect(d.severity).toBe("mandatory");
  return d;
}

// ---------------------------------------------------------------------------------------------

describe("catalogue", () => {
  it("maps every quota/* id of RULES.md, and only those, to a rule", () => {
    const ids = Object.keys(RULES).filter((id) => id.startsWith("quota/"));
    expect(Object.keys(quotaRules).sort()).toEqual(ids.sort());
  });

  it("checkQuotas runs every rule and nothing fires on empty facts", () => {
    expect(checkQuotas({})).toEqual([]);
    const facts: QuotaFacts = {
      clusters: [cluster("prod", [{ maxSize: 1001 }])],
      namespaces: [ns("a", { overcommit: { cpu: 1 } })],
    };
    expect(checkQuotas(facts).map((d) => d.rule)).toEqual([
      "quota/cluster-nodes",
      "quota/nodes-per-pool",
      "quota/overcommit-ratio",
    ]);
  });

  it("documents the defaults of RULES.md", () => {
    expect(QUOTA_DEFAULTS).toMatchObject({
      clusterNodes: 1000,
      clusterNodesCeiling: 5000,
      clusterNodesStandard: 100,
      nodePoolsPerCluster: 20,
      nodesPerPool: 1000,
      scaleStep: 500,
      routeEntries: 48,
      loadBalancers: 60,
      listenersPerLoadBalancer: 50,
      backendsPerLoadBalancer: 200,
      eips: 20,
      securityGroups: 100,
      nodePoolSecurityGroups: 5,
      autoscalerInstanceTypes: 10,
      autoscalingVcpu: 50,
    });
  });
});

describe("quota/cluster-nodes", () => {
  const big = (o: Partial<ClusterQuotaFacts> = {}) =>
    cluster(
      "prod",
      [
        { name: "a", maxSize: 600 },
        { name: "b", maxSize: 500 },
      ],
      { edition: "pro", ...o },
    );

  it("reports a Pro cluster above 1,000 nodes, naming the pools", () => {
    const d = one(checkClusterNodes({ clusters: [big()] }), "quota/cluster-nodes");
    expect(d.resource).toBe("prod");
    expect(d.path).toBe("clusters[0].nodePools");
    expect(d.message).toContain('cluster "prod" (pro) plans up to 1100 nodes');
    expect(d.message).toContain("a 600, b 500");
    expect(d.message).toContain("default quota 1000");
  });

  it("accepts exactly 1,000 nodes", () => {
    expect(checkClusterNodes({ clusters: [cluster("prod", [{ maxSize: 500 }, { maxSize: 500 }])] })).toEqual(
      [],
    );
  });

  it("a raised quota changes the outcome, up to the 5,000 ceiling", () => {
    expect(checkClusterNodes({ quotas: { clusterNodes: 2000 }, clusters: [big()] })).toEqual([]);
    const over = cluster("prod", [
      { maxSize: 1000 },
      { maxSize: 1000 },
      { maxSize: 1000 },
      { maxSize: 1000 },
      { maxSize: 1000 },
      { maxSize: 500 },
    ]);
    const d = one(
      checkClusterNodes({ quotas: { clusterNodes: 6000 }, clusters: [over] }),
      "quota/cluster-nodes",
    );
    expect(d.message).toContain("5500 nodes");
    expect(d.message).toContain("ACK Pro ceiling 5000 (quotas.clusterNodes 6000 cannot be granted)");
  });

  it("holds a standard cluster to 100 nodes whatever is declared", () => {
    const std = cluster("dev", [{ maxSize: 101 }], { edition: "standard" });
    const d = one(
      checkClusterNodes({ quotas: { clusterNodes: 2000 }, clusters: [std] }),
      "quota/cluster-nodes",
    );
    expect(d.message).toContain('cluster "dev" (standard) plans up to 101 nodes');
    expect(d.message).toContain("standard cluster limit 100");
    expect(
      checkClusterNodes({ clusters: [cluster("dev", [{ maxSize: 100 }], { edition: "standard" })] }),
    ).toEqual([]);
  });

  it("gives a cluster of unknown edition the larger limit", () => {
    expect(checkClusterNodes({ clusters: [cluster("x", [{ maxSize: 500 }])] })).toEqual([]);
    one(
      checkClusterNodes({ clusters: [cluster("x", [{ maxSize: 700 }, { maxSize: 301 }])] }),
      "quota/cluster-nodes",
    );
  });

  it("counts a pool's desired size when its max size is unknown, and an unknown pool hides nothing", () => {
    const c = cluster("prod", [{ maxSize: 900 }, { desiredSize: 200 }, {}]);
    const d = one(checkClusterNodes({ clusters: [c] }), "quota/cluster-nodes");
    expect(d.message).toContain("1100 nodes");
  });

  it("on AWS applies only a declared quota", () => {
    const c = cluster("eks", [{ maxSize: 3000 }]);
    expect(checkClusterNodes({ cloud: "aws", clusters: [c] })).toEqual([]);
    const d = one(
      checkClusterNodes({ cloud: "aws", quotas: { clusterNodes: 2500 }, clusters: [c] }),
      "quota/cluster-nodes",
    );
    expect(d.message).toContain("declared quota 2500 (quotas.clusterNodes)");
  });
});

describe("quota/node-pools-per-cluster", () => {
  const many = (n: number) =>
    cluster(
      "prod",
      Array.from({ length: n }, (_, i) => ({ name: `p${i}`, maxSize: 1 })),
    );

  it("reports a 21st node pool", () => {
    const d = one(checkNodePoolsPerCluster({ clusters: [many(21)] }), "quota/node-pools-per-cluster");
    expect(d.path).toBe("clusters[0].nodePools");
    expect(d.message).toContain('cluster "prod" has 21 node pools (p0, p1');
    expect(d.message).toContain("default quota 20");
  });

  it("accepts 20, or more once raised", () => {
    expect(checkNodePoolsPerCluster({ clusters: [many(20)] })).toEqual([]);
    expect(checkNodePoolsPerCluster({ quotas: { nodePoolsPerCluster: 30 }, clusters: [many(21)] })).toEqual(
      [],
    );
  });
});

describe("quota/nodes-per-pool", () => {
  it("reports a pool above 1,000 nodes at its maxSize", () => {
    const d = one(
      checkNodesPerPool({ clusters: [cluster("prod", [{ name: "big", maxSize: 1001 }])] }),
      "quota/nodes-per-pool",
    );
    expect(d.resource).toBe("big");
    expect(d.path).toBe("clusters[0].nodePools[0].maxSize");
    expect(d.message).toBe(
      'node pool "big" of cluster "prod": maxSize 1001 > default quota 1000 (declare quotas.nodesPerPool after raising it)',
    );
  });

  it("reports at desiredSize when only that is known, and at a raw resource's own path", () => {
    const p = {
      resource: "urn:pool",
      path: "",
      paths: { desiredSize: "scalingConfig.desiredSize" },
      desiredSize: 1200,
    };
    const d = one(
      checkNodesPerPool({ clusters: [{ resource: "c", path: "", nodePools: [p] }] }),
      "quota/nodes-per-pool",
    );
    expect(d.path).toBe("scalingConfig.desiredSize");
    expect(d.message).toContain("desiredSize 1200 > default quota 1000");
  });

  it("accepts 1,000, or more once raised", () => {
    expect(checkNodesPerPool({ clusters: [cluster("prod", [{ maxSize: 1000 }])] })).toEqual([]);
    expect(
      checkNodesPerPool({ quotas: { nodesPerPool: 2000 }, clusters: [cluster("prod", [{ maxSize: 1500 }])] }),
    ).toEqual([]);
  });
});

describe("quota/scale-step", () => {
  const fixed = (o: Partial<NodePoolQuotaFacts>) => ({
    clusters: [cluster("prod", [{ name: "w", autoscaling: false, ...o }])],
  });

  it("counts a new pool from 0", () => {
    const d = one(checkScaleStep(fixed({ desiredSize: 501 })), "quota/scale-step");
    expect(d.path).toBe("clusters[0].nodePools[0].desiredSize");
    expect(d.message).toContain(
      "desiredSize goes from 0 (a new pool) to 501, +501 nodes in one change > default quota 500",
    );
  });

  it("measures the step from a known previous size", () => {
    expect(checkScaleStep(fixed({ desiredSize: 600, previousDesiredSize: 100 }))).toEqual([]);
    const d = one(checkScaleStep(fixed({ desiredSize: 601, previousDesiredSize: 100 })), "quota/scale-step");
    expect(d.message).toContain("from 100 to 601, +501");
    expect(checkScaleStep(fixed({ desiredSize: 10, previousDesiredSize: 900 }))).toEqual([]);
  });

  it("accepts 500, a raised step, and skips autoscaling or unknown pools", () => {
    expect(checkScaleStep(fixed({ desiredSize: 500 }))).toEqual([]);
    expect(checkScaleStep({ ...fixed({ desiredSize: 900 }), quotas: { scaleStep: 1000 } })).toEqual([]);
    expect(checkScaleStep(fixed({ desiredSize: 900, autoscaling: true }))).toEqual([]);
    expect(checkScaleStep(fixed({ desiredSize: 900, autoscaling: undefined }))).toEqual([]);
    expect(checkScaleStep(fixed({ desiredSize: undefined }))).toEqual([]);
  });
});

describe("quota/flannel-route-entries", () => {
  it("reports a Flannel cluster above 48 nodes", () => {
    const c = cluster("prod", [{ maxSize: 49 }], { cni: "flannel", vpc: "v" });
    const d = one(checkFlannelRouteEntries({ clusters: [c] }), "quota/flannel-route-entries");
    expect(d.path).toBe("clusters[0].nodePools");
    expect(d.message).toContain('Flannel cluster "prod" plans up to 49 nodes');
    expect(d.message).toContain("default quota 48");
  });

  it("accepts 48 nodes, Terway clusters and a raised quota", () => {
    expect(
      checkFlannelRouteEntries({ clusters: [cluster("a", [{ maxSize: 48 }], { cni: "flannel" })] }),
    ).toEqual([]);
    expect(
      checkFlannelRouteEntries({ clusters: [cluster("a", [{ maxSize: 200 }], { cni: "terway" })] }),
    ).toEqual([]);
    expect(
      checkFlannelRouteEntries({
        quotas: { routeEntries: 200 },
        clusters: [cluster("a", [{ maxSize: 200 }], { cni: "flannel" })],
      }),
    ).toEqual([]);
  });

  it("adds up the Flannel clusters of one VPC and reports each of them", () => {
    const a = cluster("a", [{ maxSize: 30 }], { cni: "flannel", vpc: "v" }, 0);
    const b = cluster("b", [{ maxSize: 30 }], { cni: "flannel", vpc: "v" }, 1);
    const ds = checkFlannelRouteEntries({ clusters: [a, b] });
    expect(ds.map((d) => [d.rule, d.resource, d.path])).toEqual([
      ["quota/flannel-route-entries", "a", "clusters[0].nodePools"],
      ["quota/flannel-route-entries", "b", "clusters[1].nodePools"],
    ]);
    expect(ds[0]?.message).toContain('shares VPC "v"\'s route table');
    expect(ds[0]?.message).toContain("60 nodes in all (a 30, b 30)");
    // In different VPCs, or of unknown VPC, each counts alone.
    expect(checkFlannelRouteEntries({ clusters: [a, { ...b, vpc: "w" }] })).toEqual([]);
    expect(checkFlannelRouteEntries({ clusters: [a, { ...b, vpc: undefined }] })).toEqual([]);
  });
});

describe("quota/load-balancers", () => {
  const lbs = (n: number) => refs("lb", n);

  it("reports more than 60 load balancers at the quota", () => {
    const d = one(
      checkLoadBalancers({ scope: { resource: "prod", path: "" }, loadBalancers: lbs(61) }),
      "quota/load-balancers",
    );
    expect(d.resource).toBe("prod");
    expect(d.path).toBe("quotas.loadBalancers");
    expect(d.message).toContain("61 load balancers (lb-0, lb-1");
    expect(d.message).toContain("default quota 60");
  });

  it("reports listeners above 50 and backends above 200 per load balancer", () => {
    const ds = checkLoadBalancers({
      loadBalancers: [{ resource: "ingress", path: "lb", listeners: 51, backends: 201 }],
    });
    expect(ds.map((d) => [d.rule, d.path])).toEqual([
      ["quota/load-balancers", "lb.listeners"],
      ["quota/load-balancers", "lb.backends"],
    ]);
    expect(ds[0]?.message).toBe(
      'load balancer "ingress" has 51 listeners > default quota 50 (declare quotas.listenersPerLoadBalancer after raising it)',
    );
    expect(ds[1]?.message).toContain("201 backend servers > default quota 200");
  });

  it("accepts the limits, raised quotas and unknown counts", () => {
    expect(
      checkLoadBalancers({
        loadBalancers: [...lbs(59), { resource: "x", path: "", listeners: 50, backends: 200 }],
      }),
    ).toEqual([]);
    expect(
      checkLoadBalancers({
        quotas: { loadBalancers: 100, listenersPerLoadBalancer: 60, backendsPerLoadBalancer: 300 },
        loadBalancers: [...lbs(80), { resource: "x", path: "", listeners: 55, backends: 250 }],
      }),
    ).toEqual([]);
    expect(checkLoadBalancers({ loadBalancers: [{ resource: "x", path: "" }] })).toEqual([]);
  });

  it("counts a load balancer listed twice once", () => {
    expect(checkLoadBalancers({ loadBalancers: [...lbs(60), ...lbs(60)] })).toEqual([]);
  });
});

describe("quota/eips", () => {
  it("reports more than 20 EIPs and more than 100 security groups", () => {
    const ds = checkEips({ eips: refs("eip", 21), securityGroups: refs("sg", 101) });
    expect(ds.map((d) => [d.rule, d.path])).toEqual([
      ["quota/eips", "quotas.eips"],
      ["quota/eips", "quotas.securityGroups"],
    ]);
    expect(ds[0]?.message).toContain("21 EIPs (eip-0");
    expect(ds[0]?.message).toContain("default quota 20");
    expect(ds[1]?.message).toContain("101 security groups");
    expect(ds[1]?.message).toContain("default quota 100");
  });

  it("accepts the defaults, raised quotas, and AWS without declared quotas", () => {
    expect(checkEips({ eips: refs("eip", 20), securityGroups: refs("sg", 100) })).toEqual([]);
    expect(
      checkEips({
        quotas: { eips: 30, securityGroups: 200 },
        eips: refs("eip", 25),
        securityGroups: refs("sg", 150),
      }),
    ).toEqual([]);
    expect(checkEips({ cloud: "aws", eips: refs("eip", 25) })).toEqual([]);
  });
});

describe("quota/node-pool-security-groups", () => {
  const withGroups = (groups: NodePoolQuotaFacts["securityGroups"]) => ({
    clusters: [cluster("prod", [{ name: "w", securityGroups: groups }])],
  });

  it("reports more than 5 security groups", () => {
    const ids = Array.from({ length: 6 }, (_, i) => ({ id: `sg-${i}` }));
    const d = one(checkNodePoolSecurityGroups(withGroups(ids)), "quota/node-pool-security-groups");
    expect(d.path).toBe("clusters[0].nodePools[0].securityGroups");
    expect(d.message).toContain(
      'node pool "w" of cluster "prod" uses 6 security groups (sg-0, sg-1, sg-2, sg-3, sg-4, sg-5) > the limit 5',
    );
  });

  it("reports normal and enterprise groups mixed", () => {
    const d = one(
      checkNodePoolSecurityGroups(
        withGroups([
          { id: "sg-n", type: "normal" },
          { id: "sg-e", type: "enterprise" },
        ]),
      ),
      "quota/node-pool-security-groups",
    );
    expect(d.message).toContain(
      "mixes normal and enterprise security groups (normal: sg-n; enterprise: sg-e)",
    );
  });

  it("accepts 5 groups of one type, and unknown types", () => {
    const five = Array.from({ length: 5 }, (_, i) => ({ id: `sg-${i}`, type: "enterprise" as const }));
    expect(checkNodePoolSecurityGroups(withGroups(five))).toEqual([]);
    expect(checkNodePoolSecurityGroups(withGroups([{ id: "a", type: "normal" }, { id: "b" }]))).toEqual([]);
  });
});

describe("quota/autoscaler-instance-types", () => {
  const types = (n: number) => Array.from({ length: n }, (_, i) => `ecs.g7.${i}xlarge`);

  it("reports an autoscaling pool with 11 instance types", () => {
    const c = cluster("prod", [{ name: "as", autoscaling: true, instanceTypes: types(11) }]);
    const d = one(checkAutoscalerInstanceTypes({ clusters: [c] }), "quota/autoscaler-instance-types");
    expect(d.path).toBe("clusters[0].nodePools[0].instanceTypes");
    expect(d.message).toContain(
      'autoscaling node pool "as" of cluster "prod" lists 11 instance types (ecs.g7.0xlarge',
    );
    expect(d.message).toContain("> the limit 10");
  });

  it("accepts 10 types, and fixed or unknown pools", () => {
    expect(
      checkAutoscalerInstanceTypes({
        clusters: [cluster("p", [{ autoscaling: true, instanceTypes: types(10) }])],
      }),
    ).toEqual([]);
    expect(
      checkAutoscalerInstanceTypes({
        clusters: [cluster("p", [{ autoscaling: false, instanceTypes: types(11) }])],
      }),
    ).toEqual([]);
    expect(
      checkAutoscalerInstanceTypes({ clusters: [cluster("p", [{ instanceTypes: types(11) }])] }),
    ).toEqual([]);
  });
});

describe("quota/autoscaling-vcpu", () => {
  const pools = [
    { name: "a", autoscaling: true, maxSize: 10, vcpu: 4 },
    { name: "b", autoscaling: true, maxSize: 3, vcpu: 4 },
    { name: "fixed", autoscaling: false, maxSize: 100, vcpu: 64 },
  ];

  it("reports autoscaling pools above the 50 vCPU default, naming each term", () => {
    const d = one(
      checkAutoscalingVcpu({ scope: { resource: "prod", path: "" }, clusters: [cluster("prod", pools)] }),
      "quota/autoscaling-vcpu",
    );
    expect(d.resource).toBe("prod");
    expect(d.path).toBe("quotas.autoscalingVcpu");
    expect(d.message).toContain("can reach 52 vCPUs (max size × vCPU: a 10 × 4, b 3 × 4)");
    expect(d.message).toContain("vCPU default quota 50");
  });

  it("a raised quota accepts them; an unknown vCPU count hides no known term", () => {
    expect(
      checkAutoscalingVcpu({ quotas: { autoscalingVcpu: 52 }, clusters: [cluster("prod", pools)] }),
    ).toEqual([]);
    const partly = [...pools, { name: "c", autoscaling: true, maxSize: 50 }];
    one(checkAutoscalingVcpu({ clusters: [cluster("prod", partly)] }), "quota/autoscaling-vcpu");
    expect(checkAutoscalingVcpu({ clusters: [cluster("prod", pools.slice(0, 1))] })).toEqual([]);
  });

  it("agrees with the arithmetic: a violation iff Σ max × vCPU > quota", () => {
    const p = fc.record({
      maxSize: fc.integer({ min: 0, max: 40 }),
      vcpu: fc.integer({ min: 1, max: 16 }),
      autoscaling: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(p, { maxLength: 6 }),
        fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
        (ps, declared) => {
          const total = ps.filter((x) => x.autoscaling).reduce((s, x) => s + x.maxSize * x.vcpu, 0);
          const ds = checkAutoscalingVcpu({
            quotas: { autoscalingVcpu: declared },
            clusters: [cluster("c", ps)],
          });
          expect(ds.length).toBe(total > (declared ?? 50) ? 1 : 0);
        },
      ),
    );
  });
});

describe("quota/environment-budget", () => {
  const facts = (budget: Partial<QuotaFacts["budget"]>): QuotaFacts => ({
    budget: { resource: "prod", path: "budget", ...budget },
    clusters: [
      cluster("a", [{ maxSize: 10, vcpu: 4, memoryGiB: 16 }], {}, 0),
      cluster("b", [{ maxSize: 5, vcpu: 8, memoryGiB: 32 }], {}, 1),
    ],
    loadBalancers: refs("lb", 3),
  });

  it("reports every total above its budget", () => {
    const ds = checkEnvironmentBudget(
      facts({ clusters: 1, nodes: 14, vcpu: 79, memoryGiB: 319, loadBalancers: 2 }),
    );
    expect(ds.map((d) => [d.rule, d.resource, d.path])).toEqual([
      ["quota/environment-budget", "prod", "budget.clusters"],
      ["quota/environment-budget", "prod", "budget.nodes"],
      ["quota/environment-budget", "prod", "budget.vcpu"],
      ["quota/environment-budget", "prod", "budget.memoryGiB"],
      ["quota/environment-budget", "prod", "budget.loadBalancers"],
    ]);
    expect(ds.map((d) => d.message)).toEqual([
      "the environment plans up to 2 clusters > budget.clusters 1",
      "the environment plans up to 15 nodes (sum of node pool max sizes) > budget.nodes 14",
      "the environment plans up to 80 vCPUs (max size × vCPU) > budget.vcpu 79",
      "the environment plans up to 320 GiB of memory (max size × memory) > budget.memoryGiB 319",
      "the environment plans up to 3 load balancers > budget.loadBalancers 2",
    ]);
  });

  it("accepts totals equal to the budget, and an undeclared budget", () => {
    expect(
      checkEnvironmentBudget(facts({ clusters: 2, nodes: 15, vcpu: 80, memoryGiB: 320, loadBalancers: 3 })),
    ).toEqual([]);
    expect(checkEnvironmentBudget(facts({}))).toEqual([]);
    expect(checkEnvironmentBudget({ clusters: [cluster("a", [{ maxSize: 10 }])] })).toEqual([]);
  });
});

describe("quota/namespace-exceeds-project", () => {
  const project = (quota: Record<string, string | undefined>, o = {}) => ({
    resource: "team-a",
    path: "projects[0]",
    name: "team-a",
    cluster: "prod",
    quota,
    ...o,
  });
  const member = (
    name: string,
    quota: Record<string, string | undefined>,
    o: Partial<NamespaceQuotaFacts> = {},
  ) => ns(name, { project: "team-a", cluster: "prod", quota, ...o });

  it("reports namespaces whose quotas add up above the project's, naming each", () => {
    const ds = checkNamespaceExceedsProject({
      projects: [project({ "requests.cpu": "4", "limits.memory": "1Gi" })],
      namespaces: [
        member("a", { "requests.cpu": "2", "limits.memory": "512Mi" }),
        member("b", { cpu: "2500m", "limits.memory": "600Mi" }),
      ],
    });
    expect(ds.map((d) => [d.rule, d.resource, d.path])).toEqual([
      ["quota/namespace-exceeds-project", "team-a", 'projects[0].quota["requests.cpu"]'],
      ["quota/namespace-exceeds-project", "team-a", 'projects[0].quota["limits.memory"]'],
    ]);
    expect(ds[0]?.message).toBe(
      'namespaces of project "team-a" on cluster "prod" set requests.cpu 4500m in total (a 2, b 2500m) > the project\'s quota 4',
    );
    expect(ds[1]?.message).toContain(
      "set limits.memory 1112Mi in total (a 512Mi, b 600Mi) > the project's quota 1Gi",
    );
  });

  it("accepts quotas that fit, and ignores other projects and clusters", () => {
    expect(
      checkNamespaceExceedsProject({
        projects: [project({ "requests.cpu": "4" })],
        namespaces: [
          member("a", { "requests.cpu": "2" }),
          member("b", { "requests.cpu": "2000m" }),
          member("c", { "requests.cpu": "8" }, { cluster: "other" }),
          member("d", { "requests.cpu": "8" }, { project: "team-b" }),
          member("e", {}),
        ],
      }),
    ).toEqual([]);
  });

  it("refuses to create a namespace when a project resource has 0 left", () => {
    const ds = checkNamespaceExceedsProject({
      projects: [project({ "requests.cpu": "4", pods: "100" })],
      namespaces: [
        member("a", { "requests.cpu": "2", pods: "10" }),
        member("b", { "requests.cpu": "2" }),
        member("new", {}, { creating: true }),
      ],
    });
    const d = one(ds, "quota/namespace-exceeds-project");
    expect(d.resource).toBe("new");
    expect(d.path).toBe("namespaces.new.quota");
    expect(d.message).toBe(
      'namespace "new" cannot be created: project "team-a" on cluster "prod" has 0 requests.cpu left (project quota 4, used by a 2, b 2)',
    );
  });

  it("says by how much a project is already over when a namespace is created", () => {
    const ds = checkNamespaceExceedsProject({
      projects: [project({ "limits.memory": "1Gi" })],
      namespaces: [member("a", { "limits.memory": "1280Mi" }), member("new", {}, { creating: true })],
    });
    expect(ds.map((d) => d.resource)).toEqual(["new", "team-a"]);
    expect(ds[0]?.message).toContain(
      "has no limits.memory left (over by 256Mi) (project quota 1Gi, used by a 1280Mi)",
    );
  });

  it("lets a namespace be created while something is left", () => {
    expect(
      checkNamespaceExceedsProject({
        projects: [project({ "requests.cpu": "4" })],
        namespaces: [
          member("a", { "requests.cpu": "3" }),
          member("new", { "requests.cpu": "1" }, { creating: true }),
        ],
      }),
    ).toEqual([]);
  });

  it("an unknown namespace value hides no known excess", () => {
    const ds = checkNamespaceExceedsProject({
      projects: [project({ "requests.cpu": "4" })],
      namespaces: [
        member("a", { "requests.cpu": "5" }),
        member("b", { "requests.cpu": undefined }),
        member("c", undefined as never),
      ],
    });
    expect(one(ds, "quota/namespace-exceeds-project").message).toContain("requests.cpu 5 in total (a 5)");
  });

  it("names a value that is not a quantity", () => {
    const d = one(
      checkNamespaceExceedsProject({
        projects: [project({ "requests.cpu": "4" })],
        namespaces: [member("a", { "requests.cpu": "lots" })],
      }),
      "quota/namespace-exceeds-project",
    );
    expect(d.path).toBe('namespaces.a.quota["requests.cpu"]');
    expect(d.message).toContain('namespace "a" quota requests.cpu "lots" is not a Kubernetes quantity');
  });

  it("agrees with the arithmetic: a violation iff Σ namespaces > project", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 64_000 }),
        fc.array(fc.integer({ min: 0, max: 16_000 }), { maxLength: 6 }),
        (p, values) => {
          const ds = checkNamespaceExceedsProject({
            projects: [project({ "requests.cpu": `${p}m` })],
            namespaces: values.map((v, i) =>
              member(`n${i}`, { "requests.cpu": i % 2 ? `${v}m` : `${v / 1000}` }),
            ),
          });
          const total = values.reduce((s, v) => s + v, 0);
          expect(ds.length).toBe(total > p ? 1 : 0);
        },
      ),
    );
  });
});

describe("quota/single-default", () => {
  it("reports several ResourceQuotas, a LimitRange not named default, and none at all", () => {
    const ds = checkSingleDefault({
      namespaces: [
        ns("a", { resourceQuotas: ["a", "b"], limitRanges: ["limits"] }),
        ns("b", { resourceQuotas: ["default"], limitRanges: [] }),
        ns("c", { resourceQuotas: ["default"], limitRanges: ["default", "extra"] }),
      ],
    });
    expect(ds.map((d) => [d.rule, d.resource, d.path])).toEqual([
      ["quota/single-default", "a", "namespaces.a.resourceQuotas"],
      ["quota/single-default", "a", "namespaces.a.limitRanges"],
      ["quota/single-default", "b", "namespaces.b.limitRanges"],
      ["quota/single-default", "c", "namespaces.c.limitRanges"],
    ]);
    expect(ds[0]?.message).toContain(
      'namespace "a" has 2 ResourceQuotas (a, b); merge them into one named default',
    );
    expect(ds[1]?.message).toBe('namespace "a"\'s LimitRange is named "limits"; it must be named default');
    expect(ds[2]?.message).toBe('namespace "b" has no LimitRange; it needs exactly one, named default');
    expect(ds[3]?.message).toContain("has 2 LimitRanges (default, extra)");
  });

  it("accepts one default of each, and unknown names or lists", () => {
    expect(
      checkSingleDefault({
        namespaces: [
          ns("a", { resourceQuotas: ["default"], limitRanges: ["default"] }),
          ns("b", { resourceQuotas: [undefined], limitRanges: undefined }),
          ns("c"),
        ],
      }),
    ).toEqual([]);
  });
});

describe("quota/limitrange-order", () => {
  const lr = (limits: NonNullable<QuotaFacts["limitRanges"]>[number]["limits"]) => ({
    limitRanges: [
      {
        resource: "ns-a/default",
        path: "spec",
        paths: { limits: "spec.limits" },
        name: "default",
        namespace: "a",
        limits,
      },
    ],
  });

  it("accepts the documented example (Alauda Container Platform docs: Limit Range)", () => {
    const example = lr([
      {
        type: "Container",
        default: { cpu: "100m", memory: "100Mi" },
        defaultRequest: { cpu: "50m", memory: "50Mi" },
        max: { cpu: "1000m", memory: "1000Mi" },
      },
    ]);
    expect(checkLimitRangeOrder(example)).toEqual([]);
  });

  it("reports defaultRequest above default, and default above max", () => {
    const ds = checkLimitRangeOrder(
      lr([
        {
          defaultRequest: { cpu: "200m" },
          default: { cpu: "100m", memory: "2Gi" },
          max: { cpu: "1", memory: "1Gi" },
        },
      ]),
    );
    expect(ds.map((d) => [d.rule, d.resource, d.path])).toEqual([
      ["quota/limitrange-order", "ns-a/default", "spec.limits[0].defaultRequest.cpu"],
      ["quota/limitrange-order", "ns-a/default", "spec.limits[0].default.memory"],
    ]);
    expect(ds[0]?.message).toBe(
      'LimitRange "default" (namespace "a") limits[0] cpu: defaultRequest 200m > default 100m (needs defaultRequest ≤ default ≤ max)',
    );
    expect(ds[1]?.message).toContain("memory: default 2Gi > max 1Gi");
  });

  it("compares across an unknown middle bound, and checks min", () => {
    const d = one(
      checkLimitRangeOrder(
        lr([{ defaultRequest: { cpu: "2" }, default: { cpu: undefined }, max: { cpu: "1" } }]),
      ),
      "quota/limitrange-order",
    );
    expect(d.message).toContain("defaultRequest 2 > max 1");
    expect(
      one(
        checkLimitRangeOrder(lr([{ min: { cpu: "1" }, defaultRequest: { cpu: "500m" } }])),
        "quota/limitrange-order",
      ).message,
    ).toContain("min 1 > defaultRequest 500m");
  });

  it("names a bound that is not a quantity", () => {
    const d = one(checkLimitRangeOrder(lr([{ max: { cpu: "one" } }])), "quota/limitrange-order");
    expect(d.path).toBe("spec.limits[0].max.cpu");
    expect(d.message).toContain('max.cpu "one" is not a Kubernetes quantity');
  });

  it("a chain is reported iff it is out of order", () => {
    const v = fc.option(fc.integer({ min: 0, max: 4000 }), { nil: undefined });
    fc.assert(
      fc.property(v, v, v, v, (min, dr, d, max) => {
        const m = (x: number | undefined) => (x === undefined ? {} : { cpu: `${x}m` });
        const ds = checkLimitRangeOrder(
          lr([{ min: m(min), defaultRequest: m(dr), default: m(d), max: m(max) }]),
        );
        const known = [min, dr, d, max].filter((x): x is number => x !== undefined);
        const sorted = known.every((x, i) => i === 0 || (known[i - 1] as number) <= x);
        expect(ds.length === 0).toBe(sorted);
      }),
    );
  });
});

describe("quota/reserved-name", () => {
  it.each(RESERVED_QUOTA_ITEMS)("refuses the reserved custom item %s", (item) => {
    const d = one(
      checkReservedName({ namespaces: [ns("a", { customQuota: { [item]: "1" } })] }),
      "quota/reserved-name",
    );
    expect(d.path).toMatch(/^namespaces\.a\.customQuota(\.|\[)/);
    expect(d.message).toContain(`custom quota item ${JSON.stringify(item)} is reserved`);
  });

  it.each([
    ["Example.com/gpu", 'prefix "Example.com" is not a DNS subdomain'],
    ["a/b/c", "more than one '/'"],
    ["/gpu", "empty prefix"],
    ["example.com/", "empty name"],
    ["-gpu", 'name part "-gpu" must be'],
    ["gpu!", 'name part "gpu!" must be'],
    [`${"x".repeat(64)}`, "64 characters long (max 63)"],
    [`${"a".repeat(64)}.com/gpu`, "longer than 63 characters"],
    [`${"a.".repeat(127)}a/gpu`, "255 characters long (max 253)"],
  ])("refuses %j: %s", (item, reason) => {
    const d = one(
      checkReservedName({ namespaces: [ns("a", { customQuota: { [item]: "1" } })] }),
      "quota/reserved-name",
    );
    expect(d.message).toContain(JSON.stringify(item));
    expect(d.message).toContain(reason);
  });

  it("accepts qualified names", () => {
    const items = [
      "requests.nvidia.com/gpu",
      "example.com/foo_bar.baz",
      "count/deployments.apps",
      "Gpu-1",
      `${"a".repeat(63)}`,
    ];
    expect(
      checkReservedName({
        namespaces: [ns("a", { customQuota: Object.fromEntries(items.map((i) => [i, "1"])) })],
      }),
    ).toEqual([]);
    for (const i of items) expect(qualifiedNameProblem(i)).toBeUndefined();
  });
});

describe("quota/storageclass-not-assigned", () => {
  const item = "gold.storageclass.storage.k8s.io/requests.storage";
  const facts = (
    storageClasses: (string | undefined)[] | undefined,
    o: Partial<NamespaceQuotaFacts> = {},
  ): QuotaFacts => ({
    projects: [{ resource: "team-a", path: "projects[0]", name: "team-a", cluster: "prod", storageClasses }],
    namespaces: [ns("a", { project: "team-a", cluster: "prod", quota: { [item]: "100Gi" }, ...o })],
  });

  it("reports a quota on a StorageClass the project does not have", () => {
    const d = one(
      checkStorageClassNotAssigned(facts(["standard", "fast"])),
      "quota/storageclass-not-assigned",
    );
    expect(d.path).toBe(`namespaces.a.quota["${item}"]`);
    expect(d.message).toBe(
      `namespace "a" quota "${item}" names StorageClass "gold", which is not assigned to project "team-a" (assigned: fast, standard)`,
    );
  });

  it("checks custom items too", () => {
    const d = one(
      checkStorageClassNotAssigned(
        facts([], {
          quota: {},
          customQuota: { "gold.storageclass.storage.k8s.io/persistentvolumeclaims": "5" },
        }),
      ),
      "quota/storageclass-not-assigned",
    );
    expect(d.message).toContain("(assigned: none)");
  });

  it("accepts an assigned StorageClass, and unknown assignments", () => {
    expect(checkStorageClassNotAssigned(facts(["gold"]))).toEqual([]);
    expect(checkStorageClassNotAssigned(facts(undefined))).toEqual([]);
    expect(checkStorageClassNotAssigned(facts(["standard", undefined]))).toEqual([]);
    expect(checkStorageClassNotAssigned(facts(["standard"], { project: undefined }))).toEqual([]);
    expect(checkStorageClassNotAssigned(facts(["standard"], { project: "team-b" }))).toEqual([]);
  });

  it("reads the StorageClass from the quota item", () => {
    expect(storageClassOfQuotaItem(item)).toBe("gold");
    expect(storageClassOfQuotaItem("requests.storage")).toBeUndefined();
  });
});

describe("quota/overcommit-ratio", () => {
  it.each([1, 1.5, -2, Number.NaN, "3" as unknown as number])("refuses %j", (ratio) => {
    const d = one(
      checkOvercommitRatio({ namespaces: [ns("a", { overcommit: { memory: ratio } })] }),
      "quota/overcommit-ratio",
    );
    expect(d.path).toBe("namespaces.a.overcommit.memory");
    expect(d.message).toContain(
      `namespace "a" memory overcommit ratio ${JSON.stringify(ratio)} is not allowed`,
    );
  });

  it("accepts absent (inherit), 0 (unlimited) and integers > 1", () => {
    const namespaces = [
      ns("a"),
      ns("b", { overcommit: {} }),
      ns("c", { overcommit: { cpu: 0, memory: 2 } }),
      ns("d", { overcommit: { cpu: 4 } }),
    ];
    expect(checkOvercommitRatio({ namespaces })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Unknowns never violate

const quantityArb = fc.constantFrom("0", "100m", "500m", "1", "2", "4", "256Mi", "1Gi", "2Gi", "10");
const quotaMap = fc.dictionary(
  fc.constantFrom(
    "requests.cpu",
    "cpu",
    "limits.memory",
    "pods",
    "gold.storageclass.storage.k8s.io/requests.storage",
  ),
  quantityArb,
  { maxKeys: 4 },
);
const poolArb = fc.record(
  {
    autoscaling: fc.boolean(),
    maxSize: fc.integer({ min: 0, max: 700 }),
    desiredSize: fc.integer({ min: 0, max: 700 }),
    previousDesiredSize: fc.integer({ min: 0, max: 300 }),
    instanceTypes: fc.array(fc.constantFrom("a", "b", "c"), { maxLength: 12 }),
    vcpu: fc.integer({ min: 1, max: 16 }),
    memoryGiB: fc.integer({ min: 1, max: 64 }),
    securityGroups: fc.array(
      fc.record({
        id: fc.constantFrom("sg-1", "sg-2"),
        type: fc.constantFrom("normal" as const, "enterprise" as const),
      }),
      {
        maxLength: 7,
      },
    ),
  },
  { requiredKeys: ["autoscaling", "maxSize"] },
);
const factsArb: fc.Arbitrary<QuotaFacts> = fc
  .record({
    cloud: fc.constantFrom("alicloud" as const, "aws" as const, undefined),
    quotas: fc.record(
      {
        clusterNodes: fc.integer({ min: 1, max: 2000 }),
        nodePoolsPerCluster: fc.integer({ min: 1, max: 4 }),
        routeEntries: fc.integer({ min: 1, max: 1000 }),
        loadBalancers: fc.integer({ min: 1, max: 3 }),
        eips: fc.integer({ min: 1, max: 3 }),
        autoscalingVcpu: fc.integer({ min: 1, max: 5000 }),
      },
      { requiredKeys: [] },
    ),
    budget: fc.record({
      clusters: fc.nat(3),
      nodes: fc.nat(2000),
      vcpu: fc.nat(5000),
      memoryGiB: fc.nat(20000),
      loadBalancers: fc.nat(3),
    }),
    clusters: fc.array(
      fc.record({
        edition: fc.constantFrom("pro" as const, "standard" as const),
        cni: fc.constantFrom("flannel", "terway"),
        vpc: fc.constantFrom("v1", "v2"),
        nodePools: fc.array(poolArb, { maxLength: 5 }),
      }),
      { maxLength: 3 },
    ),
    loadBalancers: fc.array(fc.record({ listeners: fc.nat(60), backends: fc.nat(250) }), { maxLength: 4 }),
    eips: fc.nat(4),
    projects: fc.array(
      fc.record({
        name: fc.constantFrom("p1", "p2"),
        cluster: fc.constantFrom("c1", undefined),
        quota: quotaMap,
        storageClasses: fc.array(fc.constantFrom("gold", "std"), { maxLength: 2 }),
      }),
      { maxLength: 2 },
    ),
    namespaces: fc.array(
      fc.record({
        project: fc.constantFrom("p1", "p2"),
        cluster: fc.constantFrom("c1", undefined),
        creating: fc.boolean(),
        quota: quotaMap,
        customQuota: fc.dictionary(
          fc.constantFrom("pods", "example.com/gpu", "Bad/x", "gold.storageclass.storage.k8s.io/x"),
          quantityArb,
          {
            maxKeys: 2,
          },
        ),
        resourceQuotas: fc.array(fc.constantFrom("default", "a"), { maxLength: 2 }),
        limitRanges: fc.array(fc.constantFrom("default", "b"), { maxLength: 2 }),
        overcommit: fc.record(
          { cpu: fc.constantFrom(0, 1, 2, 1.5), memory: fc.constantFrom(0, 3, -1) },
          { requiredKeys: [] },
        ),
      }),
      { maxLength: 4 },
    ),
    limitRanges: fc.array(
      fc.array(
        fc.record(
          { min: quotaMap, defaultRequest: quotaMap, default: quotaMap, max: quotaMap },
          { requiredKeys: [] },
        ),
        {
          maxLength: 2,
        },
      ),
      { maxLength: 2 },
    ),
  })
  .map((r) => ({
    cloud: r.cloud,
    quotas: r.quotas,
    budget: { resource: "env", path: "budget", ...r.budget },
    clusters: r.clusters.map((c, i) => ({
      resource: `c${i}`,
      path: `clusters[${i}]`,
      name: `c${i}`,
      ...c,
      nodePools: c.nodePools.map((p, j) => ({
        resource: `c${i}-p${j}`,
        path: `clusters[${i}].nodePools[${j}]`,
        ...p,
      })),
    })),
    loadBalancers: r.loadBalancers.map((l, i) => ({ resource: `lb${i}`, path: `lb[${i}]`, ...l })),
    eips: refs("eip", r.eips),
    projects: r.projects.map((p, i) => ({ resource: `project${i}`, path: `projects[${i}]`, ...p })),
    namespaces: r.namespaces.map((n, i) => ({
      resource: `ns${i}`,
      path: `namespaces[${i}]`,
      name: `ns${i}`,
      ...n,
    })),
    limitRanges: r.limitRanges.map((limits, i) => ({
      resource: `lr${i}`,
      path: `limitRanges[${i}]`,
      limits,
    })),
  }));

/** Context that is configuration, never unknown during a preview (see QuotaFacts docs). */
const NEVER_UNKNOWN = new Set([
  "resource",
  "path",
  "paths",
  "cloud",
  "quotas",
  "cluster",
  "previousDesiredSize",
]);

/**
 * A namespace's quota maps are never unknown as a whole: an omitted map means no items (a value
 * unknown during a preview is an item whose value is undefined). Their values may be forgotten.
 */
const KEEP_SHAPE = new Set(["quota", "customQuota"]);

/** Forget values: each property (or primitive array element) becomes undefined when `forget()` says so. */
function weaken(value: unknown, forget: () => boolean): unknown {
  if (Array.isArray(value)) {
    return value.map((v) =>
      v !== null && typeof v === "object" ? weaken(v, forget) : forget() ? undefined : v,
    );
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = NEVER_UNKNOWN.has(k) ? v : !KEEP_SHAPE.has(k) && forget() ? undefined : weaken(v, forget);
    }
    return out;
  }
  return value;
}

describe("unknown values", () => {
  it("never produce a violation: forgetting values only removes diagnostics", () => {
    fc.assert(
      fc.property(
        factsArb,
        fc.infiniteStream(fc.boolean()),
        fc.integer({ min: 2, max: 6 }),
        (facts, bits, rate) => {
          const it = bits[Symbol.iterator]();
          let n = 0;
          const forget = () => {
            n++;
            return it.next().value === true && n % rate === 0;
          };
          const full = new Set(checkQuotas(facts).map((d) => `${d.rule} ${d.resource}`));
          const weak = checkQuotas(weaken(facts, forget) as QuotaFacts).map((d) => `${d.rule} ${d.resource}`);
          for (const w of weak) expect(full).toContain(w);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("facts with every value unknown produce nothing", () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const blank = weaken({ ...facts, quotas: {}, cloud: "alicloud" }, () => true) as QuotaFacts;
        expect(checkQuotas(blank)).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
});
