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

  of(types: readonly string[]): RawResource[] {
    if (types.length === 1) return this.byType.get(types[0] as string) ?? [];
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  /**
   * The resources of `types` that `r`'s property `prop` refers to: its property dependencies
   * of those types, else known ids that match. `external` holds the literal ids that match no
   * resource of the stack; `unknown` is true when some referenced value is unknown and no
   * dependency explains it.
   */
  refs(
    r: RawResource,
    prop: string,
    types: readonly string[],
    value: unknown = r.props[prop],
  ): { resources: RawResource[]; external: string[]; unknown: boolean } {
    const wanted = new Set(types);
    const viaDeps = (r.propertyDependencies[prop] ?? [])
      .map((u) => this.byUrn.get(u))
      .filter((x): x is RawResource => x !== undefined && wanted.has(x.type));
    const values = Array.isArray(value) ? value : value === undefined ? [undefined] : [value];
    const resources: RawResource[] = [...viaDeps];
    const external: string[] = [];
    let unknown = false;
    for (const v of values) {
      if (typeof v !== "string") {
        if (viaDeps.length === 0) unknown = true;
        continue;
      }
      const hit = this.byId.get(v);
      if (hit && wanted.has(hit.type)) {
        if (!resources.includes(hit)) resources.push(hit);
      } else if (viaDeps.length === 0) {
        external.push(v);
      }
    }
    return { resources, external, unknown: value === undefined && viaDeps.length === 0 ? true : unknown };
  }

  /** The one resource (or external id) `prop` refers to; undefined when unknown. */
  ref(
    r: RawResource,
    prop: string,
    types: readonly string[],
    value?: unknown,
  ): RawResource | string | undefined {
    const { resources, external } = this.refs(r, prop, types, value ?? r.props[prop]);
    return resources[0] ?? external[0];
  }
}
