/**
 * Raw Kubernetes Services → ServiceLoadBalancerFacts (rules/lb.ts), and raw IngressClass,
 * ingress controller Deployment / Helm Release and AlbConfig objects → IngressFacts
 * (rules/ingress.ts).
 */
import {
  type AlbConfigFact,
  CCM_ANNOTATIONS,
  type IngressClassFact,
  type IngressControllerFact,
  type PodPlacementFact,
  readServiceAnnotations,
  type ServiceLoadBalancerFacts,
} from "../index";
import { arr, num, obj, str, strMap } from "./known";
import { clusterKey, clusterName, meta } from "./kubernetes";
import type { Labels, RawResource, RuleContext } from "./rawResource";
import { T, VPC_TYPES, VSWITCH_TYPES } from "./resourceTypes";
import type { StackIndex } from "./stack";

// ---------------------------------------------------------------------------------------------
// lb/*

export function serviceFacts(
  r: RawResource,
  ctx: RuleContext,
  labels: Labels,
): ServiceLoadBalancerFacts | undefined {
  if (r.type !== T.service) return undefined;
  const spec = obj(r.props.spec);
  const m = meta(r);
  const ann = m.annotations ? readServiceAnnotations(m.annotations) : undefined;
  const type = spec
    ? "type" in spec
      ? str(spec.type)
      : "ClusterIP"
    : "spec" in r.props
      ? undefined
      : "ClusterIP";
  return {
    resource: labels.of(r),
    path: "",
    production: ctx.production,
    name: `${m.namespace ?? "default"}/${m.name ?? r.name}`,
    serviceType: type,
    externalTrafficPolicy: spec
      ? "externalTrafficPolicy" in spec
        ? str(spec.externalTrafficPolicy)
        : "Cluster"
      : undefined,
    addressType: ann?.addressType,
    reusedLoadBalancerId: ann?.loadBalancerId,
    fieldPaths: {
      externalTrafficPolicy: "spec.externalTrafficPolicy",
      addressType:
        'metadata.annotations["service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type"]',
      reusedLoadBalancer: 'metadata.annotations["service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id"]',
    },
  };
}

/**
 * Services that reuse a load balancer, with the load balancer's properties when the stack
 * creates it (matched by id), and the VPC of the cluster when the stack has exactly one.
 */
export function stackServiceFacts(
  index: StackIndex,
  ctx: RuleContext,
  labels: Labels,
  vpcOfCluster: () => string | undefined,
): ServiceLoadBalancerFacts[] {
  const out: ServiceLoadBalancerFacts[] = [];
  const vpcKey = (ref: RawResource | string | undefined) =>
    typeof ref === "string" ? ref : ref ? labels.of(ref) : undefined;
  for (const s of index.of([T.service])) {
    const f = serviceFacts(s, ctx, labels);
    if (!f) continue;
    // The load balancer of the stack the Service's annotation names: by its (known) id, or the
    // one the Service's metadata depends on (the annotation holds `slb.id`, unknown in a preview).
    const annotated = Object.hasOwn(meta(s).annotations ?? {}, CCM_ANNOTATIONS.loadBalancerId);
    const lbs = index.of([T.slb, T.nlb]);
    const lb =
      (f.reusedLoadBalancerId !== undefined
        ? lbs.find((l) => l.props.id === f.reusedLoadBalancerId)
        : undefined) ?? (annotated ? index.refs(s, "metadata", [T.slb, T.nlb], []).resources[0] : undefined);
    if (f.reusedLoadBalancerId === undefined && !lb) continue;
    if (lb) {
      const p = lb.props;
      let vpcId: string | undefined;
      if (lb.type === T.nlb) vpcId = vpcKey(index.ref(lb, "vpcId", VPC_TYPES));
      else if ("vswitchId" in p) {
        const sw = index.ref(lb, "vswitchId", VSWITCH_TYPES);
        if (typeof sw === "object") vpcId = vpcKey(index.ref(sw, "vpcId", VPC_TYPES));
      }
      f.reusedLoadBalancer = {
        id: f.reusedLoadBalancerId ?? str(p.loadBalancerName) ?? lb.name,
        addressType: lb.type === T.slb && !("addressType" in p) ? "internet" : str(p.addressType),
        vpcId,
        createdByCcm: false,
      };
    } else {
      // Not created by this stack: its id is all that is known.
      f.reusedLoadBalancer = { id: f.reusedLoadBalancerId };
    }
    f.clusterVpcId = vpcOfCluster();
    out.push(f);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ingress/*

/** ingress-nginx registers its classes with this controller value. */
const NGINX_CONTROLLER = "k8s.io/ingress-nginx";

export function ingressClassFact(r: RawResource, labels: Labels, extraNginx: boolean): IngressClassFact {
  const m = meta(r);
  const controller = str(obj(r.props.spec)?.controller);
  return {
    resource: labels.of(r),
    path: "metadata.name",
    cluster: clusterName(r) ?? (clusterKey(r) || undefined),
    name: m.name,
    controller,
    extraNginx: controller === undefined ? undefined : extraNginx && controller === NGINX_CONTROLLER,
  };
}

function placement(spec: Record<string, unknown> | undefined, known: boolean): PodPlacementFact {
  if (!spec) return known ? { tolerations: [], topologySpreadConstraints: [], affinity: {} } : {};
  const tolerations = "tolerations" in spec ? arr(spec.tolerations) : [];
  const tsc = "topologySpreadConstraints" in spec ? arr(spec.topologySpreadConstraints) : [];
  return {
    nodeSelector: "nodeSelector" in spec ? strMap(spec.nodeSelector) : {},
    tolerations: tolerations?.map((t) => {
      const o = obj(t);
      return { key: str(o?.key), operator: str(o?.operator), value: str(o?.value), effect: str(o?.effect) };
    }),
    topologySpreadConstraints: tsc?.map((t) => {
      const o = obj(t);
      return { topologyKey: str(o?.topologyKey), whenUnsatisfiable: str(o?.whenUnsatisfiable) };
    }),
    affinity: "affinity" in spec ? (obj(spec.affinity) as PodPlacementFact["affinity"]) : {},
  };
}

/** Ingress controllers: Deployments labelled app.kubernetes.io/name ingress-nginx, and ingress-nginx Helm releases. */
export function ingressControllerFact(
  r: RawResource,
  ctx: RuleContext,
  labels: Labels,
): IngressControllerFact | undefined {
  if (r.type === T.deployment) {
    const m = meta(r);
    if (m.labels?.["app.kubernetes.io/name"] !== "ingress-nginx") return undefined;
    const spec = obj(r.props.spec);
    const pod = obj(obj(obj(spec?.template)?.spec));
    const knownPod =
      spec !== undefined && obj(spec.template) !== undefined && "spec" in (obj(spec.template) ?? {});
    return {
      resource: labels.of(r),
      path: "spec.replicas",
      production: ctx.production,
      replicas: spec ? ("replicas" in spec ? num(spec.replicas) : 1) : undefined,
      ...placement(pod, knownPod),
    };
  }
  if (r.type === T.helmRelease) {
    if (str(r.props.chart) !== "ingress-nginx") return undefined;
    const values = obj(r.props.values);
    const controller = values
      ? "controller" in values
        ? obj(values.controller)
        : {}
      : "values" in r.props
        ? undefined
        : {};
    return {
      resource: labels.of(r),
      path: "values.controller.replicaCount",
      production: ctx.production,
      // The chart's default replicaCount is 1.
      replicas: controller ? ("replicaCount" in controller ? num(controller.replicaCount) : 1) : undefined,
      ...placement(controller, controller !== undefined),
    };
  }
  return undefined;
}

/**
 * AlbConfig zone mappings with each vSwitch's zone. A mapping's vSwitchId is the id of a vSwitch
 * of the stack (unknown in a preview): the AlbConfig's `spec` depends on those vSwitches, so
 * when it depends on exactly as many vSwitches as it maps, their zones are the mappings' zones,
 * in dependency order (the order the program's references appear in).
 */
export function albConfigFact(index: StackIndex, r: RawResource, labels: Labels): AlbConfigFact {
  const m = meta(r);
  const config = obj(obj(r.props.spec)?.config);
  const mappings = config ? arr(config.zoneMappings) : undefined;
  const deps = index.refs(r, "spec", VSWITCH_TYPES, []).resources;
  const zoneOf = (sw: RawResource | undefined) =>
    sw ? (str(sw.props.zoneId) ?? str(sw.props.availabilityZone)) : undefined;
  return {
    resource: labels.of(r),
    path: "spec.config.zoneMappings",
    name: m.name,
    zoneMappings: mappings?.map((z, i) => {
      const o = obj(z);
      return {
        vSwitchId: str(o?.vSwitchId),
        zone: deps.length === mappings.length ? zoneOf(deps[i]) : undefined,
      };
    }),
  };
}
