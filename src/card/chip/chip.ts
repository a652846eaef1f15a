import type { WebCrypto } from '../../crypto.js';
import { InvalidInputError, StateCorruptError, StorageError } from '../../errors.js';
import { SerialQueue } from '../../lib/serial-queue.js';
import { type CreatePinStateOptions, PinState } from '../../pin/index.js';
import type { CardInfo } from '../contract/smart-card.js';
import { ChipPins, type PinGuard } from './chip-pins.js';
import { ContainerStore } from './containers.js';
import { generateKeyMaterial, type KeySource } from './key-material.js';
import { ChipPinRecord } from './pin-record.js';
import { SavedChipState } from './saved-state.js';
import { type ChipState, checkChipKeys } from './state-codec.js';
import {
  type ChipHooks,
  type ChipPresence,
  ChipStateChanged,
  type ChipStorage,
  Transaction,
} from './transaction.js';

/** What a chip needs from the card that holds it.
 *
 * @category Cards
 */
export interface ChipDeps {
  readonly crypto: WebCrypto;
  readonly presence: ChipPresence;
  readonly storage: ChipStorage;
  readonly hooks?: ChipHooks | undefined;
  readonly keySource?: KeySource | undefined;
  readonly guard?: PinGuard | undefined;
}

/** How many times in a row a transaction is run again after losing a write to another object. */
const MAX_RACES = 32;

/**
 * The emulated chip inside every emulated card: PIN state, key containers and certificates, the
 * card session, and card transactions. Physical and virtual cards differ only in what they give
 * it: presence (a reader, or always), storage (a store, or a TPM seal) and a PIN guard. Its PIN
 * operations and session are {@link ChipPins}, its keys and certificates {@link ContainerStore};
 * both run each operation as one transaction of this chip.
 *
 * The saved state is the card; this object only caches it. Every transaction first reads the
 * saved bytes again (and decodes them if another object, store or process changed them), and
 * every write is conditional on the bytes read: a write that loses to another object is not
 * made, and the operation starts over from the fresh state (PIN operations inside the PIN state,
 * before any comparison). So any number of objects over one card spend one PIN counter.
 *
 * @category Cards
 */
export class EmulatedChip {
  readonly #deps: ChipDeps;
  readonly #queue = new SerialQueue();
  readonly #saved: SavedChipState;
  readonly #record: ChipPinRecord;
  /** The PIN operations and the card session. */
  readonly pins: ChipPins;
  /** The key containers and their certificates. */
  readonly containers: ContainerStore;

  private constructor(
    deps: ChipDeps,
    saved: SavedChipState,
    record: ChipPinRecord,
    pinState: PinState,
  ) {
    this.#deps = deps;
    this.#saved = saved;
    this.#record = record;
    record.attach(saved);
    this.pins = new ChipPins(pinState, {
      transaction: (op) => this.transaction(op),
      guard: deps.guard,
    });
    this.containers = new ContainerStore({
      crypto: deps.crypto,
      keySource: deps.keySource ?? generateKeyMaterial,
      transaction: (op) => this.transaction(op),
      state: () => this.#saved.state,
      requirePin: (tx) => this.pins.requireVerified(tx),
    });
  }

  /**
   * A new chip: the PIN state is made, then the whole state is saved once, only if nothing is
   * saved for the card yet (else `InvalidInputError`).
   */
  static async create(
    deps: ChipDeps,
    card: Omit<ChipState, 'pin' | 'containers'>,
    pin: Omit<CreatePinStateOptions, 'persist' | 'crypto' | 'load'>,
  ): Promise<EmulatedChip> {
    const record = new ChipPinRecord();
    const pinState = await PinState.create({
      ...pin,
      load: record.load,
      crypto: deps.crypto,
      persist: record.persist,
    });
    const first = record.first;
    if (first === undefined) throw new Error('PinState.create did not persist its first record');
    const state: ChipState = { ...card, pin: first, containers: [] };
    const saved = await deps.storage.write(state, undefined);
    if (saved === undefined) {
      throw new InvalidInputError(
        `A card with serial ${card.serial} is saved in this store already: open it, or delete it first.`,
      );
    }
    const savedState = new SavedChipState(deps.storage, deps.crypto, state, saved);
    return new EmulatedChip(deps, savedState, record, pinState);
  }

  /** A chip from its saved bytes; the keys and the PIN record are checked as they are read. */
  static async load(deps: ChipDeps, saved: Uint8Array, serial: string): Promise<EmulatedChip> {
    const state = await deps.storage.decode(saved);
    if (state.serial !== serial) {
      throw new StateCorruptError(`The card saved for serial ${serial} has another serial.`);
    }
    await checkChipKeys(deps.crypto, state);
    const record = new ChipPinRecord();
    const pinState = await PinState.restore(state.pin, {
      load: record.load,
      persist: record.persist,
      crypto: deps.crypto,
    });
    const savedState = new SavedChipState(deps.storage, deps.crypto, state, saved);
    return new EmulatedChip(deps, savedState, record, pinState);
  }

  /** The current state (immutable). */
  get state(): ChipState {
    return this.#saved.state;
  }

  /**
   * Runs `operation` as one card transaction, after those already queued, from the state as
   * saved now; run again from the fresh state if another object wrote the card first.
   */
  transaction<T>(operation: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.#queue.run(async () => {
      for (let race = 1; ; race++) {
        const tx = new Transaction(this.#deps.presence, this.#deps.hooks ?? {}, (next) =>
          this.#saved.write(next),
        );
        this.#record.begin(tx);
        try {
          await tx.checkpoint('begin');
          await this.pins.refresh();
          this.#record.justRead();
          return await operation(tx);
        } catch (error) {
          if (!(error instanceof ChipStateChanged)) throw error;
          if (race >= MAX_RACES) {
            throw new StorageError(
              `The card's saved state changed under this object ${MAX_RACES} times in a row (other objects or processes are using it); try again. Nothing was changed.`,
            );
          }
        } finally {
          this.#record.end();
        }
      }
    });
  }

  info(id: string): Promise<CardInfo> {
    return this.transaction(async (tx) => {
      const state = this.#saved.state;
      return {
        id,
        kind: state.kind,
        serial: state.serial,
        label: state.label,
        manufacturer: state.manufacturer,
        blank: state.containers.length === 0,
        containers: { used: state.containers.length, max: state.maxContainers },
        ...this.pins.sessionIn(tx),
      };
    });
  }
}
