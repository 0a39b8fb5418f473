import { type EnvironmentSpec, Platform, PlatformValidationError } from "@kubeplat/components";
import {
  type MockRuntime,
  offlineCall,
  offlineState,
  resolveOutput,
  startMockRuntime,
} from "@kubeplat/components/testing";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { ENVIRONMENT_KEY, readStackSettings } from "../../../stacks/offline/stackConfig";

// The file is YAML: what it holds is checked at run time by the spec schema, as for any caller.
const dev = readStackSettings("dev").config[ENVIRONMENT_KEY] as EnvironmentSpec;

describe("Platform (pulumi up under the mock runtime)", () => {
  let rt: MockRuntime;
  beforeAll(async () => {
    rt = await startMockRuntime({
      project: "platform",
      stack: "dev",
      preview: false,
      state: (a) =>
        // The nginx controller's Service, read back after the release created it.
        a.type === "kubernetes:core/v1:Service" && a.id
          ? { status: { loadBalancer: { ingress: [{ ip: "192.0.2.10" }] } } }
          : offlineState(a),
      call: offlineCall,
    });
  });

  it("exports the contract with the load balancer address read back, and the kubeconfigs as a secret", async () => {
    let platform: Platform | undefined;
    await rt.run(async () => {
      platform = new Platform("dev", { environment: dev });
      return {};
    });
    const p = platform as Platform;
    const outputs = await resolveOutput(p.outputs);
    expect(outputs.contractVersion).toBe("1");
    expect(outputs.clusters.dev?.loadBalancers).toEqual({ public: "192.0.2.10" });
    expect(outputs.clusters.dev?.namespaces).toEqual({ shop: ["shop-web"] });
    expect(outputs.vswitches["dev/cn-hangzhou-i/node"]).toMatchObject({
      zone: "cn-hangzhou-i",
      role: "node",
      cidr: "192.168.0.0/22",
    });
    expect(await pulumi.isSecret(p.kubeconfigs)).toBe(true);
    expect(await pulumi.isSecret(p.outputs)).toBe(false);
  });

  it("refuses a spec a child would refuse before registering anything, naming the rule", async () => {
    const before = rt.resources.length;
    const bad = structuredClone(dev) as {
      tenancy: { projects: { namespaces: { quota: Record<string, string> }[] }[] };
    };
    const ns = bad.tenancy.projects[0]?.namespaces[0];
    if (ns) ns.quota["requests.cpu"] = "40";
    let error: unknown;
    try {
      new Platform("dev-bad", { environment: bad as unknown as EnvironmentSpec });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlatformValidationError);
    expect((error as Error).message).toContain("quota/namespace-exceeds-project");
    expect((error as Error).message).toContain(
      "requests.cpu 40 in total (shop-web 40) > the project's quota 8",
    );
    await rt.settle();
    expect(rt.resources.length).toBe(before);
  });

  it("refuses a spec that breaks a rule, listing every violation with its path", () => {
    const bad: EnvironmentSpec = { ...dev, vpc: { cidr: "100.64.0.0/16" }, zones: ["cn-hangzhou-i"] };
    expect(() => new Platform("dev-bad2", { environment: bad })).toThrow(
      /cidr\/vpc-reserved-range at vpc\.cidr \(vpc\): vpc 100\.64\.0\.0\/16 overlaps the reserved range 100\.64\.0\.0\/10/,
    );
  });
});
