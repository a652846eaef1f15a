/**
 * A PIV test card's state in its `CardStore`. The saved bytes are the card: this object caches
 * what it last read, reads again before each command, and writes only over the bytes it last
 * read (the store's atomic `swap`), so a stale object never writes over a newer state.
 */
import type { CardStore } from '../../card/storage/card-store.js';
import { assertStoreName, sameStoredBytes } from '../../card/storage/card-store.js';
import { InvalidInputError, SmartCardError, StorageError } from '../../errors.js';
import { decodePivState, encodePivState } from './piv-record.js';
import type { PivCardState } from './piv-state.js';

/** The store name of the PIV card with `serial`. */
export function pivStoreName(serial: number): string {
  return `piv-${serial}`;
}

/** Runs a store operation; a failure that is not the SDK's own becomes a StorageError. */
async function stored<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (SmartCardError.is(error)) throw error;
    throw new StorageError("The PIV card's store failed; the card is as it was saved.", {
      cause: error,
    });
  }
}

type SwappingStore = CardStore & Required<Pick<CardStore, 'swap'>>;

function swapping(store: CardStore): SwappingStore {
  if (typeof store?.swap !== 'function') {
    throw new InvalidInputError(
      'A PIV test card needs a store with swap() (MemoryStore, FileStore) to keep its retry counters safe.',
    );
  }
  return store as SwappingStore;
}

export class SavedPivCard {
  readonly #store: SwappingStore;
  readonly #name: string;
  #state: PivCardState;
  #bytes: Uint8Array;

  private constructor(store: SwappingStore, name: string, state: PivCardState, bytes: Uint8Array) {
    this.#store = store;
    this.#name = name;
    this.#state = state;
    this.#bytes = bytes;
  }

  /** Saves a new card; refuses (InvalidInputError) when one is saved under its name already. */
  static async create(store: CardStore, state: PivCardState): Promise<SavedPivCard> {
    const name = pivStoreName(state.serial);
    const bytes = encodePivState(state);
    if (!(await swapping(store).swap(name, undefined, bytes))) {
      throw new InvalidInputError(`A card is saved as ${name} already: open it instead.`);
    }
    return new SavedPivCard(swapping(store), name, state, bytes);
  }

  /** Opens the card saved with `serial`; `undefined` when there is none. */
  static async open(store: CardStore, serial: number): Promise<SavedPivCard | undefined> {
    const name = pivStoreName(serial);
    assertStoreName(name);
    const bytes = await swapping(store).load(name);
    if (bytes === undefined) return undefined;
    return new SavedPivCard(swapping(store), name, decodePivState(bytes), bytes);
  }

  /** The state last read or written. */
  get state(): PivCardState {
    return this.#state;
  }

  /** Reads the saved state again, decoding it only when it changed. */
  async reload(): Promise<void> {
    const bytes = await stored(() => this.#store.load(this.#name));
    if (bytes === undefined) {
      throw new StorageError(
        `The PIV card's state is gone from its store (${this.#name} deleted?).`,
      );
    }
    if (sameStoredBytes(bytes, this.#bytes)) return;
    this.#state = decodePivState(bytes);
    this.#bytes = bytes;
  }

  /** Saves `next` over the bytes last read; throws StorageError when they changed meanwhile. */
  async write(next: PivCardState): Promise<void> {
    const bytes = encodePivState(next);
    if (!(await stored(() => this.#store.swap(this.#name, this.#bytes, bytes)))) {
      throw new StorageError('Another object changed the PIV card meanwhile; nothing was saved.');
    }
    this.#state = next;
    this.#bytes = bytes;
  }
}
