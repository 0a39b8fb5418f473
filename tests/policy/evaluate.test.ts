/**
 * The in-process evaluator behaves as CrossGuard does: enforcement levels from the policy
 * config, config errors named, violations turned back into Diagnostics.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { PolicyConfigError } from "../../policy/config";
import { evaluatePolicies, evaluateViolations } from "../../policy/evaluate";
import { packConfig } from "../../policy/policies";
import { of, type RunOptions, run, Stack, T, UNKNOWN } from "./stack";

function overlapping(stack = "dev") {
  const s = new Stack(stack);
  const vpc = s.vpc("main", "10.0.0.0/16");
  s.vswitch("a", "10.0.0.0/20", "z1", vpc);
  s.vswitch("b", "10.0.8.0/24", "z1", vpc);
  return s;
}

describe("enforcement levels from the policy config", () => {
  it("catalogue level by default; a policy's own entry, 'all', 'disabled' and 'remediate' as CrossGuard resolves them", () => {
    const s = overlapping();
    const level = (config?: RunOptions["config"]) =>
      of(run(s, { config }), "cidr/vswitch-overlap").map((d) => d.severity);
    expect(level()).toEqual(["mandatory"]);
    expect(level({ "cidr/vswitch-overlap": "advisory" })).toEqual(["advisory"]);
    expect(level({ all: "advisory" })).toEqual(["advisory"]);
    expect(level({ all: "advisory", "cidr/vswitch-overlap": { enforcementLevel: "mandatory" } })).toEqual([
      "mandatory",
    ]);
    expect(level({ "cidr/vswitch-overlap": "disabled" })).toEqual([]);
    expect(level({ "cidr/vswitch-overlap": "remediate" })).toEqual(["mandatory"]);
  });

  it("productionStacks decides which twin of a mandatory-in-production rule reports", () => {
    const s = new Stack("staging");
    s.ack("k", { deletionProtection: false });
    const sev = (productionStacks?: string[]) =>
      of(
        run(s, { config: productionStacks ? packConfig({ productionStacks }) : undefined }),
        "security/deletion-protection",
      ).map((d) => d.severity);
    expect(sev()).toEqual(["advisory", "advisory"]);
    expect(sev(["staging", "prod"])).toEqual(["mandatory", "mandatory"]);
  });

  it("refuses config for a policy the pack does not have, and names a bad setting with its value", () => {
    const s = overlapping();
    expect(() => run(s, { config: { "cidr/vswitch-overlaps": "advisory" } })).toThrow(
      'policy config names "cidr/vswitch-overlaps", which is not a policy of the pack',
    );
    const bad = { "cidr/overlaps-peer": { connectedRanges: [{ name: "x", cidr: 42 }] } };
    expect(() => run(s, { config: bad })).toThrow(PolicyConfigError);
    expect(() => run(s, { config: bad })).toThrow(/connectedRanges\.0\.cidr: .* \(value 42\)/);
  });
});

describe("violations back into diagnostics", () => {
  it("keeps the URN, the path and the message; a stack violation without a URN is the stack's", () => {
    const s = overlapping("dev");
    const [d] = of(run(s), "cidr/vswitch-overlap");
    expect(d).toEqual({
      rule: "cidr/vswitch-overlap",
      severity: "mandatory",
      resource: "urn:pulumi:dev::handwritten::alicloud:vpc/switch:Switch::b",
      path: "cidrBlock",
      message: "vSwitch b 10.0.8.0/24 overlaps vSwitch a 10.0.0.0/20 in vpc main",
    });
    const eips = new Stack("dev");
    for (let i = 0; i < 21; i++) eips.add(T.eip, `eip-${i}`, {});
    expect(of(run(eips), "quota/eips")[0]?.resource).toBe("stack dev");
  });

  it("builds URNs from the stack name when the preview gives none", () => {
    const d = evaluatePolicies([{ type: T.vpc, name: "carrier", props: { cidrBlock: "100.64.0.0/16" } }], {
      stackName: "prod",
      project: "platform",
    });
    expect(of(d, "cidr/vpc-reserved-range")[0]?.resource).toBe(
      "urn:pulumi:prod::platform::alicloud:vpc/network:Network::carrier",
    );
  });

  it("gives policies the engine's proxy: a naive policy reading an unknown gets the engine's advisory", () => {
    const naive: ResourceValidationPolicy = {
      name: "lb/traffic-policy",
      description: "reads props directly",
      enforcementLevel: "mandatory",
      validateResource: (args) => {
        void (args.props as Record<string, unknown>).vpcId;
      },
    };
    const s = new Stack();
    s.add(T.vsw, "a", { cidrBlock: "10.0.0.0/24", vpcId: UNKNOWN });
    const [v] = evaluateViolations(s.resources, { stackName: "dev", policies: [naive] });
    expect(v).toMatchObject({ policy: "lb/traffic-policy", level: "advisory" });
    expect(v?.message).toContain(
      "can't run policy 'lb/traffic-policy' during preview: string value at .vpcId can't be known during preview",
    );
  });

  it("runs synchronous policies only", () => {
    const slow: StackValidationPolicy = {
      name: "cidr/invalid",
      description: "async",
      validateStack: async () => {},
    };
    expect(() => evaluateViolations([], { stackName: "dev", policies: [slow] })).toThrow(
      'policy "cidr/invalid" is asynchronous; evaluatePolicies runs synchronous policies only',
    );
  });
});
