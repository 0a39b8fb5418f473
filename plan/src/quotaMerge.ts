/**
 * Merging the ResourceQuotas of an imported namespace into the one `default` ResourceQuota the
 * platform keeps per namespace (rule quota/single-default).
 *
 * The platform "selects the minimum of every quota item across all ResourceQuotas and creates a
 * single ResourceQuota named default" (Alauda Container Platform docs: Projects: roles and permissions); the documented example (Alauda Container Platform docs: FAQ: why a namespace must not hold several ResourceQuotas when it is imported–
 * 17846): a = {requests.cpu 1, requests.memory 500Mi, limits.cpu 3, limits.memory 1Gi} and
 * b = {2, 300Mi, 2, 2Gi} give {1, 300Mi, 2, 1Gi}.
 *
 * An item present in only some of the quotas is kept, with the minimum over the quotas that
 * have it. The docs give the reason (Alauda Container Platform docs: FAQ: why a namespace must not hold several ResourceQuotas when it is imported): Kubernetes enforces every ResourceQuota of a
 * namespace independently, so before the merge that item was already binding; dropping it would
 * loosen the namespace's limits on import. (The documented example only has items common to both.)
 *
 * The merge is the item-wise minimum, so it is idempotent, commutative and associative, and
 * every merged item is ≤ that item in each input.
 */
import {
  compareQuantities,
  formatQuantity,
  type Quantity,
  QuantityError,
  tryParseQuantity,
} from "./quantity";

/** The name of the single ResourceQuota (and LimitRange) of a namespace (Alauda Container Platform docs: Projects: roles and permissions; FAQ: why a namespace must not hold several ResourceQuotas when it is imported). */
export const DEFAULT_QUOTA_NAME = "default";

/**
 * Merge the `spec.hard` maps of several ResourceQuotas: each item gets the minimum of its values,
 * written in canonical Kubernetes form ("1", "300Mi", "1Gi"). Items with equal values but
 * different spellings ("1" and "1000m", "1Gi" and "1073741824") resolve to one canonical text
 * independent of the input order. Throws a QuantityError naming the item and the text on a value
 * that is not a Kubernetes quantity. No quotas give `{}`.
 */
export function mergeResourceQuotas(quotas: readonly Record<string, string>[]): Record<string, string> {
  const best = new Map<string, { value: Quantity; text: string }>();
  for (const quota of quotas) {
    for (const [item, raw] of Object.entries(quota)) {
      const value = parsed(item, raw);
      const text = formatQuantity(value);
      const current = best.get(item);
      if (current === undefined) {
        best.set(item, { value, text });
        continue;
      }
      const c = compareQuantities(value, current.value);
      if (c < 0 || (c === 0 && text < current.text)) best.set(item, { value, text });
    }
  }
  const out: Record<string, string> = {};
  for (const item of [...best.keys()].sort()) out[item] = (best.get(item) as { text: string }).text;
  return out;
}

function parsed(item: string, raw: string): Quantity {
  const r = tryParseQuantity(raw);
  if (!r.ok) throw new QuantityError(raw, r.reason, `quota item ${JSON.stringify(item)}`);
  return r.quantity;
}
