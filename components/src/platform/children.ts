/**
 * A platform is a list of children per cloud. Each child has a name, the spec object the user
 * edits for it, its arguments as a function of its siblings' references, its validator (one
 * shape: references → diagnostics at spec paths) and its constructor. The Platform maps the
 * list twice through one code path: with placeholder references to judge every child before
 * anything registers, then with the real references to create them. A child that is in the
 * list is judged; a child that is not cannot be created.
 *
 * Every diagnostic a child raises is moved from the component's argument path to the spec path
 * the user must edit (`autoscaling.minSize` of an AckNodePool → `clusters[0].nodePools[0].minSize`,
 * `projects[0]...` of a Tenancy → `tenancy.projects[2]...`). An argument with no spec counterpart
 * points at the child's spec object and names the argument in the message.
 */
import {
  type ClusterSpec,
  checkAccess,
  type Diagnostic,
  type Environment,
  type EnvironmentPlan,
  type IngressSpec,
} from "@kubeplat/plan";
import type * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AckCluster, validateClusterArgs } from "../alicloud/AckCluster";
import { AckClusterAddons, validateAckClusterAddonsArgs } from "../alicloud/AckClusterAddons";
import { AckNodePool, validateNodePoolArgs } from "../alicloud/AckNodePool";
import { AlicloudNetwork, validateNetworkArgs } from "../alicloud/AlicloudNetwork";
import { AwsNetwork, validateAwsNetworkArgs } from "../aws/AwsNetwork";
import { checkEksClusterArgs, EksCluster } from "../aws/EksCluster";
import { EksClusterAddons, validateEksClusterAddonsArgs } from "../aws/EksClusterAddons";
import { checkEksNodeGroupArgs, EksNodeGroup } from "../aws/EksNodeGroup";
import { checkKarpenterArgs, Karpenter } from "../aws/Karpenter";
import { markJudged } from "../judgement";
import {
  IngressController,
  type IngressControllerArgs,
  validateIngressControllerArgs,
} from "../kubernetes/IngressController";
import { PlatformRbac, rbacFacts } from "../kubernetes/PlatformRbac";
import { StorageClasses, validateStorageClasses } from "../kubernetes/StorageClasses";
import { planTenancy, Tenancy } from "../kubernetes/Tenancy";
import { TenantIdentities, validateTenantIdentitiesArgs } from "../kubernetes/TenantIdentities";
import { NodeImage, validateNodeImageArgs } from "../nodeimage/NodeImage";
import { checkSelfManagedClusterArgs, SelfManagedCluster } from "../selfmanaged/SelfManagedCluster";
import {
  ackClusterAddonsArgs,
  ackClusterArgs,
  ackNodePoolArgs,
  alicloudNetworkArgs,
  awsNetworkArgs,
  childName,
  eksClusterAddonsArgs,
  eksClusterArgs,
  eksNodeGroupArgs,
  ingressArgs,
  karpenterArgs,
  nodeImageArgs,
  PLACEHOLDER_REFS,
  type Refs,
  rbacArgs,
  storageArgs,
  tenancyArgs,
  tenantIdentitiesArgs,
} from "./platformArgs";
import { selfManagedClusterArgs, selfManagedNodeImageArgs } from "./selfManagedArgs";
import { addonsBeforeNodes, settleAddonsBeforeNodes } from "./upgradeOrder";

/** What the children created so far hold: the real references later siblings read. */
export interface Built {
  vpcId?: pulumi.Output<string>;
  vswitchIds?: pulumi.Output<Record<string, string>>;
  /** One vSwitch's (subnet's) id, depending on that resource alone. */
  vswitchId?: (key: string) => pulumi.Output<string> | undefined;
  /** One cluster's node security group id, when the network made one. */
  securityGroupId?: (cluster: string) => pulumi.Output<string> | undefined;
  clusters: Record<string, AckCluster | EksCluster | SelfManagedCluster>;
  images: Record<string, NodeImage>;
  providers: Record<string, kubernetes.Provider>;
  /** Per cluster: its node pools / node groups (EKS add-ons wait for nodes). */
  nodeGroups: Record<string, pulumi.Resource[]>;
  /** Per cluster: its managed add-ons. */
  addons: Record<string, AckClusterAddons | EksClusterAddons>;
  storage: Record<string, StorageClasses>;
  tenancy: Record<string, Tenancy>;
  ingress: Record<
    string,
    { spec: IngressSpec; name: string; args: IngressControllerArgs; controller: IngressController }[]
  >;
}

export function emptyBuilt(): Built {
  return {
    clusters: {},
    images: {},
    providers: {},
    nodeGroups: {},
    addons: {},
    storage: {},
    tenancy: {},
    ingress: {},
  };
}

/** A component argument path (a regular expression over it) → the spec path to edit. */
type PathRule = [RegExp, (m: RegExpExecArray) => string];

export interface Child {
  /** The child's resource name. */
  name: string;
  /** The spec object the user edits for this child, e.g. `clusters[0].nodePools[1]`. */
  specPath: string;
  /** The child's own validation of the arguments built from `refs`, at spec paths. */
  validate(refs: Refs): Diagnostic[];
  /** Create the child with the arguments built from `refs`; record it in `built`. */
  create(refs: Refs, built: Built, parent: pulumi.Resource, protect: boolean): void;
}

interface ChildDef<A> {
  name: string;
  specPath: string;
  paths: PathRule[];
  args(refs: Refs): A;
  validate(name: string, args: A): Diagnostic[];
  create(name: string, args: A, built: Built, parent: pulumi.Resource, protect: boolean): void;
}

function child<A>(d: ChildDef<A>): Child {
  return {
    name: d.name,
    specPath: d.specPath,
    validate: (refs) => d.validate(d.name, d.args(refs)).map((x) => toSpecPath(x, d.specPath, d.paths)),
    // The arguments are judged (the Platform's pre-flight ran `validate` on the same arguments
    // with placeholder references): the child does not judge them again (judgement.ts).
    create: (refs, built, parent, protect) =>
      d.create(d.name, markJudged(d.args(refs)), built, parent, protect),
  };
}

/** Move a child's diagnostic from its argument path to the spec path. */
export function toSpecPath(d: Diagnostic, specPath: string, rules: readonly PathRule[]): Diagnostic {
  for (const [re, to] of rules) {
    const m = re.exec(d.path);
    if (m) return { ...d, path: to(m) };
  }
  if (d.path === "" || d.path === "(root)") return { ...d, path: specPath };
  return { ...d, path: specPath, message: `${d.message} (argument ${d.path})` };
}

/** Fields named alike in the arguments and the spec object at `base`. */
const same = (base: string, ...fields: string[]): PathRule[] =>
  fields.map((f): PathRule => [new RegExp(`^${reEscape(f)}((?:[.[].*)?)$`), (m) => `${base}.${f}${m[1]}`]);
/** An argument field (and what is under it) → one spec path. */
const to = (field: string, spec: string): PathRule => [
  new RegExp(`^${reEscape(field)}((?:[.[].*)?)$`),
  (m) => `${spec}${m[1]}`,
];
const whole = (field: string, spec: string): PathRule => [
  new RegExp(`^${reEscape(field)}(?:[.[].*)?$`),
  () => spec,
];
const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Positions of the items of `all` that `keep` retains, in order: filtered index → spec index. */
function positions<T>(all: readonly T[], keep: (t: T) => boolean): number[] {
  return all.flatMap((t, i) => (keep(t) ? [i] : []));
}

function vswitchRules(env: Environment, plan: EnvironmentPlan, arg: string): PathRule[] {
  const existing = (i: number) => {
    const v = plan.vswitches[i];
    const j = v?.existingId ? env.vpc.existingVSwitches.findIndex((e) => e.id === v.existingId) : -1;
    return j >= 0 ? `vpc.existingVSwitches[${j}]` : undefined;
  };
  const clusterOf = (i: number) => env.clusters.findIndex((c) => c.name === plan.vswitches[i]?.cluster);
  return [
    [
      new RegExp(`^${arg}\\[(\\d+)\\]\\.ipv6Index$`),
      (m) => {
        const ci = clusterOf(Number(m[1]));
        return ci >= 0 ? `clusters[${ci}].ipStack` : "vpc";
      },
    ],
    [new RegExp(`^${arg}\\[(\\d+)\\](.*)$`), (m) => existing(Number(m[1])) ?? "vpc"],
  ];
}

function networkRules(env: Environment, plan: EnvironmentPlan, subnets: string): PathRule[] {
  const clusterIndex = (k: number) => env.clusters.findIndex((c) => c.name === plan.clusters[k]?.name);
  return [
    ...same("vpc", "id", "cidr", "secondaryCidrs", "shared").map(
      ([re, f]): PathRule => [new RegExp(`^vpc\\.${re.source.slice(1)}`), f],
    ),
    ...vswitchRules(env, plan, subnets),
    [/^clusters\[(\d+)\]\.(\w+)(.*)$/, (m) => `clusters[${clusterIndex(Number(m[1]))}].${m[2]}${m[3]}`],
    to("quotas.eips", "quotas.eips"),
    to("quotas.securityGroups", "quotas.securityGroups"),
    to("tags", "tags"),
  ];
}

function clusterRules(env: Environment, cluster: ClusterSpec, c: string): PathRule[] {
  const grants = positions(
    env.access.grants,
    (g) => g.principalArn !== undefined && (g.clusters ?? [cluster.name]).includes(cluster.name),
  );
  return [
    ...same(c, "kubernetesVersion", "edition", "podCidr", "nodeCidrMask", "serviceCidr", "tags", "cni"),
    to("clusterName", `${c}.name`),
    to("deletionProtection", `${c}.security.deletionProtection`),
    to("secretsEncryption.kmsKeyId", `${c}.security.kmsKeyId`),
    to("secretsEncryption.kmsKeyArn", `${c}.security.kmsKeyId`),
    whole("secretsEncryption", `${c}.security.secretsEncryption`),
    whole("apiServer.publicEndpoint", `${c}.apiServer.public`),
    to("apiServer.allowList", `${c}.apiServer.allowList`),
    whole("endpoint.publicAccessCidrs", `${c}.apiServer.allowList`),
    whole("endpoint", `${c}.apiServer`),
    whole("vswitches", `${c}.zones`),
    whole("podVSwitches", `${c}.zones`),
    whole("subnets", `${c}.zones`),
    whole("maxNodes", `${c}.nodePools`),
    to("quotas.clusterNodes", "quotas.clusterNodes"),
    to(
      "quotas.routeEntries",
      env.quotas.routeEntries !== undefined ? "quotas.routeEntries" : "vpc.routeEntryQuota",
    ),
    [/^access\[(\d+)\](.*)$/, (m) => `access.grants[${grants[Number(m[1])] ?? 0}]${m[2]}`],
    to("deployers", "access.deployers"),
    to("deployFrom", "access.deployFrom"),
  ];
}

function poolRules(c: string, p: string): PathRule[] {
  return [
    // Before `same(…, "autoscaling")`, which would keep the argument's nesting.
    to("autoscaling.minSize", `${p}.minSize`),
    to("autoscaling.maxSize", `${p}.maxSize`),
    ...same(
      p,
      "minSize",
      "maxSize",
      "desiredSize",
      "instanceTypes",
      "labels",
      "taints",
      "runtime",
      "autoscaling",
    ),
    to("nodePoolName", `${p}.name`),
    to("keyPairName", `${p}.loginKeyPair`),
    to("securityGroupIds", `${p}.securityGroups`),
    whole("kubelet.maxPods", `${p}.maxPods`),
    whole("imageType", `${p}.image`),
    whole("imageId", `${p}.image`),
    whole("imageFamily", `${p}.image`),
    whole("amiId", `${p}.image`),
    whole("isDefault", `${p}.default`),
    whole("defaultPool", `${p}.default`),
    whole("vswitchIds", `${p}.zones`),
    whole("subnetIds", `${p}.zones`),
    whole("clusterEdition", `${c}.edition`),
    whole("clusterCni", `${c}.cni`),
    to("quotas.nodesPerPool", "quotas.nodesPerPool"),
    to("quotas.scaleStep", "quotas.scaleStep"),
    // A node image's arguments.
    whole("family", `${p}.image`),
    whole("kubernetesVersion", `${c}.kubernetesVersion`),
    to("containerOs.loginKeyPair", `${p}.loginKeyPair`),
    to("containerOs.runtime", `${p}.runtime`),
    whole("containerOs.clusterEdition", `${c}.edition`),
    whole("containerOs.managedPool", p),
    whole("kubelet", `${p}.maxPods`),
    to("nodeLabels", `${p}.labels`),
    to("nodeTaints", `${p}.taints`),
  ];
}

function tenancyRules(env: Environment, cluster: ClusterSpec): PathRule[] {
  const projects = positions(env.tenancy.projects, (p) => p.clusters.some((c) => c.name === cluster.name));
  const project = (k: number) => projects[k] ?? 0;
  const namespace = (k: number, m: number) =>
    positions(env.tenancy.projects[project(k)]?.namespaces ?? [], (n) => n.cluster === cluster.name)[m] ?? 0;
  return [
    [
      /^projects\[(\d+)\]\.namespaces\[(\d+)\](.*)$/,
      (m) =>
        `tenancy.projects[${project(Number(m[1]))}].namespaces[${namespace(Number(m[1]), Number(m[2]))}]${(
          m[3] ?? ""
        ).replace(/^\.podSecurity\.enforce/, ".podSecurity")}`,
    ],
    [/^projects\[(\d+)\](.*)$/, (m) => `tenancy.projects[${project(Number(m[1]))}]${m[2]}`],
  ];
}

function rbacRules(env: Environment, cluster: ClusterSpec): PathRule[] {
  const grants = positions(env.access.grants, (g) => (g.clusters ?? [cluster.name]).includes(cluster.name));
  return [
    [/^grants\[(\d+)\](.*)$/, (m) => `access.grants[${grants[Number(m[1])] ?? 0}]${m[2]}`],
    to("breakGlassGroups", "access.breakGlassGroups"),
  ];
}

function ingressRules(c: string, i: string): PathRule[] {
  return [
    ...same(i, "className", "replicas", "kind"),
    whole("defaultClass", `${i}.default`),
    whole("existingClasses", `${c}.ingress`),
    to("loadBalancer.addressType", `${i}.addressType`),
    whole("alb.addressType", `${i}.addressType`),
    whole("loadBalancer.spec", `${i}.loadBalancerSpec`),
    whole("loadBalancer.zoneMappings", `${c}.zones`),
    whole("alb.vSwitches", `${c}.zones`),
    whole("singleZone", `${c}.zones`),
  ];
}

/** The in-cluster children of one cluster (the same on both clouds). */
function inClusterChildren(platform: string, env: Environment, plan: EnvironmentPlan, ci: number): Child[] {
  const cluster = env.clusters[ci] as ClusterSpec;
  const c = `clusters[${ci}]`;
  const opts = (built: Built, parent: pulumi.Resource) => ({
    parent,
    provider: built.providers[cluster.name],
  });
  // Each object that needs an add-on is created after it (addon/required).
  const after = (built: Built, parent: pulumi.Resource, ...names: string[]) => {
    const installed = built.addons[cluster.name]?.resources ?? {};
    return {
      ...opts(built, parent),
      dependsOn: names.map((n) => installed[n]).filter((r): r is pulumi.CustomResource => r !== undefined),
    };
  };
  const out: Child[] = [];
  // A self-managed cluster runs no cloud CSI driver the platform installs: no StorageClasses
  // whose provisioner nothing serves (README: Self-managed clusters).
  if (cluster.kind !== "selfmanaged") {
    out.push(
      child({
        name: childName.storage(platform, cluster.name),
        specPath: `${c}.storage`,
        paths: [to("defaultClass", `${c}.storage.defaultClass`)],
        args: () => storageArgs(env, cluster),
        validate: validateStorageClasses,
        create: (name, args, built, parent) => {
          built.storage[cluster.name] = new StorageClasses(
            name,
            args,
            after(built, parent, "csi-plugin", "csi-provisioner", "aws-ebs-csi-driver"),
          );
        },
      }),
    );
  }
  out.push(
    child({
      name: childName.rbac(platform, cluster.name),
      specPath: "access",
      paths: rbacRules(env, cluster),
      args: () => rbacArgs(env, cluster),
      validate: (name, args) => checkAccess(rbacFacts(name, args)),
      create: (name, args, built, parent) => {
        new PlatformRbac(name, args, opts(built, parent));
      },
    }),
  );
  const tenancy = tenancyArgs(env, plan, cluster);
  if (tenancy) {
    out.push(
      child({
        name: childName.tenancy(platform, cluster.name),
        specPath: "tenancy",
        paths: tenancyRules(env, cluster),
        args: () => tenancy,
        validate: (name, args) => planTenancy(name, args).diagnostics,
        create: (name, args, built, parent) => {
          built.tenancy[cluster.name] = new Tenancy(
            name,
            args,
            after(built, parent, "terway-eniip", "vpc-cni"),
          );
        },
      }),
    );
  }
  cluster.ingress.forEach((ing, k) => {
    out.push(
      child({
        name: childName.ingress(platform, cluster.name, ing.name),
        specPath: `${c}.ingress[${k}]`,
        paths: ingressRules(c, `${c}.ingress[${k}]`),
        args: (refs) => (ingressArgs(env, plan, cluster, refs)[k] as [IngressSpec, IngressControllerArgs])[1],
        validate: validateIngressControllerArgs,
        create: (name, args, built, parent) => {
          // A later nginx controller of the cluster waits for the first, which creates the namespace.
          const first = (built.ingress[cluster.name] ?? []).find((i) => i.spec.kind === "nginx");
          const base =
            ing.kind === "alb"
              ? after(built, parent, "alb-ingress-controller")
              : ing.kind === "aws-lb-controller" && (ing.identity ?? "pod-identity") === "pod-identity"
                ? after(built, parent, "eks-pod-identity-agent")
                : opts(built, parent);
          const controller = new IngressController(
            name,
            args,
            first && ing.kind === "nginx"
              ? {
                  ...base,
                  dependsOn: [
                    ...((base as { dependsOn?: pulumi.Resource[] }).dependsOn ?? []),
                    first.controller,
                  ],
                }
              : base,
          );
          built.ingress[cluster.name] = [
            ...(built.ingress[cluster.name] ?? []),
            { spec: ing, name, args, controller },
          ];
        },
      }),
    );
  });
  return out;
}

/** The node image (when the pool boots one the platform resolves) and the pool of a spec pool. */
function poolChildren(
  platform: string,
  env: Environment,
  plan: EnvironmentPlan,
  ci: number,
  pi: number,
): Child[] {
  const cluster = env.clusters[ci] as ClusterSpec;
  const pool = cluster.nodePools[pi] as ClusterSpec["nodePools"][number];
  const c = `clusters[${ci}]`;
  const p = `${c}.nodePools[${pi}]`;
  const name = childName.pool(platform, cluster.name, pool.name);
  const hasImage = nodeImageArgs(env, cluster, pool, PLACEHOLDER_REFS) !== undefined;
  const out: Child[] = [];
  if (hasImage) {
    out.push(
      child({
        name,
        specPath: p,
        paths: poolRules(c, p),
        args: (refs) =>
          nodeImageArgs(env, cluster, pool, refs) as NonNullable<ReturnType<typeof nodeImageArgs>>,
        validate: validateNodeImageArgs,
        create: (n, args, built, parent) => {
          built.images[`${cluster.name}/${pool.name}`] = new NodeImage(n, args, { parent });
        },
      }),
    );
  }
  if (env.cloud === "alicloud") {
    out.push(
      child({
        name,
        specPath: p,
        paths: poolRules(c, p),
        args: (refs) => ackNodePoolArgs(env, plan, cluster, pool, refs, hasImage),
        validate: validateNodePoolArgs,
        // A node pool holds running workloads: production pools cannot be deleted by accident.
        create: (n, args, built, parent, protect) => {
          const pools = built.nodeGroups[cluster.name] ?? [];
          // A retiring pool (the old side of a blue/green rotation) may be removed by the next change.
          pools.push(new AckNodePool(n, args, { parent, protect: protect && !pool.retiring }));
          built.nodeGroups[cluster.name] = pools;
        },
      }),
    );
  } else {
    out.push(
      child({
        name,
        specPath: p,
        paths: poolRules(c, p),
        args: (refs) => eksNodeGroupArgs(env, plan, cluster, pool, refs),
        validate: checkEksNodeGroupArgs,
        create: (n, args, built, parent, protect) => {
          const groups = built.nodeGroups[cluster.name] ?? [];
          // Control plane → add-ons → nodes: the group waits for vpc-cni, kube-proxy and the Pod Identity agent.
          const dependsOn = addonsBeforeNodes(built, cluster.name);
          groups.push(new EksNodeGroup(n, args, { parent, protect: protect && !pool.retiring, dependsOn }));
          built.nodeGroups[cluster.name] = groups;
        },
      }),
    );
  }
  return out;
}

/** ACK's autoscaler service role exists once per account: the first autoscaling cluster creates it. */
function autoscalerRoleCreator(env: Environment): string | undefined {
  return env.clusters.find((c) => c.nodePools.some((p) => p.autoscaling))?.name;
}

/** A cluster's managed add-ons, then the cloud roles its tenants' service accounts ask for. */
function addonChildren(
  platform: string,
  env: Environment,
  plan: EnvironmentPlan,
  ci: number,
  roleCreator: string | undefined,
): Child[] {
  const cluster = env.clusters[ci] as ClusterSpec;
  const c = `clusters[${ci}]`;
  const out: Child[] = [];
  if (env.cloud === "alicloud") {
    out.push(
      child({
        name: childName.addons(platform, cluster.name),
        specPath: `${c}.addons`,
        paths: [],
        args: (refs) =>
          ackClusterAddonsArgs(env, cluster, refs, cluster.name === roleCreator ? "create" : "existing"),
        validate: validateAckClusterAddonsArgs,
        create: (name, args, built, parent) => {
          built.addons[cluster.name] = new AckClusterAddons(name, args, { parent });
        },
      }),
    );
  } else {
    out.push(
      child({
        name: childName.addons(platform, cluster.name),
        specPath: `${c}.addons`,
        paths: [],
        args: (refs) => eksClusterAddonsArgs(env, cluster, refs),
        validate: validateEksClusterAddonsArgs,
        // coredns, the EBS CSI controller and the autoscaler need nodes to become ready.
        create: (name, args, built, parent) => {
          const addons = new EksClusterAddons(name, args, {
            parent,
            provider: built.providers[cluster.name],
            dependsOn: built.nodeGroups[cluster.name] ?? [],
          });
          built.addons[cluster.name] = addons;
          settleAddonsBeforeNodes(built, cluster.name, addons.resources);
        },
      }),
    );
  }
  if (env.cloud === "aws" && cluster.karpenter) {
    out.push(
      child({
        name: `${platform}-${cluster.name}-karpenter`,
        specPath: `${c}.karpenter`,
        paths: [],
        args: (refs) =>
          karpenterArgs(env, plan, cluster, refs) as NonNullable<ReturnType<typeof karpenterArgs>>,
        validate: checkKarpenterArgs,
        // The controller runs on the node groups; its objects need the cluster's add-ons (Pod Identity agent).
        create: (name, args, built, parent) => {
          new Karpenter(name, args, {
            parent,
            provider: built.providers[cluster.name],
            dependsOn: [
              ...(built.nodeGroups[cluster.name] ?? []),
              ...(built.addons[cluster.name] ? [built.addons[cluster.name] as pulumi.Resource] : []),
            ],
          });
        },
      }),
    );
  }
  const identities = (refs: Refs) => {
    const r = refs.cluster(cluster.name);
    return tenantIdentitiesArgs(env, cluster, {
      clusterName: r.name,
      oidcProviderArn: r.oidcProviderArn,
      oidcIssuerUrl: r.oidcProviderUrl,
    });
  };
  if (identities(PLACEHOLDER_REFS)) {
    out.push(
      child({
        name: childName.identities(platform, cluster.name),
        specPath: "tenancy",
        paths: [],
        args: (refs) => identities(refs) as NonNullable<ReturnType<typeof identities>>,
        validate: validateTenantIdentitiesArgs,
        create: (name, args, built, parent) => {
          // EKS Pod Identity associations need the agent the add-ons install.
          const agent = built.addons[cluster.name]?.resources["eks-pod-identity-agent"];
          new TenantIdentities(name, args, { parent, dependsOn: agent ? [agent] : [] });
        },
      }),
    );
  }
  return out;
}

/**
 * Every child of a platform, in dependency order: the network, then per cluster the cluster,
 * its node images and pools, its managed add-ons and tenant identities, and its in-cluster
 * components (each after the add-on it needs).
 */
export function platformChildren(platform: string, env: Environment, plan: EnvironmentPlan): Child[] {
  const out: Child[] = [];
  if (env.cloud === "alicloud") {
    out.push(
      child({
        name: childName.network(platform),
        specPath: "vpc",
        paths: networkRules(env, plan, "vswitches"),
        args: () => alicloudNetworkArgs(env, plan),
        validate: validateNetworkArgs,
        create: (name, args, built, parent) => {
          const network = new AlicloudNetwork(name, args, { parent });
          built.vpcId = network.vpcId;
          built.vswitchIds = network.vswitchIds;
          built.vswitchId = (key) => network.vswitchId(key);
          built.securityGroupId = (cluster) => network.securityGroupIdOf(cluster);
        },
      }),
    );
  } else {
    out.push(
      child({
        name: childName.network(platform),
        specPath: "vpc",
        paths: networkRules(env, plan, "subnets"),
        args: () => awsNetworkArgs(env, plan),
        validate: validateAwsNetworkArgs,
        create: (name, args, built, parent) => {
          const network = new AwsNetwork(name, args, { parent });
          built.vpcId = network.vpcId;
          built.vswitchIds = network.subnets.apply((s) => Object.fromEntries(s.map((x) => [x.key, x.id])));
          built.vswitchId = (key) => network.subnetId(key);
        },
      }),
    );
  }
  env.clusters.forEach((cluster, ci) => {
    const c = `clusters[${ci}]`;
    if (cluster.kind === "selfmanaged") {
      const image = selfManagedImageChild(platform, env, ci);
      if (image) out.push(image);
      out.push(selfManagedChild(platform, env, plan, ci));
      out.push(...inClusterChildren(platform, env, plan, ci));
      return;
    }
    if (env.cloud === "alicloud") {
      out.push(
        child({
          name: childName.cluster(platform, cluster.name),
          specPath: c,
          paths: clusterRules(env, cluster, c),
          args: (refs) => ackClusterArgs(env, plan, cluster, refs),
          validate: validateClusterArgs,
          create: (name, args, built, parent) => {
            const ack = new AckCluster(name, args, { parent });
            built.clusters[cluster.name] = ack;
            built.providers[cluster.name] = ack.provider;
          },
        }),
      );
    } else {
      out.push(
        child({
          name: childName.cluster(platform, cluster.name),
          specPath: c,
          paths: clusterRules(env, cluster, c),
          args: (refs) => eksClusterArgs(env, plan, cluster, refs),
          validate: checkEksClusterArgs,
          create: (name, args, built, parent) => {
            const eks = new EksCluster(name, args, { parent });
            built.clusters[cluster.name] = eks;
            built.providers[cluster.name] = eks.provider;
          },
        }),
      );
    }
    cluster.nodePools.forEach((_, pi) => {
      out.push(...poolChildren(platform, env, plan, ci, pi));
    });
    out.push(...addonChildren(platform, env, plan, ci, autoscalerRoleCreator(env)));
    out.push(...inClusterChildren(platform, env, plan, ci));
  });
  return out;
}

/**
 * The node image of a self-managed cluster that names no `selfManaged.imageId`: one NodeImage
 * per cluster, built from the environment's `ostreeImage` and imported as the cloud's custom
 * image; every node of the cluster (control plane and pools) boots its `imageId`. Named like
 * the cluster (a NodeImage, not a SelfManagedCluster: the URNs differ by type).
 */
function selfManagedImageChild(platform: string, env: Environment, ci: number): Child | undefined {
  const cluster = env.clusters[ci] as ClusterSpec;
  const args = selfManagedNodeImageArgs(env, cluster);
  if (!args) return undefined;
  const c = `clusters[${ci}]`;
  return child({
    name: childName.cluster(platform, cluster.name),
    specPath: "ostreeImage",
    paths: [
      to("ostree.treefile", "ostreeImage.treefile"),
      to("ostree.cloudImage.cloud", "cloud"),
      to("ostree.cloudImage.architecture", `${c}.nodePools`),
      to("ostree.cloudImage", "ostreeImage"),
      to("ostree", "ostreeImage"),
      whole("kubernetesVersion", `${c}.kubernetesVersion`),
      whole("kubelet", `${c}.maxPodsPerNode`),
    ],
    args: () => args,
    validate: validateNodeImageArgs,
    create: (n, a, built, parent) => {
      built.images[cluster.name] = new NodeImage(n, a, { parent });
    },
  });
}

/**
 * A self-managed cluster is one child: its control plane, API load balancer and worker pools
 * are built together (SelfManagedCluster), so its pools have no children of their own.
 */
function selfManagedChild(platform: string, env: Environment, plan: EnvironmentPlan, ci: number): Child {
  const cluster = env.clusters[ci] as ClusterSpec;
  const c = `clusters[${ci}]`;
  const sm = `${c}.selfManaged`;
  return child({
    name: childName.cluster(platform, cluster.name),
    specPath: c,
    paths: [
      ...same(c, "kubernetesVersion", "podCidr", "serviceCidr", "tags", "cni", "zones"),
      to("clusterName", `${c}.name`),
      to("cloud", "cloud"),
      to("deletionProtection", `${c}.security.deletionProtection`),
      whole("encryption", `${sm}.etcdEncryption.enabled`),
      whole("controlPlane.nodes", `${sm}.controlPlane.count`),
      to("controlPlane.diskType", `${sm}.controlPlane.diskCategory`),
      to("controlPlane", `${sm}.controlPlane`),
      to(
        "apiVip",
        cluster.selfManaged?.apiVip !== undefined
          ? `${sm}.apiVip`
          : `plan.clusters["${cluster.name}"].selfManaged.apiVip`,
      ),
      // Planned, never written in the spec: the plan's address is what to look at.
      to("apiZoneAddresses", `plan.clusters["${cluster.name}"].selfManaged.apiZoneAddresses`),
      to("joinCidr", `${sm}.joinCidr`),
      to("imageId", `${sm}.imageId`),
      to("keyName", `${sm}.loginKeyPair`),
      to("deployFrom", "access.deployFrom"),
      [/^pools\[(\d+)\]\.subnetIds.*$/, (m) => `${c}.nodePools[${m[1]}].zones`],
      [/^pools\[(\d+)\](.*)$/, (m) => `${c}.nodePools[${m[1]}]${m[2]}`],
    ],
    args: (refs) => selfManagedClusterArgs(env, plan, cluster, refs),
    validate: checkSelfManagedClusterArgs,
    create: (name, args, built, parent, protect) => {
      const sc = new SelfManagedCluster(name, args, { parent, protect });
      built.clusters[cluster.name] = sc;
      built.providers[cluster.name] = sc.provider;
    },
  });
}

/** A self-managed cluster as later children read it, on either cloud: no OIDC issuer of the cloud's. */
function selfManagedRef(self: SelfManagedCluster) {
  return {
    id: self.clusterName,
    name: self.clusterName,
    endpoint: self.endpoint,
    certificateAuthority: self.certificateAuthorityData,
    oidcProviderArn: "",
    oidcProviderUrl: "",
  };
}

/** The references later children read, from what the earlier ones built. */
export function liveRefs(env: Environment, plan: EnvironmentPlan, built: Built): Refs {
  const image = (c: string, p: string) => {
    const i = built.images[`${c}/${p}`] as NodeImage;
    return { imageType: i.imageType, imageId: i.imageId, userData: i.userData, identity: i.identity };
  };
  const clusterImageId = (c: string) => (built.images[c] as NodeImage).imageId;
  // Each reference is one resource's own output, so a child depends on the vSwitches and the
  // security group it uses, not on every one of the network (the engine's graph stays as narrow
  // as the plan, and a preview expands no network-wide dependency sets per child).
  const vswitchId = (key: string, fallback: string) => built.vswitchId?.(key) ?? pulumi.output(fallback);
  if (env.cloud === "alicloud") {
    return {
      // Read when a child is created, after the network: the references are made before it.
      get vpcId() {
        return built.vpcId as pulumi.Output<string>;
      },
      vswitchId: (key) => vswitchId(key, plan.vswitches.find((v) => v.key === key)?.existingId ?? ""),
      // Called when the cluster is created, after the network (a reference read before the
      // network existed once left every ACK cluster without the platform's node security group,
      // and ACK made one of its own). Per cluster: a network serving several clusters makes one
      // group for each.
      securityGroupId: (cluster) => built.securityGroupId?.(cluster) ?? "",
      cluster: (n) => {
        const self = built.clusters[n];
        if (self instanceof SelfManagedCluster) return selfManagedRef(self);
        const c = built.clusters[n] as AckCluster;
        return {
          id: c.clusterId,
          name: c.clusterName,
          endpoint: c.apiServerIntranetEndpoint.apply((e) => e ?? ""),
          certificateAuthority: "",
          oidcProviderArn: c.rrsaOidcProviderArn,
          oidcProviderUrl: c.rrsaOidcIssuerUrl,
        };
      },
      image,
      clusterImageId,
    };
  }
  return {
    get vpcId() {
      return built.vpcId as pulumi.Output<string>;
    },
    vswitchId: (key) => vswitchId(key, ""),
    securityGroupId: () => "",
    cluster: (n) => {
      const self = built.clusters[n];
      if (self instanceof SelfManagedCluster) return selfManagedRef(self);
      const c = built.clusters[n] as EksCluster;
      return {
        id: c.clusterArn,
        name: c.clusterName,
        endpoint: c.endpoint,
        certificateAuthority: c.certificateAuthorityData,
        oidcProviderArn: c.oidcProviderArn,
        oidcProviderUrl: c.oidcIssuerUrl,
      };
    },
    image,
    clusterImageId,
  };
}
