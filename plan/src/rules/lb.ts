/**
 * Load-balancer rules (RULES.md "Ingress and load balancers"): the traffic policy of a
 * LoadBalancer Service, and reusing an existing load balancer. Pure functions over
 * cloud-agnostic facts, shared by the components, the offline preview and the CrossGuard policy
 * pack. Every fact is optional; `undefined` means unknown and never yields a diagnostic.
 */
import { type Diagnostic, diagnostic, type RuleId } from "../diagnostic";
import { type FactsBase, type FieldPaths, factPath } from "./cluster";

// ---------------------------------------------------------------------------------------------
// Service annotations (Alibaba Cloud CCM)
// ---------------------------------------------------------------------------------------------

/** Annotation prefix of the Alibaba Cloud CCM (ACK docs: Considerations for configuring a LoadBalancer type Service). */
export const CCM_ANNOTATION_PREFIX = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-";
/** The pre-2019 prefix, still honoured by CCM (ACK docs: Considerations for configuring a LoadBalancer type Service). */
export const CCM_LEGACY_ANNOTATION_PREFIX = "service.beta.kubernetes.io/alicloud-loadbalancer-";

/** The annotations these rules read (ACK docs: Configure a Classic Load Balancer by using annotations). */
export const CCM_ANNOTATIONS = {
  /** `internet` (default) or `intranet` (ACK docs: Configure a Classic Load Balancer by using annotations). */
  addressType: `${CCM_ANNOTATION_PREFIX}address-type`,
  /** Reuse an existing load balancer by id (ACK docs: Configure a Classic Load Balancer by using annotations). */
  loadBalancerId: `${CCM_ANNOTATION_PREFIX}id`,
  /** `on` (default) or `off` (ACK docs: Configure a Classic Load Balancer by using annotations). */
  deleteProtection: `${CCM_ANNOTATION_PREFIX}delete-protection`,
} as const;

/** What a Service's CCM annotations say, with CCM's defaults applied to absent keys. */
export interface ServiceAnnotationFacts {
  /** `internet` or `intranet`; absent annotation: `internet` (ACK docs: Configure a Classic Load Balancer by using annotations). */
  addressType?: string;
  /** The reused load balancer's id, or undefined when the Service does not reuse one. */
  loadBalancerId?: string;
  /** Absent annotation: on (ACK docs: Configure a Classic Load Balancer by using annotations). */
  deletionProtection?: boolean;
}

/**
 * Read the CCM annotations of a Service. `annotations` is the Service's map with known keys;
 * a key present with an `undefined` value is unknown and stays undefined. Both the current and
 * the legacy `alicloud-` prefix are read (the current one wins).
 */
export function readServiceAnnotations(
  annotations: Record<string, string | undefined>,
): ServiceAnnotationFacts {
  const read = (suffix: string): { present: boolean; value?: string } => {
    for (const key of [`${CCM_ANNOTATION_PREFIX}${suffix}`, `${CCM_LEGACY_ANNOTATION_PREFIX}${suffix}`]) {
      if (Object.hasOwn(annotations, key)) return { present: true, value: annotations[key] };
    }
    return { present: false };
  };
  const addressType = read("address-type");
  const id = read("id");
  const protection = read("delete-protection");
  return {
    addressType: addressType.present ? addressType.value?.toLowerCase() : "internet",
    loadBalancerId: id.value,
    deletionProtection: protection.present
      ? protection.value === undefined
        ? undefined
        : protection.value.toLowerCase() === "on"
      : true,
  };
}

// ---------------------------------------------------------------------------------------------
// Facts
// ---------------------------------------------------------------------------------------------

/** A load balancer a Service reuses instead of letting the CCM create one. */
export interface ReusedLoadBalancerFacts {
  /** SLB / NLB instance id. */
  id?: string;
  /** SLB `addressType` (`internet` / `intranet`); NLB `addressType` (`Internet` / `Intranet`). */
  addressType?: string;
  /** NLB `vpcId`; SLB: the VPC of its `vswitchId` (an internet SLB has none). */
  vpcId?: string;
  /** The CCM created it for another Service (it cannot be reused, ACK docs: Use an existing SLB instance to expose an application). */
  createdByCcm?: boolean;
}

export interface ServiceLoadBalancerFacts extends FactsBase {
  /** The environment is production (no rule here depends on it; kept for the diagnostic). */
  production?: boolean;
  /** `namespace/name` of the Service, for messages. */
  name?: string;
  /** Kubernetes Service `spec.type` (`LoadBalancer`, `ClusterIP`, ...). */
  serviceType?: string;
  /**
   * Kubernetes Service `spec.externalTrafficPolicy`; a known spec without the field: `Cluster`
   * (the Kubernetes default).
   */
  externalTrafficPolicy?: string;
  /** Address type the Service asks for: `readServiceAnnotations(...).addressType`. */
  addressType?: string;
  /** The reused load balancer's id: `readServiceAnnotations(...).loadBalancerId`. */
  reusedLoadBalancerId?: string;
  /** The reused load balancer's own properties, when the Service reuses one. */
  reusedLoadBalancer?: ReusedLoadBalancerFacts;
  /** The cluster's VPC: ACK ManagedKubernetes `vpcId`; EKS `vpcConfig.vpcId`. */
  clusterVpcId?: string;
  fieldPaths?: FieldPaths<ServiceLoadBalancerFacts>;
}

function serviceLabel(facts: ServiceLoadBalancerFacts): string {
  return facts.name === undefined ? "Service" : `Service ${JSON.stringify(facts.name)}`;
}

// ---------------------------------------------------------------------------------------------
// lb/traffic-policy
// ---------------------------------------------------------------------------------------------

/**
 * `lb/traffic-policy` (advisory): a LoadBalancer Service uses `externalTrafficPolicy: Local`.
 * With `Cluster` the CCM puts every node behind the load balancer and quickly spends the SLB
 * quota; `Local` adds only the nodes running the Service's pods and keeps the client source IP
 * (ACK docs: Considerations for configuring a LoadBalancer type Service).
 */
export function checkTrafficPolicy(facts: ServiceLoadBalancerFacts): Diagnostic[] {
  if (facts.serviceType !== "LoadBalancer") return [];
  const policy = facts.externalTrafficPolicy;
  if (policy === undefined || policy === "Local") return [];
  return [
    diagnostic("lb/traffic-policy", {
      resource: facts.resource,
      path: factPath(facts, "externalTrafficPolicy"),
      production: facts.production,
      message: `${serviceLabel(facts)} of type LoadBalancer uses externalTrafficPolicy ${policy}: every node goes behind the load balancer and spends the SLB quota; use Local (ACK docs: Considerations for configuring a LoadBalancer type Service)`,
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// lb/reuse
// ---------------------------------------------------------------------------------------------

/**
 * `lb/reuse`: a reused load balancer was created outside the CCM, its address type matches the
 * Service's (`internet` ↔ internet, `intranet` ↔ intranet), and an intranet one sits in the
 * cluster's VPC (ACK docs: Use an existing SLB instance to expose an application).
 */
export function checkReuse(facts: ServiceLoadBalancerFacts): Diagnostic[] {
  const lb = facts.reusedLoadBalancer;
  if (lb === undefined) return [];
  if (facts.serviceType !== undefined && facts.serviceType !== "LoadBalancer") return [];
  const out: Diagnostic[] = [];
  const id = lb.id ?? facts.reusedLoadBalancerId;
  const lbLabel = id === undefined ? "reused load balancer" : `reused load balancer ${id}`;
  const emit = (field: keyof ServiceLoadBalancerFacts & string, message: string) =>
    out.push(
      diagnostic("lb/reuse", {
        resource: facts.resource,
        path: factPath(facts, field),
        production: facts.production,
        message: `${serviceLabel(facts)}: ${lbLabel} ${message}`,
      }),
    );
  if (lb.createdByCcm === true) {
    emit(
      "reusedLoadBalancer",
      "was created by the CCM for another Service; only SLBs created outside the CCM can be reused (ACK docs: Use an existing SLB instance to expose an application)",
    );
  }
  const wanted = facts.addressType?.toLowerCase();
  const actual = lb.addressType?.toLowerCase();
  if (wanted !== undefined && actual !== undefined && wanted !== actual) {
    emit(
      "addressType",
      `has address type ${actual} but the Service asks for ${wanted}: the address types must match (ACK docs: Use an existing SLB instance to expose an application)`,
    );
  }
  if (actual === "intranet" && lb.vpcId !== undefined && facts.clusterVpcId !== undefined) {
    if (lb.vpcId !== facts.clusterVpcId) {
      emit(
        "reusedLoadBalancer",
        `is intranet in VPC ${lb.vpcId} but the cluster is in VPC ${facts.clusterVpcId}: an intranet load balancer must sit in the cluster's VPC (ACK docs: Use an existing SLB instance to expose an application)`,
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// All load-balancer rules
// ---------------------------------------------------------------------------------------------

export type LbRuleId = Extract<RuleId, `lb/${string}`>;

/** Rule id → check; the policy pack turns each entry into a policy named by the id. */
export const lbRules: Record<LbRuleId, (facts: ServiceLoadBalancerFacts) => Diagnostic[]> = {
  "lb/traffic-policy": checkTrafficPolicy,
  "lb/reuse": checkReuse,
};

/** Every load-balancer rule over one Service's facts. */
export function checkLoadBalancerService(facts: ServiceLoadBalancerFacts): Diagnostic[] {
  return Object.values(lbRules).flatMap((rule) => rule(facts));
}
