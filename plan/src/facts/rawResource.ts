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
  // A resource policy labels one resource: its label is kept in `first` and the maps are made
  // for the second (bench:policy makes a Labels per resource and policy).
  private first: { urn: string; label: string } | undefined;
  private toUrn: Map<string, string> | undefined;
  private byUrn: Map<string, string> | undefined;

  of(r: Pick<RawResource, "name" | "urn">): string {
    const first = this.first;
    if (first === undefined) {
      // Nothing labelled yet: the name is free.
      this.first = { urn: r.urn, label: r.name };
      return r.name;
    }
    if (first.urn === r.urn) return first.label;
    if (this.toUrn === undefined || this.byUrn === undefined) {
      this.toUrn = new Map([[first.label, first.urn]]);
      this.byUrn = new Map([[first.urn, first.label]]);
    }
    const hit = this.byUrn.get(r.urn);
    if (hit !== undefined) return hit;
    const taken = this.toUrn.get(r.name);
    const label = taken === undefined || taken === r.urn ? r.name : r.urn;
    this.toUrn.set(label, r.urn);
    this.byUrn.set(r.urn, label);
    return label;
  }

  urn(label: string): string | undefined {
    if (this.toUrn !== undefined) return this.toUrn.get(label);
    return this.first?.label === label ? this.first.urn : undefined;
  }
}

export interface Mapped<F> {
  facts: F;
  labels: Labels;
}
