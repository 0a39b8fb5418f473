/**
 * An application team's service on the platform: a Deployment, a ClusterIP Service and an
 * Ingress in the team's tenant namespace, on a cluster of a platform stack it reads through
 * `PlatformReference`. `index.ts` calls `teamApp` with the stack's config; tests call it directly.
 *
 * Everything the app decides from the platform (the cluster, that the namespace is the
 * project's, the ingress class) is checked before any Kubernetes resource is created, and a
 * wrong choice fails with one message naming what the platform offers.
 */
import { DEFAULT_LIMIT_RANGE, PlatformReference } from "@kubeplat/components";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface TeamAppArgs {
  /** The platform stack, fully qualified, e.g. `org/platform/dev`. Required. */
  platformStack: string;
  /** The tenant project, e.g. `shop`. Required. */
  project: string;
  /** The tenant namespace, e.g. `shop-web`: one of the project's namespaces on the cluster. Required. */
  namespace: string;
  /** The cluster. Default: the one cluster on which the project has `namespace`. */
  cluster?: string;
  /** Name of the Deployment, Service and Ingress. Default `hello`. */
  name?: string;
  /** Container image; it must run as a non-root numeric user. Default `nginxinc/nginx-unprivileged:1.27-alpine`. */
  image?: string;
  /** Port the container listens on. Default 8080 (the unprivileged nginx image's port). */
  port?: number;
  /** User id the container runs as (never 0). Default 101 (the unprivileged nginx image's user). */
  runAsUser?: number;
  /** Replicas. Default 2. */
  replicas?: number;
  /** IngressClass: one the cluster serves. Default: the first the platform lists for the cluster. */
  ingressClass?: string;
  /** Host name of the Ingress rule. Default `<name>.<namespace>.<environment>.example.com`. */
  host?: string;
  /**
   * Container requests and limits. Default: the platform's tenant LimitRange defaults
   * (requests 100m/128Mi, limits 500m/512Mi), so the pods fit any namespace quota sized for them.
   */
  resources?: { requests: Record<string, string>; limits: Record<string, string> };
}

export interface TeamApp {
  cluster: string;
  namespace: string;
  ingressClass: string;
  host: string;
  url: string;
  provider: k8s.Provider;
  deployment: k8s.apps.v1.Deployment;
  service: k8s.core.v1.Service;
  ingress: k8s.networking.v1.Ingress;
}

/** A choice the platform does not offer (cluster, namespace, ingress class): printed without a stack trace. */
export class TeamAppError extends pulumi.RunError {
  constructor(message: string) {
    super(message);
    this.name = "TeamAppError";
  }
}

const quoted = (xs: readonly string[]) => (xs.length === 0 ? "none" : xs.map((x) => `"${x}"`).join(", "));

export async function teamApp(args: TeamAppArgs): Promise<TeamApp> {
  const name = args.name ?? "hello";
  const port = args.port ?? 8080;
  const platform = new PlatformReference(args.platformStack);
  // Resolved now (a stack reference is read in preview too): fails on an unsupported contract.
  const contract = await platform.resolveContract();
  const stack = args.platformStack;

  const owning = Object.values(contract.clusters)
    .filter((c) => (c.namespaces[args.project] ?? []).includes(args.namespace))
    .map((c) => c.name)
    .sort();
  let clusterName = args.cluster;
  if (clusterName === undefined) {
    if (owning.length !== 1) {
      const where =
        Object.values(contract.clusters)
          .filter((c) => (c.namespaces[args.project] ?? []).length > 0)
          .sort((a, b) => (a.name < b.name ? -1 : 1))
          .map((c) => `on cluster "${c.name}": ${quoted([...(c.namespaces[args.project] ?? [])].sort())}`)
          .join("; ") || "it has none";
      throw new TeamAppError(
        owning.length === 0
          ? `namespace "${args.namespace}" is not one of project "${args.project}"'s namespaces in stack "${stack}" (${where})`
          : `namespace "${args.namespace}" of project "${args.project}" is on clusters ${quoted(owning)} of stack "${stack}": set config "cluster" to one of them`,
      );
    }
    clusterName = owning[0] as string;
  }
  const cluster = contract.clusters[clusterName];
  if (!cluster) {
    throw new TeamAppError(
      `stack "${stack}" has no cluster "${clusterName}"; its clusters: ${quoted(Object.keys(contract.clusters).sort())}`,
    );
  }
  const owned = cluster.namespaces[args.project] ?? [];
  if (!owned.includes(args.namespace)) {
    throw new TeamAppError(
      `namespace "${args.namespace}" is not one of project "${args.project}"'s namespaces on cluster "${clusterName}" of stack "${stack}": ${quoted([...owned].sort())}`,
    );
  }
  const ingressClass = args.ingressClass ?? cluster.ingressClasses[0];
  if (ingressClass === undefined || !cluster.ingressClasses.includes(ingressClass)) {
    throw new TeamAppError(
      `ingress class "${ingressClass ?? ""}" is not served on cluster "${clusterName}" of stack "${stack}"; its ingress classes: ${quoted(cluster.ingressClasses)}`,
    );
  }
  const host = args.host ?? `${name}.${args.namespace}.${contract.environment}.example.com`;

  const provider = platform.kubernetesProvider(`${name}-${clusterName}`, clusterName);
  const opts: pulumi.CustomResourceOptions = { provider };
  const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": args.project };
  const metadata = { name, namespace: args.namespace, labels };
  const resources = args.resources ?? {
    requests: { ...DEFAULT_LIMIT_RANGE.defaultRequest },
    limits: { ...DEFAULT_LIMIT_RANGE.default },
  };

  // Pod Security Admission "restricted" (Alauda Container Platform docs: Pod Security Admission; example Alauda Container Platform docs: Creating applications: Pod Security Admission example): non-root,
  // seccomp RuntimeDefault, no privilege escalation, every capability dropped.
  const deployment = new k8s.apps.v1.Deployment(
    name,
    {
      metadata,
      spec: {
        replicas: args.replicas ?? 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: args.runAsUser ?? 101,
              runAsGroup: args.runAsUser ?? 101,
              seccompProfile: { type: "RuntimeDefault" },
            },
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: labels },
              },
            ],
            containers: [
              {
                name,
                image: args.image ?? "nginxinc/nginx-unprivileged:1.27-alpine",
                ports: [{ name: "http", containerPort: port }],
                resources,
                securityContext: {
                  runAsNonRoot: true,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ["ALL"] },
                  seccompProfile: { type: "RuntimeDefault" },
                },
                readinessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 5 },
                livenessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 20 },
                // The root file system is read-only; nginx writes its pid and caches here.
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
          },
        },
      },
    },
    opts,
  );

  const service = new k8s.core.v1.Service(
    name,
    {
      metadata,
      spec: {
        type: "ClusterIP",
        selector: labels,
        ports: [{ name: "http", port: 80, targetPort: "http" }],
      },
    },
    opts,
  );

  const ingress = new k8s.networking.v1.Ingress(
    name,
    {
      metadata,
      spec: {
        ingressClassName: ingressClass,
        rules: [
          {
            host,
            http: {
              paths: [
                {
                  path: "/",
                  pathType: "Prefix",
                  backend: { service: { name: service.metadata.name, port: { name: "http" } } },
                },
              ],
            },
          },
        ],
      },
    },
    opts,
  );

  return {
    cluster: clusterName,
    namespace: args.namespace,
    ingressClass,
    host,
    url: `http://${host}`,
    provider,
    deployment,
    service,
    ingress,
  };
}
