/**
 * Platform: one environment spec in, the whole platform out, in dependency order:
 *
 *   network (VPC, vSwitches/subnets, NAT, security group)
 *   └─ per cluster: cluster (ACK / EKS) → node images → node pools / node groups
 *                   → in the cluster (through its Kubernetes provider): storage classes,
 *                     RBAC, tenancy, ingress controllers
 *
 * The spec is parsed, planned and judged by every spec-level rule before anything is
 * registered: a broken spec throws one PlatformValidationError listing every mandatory
 * violation (rule id, path, values); advisories are logged as warnings. Child names derive from
 * the platform's name and the spec's stable names (cluster, pool, allocation key), never from
 * positions, so adding a zone, cluster or pool renames nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import { AckCluster, type AckVSwitchArgs } from "../alicloud/AckCluster";
import { AckNodePool } from "../alicloud/AckNodePool";
import { AlicloudNetwork } from "../alicloud/AlicloudNetwork";
import { AwsNetwork } from "../aws/AwsNetwork";
import { EksCluster } from "../aws/EksCluster";
import { EksNodeGroup } from "../aws/EksNodeGroup";
import { IngressController } from "../kubernetes/IngressController";
import { PlatformRbac } from "../kubernetes/PlatformRbac";
import { StorageClasses } from "../kubernetes/StorageClasses";
import { Tenancy } from "../kubernetes/Tenancy";
import { NodeImage } from "../nodeimage/NodeImage";
import { formatDiagnostic, PlatformValidationError, throwIfMandatory } from "../plan/diagnostic";
import { checkEnvironment, clusterSecurity, defaultImageOf } from "../plan/environment-checks";
import type { ClusterPlan, EnvironmentPlan, PlannedVSwitch } from "../plan/plan-types";
import { type ClusterSpec, type Environment, type EnvironmentInput, parseEnvironment } from "../plan/spec";
import { type ClusterOutput, CONTRACT_VERSION, type PlatformOutputs, type VSwitchOutput } from "./contract";

export interface PlatformArgs {
  /** The environment spec, exactly as under `platform:environment` in `stacks/Pulumi.<env>.yaml`. */
  environment: EnvironmentInput;
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
  endpoint: pulumi.Output<string | undefined>;
  kubeconfig: pulumi.Output<string>;
  provider: pulumi.ProviderResource;
  nodeVSwitches: AckVSwitchArgs[];
  ingress: IngressController[];
  storage: StorageClasses;
  tenancy?: Tenancy;
}

export class Platform extends pulumi.ComponentResource {
  /** The parsed spec. */
  readonly environment: Environment;
  /** The address plan (plain data). */
  readonly plan: EnvironmentPlan;
  /** The output contract, for `export` from the stack program (all but the kubeconfigs). */
  readonly outputs: pulumi.Output<Omit<PlatformOutputs, "kubeconfigs">>;
  /** Cluster name → kubeconfig, a secret output. */
  readonly kubeconfigs: pulumi.Output<Record<string, string>>;
  /** Per cluster: its Kubernetes provider, for programs that add their own in-cluster resources. */
  readonly providers: Record<string, pulumi.ProviderResource> = {};

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    const parsed = parseEnvironment(args.environment, name);
    if (!parsed.ok) throw new PlatformValidationError(`environment "${name}"`, parsed.diagnostics);
    const env = parsed.env;
    const { plan, diagnostics } = checkEnvironment(env, { baseline: args.baselineAllocations });
    const advisories = throwIfMandatory(`environment "${env.name}"`, diagnostics);
    super("platform:platform:Platform", name, {}, opts);
    for (const d of advisories) pulumi.log.warn(formatDiagnostic(d), this);
    this.environment = env;
    this.plan = plan;

    const clusters: Record<string, ClusterParts> =
      env.cloud === "alicloud" ? this.alicloud(name, env, plan) : this.aws(name, env, plan, args);
    this.outputs = this.contract(env, plan, clusters);
    this.kubeconfigs = pulumi.secret(
      pulumi.all(Object.fromEntries(Object.entries(clusters).map(([n, p]) => [n, p.kubeconfig]))),
    );
    this.registerOutputs({ outputs: this.outputs, kubeconfigs: this.kubeconfigs });
  }

  // --- Alibaba Cloud -----------------------------------------------------------------------

  private alicloud(name: string, env: Environment, plan: EnvironmentPlan): Record<string, ClusterParts> {
    const network = new AlicloudNetwork(
      `${name}-network`,
      {
        production: env.production,
        vpc: {
          id: env.vpc.id,
          cidr: env.vpc.cidr,
          secondaryCidrs: env.vpc.secondaryCidrs,
          shared: env.vpc.shared,
        },
        vswitches: plan.vswitches.map((v) => ({
          key: v.key,
          cluster: v.cluster,
          zone: v.zone,
          role: v.role,
          cidr: v.cidr,
          ipv6Index: v.ipv6Index,
          existingId: v.existingId,
        })),
        clusters: plan.clusters.map((c) => ({
          name: c.name,
          cni: c.cni === "flannel" ? "flannel" : "terway",
          podCidr: c.podCidr,
          serviceCidr: c.serviceCidr,
        })),
        nat: { mode: env.production ? "perZone" : "single" },
        quotas: { eips: env.quotas.eips, securityGroups: env.quotas.securityGroups },
        protect: env.production,
        tags: env.tags,
      },
      { parent: this },
    );
    this.vpcId = network.vpcId;
    this.vswitchIds = network.vswitchIds;

    const out: Record<string, ClusterParts> = {};
    for (const cluster of env.clusters) {
      const cp = plan.clusters.find((c) => c.name === cluster.name) as ClusterPlan;
      const vs = (role: PlannedVSwitch["role"]): AckVSwitchArgs[] =>
        vswitchesOf(plan, cp, role).map((v) => ({
          id: network.vswitchIds.apply((ids) => ids[v.key] ?? v.existingId ?? ""),
          zone: v.zone,
          cidr: v.cidr,
        }));
      const sec = clusterSecurity(env, cluster);
      const cniName = cp.cni === "flannel" ? "flannel" : "terway";
      const ack = new AckCluster(
        `${name}-${cluster.name}`,
        {
          production: env.production,
          clusterName: cluster.name,
          edition: cluster.edition,
          kubernetesVersion: cluster.kubernetesVersion,
          vswitches: vs("node"),
          vpcCidrs: [env.vpc.cidr, ...env.vpc.secondaryCidrs],
          cni: cniName,
          podVSwitches: cp.cni === "terway" ? vs("pod") : undefined,
          podCidr: cp.podCidr,
          nodeCidrMask: cp.nodeCidrMask,
          serviceCidr: cp.serviceCidr,
          securityGroupId: network.securityGroupId.apply((id) => id ?? ""),
          deletionProtection: sec.deletionProtection,
          protect: env.production,
          secretsEncryption: { enabled: sec.secretsEncryption, kmsKeyId: sec.kmsKeyId },
          apiServer: {
            publicEndpoint: sec.publicApiServer,
            allowList: sec.publicApiServer && sec.apiAllowList.length > 0 ? sec.apiAllowList : undefined,
          },
          maxNodes: cp.capacity.maxNodes,
          quotas: {
            clusterNodes: env.quotas.clusterNodes,
            routeEntries: env.quotas.routeEntries ?? env.vpc.routeEntryQuota,
          },
          tags: { ...env.tags, ...cluster.tags },
        },
        { parent: this },
      );
      const nodeVSwitchIds = vs("node").map((v) => v.id);
      for (const pool of cluster.nodePools) {
        const family = pool.image ?? defaultImageOf(env, cluster);
        const image =
          family === "containeros"
            ? new NodeImage(
                `${name}-${cluster.name}-${pool.name}`,
                {
                  family: "containeros",
                  kubernetesVersion: cluster.kubernetesVersion,
                  production: env.production,
                  kubelet: pool.maxPods !== undefined ? { maxPods: pool.maxPods } : undefined,
                  nodeLabels: pool.labels,
                  nodeTaints: pool.taints,
                  containerOs: {
                    managedPool: true,
                    clusterEdition: cluster.edition,
                    runtime: pool.runtime,
                    loginKeyPair: pool.loginKeyPair,
                  },
                },
                { parent: this },
              )
            : undefined;
        new AckNodePool(
          `${name}-${cluster.name}-${pool.name}`,
          {
            production: env.production,
            clusterId: ack.clusterId,
            clusterName: cluster.name,
            clusterEdition: cluster.edition,
            clusterCni: cniName,
            nodePoolName: pool.name,
            vswitchIds: nodeVSwitchIds,
            instanceTypes: pool.instanceTypes,
            desiredSize: pool.autoscaling ? undefined : (pool.desiredSize ?? pool.minSize),
            autoscaling: pool.autoscaling
              ? { enabled: true, minSize: pool.minSize, maxSize: pool.maxSize }
              : undefined,
            isDefault: pool.default,
            labels: pool.labels,
            taints: pool.taints,
            imageType: image ? image.imageType : family === "alinux" ? "AliyunLinux3" : undefined,
            imageId: image?.imageId.apply((id) => (id === "" ? undefined : id)) as
              | pulumi.Input<string>
              | undefined,
            runtime: pool.runtime,
            keyPairName: pool.loginKeyPair,
            kubelet: pool.maxPods !== undefined ? { maxPods: pool.maxPods } : undefined,
            securityGroupIds: pool.securityGroups.length > 0 ? pool.securityGroups : undefined,
            tags: { ...env.tags, ...cluster.tags },
          },
          { parent: this },
        );
      }
      out[cluster.name] = this.inCluster(name, env, cp, cluster, {
        id: ack.clusterId,
        endpoint: ack.apiServerIntranetEndpoint,
        kubeconfig: ack.kubeconfig,
        provider: ack.provider,
        nodeVSwitches: vs("node"),
      });
    }
    return out;
  }

  // --- AWS -----------------------------------------------------------------------------------

  private aws(
    name: string,
    env: Environment,
    plan: EnvironmentPlan,
    args: PlatformArgs,
  ): Record<string, ClusterParts> {
    const network = new AwsNetwork(
      `${name}-network`,
      {
        production: env.production,
        vpc: { id: env.vpc.id, cidr: env.vpc.cidr, secondaryCidrs: env.vpc.secondaryCidrs },
        subnets: plan.vswitches.map((v) => ({
          key: v.key,
          cluster: v.cluster,
          zone: v.zone,
          role: v.role,
          cidr: v.cidr,
          existingId: v.existingId,
          ipv6Index: v.ipv6Index,
        })),
        clusterNames: Object.fromEntries(env.clusters.map((c) => [c.name, c.name])),
        tags: env.tags,
      },
      { parent: this },
    );
    this.vpcId = network.vpcId;
    this.vswitchIds = network.subnets.apply((s) => Object.fromEntries(s.map((x) => [x.key, x.id])));

    const out: Record<string, ClusterParts> = {};
    for (const cluster of env.clusters) {
      const cp = plan.clusters.find((c) => c.name === cluster.name) as ClusterPlan;
      const nodeSubnets = vswitchesOf(plan, cp, "node").map((v) => ({
        id: network.subnets.apply((s) => s.find((x) => x.key === v.key)?.id ?? ""),
        zone: v.zone,
        cidr: v.cidr,
      }));
      const sec = clusterSecurity(env, cluster);
      const eks = new EksCluster(
        `${name}-${cluster.name}`,
        {
          clusterName: cluster.name,
          production: env.production,
          kubernetesVersion: cluster.kubernetesVersion,
          vpcId: network.vpcId,
          subnets: nodeSubnets.map((s) => ({ id: s.id, zone: s.zone })),
          vpcCidrs: [env.vpc.cidr, ...env.vpc.secondaryCidrs],
          serviceCidr: cp.serviceCidr,
          endpoint: {
            privateAccess: true,
            publicAccess: sec.publicApiServer,
            publicAccessCidrs: sec.publicApiServer ? sec.apiAllowList : undefined,
          },
          secretsEncryption: { enabled: sec.secretsEncryption, kmsKeyArn: sec.kmsKeyId },
          deletionProtection: sec.deletionProtection,
          protect: env.production,
          access: env.access.grants
            .filter(
              (g) => g.principalArn !== undefined && (g.clusters ?? [cluster.name]).includes(cluster.name),
            )
            .map((g) => ({ principalArn: g.principalArn as string, role: g.role, namespaces: g.namespaces })),
          breakGlassPrincipalArns: args.deployerPrincipalArns,
          region: env.region,
          tags: { ...env.tags, ...cluster.tags },
        },
        { parent: this },
      );
      for (const pool of cluster.nodePools) {
        const image = new NodeImage(
          `${name}-${cluster.name}-${pool.name}`,
          {
            family: "bottlerocket",
            kubernetesVersion: cluster.kubernetesVersion,
            production: env.production,
            kubelet: pool.maxPods !== undefined ? { maxPods: pool.maxPods } : undefined,
            nodeLabels: pool.labels,
            nodeTaints: pool.taints,
            bottlerocket: {
              clusterName: eks.clusterName,
              apiServer: eks.endpoint,
              clusterCertificate: eks.certificateAuthorityData,
            },
          },
          { parent: this },
        );
        new EksNodeGroup(
          `${name}-${cluster.name}-${pool.name}`,
          {
            clusterName: eks.clusterName,
            subnetIds: nodeSubnets.map((s) => s.id),
            production: env.production,
            defaultPool: pool.default,
            amiId: image.imageId,
            userData: image.userData,
            imageIdentity: image.identity,
            imageFamily: pool.image ?? "bottlerocket",
            instanceTypes: pool.instanceTypes,
            minSize: pool.minSize,
            maxSize: pool.maxSize,
            desiredSize: pool.desiredSize,
            autoscaling: pool.autoscaling,
            labels: pool.labels,
            taints: pool.taints,
            quotas: { nodesPerPool: env.quotas.nodesPerPool },
            tags: { ...env.tags, ...cluster.tags },
          },
          { parent: this },
        );
      }
      out[cluster.name] = this.inCluster(name, env, cp, cluster, {
        id: eks.clusterArn,
        endpoint: eks.endpoint,
        kubeconfig: eks.kubeconfig,
        provider: eks.provider,
        nodeVSwitches: nodeSubnets.map((s) => ({ id: s.id, zone: s.zone, cidr: s.cidr })),
        aws: {
          clusterName: eks.clusterName,
          oidcProviderArn: eks.oidcProviderArn,
          oidcProviderUrl: eks.oidcIssuerUrl,
          vpcId: network.vpcId,
        },
      });
    }
    return out;
  }

  // --- Inside a cluster ------------------------------------------------------------------------

  private inCluster(
    name: string,
    env: Environment,
    cp: ClusterPlan,
    cluster: ClusterSpec,
    parts: Omit<ClusterParts, "ingress" | "storage" | "tenancy"> & {
      aws?: {
        clusterName: pulumi.Output<string>;
        oidcProviderArn: pulumi.Output<string>;
        oidcProviderUrl: pulumi.Output<string>;
        vpcId: pulumi.Output<string>;
      };
    },
  ): ClusterParts {
    const base = `${name}-${cluster.name}`;
    const k8sOpts: pulumi.ComponentResourceOptions = { parent: this, provider: parts.provider };
    this.providers[cluster.name] = parts.provider;
    const storage = new StorageClasses(
      `${base}-storage`,
      { cloud: env.cloud, defaultClass: cluster.storage.defaultClass, encrypted: true },
      k8sOpts,
    );
    new PlatformRbac(
      `${base}-rbac`,
      {
        production: env.production,
        breakGlassGroups: env.access.breakGlassGroups,
        grants: env.access.grants
          .filter((g) => (g.clusters ?? [cluster.name]).includes(cluster.name))
          .map((g) => ({ group: g.group, role: g.role, namespaces: g.namespaces })),
      },
      k8sOpts,
    );
    const projects = env.tenancy.projects
      .filter((p) => p.clusters.some((c) => c.name === cluster.name))
      .map((p) => ({
        name: p.name,
        clusters: p.clusters.map((c) => ({ name: c.name, quota: c.quota, storageClasses: c.storageClasses })),
        namespaces: p.namespaces
          .filter((n) => n.cluster === cluster.name)
          .map((n) => ({
            name: n.name,
            cluster: n.cluster,
            quota: n.quota,
            limitRange: n.limitRange,
            podSecurity: { enforce: n.podSecurity ?? (env.production ? "restricted" : "baseline") },
            defaultDenyNetworkPolicy: n.defaultDenyNetworkPolicy ?? cp.cni !== "flannel",
          })),
      }));
    const tenancy =
      projects.length > 0
        ? new Tenancy(
            `${base}-tenancy`,
            { cluster: cluster.name, cni: cp.cni, production: env.production, projects },
            k8sOpts,
          )
        : undefined;
    const existingClasses: string[] = [];
    const ingress = cluster.ingress.map((ing) => {
      const controller = new IngressController(
        `${base}-${ing.name}`,
        {
          kind: ing.kind,
          cloud: env.cloud,
          production: env.production,
          className: ing.className,
          defaultClass: ing.default,
          existingClasses: [...existingClasses],
          replicas: ing.replicas,
          singleZone: cp.zones.length < 2,
          loadBalancer:
            ing.kind === "nginx"
              ? {
                  addressType: ing.addressType,
                  spec: ing.loadBalancerSpec,
                  deletionProtection: env.production,
                  zoneMappings:
                    env.cloud === "alicloud"
                      ? parts.nodeVSwitches.map((v) => ({ zone: v.zone, vSwitchId: v.id }))
                      : undefined,
                }
              : undefined,
          alb:
            ing.kind === "alb"
              ? {
                  vSwitches: parts.nodeVSwitches.map((v) => ({ zone: v.zone, vSwitchId: v.id })),
                  // AlbConfig spells address types capitalised (Internet | Intranet).
                  addressType: ing.addressType === "internet" ? "Internet" : "Intranet",
                  deletionProtection: env.production,
                }
              : undefined,
          aws:
            ing.kind === "aws-lb-controller" && parts.aws ? { ...parts.aws, region: env.region } : undefined,
        },
        k8sOpts,
      );
      existingClasses.push(ing.className ?? ing.name);
      return controller;
    });
    return { ...parts, ingress, storage, tenancy };
  }

  // --- Outputs -----------------------------------------------------------------------------

  private vpcId!: pulumi.Output<string>;
  private vswitchIds!: pulumi.Output<Record<string, string>>;

  private contract(
    env: Environment,
    plan: EnvironmentPlan,
    clusters: Record<string, ClusterParts>,
  ): pulumi.Output<Omit<PlatformOutputs, "kubeconfigs">> {
    const vswitches = this.vswitchIds.apply((ids) =>
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
        plan.clusters.map((cp) => {
          const parts = clusters[cp.name] as ClusterParts;
          const spec = env.clusters.find((c) => c.name === cp.name) as ClusterSpec;
          return pulumi
            .all([
              parts.id,
              parts.endpoint,
              pulumi.all(parts.ingress.map((i) => i.className)),
              parts.tenancy?.projectNamespaces ?? pulumi.output({} as Record<string, string[]>),
              parts.storage.defaultClass,
            ])
            .apply(([id, endpoint, classes, namespaces, defaultStorageClass]): [string, ClusterOutput] => [
              cp.name,
              {
                name: cp.name,
                id,
                endpoint: endpoint ?? "",
                kubernetesVersion: spec.kubernetesVersion,
                cni: cp.cni,
                podCidr: cp.podCidr,
                serviceCidr: cp.serviceCidr,
                ingressClasses: classes,
                loadBalancers: Object.fromEntries(spec.ingress.map((i) => [i.name, ""])),
                namespaces,
                defaultStorageClass,
              },
            ]);
        }),
      )
      .apply((entries) => Object.fromEntries(entries));
    return pulumi.all([this.vpcId, vswitches, clusterOutputs]).apply(([vpcId, vs, cs]) => ({
      contractVersion: CONTRACT_VERSION,
      environment: env.name,
      cloud: env.cloud,
      region: env.region,
      vpc: { id: vpcId, cidr: env.vpc.cidr, secondaryCidrs: env.vpc.secondaryCidrs },
      vswitches: vs,
      clusters: cs,
    }));
  }
}

function vswitchesOf(plan: EnvironmentPlan, cp: ClusterPlan, role: PlannedVSwitch["role"]): PlannedVSwitch[] {
  return cp.vswitchKeys
    .map((k) => plan.vswitches.find((v) => v.key === k))
    .filter((v): v is PlannedVSwitch => v !== undefined && v.role === role);
}
