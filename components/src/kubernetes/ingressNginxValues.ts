/**
 * Helm values for the ingress-nginx chart, and the LoadBalancer Service annotations of the cloud
 * it runs on, as plain data (no Pulumi import; snapshot-tested).
 *
 * Placement (rule ingress/replicas): at least 2 replicas in production (ACK's own controller runs
 * 2, ACK docs: Deploy a highly reliable NGINX Ingress controller), spread over zones by a topology spread constraint, one pod per node where
 * possible (ACK docs: Deploy a highly reliable NGINX Ingress controller),
 * and never on control-plane nodes (ACK docs: Deploy a highly reliable NGINX Ingress controller).
 *
 * Ingress class (rule ingress/class-unique): every controller of a cluster watches its own class,
 * and an extra controller never takes `nginx`, the class of ACK's default controller
 * (ACK docs: Deploy multiple Ingress controllers). A second controller also needs its own controller value and election id.
 *
 * The Service uses `externalTrafficPolicy: Local`: only the nodes running a controller pod go
 * behind the load balancer, which keeps the client address and spares the SLB backend quota
 * (ACK docs: Considerations for configuring a LoadBalancer type Service, rule lb/traffic-policy).
 */

/** The ingress-nginx chart, pinned (kubernetes/ingress-nginx release "controller v1.14.3 & chart v4.14.3"). */
export const INGRESS_NGINX_CHART = {
  chart: "ingress-nginx",
  version: "4.14.3",
  repo: "https://kubernetes.github.io/ingress-nginx",
} as const;

export type Cloud = "alicloud" | "aws";
export type LoadBalancerKind = "clb" | "nlb";
export type AddressType = "internet" | "intranet";

/** A vSwitch (subnet) with its zone. */
export interface ZoneVSwitch {
  zone: string;
  vSwitchId: string;
}

export interface LoadBalancerServiceInput {
  cloud: Cloud;
  /** Alibaba Cloud: CLB (classic) or NLB. AWS: always an NLB through the AWS Load Balancer Controller. */
  kind: LoadBalancerKind;
  addressType: AddressType;
  /** CLB specification, e.g. `slb.s2.small` (ACK docs: Configure a Classic Load Balancer by using annotations). */
  spec?: string;
  deletionProtection: boolean;
  /** CLB: the vSwitch of an intranet balancer (ACK docs: Configure a Classic Load Balancer by using annotations). NLB: ignored. */
  vSwitchId?: string;
  /** NLB: its zones and vSwitches, at least two zones. */
  zoneMappings?: ZoneVSwitch[];
  /** Balancer name (ACK docs: Configure a Classic Load Balancer by using annotations). */
  name?: string;
  /** Extra tags on the balancer (ACK docs: Configure a Classic Load Balancer by using annotations). */
  tags?: Record<string, string>;
}

const ALI = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-";
const AWS = "service.beta.kubernetes.io/aws-load-balancer-";
/** `spec.loadBalancerClass` of an ACK NLB Service (CCM ≥ 2.5.0). */
export const ACK_NLB_CLASS = "alibabacloud.com/nlb";

/** The annotations of the controller's LoadBalancer Service. */
export function loadBalancerServiceAnnotations(lb: LoadBalancerServiceInput): Record<string, string> {
  const a: Record<string, string> = {};
  if (lb.cloud === "aws") {
    // Alauda Container Platform docs: AWS EKS supplementary information: with the AWS Load Balancer Controller installed, a Service needs
    // type external and target type ip; scheme internet-facing for a public balancer.
    a[`${AWS}type`] = "external";
    a[`${AWS}nlb-target-type`] = "ip";
    a[`${AWS}scheme`] = lb.addressType === "internet" ? "internet-facing" : "internal";
    if (lb.deletionProtection) a[`${AWS}attributes`] = "deletion_protection.enabled=true";
    if (lb.name) a[`${AWS}name`] = lb.name;
    if (lb.tags && Object.keys(lb.tags).length > 0) a[`${AWS}additional-resource-tags`] = tagList(lb.tags);
    return a;
  }
  a[`${ALI}address-type`] = lb.addressType; // ACK docs: Configure a Classic Load Balancer by using annotations
  if (lb.kind === "nlb") {
    a[`${ALI}zone-maps`] = (lb.zoneMappings ?? []).map((z) => `${z.zone}:${z.vSwitchId}`).join(",");
  } else {
    if (lb.spec) a[`${ALI}spec`] = lb.spec; // ACK docs: Configure a Classic Load Balancer by using annotations
    if (lb.vSwitchId) a[`${ALI}vswitch-id`] = lb.vSwitchId; // ACK docs: Configure a Classic Load Balancer by using annotations
  }
  // ACK docs: Configure a Classic Load Balancer by using annotations (on by default; set explicitly so the program states it) and the
  // configuration-change protection that goes with it (ACK docs: Configure a Classic Load Balancer by using annotations).
  a[`${ALI}delete-protection`] = lb.deletionProtection ? "on" : "off";
  if (lb.deletionProtection) a[`${ALI}modification-protection`] = "ConsoleProtection";
  if (lb.name) a[`${ALI}name`] = lb.name; // ACK docs: Configure a Classic Load Balancer by using annotations
  if (lb.tags && Object.keys(lb.tags).length > 0) a[`${ALI}additional-resource-tags`] = tagList(lb.tags);
  return a;
}

function tagList(tags: Record<string, string>): string {
  return Object.keys(tags)
    .sort()
    .map((k) => `${k}=${tags[k]}`)
    .join(",");
}

export interface NginxValuesInput {
  /** The Helm release name (pods are labelled `app.kubernetes.io/instance: <release>`). */
  release: string;
  /** The IngressClass this controller watches. */
  className: string;
  /** Mark the class the cluster's default. */
  defaultClass: boolean;
  /** Controller pods. */
  replicas: number;
  /** Production: the zone spread is a hard constraint (DoNotSchedule) rather than a preference. */
  production: boolean;
  loadBalancer: LoadBalancerServiceInput;
  /** Image registry override (ACK regions in mainland China cannot pull registry.k8s.io; ACK docs: Deploy multiple Ingress controllers says to point it at the region's registry). */
  imageRegistry?: string;
  /** Extra node selector (e.g. dedicated ingress nodes, `node-role.kubernetes.io/ingress: "true"`, ACK docs: Deploy a highly reliable NGINX Ingress controller). */
  nodeSelector?: Record<string, string>;
  /** Tolerations for dedicated ingress nodes' taints (a control-plane taint is refused by ingress/replicas). */
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
}

/** The well-known zone label. */
const ZONE = "topology.kubernetes.io/zone";
const CONTROL_PLANE_LABELS = ["node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master"];

/** The controller value of a class: `k8s.io/ingress-nginx` for `nginx`, `k8s.io/ingress-nginx-<class>` otherwise. */
export function nginxControllerValue(className: string): string {
  return className === "nginx" ? "k8s.io/ingress-nginx" : `k8s.io/ingress-nginx-${className}`;
}

/** Helm values for one ingress-nginx controller. */
export function ingressNginxValues(input: NginxValuesInput): Record<string, unknown> {
  const podLabels = {
    "app.kubernetes.io/name": "ingress-nginx",
    "app.kubernetes.io/instance": input.release,
    "app.kubernetes.io/component": "controller",
  };
  const service: Record<string, unknown> = {
    enabled: true,
    type: "LoadBalancer",
    externalTrafficPolicy: "Local",
    annotations: loadBalancerServiceAnnotations(input.loadBalancer),
  };
  if (input.loadBalancer.cloud === "alicloud" && input.loadBalancer.kind === "nlb") {
    service.loadBalancerClass = ACK_NLB_CLASS;
  }
  const controller: Record<string, unknown> = {
    replicaCount: input.replicas,
    minAvailable: Math.max(1, input.replicas - 1),
    ingressClass: input.className,
    ingressClassByName: true,
    electionID: `${input.className}-leader`,
    ingressClassResource: {
      name: input.className,
      enabled: true,
      default: input.defaultClass,
      controllerValue: nginxControllerValue(input.className),
    },
    watchIngressWithoutClass: false,
    nodeSelector: { "kubernetes.io/os": "linux", ...(input.nodeSelector ?? {}) },
    tolerations: input.tolerations ?? [],
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: ZONE,
        whenUnsatisfiable: input.production ? "DoNotSchedule" : "ScheduleAnyway",
        labelSelector: { matchLabels: podLabels },
      },
    ],
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: CONTROL_PLANE_LABELS.map((key) => ({ key, operator: "DoesNotExist" })) },
          ],
        },
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              labelSelector: { matchLabels: podLabels },
              topologyKey: "kubernetes.io/hostname",
            },
          },
        ],
      },
    },
    service,
    metrics: { enabled: true },
  };
  if (input.imageRegistry) controller.image = { registry: input.imageRegistry };
  return { controller, defaultBackend: { enabled: false } };
}
