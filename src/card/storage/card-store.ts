import { InvalidInputError } from '../../errors.js';
import { constantTimeEqual } from '../../lib/bytes.js';

/**
 * Where cards and TPMs keep their state between runs: named blobs of bytes.
 *
 * `save` must be atomic: after a crash at any point, `load` returns either the old bytes or the
 * new ones, never a mix. `load` returns `undefined` for a name never saved (or deleted), and
 * throws `StateCorruptError` for stored bytes it can tell are damaged.
 *
 * `save` takes a copy of the bytes when it is called. Failures to read or write throw
 * `StorageError` (with the cause); a store never half-applies a `save`.
 *
 * `swap` is the atomic conditional write that cards need for their PIN counters: it replaces the
 * bytes only if what is stored is exactly `expected` (`undefined`: nothing is stored), and says
 * whether it did. "Atomic" means against every other `save`, `swap` and `delete` of the name by
 * any object, store or process sharing the storage. Cards (`PhysicalSmartCard`,
 * `VirtualSmartCard`) refuse a store without it (`ERR_INVALID_INPUT`): without it a second object
 * opened on the same card could write a stale counter over a spent attempt. Other users of a
 * store (a `SoftwareTpm`, the sign-in information) need only `load` and `save`.
 *
 * {@link MemoryStore} keeps blobs in memory; `FileStore` (from `smartcard-2fa/node`) writes one
 * file per name. Names are 1 to 128 characters of `A-Z a-z 0-9 . _ -`, not ending in `.` and not
 * a Windows device name, so that every store can use them as they are (as file names, say).
 * Names differing only in case may be one file on case-insensitive file systems: do not rely on
 * case to tell names apart.
 *
 * @example
 * ```ts
 * import { type CardStore, MemoryStore, PhysicalSmartCard } from 'smartcard-2fa/card';
 *
 * async function copy(from: CardStore, to: CardStore, name: string): Promise<void> {
 *   const bytes = await from.load(name);
 *   if (bytes !== undefined) await to.save(name, bytes);
 * }
 *
 * const store = new MemoryStore();
 * await PhysicalSmartCard.create({ serial: 'CARD-1', store });
 * const backup = new MemoryStore();
 * await copy(store, backup, 'card-CARD-1');
 * await backup.names(); // ['card-CARD-1']
 * ```
 *
 * @category Stores
 */
export interface CardStore {
  /** The bytes last saved under `name`, or `undefined`. */
  load(name: string): Promise<Uint8Array | undefined>;
  /** Replaces the bytes under `name`, atomically. */
  save(name: string, bytes: Uint8Array): Promise<void>;
  /**
   * Replaces the bytes under `name` with `next` only if they are exactly `expected` now
   * (`undefined`: nothing is saved under `name`), as one atomic step; resolves `true` if it did,
   * `false` (writing nothing) if the stored bytes were others. Needed by cards; see above.
   */
  swap?(name: string, expected: Uint8Array | undefined, next: Uint8Array): Promise<boolean>;
  /** Forgets `name`; nothing happens if it was never saved. */
  delete(name: string): Promise<void>;
  /** Every saved name, sorted. */
  names(): Promise<string[]>;
}

const NAME = /^[A-Za-z0-9._-]{1,128}$/;
/** Names Windows keeps for devices, with or without an extension. */
const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;

/**
 * Throws {@link InvalidInputError} unless `name` is a valid store name (see {@link CardStore}).
 * Stores call it on every name they are given.
 *
 * @example
 * ```ts
 * import { InvalidInputError } from 'smartcard-2fa';
 * import { assertStoreName } from 'smartcard-2fa/card';
 *
 * assertStoreName('card-0042'); // fine
 * try {
 *   assertStoreName('../card-0042');
 * } catch (error) {
 *   if (error instanceof InvalidInputError) console.log(error.code); // 'ERR_INVALID_INPUT'
 * }
 * ```
 *
 * @category Stores
 */
export function assertStoreName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !NAME.test(name) || name.endsWith('.') || RESERVED.test(name)) {
    throw new InvalidInputError(
      'A store name must be 1 to 128 characters of A-Z, a-z, 0-9, ".", "_" and "-", not ending in "." and not a Windows device name (CON, NUL, COM1, ...).',
    );
  }
}

/**
 * A {@link CardStore} in memory: for tests, demos and cards that need not outlive the process.
 * It keeps copies, so changing an array after saving it changes nothing stored.
 *
 * @example
 * ```ts
 * import { MemoryStore } from 'smartcard-2fa/card';
 *
 * const store = new MemoryStore();
 * await store.save('card-1', new Uint8Array([1, 2, 3]));
 * await store.load('card-1'); // Uint8Array [1, 2, 3]
 * await store.swap('card-1', new Uint8Array([9]), new Uint8Array([4])); // false: not [9]
 * ```
 *
 * @category Stores
 */
export class MemoryStore implements CardStore {
  readonly #blobs = new Map<string, Uint8Array>();

  async load(name: string): Promise<Uint8Array | undefined> {
    assertStoreName(name);
    const bytes = this.#blobs.get(name);
    return bytes === undefined ? undefined : bytes.slice();
  }

  async save(name: string, bytes: Uint8Array): Promise<void> {
    assertStoreName(name);
    if (!(bytes instanceof Uint8Array)) throw new InvalidInputError('save() takes a Uint8Array.');
    this.#blobs.set(name, bytes.slice());
  }

  async swap(name: string, expected: Uint8Array | undefined, next: Uint8Array): Promise<boolean> {
    assertSwapArguments(name, expected, next);
    if (!sameStoredBytes(this.#blobs.get(name), expected)) return false;
    this.#blobs.set(name, next.slice());
    return true;
  }

  async delete(name: string): Promise<void> {
    assertStoreName(name);
    this.#blobs.delete(name);
  }

  async names(): Promise<string[]> {
    return [...this.#blobs.keys()].sort();
  }
}

/**
 * Checks the arguments of {@link CardStore.swap}: a store name, the bytes expected (or
 * `undefined`) and the next bytes. For the SDK's stores. @internal
 */
export function assertSwapArguments(
  name: unknown,
  expected: unknown,
  next: unknown,
): asserts next is Uint8Array {
  assertStoreName(name);
  if (
    !(next instanceof Uint8Array) ||
    !(expected === undefined || expected instanceof Uint8Array)
  ) {
    throw new InvalidInputError('swap() takes a Uint8Array (or undefined) and a Uint8Array.');
  }
}

/**
 * Whether two stored values are the same: both absent, or the same bytes. For the SDK's `swap`
 * implementations. @internal
 */
export function sameStoredBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && constantTimeEqual(a, b);
}
