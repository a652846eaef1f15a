import { InvalidInputError, SmartCardError, StorageError } from '../../errors.js';
import { toHex } from '../../lib/bytes.js';
import { internalSlot } from '../../lib/internal-slot.js';
import type {
  CreatePinStateOptions,
  PinPolicy,
  PinPolicyRules,
  UnblockCredential,
} from '../../pin/index.js';
import type { CardKind } from '../contract/smart-card.js';
import { type CardStore, MemoryStore } from '../storage/card-store.js';
import { checkStore } from '../tpm/options.js';
import { type ChipDeps, EmulatedChip } from './chip.js';
import type { ChipState } from './state-codec.js';
import type { ChipStorage } from './transaction.js';

/** Checks what both kinds of emulated card are made with.
 *
 * @category Cards
 */
export function assertSerial(serial: unknown): asserts serial is string {
  if (typeof serial !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(serial)) {
    throw new InvalidInputError('A serial is 1 to 64 characters of A-Z, a-z, 0-9 and "-".');
  }
}

/** 16 random hex digits.
 *
 * @category Cards
 */
export function randomSerial(crypto: Crypto): string {
  return toHex(crypto.getRandomValues(new Uint8Array(8)));
}

export function maxContainers(value: unknown): number {
  const max = value ?? 15;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 64) {
    throw new InvalidInputError('maxContainers must be an integer from 1 to 64.');
  }
  return max;
}

/** A short label (1 to 64 characters), or `fallback` when left out.
 *
 * @category Cards
 */
export function shortText(value: unknown, name: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
    throw new InvalidInputError(`${name} must be 1 to 64 characters.`);
  }
  return value;
}

/**
 * Cards open in this process, by store and name. Opening a card that is already open returns
 * the same object. This only saves work: the guarantee that objects never undo each other's
 * spent attempts comes from the chip, which reads the saved state before every operation and
 * writes only over what it read (`CardStore.swap`). An internal slot of the store (see
 * src/lib/internal-slot.ts): the open cards go when the store does.
 */
const openCards = internalSlot<CardStore, Map<string, WeakRef<object>>>('open cards');

export function liveCard(store: CardStore, name: string): object | undefined {
  return openCards.find(store)?.get(name)?.deref();
}

export function registerLiveCard(store: CardStore | undefined, name: string, card: object): void {
  if (store === undefined) return;
  let cards = openCards.find(store);
  if (cards === undefined) {
    cards = new Map();
    openCards.set(store, cards);
  }
  cards.set(name, new WeakRef(card));
}

/** Loads `name`, turning a store's own failure into StorageError.
 *
 * @category Cards
 */
export async function loadSaved(store: CardStore, name: string): Promise<Uint8Array | undefined> {
  try {
    return await store.load(name);
  } catch (error) {
    if (SmartCardError.is(error)) throw error;
    throw new StorageError('Reading the card state from its store failed.', { cause: error });
  }
}

/**
 * Throws `InvalidInputError` unless `store` can keep a card: a {@link CardStore} with `swap`.
 * Without it, a second object opened on the card could write a stale PIN counter over a spent
 * attempt.
 *
 * @category Cards
 */
export function checkCardStore(store: unknown): CardStore {
  const checked = checkStore(store);
  if (typeof checked.swap !== 'function') {
    throw new InvalidInputError(
      'A card needs a store with swap() (an atomic compare-and-swap, see CardStore): without it another object or process opening the same card could undo spent PIN attempts. MemoryStore and FileStore have it.',
    );
  }
  return checked;
}

/**
 * Where a card's state is saved (`undefined`: a store of its own in this process's memory), as
 * bytes that `decode` turns into a chip state and `encode` makes from one; every write is a
 * `swap` over the bytes last read.
 *
 * @category Cards
 */
export function storeStorage(
  store: CardStore | undefined,
  name: string,
  codec: {
    decode: (bytes: Uint8Array) => Promise<ChipState>;
    /** The bytes to write over `expected`; `undefined` to write nothing (a lost race). */
    encode: (state: ChipState, expected: Uint8Array | undefined) => Promise<Uint8Array | undefined>;
    /** Called once `bytes` (made by `encode`) replaced `expected`. */
    written?: (bytes: Uint8Array) => Promise<void>;
  },
): ChipStorage {
  const where = store ?? new MemoryStore();
  return {
    read: () => loadSaved(where, name),
    decode: codec.decode,
    write: async (state, expected) => {
      const bytes = await codec.encode(state, expected);
      if (bytes === undefined) return undefined;
      let swapped: boolean;
      try {
        swapped = (await where.swap?.(name, expected, bytes)) ?? false;
      } catch (error) {
        if (SmartCardError.is(error)) throw error;
        throw new StorageError('Saving the card state failed; the card is as it was.', {
          cause: error,
        });
      }
      if (!swapped) return undefined;
      await codec.written?.(bytes);
      return bytes;
    },
  };
}

/** Refuses to create a card over one already saved (or open) under `name`.
 *
 * @category Cards
 */
export async function assertNewCard(store: CardStore | undefined, name: string): Promise<void> {
  if (store === undefined) return;
  checkCardStore(store);
  if (liveCard(store, name) !== undefined || (await loadSaved(store, name)) !== undefined) {
    throw new InvalidInputError(
      `A card is saved in this store under ${name} already: open it, or delete it first.`,
    );
  }
}

/** How a saved card is opened, for {@link openSavedCard}.
 *
 * @category Cards
 */
export interface SavedCard<C extends object> {
  readonly store: CardStore;
  readonly serial: string;
  readonly kind: CardKind;
  /** The store name the card is saved under. */
  readonly name: string;
  /** The card already open through this store, if it is one of this kind (checked further). */
  readonly live: (open: object) => C | undefined;
  /** The chip's dependencies. */
  readonly deps: () => Promise<ChipDeps>;
  /** Makes the card around its chip. */
  readonly make: (chip: EmulatedChip) => C;
}

/**
 * Opens a saved card: the one already open through the same store if there is one (one object per
 * card), else from its saved state, checked, and registered as open.
 *
 * @category Cards
 */
export async function openSavedCard<C extends object>(how: SavedCard<C>): Promise<C> {
  checkCardStore(how.store);
  assertSerial(how.serial);
  const open = liveCard(how.store, how.name);
  const live = open === undefined ? undefined : how.live(open);
  if (live !== undefined) return live;
  const deps = await how.deps();
  const saved = await deps.storage.read();
  if (saved === undefined) {
    throw new InvalidInputError(
      `No ${how.kind} card with serial ${how.serial} is saved in this store.`,
    );
  }
  const card = how.make(await EmulatedChip.load(deps, saved, how.serial));
  registerLiveCard(how.store, how.name, card);
  return card;
}

/** What both kinds of card give their chip's new PIN state.
 *
 * @category Cards
 */
export function pinStateOptions(
  policy: PinPolicy | Partial<PinPolicyRules>,
  unblock: readonly UnblockCredential[],
  options: { pin?: string | undefined; mustChange?: boolean; pinHashIterations?: number },
): Omit<CreatePinStateOptions, 'persist' | 'crypto' | 'load'> {
  return {
    policy,
    unblock,
    ...(options.pin === undefined ? {} : { pin: options.pin }),
    ...(options.mustChange === undefined ? {} : { mustChange: options.mustChange }),
    ...(options.pinHashIterations === undefined ? {} : { iterations: options.pinHashIterations }),
  };
}
