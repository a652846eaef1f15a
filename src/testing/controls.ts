/**
 * What the kit keeps beside each card it makes: the card's store (whose next write it can tear),
 * the checkpoint hook it can pull the card out at, the PIN policy and the TPM. Internal.
 */
import type { EmulatedSmartCard } from '../card/chip/emulated-card.js';
import type { ChipHooks } from '../card/chip/transaction.js';
import { SimulatedReader } from '../card/physical/simulated-reader.js';
import { cardSocket } from '../card/physical/socket.js';
import { type CardStore, MemoryStore } from '../card/storage/card-store.js';
import type { SoftwareTpm } from '../card/tpm/software-tpm.js';
import { InvalidInputError } from '../errors.js';
import { internalSlot } from '../lib/internal-slot.js';
import type { PinPolicy } from '../pin/policy.js';

/** A store whose next `save` can be torn: it throws, and nothing of it lands.
 *
 * @category Testing
 */
export class TearableStore implements CardStore {
  readonly #inner: CardStore;
  #armed = false;
  /** How many writes were torn so far. */
  torn = 0;

  constructor(inner: CardStore = new MemoryStore()) {
    this.#inner = inner;
  }

  arm(): void {
    this.#armed = true;
  }

  load(name: string): Promise<Uint8Array | undefined> {
    return this.#inner.load(name);
  }

  async save(name: string, bytes: Uint8Array): Promise<void> {
    if (this.#armed) {
      this.#armed = false;
      this.torn += 1;
      throw new Error('The write was torn (smartcard-2fa/testing tearNextWrite): nothing landed.');
    }
    await this.#inner.save(name, bytes);
  }

  /** A conditional write, torn like `save` when armed; the inner store must have `swap`. */
  async swap(name: string, expected: Uint8Array | undefined, next: Uint8Array): Promise<boolean> {
    if (typeof this.#inner.swap !== 'function') {
      throw new InvalidInputError('The store given to the test kit has no swap(); cards need it.');
    }
    if (this.#armed) {
      this.#armed = false;
      this.torn += 1;
      throw new Error('The write was torn (smartcard-2fa/testing tearNextWrite): nothing landed.');
    }
    return this.#inner.swap(name, expected, next);
  }

  delete(name: string): Promise<void> {
    return this.#inner.delete(name);
  }

  names(): Promise<string[]> {
    return this.#inner.names();
  }
}

/** The kit's handles on one card it made.
 *
 * @category Testing
 */
export class FaultControls {
  readonly store: TearableStore;
  readonly pinPolicy: PinPolicy;
  readonly tpm: SoftwareTpm | null;
  readonly hooks: ChipHooks;
  card: EmulatedSmartCard | undefined;
  /** The checkpoint at which to pull the card out, while an operation is armed. */
  #removeAt: string | undefined;

  constructor(options: { store: TearableStore; pinPolicy: PinPolicy; tpm: SoftwareTpm | null }) {
    this.store = options.store;
    this.pinPolicy = options.pinPolicy;
    this.tpm = options.tpm;
    this.hooks = {
      checkpoint: (step) => {
        if (this.#removeAt !== undefined && step === this.#removeAt) this.pullOut();
      },
    };
  }

  /** Pulls the card out at `step` of the operation that runs next. */
  armRemoval(step: string): void {
    this.#removeAt = step;
  }

  /** Whether the armed removal is still to happen; disarms it either way. */
  disarmRemoval(): boolean {
    const pending = this.#removeAt !== undefined;
    this.#removeAt = undefined;
    return pending;
  }

  /** Takes the card out of the reader that holds it, as a person pulling it would. */
  pullOut(): void {
    this.#removeAt = undefined;
    const holder = this.card === undefined ? undefined : cardSocket.find(this.card)?.holder;
    if (holder instanceof SimulatedReader) holder.remove();
  }
}

/** The controls of each card the kit made (an internal slot, see src/lib/internal-slot.ts). */
const cardControls = internalSlot<EmulatedSmartCard, FaultControls>('test kit controls');

export function registerControls(card: EmulatedSmartCard, controls: FaultControls): void {
  controls.card = card;
  cardControls.set(card, controls);
}

export function controlsOf(card: object): FaultControls | undefined {
  return cardControls.find(card);
}
