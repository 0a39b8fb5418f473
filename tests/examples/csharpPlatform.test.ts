/**
 * The C# example against the committed package schema (no .NET SDK on this machine): every SDK
 * type, enum member and property Program.cs names must exist in components/schema.json with the
 * kind of value the program gives it, and the environment the program writes must build a
 * platform (run here under Pulumi's mock runtime).
 *
 * Program.cs is read with the small reader for the C# it uses in tests/support/csharpProgram.ts.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { PACKAGE_DIR, PACKAGE_NAME, SCHEMA_PATH } from "@kubeplat/components/internal/package";
import { Platform } from "@kubeplat/components/internal/platform/Platform";
import { type MockRuntime, resolveOutput } from "@kubeplat/components/testing";
import * as pulumi from "@pulumi/pulumi";
import type { PackageSpec, Property } from "@pulumi/pulumi/provider/experimental/schema";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { outputReads, readPlatformCall, tokenize, type Value, variables } from "../support/csharpProgram";
import { offlineRuntime } from "../support/runtime";

const EXAMPLE_DIR = path.resolve(__dirname, "../../examples/csharp-platform");
const PROGRAM = readFileSync(path.join(EXAMPLE_DIR, "Program.cs"), "utf8");
const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as PackageSpec;
const TYPE_PREFIX = `#/types/${PACKAGE_NAME}:index:`;
/** The C# SDK's namespace: Pulumi's .NET code generator titles the package name. */
const NAMESPACE = `Pulumi.${PACKAGE_NAME[0]?.toUpperCase()}${PACKAGE_NAME.slice(1)}`;

// --- Checks against the schema ----------------------------------------------------------------

const camel = (pascal: string) => `${pascal[0]?.toLowerCase()}${pascal.slice(1)}`;

function schemaType(name: string) {
  return schema.types[`${PACKAGE_NAME}:index:${name}`];
}

/** Every way `value` does not fit the schema property `prop`, at C# path `at`. */
function check(at: string, value: Value, prop: Property, out: string[]): void {
  if ("$ref" in prop) {
    const name = prop.$ref.slice(TYPE_PREFIX.length);
    const t = schemaType(name);
    if (!t) {
      out.push(`${at}: the schema has no type ${name}`);
      return;
    }
    if (t.enum) {
      if (value.kind !== "enum" || value.type !== name) {
        out.push(`${at}: expects enum ${name}`);
        return;
      }
      if (!t.enum.some((e) => e.name === value.member))
        out.push(`${at} (line ${value.line}): ${name} has no member ${value.member}`);
      return;
    }
    if (value.kind !== "object" || value.type !== `${name}Args`) {
      out.push(`${at}: expects new ${name}Args { ... } (Inputs.${name}Args)`);
      return;
    }
    checkObject(at, value, t.properties ?? {}, t.required ?? [], out);
    return;
  }
  const p = prop as Property & { type: string };
  if (p.type === "array") {
    if (value.kind !== "list") out.push(`${at}: expects a list`);
    else
      value.items.forEach((v, i) => {
        check(`${at}[${i}]`, v, p.items as Property, out);
      });
  } else if (p.type === "object" && p.additionalProperties) {
    if (value.kind !== "map") out.push(`${at}: expects a dictionary`);
    else
      for (const [k, v] of value.entries) {
        if (k.kind !== "string") out.push(`${at}: dictionary keys are strings`);
        check(
          `${at}[${JSON.stringify(k.kind === "string" ? k.value : "?")}]`,
          v,
          p.additionalProperties,
          out,
        );
      }
  } else if (value.kind !== p.type) {
    out.push(`${at}: expects a ${p.type}, the program gives a ${value.kind}`);
  }
}

function checkObject(
  at: string,
  value: Extract<Value, { kind: "object" }>,
  properties: Record<string, Property>,
  required: string[],
  out: string[],
): void {
  const given = new Set<string>();
  for (const [name, v, line] of value.props) {
    const schemaName = camel(name);
    given.add(schemaName);
    const prop = properties[schemaName];
    if (!prop)
      out.push(`${at}.${name} (line ${line}): ${value.type} has no property ${name} (${schemaName})`);
    else check(`${at}.${name}`, v, prop, out);
  }
  for (const r of required) if (!given.has(r)) out.push(`${at}: required ${r} is not set`);
}

/** The value as the JSON document the engine hands the component. */
function toJson(value: Value): unknown {
  switch (value.kind) {
    case "string":
    case "number":
    case "boolean":
      return value.value;
    case "enum": {
      const member = schemaType(value.type)?.enum?.find((e) => e.name === value.member);
      return member?.value;
    }
    case "list":
      return value.items.map(toJson);
    case "map":
      return Object.fromEntries(value.entries.map(([k, v]) => [toJson(k), toJson(v)]));
    case "object":
      return Object.fromEntries(value.props.map(([k, v]) => [camel(k), toJson(v)]));
  }
}

describe("examples/csharp-platform", () => {
  const tokens = tokenize(PROGRAM);
  const platformArgs = readPlatformCall(tokens) as Extract<Value, { kind: "object" }>;
  const platform = schema.resources[`${PACKAGE_NAME}:index:Platform`];

  it("uses the generated SDK's namespaces", () => {
    expect(PROGRAM).toContain(`using ${NAMESPACE};`);
    expect(PROGRAM).toContain(`using ${NAMESPACE}.Inputs;`);
    expect(platform?.isComponent).toBe(true);
  });

  it("names only types, enum members and properties the committed schema has, with fitting values", () => {
    const problems: string[] = [];
    checkObject(
      "PlatformArgs",
      platformArgs,
      platform?.inputProperties ?? {},
      platform?.requiredInputs ?? [],
      problems,
    );
    expect(problems).toEqual([]);
    // The reader saw the whole spec, not an empty shell.
    const env = toJson(platformArgs) as { environment: { clusters: { nodePools: unknown[] }[] } };
    expect(env.environment.clusters[0]?.nodePools).toHaveLength(2);
  });

  it("catches a property, an enum member or a type the schema does not have", () => {
    const problems: string[] = [];
    const broken = PROGRAM.replace("MinSize = 2", "MinNodes = 2")
      .replace("ClusterCni.Terway", "ClusterCni.Cilium")
      .replace("new EnvironmentVpcArgs", "new VpcArgs");
    const value = readPlatformCall(tokenize(broken)) as Extract<Value, { kind: "object" }>;
    checkObject(
      "PlatformArgs",
      value,
      platform?.inputProperties ?? {},
      platform?.requiredInputs ?? [],
      problems,
    );
    expect(problems.join("\n")).toMatch(/EnvironmentNodePoolArgs has no property MinNodes/);
    expect(problems.join("\n")).toMatch(/ClusterCni has no member Cilium/);
    expect(problems.join("\n")).toMatch(/Environment\.Vpc: expects new EnvironmentVpcArgs/);
  });

  it("reads only outputs the schema has", () => {
    const outputs = platform?.properties ?? {};
    const reads = outputReads(PROGRAM);
    expect(reads.length).toBeGreaterThanOrEqual(5);
    for (const { output, members } of reads) {
      const top = outputs[camel(output)];
      expect(top, `platform.${output}`).toBeDefined();
      let prop = top as Property;
      for (const member of members) {
        const t = "$ref" in prop ? schemaType(prop.$ref.slice(TYPE_PREFIX.length)) : undefined;
        const next = t?.properties?.[camel(member)];
        expect(next, `platform.${output}…${member}`).toBeDefined();
        prop = next as Property;
      }
    }
  });

  it("references the package the way `pulumi package add` records it", () => {
    const project = parseYaml(readFileSync(path.join(EXAMPLE_DIR, "Pulumi.yaml"), "utf8")) as {
      runtime: string;
      packages: Record<string, string>;
    };
    expect(project.runtime).toBe("dotnet");
    const source = project.packages[PACKAGE_NAME] as string;
    expect(path.resolve(EXAMPLE_DIR, source)).toBe(PACKAGE_DIR);
    expect(readFileSync(path.join(PACKAGE_DIR, "PulumiPlugin.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
    const csproj = readFileSync(path.join(EXAMPLE_DIR, "csharp-platform.csproj"), "utf8");
    expect(csproj).toContain(`<ProjectReference Include="sdks/${PACKAGE_NAME}/${NAMESPACE}.csproj" />`);
    expect(csproj).toContain("sdks/**/*.cs");
  });

  describe("the environment it writes", () => {
    let rt: MockRuntime;
    beforeAll(async () => {
      rt = await offlineRuntime({ project: "csharp-platform", preview: false });
    });

    it.each([
      ["dev", false],
      ["prod", true],
    ])(
      "builds a platform for stack %s (production %s): cluster, both node pools, ingress, the contract and secret kubeconfigs",
      async (stack, production) => {
        const args = readPlatformCall(tokens, variables(stack, production));
        const { environment } = toJson(args) as { environment: Record<string, unknown> };
        let built: Platform | undefined;
        await rt.run(async () => {
          built = new Platform(stack, { environment: environment as never });
          return {};
        });
        const p = built as Platform;
        const types = rt.resources.map((r) => `${r.type}::${r.name}`);
        expect(types).toContain(`platform:alicloud:AckCluster::${stack}-apps`);
        expect(types).toContain(`platform:alicloud:AckNodePool::${stack}-apps-general`);
        expect(types).toContain(`platform:alicloud:AckNodePool::${stack}-apps-batch`);
        expect(types).toContain(`platform:kubernetes:IngressController::${stack}-apps-public`);
        // Production protects the stateful resources (the ACK cluster itself).
        const ack = rt.resources.filter(
          (r) =>
            r.type === "alicloud:cs/managedKubernetes:ManagedKubernetes" && r.name.startsWith(`${stack}-`),
        );
        expect(ack.map((r) => r.protect)).toEqual([production]);
        const contract = await resolveOutput(p.outputs);
        expect(contract).toMatchObject({ contractVersion: "1", environment: stack, cloud: "alicloud" });
        expect(Object.keys(contract.clusters)).toEqual(["apps"]);
        expect(await pulumi.isSecret(p.kubeconfigs)).toBe(true);
      },
    );
  });
});
