/**
 * A bounded memo of a pure function by a string key, for answers that are only read: the stacks
 * the pack judges repeat a few values (quota texts, merged quotas) thousands of times. Cleared
 * past `limit` keys, so it never grows with the stack. A `make` that throws is not remembered.
 */
export function boundedMemo<V>(limit: number): (key: string, make: () => V) => V {
  const memo = new Map<string, V>();
  return (key, make) => {
    let hit = memo.get(key);
    if (hit === undefined) {
      hit = make();
      if (memo.size >= limit) memo.clear();
      memo.set(key, hit);
    }
    return hit;
  };
}
