/**
 * Stable child-resource names and shared helpers of the Alibaba Cloud components. A child's
 * logical name is its identity in the state: it derives from the parent's name and a stable
 * key (an allocation key, a zone, a CIDR), never from a position in a list, so adding a zone,
 * a cluster or a rule never renames (replaces) an existing child.
 */

/** `prod/cn-hangzhou-i/node` → `prod-cn-hangzhou-i-node`: an allocation key as a name part. */
export function keyToNamePart(key: string): string {
  return key
    .replace(/[^A-Za-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
}

/** `10.128.0.0/16` → `10-128-0-0-16`. */
export function cidrToNamePart(cidr: string): string {
  return keyToNamePart(cidr.replace(/[:./]/g, "-"));
}

/** Distinct values, in first-seen order. */
export function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
