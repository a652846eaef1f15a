import { CardRemovedError, SmartCardError, StorageError } from '../../errors.js';
import type { ChipState } from './state-codec.js';

/** Whether a card has power, and a number that changes each time it loses it.
 *
 * @category Cards
 */
export interface ChipPresence {
  present(): boolean;
  /** Changes on every removal; an operation that sees it change was interrupted. */
  generation(): number;
}

/**
 * Where a chip keeps its state: a store, sealed by a TPM or not. Every write is conditional on
 * the bytes last read, so that no other object, store or process sharing the card is ever
 * written over by stale state.
 *
 * @category Cards
 */
export interface ChipStorage {
  /** The saved bytes as they are now; `undefined` when nothing is saved. */
  read(): Promise<Uint8Array | undefined>;
  /** The state saved as `bytes` (a virtual card unseals them first). */
  decode(bytes: Uint8Array): Promise<ChipState>;
  /**
   * Writes `state` if the saved bytes are still `expected` (`undefined`: nothing saved yet), and
   * returns the bytes written; `undefined`, writing nothing, when they were replaced meanwhile.
   */
  write(state: ChipState, expected: Uint8Array | undefined): Promise<Uint8Array | undefined>;
}

/** Writes a chip state over the one last read; `false` (nothing written) when it changed.
 *
 * @category Cards
 */
export type ChipWrite = (state: ChipState) => Promise<boolean>;

/**
 * A write lost to another object that wrote the card first: the transaction is run again from
 * the fresh state. Internal.
 *
 * @category Cards
 */
export class ChipStateChanged extends Error {}

/**
 * Points inside card operations where a test can act (remove the card, say). Each operation
 * passes `begin`, then its own steps, then `commit` before anything is written.
 *
 * @internal
 */
export interface ChipHooks {
  checkpoint?(step: string): void | Promise<void>;
}

/**
 * One card transaction: it checks, at each step, that the card did not lose power since the
 * transaction began, and commits a new state only while it still has it. A transaction that
 * stops early has written nothing, so the card stays as it was.
 *
 * @category Cards
 */
export class Transaction {
  readonly generation: number;
  readonly #presence: ChipPresence;
  readonly #hooks: ChipHooks;
  readonly #write: ChipWrite;

  constructor(presence: ChipPresence, hooks: ChipHooks, write: ChipWrite) {
    this.#presence = presence;
    this.#hooks = hooks;
    this.#write = write;
    this.generation = presence.generation();
  }

  /** Lets a test act at `step`, then throws {@link CardRemovedError} if the card lost power. */
  async checkpoint(step: string): Promise<void> {
    await this.#hooks.checkpoint?.(step);
    if (!this.#presence.present() || this.#presence.generation() !== this.generation) {
      throw new CardRemovedError(
        'The card is not in a reader (or was removed during the operation). Insert it and try again; nothing was changed.',
      );
    }
  }

  /**
   * Writes `next` and makes it the card's state; nothing is changed if writing fails. Throws
   * {@link ChipStateChanged} when another object wrote the card since it was read.
   */
  async commit(next: ChipState, step = 'commit'): Promise<void> {
    if (!(await this.swap(next, step))) throw new ChipStateChanged();
  }

  /** As {@link Transaction.commit}, but resolves `false` when another object wrote first. */
  async swap(next: ChipState, step = 'commit'): Promise<boolean> {
    await this.checkpoint(step);
    try {
      return await this.#write(next);
    } catch (error) {
      if (SmartCardError.is(error)) throw error;
      throw new StorageError('Saving the card state failed; the card is as it was.', {
        cause: error,
      });
    }
  }
}

/**
 * PinState reports a failed save as StorageError with the real reason as its cause; a card
 * reports the reason itself (the card was removed, the TPM is off, the store failed).
 *
 * @category Cards
 */
export function unwrapPinError(error: unknown): unknown {
  if (SmartCardError.is(error, 'ERR_STORAGE') && SmartCardError.is(error.cause)) {
    return error.cause;
  }
  return error;
}
