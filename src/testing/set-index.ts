/** Adds `value` to the set kept under `key`, creating that set on first use. */
export function addToSetIndex<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(value);
}
