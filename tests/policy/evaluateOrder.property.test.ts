/**
 * The evaluator runs resource policies resource by resource, each resource's policies in pack
 * order, as the engine's analyze call does (bench:policy). Before, it ran them policy by
 * policy, each over its candidates type by type. That loop is kept here, word for word as far
 * as the arguments go, as the reference: on random stacks whose resources of several types
 * (each type with findings of several policies) come in any order, both report the same
 * violations in the same order.
 */
import { type EnforcementLevel, type ReportViolation, unknownCheckingProxy } from "@pulumi/policy";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appliesTo } from "../../policy/define";
import { type EvaluatedResource, evaluateViolations, type Violation } from "../../policy/evaluate";
import { packConfig, policies } from "../../policy/policies";

const STACK = "prod";
const urnOf = (type: string, name: string) => `urn:pulumi:${STACK}::p::${type}::${name}`;

/** The resource policies' violations as the evaluator found them before (policy by policy). */
function policyByPolicy(resources: EvaluatedResource[], config: ReturnType<typeof packConfig>): Violation[] {
  const out: Violation[] = [];
  const views = resources.map((r) => ({
    type: r.type,
    name: r.name,
    urn: r.urn as string,
    props: unknownCheckingProxy(r.props) as Record<string, unknown>,
    opts: {
      protect: r.protect ?? false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
  }));
  const viewsByType = new Map<string, typeof views>();
  for (const v of views) {
    const list = viewsByType.get(v.type);
    if (list) list.push(v);
    else viewsByType.set(v.type, [v]);
  }
  for (const p of policies) {
    if ("validateStack" in p) continue;
    const c = config[p.name];
    const { enforcementLevel, ...props } =
      c === undefined || typeof c === "string" ? { enforcementLevel: c, ...{} } : c;
    let level: EnforcementLevel = enforcementLevel ?? p.enforcementLevel ?? "advisory";
    if (level === "disabled") continue;
    if (level === "remediate") level = "mandatory";
    const validations = p.validateResource === undefined ? [] : [p.validateResource].flat();
    const types = appliesTo(p);
    let current = "";
    const report: ReportViolation = (message) =>
      out.push({
        policy: p.name,
        level: level === "advisory" ? "advisory" : "mandatory",
        urn: current,
        message,
      });
    const candidates = types ? [...types].flatMap((t) => viewsByType.get(t) ?? []) : views;
    for (const v of candidates) {
      const args = {
        ...v,
        stackTags: new Map<string, string>(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => props as T,
        notApplicable: (): never => {
          throw new Error("not applicable");
        },
      };
      current = v.urn;
      for (const validate of validations) validate(args, report);
    }
  }
  return out;
}

/** Resources with findings of several resource policies each (names, protection, quotas, ranges). */
const resourceArb = fc.oneof(
  fc.record({
    kind: fc.constant("vpc" as const),
    octet: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({
    kind: fc.constant("vswitch" as const),
    octet: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({
    kind: fc.constant("ack" as const),
    protect: fc.boolean(),
    name: fc.constantFrom("ok", "Bad_Name", "x".repeat(70)),
  }),
  fc.record({
    kind: fc.constant("slb" as const),
    protect: fc.constantFrom("on", "off"),
  }),
  fc.record({
    kind: fc.constant("quota" as const),
    item: fc.constantFrom("requests.cpu", "cpaas.io/reserved", "pods"),
  }),
  fc.record({
    kind: fc.constant("limits" as const),
    request: fc.constantFrom("100m", "3", "nope"),
  }),
  fc.record({
    kind: fc.constant("namespace" as const),
    enforce: fc.constantFrom("restricted", "privileged", undefined),
  }),
);

type Spec = typeof resourceArb extends fc.Arbitrary<infer S> ? S : never;

function resource(s: Spec, i: number): EvaluatedResource {
  const make = (type: string, props: Record<string, unknown>, protect = false): EvaluatedResource => ({
    type,
    name: `${s.kind}-${i}`,
    urn: urnOf(type, `${s.kind}-${i}`),
    props,
    protect,
    dependencies: [],
    propertyDependencies: {},
  });
  switch (s.kind) {
    case "vpc":
      return make("alicloud:vpc/network:Network", { cidrBlock: `10.${s.octet}.0.0/16` });
    case "vswitch":
      return make("alicloud:vpc/switch:Switch", { cidrBlock: `10.${s.octet}.1.0/24`, zoneId: "z1" });
    case "ack":
      return make(
        "alicloud:cs/managedKubernetes:ManagedKubernetes",
        {
          name: s.name,
          podCidr: "172.16.0.0/16",
          serviceCidr: "10.96.0.0/20",
          deletionProtection: s.protect,
          slbInternetEnabled: !s.protect,
        },
        s.protect,
      );
    case "slb":
      return make("alicloud:slb/loadBalancer:LoadBalancer", {
        loadBalancerName: `slb-${i}`,
        deleteProtection: s.protect,
      });
    case "quota":
      return make("kubernetes:core/v1:ResourceQuota", {
        metadata: { name: i % 2 ? "default" : "Extra_Quota", namespace: "team" },
        spec: { hard: { [s.item]: "2" } },
      });
    case "limits":
      return make("kubernetes:core/v1:LimitRange", {
        metadata: { name: i % 2 ? "default" : "Bad_Name", namespace: "team" },
        spec: { limits: [{ type: "Container", defaultRequest: { cpu: s.request }, default: { cpu: "1" } }] },
      });
    case "namespace":
      return make("kubernetes:core/v1:Namespace", {
        metadata: {
          name: `team-${i}`,
          labels: s.enforce === undefined ? {} : { "pod-security.kubernetes.io/enforce": s.enforce },
        },
      });
  }
}

describe("resource policies resource by resource report as policy by policy did", () => {
  const config = packConfig({
    productionStacks: [STACK],
    connectedRanges: [{ name: "office", cidr: "10.0.0.0/9", kind: "vpn" }],
  });
  const resourcePolicies = new Set(policies.filter((p) => !("validateStack" in p)).map((p) => p.name));

  it("the same violations in the same order, on stacks of mixed types in any order", () => {
    fc.assert(
      fc.property(fc.array(resourceArb, { minLength: 1, maxLength: 40 }), (specs) => {
        const resources = specs.map(resource);
        const now = evaluateViolations(resources, { stackName: STACK, config }).filter((v) =>
          resourcePolicies.has(v.policy),
        );
        expect(now).toEqual(policyByPolicy(resources, config));
      }),
      { numRuns: 150 },
    );
  });

  it("the stacks above have findings of several policies, some of them over several types", () => {
    const resources = (
      [
        { kind: "ack", protect: false, name: "Bad_Name" },
        { kind: "vpc", octet: 1 },
        { kind: "slb", protect: "off" },
        { kind: "vswitch", octet: 1 },
        { kind: "limits", request: "3" },
        { kind: "quota", item: "cpaas.io/reserved" },
        { kind: "namespace", enforce: "privileged" },
        { kind: "ack", protect: false, name: "ok" },
      ] as Spec[]
    ).map(resource);
    const found = evaluateViolations(resources, { stackName: STACK, config }).filter((v) =>
      resourcePolicies.has(v.policy),
    );
    const policiesFound = new Set(found.map((v) => v.policy));
    expect(policiesFound.size).toBeGreaterThanOrEqual(5);
    // security/deletion-protection looks at clusters and load balancers: its candidates come
    // type by type, so the second cluster's finding comes before the load balancer's.
    const deletion = found.filter((v) => v.policy === "security/deletion-protection").map((v) => v.urn);
    expect(deletion.length).toBeGreaterThanOrEqual(2);
    expect(found).toEqual(policyByPolicy(resources, config));
  });
});
