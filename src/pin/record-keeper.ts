import { SmartCardError, StorageError } from '../errors.js';
import { decodeRecord, encodeRecord, type PinStateData } from './record.js';
import type { PinStateOptions } from './state-options.js';

/** How many lost races in a row an operation retries before it gives up. */
const MAX_RACES = 32;

/** A write refused because the saved record changed since it was loaded. Internal.
 *
 * @category PIN
 */
export class LostRace extends Error {}

/**
 * Where a `PinState` keeps its record, through its `persist` and `load` options: it saves each
 * change (a `persist` resolving `false` lost a race: {@link LostRace}), reads the record as
 * saved now, and runs an operation again from the fresh record when one of its writes lost.
 * Internal.
 *
 * @category PIN
 */
export class PinRecordKeeper {
  readonly #crypto: Crypto;
  readonly #key: CryptoKey | undefined;
  readonly #persist: PinStateOptions['persist'];
  readonly #load: PinStateOptions['load'];
  /** The record last loaded or saved: a load returning it again changes nothing. */
  #record: unknown;

  constructor(crypto: Crypto, key: CryptoKey | undefined, options: PinStateOptions) {
    this.#crypto = crypto;
    this.#key = key;
    this.#persist = options.persist;
    this.#load = options.load;
  }

  /** Remembers `record` as the one the current state came from. */
  loaded(record: unknown): void {
    this.#record = record;
  }

  /**
   * The record as saved now, decoded; `undefined` when there is no `load` or it gave back the
   * record last loaded or saved.
   */
  async load(): Promise<PinStateData | undefined> {
    if (this.#load === undefined) return undefined;
    let record: unknown;
    try {
      record = await this.#load();
    } catch (cause) {
      if (SmartCardError.is(cause)) throw cause;
      throw new StorageError('Reading the saved PIN state failed; nothing was changed.', {
        cause,
      });
    }
    if (record === undefined) {
      throw new StorageError('The saved PIN state is gone (deleted?); nothing was changed.');
    }
    if (record === this.#record) return undefined;
    const data = await decodeRecord(this.#crypto, record, this.#key);
    this.#record = record;
    return data;
  }

  /** Hands `next` to `persist`; throws {@link LostRace} when it says another write came first. */
  async save(next: PinStateData): Promise<void> {
    if (this.#persist === undefined) return;
    const record = await encodeRecord(this.#crypto, next, this.#key);
    let saved: unknown;
    try {
      saved = await this.#persist(record);
    } catch (cause) {
      throw new StorageError('Saving the PIN state failed; the change was not made.', { cause });
    }
    if (saved === false) throw new LostRace();
    this.#record = record;
  }

  /**
   * Runs `operation` after `refresh` (which loads the fresh record); when one of its writes
   * loses a race, refreshes and runs it again, up to {@link MAX_RACES} times.
   */
  async retry<T>(refresh: () => Promise<void>, operation: () => Promise<T>): Promise<T> {
    for (let race = 1; ; race++) {
      await refresh();
      try {
        return await operation();
      } catch (error) {
        if (!(error instanceof LostRace)) throw error;
        if (race >= MAX_RACES) {
          throw new StorageError(
            `The saved PIN state changed under this object ${MAX_RACES} times in a row (other objects or processes are using the card); try again. The last change was not made.`,
          );
        }
      }
    }
  }
}
