/**
 * What the in-cluster components know about the cluster's add-ons: the installed list they are
 * told (for `addon/required` before anything is created) and the order they are given (their
 * `dependsOn`, which each passes to the objects that need an add-on; Pulumi does not pass a
 * component's `dependsOn` on to its children).
 */

import type { Diagnostic } from "@kubeplat/plan";
import { type AddonDependentFact, checkAddonRequired } from "@kubeplat/plan";
import type * as pulumi from "@pulumi/pulumi";
import { canonicalJson } from "../nodeimage/imageIdentity";

/**
 * An add-on's configuration: free-form JSON (ACK `config`, EKS `configurationValues`),
 * published to other languages as a map of any.
 */
// biome-ignore lint/suspicious/noExplicitAny: free-form JSON; `unknown` has no component schema type
export type AddonConfig = Record<string, any>;

/** An add-on installed on the cluster. */
export interface InstalledAddonArgs {
  /** Add-on name, e.g. `aws-ebs-csi-driver`, `terway-eniip`, `alb-ingress-controller`. */
  name: string;
  /** Its configuration (e.g. `{NetworkPolicy: "true"}`). Default: none. */
  config?: AddonConfig;
}

/** `addon/required` for a component's dependents; nothing when the installed list is not given. */
export function checkClusterAddons(
  cluster: string,
  installed: InstalledAddonArgs[] | undefined,
  dependents: AddonDependentFact[],
): Diagnostic[] {
  if (installed === undefined) return [];
  return checkAddonRequired({
    clusters: [
      {
        cluster,
        addons: installed.map((a) => ({
          resource: `add-on ${a.name}`,
          name: a.name,
          config: a.config ?? {},
        })),
        dependents,
        addonPath: "clusterAddons",
      },
    ],
  });
}

/** The component's `dependsOn` as a list, to merge with a child's own dependencies. */
export function dependsOnList(
  opts: pulumi.ComponentResourceOptions | undefined,
): pulumi.Input<pulumi.Resource>[] {
  const d = opts?.dependsOn;
  if (d === undefined) return [];
  return Array.isArray(d) ? d : [d as pulumi.Input<pulumi.Resource>];
}

/** An add-on's configuration as the providers take it: JSON text (keys sorted), undefined when empty. */
export function addonConfigJson(config: Record<string, unknown> | undefined): string | undefined {
  if (config === undefined || Object.keys(config).length === 0) return undefined;
  return canonicalJson(config);
}

const addonResources = new WeakMap<object, Record<string, pulumi.CustomResource>>();

/**
 * The add-on resources of an add-ons component (add-on name → resource), for the objects that
 * must wait for them. Kept beside the component rather than as a field: a resource is no output
 * other languages can hold, so the package schema must not see it.
 */
export function addonResourcesOf(component: object): Record<string, pulumi.CustomResource> {
  let r = addonResources.get(component);
  if (!r) {
    r = {};
    addonResources.set(component, r);
  }
  return r;
}
