/**
 * The component package (components/ as `pulumi package add` sees it): the schema Pulumi's
 * component provider host infers from the TypeScript sources, the committed copy of it, and a
 * component constructed the way the host constructs it for a C#, Python, Go or YAML program.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as library from "@kubeplat/components";
import {
  formatSchema,
  generatePackageSchema,
  PACKAGE_COMPONENTS,
  PACKAGE_DIR,
  PACKAGE_NAME,
  packageOptions,
  SCHEMA_PATH,
} from "@kubeplat/components/internal/package";
import { type MockRuntime, resolveOutput } from "@kubeplat/components/testing";
import { EnvironmentSchema } from "@kubeplat/plan";
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import type { PackageSpec, Property } from "@pulumi/pulumi/provider/experimental/schema";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ENVIRONMENT_KEY, readStackSettings } from "../../../stacks/offline/stackConfig";
import { offlineRuntime } from "../../support/runtime";

const REGENERATE =
  "run `npm run gen:schema` (tsx --conditions=source components/scripts/genSchema.ts) and commit components/schema.json";
const TYPE_PREFIX = `#/types/${PACKAGE_NAME}:index:`;

let provider: ComponentProvider;
let schema: PackageSpec;

beforeAll(async () => {
  // The host's own analysis (the TypeScript compiler over components/src): ~20 s.
  provider = new ComponentProvider(packageOptions());
  schema = await generatePackageSchema(provider);
}, 180_000);

function resource(component: string) {
  const r = schema.resources[`${PACKAGE_NAME}:index:${component}`];
  if (!r) throw new Error(`no resource ${PACKAGE_NAME}:index:${component} in the schema`);
  return r;
}

function typeOf(name: string) {
  const t = schema.types[`${PACKAGE_NAME}:index:${name}`];
  if (!t) throw new Error(`no type ${PACKAGE_NAME}:index:${name} in the schema`);
  return t;
}

/** A property's type in one word: `string`, `number[]`, `map<string>`, `enum AckEdition`, `AckVSwitchArgs`. */
function sig(p: Property | undefined): string {
  if (!p) return "(absent)";
  if ("$ref" in p) {
    if (!p.$ref.startsWith(TYPE_PREFIX)) return `external ${p.$ref}`;
    const name = p.$ref.slice(TYPE_PREFIX.length);
    return typeOf(name).enum ? `enum ${name}` : name;
  }
  if (p.type === "array") return `${sig(p.items)}[]`;
  if (p.type === "object" && p.additionalProperties) return `map<${sig(p.additionalProperties)}>`;
  return p.type;
}

function inputs(component: string): Record<string, string> {
  const r = resource(component);
  const required = new Set(r.requiredInputs ?? []);
  return Object.fromEntries(
    Object.entries(r.inputProperties ?? {}).map(([k, p]) => [k, `${sig(p)}${required.has(k) ? "" : "?"}`]),
  );
}

function outputs(component: string): Record<string, string> {
  const r = resource(component);
  const required = new Set(r.required ?? []);
  return Object.fromEntries(
    Object.entries(r.properties ?? {}).map(([k, p]) => [k, `${sig(p)}${required.has(k) ? "" : "?"}`]),
  );
}

function properties(type: string): Record<string, string> {
  const t = typeOf(type);
  const required = new Set(t.required ?? []);
  return Object.fromEntries(
    Object.entries(t.properties ?? {}).map(([k, p]) => [k, `${sig(p)}${required.has(k) ? "" : "?"}`]),
  );
}

function enumValues(type: string): Record<string, string | number> {
  return Object.fromEntries((typeOf(type).enum ?? []).map((e) => [e.name, e.value]));
}

/** Every `$ref` in the schema. */
/** Pulumi's builtin for free-form JSON. */
const ANY = "pulumi.json#/Any";

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe("the component package schema", () => {
  it("serves every public component of the library under kubeplat:index", () => {
    const exported = getPulumiComponents(library)
      .map((c) => c.name)
      .sort();
    expect(PACKAGE_COMPONENTS.map((c) => c.name).sort()).toEqual(exported);
    expect(Object.keys(schema.resources).sort()).toEqual(exported.map((n) => `kubeplat:index:${n}`).sort());
    for (const name of exported) expect(resource(name).isComponent, name).toBe(true);
    expect(schema.name).toBe("kubeplat");
    expect(schema.version).toBe(
      JSON.parse(readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8")).version,
    );
  });

  it("publishes Platform with the typed environment spec in and the output contract out", () => {
    expect(inputs("Platform")).toEqual({
      environment: "EnvironmentSpec",
      baselineAllocations: "map<string>?",
    });
    // environment, plan and providers are TypeScript-only getters: not portable outputs.
    expect(outputs("Platform")).toEqual({ outputs: "PlatformContract", kubeconfigs: "map<string>" });
    expect(properties("PlatformContract")).toEqual({
      contractVersion: "string",
      environment: "string",
      cloud: "string",
      region: "string",
      vpc: "VpcOutput",
      vswitches: "map<VSwitchOutput>",
      clusters: "map<ClusterOutput>",
    });
    expect(properties("VpcOutput")).toEqual({ id: "string", cidr: "string", secondaryCidrs: "string[]" });
    expect(properties("ClusterOutput")).toMatchObject({
      name: "string",
      endpoint: "string",
      podCidr: "string?",
      ingressClasses: "string[]",
      loadBalancers: "map<string>",
      namespaces: "map<string[]>",
    });
  });

  it("publishes the environment spec as typed objects and enums", () => {
    expect(properties("EnvironmentSpec")).toEqual({
      name: "string",
      cloud: "enum CloudName",
      region: "string",
      production: "boolean?",
      zones: "string[]",
      vpc: "EnvironmentVpc",
      connectedRanges: "EnvironmentConnectedRange[]?",
      clusters: "EnvironmentCluster[]?",
      quotas: "EnvironmentQuotas?",
      budget: "EnvironmentBudget?",
      tenancy: "EnvironmentTenancy?",
      access: "EnvironmentAccess?",
      tags: "map<string>?",
      ostreeImage: "EnvironmentOstreeImage?",
    });
    expect(properties("EnvironmentOstreeImage")).toMatchObject({
      treefile: "EnvironmentOstreeTreefile",
      remoteUrl: "string",
      bucket: "string",
      diskSizeGiB: "number?",
    });
    expect(properties("EnvironmentCluster")).toMatchObject({
      name: "string",
      edition: "enum AckEdition?",
      cni: "enum ClusterCni?",
      ipStack: "enum ClusterIpStack?",
      nodePools: "EnvironmentNodePool[]?",
      ingress: "EnvironmentIngress[]?",
    });
    expect(properties("EnvironmentNodePool")).toMatchObject({
      minSize: "number",
      maxSize: "number",
      instanceTypes: "string[]",
      image: "enum NodePoolImageFamily?",
      runtime: "enum ContainerRuntime?",
      taints: "EnvironmentNodeTaint[]?",
      labels: "map<string>?",
    });
    expect(enumValues("CloudName")).toEqual({ Alicloud: "alicloud", Aws: "aws" });
    expect(enumValues("ClusterCni")).toEqual({
      Terway: "terway",
      Flannel: "flannel",
      VpcCni: "vpc-cni",
      KubeOvn: "kube-ovn",
      Calico: "calico",
    });
    expect(enumValues("IngressControllerKind")).toEqual({
      Nginx: "nginx",
      Alb: "alb",
      AwsLbController: "aws-lb-controller",
    });
  });

  it("publishes the cluster, node and network components with their inputs and outputs", () => {
    expect(inputs("AckCluster")).toMatchObject({
      vswitches: "AckVSwitchArgs[]",
      serviceCidr: "string",
      edition: "enum AckEdition?",
      cni: "enum AckCni?",
      proxyMode: "enum KubeProxyMode?",
      securityGroupId: "string?",
      secretsEncryption: "AckSecretsEncryptionArgs?",
      apiServer: "AckApiServerArgs?",
      controlPlaneLogs: "AckControlPlaneLogsArgs?",
      tags: "map<string>?",
    });
    expect(outputs("AckCluster")).toMatchObject({ clusterId: "string", kubeconfig: "string" });
    expect(properties("AckControlPlaneLogsArgs")).toMatchObject({
      components: "enum ControlPlaneLogComponent[]?",
    });
    expect(inputs("AckNodePool")).toMatchObject({
      clusterId: "string",
      vswitchIds: "string[]",
      autoscaling: "AckAutoscalingArgs?",
      taints: "NodeTaintArgs[]?",
      spot: "AckSpotArgs?",
      securityGroupType: "enum SecurityGroupType?",
    });
    expect(inputs("AlicloudNetwork")).toMatchObject({
      vpc: "AlicloudNetworkVpcArgs",
      vswitches: "AlicloudNetworkVSwitchArgs[]",
      nat: "AlicloudNatArgs?",
      securityGroups: "AlicloudSecurityGroupsArgs?",
    });
    expect(properties("AlicloudNetworkVSwitchArgs")).toMatchObject({ role: "enum VSwitchRole" });
    expect(outputs("AlicloudNetwork")).toMatchObject({ vpcId: "string", vswitchIds: "map<string>" });
    expect(inputs("AlicloudLoadBalancer")).toMatchObject({
      kind: "enum AlicloudLoadBalancerKind?",
      addressType: "enum AlicloudAddressType",
      vswitches: "AlicloudLoadBalancerVSwitchArgs[]",
      service: "ServiceListenerSettings?",
    });
    expect(outputs("EksCluster")).toMatchObject({ endpoint: "string", kubeconfig: "string" });
    expect(inputs("NodeImage")).toMatchObject({ family: "enum NodeImageFamily" });
    expect(outputs("NodeImage")).toMatchObject({ rollout: "NodeRollout", imageId: "string" });
    expect(inputs("EksNodeGroup")).toMatchObject({ amiId: "string?", amiType: "string?" });
  });

  it("publishes Karpenter with its NodePools typed by the spec's own enums", () => {
    expect(inputs("Karpenter")).toMatchObject({
      clusterName: "string",
      subnetIds: "string[]",
      amiFamily: "enum KarpenterNodeOs?",
      nodePools: "KarpenterNodePoolInput[]",
    });
    expect(properties("KarpenterNodePoolInput")).toMatchObject({
      capacityTypes: "enum KarpenterCapacityType[]",
      architectures: "enum KarpenterArchitecture[]",
      limits: "KarpenterLimitsInput",
      taints: "KarpenterTaintInput[]",
      labels: "map<string>",
    });
    expect(outputs("Karpenter")).toMatchObject({ controllerRoleArn: "string", queueName: "string" });
  });

  it("publishes every secret output (kubeconfigs), and no provider resources", () => {
    const secretOutputs: Record<string, string> = {
      AckCluster: "kubeconfig",
      EksCluster: "kubeconfig",
      Platform: "kubeconfigs",
    };
    for (const [component, output] of Object.entries(secretOutputs)) {
      expect(outputs(component)[output], `${component}.${output}`).toMatch(/^(string|map<string>)$/);
    }
    for (const component of ["AckCluster", "EksCluster", "Platform"]) {
      expect(Object.keys(outputs(component)), component).not.toContain("provider");
      expect(Object.keys(outputs(component)), component).not.toContain("providers");
    }
    // A provider output cannot be a resource option in other languages, and the analyzer
    // references providers as resources the provider's schema does not have.
    // The one builtin allowed: free-form JSON (add-on configuration) is `pulumi.json#/Any`.
    expect(refs(schema).filter((r) => !r.startsWith(TYPE_PREFIX) && r !== ANY)).toEqual([]);
    expect(schema.dependencies ?? []).toEqual([]);
  });

  it("resolves every type reference, and every type name is declared once in the sources", () => {
    for (const r of refs(schema)) {
      if (r === ANY) continue;
      expect(schema.types[r.slice("#/types/".length)], r).toBeDefined();
    }
    // Inference names types after their TypeScript interface or enum and keeps the first it
    // meets: two declarations of one name would silently share a schema type.
    // The components and the plan package they take types from (spec enums, kubelet settings).
    const srcDirs = [path.join(PACKAGE_DIR, "src"), path.join(PACKAGE_DIR, "..", "plan", "src")];
    const sources = srcDirs.flatMap((srcDir) =>
      (readdirSync(srcDir, { recursive: true }) as string[])
        .filter((f) => f.endsWith(".ts"))
        .map((f) => readFileSync(path.join(srcDir, f), "utf8")),
    );
    for (const token of Object.keys(schema.types)) {
      const name = token.split(":")[2] as string;
      const declaration = new RegExp(`(^|\\n)export (interface ${name}\\b|const ${name} = \\{)`, "g");
      const count = sources.reduce((n, text) => n + (text.match(declaration)?.length ?? 0), 0);
      expect(count, `declarations of ${name}`).toBe(1);
    }
  });

  it("mirrors the zod spec: same fields, required fields and enum values as EnvironmentSchema's input", () => {
    const zodSchema = z.toJSONSchema(EnvironmentSchema, { io: "input" }) as JsonSchema;
    const mismatches: string[] = [];
    compare("environment", zodSchema, { $ref: `${TYPE_PREFIX}EnvironmentSpec` }, mismatches);
    expect(mismatches).toEqual([]);
  });

  it("is committed: components/schema.json is what the host serves", () => {
    const committed = readFileSync(SCHEMA_PATH, "utf8");
    expect(committed === formatSchema(schema), `components/schema.json is stale: ${REGENERATE}`).toBe(true);
  });
});

interface JsonSchema {
  type?: string;
  enum?: (string | number)[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
}

/** Walks zod's JSON Schema and the Pulumi schema side by side and lists every difference. */
function compare(at: string, zodType: JsonSchema, prop: Property, out: string[]): void {
  if ("$ref" in prop && prop.$ref === ANY) {
    // zod's unknown (free-form JSON) has no type in JSON Schema.
    if (zodType.type !== undefined) out.push(`${at}: any vs zod ${zodType.type}`);
    return;
  }
  if ("$ref" in prop) {
    const p = prop;
    const t = typeOf(p.$ref.slice(TYPE_PREFIX.length));
    if (t.enum) {
      const values = t.enum.map((e) => e.value).sort();
      if (JSON.stringify(values) !== JSON.stringify([...(zodType.enum ?? [])].sort()))
        out.push(`${at}: enum ${JSON.stringify(values)} vs zod ${JSON.stringify(zodType.enum)}`);
      return;
    }
    const zodProps = zodType.properties ?? {};
    const ours = t.properties ?? {};
    const names = new Set([...Object.keys(zodProps), ...Object.keys(ours)]);
    for (const n of names) {
      if (!(n in ours)) out.push(`${at}.${n}: in zod, missing from the schema`);
      else if (!(n in zodProps)) out.push(`${at}.${n}: in the schema, not in zod`);
      else compare(`${at}.${n}`, zodProps[n] as JsonSchema, ours[n] as Property, out);
    }
    const req = (xs: string[] | undefined) => JSON.stringify([...(xs ?? [])].sort());
    if (req(zodType.required) !== req(t.required))
      out.push(`${at}: required ${req(t.required)} vs zod ${req(zodType.required)}`);
    return;
  }
  const p = prop as Property & { type: string };
  const zodKind =
    zodType.type === "integer"
      ? "number"
      : zodType.type === "object" && typeof zodType.additionalProperties === "object"
        ? "map"
        : zodType.type;
  const ourKind = p.type === "object" && p.additionalProperties ? "map" : p.type;
  if (zodKind !== ourKind) {
    out.push(`${at}: ${ourKind} vs zod ${zodKind}`);
    return;
  }
  if (ourKind === "array") compare(`${at}[]`, zodType.items ?? {}, p.items as Property, out);
  if (ourKind === "map")
    compare(`${at}{}`, zodType.additionalProperties as JsonSchema, p.additionalProperties as Property, out);
}

describe("a Platform constructed the way the host constructs it for another language", () => {
  let rt: MockRuntime;
  const dev = readStackSettings("dev").config[ENVIRONMENT_KEY];

  beforeAll(async () => {
    rt = await offlineRuntime({ preview: false });
  });

  it("returns exactly the schema's outputs, the contract in the clear and the kubeconfigs secret", async () => {
    let state: Record<string, unknown> = {};
    let urn: pulumi.Output<string> | undefined;
    await rt.run(async () => {
      // Inputs as the engine hands them over from a C#, Python, Go or YAML program: plain data.
      const r = await provider.construct("dev", "kubeplat:index:Platform", { environment: dev }, {});
      state = r.state as Record<string, unknown>;
      urn = r.urn as pulumi.Output<string>;
      return {};
    });
    expect(Object.keys(state).sort()).toEqual(Object.keys(resource("Platform").properties ?? {}).sort());
    expect(await resolveOutput(urn as pulumi.Output<string>)).toMatch(/::dev$/);
    const contract = await resolveOutput(state.outputs as pulumi.Output<Record<string, unknown>>);
    expect(contract).toMatchObject({ contractVersion: "1", environment: "dev", cloud: "alicloud" });
    expect(await pulumi.isSecret(state.outputs as pulumi.Output<unknown>)).toBe(false);
    expect(await pulumi.isSecret(state.kubeconfigs as pulumi.Output<unknown>)).toBe(true);
    const kubeconfigs = await resolveOutput(state.kubeconfigs as pulumi.Output<Record<string, string>>);
    expect(Object.keys(kubeconfigs)).toEqual(["dev"]);
  });

  it("refuses a bad spec from another language with the rule id, path and value, creating nothing", async () => {
    const bad = { ...(dev as Record<string, unknown>), cloud: "gcp" };
    let error: unknown;
    await rt.run(async () => {
      try {
        await provider.construct("bad", "kubeplat:index:Platform", { environment: bad }, {});
      } catch (e) {
        error = e;
      }
      return {};
    });
    expect((error as Error).message).toMatch(/spec\/schema at cloud \(bad\): .*"gcp"/);
    expect(rt.resources.filter((r) => r.name.startsWith("bad")).map((r) => r.urn)).toEqual([]);
  });
});
