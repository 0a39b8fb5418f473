import { type MockRuntime, resolveOutput, startMockRuntime } from "@kubeplat/components/testing";
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";

class Pair extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("platform:test:Pair", name, {}, opts);
    const vpc = new alicloud.vpc.Network(
      `${name}-vpc`,
      { cidrBlock: "10.0.0.0/16" },
      { parent: this, protect: true },
    );
    new alicloud.vpc.Switch(
      `${name}-vsw`,
      { vpcId: vpc.id, cidrBlock: "10.0.0.0/24", zoneId: "cn-hangzhou-i" },
      { parent: this, replaceOnChanges: ["cidrBlock"], aliases: [{ name: `${name}-old-vsw` }] },
    );
    this.vpcId = vpc.id;
    this.registerOutputs({ vpcId: this.vpcId });
  }
}

describe("mock runtime recorder", () => {
  let rt: MockRuntime;
  beforeAll(async () => {
    rt = await startMockRuntime({ project: "platform", stack: "dev" });
  });

  it("records every registration with its URN, inputs and options, and waits for all of them", async () => {
    const outputs = await rt.run(async () => {
      const p = new Pair("a");
      return { vpcId: p.vpcId };
    });
    expect(outputs.vpcId).toBe("a-vpc-id");
    expect(rt.urns()).toEqual([
      "urn:pulumi:dev::platform::platform:test:Pair$alicloud:vpc/network:Network::a-vpc",
      "urn:pulumi:dev::platform::platform:test:Pair$alicloud:vpc/switch:Switch::a-vsw",
      "urn:pulumi:dev::platform::pulumi:pulumi:Stack$platform:test:Pair::a",
      "urn:pulumi:dev::platform::pulumi:pulumi:Stack::platform-dev",
    ]);
    const vsw = rt.one("alicloud:vpc/switch:Switch");
    expect(vsw.inputs).toMatchObject({
      cidrBlock: "10.0.0.0/24",
      vpcId: "a-vpc-id",
      zoneId: "cn-hangzhou-i",
    });
    expect(vsw.parent).toBe("urn:pulumi:dev::platform::pulumi:pulumi:Stack$platform:test:Pair::a");
    expect(vsw.replaceOnChanges).toEqual(["cidrBlock"]);
    expect(vsw.aliases.length).toBe(1);
    expect(rt.one("alicloud:vpc/network:Network").protect).toBe(true);
    expect(vsw.protect).toBe(false);
    expect(await resolveOutput(pulumi.output("x"))).toBe("x");
  });

  it("exports no undefined value: absent optional outputs are left out without a warning per key", async () => {
    const written: string[] = [];
    const spies = [process.stderr, process.stdout].map((stream) =>
      vi.spyOn(stream, "write").mockImplementation((chunk) => {
        written.push(String(chunk));
        return true;
      }),
    );
    const warn = vi.spyOn(console, "warn").mockImplementation((...args) => {
      written.push(args.join(" "));
    });
    try {
      const outputs = await rt.run(async () => ({
        absent: undefined,
        absentOutput: pulumi.output(undefined as string | undefined),
        present: pulumi.output("x"),
      }));
      expect(outputs).toEqual({ present: "x" });
    } finally {
      for (const s of spies) s.mockRestore();
      warn.mockRestore();
    }
    expect(written.join("")).not.toContain("Undefined value");
  });
});
