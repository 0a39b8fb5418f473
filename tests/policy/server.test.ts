/**
 * What the offline evaluator reports is what CrossGuard reports: the same stacks go through
 * @pulumi/policy's own analyzer RPC handlers (node_modules/@pulumi/policy/server.js, the code
 * `pulumi preview --policy-pack` talks to over gRPC), fed protobuf requests as the engine sends
 * them, and the diagnostics must equal evaluateViolations'.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Policies } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { type EvaluatedResource, evaluateViolations } from "../../policy/evaluate";
import { policies } from "../../policy/policies";
import { Stack, T, UNKNOWN } from "./stack";

const require = createRequire(join(process.cwd(), "package.json"));

interface Message {
  [k: string]: unknown;
}
type Rpc = (call: { request: unknown }, callback: (err: unknown, res?: Message) => void) => Promise<void>;
const server = require("@pulumi/policy/server") as {
  makeAnalyzeRpcFun(name: string, version: string, level: string, policies: Policies): Rpc;
  makeAnalyzeStackRpcFun(name: string, version: string, level: string, policies: Policies): Rpc;
};
// biome-ignore lint/suspicious/noExplicitAny: generated protobuf classes
const pb = require("@pulumi/pulumi/proto/analyzer_pb") as any;
// biome-ignore lint/suspicious/noExplicitAny: generated protobuf classes
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as any;

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

function options(r: EvaluatedResource) {
  return new pb.AnalyzerResourceOptions().setProtect(r.protect ?? false);
}

function provider(r: EvaluatedResource) {
  if (!r.provider) return undefined;
  const parts = r.provider.split("::");
  return new pb.AnalyzerProviderResource()
    .setType(parts[2])
    .setUrn(r.provider)
    .setName(parts[3])
    .setProperties(Struct.fromJavaScript({}));
}

function call(rpc: Rpc, request: unknown): Promise<Message> {
  return new Promise((resolve, reject) => {
    void rpc({ request }, (err, res) => (err ? reject(err) : resolve(res as Message)));
  });
}

type Seen = { policy: string; level: string; urn?: string; message: string };

function seen(res: Message, fallbackUrn?: string): Seen[] {
  // biome-ignore lint/suspicious/noExplicitAny: generated protobuf classes
  return (res as any).getDiagnosticsList().map((d: any) => {
    const policy = d.getPolicyname();
    const description = policies.find((p) => p.name === policy)?.description ?? "";
    const message: string = d.getMessage();
    return {
      policy,
      level: LEVELS[d.getEnforcementlevel()] as string,
      urn: d.getUrn() || fallbackUrn,
      // The engine's message is the policy's description, a newline, then the reported message.
      message: message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message,
    };
  });
}

/** Every diagnostic @pulumi/policy's analyzer reports for the stack: resource by resource, then the stack. */
async function crossGuard(s: Stack): Promise<Seen[]> {
  const analyze = server.makeAnalyzeRpcFun("platform", "0.1.0", "advisory", policies);
  const analyzeStack = server.makeAnalyzeStackRpcFun("platform", "0.1.0", "advisory", policies);
  const out: Seen[] = [];
  for (const r of s.resources) {
    const req = new pb.AnalyzeRequest()
      .setType(r.type)
      .setProperties(Struct.fromJavaScript(r.props))
      .setUrn(r.urn)
      .setName(r.name)
      .setOptions(options(r));
    const p = provider(r);
    if (p) req.setProvider(p);
    out.push(...seen(await call(analyze, req), r.urn));
  }
  const resources = s.resources.map((r) => {
    const ar = new pb.AnalyzerResource()
      .setType(r.type)
      .setProperties(Struct.fromJavaScript(r.props))
      .setUrn(r.urn)
      .setName(r.name)
      .setOptions(options(r))
      .setDependenciesList(r.dependencies ?? []);
    const p = provider(r);
    if (p) ar.setProvider(p);
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
      ar.getPropertydependenciesMap().set(k, new pb.AnalyzerPropertyDependencies().setUrnsList(urns));
    }
    return ar;
  });
  out.push(...seen(await call(analyzeStack, new pb.AnalyzeStackRequest().setResourcesList(resources))));
  return out;
}

const sort = (xs: Seen[]) =>
  [...xs].sort((a, b) => `${a.policy}${a.urn}${a.message}`.localeCompare(`${b.policy}${b.urn}${b.message}`));

/** A production stack breaking many rules, references unknown as in a preview. */
function preview(): Stack {
  const s = new Stack("prod");
  const vpc = s.vpc("main", "10.0.0.0/16");
  const a = s.vswitch("node-a", "10.0.0.0/20", "cn-hangzhou-i", vpc);
  const b = s.vswitch("node-b", "10.0.16.0/20", "cn-hangzhou-j", vpc);
  s.vswitch("dup", "10.0.8.0/24", "cn-hangzhou-i", vpc);
  s.vswitch("stray", "10.9.0.0/24", "cn-hangzhou-i", vpc);
  s.vswitch("later", UNKNOWN, "cn-hangzhou-i", vpc);
  const c = s.ack(
    "prod",
    {
      podCidr: "10.0.128.0/17",
      serviceCidr: "172.21.0.0/20",
      addons: [{ name: "flannel" }],
      clusterSpec: "ack.standard",
    },
    [a, b],
  );
  s.pool("big", c, { desiredSize: "120", imageType: "AliyunLinux3", password: "weak" }, [a, b]);
  s.pool("later", c, { desiredSize: UNKNOWN, keyName: "ops" }, [a]);
  const k8s = "urn:pulumi:prod::handwritten::pulumi:providers:kubernetes::prod-k8s";
  s.namespace("team", { "cpaas.io/project": "alpha" }, { provider: k8s });
  s.add(
    T.crb,
    "admins",
    { roleRef: { kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "User", name: "alice" }] },
    {},
    { provider: k8s },
  );
  s.add(
    T.service,
    "web",
    { metadata: { name: "web", namespace: "shop" }, spec: { type: "LoadBalancer" } },
    {},
    { provider: k8s },
  );
  return s;
}

describe("the evaluator against @pulumi/policy's analyzer", () => {
  it("reports exactly what the analyzer reports, policy by policy, URN by URN", async () => {
    const s = preview();
    const real = await crossGuard(s);
    const offline = evaluateViolations(s.resources, { stackName: "prod" }).map((v) => ({ ...v }));
    expect(real.length).toBeGreaterThan(15);
    expect(sort(offline)).toEqual(sort(real));
  });

  it("the analyzer never says it could not run a policy during preview (no UnknownValueError escapes)", async () => {
    const real = await crossGuard(preview());
    expect(real.filter((d) => d.message.includes("can't run policy"))).toEqual([]);
  });
});
