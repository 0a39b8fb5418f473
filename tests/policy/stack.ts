/**
 * Hand-written stacks for the policy tests: raw provider properties, as a program using the
 * plain providers (no components of ours) registers them, with the URNs and property
 * dependencies the engine records. During a preview the id of a resource being created is
 * unknown, so references (vpcId, clusterId, vswitchIds) are the UNKNOWN sentinel plus a
 * property dependency, as the engine sends them.
 */
import type { Diagnostic } from "@kubeplat/plan";
import type { EnforcementLevel, PolicyPackConfig } from "@pulumi/policy";
import {
  type EvaluatedResource,
  evaluatePolicies,
  evaluateViolations,
  type Violation,
} from "../../policy/evaluate";

/** Pulumi's unknown string sentinel (what the engine sends for a value not known in a preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const T = {
  vpc: "alicloud:vpc/network:Network",
  vpcCidr: "alicloud:vpc/ipv4CidrBlock:Ipv4CidrBlock",
  vsw: "alicloud:vpc/switch:Switch",
  ack: "alicloud:cs/managedKubernetes:ManagedKubernetes",
  pool: "alicloud:cs/nodePool:NodePool",
  slb: "alicloud:slb/loadBalancer:LoadBalancer",
  listener: "alicloud:slb/listener:Listener",
  nlb: "alicloud:nlb/loadBalancer:LoadBalancer",
  eip: "alicloud:ecs/eipAddress:EipAddress",
  sg: "alicloud:ecs/securityGroup:SecurityGroup",
  awsVpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  eks: "aws:eks/cluster:Cluster",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  awsLb: "aws:lb/loadBalancer:LoadBalancer",
  ns: "kubernetes:core/v1:Namespace",
  quota: "kubernetes:core/v1:ResourceQuota",
  limits: "kubernetes:core/v1:LimitRange",
  service: "kubernetes:core/v1:Service",
  crb: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
  rb: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
  ingressClass: "kubernetes:networking.k8s.io/v1:IngressClass",
  deployment: "kubernetes:apps/v1:Deployment",
  release: "kubernetes:helm.sh/v3:Release",
  albConfig: "kubernetes:alibabacloud.com/v1:AlbConfig",
  ratio: "kubernetes:resource.alauda.io/v1:NamespaceResourceRatio",
} as const;

type Refs = Record<string, EvaluatedResource | EvaluatedResource[]>;

export class Stack {
  readonly resources: EvaluatedResource[] = [];

  constructor(readonly stack = "dev") {}

  /** Add a resource; `refs` maps a property to the resources its value came from. */
  add(
    type: string,
    name: string,
    props: Record<string, unknown>,
    refs: Refs = {},
    extra: Partial<EvaluatedResource> = {},
  ): EvaluatedResource {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [k, rs] of Object.entries(refs)) {
      propertyDependencies[k] = [rs].flat().map((r) => r.urn as string);
    }
    const r: EvaluatedResource = {
      type,
      name,
      urn: `urn:pulumi:${this.stack}::handwritten::${type}::${name}`,
      props,
      propertyDependencies,
      dependencies: Object.values(propertyDependencies).flat(),
      ...extra,
    };
    this.resources.push(r);
    return r;
  }

  vpc(name: string, cidrBlock: string, props: Record<string, unknown> = {}) {
    return this.add(T.vpc, name, { cidrBlock, ...props });
  }

  vswitch(name: string, cidrBlock: string, zoneId: string, vpc: EvaluatedResource) {
    return this.add(T.vsw, name, { cidrBlock, zoneId, vpcId: UNKNOWN }, { vpcId: vpc });
  }

  /** An ACK cluster whose control plane and workers use `vswitches`, Terway pods `pods`. */
  ack(
    name: string,
    props: Record<string, unknown>,
    vswitches: EvaluatedResource[] = [],
    pods: EvaluatedResource[] = [],
    extra: Partial<EvaluatedResource> = {},
  ) {
    const ids = (rs: EvaluatedResource[]) => rs.map(() => UNKNOWN);
    const refs: Refs = { vswitchIds: vswitches, workerVswitchIds: vswitches };
    const p: Record<string, unknown> = {
      name,
      clusterSpec: "ack.pro.small",
      vswitchIds: ids(vswitches),
      workerVswitchIds: ids(vswitches),
      ...props,
    };
    if (pods.length > 0) {
      p.podVswitchIds = ids(pods);
      refs.podVswitchIds = pods;
    }
    return this.add(T.ack, name, p, refs, extra);
  }

  pool(
    name: string,
    cluster: EvaluatedResource,
    props: Record<string, unknown>,
    vswitches: EvaluatedResource[] = [],
  ) {
    return this.add(
      T.pool,
      name,
      { clusterId: UNKNOWN, nodePoolName: name, vswitchIds: vswitches.map(() => UNKNOWN), ...props },
      { clusterId: cluster, vswitchIds: vswitches },
    );
  }

  namespace(name: string, labels: Record<string, unknown> = {}, extra: Partial<EvaluatedResource> = {}) {
    return this.add(T.ns, name, { metadata: { name, labels } }, {}, extra);
  }

  quota(ns: EvaluatedResource, name: string, hard: Record<string, unknown>) {
    const nsName = (ns.props.metadata as { name: string }).name;
    return this.add(
      T.quota,
      `${nsName}-${name}`,
      { metadata: { name, namespace: nsName }, spec: { hard } },
      { metadata: ns },
      { provider: ns.provider },
    );
  }

  limitRange(ns: EvaluatedResource, name: string, limits: unknown[]) {
    const nsName = (ns.props.metadata as { name: string }).name;
    return this.add(
      T.limits,
      `${nsName}-${name}`,
      { metadata: { name, namespace: nsName }, spec: { limits } },
      { metadata: ns },
      { provider: ns.provider },
    );
  }
}

export interface RunOptions {
  config?: PolicyPackConfig & { all?: EnforcementLevel };
}

export function run(s: Stack, options: RunOptions = {}): Diagnostic[] {
  return evaluatePolicies(s.resources, { stackName: s.stack, config: options.config });
}

/** The diagnostics of one rule (policy names map back to rule ids). */
export function of(diagnostics: Diagnostic[], rule: string): Diagnostic[] {
  return diagnostics.filter((d) => d.rule === rule);
}

/** The resource's name at the end of a diagnostic's URN. */
export function resourceName(d: Diagnostic): string {
  return d.resource.split("::").pop() as string;
}

/** The raw violations (policy name, level, URN, message). */
export function violations(s: Stack, options: RunOptions = {}): Violation[] {
  return evaluateViolations(s.resources, { stackName: s.stack, config: options.config });
}

/** The violations reported by the policy named `policy`. */
export function by(vs: Violation[], policy: string): Violation[] {
  return vs.filter((v) => v.policy === policy);
}
