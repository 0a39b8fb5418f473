/**
 * The nginx controllers of a cluster share the `ingress-nginx` namespace: the first creates it as
 * a Namespace resource (so `pulumi destroy` removes it; Helm's createNamespace never deletes what
 * it created, which the e2e suite found), every later one finds it.
 */
import { ingressArgs, PLACEHOLDER_REFS } from "@kubeplat/components/internal/platform/platformArgs";
import { checkEnvironment, type Environment, parseEnvironment } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";
import { ENVIRONMENT_KEY, readStackSettings } from "../../../stacks/offline/stackConfig";

type Spec = Record<string, unknown> & { clusters: Record<string, unknown>[] };

function parsed(spec: unknown): Environment {
  const r = parseEnvironment(spec);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.env;
}

describe("ingress-nginx namespace ownership", () => {
  it("the first nginx controller of a cluster creates the namespace, later ones find it", () => {
    const spec = structuredClone(readStackSettings("dev").config[ENVIRONMENT_KEY]) as Spec;
    const cluster = spec.clusters[0] as { ingress: Record<string, unknown>[] };
    cluster.ingress = [
      { name: "public", kind: "nginx", addressType: "internet" },
      { name: "internal", kind: "nginx", addressType: "intranet" },
    ];
    const env = parsed(spec);
    const plan = checkEnvironment(env).plan;
    const args = ingressArgs(env, plan, env.clusters[0] as Environment["clusters"][number], PLACEHOLDER_REFS);
    expect(args.map(([ing, a]) => [ing.name, a.namespaceExists])).toEqual([
      ["public", false],
      ["internal", true],
    ]);
  });
});
