/**
 * A `SoftwareTpm`'s data as this object holds it, and how changes to it are saved. Internal.
 *
 * @module
 */
import { SerialQueue } from '../../lib/serial-queue.js';
import type { CardStore } from '../storage/card-store.js';
import { saveTpmRecord, type TpmData, updateTpmRecord } from './record.js';

/**
 * The TPM's data (seed, policy, failure counter, NV counters) and its store, if any. Every
 * change is made to the record as saved now and written only over what was read, one save at a
 * time, so several TPM objects over one store add up their changes instead of undoing them.
 *
 * @internal
 */
export class SavedTpm {
  readonly #crypto: Crypto;
  readonly #store: CardStore | undefined;
  #data: TpmData;
  /** Saves of the TPM record, one at a time, each from the latest state. */
  readonly #writes = new SerialQueue();

  constructor(crypto: Crypto, store: CardStore | undefined, data: TpmData) {
    this.#crypto = crypto;
    this.#store = store;
    this.#data = data;
  }

  /** The data as last read or written by this object. */
  get data(): TpmData {
    return this.#data;
  }

  /**
   * Saves `change(latest state)` (when there is a store: the state as saved now, written over
   * only what was read), then makes it current.
   */
  update(change: (data: TpmData) => TpmData): Promise<void> {
    return this.#writes.run(async () => {
      if (this.#store === undefined) {
        this.#data = change(this.#data);
        return;
      }
      this.#data = await updateTpmRecord(this.#crypto, this.#store, this.#data, change);
    });
  }

  /** Saves `next` (when there is a store), then makes it the current state. */
  async commit(next: TpmData): Promise<void> {
    if (this.#store !== undefined) await saveTpmRecord(this.#crypto, this.#store, next);
    this.#data = next;
  }

  /**
   * Moves the NV counter of `context` up to `version` (never down). Not queued behind
   * `authorize`: a virtual card saves its state (and so advances its counter) from inside an
   * authorize attempt. Writes are serialized by `update` instead.
   */
  advance(context: string, version: number): Promise<void> {
    return this.update((data) =>
      version <= (data.nv[context] ?? 0)
        ? data
        : { ...data, nv: { ...data.nv, [context]: version } },
    );
  }
}
