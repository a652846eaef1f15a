import type { WebCrypto } from '../../crypto.js';
import {
  InvalidInputError,
  PinRequiredError,
  StateCorruptError,
  StorageError,
  UnblockUnavailableError,
} from '../../errors.js';
import { SerialQueue } from '../../lib/serial-queue.js';
import {
  checkUnblockCredential,
  credentialKind,
  type UnblockCredential,
} from '../../pin/credential.js';
import {
  type CreatePinStateOptions,
  type PinChangeResult,
  PinState,
  type PinStateRecord,
  type PinStatus,
  type PinUnblockResult,
  type PinVerifyResult,
} from '../../pin/index.js';
import { assertNewPin, assertPinFormat, optionalBoolean } from '../../pin/state-options.js';
import * as input from '../contract/input.js';
import type { CardInfo } from '../contract/smart-card.js';
import { ContainerStore } from './containers.js';
import { generateKeyMaterial, type KeySource } from './key-material.js';
import { SavedChipState } from './saved-state.js';
import { type ChipState, checkChipKeys } from './state-codec.js';
import {
  type ChipHooks,
  type ChipPresence,
  ChipStateChanged,
  type ChipStorage,
  Transaction,
  unwrapPinError,
} from './transaction.js';

/**
 * Runs one PIN check under the device's protection: a TPM's anti-hammering for a virtual card,
 * nothing more for a physical one. `failed` says whether the attempt counts as a failure.
 *
 * @category Cards
 */
export type PinGuard = <T>(attempt: () => Promise<{ failed: boolean; value: T }>) => Promise<T>;

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

const unguarded: PinGuard = async (attempt) => (await attempt()).value;

/** Set by EmulatedChip's static block: how a chip's PinState reads and writes its record. */
let pinAccessOf: (chip: EmulatedChip) => {
  load(): Promise<PinStateRecord>;
  save(record: PinStateRecord): Promise<boolean>;
};

/** How many times in a row a transaction is run again after losing a write to another object. */
const MAX_RACES = 32;

/**
 * The emulated chip inside every emulated card: PIN state, key containers and certificates, the
 * card session, and card transactions. Physical and virtual cards differ only in what they give
 * it: presence (a reader, or always), storage (a store, or a TPM seal) and a PIN guard.
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
  readonly #pin: PinState;
  readonly #saved: SavedChipState;
  /** The saved state was read at the start of this transaction and not used since. */
  #justRead = false;
  #tx: Transaction | undefined;
  /** The presence generation in which a PIN was verified; the session ends when it changes. */
  #verifiedIn: number | undefined;
  readonly containers: ContainerStore;

  private constructor(deps: ChipDeps, state: ChipState, saved: Uint8Array, pin: PinState) {
    this.#deps = deps;
    this.#saved = new SavedChipState(deps.storage, deps.crypto, state, saved);
    this.#pin = pin;
    this.containers = new ContainerStore({
      crypto: deps.crypto,
      keySource: deps.keySource ?? generateKeyMaterial,
      transaction: (op) => this.transaction(op),
      state: () => this.#saved.state,
      requirePin: (tx) => this.#requirePin(tx),
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
    let first: PinStateRecord | undefined;
    const holder: { chip?: EmulatedChip } = {};
    const storage = pinStorage(holder);
    const pinState = await PinState.create({
      ...pin,
      load: storage.load,
      crypto: deps.crypto,
      persist: (record) => {
        if (holder.chip !== undefined) return storage.persist(record);
        first = record;
        return undefined;
      },
    });
    if (first === undefined) throw new Error('PinState.create did not persist its first record');
    const state: ChipState = { ...card, pin: first, containers: [] };
    const saved = await deps.storage.write(state, undefined);
    if (saved === undefined) {
      throw new InvalidInputError(
        `A card with serial ${card.serial} is saved in this store already: open it, or delete it first.`,
      );
    }
    holder.chip = new EmulatedChip(deps, state, saved, pinState);
    return holder.chip;
  }

  /** A chip from its saved bytes; the keys and the PIN record are checked as they are read. */
  static async load(deps: ChipDeps, saved: Uint8Array, serial: string): Promise<EmulatedChip> {
    const state = await deps.storage.decode(saved);
    if (state.serial !== serial) {
      throw new StateCorruptError(`The card saved for serial ${serial} has another serial.`);
    }
    await checkChipKeys(deps.crypto, state);
    const holder: { chip?: EmulatedChip } = {};
    const pinState = await PinState.restore(state.pin, {
      ...pinStorage(holder),
      crypto: deps.crypto,
    });
    holder.chip = new EmulatedChip(deps, state, saved, pinState);
    return holder.chip;
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
        this.#tx = tx;
        try {
          await tx.checkpoint('begin');
          await this.#pin.refresh();
          // Just read: the PIN state's own first read in this transaction may use it. Should
          // another object write meanwhile, its write loses the swap and it reads again.
          this.#justRead = true;
          return await operation(tx);
        } catch (error) {
          if (!(error instanceof ChipStateChanged)) throw error;
          if (race >= MAX_RACES) {
            throw new StorageError(
              `The card's saved state changed under this object ${MAX_RACES} times in a row (other objects or processes are using it); try again. Nothing was changed.`,
            );
          }
        } finally {
          this.#tx = undefined;
          this.#justRead = false;
        }
      }
    });
  }

  info(id: string): Promise<CardInfo> {
    return this.transaction(async (tx) => {
      const s = this.#saved.state;
      return {
        id,
        kind: s.kind,
        serial: s.serial,
        label: s.label,
        manufacturer: s.manufacturer,
        blank: s.containers.length === 0,
        containers: { used: s.containers.length, max: s.maxContainers },
        pin: this.#pin.status(),
        pinVerified: this.#verifiedIn === tx.generation,
      };
    });
  }

  pinStatus(): Promise<PinStatus> {
    return this.transaction(async () => this.#pin.status());
  }

  verifyPin(pin: string): Promise<PinVerifyResult> {
    return this.transaction(async (tx) => {
      assertPinFormat(this.#pin.policy, pin, 'PIN');
      if (this.#pin.status().blocked) return { status: 'blocked' } as const;
      const result = await this.#guarded(
        () => this.#pin.verify(pin),
        (r) => r.status !== 'verified',
      );
      this.#verifiedIn = result.status === 'verified' ? tx.generation : undefined;
      return result;
    });
  }

  changePin(current: string, next: string): Promise<PinChangeResult> {
    return this.transaction(async (tx) => {
      assertPinFormat(this.#pin.policy, current, 'current PIN');
      assertNewPin(this.#pin.policy, next, current);
      if (this.#pin.status().blocked) return { status: 'blocked' } as const;
      const result = await this.#guarded(
        () => this.#pin.change(current, next),
        (r) => r.status !== 'changed',
      );
      if (result.status === 'changed') this.#verifiedIn = tx.generation;
      else this.#verifiedIn = undefined;
      return result;
    });
  }

  unblockPin(
    credential: string | Uint8Array<ArrayBuffer>,
    next: string,
    options?: { mustChange?: boolean },
  ): Promise<PinUnblockResult> {
    return this.transaction(async () => {
      const o = input.options<{ mustChange: boolean }>(options, 'unblockPin options');
      const mustChange = optionalBoolean(o.mustChange, 'mustChange');
      const kind = credentialKind(credential);
      checkUnblockCredential({ kind, value: credential } as UnblockCredential);
      assertNewPin(this.#pin.policy, next, undefined);
      // Nothing to compare: no PIN attempt and no TPM failure to count, the session goes on.
      const slot = this.#pin.status().unblock.find((u) => u.kind === kind);
      if (slot === undefined) {
        throw new UnblockUnavailableError(
          kind === 'puk'
            ? 'This card has no PUK; unblock it with its admin key, or have it reset.'
            : 'This card has no admin key; unblock it with its PUK, or have it reset.',
        );
      }
      if (!this.#pin.status().blocked) {
        throw new UnblockUnavailableError(
          'The PIN is not blocked, so there is nothing to unblock: change it with the current PIN. Nothing was spent.',
        );
      }
      if (slot.blocked) return { status: 'blocked' } as const;
      this.#verifiedIn = undefined;
      return this.#guarded(
        () => this.#pin.unblock(credential, next, mustChange === undefined ? {} : { mustChange }),
        (r) => r.status !== 'unblocked',
      );
    });
  }

  /** "Force a PIN change on first use", as the enrollment station sets it; needs the PIN. */
  requirePinChange(): Promise<void> {
    return this.transaction(async (tx) => {
      this.#requirePin(tx);
      await this.#pinCall(() => this.#pin.setMustChange(true));
    });
  }

  /** Ends the card session (logout, card reset). */
  endSession(): Promise<void> {
    return this.transaction(async () => {
      this.#verifiedIn = undefined;
    });
  }

  #requirePin(tx: Transaction): void {
    if (this.#verifiedIn !== tx.generation) {
      throw new PinRequiredError(
        'Verify the PIN first: this operation uses a private key, and no PIN has been verified since the card was inserted, reset or logged out.',
      );
    }
  }

  async #guarded<T>(attempt: () => Promise<T>, failed: (value: T) => boolean): Promise<T> {
    const guard = this.#deps.guard ?? unguarded;
    return this.#pinCall(() =>
      guard(async () => {
        const value = await attempt();
        return { failed: failed(value), value };
      }),
    );
  }

  async #pinCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw unwrapPinError(error);
    }
  }

  /**
   * PinState's persistence: the PIN record is part of the chip state, written with it over the
   * saved bytes last read; `false` when another object wrote first (PinState then reads again).
   */
  #savePin(record: PinStateRecord): Promise<boolean> {
    const tx = this.#tx;
    if (tx === undefined) throw new Error('a PIN change outside a card transaction');
    return tx.swap({ ...this.#saved.state, pin: record }, 'pin-write');
  }

  /** PinState's `load`: the PIN record as saved now. */
  async #loadPin(): Promise<PinStateRecord> {
    if (this.#justRead) this.#justRead = false;
    else await this.#saved.reload();
    return this.#saved.state.pin;
  }

  static {
    pinAccessOf = (chip) => ({
      load: () => chip.#loadPin(),
      save: (record) => chip.#savePin(record),
    });
  }
}

/** The `load` and `persist` options of a chip's PinState, once the chip exists. */
function pinStorage(holder: { chip?: EmulatedChip }): {
  load: () => Promise<PinStateRecord>;
  persist: (record: PinStateRecord) => Promise<boolean>;
} {
  const chip = () => {
    if (holder.chip === undefined) throw new Error('the PIN state used before its chip');
    return holder.chip;
  };
  return {
    load: () => pinAccessOf(chip()).load(),
    persist: (record) => pinAccessOf(chip()).save(record),
  };
}
