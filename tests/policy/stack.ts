/**
 * Hand-written stacks for the policy tests: raw provider properties, as a program using the
 * plain providers (no components of ours) would register them, with the URNs and property
 * dependencies the engine records.
 */
import type { EvaluatedResource } from "../../policy/evaluate";

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export class Stack {
  readonly resources: EvaluatedResource[] = [];

  constructor(readonly stack = "dev") {}

  urn(type: string, name: string): string {
    return `urn:pulumi:${this.stack}::handwritten::${type}::${name}`;
  }

  /** Add a resource; `deps` maps a property to the resources its value came from. */
  add(
    type: string,
    name: string,
    props: Record<string, unknown>,
    deps: Record<string, EvaluatedResource[]> = {},
    extra: Partial<EvaluatedResource> = {},
  ): EvaluatedResource {
    const propertyDependencies: Record<string, string[]> = {};
    for (const [k, rs] of Object.entries(deps)) propertyDependencies[k] = rs.map((r) => r.urn as string);
    const r: EvaluatedResource = {
      type,
      name,
      urn: this.urn(type, name),
      props,
      propertyDependencies,
      dependencies: Object.values(propertyDependencies).flat(),
      ...extra,
    };
    this.resources.push(r);
    return r;
  }
}
