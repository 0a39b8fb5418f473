/**
 * StackIndex.refs and Labels were rewritten for bench:policy (no sets per call; a Labels makes
 * its maps on the second resource), and StackIndex.ref answers from the first property
 * dependency of a wanted type without building refs' lists. The implementations they replaced
 * are kept here, word for word, as the reference: on random stacks (ids known, empty or
 * absent; property dependencies of the wanted type or another; values unknown, literal,
 * matching or not, single or lists) both answer the same.
 */

import { Labels, StackIndex } from "@kubeplat/plan/facts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RawResource } from "../../policy/define";

/** StackIndex.refs as it was: sets of wanted types and matched resources. */
function refsBefore(
  index: StackIndex,
  byId: Map<string, RawResource>,
  r: RawResource,
  prop: string,
  types: readonly string[],
  value: unknown = r.props[prop],
): { resources: RawResource[]; external: string[]; unknown: boolean } {
  const wanted = new Set(types);
  const viaDeps = (r.propertyDependencies[prop] ?? [])
    .map((u) => index.byUrn.get(u))
    .filter((x): x is RawResource => x !== undefined && wanted.has(x.type));
  const values = Array.isArray(value) ? value : value === undefined ? [undefined] : [value];
  const resources: RawResource[] = [...viaDeps];
  const literals: string[] = [];
  const matched = new Set<RawResource>();
  let unknownValues = 0;
  for (const v of values) {
    if (typeof v !== "string") {
      unknownValues++;
      continue;
    }
    const hit = byId.get(v);
    if (hit && wanted.has(hit.type)) {
      matched.add(hit);
      if (!resources.includes(hit)) resources.push(hit);
    } else {
      literals.push(v);
    }
  }
  const free = viaDeps.filter((d) => !matched.has(d));
  const idless = free.filter((d) => typeof d.props.id !== "string" || d.props.id === "").length;
  const onKnown = Math.min(unknownValues, free.length - idless);
  const onIdless = Math.min(unknownValues - onKnown, idless);
  const literalsAsDeps = Math.min(literals.length, idless - onIdless);
  return {
    resources,
    external: literals.slice(literalsAsDeps),
    unknown: unknownValues > onKnown + onIdless,
  };
}

/** Labels as it was: two maps from the start. */
class LabelsBefore {
  private readonly toUrn = new Map<string, string>();
  private readonly byUrn = new Map<string, string>();
  of(r: Pick<RawResource, "name" | "urn">): string {
    const hit = this.byUrn.get(r.urn);
    if (hit !== undefined) return hit;
    const taken = this.toUrn.get(r.name);
    const label = taken === undefined || taken === r.urn ? r.name : r.urn;
    this.toUrn.set(label, r.urn);
    this.byUrn.set(r.urn, label);
    return label;
  }
  urn(label: string): string | undefined {
    return this.toUrn.get(label);
  }
}

const TYPES = ["t:a", "t:b", "t:c"];
const IDS = ["i0", "i1", "i2", "i3", "i4", ""];

const stackArb = fc
  .array(
    fc.record({
      type: fc.constantFrom(...TYPES),
      name: fc.constantFrom("n0", "n1", "n2", "n3"),
      id: fc.option(fc.constantFrom(...IDS), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .chain((specs) => {
    const base: RawResource[] = specs.map((s, i) => ({
      type: s.type,
      name: s.name,
      urn: `urn:pulumi:s::p::${s.type}::${s.name}-${i}`,
      props: s.id === undefined ? {} : { id: s.id },
      dependencies: [],
      propertyDependencies: {},
    }));
    const value = fc.oneof(
      fc.constantFrom(...IDS, "ext-1", "ext-2"),
      fc.constant(undefined),
      fc.constant(null),
      fc.array(fc.oneof(fc.constantFrom(...IDS, "ext-1"), fc.constant(undefined)), { maxLength: 4 }),
    );
    return fc.record({
      resources: fc.constant(base),
      deps: fc.array(fc.array(fc.nat(base.length + 1), { maxLength: 4 }), {
        minLength: base.length,
        maxLength: base.length,
      }),
      values: fc.array(value, { minLength: base.length, maxLength: base.length }),
      types: fc.subarray(TYPES, { minLength: 1 }),
    });
  });

describe("StackIndex.refs and Labels answer as before", () => {
  it("refs: the same resources, externals and unknown on random stacks", () => {
    fc.assert(
      fc.property(stackArb, ({ resources, deps, values, types }) => {
        const all = resources.map(
          (r, i): RawResource => ({
            ...r,
            props: { ...r.props, ref: values[i] },
            // An index past the end is a URN outside the stack.
            propertyDependencies: {
              ref: (deps[i] ?? []).map((j) => resources[j]?.urn ?? `urn:pulumi:s::p::t:x::gone-${j}`),
            },
          }),
        );
        const index = StackIndex.of(all);
        const byId = new Map<string, RawResource>();
        for (const r of all) {
          const id = r.props.id;
          if (typeof id === "string" && id !== "") byId.set(id, r);
        }
        for (const r of all) {
          expect(index.refs(r, "ref", types)).toEqual(refsBefore(index, byId, r, "ref", types));
          expect(index.refs(r, "missing", types)).toEqual(refsBefore(index, byId, r, "missing", types));
          // ref() as it was: the first resource of refs, else its first external id.
          const before = refsBefore(index, byId, r, "ref", types);
          expect(index.ref(r, "ref", types)).toBe(before.resources[0] ?? before.external[0]);
          const other = refsBefore(index, byId, r, "ref", types, values[0] ?? r.props.ref);
          expect(index.ref(r, "ref", types, values[0])).toBe(other.resources[0] ?? other.external[0]);
        }
      }),
    );
  });

  it("Labels: the same label for every resource and the same URN for every label", () => {
    const item = fc.record({
      name: fc.constantFrom("a", "b", "c"),
      urn: fc.constantFrom("u1", "u2", "u3", "u4"),
    });
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 12 }),
        fc.array(fc.constantFrom("a", "b", "c", "u1", "u2", "u3", "u4", "x")),
        (items, asked) => {
          const now = new Labels();
          const before = new LabelsBefore();
          for (const r of items) expect(now.of(r)).toBe(before.of(r));
          for (const l of asked) expect(now.urn(l)).toBe(before.urn(l));
        },
      ),
    );
  });
});
