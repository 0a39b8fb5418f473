/**
 * The ingress rules of RULES.md (`ingress/alb-vswitches`, `ingress/class-unique`,
 * `ingress/replicas`) as pure functions over IngressFacts.
 *
 * IngressFacts are built from component args (IngressController), or by the CrossGuard pack
 * from raw Kubernetes properties: IngressClass objects, the ingress controller's Deployment
 * (or its Helm values, which carry the same pod-placement keys), and AlbConfig specs. Every leaf
 * may be undefined, meaning unknown (an output not yet known during a preview): an unknown value
 * never produces a violation and never hides a known one. A fact builder that knows a value is
 * absent passes the empty value instead (`[]`, `{}`), or `replicas: 1` for a Deployment that
 * leaves `spec.replicas` unset (the Kubernetes default).
 */
import { type Diagnostic, diagnostic, type RuleId } from "../diagnostic";

// ---------------------------------------------------------------------------------------------
// Facts

/** An IngressClass of a cluster. */
export interface IngressClassFact {
  /** Logical name or URN. */
  resource: string;
  /** Field path, e.g. `spec.className` or `metadata.name`. */
  path: string;
  /** The cluster the class lives in; classes of different clusters never conflict. */
  cluster?: string;
  /** `metadata.name` of the IngressClass. */
  name?: string;
  /** `spec.controller`, e.g. `k8s.io/ingress-nginx`. */
  controller?: string;
  /**
   * True for an ingress-nginx controller installed besides the cluster's default one (ACK
   * installs its own nginx controller listening on the class `nginx`, ACK docs: Deploy a highly reliable NGINX Ingress controller).
   */
  extraNginx?: boolean;
}

/** A zone mapping of an AlbConfig (`spec.config.zoneMappings[*]`). */
export interface AlbZoneMappingFact {
  vSwitchId?: string;
  /** The vSwitch's zone; AlbConfig itself carries only the id, the builder looks the zone up. */
  zone?: string;
}

export interface AlbConfigFact {
  resource: string;
  /** Path of the zone mappings, e.g. `spec.config.zoneMappings`. */
  path: string;
  /** The AlbConfig's name (`metadata.name`). */
  name?: string;
  zoneMappings?: AlbZoneMappingFact[];
}

/** A toleration, as in a pod spec. */
export interface TolerationFact {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/** A node-selector requirement, as in `nodeAffinity` terms. */
export interface NodeSelectorRequirementFact {
  key?: string;
  operator?: string;
  values?: string[];
}

/** The pod-placement part of a pod spec (or of the ingress-nginx chart's `controller` values). */
export interface PodPlacementFact {
  nodeSelector?: Record<string, string | undefined>;
  tolerations?: TolerationFact[];
  topologySpreadConstraints?: { topologyKey?: string; whenUnsatisfiable?: string }[];
  affinity?: {
    nodeAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: {
        nodeSelectorTerms?: { matchExpressions?: NodeSelectorRequirementFact[] }[];
      };
    };
    podAntiAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: { topologyKey?: string }[];
      preferredDuringSchedulingIgnoredDuringExecution?: { podAffinityTerm?: { topologyKey?: string } }[];
    };
  } | null;
}

/** An ingress controller's workload: a Deployment, or the controller section of Helm values. */
export interface IngressControllerFact extends PodPlacementFact {
  resource: string;
  /** Path of the replica count, e.g. `spec.replicas` or `values.controller.replicaCount`. */
  path: string;
  /** The environment is production: `ingress/replicas` is mandatory there, advisory elsewhere. */
  production?: boolean;
  replicas?: number;
  /** The cluster spans a single zone (dev): zone spreading is not required. */
  singleZone?: boolean;
}

export interface IngressFacts {
  ingressClasses?: IngressClassFact[];
  albConfigs?: AlbConfigFact[];
  controllers?: IngressControllerFact[];
}

// ---------------------------------------------------------------------------------------------
// Constants (with their sources)

/** ACK's built-in nginx ingress controller listens on the class `nginx` (ACK docs: Deploy multiple Ingress controllers). */
export const DEFAULT_NGINX_CLASS = "nginx";
/** An ALB ingress needs vSwitches in at least two zones (ACK docs: Access Services by using an ALB Ingress). */
export const ALB_MIN_ZONES = 2;
/** A production ingress controller runs at least 2 replicas (ACK docs: Deploy a highly reliable NGINX Ingress controller). */
export const INGRESS_MIN_REPLICAS = 2;
/** The well-known zone label (spread key). */
export const ZONE_TOPOLOGY_KEY = "topology.kubernetes.io/zone";
const ZONE_KEYS = new Set([ZONE_TOPOLOGY_KEY, "failure-domain.beta.kubernetes.io/zone"]);
/** Labels and taints that mark control-plane (master) nodes. */
export const CONTROL_PLANE_KEYS = ["node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master"];

// ---------------------------------------------------------------------------------------------
// ingress/class-unique

/** `ingress/class-unique`: IngressClass names are unique per cluster; an extra nginx controller never takes `nginx`. */
export function checkClassUnique(facts: IngressFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, IngressClassFact>();
  for (const c of facts.ingressClasses ?? []) {
    if (c.name === undefined) continue;
    const key = `${c.cluster ?? ""}\u0000${c.name}`;
    const first = seen.get(key);
    if (first) {
      out.push(
        diagnostic("ingress/class-unique", {
          resource: c.resource,
          path: c.path,
          message: `IngressClass "${c.name}" is already used by ${first.resource}${first.controller ? ` (controller ${first.controller})` : ""}${c.cluster ? ` in cluster "${c.cluster}"` : ""}; every ingress controller of a cluster needs its own class`,
        }),
      );
    } else {
      seen.set(key, c);
    }
    if (c.extraNginx === true && c.name === DEFAULT_NGINX_CLASS) {
      out.push(
        diagnostic("ingress/class-unique", {
          resource: c.resource,
          path: c.path,
          message: `an extra nginx ingress controller uses the class "${DEFAULT_NGINX_CLASS}", which belongs to the cluster's default controller; choose another class name (ACK docs: Deploy multiple Ingress controllers)`,
        }),
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ingress/alb-vswitches

/** `ingress/alb-vswitches`: an AlbConfig maps at least two vSwitches in different zones. */
export function checkAlbVSwitches(facts: IngressFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const alb of facts.albConfigs ?? []) {
    const mappings = alb.zoneMappings;
    if (mappings === undefined) continue;
    const label = alb.name ? `AlbConfig "${alb.name}"` : "AlbConfig";
    const ids = mappings.map((m) => m.vSwitchId);
    const knownIds = [...new Set(ids.filter((id): id is string => id !== undefined))];
    const allIdsKnown = knownIds.length > 0 && ids.every((id) => id !== undefined);
    const zones = mappings.map((m) => m.zone);
    const knownZones = [...new Set(zones.filter((z): z is string => z !== undefined))];
    const allZonesKnown = zones.every((z) => z !== undefined);
    const describe = mappings
      .map((m) => `${m.vSwitchId ?? "(unknown)"}@${m.zone ?? "(unknown zone)"}`)
      .join(", ");
    if (mappings.length < ALB_MIN_ZONES || (allIdsKnown && knownIds.length < ALB_MIN_ZONES)) {
      out.push(
        diagnostic("ingress/alb-vswitches", {
          resource: alb.resource,
          path: alb.path,
          message: `${label} maps ${allIdsKnown ? knownIds.length : mappings.length} distinct vSwitch(es) [${describe}]; an ALB needs at least ${ALB_MIN_ZONES} vSwitches in different zones (ACK docs: Access Services by using an ALB Ingress)`,
        }),
      );
    } else if (allZonesKnown && knownZones.length < ALB_MIN_ZONES) {
      out.push(
        diagnostic("ingress/alb-vswitches", {
          resource: alb.resource,
          path: alb.path,
          message: `${label} maps vSwitches [${describe}] all in zone ${knownZones.join(", ")}; an ALB needs vSwitches in at least ${ALB_MIN_ZONES} different zones (ACK docs: Access Services by using an ALB Ingress)`,
        }),
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ingress/replicas

/** Whether the placement spreads pods over zones: true, false, or undefined (unknown). */
export function spreadsOverZones(p: PodPlacementFact): boolean | undefined {
  const tsc = p.topologySpreadConstraints;
  if (tsc?.some((c) => c.topologyKey !== undefined && ZONE_KEYS.has(c.topologyKey))) return true;
  const anti = p.affinity?.podAntiAffinity;
  const antiKeys = [
    ...(anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => t.topologyKey),
    ...(anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map(
      (t) => t.podAffinityTerm?.topologyKey,
    ),
  ];
  if (antiKeys.some((k) => k !== undefined && ZONE_KEYS.has(k))) return true;
  // Not spread, as far as we know: is everything that could spread known?
  if (tsc === undefined || p.affinity === undefined) return undefined;
  if (tsc.some((c) => c.topologyKey === undefined) || antiKeys.some((k) => k === undefined)) return undefined;
  return false;
}

/**
 * What lets the pods onto control-plane nodes, or undefined: a toleration of the control-plane
 * taint (or of every taint), a node selector or required node affinity selecting them.
 */
export function controlPlanePlacement(p: PodPlacementFact): string | undefined {
  for (const t of p.tolerations ?? []) {
    if (t.key === undefined && t.operator === "Exists")
      return "a toleration of every taint (operator Exists, no key)";
    if (t.key !== undefined && CONTROL_PLANE_KEYS.includes(t.key))
      return `a toleration of the taint ${t.key}`;
  }
  for (const key of CONTROL_PLANE_KEYS) {
    if (p.nodeSelector && key in p.nodeSelector) return `nodeSelector ${key}`;
  }
  const terms =
    p.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const e of term.matchExpressions ?? []) {
      if (
        e.key !== undefined &&
        CONTROL_PLANE_KEYS.includes(e.key) &&
        (e.operator === "Exists" || e.operator === "In")
      ) {
        return `a required node affinity ${e.key} ${e.operator}`;
      }
    }
  }
  return undefined;
}

/** `ingress/replicas`: ≥ 2 replicas, spread over zones, never on control-plane nodes (mandatory in production). */
export function checkReplicas(facts: IngressFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of facts.controllers ?? []) {
    const production = c.production ?? false;
    const env = production ? "production" : "non-production";
    if (c.replicas !== undefined && c.replicas < INGRESS_MIN_REPLICAS) {
      out.push(
        diagnostic("ingress/replicas", {
          resource: c.resource,
          path: c.path,
          production,
          message: `the ingress controller runs ${c.replicas} replica(s) in a ${env} environment; it needs at least ${INGRESS_MIN_REPLICAS} (ACK docs: Deploy a highly reliable NGINX Ingress controller)`,
        }),
      );
    }
    if (c.singleZone !== true && spreadsOverZones(c) === false) {
      out.push(
        diagnostic("ingress/replicas", {
          resource: c.resource,
          path: c.path,
          production,
          message: `the ingress controller's ${c.replicas ?? "?"} replica(s) are not spread over zones: no topologySpreadConstraint or pod anti-affinity on ${ZONE_TOPOLOGY_KEY}`,
        }),
      );
    }
    const cp = controlPlanePlacement(c);
    if (cp !== undefined) {
      out.push(
        diagnostic("ingress/replicas", {
          resource: c.resource,
          path: c.path,
          production,
          message: `the ingress controller may run on control-plane nodes through ${cp}; keep it on worker nodes (ACK docs: Deploy a highly reliable NGINX Ingress controller)`,
        }),
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

export const ingressRules = {
  "ingress/alb-vswitches": checkAlbVSwitches,
  "ingress/class-unique": checkClassUnique,
  "ingress/replicas": checkReplicas,
} satisfies Partial<Record<RuleId, (facts: IngressFacts) => Diagnostic[]>>;

/** Run every ingress/* rule over the facts. */
export function checkIngress(facts: IngressFacts): Diagnostic[] {
  return Object.values(ingressRules).flatMap((rule) => rule(facts));
}
