/**
 * Where `pulumi up` of an environment must run: every cluster's in-cluster layer (storage
 * classes, RBAC, tenancy, ingress controllers) is created through the cluster's API server, so
 * the machine running `pulumi up` needs network reach to that endpoint and an identity the
 * cluster admits. The offline preview prints this per cluster; `security/deployer-access` refuses
 * what cannot work.
 */
import type { Environment } from "@kubeplat/plan";

export interface ApiReach {
  cluster: string;
  /** `private`: reachable inside the VPC and connected networks only; `public`: also from the allowed addresses. */
  endpoint: "private" | "public";
  /** Where `pulumi up` can reach the API server from. */
  reachableFrom: string[];
  /** The spec's statement of where `pulumi up` runs (`access.deployFrom`). */
  deployFrom: "internet" | "vpc";
  /** Whether that place reaches the endpoint. */
  reachable: boolean;
  /** Who the cluster admits to create the in-cluster objects. */
  deployer: string;
}

export function apiReach(env: Environment): ApiReach[] {
  const inside = [
    `inside the VPC (${[env.vpc.id ?? env.vpc.cidr, ...env.vpc.secondaryCidrs].join(", ")})`,
    ...env.connectedRanges.map((r) => `connected ${r.kind} ${r.name} (${r.cidr})`),
  ];
  return env.clusters.map((c) => {
    const publicEndpoint = c.apiServer.public;
    const reachableFrom = publicEndpoint
      ? [
          ...inside,
          c.apiServer.allowList.length > 0
            ? `the internet from ${c.apiServer.allowList.join(", ")}`
            : "the internet, from anywhere",
        ]
      : inside;
    const deployers = env.access.deployers;
    const selfManaged = env.clusters.find((x) => x.name === c.name)?.kind === "selfmanaged";
    const deployer = selfManaged
      ? "the program itself, with the administrator client certificate the platform issues (group kubeadm:cluster-admins)"
      : env.cloud === "aws"
        ? deployers === undefined
          ? "the identity running pulumi up (aws sts get-caller-identity), granted cluster-admin by an access entry"
          : deployers.length > 0
            ? `${deployers.join(", ")} (cluster-admin access entries)`
            : "nobody (access.deployers is empty)"
        : "the RAM identity running pulumi up, through its own kubeconfig (ACK makes the cluster's creator an RBAC admin; any other identity needs an ACK RBAC authorization)";
    return {
      cluster: c.name,
      endpoint: publicEndpoint ? "public" : "private",
      reachableFrom,
      deployFrom: env.access.deployFrom,
      reachable: publicEndpoint || env.access.deployFrom === "vpc",
      deployer,
    };
  });
}

export function renderApiReach(reach: readonly ApiReach[]): string {
  if (reach.length === 0) return "Where pulumi up runs — no cluster, no API server to reach.";
  const lines = [
    "Where pulumi up runs — every cluster's in-cluster layer is created through its API server:",
  ];
  for (const r of reach) {
    lines.push(
      `  ${r.cluster}: ${r.endpoint} endpoint, reachable from ${r.reachableFrom.join("; ")}`,
      `    runs from: ${r.deployFrom === "vpc" ? "a runner inside the VPC or a connected network" : "the internet"} (access.deployFrom ${r.deployFrom})${r.reachable ? "" : " — cannot reach it (security/deployer-access)"}`,
      `    admitted: ${r.deployer}`,
    );
  }
  return lines.join("\n");
}
