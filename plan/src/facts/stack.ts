/**
 * An index over a stack's raw resources, and the one way mappers follow a reference from one
 * resource to another (a vSwitch's `vpcId`, a node pool's `clusterId`).
 *
 * During a preview the id of a resource being created is unknown, so a reference is followed
 * through the engine's property dependencies first (`propertyDependencies.vpcId` holds the
 * VPC's URN whether or not its id is known yet), then through known ids. A reference to a
 * resource outside the stack (an adopted VPC) stays as its literal id.
 */
import type { RawResource } from "./rawResource";

const NO_URNS: readonly string[] = [];

const indexes = new WeakMap<readonly RawResource[], StackIndex>();

export class StackIndex {
  /** The index of a resources array, built once per array. */
  static of(resources: readonly RawResource[]): StackIndex {
    let index = indexes.get(resources);
    if (!index) {
      index = new StackIndex(resources);
      indexes.set(resources, index);
    }
    return index;
  }

  readonly byUrn = new Map<string, RawResource>();
  private readonly byType = new Map<string, RawResource[]>();
  private readonly byId = new Map<string, RawResource>();

  constructor(readonly resources: readonly RawResource[]) {
    for (const r of resources) {
      this.byUrn.set(r.urn, r);
      const list = this.byType.get(r.type);
      if (list) list.push(r);
      else this.byType.set(r.type, [r]);
      const id = r.props.id;
      if (typeof id === "string" && id !== "") this.byId.set(id, r);
    }
  }

  /** The type tokens of the stack's resources, each once. */
  types(): IterableIterator<string> {
    return this.byType.keys();
  }

  of(types: readonly string[]): RawResource[] {
    if (types.length === 1) return this.byType.get(types[0] as string) ?? [];
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  /**
   * The resources of `types` that `r`'s property `prop` refers to: its property dependencies
   * of those types, and known ids that match. Unknown or literal, a reference is never lost:
   *
   * - an unknown value is a resource the stack creates, so it is one of the dependencies;
   * - a literal id that matches a resource of the stack is that resource;
   * - any other literal is the id of a dependency whose id the engine does not show (an update),
   *   as long as such dependencies are left over, and otherwise `external`: a resource outside
   *   the stack (an adopted vSwitch), even when the same property also refers to created ones.
   *
   * `unknown` is true when more values are unknown than the dependencies explain.
   */
  refs(
    r: RawResource,
    prop: string,
    types: readonly string[],
    value: unknown = r.props[prop],
  ): { resources: RawResource[]; external: string[]; unknown: boolean } {
    // Called for every reference of every resource a mapper follows: one pass over the
    // dependencies and one over the values, no sets (the type lists have one to four entries).
    const viaDeps: RawResource[] = [];
    for (const u of r.propertyDependencies[prop] ?? NO_URNS) {
      const x = this.byUrn.get(u);
      if (x !== undefined && types.includes(x.type)) viaDeps.push(x);
    }
    const resources: RawResource[] = viaDeps.slice();
    const literals: string[] = [];
    let matched: RawResource[] | undefined;
    let unknownValues = 0;
    const many = Array.isArray(value);
    const count = many ? value.length : 1;
    for (let i = 0; i < count; i++) {
      const v: unknown = many ? value[i] : value;
      if (typeof v !== "string") {
        unknownValues++;
        continue;
      }
      const hit = this.byId.get(v);
      if (hit && types.includes(hit.type)) {
        if (matched === undefined) matched = [hit];
        else matched.push(hit);
        if (!resources.includes(hit)) resources.push(hit);
      } else {
        literals.push(v);
      }
    }
    // Dependencies no known id accounts for: those with a known id can only stand for an unknown
    // value (their literal id would have matched); those without can stand for either.
    let free = 0;
    let idless = 0;
    for (const d of viaDeps) {
      if (matched?.includes(d)) continue;
      free++;
      if (typeof d.props.id !== "string" || d.props.id === "") idless++;
    }
    const onKnown = Math.min(unknownValues, free - idless);
    const onIdless = Math.min(unknownValues - onKnown, idless);
    const literalsAsDeps = Math.min(literals.length, idless - onIdless);
    return {
      resources,
      external: literals.slice(literalsAsDeps),
      unknown: unknownValues > onKnown + onIdless,
    };
  }

  /** The one resource (or external id) `prop` refers to; undefined when unknown. */
  ref(
    r: RawResource,
    prop: string,
    types: readonly string[],
    value?: unknown,
  ): RawResource | string | undefined {
    // refs() lists the property dependencies of those types first: the first of them is the
    // answer, found without building the lists (a vSwitch's vpcId, a node pool's clusterId).
    const deps = r.propertyDependencies[prop];
    if (deps !== undefined) {
      for (let i = 0; i < deps.length; i++) {
        const x = this.byUrn.get(deps[i] as string);
        if (x !== undefined && types.includes(x.type)) return x;
      }
    }
    const { resources, external } = this.refs(r, prop, types, value ?? r.props[prop]);
    return resources[0] ?? external[0];
  }
}
