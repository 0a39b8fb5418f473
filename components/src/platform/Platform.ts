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

import type { EnvironmentPlan } from "@kubeplat/plan";
import {
  type ClusterSpec,
  checkAccess,
  checkEnvironment,
  type Diagnostic,
  type Environment,
  formatDiagnostic,
  PlatformValidationError,
  parseEnvironment,
  throwIfMandatory,
} from "@kubeplat/plan";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AckCluster, validateClusterArgs } from "../alicloud/AckCluster";
import { AckClusterAddons, validateAckClusterAddonsArgs } from "../alicloud/AckClusterAddons";
import { AckNodePool, validateNodePoolArgs } from "../alicloud/AckNodePool";
import { AlicloudNetwork, validateNetworkArgs } from "../alicloud/AlicloudNetwork";
import { AwsNetwork } from "../aws/AwsNetwork";
import { checkEksClusterArgs, EksCluster } from "../aws/EksCluster";
import { EksClusterAddons, validateEksClusterAddonsArgs } from "../aws/EksClusterAddons";
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
import { TenantIdentities, validateTenantIdentitiesArgs } from "../kubernetes/TenantIdentities";
import { NodeImage, validateNodeImageArgs } from "../nodeimage/NodeImage";
import { type ClusterOutput, CONTRACT_VERSION, type PlatformContract, type VSwitchOutput } from "./contract";
import type { EnvironmentSpec } from "./environmentSpec";
import {
  ackClusterAddonsArgs,
  ackClusterArgs,
  ackNodePoolArgs,
  alicloudNetworkArgs,
  awsNetworkArgs,
  childName,
  clusterPlanOf,
  eksClusterAddonsArgs,
  eksClusterArgs,
  eksNodeGroupArgs,
  ingressArgs,
  nodeImageArgs,
  PLACEHOLDER_REFS,
  type Refs,
  rbacArgs,
  storageArgs,
  tenancyArgs,
  tenantIdentitiesArgs,
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
          eksClusterArgs(env, plan, cluster, refs),
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
    const addonsName = childName.addons(name, cluster.name);
    out.push(
      ...(env.cloud === "alicloud"
        ? validateAckClusterAddonsArgs(addonsName, ackClusterAddonsArgs(env, cluster, refs, "create"))
        : validateEksClusterAddonsArgs(addonsName, eksClusterAddonsArgs(env, cluster, refs))),
    );
    const c = refs.cluster(cluster.name);
    const identities = tenantIdentitiesArgs(env, cluster, {
      clusterName: c.name,
      oidcProviderArn: c.oidcProviderArn,
      oidcIssuerUrl: c.oidcProviderUrl,
    });
    if (identities)
      out.push(...validateTenantIdentitiesArgs(childName.identities(name, cluster.name), identities));
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
    const { plan, diagnostics } = checkEnvironment(env, { baseline: args.baselineAllocations });
    // Children are only judged once the spec itself holds (their arguments come from the plan).
    const spec = throwIfMandatory(`environment "${env.name}"`, diagnostics);
    // Each child logs its own advisories when it is created; here only its refusals matter.
    throwIfMandatory(`environment "${env.name}"`, validatePlatformChildren(name, env, plan));
    super("platform:platform:Platform", name, {}, opts);
    for (const d of spec) pulumi.log.warn(formatDiagnostic(d), this);
    views.set(this, { environment: env, plan, providers: {} });

    const built = env.cloud === "alicloud" ? this.alicloud(name, env, plan) : this.aws(name, env, plan);
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
    // ACK's autoscaler service role exists once per account: the first autoscaling cluster creates it.
    const roleCreator = env.clusters.find((c) => c.nodePools.some((p) => p.autoscaling))?.name;
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
      const addons = new AckClusterAddons(
        childName.addons(name, cluster.name),
        ackClusterAddonsArgs(env, cluster, refs, cluster.name === roleCreator ? "create" : "existing"),
        { parent: this },
      );
      const ackIdentities = tenantIdentitiesArgs(env, cluster, {
        clusterName: ack.clusterName,
        oidcProviderArn: ack.rrsaOidcProviderArn,
        oidcIssuerUrl: ack.rrsaOidcIssuerUrl,
      });
      if (ackIdentities)
        new TenantIdentities(childName.identities(name, cluster.name), ackIdentities, { parent: this });
      clusters[cluster.name] = {
        id: ack.clusterId,
        endpoint: ack.apiServerIntranetEndpoint,
        kubeconfig: ack.kubeconfig,
        addonVersions: addons.versions,
        oidcIssuer: ack.rrsaOidcIssuerUrl,
        workloadIdentity: "ack-rrsa",
        ...this.inCluster(name, env, plan, cluster, refs, ack.provider, addons.resources),
      };
    }
    return { clusters, vpcId: network.vpcId, vswitchIds: network.vswitchIds };
  }

  private aws(name: string, env: Environment, plan: EnvironmentPlan) {
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
        eksClusterArgs(env, plan, cluster, refs),
        { parent: this },
      );
      clusterRefs[cluster.name] = eks;
      const nodeGroups: EksNodeGroup[] = [];
      for (const pool of cluster.nodePools) {
        const poolName = childName.pool(name, cluster.name, pool.name);
        const imageArgs = nodeImageArgs(env, cluster, pool, refs);
        if (imageArgs)
          images[`${cluster.name}/${pool.name}`] = new NodeImage(poolName, imageArgs, { parent: this });
        nodeGroups.push(
          new EksNodeGroup(poolName, eksNodeGroupArgs(env, plan, cluster, pool, refs), {
            parent: this,
            // A node group holds running workloads: production groups cannot be deleted by accident.
            protect: env.production,
          }),
        );
      }
      const addons = new EksClusterAddons(
        childName.addons(name, cluster.name),
        eksClusterAddonsArgs(env, cluster, refs),
        // coredns, the EBS CSI controller and the autoscaler need nodes to become ready.
        { parent: this, provider: eks.provider, dependsOn: nodeGroups },
      );
      const eksIdentities = tenantIdentitiesArgs(env, cluster, {
        clusterName: eks.clusterName,
        oidcProviderArn: eks.oidcProviderArn,
        oidcIssuerUrl: eks.oidcIssuerUrl,
      });
      if (eksIdentities) {
        const agent = addons.resources["eks-pod-identity-agent"];
        new TenantIdentities(childName.identities(name, cluster.name), eksIdentities, {
          parent: this,
          dependsOn: agent ? [agent] : [],
        });
      }
      clusters[cluster.name] = {
        id: eks.clusterArn,
        endpoint: eks.endpoint,
        kubeconfig: eks.kubeconfig,
        addonVersions: addons.versions,
        oidcIssuer: eks.oidcIssuerUrl,
        workloadIdentity: "eks-pod-identity",
        ...this.inCluster(name, env, plan, cluster, refs, eks.provider, addons.resources),
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
    addons: Record<string, pulumi.Resource>,
  ): Pick<ClusterParts, "ingress" | "storage" | "tenancy" | "addresses"> {
    const opts: pulumi.ComponentResourceOptions = { parent: this, provider };
    this.providers[cluster.name] = provider;
    // Each object that needs an add-on is created after it (addon/required).
    const after = (...names: string[]): pulumi.ComponentResourceOptions => ({
      ...opts,
      dependsOn: names.map((n) => addons[n]).filter((r): r is pulumi.Resource => r !== undefined),
    });
    const storage = new StorageClasses(
      childName.storage(name, cluster.name),
      storageArgs(env, cluster),
      after("csi-plugin", "csi-provisioner", "aws-ebs-csi-driver"),
    );
    new PlatformRbac(childName.rbac(name, cluster.name), rbacArgs(env, cluster), opts);
    const t = tenancyArgs(env, plan, cluster);
    const tenancy = t
      ? new Tenancy(childName.tenancy(name, cluster.name), t, after("terway-eniip", "vpc-cni"))
      : undefined;
    const addresses: Record<string, pulumi.Output<string>> = {};
    const ingress = ingressArgs(env, plan, cluster, refs).map(([ing, args]) => {
      const controllerName = childName.ingress(name, cluster.name, ing.name);
      const controller = new IngressController(
        controllerName,
        args,
        ing.kind === "alb"
          ? after("alb-ingress-controller")
          : ing.kind === "aws-lb-controller" && (ing.identity ?? "pod-identity") === "pod-identity"
            ? after("eks-pod-identity-agent")
            : opts,
      );
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
