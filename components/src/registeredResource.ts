/**
 * A component's provider properties as the facts decoders of @kubeplat/plan/facts see a
 * registered resource: the component validates the facts decoded from the properties it is
 * about to register — the same decoders the policy pack runs on the resource — instead of
 * building the facts a second way from its arguments.
 *
 * As the engine sends them during a preview: a property left undefined is absent, and a value
 * not known yet (an Output, a Promise, another resource) is an unknown, `undefined` under a
 * present key.
 */
import { Labels, type RawResource, type RuleContext, SettingsSchema } from "@kubeplat/plan/facts";
import * as pulumi from "@pulumi/pulumi";

function plain(v: unknown): unknown {
  if (pulumi.Output.isInstance(v) || pulumi.Resource.isInstance(v) || v instanceof Promise) return undefined;
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = plain(x);
    return out;
  }
  return v;
}

/** The resource `type` named `name` with these properties, as a decoder reads it. */
export function registeredResource(type: string, name: string, props: object): RawResource {
  return {
    type,
    name,
    urn: name,
    props: plain(props) as Record<string, unknown>,
    dependencies: [],
    propertyDependencies: {},
  };
}

/** What a decoder knows besides the resource, for a component: production or not, default settings. */
export function componentContext(production: boolean): { ctx: RuleContext; labels: Labels } {
  return { ctx: { stack: undefined, production, settings: SettingsSchema.parse({}) }, labels: new Labels() };
}
