/**
 * QuotaFacts from a parsed environment spec, for `checkQuotas` in the offline preview, the
 * platform composite and the stacks. Paths are spec paths (`clusters[0].nodePools[1].maxSize`);
 * resources are the cluster name and `<cluster>-<pool>` for pools (the names their components
 * derive children from).
 *
 * What the spec says nothing about stays unknown (and so never violates): previous pool sizes
 * (a pool counts from 0 for quota/scale-step), EIPs, security-group types, listeners and
 * backends, and tenancy (projects, namespaces, LimitRanges), which the tenancy components and
 * the policy pack fill in.
 */

import { requestedPoolSize } from "./poolSize";
import type {
  ClusterQuotaFacts,
  FactRef,
  LoadBalancerQuotaFacts,
  NodePoolQuotaFacts,
  QuotaFacts,
} from "./rules/quota";
import type { Environment } from "./spec";
import { cniOf } from "./spec";

/** Logical name of the API server load balancer ACK creates for every cluster (ACK docs: Create an ACK dedicated cluster; Manage Kubernetes clusters with kubectl on Cloud Shell). */
export function apiServerLoadBalancerName(cluster: string): string {
  return `${cluster}-apiserver`;
}

/** Logical name of the security group ACK creates for every cluster (ACK docs: FAQ about security). */
export function clusterSecurityGroupName(cluster: string): string {
  return `${cluster}-sg`;
}

/** A Karpenter NodePool's capacity types as quota facts: with both it may reach its limits in either. */
function karpenterCapacity(types: readonly string[]): "on-demand" | "spot" | "any" {
  const spot = types.includes("spot");
  if (!spot) return "on-demand";
  return types.includes("on-demand") ? "any" : "spot";
}

export function quotaFactsFromEnvironment(env: Environment): QuotaFacts {
  const alicloud = env.cloud === "alicloud";
  const vpc = env.vpc.id ?? `${env.name}-vpc`;

  const clusters: ClusterQuotaFacts[] = env.clusters.map((c, i) => ({
    resource: c.name,
    path: `clusters[${i}]`,
    name: c.name,
    // Editions are ACK's; an EKS cluster has none.
    edition: alicloud ? c.edition : undefined,
    cni: cniOf(env, c),
    vpc,
    nodePools: c.nodePools
      .map(
        (p, j): NodePoolQuotaFacts => ({
          resource: `${c.name}-${p.name}`,
          path: `clusters[${i}].nodePools[${j}]`,
          name: p.name,
          // The size the program requests, counted as each pool component counts it.
          ...requestedPoolSize(p),
          capacity: p.capacity,
          instanceTypes: p.instanceTypes,
          vcpu: p.vcpu,
          memoryGiB: p.memoryGiB,
          securityGroups: p.securityGroups.map((id) => ({ id })),
        }),
      )
      .concat(
        // Karpenter's NodePools grow to their CPU and memory limits.
        (c.karpenter?.nodePools ?? []).map((p, j) => ({
          resource: `${c.name}-${p.name}`,
          path: `clusters[${i}].karpenter.nodePools[${j}]`,
          name: p.name,
          autoscaling: true,
          limits: { vcpu: p.cpuLimit, memoryGiB: p.memoryLimitGiB },
          capacity: { type: karpenterCapacity(p.capacityTypes) },
        })),
      ),
  }));

  // ACK creates an intranet SLB for each cluster's API server (ACK docs: Create an ACK dedicated cluster; Manage Kubernetes clusters with kubectl on Cloud Shell) and a
  // security group for each cluster (ACK docs: FAQ about security); both count against account quotas.
  const loadBalancers: LoadBalancerQuotaFacts[] = alicloud
    ? env.clusters.map((c, i) => ({
        resource: apiServerLoadBalancerName(c.name),
        path: `clusters[${i}]`,
        name: apiServerLoadBalancerName(c.name),
      }))
    : [];
  const securityGroups: FactRef[] = [];
  const seen = new Set<string>();
  const addGroup = (resource: string, path: string) => {
    if (seen.has(resource)) return;
    seen.add(resource);
    securityGroups.push({ resource, path });
  };
  env.clusters.forEach((c, i) => {
    if (alicloud) addGroup(clusterSecurityGroupName(c.name), `clusters[${i}]`);
    c.nodePools.forEach((p, j) => {
      p.securityGroups.forEach((id, k) => {
        addGroup(id, `clusters[${i}].nodePools[${j}].securityGroups[${k}]`);
      });
    });
  });

  const quotas = { ...env.quotas };
  // The route-entry quota may be declared on the VPC it belongs to.
  if (quotas.routeEntries === undefined && env.vpc.routeEntryQuota !== undefined) {
    quotas.routeEntries = env.vpc.routeEntryQuota;
  }

  return {
    cloud: env.cloud,
    scope: { resource: env.name, path: "" },
    quotas,
    budget: { resource: env.name, path: "budget", ...env.budget },
    clusters,
    loadBalancers,
    securityGroups,
  };
}
