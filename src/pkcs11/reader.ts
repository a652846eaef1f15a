import type { CardReader } from '../card/contract/smart-card.js';
import { waitForInsertion } from '../card/physical/simulated-reader.js';
import { InvalidInputError } from '../errors.js';
import { acquireModule, loadBinding, moduleFault, releaseModule } from './binding.js';
import { Pkcs11SmartCard } from './card.js';
import type { Pkcs11CardOptions } from './options.js';
import { findTokens } from './token.js';

/**
 * Lists the tokens present, by label and serial: by default the module's slot list
 * (`C_GetSlotList(true)` and `C_GetTokenInfo`). Tests, or a program that learns of tokens
 * otherwise, may give their own.
 *
 * @example
 * ```ts
 * import { Pkcs11Reader, type Pkcs11TokenLister } from 'smartcard-2fa/pkcs11';
 *
 * // Tokens as a hot-plug service reports them, instead of polling the module's slot list.
 * declare const plugged: Map<string, string>; // serial -> label, kept by the service
 * const listTokens: Pkcs11TokenLister = () =>
 *   [...plugged].map(([serial, label]) => ({ serial, label }));
 * const reader = await Pkcs11Reader.open({ module: '/usr/lib/softhsm/libsofthsm2.so', listTokens });
 * ```
 *
 * @category Cards
 */
export type Pkcs11TokenLister = () => readonly {
  readonly label: string;
  readonly serial: string;
}[];

/**
 * What {@link Pkcs11Reader.open} takes: the card's options (module, label or serial, ...), and
 * how often to look at the slots.
 *
 * @example
 * ```ts
 * import { Pkcs11Reader, type Pkcs11ReaderOptions } from 'smartcard-2fa/pkcs11';
 *
 * const options: Pkcs11ReaderOptions = {
 *   module: '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
 *   interval: 500,
 * };
 * const reader = await Pkcs11Reader.open(options);
 * const card = await reader.waitForCard({ timeout: 60_000 });
 * console.log(card === null ? 'no card within a minute' : card.id);
 * ```
 *
 * @category Cards
 */
export interface Pkcs11ReaderOptions extends Pkcs11CardOptions {
  /** Milliseconds between two looks at the slot list (50 to 60 000; 500 by default). */
  readonly interval?: number;
  /** The reader's name; the module's path by default. */
  readonly name?: string;
  /** Lists the tokens present instead of the module's slot list. */
  readonly listTokens?: Pkcs11TokenLister;
}

/**
 * Watches a PKCS#11 module's slots for a token, by polling the slot list (modules rarely
 * support `C_WaitForSlotEvent`), and reports it as the sign-in machine's reader: `card`,
 * `inserted` and `removed` events, `waitForCard`. The token found is opened as a
 * {@link Pkcs11SmartCard}; taken out, that card answers `CardRemovedError` and its login ends;
 * put back, the same card object is inserted again. Call {@link close} when done.
 *
 * @example
 * ```ts
 * import { Pkcs11Reader } from 'smartcard-2fa/pkcs11';
 *
 * const reader = await Pkcs11Reader.open({
 *   module: '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
 * });
 * const card = reader.card ?? (await reader.waitForCard({ timeout: 60_000 }));
 * console.log(card === null ? 'no card' : card.id);
 * await reader.close();
 * ```
 *
 * @category Cards
 */
export class Pkcs11Reader extends EventTarget implements CardReader {
  /** The reader's name. */
  readonly name: string;
  readonly #options: Pkcs11ReaderOptions;
  readonly #list: Pkcs11TokenLister;
  #card: Pkcs11SmartCard | null = null;
  /** The card opened once, kept to be inserted again when its token comes back. */
  #known: Pkcs11SmartCard | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  #polling = false;
  #closed = false;

  private constructor(options: Pkcs11ReaderOptions, list: Pkcs11TokenLister) {
    super();
    this.#options = options;
    this.#list = list;
    this.name = options.name ?? options.module;
  }

  /** Looks at the slots once, then every `interval` ms. */
  static async open(options: Pkcs11ReaderOptions): Promise<Pkcs11Reader> {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidInputError('Pkcs11Reader.open options must be an object.');
    }
    const interval = options.interval ?? 500;
    if (!Number.isInteger(interval) || interval < 50 || interval > 60_000) {
      throw new InvalidInputError('interval must be an integer from 50 to 60 000 ms.');
    }
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
      throw new InvalidInputError('name must be a non-empty string.');
    }
    if (options.listTokens !== undefined && typeof options.listTokens !== 'function') {
      throw new InvalidInputError('listTokens must be a function.');
    }
    let list = options.listTokens;
    let held = false;
    if (list === undefined) {
      const pk = loadBinding();
      const lib = acquireModule(options.module);
      held = true;
      list = () => findTokens(pk, lib, {});
    }
    const reader = new Pkcs11Reader(options, list);
    reader.#release = held ? () => releaseModule(options.module) : () => undefined;
    try {
      await reader.poll();
    } catch (error) {
      await reader.close();
      throw error;
    }
    reader.#timer = setInterval(() => {
      reader.poll().catch(() => undefined);
    }, interval);
    reader.#timer.unref?.();
    return reader;
  }

  #release: () => void = () => undefined;

  /** The card in the reader, or `null`. */
  get card(): Pkcs11SmartCard | null {
    return this.#card;
  }

  #matches(token: { readonly label: string; readonly serial: string }): boolean {
    const { label, serial } = this.#options;
    return (
      (label === undefined || token.label === label) &&
      (serial === undefined || token.serial === serial)
    );
  }

  /**
   * Looks at the slots now: dispatches `inserted` when the token arrived, `removed` when it
   * left. The timer calls it; a program may too (after a hint that something changed).
   */
  async poll(): Promise<void> {
    if (this.#closed || this.#polling) return;
    this.#polling = true;
    try {
      let present: boolean;
      try {
        present = this.#list().some((t) => this.#matches(t));
      } catch (error) {
        throw moduleFault(error, 'listing the slots');
      }
      if (present && this.#card === null) {
        let card = this.#known;
        if (card === null) {
          card = await Pkcs11SmartCard.open(this.#options);
          this.#known = card;
        } else {
          card.markInserted();
        }
        if (this.#closed) return;
        this.#card = card;
        this.dispatchEvent(new CustomEvent('inserted', { detail: { card } }));
      } else if (!present && this.#card !== null) {
        const card = this.#card;
        this.#card = null;
        card.markRemoved();
        this.dispatchEvent(new CustomEvent('removed', { detail: { card } }));
      }
    } finally {
      this.#polling = false;
    }
  }

  /** Calls `listener` with the card on each `type` event; returns a function that stops it. */
  on(type: 'inserted' | 'removed', listener: (card: Pkcs11SmartCard) => void): () => void {
    const handler = (event: Event) => {
      listener((event as CustomEvent<{ card: Pkcs11SmartCard }>).detail.card);
    };
    this.addEventListener(type, handler);
    return () => this.removeEventListener(type, handler);
  }

  /**
   * The card, now or once its token is inserted; `null` after `timeout` ms. Rejects with
   * `signal.reason` when `signal` aborts.
   */
  async waitForCard(
    options: { signal?: AbortSignal; timeout?: number } = {},
  ): Promise<Pkcs11SmartCard | null> {
    return waitForInsertion(this, options);
  }

  /** Stops polling, closes the card and gives back the module. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    const card = this.#known;
    this.#card = null;
    this.#known = null;
    if (card !== null) await card.close();
    this.#release();
  }
}
