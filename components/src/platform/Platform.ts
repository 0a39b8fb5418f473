/**
 * Platform: one environment spec in, the whole platform out, in dependency order:
 *
 *   network (VPC, vSwitches/subnets, NAT, security group)
 *   └─ per cluster: cluster (ACK / EKS) → node images → node pools / node groups
 *                   → in the cluster (through its Kubernetes provider): storage classes,
 *                     RBAC, tenancy, ingress controllers
 *
 * Nothing registers until everything is judged: the spec is parsed, planned and checked by every
 * spec-level rule, then every child's own validator runs on the exact arguments the child will
 * get (with placeholder references to its siblings). One PlatformValidationError lists every
 * mandatory violation (rule id, path, values); advisories are logged as warnings. Child names
 * derive from the platform's name and the spec's stable names (cluster, pool, allocation key),
 * never from positions, so adding a zone, cluster or pool renames nothing.
 */

import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AckCluster, validateClusterArgs } from "../alicloud/AckCluster";
import { AckNodePool, validateNodePoolArgs } from "../alicloud/AckNodePool";
import { AlicloudNetwork, validateNetworkArgs } from "../alicloud/AlicloudNetwork";
import { AwsNetwork } from "../aws/AwsNetwork";
import { checkEksClusterArgs, EksCluster } from "../aws/EksCluster";
import { checkEksNodeGroupArgs, EksNodeGroup } from "../aws/EksNodeGroup";
import {
  IngressController,
  type IngressControllerArgs,
  ingressServiceId,
  validateIngressControllerArgs,
} from "../kubernetes/IngressController";
import { PlatformRbac, rbacFacts } from "../kubernetes/PlatformRbac";
import { StorageClasses, validateStorageClasses } from "../kubernetes/StorageClasses";
import { planTenancy, Tenancy } from "../kubernetes/Tenancy";
import { NodeImage, validateNodeImageArgs } from "../nodeimage/NodeImage";
import {
  type Diagnostic,
  formatDiagnostic,
  PlatformValidationError,
  throwIfMandatory,
} from "../plan/diagnostic";
import { checkEnvironment } from "../plan/environment-checks";
import type { EnvironmentPlan } from "../plan/plan-types";
import { checkAccess } from "../plan/rules/access";
import { type ClusterSpec, type Environment, parseEnvironment } from "../plan/spec";
import { type ClusterOutput, CONTRACT_VERSION, type PlatformContract, type VSwitchOutput } from "./contract";
import type { EnvironmentSpec } from "./environmentSpec";
import {
  ackClusterArgs,
  ackNodePoolArgs,
  alicloudNetworkArgs,
  awsNetworkArgs,
  childName,
  clusterPlanOf,
  eksClusterArgs,
  eksNodeGroupArgs,
  ingressArgs,
  nodeImageArgs,
  PLACEHOLDER_REFS,
  type Refs,
  rbacArgs,
  storageArgs,
  tenancyArgs,
} from "./platformArgs";

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
  /**
   * AWS: IAM principals that run `pulumi up`; they get cluster-admin through an EKS access
   * entry so the Kubernetes provider can install the in-cluster components. Default: none.
   */
  deployerPrincipalArns?: string[];
}

interface ClusterParts {
  id: pulumi.Output<string>;
  /** Ingress name → load balancer address (IP or host name), "" where not known. */
  addresses: Record<string, pulumi.Output<string>>;
  endpoint: pulumi.Output<string | undefined>;
  kubeconfig: pulumi.Output<string>;
  ingress: IngressController[];
  storage: StorageClasses;
  tenancy?: Tenancy;
}

/**
 * Every child's own validation, run on the arguments it will be created with (sibling
 * references as placeholders). Pure: registers nothing.
 */
export function validatePlatformChildren(
  name: string,
  env: Environment,
  plan: EnvironmentPlan,
  deployers?: string[],
): Diagnostic[] {
  const refs = PLACEHOLDER_REFS;
  const out: Diagnostic[] = [];
  if (env.cloud === "alicloud")
    out.push(...validateNetworkArgs(childName.network(name), alicloudNetworkArgs(env, plan)));
  for (const cluster of env.clusters) {
    if (env.cloud === "alicloud") {
      out.push(
        ...validateClusterArgs(
          childName.cluster(name, cluster.name),
          ackClusterArgs(env, plan, cluster, refs),
        ),
      );
    } else {
      out.push(
        ...checkEksClusterArgs(
          childName.cluster(name, cluster.name),
          eksClusterArgs(env, plan, cluster, refs, deployers),
        ),
      );
    }
    for (const pool of cluster.nodePools) {
      const poolName = childName.pool(name, cluster.name, pool.name);
      const image = nodeImageArgs(env, cluster, pool, refs);
      if (image) out.push(...validateNodeImageArgs(poolName, image));
      if (env.cloud === "alicloud") {
        out.push(
          ...validateNodePoolArgs(
            poolName,
            ackNodePoolArgs(env, plan, cluster, pool, refs, image !== undefined),
          ),
        );
      } else {
        out.push(...checkEksNodeGroupArgs(poolName, eksNodeGroupArgs(env, plan, cluster, pool, refs)));
      }
    }
    out.push(...validateStorageClasses(childName.storage(name, cluster.name), storageArgs(env, cluster)));
    out.push(...checkAccess(rbacFacts(childName.rbac(name, cluster.name), rbacArgs(env, cluster))));
    const tenancy = tenancyArgs(env, plan, cluster);
    if (tenancy) out.push(...planTenancy(childName.tenancy(name, cluster.name), tenancy).diagnostics);
    for (const [ing, args] of ingressArgs(env, plan, cluster, refs)) {
      out.push(...validateIngressControllerArgs(childName.ingress(name, cluster.name, ing.name), args));
    }
  }
  // The environment-level checks already reported advisories of the same rule and subject.
  return out;
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
    // Each child logs its own advisories when it is created; here only its refusals matter.
    throwIfMandatory(
      `environment "${env.name}"`,
      validatePlatformChildren(name, env, plan, args.deployerPrincipalArns),
    );
    super("platform:platform:Platform", name, {}, opts);
    for (const d of spec) pulumi.log.warn(formatDiagnostic(d), this);
    views.set(this, { environment: env, plan, providers: {} });

    const built = env.cloud === "alicloud" ? this.alicloud(name, env, plan) : this.aws(name, env, plan, args);
    this.outputs = this.contract(env, plan, built.clusters, built.vpcId, built.vswitchIds);
    this.kubeconfigs = pulumi.secret(
      pulumi.all(Object.fromEntries(Object.entries(built.clusters).map(([n, p]) => [n, p.kubeconfig]))),
    );
    this.registerOutputs({ outputs: this.outputs, kubeconfigs: this.kubeconfigs });
  }

  private alicloud(name: string, env: Environment, plan: EnvironmentPlan) {
    const network = new AlicloudNetwork(childName.network(name), alicloudNetworkArgs(env, plan), {
      parent: this,
    });
    const clusterRefs: Record<string, AckCluster> = {};
    const images: Record<string, NodeImage> = {};
    const refs: Refs = {
      vpcId: network.vpcId,
      vswitchId: (key) =>
        network.vswitchIds.apply(
          (ids) => ids[key] ?? plan.vswitches.find((v) => v.key === key)?.existingId ?? "",
        ),
      securityGroupId: network.securityGroupId.apply((id) => id ?? ""),
      cluster: (n) => {
        const c = clusterRefs[n] as AckCluster;
        return {
          id: c.clusterId,
          name: c.clusterName,
          endpoint: c.apiServerIntranetEndpoint.apply((e) => e ?? ""),
          certificateAuthority: "",
          oidcProviderArn: "",
          oidcProviderUrl: "",
        };
      },
      image: (c, p) => {
        const i = images[`${c}/${p}`] as NodeImage;
        return { imageType: i.imageType, imageId: i.imageId, userData: i.userData, identity: i.identity };
      },
    };
    const clusters: Record<string, ClusterParts> = {};
    for (const cluster of env.clusters) {
      const ack = new AckCluster(
        childName.cluster(name, cluster.name),
        ackClusterArgs(env, plan, cluster, refs),
        {
          parent: this,
        },
      );
      clusterRefs[cluster.name] = ack;
      for (const pool of cluster.nodePools) {
        const poolName = childName.pool(name, cluster.name, pool.name);
        const imageArgs = nodeImageArgs(env, cluster, pool, refs);
        if (imageArgs)
          images[`${cluster.name}/${pool.name}`] = new NodeImage(poolName, imageArgs, { parent: this });
        new AckNodePool(poolName, ackNodePoolArgs(env, plan, cluster, pool, refs, imageArgs !== undefined), {
          parent: this,
          // A node pool holds running workloads: production pools cannot be deleted by accident.
          protect: env.production,
        });
      }
      clusters[cluster.name] = {
        id: ack.clusterId,
        endpoint: ack.apiServerIntranetEndpoint,
        kubeconfig: ack.kubeconfig,
        ...this.inCluster(name, env, plan, cluster, refs, ack.provider),
      };
    }
    return { clusters, vpcId: network.vpcId, vswitchIds: network.vswitchIds };
  }

  private aws(name: string, env: Environment, plan: EnvironmentPlan, args: PlatformArgs) {
    const network = new AwsNetwork(childName.network(name), awsNetworkArgs(env, plan), { parent: this });
    const vswitchIds = network.subnets.apply((s) => Object.fromEntries(s.map((x) => [x.key, x.id])));
    const clusterRefs: Record<string, EksCluster> = {};
    const images: Record<string, NodeImage> = {};
    const refs: Refs = {
      vpcId: network.vpcId,
      vswitchId: (key) => vswitchIds.apply((ids) => ids[key] ?? ""),
      securityGroupId: "",
      cluster: (n) => {
        const c = clusterRefs[n] as EksCluster;
        return {
          id: c.clusterArn,
          name: c.clusterName,
          endpoint: c.endpoint,
          certificateAuthority: c.certificateAuthorityData,
          oidcProviderArn: c.oidcProviderArn,
          oidcProviderUrl: c.oidcIssuerUrl,
        };
      },
      image: (c, p) => {
        const i = images[`${c}/${p}`] as NodeImage;
        return { imageType: i.imageType, imageId: i.imageId, userData: i.userData, identity: i.identity };
      },
    };
    const clusters: Record<string, ClusterParts> = {};
    for (const cluster of env.clusters) {
      const eks = new EksCluster(
        childName.cluster(name, cluster.name),
        eksClusterArgs(env, plan, cluster, refs, args.deployerPrincipalArns),
        { parent: this },
      );
      clusterRefs[cluster.name] = eks;
      for (const pool of cluster.nodePools) {
        const poolName = childName.pool(name, cluster.name, pool.name);
        const imageArgs = nodeImageArgs(env, cluster, pool, refs);
        if (imageArgs)
          images[`${cluster.name}/${pool.name}`] = new NodeImage(poolName, imageArgs, { parent: this });
        new EksNodeGroup(poolName, eksNodeGroupArgs(env, plan, cluster, pool, refs), {
          parent: this,
          // A node group holds running workloads: production groups cannot be deleted by accident.
          protect: env.production,
        });
      }
      clusters[cluster.name] = {
        id: eks.clusterArn,
        endpoint: eks.endpoint,
        kubeconfig: eks.kubeconfig,
        ...this.inCluster(name, env, plan, cluster, refs, eks.provider),
      };
    }
    return { clusters, vpcId: network.vpcId, vswitchIds };
  }

  private inCluster(
    name: string,
    env: Environment,
    plan: EnvironmentPlan,
    cluster: ClusterSpec,
    refs: Refs,
    provider: kubernetes.Provider,
  ): Pick<ClusterParts, "ingress" | "storage" | "tenancy" | "addresses"> {
    const opts: pulumi.ComponentResourceOptions = { parent: this, provider };
    this.providers[cluster.name] = provider;
    const storage = new StorageClasses(
      childName.storage(name, cluster.name),
      storageArgs(env, cluster),
      opts,
    );
    new PlatformRbac(childName.rbac(name, cluster.name), rbacArgs(env, cluster), opts);
    const t = tenancyArgs(env, plan, cluster);
    const tenancy = t ? new Tenancy(childName.tenancy(name, cluster.name), t, opts) : undefined;
    const addresses: Record<string, pulumi.Output<string>> = {};
    const ingress = ingressArgs(env, plan, cluster, refs).map(([ing, args]) => {
      const controllerName = childName.ingress(name, cluster.name, ing.name);
      const controller = new IngressController(controllerName, args, opts);
      addresses[ing.name] = loadBalancerAddress(controllerName, args, controller, opts);
      return controller;
    });
    return { ingress, storage, tenancy, addresses };
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
              parts.storage.defaultClass,
              pulumi.all(parts.addresses),
            ])
            .apply(
              ([id, endpoint, classes, namespaces, defaultStorageClass, addresses]): [
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
