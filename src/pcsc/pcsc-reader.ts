/**
 * `PcscReader`: the card readers of the PC/SC stack (pcscd, winscard) as the sign-in machine's
 * `CardReader`. Readers may come and go; a card put into one of the readers watched is opened as
 * a PIV card and reported inserted, and reported removed when it leaves (its operations then
 * fail with `ERR_CARD_REMOVED`).
 */
import type { SmartCard } from '../card/contract/smart-card.js';
import { type PivCardOptions, PivSmartCard } from '../card/index.js';
import { waitForInsertion } from '../card/physical/simulated-reader.js';
import { InvalidInputError } from '../errors.js';
import { loadPcscBinding } from './binding.js';
import { type PcscCardHandle, PcscTransport } from './pcsc-transport.js';

/**
 * What {@link PcscReader.open} takes.
 *
 * @example
 * ```ts
 * import { PcscReader, type PcscReaderOptions } from 'smartcard-2fa/pcsc';
 *
 * const options: PcscReaderOptions = { reader: (name) => name.startsWith('Yubico'), piv: {} };
 * const reader = await PcscReader.open(options);
 * console.log(reader.readers); // the readers attached that match
 * await reader.close();
 * ```
 *
 * @category Cards
 */
export interface PcscReaderOptions {
  /**
   * Which readers to watch: a reader's exact name, or a test on names. Default: every reader;
   * the first card found is the one reported.
   */
  readonly reader?: string | ((name: string) => boolean);
  /** Options for each card opened (its PIN policy, management key, APDU trace). */
  readonly piv?: PivCardOptions;
  /** This reader's name in logs and the sign-in machine; default `'PC/SC'`. */
  readonly name?: string;
}

/** How long open() waits at most for the cards already in a reader to be opened. */
const FIRST_LOOK_MS = 5_000;

interface Slot {
  readonly reader: string;
  readonly transport: PcscTransport;
  readonly card: PivSmartCard;
}

/**
 * Watches PC/SC readers for a PIV card (YubiKeys, PIV and CAC cards, the emulated PIV card of
 * `smartcard-2fa/testing` behind vpcd). Needs the optional `smartcard` binding and a running
 * PC/SC service. Call {@link close} when done.
 *
 * @example
 * ```ts
 * import { PcscReader } from 'smartcard-2fa/pcsc';
 *
 * const reader = await PcscReader.open();
 * const card = reader.card ?? (await reader.waitForCard({ timeout: 60_000 }));
 * if (card !== null) console.log(await card.pinStatus()); // tries left, from the card itself
 * await reader.close();
 * ```
 *
 * @category Cards
 */
export class PcscReader extends EventTarget {
  /** This reader's name. */
  readonly name: string;
  readonly #options: PcscReaderOptions;
  readonly #devices: InstanceType<ReturnType<typeof loadPcscBinding>['Devices']>;
  readonly #attached = new Set<string>();
  /** Cards present in watched readers, by reader, in the order they came. */
  readonly #present = new Map<string, PcscCardHandle>();
  /** Readers whose card the binding has reported (for open() to know its first look is done). */
  readonly #seen = new Set<string>();
  #slot: Slot | null = null;
  /** Card openings, one at a time. */
  #opening: Promise<void> = Promise.resolve();
  /** Settles when the cards present at open() were looked at. */
  #firstLook: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(options: PcscReaderOptions) {
    super();
    this.#options = options;
    this.name = options.name ?? 'PC/SC';
    this.#devices = new (loadPcscBinding().Devices)();
  }

  /**
   * Starts watching the readers. Resolves once the cards already present are looked at.
   *
   * @throws `InvalidInputError` for bad options; `UnsupportedEnvironmentError` without the
   * `smartcard` binding.
   */
  static async open(options: PcscReaderOptions = {}): Promise<PcscReader> {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidInputError('PcscReader.open options must be an object.');
    }
    const { reader, name } = options;
    if (reader !== undefined && typeof reader !== 'string' && typeof reader !== 'function') {
      throw new InvalidInputError('reader must be a reader name or a function of the name.');
    }
    if (name !== undefined && (typeof name !== 'string' || name === '')) {
      throw new InvalidInputError('name must be a non-empty string.');
    }
    const watcher = new PcscReader(options);
    watcher.#start();
    await watcher.#firstLook;
    return watcher;
  }

  /** The card in a watched reader, or `null`. */
  get card(): SmartCard | null {
    return this.#slot?.card ?? null;
  }

  /** The names of the watched readers attached now. */
  get readers(): string[] {
    return [...this.#attached];
  }

  #watches(name: string): boolean {
    const { reader } = this.#options;
    return reader === undefined || (typeof reader === 'string' ? reader === name : reader(name));
  }

  #start(): void {
    const devices = this.#devices;
    devices.on('reader-attached', ({ name }) => {
      if (this.#watches(name)) this.#attached.add(name);
    });
    devices.on('reader-detached', ({ name }) => {
      this.#attached.delete(name);
      this.#gone(name);
    });
    devices.on('card-inserted', ({ reader, card }) => {
      if (!this.#watches(reader.name)) return;
      this.#attached.add(reader.name);
      this.#present.set(reader.name, card);
      this.#next(reader.name);
    });
    devices.on('card-removed', ({ reader }) => this.#gone(reader.name));
    devices.on('error', () => undefined);
    const waiting = this.#cardsPresent();
    devices.start();
    // Cards already in a reader come as the binding's first events: open() waits for them.
    this.#firstLook = new Promise<void>((resolve) => {
      const deadline = setTimeout(resolve, FIRST_LOOK_MS);
      const check = () => {
        if ([...waiting].every((name) => this.#seen.has(name))) {
          clearTimeout(deadline);
          resolve();
        } else {
          setTimeout(check, 20);
        }
      };
      check();
    });
  }

  /**
   * Looks at the readers once, before any event: the watched ones are `readers` at once, and
   * the names of those that hold a card are answered (open() waits for those cards).
   */
  #cardsPresent(): Set<string> {
    const binding = loadPcscBinding();
    const context = new binding.Context();
    try {
      const watched = context.listReaders().filter((reader) => this.#watches(reader.name));
      for (const reader of watched) this.#attached.add(reader.name);
      return new Set(
        watched
          .filter((reader) => (reader.state & binding.SCARD_STATE_PRESENT) !== 0)
          .map((reader) => reader.name),
      );
    } catch {
      return new Set(); // no reader at all: pcsc-lite answers "no readers" with an error
    } finally {
      context.close();
    }
  }

  #gone(reader: string): void {
    this.#present.delete(reader);
    const slot = this.#slot;
    if (slot === null || slot.reader !== reader) return;
    this.#slot = null;
    slot.transport.removed();
    this.dispatchEvent(new CustomEvent('removed', { detail: { card: slot.card } }));
    this.#next();
  }

  /** Opens the next card present when none is reported (a card that is not PIV is passed over). */
  #next(arrived?: string): void {
    this.#opening = this.#opening.then(async () => {
      await this.#openNext();
      if (arrived !== undefined) this.#seen.add(arrived);
    });
  }

  async #openNext(): Promise<void> {
    for (const [reader, handle] of this.#present) {
      if (this.#slot !== null || this.#closed) return;
      const transport = new PcscTransport(handle);
      try {
        const card = await PivSmartCard.open(transport, this.#options.piv);
        if (this.#closed || this.#present.get(reader) !== handle) continue;
        this.#slot = { reader, transport, card };
        this.dispatchEvent(new CustomEvent('inserted', { detail: { card } }));
      } catch {
        this.#present.delete(reader); // not a PIV card, or gone while opening
      }
    }
  }

  /** Calls `listener` with the card on each `type` event; returns a function that stops it. */
  on(type: 'inserted' | 'removed', listener: (card: SmartCard) => void): () => void {
    const handler = (event: Event) => {
      listener((event as CustomEvent<{ card: SmartCard }>).detail.card);
    };
    this.addEventListener(type, handler);
    return () => this.removeEventListener(type, handler);
  }

  /**
   * The card, now or once one is inserted; `null` after `timeout` ms. Rejects with
   * `signal.reason` when `signal` aborts.
   */
  waitForCard(options: { signal?: AbortSignal; timeout?: number } = {}): Promise<SmartCard | null> {
    return waitForInsertion(this, options);
  }

  /** Stops watching; the card reported (if any) is reported removed. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#devices.stop();
    const slot = this.#slot;
    if (slot !== null) {
      this.#slot = null;
      slot.transport.removed();
      this.dispatchEvent(new CustomEvent('removed', { detail: { card: slot.card } }));
    }
  }
}
