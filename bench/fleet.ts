/**
 * A generated fleet: one Alibaba Cloud environment of `clusters` Terway clusters, each with four
 * node pools over three zones, an ALB and an NGINX ingress and one tenant project with two
 * namespaces (about 70 resources per cluster). Used by `npm run bench:preview` and reusable by
 * tests: `fleetEnvironment(n)` is the spec (the document under `platform:environment`),
 * `writeFleetStack(dir, n)` writes it as `Pulumi.<name>.yaml` where the offline preview reads it.
 *
 * The VPC is 172.16.0.0/12 with /18 cluster slots (64 clusters fit) and /20 zone slots, so the
 * planner's service CIDRs come from 10.0.0.0/8 (256 candidates); every quota a fleet of this size
 * needs is raised in the spec, so no mandatory rule stops the program early (the advisories left
 * are the /21 Terway pod vSwitches of a /20 zone slot and secrets without a KMS key).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";

export const FLEET_ZONES = ["cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"];
export const FLEET_POOLS = 4;

export function fleetName(clusters: number): string {
  return `fleet-${clusters}`;
}

export function fleetEnvironment(clusters: number): Record<string, unknown> {
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > 64)
    throw new RangeError(`a fleet has 1 to 64 clusters (got ${clusters})`);
  const names = Array.from({ length: clusters }, (_, i) => `c${String(i).padStart(2, "0")}`);
  return {
    name: fleetName(clusters),
    cloud: "alicloud",
    region: "cn-hangzhou",
    production: false,
    zones: FLEET_ZONES,
    vpc: { cidr: "172.16.0.0/12", layout: { clusterPrefix: 18 } },
    clusters: names.map((name) => ({
      name,
      edition: "pro",
      kubernetesVersion: "1.31.1-aliyun.1",
      cni: "terway",
      maxPodsPerNode: 64,
      security: { deletionProtection: true },
      nodePools: Array.from({ length: FLEET_POOLS }, (_, p) => ({
        name: p === 0 ? "system" : `pool${p}`,
        minSize: 1,
        maxSize: 3,
        instanceTypes: ["ecs.g7.xlarge"],
        vcpu: 4,
        memoryGiB: 16,
        loginKeyPair: "platform-fleet",
        ...(p === 0 ? { default: true } : {}),
      })),
      ingress: [
        { name: "public", kind: "alb", default: true, addressType: "internet" },
        { name: "internal", kind: "nginx", className: "nginx-internal", addressType: "intranet" },
      ],
    })),
    quotas: {
      loadBalancers: 4 * clusters,
      eips: 4 * clusters,
      securityGroups: 4 * clusters,
      routeEntries: 4 * clusters + 48,
      autoscalingVcpu: 4 * 3 * FLEET_POOLS * clusters,
    },
    tenancy: {
      projects: names.map((c) => ({
        name: `team-${c}`,
        clusters: [{ name: c, quota: { "requests.cpu": "16", "requests.memory": "32Gi" } }],
        namespaces: [
          { name: "web", cluster: c, quota: { "requests.cpu": "8", "requests.memory": "16Gi" } },
          { name: "jobs", cluster: c, quota: { "requests.cpu": "4", "requests.memory": "8Gi" } },
        ],
      })),
    },
    access: {
      // Private API endpoints, as the shipped environments have: deployed from inside the VPC.
      deployFrom: "vpc",
      breakGlassGroups: ["platform-break-glass"],
      grants: [
        { group: "platform-admins", role: "admin" },
        { group: "auditors", role: "auditor" },
      ],
    },
    tags: { env: "fleet" },
  };
}

/** Write the fleet's stack settings file into `dir`; returns the environment (stack) name. */
export function writeFleetStack(dir: string, clusters: number): string {
  mkdirSync(dir, { recursive: true });
  const env = fleetName(clusters);
  const doc = {
    config: { "alicloud:region": "cn-hangzhou", "platform:environment": fleetEnvironment(clusters) },
  };
  writeFileSync(join(dir, `Pulumi.${env}.yaml`), stringify(doc));
  return env;
}
