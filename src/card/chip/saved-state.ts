import { StateCorruptError, StorageError } from '../../errors.js';
import { constantTimeEqual } from '../../lib/bytes.js';
import { sameStoredBytes } from '../storage/card-store.js';
import { type ChipState, type Container, checkChipKeys } from './state-codec.js';
import type { ChipStorage } from './transaction.js';

/** How many times in a row a read is repeated when the state changed while it was decoded. */
const MAX_REREADS = 32;

/**
 * A chip's state as it is saved. The saved bytes are the card; this object only caches them:
 * {@link SavedChipState.reload} reads them again (decoding only when another object, store or
 * process changed them), and {@link SavedChipState.write} writes only over the bytes last read,
 * so a stale object never writes over a newer state. Internal.
 *
 * @category Cards
 */
export class SavedChipState {
  readonly #storage: ChipStorage;
  readonly #crypto: Crypto;
  #state: ChipState;
  /** The saved bytes `#state` was read from or written as. */
  #saved: Uint8Array;

  constructor(storage: ChipStorage, crypto: Crypto, state: ChipState, saved: Uint8Array) {
    this.#storage = storage;
    this.#crypto = crypto;
    this.#state = state;
    this.#saved = saved;
  }

  /** The state last read or written (immutable). */
  get state(): ChipState {
    return this.#state;
  }

  /**
   * Reads the saved state again and takes it as current if it changed. Keys new to this object
   * are checked as on open; a state of another serial is refused (`StateCorruptError`).
   */
  async reload(): Promise<void> {
    let saved: Uint8Array;
    let state: ChipState;
    for (let reread = 1; ; reread++) {
      saved = await this.#read();
      if (sameStoredBytes(saved, this.#saved)) return;
      try {
        state = await this.#storage.decode(saved);
        break;
      } catch (error) {
        // A newer state saved between the read and the decode makes the bytes read look rolled
        // back to a virtual card's TPM: read again, and believe the error only if they stay.
        if (reread >= MAX_REREADS || sameStoredBytes(await this.#read(), saved)) throw error;
      }
    }
    if (state.serial !== this.#state.serial) {
      throw new StateCorruptError(`The card saved as ${this.#state.serial} has another serial.`);
    }
    const known = this.#state.containers;
    await checkChipKeys(this.#crypto, {
      ...state,
      containers: state.containers.filter((c) => !known.some((k) => sameKey(k, c))),
    });
    this.#state = state;
    this.#saved = saved;
  }

  /** Writes `next` over the saved bytes last read; `false` (nothing written) if they changed. */
  async write(next: ChipState): Promise<boolean> {
    const saved = await this.#storage.write(next, this.#saved);
    if (saved === undefined) return false;
    this.#state = next;
    this.#saved = saved;
    return true;
  }

  async #read(): Promise<Uint8Array> {
    const saved = await this.#storage.read();
    if (saved === undefined) {
      throw new StorageError(
        "The card's saved state is gone from its store (deleted?); nothing was changed.",
      );
    }
    return saved;
  }
}

/** Whether two containers hold the same key (so a key already checked need not be again). */
function sameKey(a: Container, b: Container): boolean {
  return (
    a.key.algorithm === b.key.algorithm &&
    a.key.pkcs8.length === b.key.pkcs8.length &&
    constantTimeEqual(a.key.pkcs8, b.key.pkcs8) &&
    a.key.spki.length === b.key.spki.length &&
    constantTimeEqual(a.key.spki, b.key.spki)
  );
}
