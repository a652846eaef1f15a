/**
 * Promise queues: operations run one at a time, in call order, and a failed one does not stop
 * the next. Internal: never exported from the package.
 */

/** Runs operations one at a time, in call order; a failed one does not stop the next. */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `operation` once every operation queued earlier has settled. */
  run<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(operation);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}

/**
 * Runs operations one at a time per key, in the order they were queued; operations under
 * different keys run side by side.
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
