/**
 * `npm run bench:policy`: how long the whole policy pack takes over a stack of 1,000, 10,000
 * and 100,000 resources (half of them carrying a CIDR: 50,000 at 100,000), evaluated in-process
 * with the same policy functions CrossGuard calls. Prints the median of several runs of each
 * size and their ratios: the overlap checks sweep sorted ranges instead of comparing all pairs,
 * so ten times the resources should cost about ten times the time, not a hundred. The goal for
 * 100,000 resources is under 2 s, wall and process CPU alike (printed, not asserted). Each
 * line also prints the fastest and the slowest run (on a shared machine the median moves with
 * the other processes, the minimum much less; the run that triggers a major collection pays for
 * marking the earlier runs' garbage, on the collector's helper threads: CPU, not wall).
 *
 *   npm run bench:policy                        1,000, 10,000 and 100,000 resources
 *   npm run bench:policy -- 100000              one size, 3 runs (e.g. under node --cpu-prof)
 *   npm run bench:policy -- 100000 --runs 7     one size, 7 runs
 */
import { performance } from "node:perf_hooks";
import { type EvaluatedResource, evaluatePolicies } from "@kubeplat/policy/evaluate";
import { packConfig } from "@kubeplat/policy/policies";

const STACK = "bench";

function urn(type: string, name: string): string {
  return `urn:pulumi:${STACK}::bench::${type}::${name}`;
}

/**
 * A hand-written-looking stack of `size` resources: per 100 resources one VPC (a /16 of 10/8),
 * 47 vSwitches (/24), one Flannel ACK cluster (pod and service CIDRs: 50 CIDRs per 100
 * resources), 5 node pools, 15 tenant namespaces with a ResourceQuota and a LimitRange each,
 * and an SLB. Property dependencies are those the engine would record during a preview, where
 * the ids of new resources are unknown.
 */
export function benchStack(size: number): EvaluatedResource[] {
  const out: EvaluatedResource[] = [];
  const add = (
    type: string,
    name: string,
    props: Record<string, unknown>,
    deps: Record<string, string[]> = {},
  ) => {
    const r: EvaluatedResource = {
      type,
      name,
      urn: urn(type, name),
      props,
      propertyDependencies: deps,
      dependencies: Object.values(deps).flat(),
      // Clusters and load balancers are protected, as the components do in production.
      protect: type === "alicloud:cs/managedKubernetes:ManagedKubernetes" || type.includes("loadBalancer"),
    };
    out.push(r);
    return r.urn as string;
  };
  const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
  const units = Math.floor(size / 100);
  for (let u = 0; u < units; u++) {
    const a = u % 256;
    const vpc = add("alicloud:vpc/network:Network", `vpc-${u}`, { cidrBlock: `10.${a}.0.0/16` });
    const switches: string[] = [];
    for (let s = 0; s < 47; s++) {
      switches.push(
        add(
          "alicloud:vpc/switch:Switch",
          `vsw-${u}-${s}`,
          { cidrBlock: `10.${a}.${s}.0/24`, vpcId: unknown, zoneId: `cn-hangzhou-${"abc"[s % 3]}` },
          { vpcId: [vpc] },
        ),
      );
    }
    const cluster = add(
      "alicloud:cs/managedKubernetes:ManagedKubernetes",
      `ack-${u}`,
      {
        name: `ack-${u}`,
        clusterSpec: "ack.pro.small",
        podCidr: `172.${16 + (u % 16)}.${(Math.floor(u / 16) % 16) * 16}.0/20`,
        serviceCidr: `192.168.${u % 256}.0/24`,
        nodeCidrMask: 26,
        addons: [{ name: "flannel" }],
        vswitchIds: [unknown, unknown, unknown],
        workerVswitchIds: [unknown, unknown, unknown],
        deletionProtection: true,
        encryptionProviderKey: "kms-key",
        slbInternetEnabled: false,
        tags: { env: "bench" },
      },
      { vswitchIds: switches.slice(0, 3), workerVswitchIds: switches.slice(0, 3) },
    );
    for (let p = 0; p < 5; p++) {
      add(
        "alicloud:cs/nodePool:NodePool",
        `pool-${u}-${p}`,
        {
          clusterId: unknown,
          nodePoolName: `pool-${p}`,
          vswitchIds: [unknown],
          instanceTypes: ["ecs.g7.xlarge"],
          desiredSize: "3",
          imageType: "ContainerOS",
          keyName: "ops",
          management: { enable: true },
          runtimeName: "containerd",
        },
        { clusterId: [cluster], vswitchIds: [switches[p % 3] as string] },
      );
    }
    for (let n = 0; n < 15; n++) {
      const ns = `team-${u}-${n}`;
      const nsUrn = add("kubernetes:core/v1:Namespace", ns, {
        metadata: {
          name: ns,
          labels: { "cpaas.io/project": `project-${u}`, "pod-security.kubernetes.io/enforce": "restricted" },
        },
      });
      add(
        "kubernetes:core/v1:ResourceQuota",
        `${ns}-quota`,
        {
          metadata: { name: "default", namespace: ns },
          spec: { hard: { "requests.cpu": "2", "limits.memory": "4Gi" } },
        },
        { metadata: [nsUrn] },
      );
      add(
        "kubernetes:core/v1:LimitRange",
        `${ns}-limits`,
        {
          metadata: { name: "default", namespace: ns },
          spec: {
            limits: [
              {
                type: "Container",
                defaultRequest: { cpu: "100m" },
                default: { cpu: "500m" },
                max: { cpu: "2" },
              },
            ],
          },
        },
        { metadata: [nsUrn] },
      );
    }
    add("alicloud:slb/loadBalancer:LoadBalancer", `slb-${u}`, {
      loadBalancerName: `slb-${u}`,
      addressType: "intranet",
      deleteProtection: "on",
    });
  }
  return out;
}

function cidrCount(resources: EvaluatedResource[]): number {
  let n = 0;
  for (const r of resources) {
    for (const k of ["cidrBlock", "podCidr", "serviceCidr"]) if (typeof r.props[k] === "string") n++;
  }
  return n;
}

const config = packConfig({
  productionStacks: [STACK],
  quotas: { loadBalancers: 10_000, eips: 10_000, securityGroups: 10_000 },
  projects: [],
});

interface Sample {
  /** Wall-clock milliseconds. */
  ms: number;
  /** CPU milliseconds of this process (less sensitive to other processes sharing the machine). */
  cpu: number;
  diagnostics: number;
}

function time(resources: EvaluatedResource[]): Sample {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const d = evaluatePolicies(resources, { stackName: STACK, config });
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpu: (cpu.user + cpu.system) / 1000, diagnostics: d.length };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function run(size: number, runs: number): { ms: number; cpu: number } {
  const resources = benchStack(size);
  time(resources); // warm-up: JIT, caches of module code
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    // A fresh copy each run, so no per-object memo survives from the previous run.
    const copy = resources.map((r) => ({ ...r, props: structuredClone(r.props) }));
    samples.push(time(copy));
  }
  const ms = median(samples.map((s) => s.ms));
  const cpu = median(samples.map((s) => s.cpu));
  const fastest = Math.min(...samples.map((s) => s.cpu));
  const slowest = Math.max(...samples.map((s) => s.cpu));
  const slowestWall = Math.max(...samples.map((s) => s.ms));
  console.log(
    `${resources.length.toLocaleString("en-US")} resources (${cidrCount(resources).toLocaleString("en-US")} CIDRs): ${ms.toFixed(1)} ms wall, ${cpu.toFixed(1)} ms process CPU (median of ${runs}; fastest ${fastest.toFixed(1)}, slowest ${slowest.toFixed(1)} ms CPU, ${slowestWall.toFixed(1)} ms wall), ${samples[0]?.diagnostics} diagnostics`,
  );
  return { ms, cpu };
}

// `npm run bench:policy -- 100000`: one size only (e.g. under a profiler).
const only = Number(process.argv[2]);
if (only > 0) {
  const i = process.argv.indexOf("--runs");
  run(only, i > 0 ? Math.max(1, Number(process.argv[i + 1]) || 3) : 3);
  process.exit(0);
}
const small = run(1_000, 9);
const large = run(10_000, 5);
const huge = run(100_000, 3);
console.log(
  `ratio 10,000 / 1,000: ${(large.ms / small.ms).toFixed(1)} wall, ${(large.cpu / small.cpu).toFixed(1)} CPU`,
);
console.log(
  `ratio 100,000 / 10,000: ${(huge.ms / large.ms).toFixed(1)} wall, ${(huge.cpu / large.cpu).toFixed(1)} CPU; 100,000 resources ${huge.ms < 2000 && huge.cpu < 2000 ? "under" : "OVER"} the 2 s goal (${(huge.ms / 1000).toFixed(2)} s wall, ${(huge.cpu / 1000).toFixed(2)} s CPU)`,
);
