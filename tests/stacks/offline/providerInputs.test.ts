/**
 * What the shipped environments send to the real providers, checked against what the providers
 * accept as input. The mock runtime accepts any property; a real `pulumi up` refuses one the
 * provider computes ("Value for unconfigurable attribute", pulumi/pulumi-aws issue 4558 for
 * `vpcConfig.vpcId` of an EKS cluster).
 *
 * Two sources of output-only properties:
 * - top level, from the installed SDK: a property of a resource's `<Name>State` interface that is
 *   not in its `<Name>Args` is computed by the provider;
 * - nested, from the provider docs, because a bridged provider's `.d.ts` lists a nested block's
 *   computed fields as optional inputs (pulumi/pulumi-terraform-bridge issue 2178), so the SDK
 *   cannot tell them apart.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { previewEnvironment } from "../../../stacks/offline/preview";

/** Nested output-only properties per resource type, with the document that says so. */
const NESTED_OUTPUT_ONLY: Record<string, { paths: string[]; source: string }> = {
  "aws:eks/cluster:Cluster": {
    paths: ["vpcConfig.vpcId", "vpcConfig.clusterSecurityGroupId", "kubernetesNetworkConfig.serviceIpv6Cidr"],
    source:
      "Amazon EKS API Reference: VpcConfigRequest and KubernetesNetworkConfigRequest (vpcId, clusterSecurityGroupId and serviceIpv6Cidr appear only in the responses); pulumi/pulumi-aws issue 4558",
  },
  "aws:eks/nodeGroup:NodeGroup": {
    paths: ["resources", "status", "arn"],
    source: "Pulumi registry: aws.eks.NodeGroup (Outputs)",
  },
};

/** Every Kubernetes object: fields the API server sets (Kubernetes API Conventions: Metadata; Spec and Status). */
const KUBERNETES_OUTPUT_ONLY = [
  "status",
  "metadata.uid",
  "metadata.resourceVersion",
  "metadata.creationTimestamp",
  "metadata.generation",
  "metadata.deletionTimestamp",
  "metadata.selfLink",
  "metadata.managedFields",
];

const stateCache = new Map<string, string[]>();

/** `aws:eks/cluster:Cluster` → the top-level properties of ClusterState missing from ClusterArgs. */
function topLevelOutputOnly(type: string): string[] {
  const cached = stateCache.get(type);
  if (cached) return cached;
  const [pkg, module, name] = type.split(":") as [string, string, string];
  let out: string[] = [];
  if (pkg === "aws" || pkg === "alicloud") {
    const text = readFileSync(join("node_modules/@pulumi", pkg, `${module}.d.ts`), "utf8");
    const keys = (iface: string) => {
      const m = new RegExp(`export interface ${iface} \\{([\\s\\S]*?)\\n\\}`).exec(text);
      if (!m) throw new Error(`no interface ${iface} in @pulumi/${pkg}/${module}.d.ts`);
      return new Set([...(m[1] as string).matchAll(/^ {4}(\w+)\??:/gm)].map((x) => x[1] as string));
    };
    const args = keys(`${name}Args`);
    out = [...keys(`${name}State`)].filter((k) => !args.has(k));
  }
  stateCache.set(type, out);
  return out;
}

/** Whether `path` (dots; arrays are searched element-wise) is set in `value`. */
function isSet(value: unknown, path: string[]): boolean {
  if (path.length === 0) return value !== undefined && value !== null;
  if (Array.isArray(value)) return value.some((v) => isSet(v, path));
  if (value === null || typeof value !== "object") return false;
  const [head, ...rest] = path as [string, ...string[]];
  return isSet((value as Record<string, unknown>)[head], rest);
}

function outputOnlyOf(type: string): string[] {
  if (type.startsWith("kubernetes:") && !type.startsWith("kubernetes:helm.sh/"))
    return KUBERNETES_OUTPUT_ONLY;
  return [...topLevelOutputOnly(type), ...(NESTED_OUTPUT_ONLY[type]?.paths ?? [])];
}

describe("the shipped environments set no output-only provider property", () => {
  it.each(["dev", "staging", "prod", "aws-dev"])(
    "%s",
    async (env) => {
      const r = await previewEnvironment(env);
      expect(r.resources.length).toBeGreaterThan(0);
      const found: string[] = [];
      for (const res of r.resources) {
        if (!res.custom) continue;
        for (const path of outputOnlyOf(res.type)) {
          if (isSet(res.inputs, path.split("."))) found.push(`${res.type} ${res.name}: ${path}`);
        }
      }
      expect(found).toEqual([]);
    },
    120_000,
  );

  it("reads the output-only properties from the installed SDK", () => {
    expect(topLevelOutputOnly("aws:eks/cluster:Cluster")).toEqual(
      expect.arrayContaining(["arn", "endpoint", "identities", "certificateAuthority"]),
    );
    expect(topLevelOutputOnly("alicloud:cs/managedKubernetes:ManagedKubernetes")).toContain("vpcId");
    expect(isSet({ vpcConfig: { vpcId: "vpc-1" } }, ["vpcConfig", "vpcId"])).toBe(true);
    expect(isSet({ a: [{ b: 1 }, {}] }, ["a", "b"])).toBe(true);
  });
});
