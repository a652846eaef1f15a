import type { CardStore } from '../card/storage/card-store.js';
import { SmartCardError, StorageError } from '../errors.js';
import type { RetryCounters } from './options.js';
import { type CardRecord, newRecord, storeName } from './record.js';
import { MemoryRecord, type RecordPlace, StoreRecord, TokenRecord } from './record-places.js';
import type { Token, TokenSession } from './token.js';

/** A change to the record: the fields to set, or `undefined` to write nothing.
 *
 * @example
 * ```ts
 * import type { RecordChange } from './record-keeper.js';
 *
 * const change: RecordChange = { mustChange: true };
 * ```
 *
 * @category Cards
 */
export type RecordChange = Partial<Omit<CardRecord, 'seq' | 'id'>> | undefined;

/**
 * The record with its counters fitted to this card's: set to the maximum where the SDK counts
 * but the record has none (or more), `null` where the SDK does not count. The same record when
 * nothing changes.
 */
function normalized(record: CardRecord, counters: RetryCounters): CardRecord {
  const clamp = (value: number | null, max: number | null): number | null =>
    max === null ? null : value === null ? max : Math.min(value, max);
  const attemptsRemaining = clamp(record.attemptsRemaining, counters.maxAttempts);
  const soAttemptsRemaining = clamp(record.soAttemptsRemaining, counters.maxSoAttempts);
  return attemptsRemaining === record.attemptsRemaining &&
    soAttemptsRemaining === record.soAttemptsRemaining
    ? record
    : { ...record, attemptsRemaining, soAttemptsRemaining };
}

/**
 * The SDK's record of a card (its id, counters, must-change, friendly names) and where it is
 * kept: read again before use, changed only from the record as read, never written over a
 * record another card object or process wrote since.
 *
 * @example
 * ```ts
 * import type { RetryCounters } from './options.js';
 * import { RecordKeeper } from './record-keeper.js';
 * import type { Token, TokenSession } from './token.js';
 *
 * declare const session: TokenSession;
 * declare const token: Token;
 * declare const counters: RetryCounters;
 * const records = await RecordKeeper.open(session, token, 'token', counters);
 * await records.write({ mustChange: true });
 * ```
 *
 * @category Cards
 */
export class RecordKeeper {
  readonly counters: RetryCounters;
  readonly #place: RecordPlace;
  #record: CardRecord;

  private constructor(place: RecordPlace, record: CardRecord, counters: RetryCounters) {
    this.#place = place;
    this.#record = record;
    this.counters = counters;
  }

  /**
   * The record of the token in `session`: read from `state` (the token, or a store), made and
   * written when there is none, its counters fitted to `counters`. A token that makes every
   * object private keeps it in memory.
   */
  static async open(
    session: TokenSession,
    token: Token,
    state: 'token' | CardStore,
    counters: RetryCounters,
  ): Promise<RecordKeeper> {
    const identity = [token.manufacturer, token.model, token.serial, token.label];
    const { maxAttempts, maxSoAttempts } = counters;
    let place: RecordPlace;
    let record: CardRecord | undefined;
    if (state !== 'token') {
      place = new StoreRecord(state, storeName(identity));
      record = await place.read();
    } else {
      const onToken = new TokenRecord(session.pk, session.lib, () => session.open());
      record = await onToken.read();
      place = onToken;
      if (record === undefined) {
        record = newRecord(maxAttempts, maxSoAttempts);
        try {
          await onToken.write(record);
        } catch (error) {
          if (!TokenRecord.refused(SmartCardError.is(error) ? error.cause : error)) throw error;
          // A token that makes every object private: the record lives in memory, its id
          // derived from what the token says about itself, so that it stays the same.
          place = new MemoryRecord();
          record = { ...record, id: storeName(identity).slice(-16) };
        }
      }
    }
    if (record === undefined) {
      record = newRecord(maxAttempts, maxSoAttempts);
      await place.write(record);
    }
    const normal = normalized(record, counters);
    if (normal !== record) {
      record = { ...normal, seq: record.seq + 1 };
      // Not written: another card object or process wrote meanwhile; theirs is read back.
      if (!(await place.write(record)))
        record = normalized((await place.read()) ?? record, counters);
    }
    return new RecordKeeper(place, record, counters);
  }

  /** The record as last read or written. */
  get record(): CardRecord {
    return this.#record;
  }

  /** Where the record is kept: on the `token`, in a `store`, or in `memory`. */
  get placeKind(): 'token' | 'store' | 'memory' {
    return this.#place.kind;
  }

  /** Reads the record again from its place (the highest `seq`). */
  async refresh(): Promise<CardRecord> {
    const read = await this.#place.read();
    // The place is the truth, even with a lower seq (a token initialised again, say); nothing
    // there (a memory place never written, a record deleted): the one this card holds.
    if (read !== undefined) this.#record = normalized(read, this.counters);
    return this.#record;
  }

  /**
   * Writes the record changed by `change`, computed from the current record: when another card
   * object or process wrote since it was read, it is read again and `change` computed anew, so
   * that their change (a spent attempt) is never undone. `change` answers `undefined` to write
   * nothing. Answers the record written (or the current one).
   */
  async update(change: (current: CardRecord) => RecordChange): Promise<CardRecord> {
    for (let tries = 0; ; tries++) {
      const current = this.#record;
      const changed = change(current);
      if (changed === undefined) return current;
      const next: CardRecord = { ...current, ...changed, seq: current.seq + 1 };
      if (await this.#place.write(next)) {
        this.#record = next;
        return next;
      }
      if (tries >= 8) {
        throw new StorageError(
          "The SDK's record kept changing under this card (other processes writing it); nothing was changed.",
        );
      }
      const read = await this.#place.read();
      if (read !== undefined) this.#record = normalized(read, this.counters);
      else this.#record = { ...this.#record, seq: this.#record.seq + 1 };
    }
  }

  /** Writes `change` over the current record. */
  async write(change: NonNullable<RecordChange>): Promise<void> {
    await this.update(() => change);
  }
}
