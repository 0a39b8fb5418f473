/** Assertions shared by the test files (vitest's expect). */
import { expect } from "vitest";
import type { ApiServer } from "./apiserver";
import type { PlatformStack } from "./index";
import { type KubeObject, objectPath } from "./kube";
import type { RunResult } from "./runner";

export interface StateResource {
  urn: string;
  type: string;
  custom?: boolean;
  external?: boolean;
  protect?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  dependencies?: string[];
  /** The provider reference, `<provider urn>::<provider id>`, when not the default provider. */
  provider?: string;
}

export interface Deployment {
  deployment: { resources?: StateResource[] };
}

/** The tail of what a failed operation said, for assertion messages. */
export const explain = (r: RunResult) =>
  `${r.error ?? ""}\n${r.stderr}\n${r.stdout}\n${r.diagnostics.join("\n")}`.slice(-8000);

export async function stackState(stack: PlatformStack): Promise<StateResource[]> {
  const r = await stack.run("export");
  expect(r.ok, explain(r)).toBe(true);
  return (r.state as Deployment).deployment.resources ?? [];
}

/**
 * Every Kubernetes object in the state is in the API server as the program declared it: labels,
 * and spec/rules/roleRef/subjects/provisioner/parameters as declared (the server may add defaults).
 */
export async function expectDeclaredObjects(
  api: ApiServer["api"],
  resources: StateResource[],
): Promise<number> {
  const kube = resources.filter(
    (r) =>
      r.custom &&
      !r.external &&
      r.type.startsWith("kubernetes:") &&
      r.type !== "kubernetes:helm.sh/v3:Release",
  );
  for (const r of kube) {
    const meta = (r.outputs?.metadata ?? {}) as { name: string; namespace?: string };
    const obj = await api<KubeObject>("GET", objectPath(r.type, meta.name, meta.namespace));
    expect(obj, `${r.urn} is not in the API server`).not.toBeNull();
    const declared = (r.inputs ?? {}) as Record<string, unknown> & { metadata?: KubeObject["metadata"] };
    expect(obj?.metadata.labels ?? {}, `${r.urn} labels`).toMatchObject(declared.metadata?.labels ?? {});
    for (const key of [
      "spec",
      "rules",
      "roleRef",
      "subjects",
      "provisioner",
      "parameters",
      "reclaimPolicy",
    ]) {
      if (declared[key] !== undefined)
        expect(obj?.[key], `${r.urn} ${key}`).toMatchObject(declared[key] as object);
    }
  }
  return kube.length;
}

/**
 * A second `up` changes nothing. `read` is not a change: a resource the program looks up with
 * `.get` (the ingress controller's Service, for its load balancer address) is read on every update.
 */
const UNCHANGED = new Set(["same", "read"]);
export function expectNoChanges(up: RunResult) {
  const changed = Object.entries(up.summary ?? {}).filter(([op, n]) => !UNCHANGED.has(op) && n > 0);
  const steps = up.steps
    .filter((s) => !UNCHANGED.has(s.op))
    .map((s) => `${s.op} ${s.urn} ${s.diffs ?? ""}`)
    .join("\n");
  expect(changed, steps).toEqual([]);
}
