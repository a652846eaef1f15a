/**
 * Where a chip's PIN state reads and writes its record: inside the chip state, in the card
 * transaction under way. Internal.
 *
 * @module
 */
import type { PinStateRecord } from '../../pin/index.js';
import type { SavedChipState } from './saved-state.js';
import type { Transaction } from './transaction.js';

/**
 * The `load` and `persist` of a chip's `PinState`. The PIN state is made before its chip (a new
 * card's first record is part of the chip state the chip is created with), so this object is
 * made first, keeps that first record, and is attached to the chip's saved state once the chip
 * exists. The chip tells it which transaction is under way.
 *
 * @internal
 */
export class ChipPinRecord {
  #saved: SavedChipState | undefined;
  #first: PinStateRecord | undefined;
  #tx: Transaction | undefined;
  /** The saved state was read at the start of this transaction and not used since. */
  #justRead = false;

  /** The record a new PIN state persisted before its chip existed. */
  get first(): PinStateRecord | undefined {
    return this.#first;
  }

  /** From now on the record is the PIN record in `saved`. */
  attach(saved: SavedChipState): void {
    this.#saved = saved;
  }

  /** A transaction begins: PIN writes go through `tx`. */
  begin(tx: Transaction): void {
    this.#tx = tx;
  }

  /**
   * The saved state was just read: the PIN state's own first read in this transaction may use
   * it. Should another object write meanwhile, its write loses the swap and it reads again.
   */
  justRead(): void {
    this.#justRead = true;
  }

  /** The transaction is over. */
  end(): void {
    this.#tx = undefined;
    this.#justRead = false;
  }

  /** PinState's `load`: the PIN record as saved now. */
  readonly load = async (): Promise<PinStateRecord> => {
    const saved = this.#attached();
    if (this.#justRead) this.#justRead = false;
    else await saved.reload();
    return saved.state.pin;
  };

  /**
   * PinState's `persist`: the PIN record is part of the chip state, written with it over the
   * saved bytes last read; `false` when another object wrote first (PinState then reads again).
   * Before the chip exists, the new PIN state's first record is only kept.
   */
  readonly persist = (record: PinStateRecord): Promise<boolean> | undefined => {
    if (this.#saved === undefined) {
      this.#first = record;
      return undefined;
    }
    const tx = this.#tx;
    if (tx === undefined) throw new Error('a PIN change outside a card transaction');
    return tx.swap({ ...this.#saved.state, pin: record }, 'pin-write');
  };

  #attached(): SavedChipState {
    if (this.#saved === undefined) throw new Error('the PIN state used before its chip');
    return this.#saved;
  }
}
