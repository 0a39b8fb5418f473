/**
 * StackIndex.refs: a reference is never lost, whether its value is unknown (a resource being
 * created), a literal id of a resource of the stack, or a literal id of a resource outside it.
 */

import { StackIndex } from "@kubeplat/plan/facts";
import { describe, expect, it } from "vitest";
import type { RawResource } from "../../policy/define";

const VSW = "alicloud:vpc/switch:Switch";
const ACK = "alicloud:cs/managedKubernetes:ManagedKubernetes";

function res(
  name: string,
  type: string,
  props: Record<string, unknown>,
  deps: Record<string, RawResource[]> = {},
) {
  const propertyDependencies = Object.fromEntries(
    Object.entries(deps).map(([k, rs]) => [k, rs.map((r) => r.urn)]),
  );
  return {
    type,
    name,
    urn: `urn:pulumi:s::p::${type}::${name}`,
    props,
    dependencies: Object.values(propertyDependencies).flat(),
    propertyDependencies,
  } satisfies RawResource;
}

function refsOf(values: unknown[], deps: RawResource[], all: RawResource[]) {
  const c = res("c", ACK, { vswitchIds: values }, { vswitchIds: deps });
  return StackIndex.of([...all, c]).refs(c, "vswitchIds", [VSW]);
}

describe("StackIndex.refs", () => {
  it("ids known (the mock runtime): a created vSwitch and an adopted literal id", () => {
    const a = res("a", VSW, { id: "a-id" });
    const r = refsOf(["a-id", "vsw-adopted"], [a], [a]);
    expect(r.resources.map((x) => x.name)).toEqual(["a"]);
    expect(r.external).toEqual(["vsw-adopted"]);
    expect(r.unknown).toBe(false);
  });

  it("a create preview (ids unknown): the adopted literal is external, the unknown value is the dependency", () => {
    const a = res("a", VSW, {});
    const r = refsOf([undefined, "vsw-adopted"], [a], [a]);
    expect(r.resources.map((x) => x.name)).toEqual(["a"]);
    expect(r.external).toEqual(["vsw-adopted"]);
    expect(r.unknown).toBe(false);
  });

  it("an update (ids known to the engine, not shown in props): literals of dependencies are theirs", () => {
    const a = res("a", VSW, {});
    const b = res("b", VSW, {});
    const r = refsOf(["vsw-a", "vsw-b"], [a, b], [a, b]);
    expect(r.resources.map((x) => x.name)).toEqual(["a", "b"]);
    expect(r.external).toEqual([]);
  });

  it("an update with one adopted id: more literals than dependencies leaves one external", () => {
    const a = res("a", VSW, {});
    const r = refsOf(["vsw-a", "vsw-adopted"], [a], [a]);
    expect(r.external).toHaveLength(1);
  });

  it("an unknown value that no dependency explains is unknown", () => {
    const r = refsOf([undefined], [], []);
    expect(r).toEqual({ resources: [], external: [], unknown: true });
  });
});
