/**
 * Raw resources → QuotaFacts (rules/quota.ts).
 *
 * Cloud: ACK ManagedKubernetes (clusterSpec → edition, CNI, securityGroupId), cs.NodePool
 * (scalingConfig, desiredSize / nodeCount, instanceTypes, securityGroupIds), EKS Cluster and
 * NodeGroup (scalingConfig), SLB / NLB / AWS load balancers and SLB listeners, EIPs, security
 * groups (securityGroupType). ACK creates an API server SLB and a security group for every
 * cluster (ACK docs: Create an ACK dedicated cluster; Manage Kubernetes clusters with kubectl on Cloud Shell; FAQ about security), so those count too, and so does the SLB the CCM
 * creates for every LoadBalancer Service that does not reuse one.
 *
 * Kubernetes: tenant Namespaces (config projectLabel), their ResourceQuotas (`spec.hard`) and
 * LimitRanges (`spec.limits`), and ACP's NamespaceResourceRatio (`spec.cpu`, `spec.memory`,
 * Alauda Container Platform docs: Overcommit ratio). Project quotas come from config `projects`.
 */
import {
  apiServerLoadBalancerName,
  type ClusterQuotaFacts,
  clusterSecurityGroupName,
  type FactRef,
  type LimitRangeFacts,
  type LoadBalancerQuotaFacts,
  mergeResourceQuotas,
  type NamespaceQuotaFacts,
  type NodePoolQuotaFacts,
  type QuantityMap,
  type QuotaFacts,
  type SecurityGroupFacts,
} from "../index";
import { boundedMemo } from "../memo";
import { ackEdition } from "./cluster";
import { arr, bool, num, obj, str, strMap } from "./known";
import { meta, metaName, namespaceOf, namespacesByName, clusterName as providerName } from "./kubernetes";
import { ackCni, clusterName, poolCluster, stackNetwork } from "./network";
import type { Labels, RawResource, RuleContext } from "./rawResource";
import { CLUSTER_TYPES, cloudOf, LOAD_BALANCER_TYPES, T } from "./resourceTypes";
import type { StackIndex } from "./stack";

/** ACP's namespace overcommit ratio (Alauda Container Platform docs: Overcommit ratio). */
export const NAMESPACE_RATIO_TYPE = "kubernetes:resource.alauda.io/v1:NamespaceResourceRatio";

/**
 * Kubernetes' own ResourceQuota items: anything else in `spec.hard` is a custom ("other") item
 * for quota/reserved-name.
 */
const STANDARD_ITEM =
  /^(cpu|memory|ephemeral-storage|pods|services|secrets|configmaps|persistentvolumeclaims|replicationcontrollers|resourcequotas|services\.loadbalancers|services\.nodeports|storage|(requests|limits)\.(cpu|memory|ephemeral-storage|storage)|count\/.+|hugepages-.+|(requests|limits)\.hugepages-.+|.+\.storageclass\.storage\.k8s\.io\/.+)$/;

export function isStandardQuotaItem(item: string): boolean {
  return STANDARD_ITEM.test(item);
}

function quantityMap(v: unknown): QuantityMap | undefined {
  const m = strMap(v);
  return m;
}

/** Split `spec.hard` into Kubernetes' items and custom items. */
export function splitHard(hard: QuantityMap | undefined): { quota?: QuantityMap; customQuota?: QuantityMap } {
  if (hard === undefined) return {};
  const quota: QuantityMap = {};
  const customQuota: QuantityMap = {};
  for (const [k, v] of Object.entries(hard)) (isStandardQuotaItem(k) ? quota : customQuota)[k] = v;
  return { quota, customQuota };
}

// ---------------------------------------------------------------------------------------------
// Node pools and clusters

function minOf(values: (number | undefined)[]): number | undefined {
  if (values.length === 0 || values.some((v) => v === undefined)) return undefined;
  return Math.min(...(values as number[]));
}

/**
 * An ACK NodePool's capacity from its spot properties: a spot strategy other than NoSpot buys spot
 * above the on-demand base and percentage (mixed, or spot only when both are 0).
 */
function ackCapacity(p: Record<string, unknown>): NodePoolQuotaFacts["capacity"] {
  const strategy = str(p.spotStrategy);
  if (strategy === undefined || strategy === "NoSpot") return undefined;
  const onDemandBase = num(p.onDemandBaseCapacity) ?? 0;
  const onDemandPercentage = num(p.onDemandPercentageAboveBaseCapacity) ?? 0;
  if (!onDemandBase && !onDemandPercentage) return { type: "spot" };
  return { type: "mixed", onDemandBase, onDemandPercentage };
}

export function poolQuotaFacts(
  r: RawResource,
  ctx: RuleContext,
  labels: Labels,
  index?: StackIndex,
): NodePoolQuotaFacts | undefined {
  const p = r.props;
  const scaling = obj(p.scalingConfig);
  const types = "instanceTypes" in p ? arr(p.instanceTypes)?.map(str) : undefined;
  // Per-instance vCPU and memory from config instanceTypes; the smallest listed type is a lower bound.
  const sizes = (types ?? []).map((t) => (t === undefined ? undefined : ctx.settings.instanceTypes[t]));
  const vcpu = types && types.length > 0 ? minOf(sizes.map((s) => s?.vcpu)) : undefined;
  const memoryGiB = types && types.length > 0 ? minOf(sizes.map((s) => s?.memoryGiB)) : undefined;
  if (r.type === T.ackNodePool) {
    const autoscaling =
      "scalingConfig" in p
        ? scaling
          ? "enable" in scaling
            ? bool(scaling.enable)
            : false
          : undefined
        : false;
    const groupIds =
      "securityGroupIds" in p
        ? arr(p.securityGroupIds)
        : "securityGroupId" in p
          ? [p.securityGroupId]
          : undefined;
    const groups: SecurityGroupFacts[] | undefined = groupIds?.map((id) => {
      const sid = str(id);
      const sg =
        sid === undefined || !index
          ? undefined
          : index.of([T.aliSecurityGroup]).find((g) => g.props.id === sid);
      return {
        id: sid,
        type: sg ? ((str(sg.props.securityGroupType) as SecurityGroupFacts["type"]) ?? "normal") : undefined,
      };
    });
    // Security groups the pool references through dependencies (ids unknown in a preview).
    if (groups && index) {
      const deps = (r.propertyDependencies.securityGroupIds ?? [])
        .map((u) => index.byUrn.get(u))
        .filter((g): g is RawResource => g?.type === T.aliSecurityGroup);
      if (deps.length === groups.length && groups.every((g) => g.id === undefined)) {
        deps.forEach((g, i) => {
          groups[i] = {
            id: labels.of(g),
            type: (str(g.props.securityGroupType) as SecurityGroupFacts["type"]) ?? "normal",
          };
        });
      }
    }
    return {
      resource: labels.of(r),
      path: "",
      paths: {
        maxSize: "scalingConfig.maxSize",
        desiredSize: "desiredSize" in p ? "desiredSize" : "nodeCount",
        instanceTypes: "instanceTypes",
        securityGroups: "securityGroupIds",
      },
      name: str(p.nodePoolName) ?? str(p.name) ?? r.name,
      autoscaling,
      maxSize: autoscaling === true ? num(scaling?.maxSize) : autoscaling === false ? undefined : undefined,
      desiredSize: autoscaling === true ? undefined : (num(p.desiredSize) ?? num(p.nodeCount)),
      instanceTypes: types,
      vcpu,
      memoryGiB,
      securityGroups: groups,
      capacity: ackCapacity(p),
    };
  }
  if (r.type === T.eksNodeGroup) {
    const max = num(scaling?.maxSize);
    const min = num(scaling?.minSize);
    return {
      resource: labels.of(r),
      path: "",
      paths: {
        maxSize: "scalingConfig.maxSize",
        desiredSize: "scalingConfig.desiredSize",
        instanceTypes: "instanceTypes",
      },
      name: str(p.nodeGroupName) ?? r.name,
      autoscaling: max !== undefined && min !== undefined ? max > min : undefined,
      maxSize: max,
      desiredSize: num(scaling?.desiredSize),
      instanceTypes: types,
      vcpu,
      memoryGiB,
      capacity: str(p.capacityType) === "SPOT" ? { type: "spot" } : undefined,
    };
  }
  return undefined;
}

/** QuotaFacts of one node pool (nodes-per-pool, autoscaler-instance-types). */
export function poolOnlyQuotaFacts(r: RawResource, ctx: RuleContext, labels: Labels): QuotaFacts | undefined {
  const pool = poolQuotaFacts(r, ctx, labels);
  if (!pool) return undefined;
  const clusterRef = str(r.props.clusterId) ?? str(r.props.clusterName);
  return {
    cloud: cloudOf(r.type),
    quotas: ctx.settings.quotas,
    clusters: [
      { resource: clusterRef ?? "(cluster not known yet)", path: "", name: clusterRef, nodePools: [pool] },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Kubernetes objects on their own

export function limitRangeFacts(r: RawResource, labels: Labels): LimitRangeFacts {
  const m = meta(r);
  const spec = obj(r.props.spec);
  return {
    resource: labels.of(r),
    path: "spec",
    name: m.name,
    namespace: m.namespace,
    limits: spec
      ? arr(spec.limits)?.map((l) => {
          const o = obj(l);
          return {
            type: str(o?.type),
            min: quantityMap(o?.min),
            defaultRequest: quantityMap(o?.defaultRequest),
            default: quantityMap(o?.default),
            max: quantityMap(o?.max),
          };
        })
      : undefined,
  };
}

/** QuotaFacts of one ResourceQuota, LimitRange or NamespaceResourceRatio. */
export function kubernetesQuotaFacts(
  r: RawResource,
  _ctx: RuleContext,
  labels: Labels,
): QuotaFacts | undefined {
  const m = meta(r);
  if (r.type === T.limitRange) return { limitRanges: [limitRangeFacts(r, labels)] };
  if (r.type === T.resourceQuota) {
    const spec = obj(r.props.spec);
    const { customQuota } = splitHard(spec ? quantityMap(spec.hard) : undefined);
    return {
      namespaces: [
        {
          resource: labels.of(r),
          path: "",
          paths: { customQuota: "spec.hard" },
          name: m.namespace ?? "default",
          customQuota,
        },
      ],
    };
  }
  if (r.type === NAMESPACE_RATIO_TYPE) {
    const spec = obj(r.props.spec);
    const ratio = (k: string) =>
      spec && k in spec ? (spec[k] === undefined ? undefined : (spec[k] as number)) : undefined;
    return {
      namespaces: [
        {
          resource: labels.of(r),
          path: "",
          paths: { overcommit: "spec" },
          name: m.namespace ?? "default",
          overcommit: spec ? { cpu: ratio("cpu"), memory: ratio("memory") } : undefined,
        },
      ],
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The whole stack

const STACK_SCOPE: FactRef = { resource: "stack", path: "" };

/**
 * mergeResourceQuotas, remembered by its input: the namespaces of a stack repeat a few quotas
 * thousands of times, and each merge parses, formats and sorts. The merge is a function of the
 * maps' items and texts; its answer is only read (splitHard copies it).
 */
const merged = boundedMemo<Record<string, string>>(4096);

function mergedQuotas(hards: Record<string, string>[]): Record<string, string> {
  const key = hards.length === 1 ? JSON.stringify(hards[0]) : JSON.stringify(hards);
  return merged(key, () => mergeResourceQuotas(hards));
}

export function stackQuotaFacts(resources: RawResource[], ctx: RuleContext, labels: Labels): QuotaFacts {
  const net = stackNetwork(resources, ctx, labels);
  const index = net.index;
  // The clouds of the stack's resource types (a few dozen), not of its every resource.
  const clouds = new Set<string>();
  for (const type of index.types()) {
    const c = cloudOf(type);
    if (c !== undefined) clouds.add(c);
  }
  const cloud = clouds.has("alicloud") ? "alicloud" : clouds.has("aws") ? "aws" : undefined;

  const clusters: ClusterQuotaFacts[] = [];
  const poolsOf = new Map<string, NodePoolQuotaFacts[]>();
  for (const pool of index.of([T.ackNodePool, T.eksNodeGroup])) {
    const c = poolCluster(index, pool);
    const f = poolQuotaFacts(pool, ctx, labels, index);
    if (!c || !f) continue;
    const list = poolsOf.get(c.urn) ?? [];
    list.push(f);
    poolsOf.set(c.urn, list);
  }
  for (const c of index.of(CLUSTER_TYPES)) {
    clusters.push({
      resource: labels.of(c),
      path: "",
      paths: {
        nodePools:
          c.type === T.ack ? "node pools (cs.NodePool clusterId)" : "node groups (eks.NodeGroup clusterName)",
      },
      name: clusterName(c),
      edition: c.type === T.ack ? ackEdition(c.props) : undefined,
      cni: c.type === T.ack ? ackCni(c.props) : "vpc-cni",
      vpc: net.vpcOf.get(c.urn),
      nodePools: poolsOf.get(c.urn) ?? [],
    });
  }

  // Load balancers: the stack's own, ACK's API server SLBs, and the CCM's for LoadBalancer Services.
  const listeners = new Map<string, number>();
  for (const l of index.of([T.slbListener])) {
    const lb = index.ref(l, "loadBalancerId", [T.slb]);
    if (typeof lb === "object") listeners.set(lb.urn, (listeners.get(lb.urn) ?? 0) + 1);
  }
  const loadBalancers: LoadBalancerQuotaFacts[] = index.of(LOAD_BALANCER_TYPES).map((lb) => ({
    resource: labels.of(lb),
    path: "",
    paths: { listeners: "listeners (slb.Listener loadBalancerId)" },
    name: str(lb.props.loadBalancerName) ?? str(lb.props.name) ?? lb.name,
    listeners: lb.type === T.slb ? (listeners.get(lb.urn) ?? 0) : undefined,
  }));
  for (const c of index.of([T.ack])) {
    const name = apiServerLoadBalancerName(clusterName(c));
    loadBalancers.push({ resource: name, path: "", name });
  }
  for (const s of index.of([T.service])) {
    const spec = obj(s.props.spec);
    if (str(spec?.type) !== "LoadBalancer") continue;
    const m = meta(s);
    const reused = m.annotations?.["service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id"];
    if (reused !== undefined || m.annotations === undefined) continue;
    loadBalancers.push({
      resource: labels.of(s),
      path: "",
      name: `Service ${m.namespace ?? "default"}/${m.name ?? s.name}`,
    });
  }

  const eips = index.of([T.aliEip, T.awsEip]).map((e) => ({ resource: labels.of(e), path: "" }));
  const securityGroups: FactRef[] = index
    .of([T.aliSecurityGroup, T.awsSecurityGroup])
    .map((g) => ({ resource: labels.of(g), path: "" }));
  for (const c of index.of([T.ack])) {
    if (!("securityGroupId" in c.props))
      securityGroups.push({ resource: clusterSecurityGroupName(clusterName(c)), path: "" });
  }

  // Tenancy: tenant namespaces with their ResourceQuotas and LimitRanges.
  const byName = namespacesByName(index);
  const rqs = new Map<string, RawResource[]>();
  const lrs = new Map<string, RawResource[]>();
  let strayRq = false;
  let strayLr = false;
  for (const [type, into] of [
    [T.resourceQuota, rqs],
    [T.limitRange, lrs],
  ] as const) {
    for (const r of index.of([type])) {
      const ns = namespaceOf(index, r, byName);
      if (ns === "unknown") {
        if (type === T.resourceQuota) strayRq = true;
        else strayLr = true;
        continue;
      }
      if (!ns) continue;
      const list = into.get(ns.urn) ?? [];
      list.push(r);
      into.set(ns.urn, list);
    }
  }
  const namespaces: NamespaceQuotaFacts[] = [];
  for (const n of index.of([T.namespace])) {
    const m = meta(n);
    if (m.labels === undefined || !(ctx.settings.projectLabel in m.labels)) continue;
    const quotas = rqs.get(n.urn) ?? [];
    const limits = lrs.get(n.urn) ?? [];
    const hards = quotas.map((q) => {
      const spec = obj(q.props.spec);
      return spec ? quantityMap(spec.hard) : undefined;
    });
    let hard: QuantityMap | undefined;
    if (
      hards.length > 0 &&
      hards.every((h) => h !== undefined && Object.values(h).every((v) => v !== undefined))
    ) {
      try {
        hard = mergedQuotas(hards as Record<string, string>[]);
      } catch {
        hard = hards.length === 1 ? hards[0] : undefined; // an invalid quantity: the rule reports it
      }
    }
    const split = splitHard(hard);
    const names = (list: RawResource[]) => list.map(metaName);
    namespaces.push({
      resource: labels.of(n),
      path: "",
      paths: {
        quota: "spec.hard",
        customQuota: "spec.hard",
        resourceQuotas: "ResourceQuotas",
        limitRanges: "LimitRanges",
      },
      name: m.name ?? n.name,
      project: m.labels[ctx.settings.projectLabel],
      cluster: providerName(n),
      quota: split.quota,
      customQuota: split.customQuota,
      resourceQuotas: strayRq && quotas.length === 0 ? undefined : names(quotas),
      limitRanges: strayLr && limits.length === 0 ? undefined : names(limits),
    });
  }

  return {
    cloud,
    scope: STACK_SCOPE,
    quotas: ctx.settings.quotas,
    budget: { resource: "policy config", path: "budget", ...ctx.settings.budget },
    clusters,
    loadBalancers,
    eips,
    securityGroups,
    // A project quota without a cluster applies on every cluster its namespaces are on.
    projects: ctx.settings.projects.flatMap((p, i) => {
      const clusters =
        p.cluster !== undefined
          ? [p.cluster]
          : [...new Set(namespaces.filter((n) => n.project === p.name).map((n) => n.cluster))];
      return (clusters.length > 0 ? clusters : [undefined]).map((cluster) => ({
        resource: "policy config",
        path: `projects[${i}]`,
        name: p.name,
        cluster,
        quota: p.quota,
        storageClasses: p.storageClasses,
      }));
    }),
    namespaces,
  };
}
