import { assertStoreName, type CardStore } from '../../card/storage/card-store.js';
import { InvalidInputError, StorageError } from '../../errors.js';
import { savedRecord } from '../../lib/saved-record.js';

/**
 * What a client remembers between runs so the sign-in screen can pre-fill the address: the Lync /
 * Skype for Business client's "sign-in information". Only the address: the SDK never stores a
 * password (an app that must, uses the platform's credential manager, and deletes it with this).
 *
 * @example
 * ```ts
 * import { MemorySignInInfoStore, type SignInInfo } from 'smartcard-2fa/session';
 *
 * const store = new MemorySignInInfoStore();
 * const info: SignInInfo = { address: 'alice@contoso.com' };
 * await store.save(info); // what a sign-in remembers
 * const remembered: SignInInfo | undefined = await store.load();
 * console.log(remembered?.address ?? '(none)'); // pre-fills the address box
 * ```
 *
 * @category Stores
 */
export interface SignInInfo {
  /** The sign-in address, usually the e-mail address. */
  readonly address: string;
}

/**
 * Where sign-in information is kept. `delete` is "Delete my sign-in information": after it,
 * `load` answers `undefined`.
 *
 * @example
 * ```ts
 * import type { SignInInfoStore } from 'smartcard-2fa/session';
 *
 * async function prefill(store: SignInInfoStore): Promise<string> {
 *   return (await store.load())?.address ?? '';
 * }
 * ```
 *
 * @category Stores
 */
export interface SignInInfoStore {
  /** The remembered sign-in information, or `undefined`. */
  load(): Promise<SignInInfo | undefined>;
  /** Remembers `info` (the address only). */
  save(info: SignInInfo): Promise<void>;
  /** "Delete my sign-in information". */
  delete(): Promise<void>;
}

/** Checks a sign-in address: 1 to 254 printable characters without spaces.
 *
 * @category Stores
 */
export function checkSignInInfo(info: unknown): SignInInfo {
  const address = (info as { address?: unknown } | null)?.address;
  if (!isAddressText(address)) {
    throw new InvalidInputError(
      'Sign-in information is { address }: 1 to 254 characters, no spaces.',
    );
  }
  return { address };
}

/** No spaces and no control characters (a pasted address may carry either). */
function isAddressText(address: unknown): address is string {
  return typeof address === 'string' && /^[^\s\p{Cc}]{1,254}$/u.test(address);
}

const stored = savedRecord('stored sign-in information');

/** Sign-in information as a store kept it (UTF-8 bytes or text), refused when damaged. */
function readSignInInfo(source: Uint8Array | (() => string)): SignInInfo {
  const record = stored.object(stored.json(source), 'the sign-in information');
  const address = stored.text(record.address, 'address');
  if (!isAddressText(address)) {
    throw stored.corrupt('its address is not 1 to 254 characters without spaces; delete it');
  }
  return { address };
}

/**
 * Sign-in information in memory: for tests, and for a client that should forget on exit.
 *
 * @example
 * ```ts
 * import { MemorySignInInfoStore } from 'smartcard-2fa/session';
 *
 * const store = new MemorySignInInfoStore({ address: 'alice@contoso.com' });
 * await store.delete(); // "Delete my sign-in information"
 * ```
 *
 * @category Stores
 */
export class MemorySignInInfoStore implements SignInInfoStore {
  #info: SignInInfo | undefined;

  constructor(initial?: SignInInfo) {
    this.#info = initial === undefined ? undefined : checkSignInInfo(initial);
  }

  async load(): Promise<SignInInfo | undefined> {
    return this.#info;
  }

  async save(info: SignInInfo): Promise<void> {
    this.#info = checkSignInInfo(info);
  }

  async delete(): Promise<void> {
    this.#info = undefined;
  }
}

/**
 * What {@link WebStorageSignInInfoStore} needs of a Web Storage area: `localStorage` and
 * `sessionStorage` have it, and so can any object of your own (its own type, so that the SDK's
 * types compile without the DOM library).
 *
 * @example
 * ```ts
 * import type { WebStorageArea } from 'smartcard-2fa/session';
 *
 * const items = new Map<string, string>();
 * const area: WebStorageArea = {
 *   getItem: (key) => items.get(key) ?? null,
 *   setItem: (key, value) => void items.set(key, value),
 *   removeItem: (key) => void items.delete(key),
 * };
 * ```
 *
 * @category Stores
 */
export interface WebStorageArea {
  /** The text stored under `key`, or `null`. */
  getItem(key: string): string | null;
  /** Stores `value` under `key`; may throw when the area is full or refuses. */
  setItem(key: string, value: string): void;
  /** Forgets `key`. */
  removeItem(key: string): void;
}

/**
 * Sign-in information in a Web Storage area (`localStorage`, or any object with the same three
 * methods), under one key, as JSON.
 *
 * @example
 * ```ts
 * import { createSignInMachine, WebStorageSignInInfoStore } from 'smartcard-2fa/session';
 *
 * const signInInfo = new WebStorageSignInInfoStore(localStorage, 'my-app.sign-in');
 * const machine = createSignInMachine({
 *   method: 'password',
 *   signInInfo, // the address typed last time is pre-filled
 *   verifyPassword: async () => ({ verified: false }),
 * });
 * await signInInfo.delete(); // "Delete my sign-in information", outside the machine
 * ```
 *
 * @category Stores
 */
export class WebStorageSignInInfoStore implements SignInInfoStore {
  readonly #storage: WebStorageArea;
  readonly #key: string;

  constructor(storage: WebStorageArea, key = 'smartcard-2fa.sign-in-info') {
    if (typeof storage?.getItem !== 'function' || typeof storage.setItem !== 'function') {
      throw new InvalidInputError('storage must be a Web Storage area, such as localStorage.');
    }
    if (typeof key !== 'string' || key.length === 0) throw new InvalidInputError('key is text.');
    this.#storage = storage;
    this.#key = key;
  }

  async load(): Promise<SignInInfo | undefined> {
    const text = this.#call(() => this.#storage.getItem(this.#key));
    return text === null ? undefined : readSignInInfo(() => text);
  }

  async save(info: SignInInfo): Promise<void> {
    const checked = checkSignInInfo(info);
    this.#call(() => this.#storage.setItem(this.#key, JSON.stringify(checked)));
  }

  async delete(): Promise<void> {
    this.#call(() => this.#storage.removeItem(this.#key));
  }

  #call<T>(operation: () => T): T {
    try {
      return operation();
    } catch (cause) {
      throw new StorageError('The browser storage refused the sign-in information.', { cause });
    }
  }
}

/**
 * Sign-in information kept in a `CardStore` under one name, as JSON: with a `FileStore` from
 * `smartcard-2fa/node` it is a file in a directory, written atomically, which is what a Node
 * client wants; with a `MemoryStore`, memory. Damaged contents are refused with
 * `StateCorruptError` and left as they are (delete them with `delete()`).
 *
 * @example
 * ```ts
 * import { FileStore } from 'smartcard-2fa/node';
 * import { CardStoreSignInInfoStore } from 'smartcard-2fa/session';
 *
 * const signInInfo = new CardStoreSignInInfoStore(await FileStore.open('.my-app/state'));
 * await signInInfo.save({ address: 'alice@contoso.com' });
 * ```
 *
 * @category Stores
 */
export class CardStoreSignInInfoStore implements SignInInfoStore {
  readonly #store: CardStore;
  readonly #name: string;

  /**
   * @param store Where to keep it.
   * @param name The entry's name in `store` (letters, digits, `.`, `_`, `-`).
   * @throws `InvalidInputError` for a store without load/save/delete or a bad name.
   */
  constructor(store: CardStore, name = 'sign-in-info') {
    if (
      typeof store?.load !== 'function' ||
      typeof store.save !== 'function' ||
      typeof store.delete !== 'function'
    ) {
      throw new InvalidInputError('store must be a CardStore (load, save, delete).');
    }
    assertStoreName(name);
    this.#store = store;
    this.#name = name;
  }

  async load(): Promise<SignInInfo | undefined> {
    const bytes = await this.#store.load(this.#name);
    return bytes === undefined ? undefined : readSignInInfo(bytes);
  }

  async save(info: SignInInfo): Promise<void> {
    const checked = checkSignInInfo(info);
    await this.#store.save(this.#name, new TextEncoder().encode(JSON.stringify(checked)));
  }

  async delete(): Promise<void> {
    await this.#store.delete(this.#name);
  }
}
