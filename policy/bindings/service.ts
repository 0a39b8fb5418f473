/** lb/* and ingress/* policies over raw Kubernetes Services, IngressClasses, ingress controllers and AlbConfigs. */
import { type IngressFacts, ingressRules, lbRules, type ServiceLoadBalancerFacts } from "@kubeplat/plan";
import {
  albConfigFact,
  ingressClassFact,
  ingressControllerFact,
  serviceFacts,
  stackNetwork,
  stackServiceFacts,
  T,
} from "@kubeplat/plan/facts";
import type { ResourceBinding, StackBinding } from "../define";

const trafficPolicy: ResourceBinding<ServiceLoadBalancerFacts> = {
  scope: "resource",
  rule: "lb/traffic-policy",
  description:
    "A LoadBalancer Service uses externalTrafficPolicy Local (Cluster puts every node behind the balancer).",
  types: [T.service],
  settings: [],
  facts: serviceFacts,
  check: lbRules["lb/traffic-policy"],
};

const reuse: StackBinding<ServiceLoadBalancerFacts[]> = {
  scope: "stack",
  rule: "lb/reuse",
  description:
    "A reused load balancer matches the Service's address type; an intranet one sits in the cluster's VPC.",
  key: "services",
  settings: [],
  facts: (resources, ctx, labels) => {
    const net = stackNetwork(resources, ctx, labels);
    const vpcs = [...new Set(net.facts.clusters.map((c) => c.vpc))];
    return stackServiceFacts(net.index, ctx, labels, () => (vpcs.length === 1 ? vpcs[0] : undefined));
  },
  check: (facts) => facts.flatMap(lbRules["lb/reuse"]),
};

const classUnique: StackBinding<IngressFacts> = {
  scope: "stack",
  rule: "ingress/class-unique",
  description:
    "Ingress classes in a cluster are unique; an extra nginx controller does not use the class nginx.",
  key: "ingress-classes",
  settings: [],
  facts: (resources, _ctx, labels) => {
    // ACK installs its own nginx controller on the class "nginx" (ACK docs: Deploy multiple Ingress controllers).
    const ack = resources.some((r) => r.type === T.ack);
    return {
      ingressClasses: resources
        .filter((r) => r.type === T.ingressClass)
        .map((r) => ingressClassFact(r, labels, ack)),
    };
  },
  check: ingressRules["ingress/class-unique"],
};

const albVSwitches: StackBinding<IngressFacts> = {
  scope: "stack",
  rule: "ingress/alb-vswitches",
  description: "An ALB ingress (AlbConfig) gets at least 2 vSwitches in different zones.",
  key: "alb-configs",
  settings: [],
  facts: (resources, ctx, labels) => {
    const { index } = stackNetwork(resources, ctx, labels);
    return { albConfigs: index.of([T.albConfig]).map((r) => albConfigFact(index, r, labels)) };
  },
  check: ingressRules["ingress/alb-vswitches"],
};

const replicas: ResourceBinding<IngressFacts> = {
  scope: "resource",
  rule: "ingress/replicas",
  description:
    "An ingress controller (ingress-nginx Deployment or Helm release) runs at least 2 replicas, spread over zones, never on control-plane nodes.",
  types: [T.deployment, T.helmRelease],
  settings: ["productionStacks"],
  facts: (r, ctx, labels) => {
    const c = ingressControllerFact(r, ctx, labels);
    return c ? { controllers: [c] } : undefined;
  },
  check: ingressRules["ingress/replicas"],
};

export const serviceBindings = [albVSwitches, classUnique, replicas, trafficPolicy, reuse];
