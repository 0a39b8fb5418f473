/**
 * `addon/required` facts from a stack's raw resources: the add-ons installed on each cluster
 * and the objects that need one, with what each object waits for.
 *
 * Add-ons: ACK `cs.KubernetesAddon`, the enabled entries of a `cs.ManagedKubernetes`'s
 * create-time `addons`, `cs.AutoscalingConfig` (the node autoscaler); EKS `eks.Addon`; and Helm
 * releases of well-known charts (cluster-autoscaler, karpenter, calico, tigera-operator, cilium,
 * aws-ebs-csi-driver, aws-efs-csi-driver) in the cluster. Dependents: StorageClasses,
 * AlbConfigs, IngressClasses of the ALB Ingress controller, NetworkPolicies, autoscaling node
 * pools.
 *
 * A Kubernetes object belongs to the cluster of its provider: the provider resource's
 * dependencies lead to the cluster its kubeconfig came from, and a stack with one cluster needs
 * no lead. An object whose cluster cannot be told is left out (unknown never reports); an add-on
 * whose cluster cannot be told makes every cluster's list incomplete, so no absence is reported.
 * Order: what a dependent waits for, transitively (its dependencies and theirs); an add-on of the
 * cluster's own create-time list exists before anything in the cluster.
 */
import {
  type AddonClusterFacts,
  type AddonDependentFact,
  type AddonFacts,
  ALB_INGRESS_CLASS_CONTROLLER,
  type InstalledAddonFact,
} from "../index";
import { arr, bool, obj, str } from "./known";
import { clusterKey, meta } from "./kubernetes";
import type { Labels, RawResource } from "./rawResource";
import { CLUSTER_TYPES, T } from "./resourceTypes";
import { StackIndex } from "./stack";

/** Helm charts that install an add-on, by chart name → add-on name. */
const CHART_ADDONS: Readonly<Record<string, string>> = {
  "cluster-autoscaler": "cluster-autoscaler",
  karpenter: "karpenter",
  calico: "calico",
  "tigera-operator": "tigera-operator",
  cilium: "cilium",
  "aws-ebs-csi-driver": "aws-ebs-csi-driver",
  "aws-efs-csi-driver": "aws-efs-csi-driver",
};

/** A config property parsed: {} when absent; undefined when unknown or not a JSON object. */
function parseConfig(r: RawResource, prop: string): Record<string, unknown> | undefined {
  if (!(prop in r.props)) return {};
  const v = r.props[prop];
  if (v === undefined) return undefined;
  if (v === null || v === "") return {};
  return typeof v === "string" ? safeJson(v) : obj(v);
}

/** The URN without the `::<id>` a provider reference carries. */
function providerUrn(ref: string): string {
  const i = ref.lastIndexOf("::");
  const tail = ref.slice(i + 2);
  return tail.startsWith("urn:") || ref.split("::").length <= 4 ? ref : ref.slice(0, i);
}

/** Everything `r` waits for, transitively. */
function waitsFor(index: StackIndex, r: RawResource, memo: Map<string, Set<string>>): Set<string> {
  const hit = memo.get(r.urn);
  if (hit) return hit;
  const out = new Set<string>();
  memo.set(r.urn, out);
  const direct = [...r.dependencies, ...Object.values(r.propertyDependencies).flat()];
  for (const u of direct) {
    if (out.has(u)) continue;
    out.add(u);
    const dep = index.byUrn.get(u);
    if (dep) for (const x of waitsFor(index, dep, memo)) out.add(x);
  }
  return out;
}

export function stackAddonFacts(resources: readonly RawResource[], labels: Labels): AddonFacts {
  const index = StackIndex.of(resources);
  const clusters = index.of(CLUSTER_TYPES);
  const only = clusters.length === 1 ? clusters[0] : undefined;
  const memo = new Map<string, Set<string>>();

  /** The cluster a Kubernetes object lives in (through its provider), or undefined. */
  const providerCache = new Map<string, RawResource | undefined>();
  const clusterOfObject = (r: RawResource): RawResource | undefined => {
    const key = clusterKey(r);
    if (providerCache.has(key)) return providerCache.get(key);
    let found: RawResource | undefined;
    if (key !== "") {
      const provider = index.byUrn.get(providerUrn(key)) ?? index.byUrn.get(key);
      if (provider) {
        const deps = waitsFor(index, provider, memo);
        const hits = clusters.filter((c) => deps.has(c.urn));
        if (hits.length === 1) found = hits[0];
      }
    }
    found ??= only;
    providerCache.set(key, found);
    return found;
  };
  const clusterById = (r: RawResource, prop: string, types: readonly string[]) => {
    const ref = index.ref(r, prop, types);
    return typeof ref === "object" ? ref : only?.type && types.includes(only.type) ? only : undefined;
  };
  const eksByName = (r: RawResource): RawResource | undefined => {
    const viaDeps = (r.propertyDependencies.clusterName ?? [])
      .map((u) => index.byUrn.get(u))
      .find((x) => x?.type === T.eks);
    if (viaDeps) return viaDeps;
    const name = str(r.props.clusterName);
    return (
      index.of([T.eks]).find((c) => name !== undefined && (c.props.name === name || c.props.id === name)) ??
      (only?.type === T.eks ? only : undefined)
    );
  };

  const addons = new Map<string, InstalledAddonFact[]>();
  let incomplete = false;
  const install = (cluster: RawResource | undefined, fact: InstalledAddonFact) => {
    if (!cluster) {
      incomplete = true;
      return;
    }
    const list = addons.get(cluster.urn) ?? [];
    list.push(fact);
    addons.set(cluster.urn, list);
  };
  /** Add-ons a cluster resource installs itself; they exist before any object in it. */
  const createdWithCluster = new Set<string>();

  for (const c of index.of([T.ack])) {
    const list = arr(c.props.addons);
    if (list === undefined) {
      if ("addons" in c.props) incomplete = true;
      continue;
    }
    for (const a of list) {
      const o = obj(a);
      const name = str(o?.name);
      if (o === undefined || name === undefined) {
        incomplete = true;
        continue;
      }
      if (bool(o.disabled) === true) continue;
      const config =
        !("config" in o) || o.config === "" || o.config === null
          ? {}
          : typeof o.config === "string"
            ? safeJson(o.config)
            : undefined;
      install(c, { resource: labels.of(c), name, config });
      createdWithCluster.add(labels.of(c));
    }
  }
  for (const r of index.of([T.ackAddon])) {
    const name = str(r.props.name);
    if (name === undefined) {
      incomplete = true;
      continue;
    }
    install(clusterById(r, "clusterId", [T.ack]), {
      resource: labels.of(r),
      name,
      config: parseConfig(r, "config"),
    });
  }
  for (const r of index.of([T.ackAutoscaling])) {
    install(clusterById(r, "clusterId", [T.ack]), {
      resource: labels.of(r),
      name: "cluster-autoscaler",
      config: {},
    });
  }
  for (const r of index.of([T.eksAddon])) {
    const name = str(r.props.addonName);
    if (name === undefined) {
      incomplete = true;
      continue;
    }
    install(eksByName(r), { resource: labels.of(r), name, config: parseConfig(r, "configurationValues") });
  }
  for (const r of index.of([T.helmRelease])) {
    const chart = str(r.props.chart);
    const name = chart === undefined ? undefined : CHART_ADDONS[chart.split("/").pop() as string];
    if (name === undefined) continue;
    install(clusterOfObject(r), { resource: labels.of(r), name, config: {} });
  }

  const dependents = new Map<string, AddonDependentFact[]>();
  const need = (cluster: RawResource | undefined, d: Omit<AddonDependentFact, "after">, r: RawResource) => {
    if (!cluster) return;
    const after = [...waitsFor(index, r, memo)].map((u) => {
      const dep = index.byUrn.get(u);
      return dep ? labels.of(dep) : u;
    });
    // Add-ons the cluster itself installs at creation precede every object in it.
    if (createdWithCluster.has(labels.of(cluster))) after.push(labels.of(cluster));
    const list = dependents.get(cluster.urn) ?? [];
    list.push({ ...d, after });
    dependents.set(cluster.urn, list);
  };
  for (const r of index.of([T.storageClass])) {
    const provisioner = str(r.props.provisioner);
    const name = meta(r).name ?? r.name;
    need(
      clusterOfObject(r),
      {
        resource: labels.of(r),
        path: "provisioner",
        kind: "storage-class",
        label: `StorageClass "${name}" (provisioner ${provisioner ?? "unknown"})`,
        provisioner,
      },
      r,
    );
  }
  for (const r of index.of([T.albConfig])) {
    need(
      clusterOfObject(r),
      {
        resource: labels.of(r),
        path: "kind",
        kind: "alb-config",
        label: `AlbConfig "${meta(r).name ?? r.name}"`,
      },
      r,
    );
  }
  for (const r of index.of([T.ingressClass])) {
    if (str(obj(r.props.spec)?.controller) !== ALB_INGRESS_CLASS_CONTROLLER) continue;
    need(
      clusterOfObject(r),
      {
        resource: labels.of(r),
        path: "spec.controller",
        kind: "alb-ingress-class",
        label: `IngressClass "${meta(r).name ?? r.name}" (controller ${ALB_INGRESS_CLASS_CONTROLLER})`,
      },
      r,
    );
  }
  for (const r of index.of([T.networkPolicy])) {
    const m = meta(r);
    need(
      clusterOfObject(r),
      {
        resource: labels.of(r),
        path: "kind",
        kind: "network-policy",
        label: `NetworkPolicy "${m.namespace ?? "default"}/${m.name ?? r.name}"`,
      },
      r,
    );
  }
  for (const r of index.of([T.ackNodePool])) {
    if (bool(obj(r.props.scalingConfig)?.enable) !== true) continue;
    need(
      clusterById(r, "clusterId", [T.ack]),
      {
        resource: labels.of(r),
        path: "scalingConfig.enable",
        kind: "autoscaling-pool",
        label: `autoscaling node pool "${str(r.props.nodePoolName) ?? r.name}"`,
      },
      r,
    );
  }
  for (const r of index.of([T.eksNodeGroup])) {
    const s = obj(r.props.scalingConfig);
    const min = typeof s?.minSize === "number" ? s.minSize : undefined;
    const max = typeof s?.maxSize === "number" ? s.maxSize : undefined;
    if (min === undefined || max === undefined || max <= min) continue;
    need(
      eksByName(r),
      {
        resource: labels.of(r),
        path: "scalingConfig.maxSize",
        kind: "autoscaling-pool",
        label: `node group "${str(r.props.nodeGroupName) ?? r.name}" (scales ${min}–${max})`,
      },
      r,
    );
  }

  return {
    clusters: clusters.map(
      (c): AddonClusterFacts => ({
        cluster: str(c.props.name) ?? c.name,
        addons: addons.get(c.urn) ?? [],
        complete: !incomplete,
        dependents: dependents.get(c.urn) ?? [],
      }),
    ),
  };
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text);
    return v !== null && typeof v === "object" ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
