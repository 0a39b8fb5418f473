/**
 * Platform: one environment spec in, the whole platform out, in dependency order:
 *
 *   network (VPC, vSwitches/subnets, NAT, security group)
 *   └─ per cluster: cluster (ACK / EKS) → node images → node pools / node groups
 *                   → managed add-ons (CNI, CSI, ingress controllers, autoscaler) → tenant identities
 *                   → in the cluster (through its Kubernetes provider): storage classes,
 *                     RBAC, tenancy, ingress controllers, each after the add-on it needs
 *
 * Nothing registers until everything is judged: the spec is parsed, planned and checked by every
 * spec-level rule, then every child's own validator runs on the exact arguments the child will
 * get (with placeholder references to its siblings). One PlatformValidationError lists every
 * mandatory violation (rule id, path, values); advisories are logged as warnings. Child names
 * derive from the platform's name and the spec's stable names (cluster, pool, allocation key),
 * never from positions, so adding a zone, cluster or pool renames nothing.
 */

import {
  checkEnvironment,
  type Diagnostic,
  type Environment,
  type EnvironmentPlan,
  formatDiagnostic,
  PlatformValidationError,
  parseEnvironment,
  throwIfMandatory,
} from "@kubeplat/plan";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AckCluster } from "../alicloud/AckCluster";
import type { EksCluster } from "../aws/EksCluster";
import {
  type IngressController,
  type IngressControllerArgs,
  ingressServiceId,
} from "../kubernetes/IngressController";
import type { StorageClasses } from "../kubernetes/StorageClasses";
import type { Tenancy } from "../kubernetes/Tenancy";
import { SelfManagedCluster } from "../selfmanaged/SelfManagedCluster";
import { type Built, emptyBuilt, liveRefs, platformChildren } from "./children";
import { type ClusterOutput, CONTRACT_VERSION, type PlatformContract, type VSwitchOutput } from "./contract";
import type { EnvironmentSpec } from "./environmentSpec";
import { clusterPlanOf, PLACEHOLDER_REFS } from "./platformArgs";
import { settleAll } from "./upgradeOrder";

export interface PlatformArgs {
  /**
   * The environment spec, exactly as under `platform:environment` in `stacks/Pulumi.<env>.yaml`
   * (validated with the spec's zod schema before anything is created). Required.
   */
  environment: EnvironmentSpec;
  /**
   * Allocations (`plan.allocations`) of an earlier plan of this environment: any range that
   * moved fails with `cidr/plan-renumbered`. Default: none (fixed slots keep growth stable).
   */
  baselineAllocations?: Record<string, string>;
}

interface ClusterParts {
  id: pulumi.Output<string>;
  /** Installed add-on → version ("" where the cloud chooses). */
  addonVersions: pulumi.Output<Record<string, string>>;
  /** The cluster's OIDC issuer URL ("" where the cluster has none). */
  oidcIssuer: pulumi.Output<string>;
  /** How service accounts get cloud roles (contract `workloadIdentity`). */
  workloadIdentity: string;
  /** Ingress name → load balancer address (IP or host name), "" where not known. */
  addresses: Record<string, pulumi.Output<string>>;
  endpoint: pulumi.Output<string | undefined>;
  kubeconfig: pulumi.Output<string>;
  ingress: IngressController[];
  /** None on a self-managed cluster. */
  storage?: StorageClasses;
  tenancy?: Tenancy;
}

/**
 * The last judgement of a platform's children, by its inputs. The offline preview judges the
 * children before it runs the program (so --plan-only refuses the same specs), and the Platform
 * the program builds judges the same name, spec and plan again: it reuses the answer (the
 * judgement was 0.18 s of a 50-cluster preview). One entry: a `pulumi up` builds one Platform.
 */
let lastJudgement: { key: string; diagnostics: readonly Diagnostic[] } | undefined;

/**
 * Every child's own validation, run on the arguments it will be created with (sibling
 * references as placeholders), each diagnostic at the spec path to edit. Pure: registers nothing.
 * A function of its arguments only (the children read no config or runtime), so the same name,
 * spec and plan, compared by their JSON, get the answer of the last call.
 */
export function validatePlatformChildren(
  name: string,
  env: Environment,
  plan: EnvironmentPlan,
): Diagnostic[] {
  const key = JSON.stringify([name, env, plan]);
  if (lastJudgement?.key !== key) {
    // The environment-level checks already reported advisories of the same rule and subject.
    const diagnostics = platformChildren(name, env, plan).flatMap((c) => c.validate(PLACEHOLDER_REFS));
    lastJudgement = { key, diagnostics };
  }
  return lastJudgement.diagnostics.map((d) => ({ ...d }));
}

/**
 * The parsed spec, the plan and the Kubernetes providers of each Platform, behind getters:
 * TypeScript programs read them, and the component package's schema, which publishes every field
 * (its outputs must be types other languages can hold and use), leaves them out. Other languages
 * build their own Kubernetes provider from `kubeconfigs`.
 */
interface PlatformView {
  environment: Environment;
  plan: EnvironmentPlan;
  providers: Record<string, kubernetes.Provider>;
}
const views = new WeakMap<Platform, PlatformView>();

export class Platform extends pulumi.ComponentResource {
  /** The parsed spec (defaults applied). TypeScript only: not in the component package schema. */
  get environment(): Environment {
    return (views.get(this) as PlatformView).environment;
  }
  /** The address plan (plain data). TypeScript only: not in the component package schema. */
  get plan(): EnvironmentPlan {
    return (views.get(this) as PlatformView).plan;
  }
  /** The output contract, for `export` from the stack program (all but the kubeconfigs). */
  readonly outputs: pulumi.Output<PlatformContract>;
  /** Cluster name → kubeconfig, a secret output. */
  readonly kubeconfigs: pulumi.Output<Record<string, string>>;
  /**
   * Per cluster: its Kubernetes provider, for programs that add their own in-cluster resources.
   * TypeScript only: not in the component package schema.
   */
  get providers(): Record<string, kubernetes.Provider> {
    return (views.get(this) as PlatformView).providers;
  }

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseEnvironment(args.environment, name);
    if (!parsed.ok) throw new PlatformValidationError(`environment "${name}"`, parsed.diagnostics);
    const env = parsed.env;
    // The stack's provider region (`alicloud:region` / `aws:region`) must be the spec's.
    const providerRegion = new pulumi.Config(env.cloud).get("region");
    const { plan, diagnostics } = checkEnvironment(env, {
      baseline: args.baselineAllocations,
      providerRegion,
    });
    // Children are only judged once the spec itself holds (their arguments come from the plan).
    const spec = throwIfMandatory(`environment "${env.name}"`, diagnostics);
    // The children's advisories are logged here, at spec paths, and the children do not judge
    // their arguments again (judgement.ts); one the spec-level checks reported is not repeated.
    const children = throwIfMandatory(`environment "${env.name}"`, validatePlatformChildren(name, env, plan));
    super("platform:platform:Platform", name, {}, opts);
    for (const d of spec) pulumi.log.warn(formatDiagnostic(d), this);
    for (const d of children) {
      const reported = spec.some((s) => s.rule === d.rule && (s.path === d.path || s.message === d.message));
      if (!reported) pulumi.log.warn(formatDiagnostic(d), this);
    }
    views.set(this, { environment: env, plan, providers: {} });

    // One list of children, judged above with placeholder references, created here in order
    // with the real ones: a child cannot be created without having been judged.
    const built = emptyBuilt();
    const refs = liveRefs(env, plan, built);
    try {
      for (const c of platformChildren(name, env, plan)) {
        c.create(refs, built, this, env.production);
      }
    } finally {
      // A node group never waits for add-ons that were not created.
      settleAll(built);
    }
    const view = views.get(this) as PlatformView;
    Object.assign(view.providers, built.providers);
    const clusters = this.clusterParts(env, built);
    this.outputs = this.contract(
      env,
      plan,
      clusters,
      built.vpcId as pulumi.Output<string>,
      built.vswitchIds as pulumi.Output<Record<string, string>>,
    );
    this.kubeconfigs = pulumi.secret(
      pulumi.all(Object.fromEntries(Object.entries(clusters).map(([n, p]) => [n, p.kubeconfig]))),
    );
    this.registerOutputs({ outputs: this.outputs, kubeconfigs: this.kubeconfigs });
  }

  private clusterParts(env: Environment, built: Built): Record<string, ClusterParts> {
    const out: Record<string, ClusterParts> = {};
    for (const cluster of env.clusters) {
      const k = built.clusters[cluster.name];
      const addresses: Record<string, pulumi.Output<string>> = {};
      const ingress = built.ingress[cluster.name] ?? [];
      for (const i of ingress) {
        addresses[i.spec.name] = loadBalancerAddress(i.name, i.args, i.controller, {
          parent: this,
          provider: built.providers[cluster.name],
        });
      }
      const common = {
        kubeconfig: (k as AckCluster | EksCluster | SelfManagedCluster).kubeconfig,
        ingress: ingress.map((i) => i.controller),
        storage: built.storage[cluster.name],
        tenancy: built.tenancy[cluster.name],
        addresses,
      };
      if (k instanceof SelfManagedCluster) {
        // No managed add-ons and no OIDC issuer of the cloud's (README: Self-managed clusters).
        out[cluster.name] = {
          ...common,
          id: k.clusterName,
          endpoint: k.endpoint,
          addonVersions: pulumi.output<Record<string, string>>({}),
          oidcIssuer: pulumi.output(""),
          workloadIdentity: "none",
        };
        continue;
      }
      const addonVersions = (
        built.addons[cluster.name] as { versions: pulumi.Output<Record<string, string>> }
      ).versions;
      out[cluster.name] =
        k instanceof AckCluster
          ? {
              ...common,
              id: k.clusterId,
              endpoint: k.apiServerIntranetEndpoint,
              addonVersions,
              oidcIssuer: k.rrsaOidcIssuerUrl,
              workloadIdentity: "ack-rrsa",
            }
          : {
              ...common,
              id: (k as EksCluster).clusterArn,
              endpoint: (k as EksCluster).endpoint,
              addonVersions,
              oidcIssuer: (k as EksCluster).oidcIssuerUrl,
              workloadIdentity: "eks-pod-identity",
            };
    }
    return out;
  }

  private contract(
    env: Environment,
    plan: EnvironmentPlan,
    clusters: Record<string, ClusterParts>,
    vpcId: pulumi.Output<string>,
    vswitchIds: pulumi.Output<Record<string, string>>,
  ): pulumi.Output<PlatformContract> {
    const vswitches = vswitchIds.apply((ids) =>
      Object.fromEntries(
        plan.vswitches.map((v): [string, VSwitchOutput] => [
          v.key,
          {
            id: ids[v.key] ?? v.existingId ?? "",
            zone: v.zone,
            role: v.role,
            cluster: v.cluster,
            cidr: v.cidr,
          },
        ]),
      ),
    );
    const clusterOutputs = pulumi
      .all(
        env.clusters.map((spec) => {
          const cp = clusterPlanOf(plan, spec.name);
          const parts = clusters[spec.name] as ClusterParts;
          return pulumi
            .all([
              parts.id,
              parts.endpoint,
              pulumi.all(parts.ingress.map((i) => i.className)),
              parts.tenancy?.projectNamespaces ?? pulumi.output({} as Record<string, string[]>),
              parts.storage?.defaultClass ?? pulumi.output(""),
              pulumi.all(parts.addresses),
              parts.addonVersions,
              parts.oidcIssuer,
            ])
            .apply(
              ([id, endpoint, classes, namespaces, defaultStorageClass, addresses, addons, oidcIssuer]): [
                string,
                ClusterOutput,
              ] => [
                spec.name,
                {
                  name: spec.name,
                  id,
                  endpoint: endpoint ?? "",
                  kubernetesVersion: spec.kubernetesVersion,
                  cni: cp.cni,
                  podCidr: cp.podCidr,
                  serviceCidr: cp.serviceCidr,
                  ingressClasses: classes,
                  loadBalancers: addresses,
                  namespaces,
                  defaultStorageClass,
                  addons,
                  oidcIssuer,
                  workloadIdentity: parts.workloadIdentity,
                },
              ],
            );
        }),
      )
      .apply((entries) => Object.fromEntries(entries));
    return pulumi.all([vpcId, vswitches, clusterOutputs]).apply(([vpc, vs, cs]) => ({
      contractVersion: CONTRACT_VERSION,
      environment: env.name,
      cloud: env.cloud,
      region: env.region,
      vpc: { id: vpc, cidr: env.vpc.cidr, secondaryCidrs: env.vpc.secondaryCidrs },
      vswitches: vs,
      clusters: cs,
    }));
  }
}

/**
 * The address the cloud gave an nginx controller's LoadBalancer Service, read back after
 * `pulumi up` created it. "" in a preview (the Service may not exist yet; the address is only
 * known on apply) and for ALB and AWS Load Balancer Controller ingress, whose load balancers
 * belong to each Ingress (read them from the Ingress status).
 */
function loadBalancerAddress(
  controllerName: string,
  args: IngressControllerArgs,
  controller: IngressController,
  opts: pulumi.ComponentResourceOptions,
): pulumi.Output<string> {
  const id = ingressServiceId(controllerName, args);
  if (id === undefined || pulumi.runtime.isDryRun()) return pulumi.output("");
  const service = kubernetes.core.v1.Service.get(`${controllerName}-service`, id, {
    ...opts,
    dependsOn: [controller],
  });
  return service.status.apply(
    (st) => st?.loadBalancer?.ingress?.[0]?.ip ?? st?.loadBalancer?.ingress?.[0]?.hostname ?? "",
  );
}
