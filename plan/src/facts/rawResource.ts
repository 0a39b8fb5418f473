/**
 * A resource as the facts decoders see it: its type token, names, known properties and its links
 * to other resources. The policy pack builds these from what CrossGuard shows it, the offline
 * preview from what the mock runtime recorded, and a component from the provider properties it is
 * about to register; the decoders turn them into the facts the rules judge.
 */
import type { Settings } from "./settings";

/** A resource as the mappers see it: plain known props and its links to other resources (URNs). */
export interface RawResource {
  type: string;
  name: string;
  urn: string;
  /** Known properties; an unknown value is undefined. */
  props: Record<string, unknown>;
  /** The resource's options (protect, ...), when the engine gives them. */
  protect?: boolean;
  parent?: string;
  /** URN of the resource's provider (a Kubernetes provider stands for one cluster). */
  provider?: string;
  dependencies: string[];
  /** Input property → URNs of the resources its value came from. */
  propertyDependencies: Record<string, string[]>;
}

/** What a decoder knows besides the resources: the stack, whether it is production, the settings. */
export interface RuleContext {
  stack: string | undefined;
  production: boolean;
  settings: Settings;
}

/**
 * Labels for the `resource` field of facts: the logical name where it is unique among the
 * resources mapped, the URN otherwise; each label maps back to the URN it stands for.
 */
export class Labels {
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

export interface Mapped<F> {
  facts: F;
  labels: Labels;
}
