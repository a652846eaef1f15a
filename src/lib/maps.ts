/**
 * A cache's first step, written once: the value under a key, made and kept when it is first
 * asked for. Internal: never exported from the package.
 */

/** What is keyed as a `Map` or a `WeakMap` is. */
export interface KeyedValues<Key, Value> {
  get(key: Key): Value | undefined;
  set(key: Key, value: Value): unknown;
}

/** The value under `key` in `map`; when there is none, `create()`'s, kept there first. */
export function getOrInsert<Key, Value>(
  map: KeyedValues<Key, Value>,
  key: Key,
  create: () => Value,
): Value {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
