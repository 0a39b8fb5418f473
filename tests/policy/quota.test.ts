/**
 * quota/* policies on hand-written stacks: ACK clusters and node pools, load balancers, EIPs,
 * security groups, and tenant namespaces with their ResourceQuotas and LimitRanges.
 */
import { describe, expect, it } from "vitest";
import { packConfig } from "../../policy/policies";
import { by, of, resourceName, run, Stack, T, UNKNOWN, violations } from "./stack";

const PROJECT = "cpaas.io/project";

function cluster(props: Record<string, unknown> = {}, stack = "dev") {
  const s = new Stack(stack);
  const vpc = s.vpc("main", "10.0.0.0/16");
  const a = s.vswitch("node-a", "10.0.0.0/20", "cn-hangzhou-i", vpc);
  const b = s.vswitch("node-b", "10.0.16.0/20", "cn-hangzhou-j", vpc);
  const c = s.ack("prod", { serviceCidr: "172.21.0.0/20", addons: [{ name: "terway-eniip" }], ...props }, [
    a,
    b,
  ]);
  return { s, c, a, b };
}

const autoscaling = (maxSize: number, extra: Record<string, unknown> = {}) => ({
  scalingConfig: { enable: true, minSize: 1, maxSize },
  instanceTypes: ["ecs.g7.xlarge"],
  ...extra,
});

describe("cluster and node pool quotas", () => {
  it("quota/cluster-nodes: an ACK standard cluster holds 100 nodes, a Pro one 1,000 unless raised", () => {
    const std = cluster({ clusterSpec: "ack.standard" });
    std.s.pool("a", std.c, { desiredSize: "60" });
    std.s.pool("b", std.c, { desiredSize: "50" });
    const [v] = by(violations(std.s), "quota/cluster-nodes");
    expect(v?.urn).toContain("ManagedKubernetes::prod");
    expect(v?.message).toContain(
      'cluster "prod" (standard) plans up to 110 nodes (node pool max sizes: a 60, b 50) > the ACK standard cluster limit 100',
    );

    const pro = cluster();
    pro.s.pool("a", pro.c, autoscaling(700));
    pro.s.pool("b", pro.c, autoscaling(500));
    expect(of(run(pro.s), "quota/cluster-nodes").map((d) => d.message)).toEqual([
      expect.stringContaining(
        "plans up to 1200 nodes (node pool max sizes: a 700, b 500) > default quota 1000",
      ),
    ]);
    // A raised quota (after a support ticket) changes the outcome.
    expect(
      of(run(pro.s, { config: packConfig({ quotas: { clusterNodes: 2000 } }) }), "quota/cluster-nodes"),
    ).toEqual([]);
  });

  it("quota/node-pools-per-cluster: 21 pools", () => {
    const { s, c } = cluster();
    for (let i = 0; i < 20; i++) s.pool(`p${i}`, c, { desiredSize: "1" });
    expect(of(run(s), "quota/node-pools-per-cluster")).toEqual([]);
    s.pool("p20", c, { desiredSize: "1" });
    const [d] = of(run(s), "quota/node-pools-per-cluster");
    expect(d?.message).toContain('cluster "prod" has 21 node pools');
    expect(d?.message).toContain("> default quota 20");
  });

  it("quota/nodes-per-pool is a resource policy on the pool", () => {
    const { s, c } = cluster();
    s.pool("huge", c, { desiredSize: "1200" });
    const [v] = by(violations(s), "quota/nodes-per-pool");
    expect(v?.urn).toContain("NodePool::huge");
    expect(v?.message).toContain('node pool "huge"');
    expect(v?.message).toContain(
      "desiredSize 1200 > default quota 1000 (declare quotas.nodesPerPool after raising it) (at desiredSize)",
    );
    expect(
      by(violations(s, { config: packConfig({ quotas: { nodesPerPool: 1500 } }) }), "quota/nodes-per-pool"),
    ).toEqual([]);
  });

  it("quota/flannel-route-entries: a Flannel cluster's max nodes against the VPC's 48 route entries", () => {
    const { s, c } = cluster({ podCidr: "172.20.0.0/16", addons: [{ name: "flannel" }] });
    s.pool("a", c, autoscaling(50));
    const [d] = of(run(s), "quota/flannel-route-entries");
    expect(d?.message).toContain(
      'Flannel cluster "prod" plans up to 50 nodes, one VPC route entry each, > route-entry default quota 48',
    );
    expect(
      of(run(s, { config: packConfig({ quotas: { routeEntries: 100 } }) }), "quota/flannel-route-entries"),
    ).toEqual([]);
    // Terway clusters spend no route entries.
    const terway = cluster();
    terway.s.pool("a", terway.c, autoscaling(50));
    expect(of(run(terway.s), "quota/flannel-route-entries")).toEqual([]);
  });

  it("quota/node-pool-security-groups: six groups, and normal mixed with enterprise", () => {
    const { s, c } = cluster();
    s.pool("six", c, {
      desiredSize: "1",
      securityGroupIds: ["sg-1", "sg-2", "sg-3", "sg-4", "sg-5", "sg-6"],
    });
    const normal = s.add(T.sg, "normal", { securityGroupType: "normal" });
    const enterprise = s.add(T.sg, "enterprise", { securityGroupType: "enterprise" });
    s.add(
      T.pool,
      "mixed",
      { clusterId: UNKNOWN, nodePoolName: "mixed", desiredSize: "1", securityGroupIds: [UNKNOWN, UNKNOWN] },
      { clusterId: c, securityGroupIds: [normal, enterprise] },
    );
    s.pool("fine", c, { desiredSize: "1", securityGroupIds: ["sg-1", "sg-2"] });
    const ds = of(run(s), "quota/node-pool-security-groups");
    expect(ds.map(resourceName)).toEqual(["six", "mixed"]);
    expect(ds[0]?.message).toContain(
      "uses 6 security groups (sg-1, sg-2, sg-3, sg-4, sg-5, sg-6) > the limit 5",
    );
    expect(ds[1]?.message).toContain(
      "mixes normal and enterprise security groups (normal: normal; enterprise: enterprise)",
    );
  });

  it("quota/autoscaler-instance-types: 11 instance types on an autoscaling pool", () => {
    const { s, c } = cluster();
    const types = Array.from({ length: 11 }, (_, i) => `ecs.t${i}.large`);
    s.pool("many", c, autoscaling(3, { instanceTypes: types }));
    s.pool("fixed", c, { desiredSize: "3", instanceTypes: types });
    const [v, ...rest] = by(violations(s), "quota/autoscaler-instance-types");
    expect(rest).toEqual([]);
    expect(v?.urn).toContain("NodePool::many");
    expect(v?.message).toContain("lists 11 instance types (ecs.t0.large");
    expect(v?.message).toContain("> the limit 10");
  });

  it("quota/autoscaling-vcpu: needs the instance types' vCPUs from config, then counts max size x vCPU", () => {
    const { s, c } = cluster();
    s.pool("burst", c, autoscaling(13));
    expect(of(run(s), "quota/autoscaling-vcpu")).toEqual([]); // vCPUs unknown: nothing to count
    const sizes = { instanceTypes: { "ecs.g7.xlarge": { vcpu: 4, memoryGiB: 16 } } };
    const [d] = of(run(s, { config: packConfig(sizes) }), "quota/autoscaling-vcpu");
    expect(d?.message).toContain(
      "autoscaling pools can reach 52 vCPUs (max size × vCPU: burst 13 × 4) > vCPU default quota 50",
    );
    expect(d?.resource).toBe("stack dev");
    expect(
      of(
        run(s, { config: packConfig({ ...sizes, quotas: { autoscalingVcpu: 64 } }) }),
        "quota/autoscaling-vcpu",
      ),
    ).toEqual([]);
  });

  it("quota/autoscaling-vcpu: an ACK pool's spot share counts against quotas.spotVcpu, not the on-demand quota", () => {
    const { s, c } = cluster();
    const spot = {
      spotStrategy: "SpotAsPriceGo",
      onDemandBaseCapacity: "2",
      onDemandPercentageAboveBaseCapacity: "0",
    };
    s.pool("burst", c, autoscaling(13, spot));
    const sizes = { instanceTypes: { "ecs.g7.xlarge": { vcpu: 4, memoryGiB: 16 } } };
    // 2 on-demand × 4 = 8 ≤ 50; 11 spot × 4 = 44, checked once a spot quota is declared.
    expect(of(run(s, { config: packConfig(sizes) }), "quota/autoscaling-vcpu")).toEqual([]);
    const [d] = of(
      run(s, { config: packConfig({ ...sizes, quotas: { spotVcpu: 40 } }) }),
      "quota/autoscaling-vcpu",
    );
    expect(d?.message).toBe(
      "autoscaling pools can reach 44 spot vCPUs (max size × vCPU: burst 11 × 4 spot) > spot vCPU declared quota 40 (quotas.spotVcpu)",
    );
  });

  it("quota/environment-budget: config budget against the stack's clusters and nodes", () => {
    const { s, c } = cluster();
    s.pool("a", c, { desiredSize: "12" });
    expect(of(run(s), "quota/environment-budget")).toEqual([]);
    const ds = of(
      run(s, { config: packConfig({ budget: { nodes: 10, clusters: 1 } }) }),
      "quota/environment-budget",
    );
    expect(ds.map((d) => d.message)).toEqual([
      "the environment plans up to 12 nodes (sum of node pool max sizes) > budget.nodes 10",
    ]);
  });
});

describe("account quotas", () => {
  it("quota/load-balancers: 61 SLBs, counting ACK's API server SLB", () => {
    const { s } = cluster();
    for (let i = 0; i < 59; i++) s.add(T.slb, `slb-${i}`, { loadBalancerName: `slb-${i}` });
    expect(of(run(s), "quota/load-balancers")).toEqual([]); // 59 + the API server SLB = 60
    s.add(T.slb, "slb-59", { loadBalancerName: "slb-59" });
    const [d] = of(run(s), "quota/load-balancers");
    expect(d?.message).toContain("61 load balancers (");
    expect(d?.message).toContain("> default quota 60");
    expect(d?.path).toBe("quotas.loadBalancers");
    expect(
      of(run(s, { config: packConfig({ quotas: { loadBalancers: 100 } }) }), "quota/load-balancers"),
    ).toEqual([]);
  });

  it("quota/load-balancers: 51 listeners on one SLB", () => {
    const s = new Stack();
    const lb = s.add(T.slb, "ingress", { loadBalancerName: "ingress" });
    for (let i = 0; i < 51; i++) {
      s.add(T.listener, `l${i}`, { loadBalancerId: UNKNOWN, frontendPort: 1000 + i }, { loadBalancerId: lb });
    }
    const [v] = by(violations(s), "quota/load-balancers");
    expect(v?.urn).toContain("LoadBalancer::ingress");
    expect(v?.message).toContain('load balancer "ingress" has 51 listeners > default quota 50');
  });

  it("quota/eips: 21 EIPs", () => {
    const s = new Stack();
    for (let i = 0; i < 21; i++) s.add(T.eip, `eip-${i}`, {});
    const [d] = of(run(s), "quota/eips");
    expect(d?.message).toContain("21 EIPs (eip-0, eip-1");
    expect(d?.message).toContain("> default quota 20");
    expect(of(run(s, { config: packConfig({ quotas: { eips: 30 } }) }), "quota/eips")).toEqual([]);
  });
});

describe("tenancy quotas", () => {
  function tenants() {
    const s = new Stack();
    const a = s.namespace("alpha-web", { [PROJECT]: "alpha" });
    const b = s.namespace("alpha-api", { [PROJECT]: "alpha" });
    for (const ns of [a, b]) {
      s.quota(ns, "default", { "requests.cpu": "3", "requests.memory": "4Gi" });
      s.limitRange(ns, "default", [
        { type: "Container", defaultRequest: { cpu: "100m" }, default: { cpu: "500m" }, max: { cpu: "2" } },
      ]);
    }
    return { s, a, b };
  }

  it("a compliant tenancy reports nothing", () => {
    const { s } = tenants();
    const config = packConfig({
      projects: [{ name: "alpha", quota: { "requests.cpu": "6", "requests.memory": "8Gi" } }],
    });
    expect(run(s, { config }).filter((d) => d.rule.startsWith("quota/"))).toEqual([]);
  });

  it("quota/namespace-exceeds-project: the namespaces' sum against the project's quota from config", () => {
    const { s } = tenants();
    expect(of(run(s), "quota/namespace-exceeds-project")).toEqual([]); // no project quotas declared
    const config = packConfig({ projects: [{ name: "alpha", quota: { "requests.cpu": "4" } }] });
    const [d] = of(run(s, { config }), "quota/namespace-exceeds-project");
    expect(d?.message).toBe(
      'namespaces of project "alpha" set requests.cpu 6 in total (alpha-web 3, alpha-api 3) > the project\'s quota 4',
    );
  });

  it("quota/single-default: a second ResourceQuota, a quota not named default, a missing LimitRange", () => {
    const s = new Stack();
    const two = s.namespace("two", { [PROJECT]: "alpha" });
    s.quota(two, "default", { pods: "10" });
    s.quota(two, "extra", { pods: "5" });
    s.limitRange(two, "default", []);
    const named = s.namespace("named", { [PROJECT]: "alpha" });
    s.quota(named, "quota", { pods: "10" });
    s.limitRange(named, "default", []);
    const bare = s.namespace("bare", { [PROJECT]: "alpha" });
    s.quota(bare, "default", { pods: "10" });
    s.namespace("not-a-tenant"); // no project label: not checked
    const msgs = of(run(s), "quota/single-default").map((d) => d.message);
    expect(msgs).toEqual([
      expect.stringContaining('namespace "two" has 2 ResourceQuotas (default, extra)'),
      'namespace "named"\'s ResourceQuota is named "quota"; it must be named default',
      'namespace "bare" has no LimitRange; it needs exactly one, named default',
    ]);
  });

  it("quota/limitrange-order: defaultRequest above default", () => {
    const s = new Stack();
    const ns = s.namespace("app", { [PROJECT]: "alpha" });
    s.limitRange(ns, "default", [
      { type: "Container", defaultRequest: { cpu: "1" }, default: { cpu: "500m" }, max: { cpu: "2" } },
    ]);
    const [v] = by(violations(s), "quota/limitrange-order");
    expect(v?.urn).toContain("LimitRange::app-default");
    expect(v?.message).toContain("limits[0] cpu: defaultRequest 1 > default 500m");
    expect(v?.message).toContain("(at spec.limits[0].defaultRequest.cpu)");
  });

  it("quota/reserved-name: a custom item that is not a qualified name", () => {
    const s = new Stack();
    const ns = s.namespace("app", { [PROJECT]: "alpha" });
    s.quota(ns, "default", { "requests.cpu": "1", "example.com/gpu": "2", "bad name!": "1" });
    const vs = by(violations(s), "quota/reserved-name");
    expect(vs).toHaveLength(1);
    expect(vs[0]?.message).toContain('custom quota item "bad name!" name part "bad name!" must be letters');
  });

  it("quota/storageclass-not-assigned: a per-StorageClass quota on a class the project lacks", () => {
    const s = new Stack();
    const ns = s.namespace("app", { [PROJECT]: "alpha" });
    s.quota(ns, "default", { "gold.storageclass.storage.k8s.io/requests.storage": "100Gi" });
    s.limitRange(ns, "default", []);
    const silver = packConfig({ projects: [{ name: "alpha", quota: {}, storageClasses: ["silver"] }] });
    const [d] = of(run(s, { config: silver }), "quota/storageclass-not-assigned");
    expect(d?.message).toContain(
      'names StorageClass "gold", which is not assigned to project "alpha" (assigned: silver)',
    );
    const gold = packConfig({ projects: [{ name: "alpha", quota: {}, storageClasses: ["silver", "gold"] }] });
    expect(of(run(s, { config: gold }), "quota/storageclass-not-assigned")).toEqual([]);
  });

  it("quota/overcommit-ratio: NamespaceResourceRatio cpu 1 (must be absent, 0 or an integer > 1)", () => {
    const s = new Stack();
    s.add(T.ratio, "bad", { metadata: { name: "bad", namespace: "app" }, spec: { cpu: 1, memory: 4 } });
    s.add(T.ratio, "good", { metadata: { name: "good", namespace: "web" }, spec: { cpu: 0, memory: 2 } });
    const vs = by(violations(s), "quota/overcommit-ratio");
    expect(vs.map((v) => v.urn?.split("::").pop())).toEqual(["bad"]);
    expect(vs[0]?.message).toContain('namespace "app" cpu overcommit ratio 1 is not allowed');
    expect(vs[0]?.message).toContain("(at spec.cpu)");
  });
});
