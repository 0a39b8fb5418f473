import {
  checkQuotas,
  type Environment,
  type EnvironmentInput,
  PlatformValidationError,
  parseEnvironment,
  quotaFactsFromEnvironment,
  throwIfMandatory,
} from "@kubeplat/plan";
import { describe, expect, it } from "vitest";

function env(over: Partial<EnvironmentInput> = {}): Environment {
  const input: EnvironmentInput = {
    name: "prod",
    cloud: "alicloud",
    region: "cn-hangzhou",
    zones: ["cn-hangzhou-i", "cn-hangzhou-j"],
    vpc: { cidr: "10.0.0.0/8" },
    clusters: [
      {
        name: "main",
        nodePools: [
          {
            name: "system",
            minSize: 2,
            maxSize: 3,
            desiredSize: 3,
            instanceTypes: ["ecs.g7.xlarge"],
            securityGroups: ["sg-a"],
          },
          {
            name: "apps",
            minSize: 0,
            maxSize: 10,
            autoscaling: true,
            instanceTypes: ["ecs.g7.xlarge"],
            vcpu: 4,
            memoryGiB: 16,
          },
        ],
      },
    ],
    ...over,
  };
  const r = parseEnvironment(input);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.env;
}

describe("quotaFactsFromEnvironment", () => {
  it("describes clusters and pools with spec paths and names", () => {
    const facts = quotaFactsFromEnvironment(env());
    expect(facts.cloud).toBe("alicloud");
    expect(facts.scope).toEqual({ resource: "prod", path: "" });
    expect(facts.clusters).toEqual([
      {
        resource: "main",
        path: "clusters[0]",
        name: "main",
        edition: "pro",
        cni: "terway",
        vpc: "prod-vpc",
        nodePools: [
          {
            resource: "main-system",
            path: "clusters[0].nodePools[0]",
            name: "system",
            autoscaling: false,
            // A fixed pool requests its desired size; its maxSize counts for nothing.
            maxSize: undefined,
            desiredSize: 3,
            instanceTypes: ["ecs.g7.xlarge"],
            vcpu: 4,
            memoryGiB: 16,
            securityGroups: [{ id: "sg-a" }],
            capacity: { type: "on-demand", onDemandBase: 0, onDemandPercentage: 0 },
          },
          {
            resource: "main-apps",
            path: "clusters[0].nodePools[1]",
            name: "apps",
            autoscaling: true,
            maxSize: 10,
            desiredSize: undefined,
            instanceTypes: ["ecs.g7.xlarge"],
            vcpu: 4,
            memoryGiB: 16,
            securityGroups: [],
            capacity: { type: "on-demand", onDemandBase: 0, onDemandPercentage: 0 },
          },
        ],
      },
    ]);
    // ACK's API server SLB and the cluster security group count against account quotas.
    expect(facts.loadBalancers).toEqual([
      { resource: "main-apiserver", path: "clusters[0]", name: "main-apiserver" },
    ]);
    expect(facts.securityGroups).toEqual([
      { resource: "main-sg", path: "clusters[0]" },
      { resource: "sg-a", path: "clusters[0].nodePools[0].securityGroups[0]" },
    ]);
    expect(facts.budget).toEqual({ resource: "prod", path: "budget" });
    expect(facts.namespaces).toBeUndefined();
  });

  it("a compliant environment has no quota diagnostics", () => {
    expect(checkQuotas(quotaFactsFromEnvironment(env()))).toEqual([]);
  });

  it("reports at spec paths, and throwIfMandatory lists every violation before anything is created", () => {
    const e = env({
      budget: { nodes: 500 },
      clusters: [
        {
          name: "main",
          nodePools: [
            { name: "system", minSize: 2, maxSize: 3, instanceTypes: ["ecs.g7.xlarge"] },
            { name: "big", minSize: 0, maxSize: 1200, desiredSize: 1200, instanceTypes: ["ecs.g7.xlarge"] },
          ],
        },
      ],
    });
    const ds = checkQuotas(quotaFactsFromEnvironment(e));
    expect(ds.map((d) => [d.rule, d.resource, d.path])).toEqual([
      ["quota/cluster-nodes", "main", "clusters[0].nodePools"],
      ["quota/nodes-per-pool", "main-big", "clusters[0].nodePools[1].desiredSize"],
      ["quota/scale-step", "main-big", "clusters[0].nodePools[1].desiredSize"],
      ["quota/environment-budget", "prod", "budget.nodes"],
    ]);
    expect(() => throwIfMandatory("environment prod", ds)).toThrow(PlatformValidationError);
    expect(() => throwIfMandatory("environment prod", ds)).toThrow(
      /quota\/nodes-per-pool at clusters\[0\]\.nodePools\[1\]\.desiredSize \(main-big\): node pool "big" of cluster "main": desiredSize 1200 > default quota 1000/,
    );
  });

  it("applies the vCPU default to autoscaling pools until a raised quota is declared", () => {
    const pools = [
      { name: "apps", minSize: 0, maxSize: 20, autoscaling: true, instanceTypes: ["ecs.g7.xlarge"], vcpu: 4 },
    ];
    const ds = checkQuotas(
      quotaFactsFromEnvironment(env({ clusters: [{ name: "main", nodePools: pools }] })),
    );
    expect(ds.map((d) => [d.rule, d.path])).toEqual([["quota/autoscaling-vcpu", "quotas.autoscalingVcpu"]]);
    expect(ds[0]?.message).toContain("80 vCPUs (max size × vCPU: apps 20 × 4)");
    expect(
      checkQuotas(
        quotaFactsFromEnvironment(
          env({ quotas: { autoscalingVcpu: 80 }, clusters: [{ name: "main", nodePools: pools }] }),
        ),
      ),
    ).toEqual([]);
  });

  it("takes the route-entry quota from the VPC, and the Flannel CNI from the cluster", () => {
    const flannel = {
      name: "legacy",
      cni: "flannel" as const,
      nodePools: [{ name: "w", minSize: 0, maxSize: 60, desiredSize: 60, instanceTypes: ["ecs.g7.xlarge"] }],
    };
    const ds = checkQuotas(quotaFactsFromEnvironment(env({ clusters: [flannel] })));
    expect(ds.map((d) => [d.rule, d.resource])).toEqual([["quota/flannel-route-entries", "legacy"]]);
    expect(ds[0]?.message).toContain("60 nodes");
    expect(
      checkQuotas(
        quotaFactsFromEnvironment(
          env({ vpc: { cidr: "10.0.0.0/8", routeEntryQuota: 100 }, clusters: [flannel] }),
        ),
      ),
    ).toEqual([]);
  });

  it("counts the API server load balancer of every ACK cluster against the budget", () => {
    const two = env({
      budget: { loadBalancers: 1, clusters: 2 },
      clusters: [
        { name: "a", nodePools: [] },
        { name: "b", nodePools: [] },
      ],
    });
    const ds = checkQuotas(quotaFactsFromEnvironment(two));
    expect(ds.map((d) => [d.rule, d.path, d.message])).toEqual([
      [
        "quota/environment-budget",
        "budget.loadBalancers",
        "the environment plans up to 2 load balancers > budget.loadBalancers 1",
      ],
    ]);
  });

  it("on AWS leaves out ACK's editions, load balancers and security groups", () => {
    const facts = quotaFactsFromEnvironment(
      env({
        cloud: "aws",
        region: "eu-west-1",
        zones: ["eu-west-1a"],
        clusters: [{ name: "eks", nodePools: [] }],
      }),
    );
    expect(facts.clusters?.[0]).toMatchObject({ edition: undefined, cni: "vpc-cni" });
    expect(facts.loadBalancers).toEqual([]);
    expect(facts.securityGroups).toEqual([]);
  });

  it("on AWS checks only the quotas the environment declares", () => {
    const big = [{ name: "w", minSize: 0, maxSize: 3000, desiredSize: 3000, instanceTypes: ["m7i.xlarge"] }];
    const aws = { cloud: "aws" as const, region: "eu-west-1", zones: ["eu-west-1a"] };
    expect(
      checkQuotas(quotaFactsFromEnvironment(env({ ...aws, clusters: [{ name: "eks", nodePools: big }] }))),
    ).toEqual([]);
    const ds = checkQuotas(
      quotaFactsFromEnvironment(
        env({ ...aws, quotas: { nodesPerPool: 450 }, clusters: [{ name: "eks", nodePools: big }] }),
      ),
    );
    expect(ds.map((d) => [d.rule, d.path])).toEqual([
      ["quota/nodes-per-pool", "clusters[0].nodePools[0].desiredSize"],
    ]);
    expect(ds[0]?.message).toContain("declared quota 450 (quotas.nodesPerPool)");
  });
});
