/**
 * `security/deployer-access` (RULES.md, "Security and access"): a program that manages
 * in-cluster objects (namespaces, RBAC, storage classes, Helm releases) grants the identity that
 * runs it access to the cluster's API, and that API is reachable from where it runs.
 *
 * - Access (EKS): with `authenticationMode: API` and no creator bootstrap, nobody can call the API
 *   until an access entry says so, so the deployer needs an access entry with
 *   AmazonEKSClusterAdminPolicy at cluster scope (Amazon EKS User Guide: "Grant IAM users access to
 *   Kubernetes with EKS access entries"). On ACK the kubeconfig the program reads is the
 *   deploying RAM identity's own credential, so access is not in question there.
 * - Reach: a private-only endpoint answers only inside the VPC and the networks connected to it;
 *   `pulumi up` from the internet (a laptop, hosted CI) cannot create in-cluster objects there.
 *
 * Every leaf is optional: unknown values (a preview of the policy pack) never produce a
 * diagnostic; only known values that break the rule do.
 */
import { type Diagnostic, diagnostic } from "../diagnostic";

export interface DeployerAccessFacts {
  /** Logical name or URN of the cluster. */
  resource: string;
  /** The cluster's spec path, e.g. `clusters[0]`; field paths below are absolute when given. */
  path?: string;
  cluster?: string;
  cloud?: string;
  /** The program creates objects through this cluster's API. */
  managesInClusterObjects?: boolean;
  /** EKS: some principal that runs the program holds cluster-admin through an access entry. */
  deployerAdmin?: boolean;
  /** EKS `bootstrapClusterCreatorAdminPermissions`: the creator is cluster-admin. */
  creatorAdmin?: boolean;
  /** EKS `authenticationMode`: with a ConfigMap mode, aws-auth may grant access instead. */
  authenticationMode?: string;
  /** Whether the API server has a public endpoint. */
  publicEndpoint?: boolean;
  /** Where `pulumi up` runs: `internet` or `vpc`. */
  deployFrom?: string;
  /** Absolute paths of the fields a diagnostic names. */
  fieldPaths?: { deployers?: string; deployFrom?: string };
}

function who(f: DeployerAccessFacts): string {
  return `cluster "${f.cluster ?? f.resource}"`;
}

/** `security/deployer-access` over one cluster. */
export function deployerAccess(f: DeployerAccessFacts): Diagnostic[] {
  if (f.managesInClusterObjects !== true) return [];
  const out: Diagnostic[] = [];
  const at = (field: string, absolute: string | undefined) =>
    absolute ?? (f.path ? `${f.path}.${field}` : field);
  const apiOnly = f.authenticationMode === undefined || f.authenticationMode === "API";
  if (f.cloud === "aws" && f.deployerAdmin === false && f.creatorAdmin !== true && apiOnly) {
    out.push(
      diagnostic("security/deployer-access", {
        resource: f.resource,
        path: at("deployers", f.fieldPaths?.deployers),
        message: `${who(f)}: the program manages in-cluster objects, but no access entry gives the identity running it cluster-admin (authenticationMode API, bootstrapClusterCreatorAdminPermissions off, no deployers): every object it creates would be refused; list the deploying role in access.deployers, or leave access.deployers out to grant the identity running pulumi up`,
      }),
    );
  }
  if (f.publicEndpoint === false && f.deployFrom === "internet") {
    out.push(
      diagnostic("security/deployer-access", {
        resource: f.resource,
        path: at("deployFrom", f.fieldPaths?.deployFrom),
        message: `${who(f)}: the API endpoint is private-only, but pulumi up runs from the internet (access.deployFrom internet) and the program manages in-cluster objects there: run it from inside the VPC or a network connected to it (access.deployFrom: vpc), or give the endpoint a public allow-list holding the deployer's address (apiServer.public: true, apiServer.allowList)`,
      }),
    );
  }
  return out;
}

/**
 * The facts of every cluster of an environment spec. The platform manages in-cluster objects in
 * every cluster (storage classes at least), never bootstraps the creator as admin, and on EKS
 * grants the deployers of `access.deployers` — by default the identity running the program.
 */
export function environmentDeployerFacts(env: {
  cloud: string;
  clusters: readonly { name: string; kind?: string; apiServer: { public: boolean } }[];
  access: { deployers?: readonly string[]; deployFrom: string };
}): DeployerAccessFacts[] {
  return env.clusters.map((c, ci) => ({
    resource: c.name,
    path: `clusters[${ci}]`,
    cluster: c.name,
    // A self-managed cluster admits the program by its own client certificate, not EKS access entries.
    cloud: c.kind === "selfmanaged" ? "kubeadm" : env.cloud,
    managesInClusterObjects: true,
    deployerAdmin: env.access.deployers === undefined || env.access.deployers.length > 0,
    creatorAdmin: false,
    authenticationMode: "API",
    publicEndpoint: c.apiServer.public,
    deployFrom: env.access.deployFrom,
    fieldPaths: { deployers: "access.deployers", deployFrom: "access.deployFrom" },
  }));
}
