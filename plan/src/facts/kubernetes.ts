/**
 * Reading raw Kubernetes objects (`metadata`, `spec`) as the Kubernetes provider's resources
 * carry them, and relating them: a namespaced object to its Namespace, an object to its cluster
 * (the Kubernetes provider it is registered with).
 */

import { obj, str, strMap } from "./known";
import type { RawResource } from "./rawResource";
import { T } from "./resourceTypes";
import type { StackIndex } from "./stack";

export interface Meta {
  /** metadata.name; undefined when unknown or left to auto-naming. */
  name?: string;
  namespace?: string;
  /** Labels; undefined when the whole map is unknown. A known-absent map is {}. */
  labels?: Record<string, string | undefined>;
  annotations?: Record<string, string | undefined>;
}

export function meta(r: RawResource): Meta {
  const m = obj(r.props.metadata);
  if (m === undefined) {
    // No metadata at all is known-empty only when the props are known to lack it.
    return "metadata" in r.props ? {} : { labels: {}, annotations: {} };
  }
  return {
    name: str(m.name),
    namespace: str(m.namespace),
    labels: "labels" in m ? strMap(m.labels) : {},
    annotations: "annotations" in m ? strMap(m.annotations) : {},
  };
}

/** metadata.name alone: `meta(r).name` without copying the labels and annotations. */
export function metaName(r: RawResource): string | undefined {
  return str(obj(r.props.metadata)?.name);
}

/** The cluster a Kubernetes object lives in: its provider's URN ("" for the default provider). */
export function clusterKey(r: RawResource): string {
  return r.provider ?? "";
}

/** The cluster's display name: the provider's logical name, or "default provider". */
export function clusterName(r: RawResource): string | undefined {
  if (!r.provider) return undefined;
  const parts = r.provider.split("::");
  return parts[parts.length - 1];
}

/** The Namespace resource of the stack a namespaced object lives in, if it is one of the stack. */
export function namespaceOf(
  index: StackIndex,
  r: RawResource,
  byName: Map<string, RawResource[]>,
): RawResource | "unknown" | undefined {
  const deps = r.propertyDependencies.metadata;
  if (deps !== undefined) {
    for (let i = 0; i < deps.length; i++) {
      const x = index.byUrn.get(deps[i] as string);
      if (x?.type === T.namespace) return x;
    }
  }
  const m = obj(r.props.metadata);
  if (m && "namespace" in m && m.namespace === undefined) return "unknown";
  const ns = str(m?.namespace) ?? "default";
  return (byName.get(ns) ?? []).find((n) => clusterKey(n) === clusterKey(r));
}

/** The stack's Namespaces by metadata.name. */
export function namespacesByName(index: StackIndex): Map<string, RawResource[]> {
  const out = new Map<string, RawResource[]>();
  for (const n of index.of([T.namespace])) {
    const name = metaName(n);
    if (name === undefined) continue;
    const list = out.get(name);
    if (list) list.push(n);
    else out.set(name, [n]);
  }
  return out;
}
