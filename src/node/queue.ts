/**
 * Runs operations one at a time per key, in the order they were queued; operations under
 * different keys run side by side. Internal: not exported from the package.
 *
 * @category Stores
 */
export class KeyedQueue {
  /** The tail of each key's queue; removed when the queue empties, so keys do not pile up. */
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `operation` once every operation queued earlier under `key` has settled. */
  run<T>(key: string, operation: () => Promise<T>): Promise<T> {
    const result = (this.#tails.get(key) ?? Promise.resolve()).then(operation);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
