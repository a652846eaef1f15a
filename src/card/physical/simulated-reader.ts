import { InvalidInputError } from '../../errors.js';
import type { CardReader } from '../contract/smart-card.js';
import type { PhysicalSmartCard } from './physical-card.js';
import { cardSocket } from './socket.js';

/**
 * The events a {@link SimulatedReader} dispatches: `inserted` and `removed`, each a
 * `CustomEvent` whose `detail.card` is the card.
 *
 * @example
 * ```ts
 * import { PhysicalSmartCard, type ReaderEventType, SimulatedReader } from 'smartcard-2fa/card';
 *
 * const reader = new SimulatedReader();
 * const seen: string[] = [];
 * const types: ReaderEventType[] = ['inserted', 'removed'];
 * for (const type of types) reader.on(type, (card) => seen.push(`${type} ${card.id}`));
 * reader.insert(await PhysicalSmartCard.create({ serial: 'CARD-1' }));
 * reader.remove();
 * seen; // ['inserted CARD-1', 'removed CARD-1']
 * ```
 *
 * @category Cards
 */
export type ReaderEventType = 'inserted' | 'removed';

/** The longest timer JavaScript runtimes keep (about 24.8 days); longer ones fire at once. */
const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * Options of {@link SimulatedReader.waitForCard}.
 *
 * @example
 * ```ts
 * import { SimulatedReader, type WaitForCardOptions } from 'smartcard-2fa/card';
 *
 * const reader = new SimulatedReader();
 * const options: WaitForCardOptions = { timeout: 100, signal: AbortSignal.timeout(5_000) };
 * const card = await reader.waitForCard(options); // null: no card was inserted within 100 ms
 * ```
 *
 * @category Cards
 */
export interface WaitForCardOptions {
  /** Stops waiting: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Milliseconds to wait (at most 2³¹−1, about 24.8 days); the promise then resolves with `null`.
   * Unlimited when left out.
   */
  timeout?: number;
}

/**
 * A smart card reader in software: insert an emulated {@link PhysicalSmartCard}, remove it, wait
 * for one, and listen for both. Any number of readers work side by side; a card is in at most
 * one at a time. Removal cuts the card's power: its card session ends and an operation under way
 * fails with `ERR_CARD_REMOVED`, leaving the card as it was before it.
 *
 * @example
 * ```ts
 * import { PhysicalSmartCard, SimulatedReader } from 'smartcard-2fa/card';
 *
 * const reader = new SimulatedReader('Reader 0');
 * const stop = reader.on('inserted', (card) => console.log(`card ${card.id} inserted`));
 * setTimeout(async () => reader.insert(await PhysicalSmartCard.create()), 10);
 * const card = await reader.waitForCard({ timeout: 5_000 }); // the card, or null after 5 s
 * stop();
 * ```
 *
 * @category Cards
 */
export class SimulatedReader extends EventTarget implements CardReader {
  /** The reader's name, as PC/SC lists it. */
  readonly name: string;
  #card: PhysicalSmartCard | null = null;

  constructor(name = 'Simulated Reader 0') {
    super();
    if (typeof name !== 'string' || name.length === 0 || name.length > 128) {
      throw new InvalidInputError('A reader name is 1 to 128 characters.');
    }
    this.name = name;
  }

  /** The card in the reader, or `null`. */
  get card(): PhysicalSmartCard | null {
    return this.#card;
  }

  /**
   * Puts `card` in the reader and dispatches `inserted`.
   *
   * @throws `InvalidInputError` if the reader holds a card, or `card` is in a reader already or
   * is not an emulated physical card.
   */
  insert(card: PhysicalSmartCard): void {
    const socket = cardSocket.find(card);
    if (socket === undefined) {
      throw new InvalidInputError('Only a PhysicalSmartCard can be inserted in a SimulatedReader.');
    }
    if (this.#card !== null) throw new InvalidInputError(`${this.name} already holds a card.`);
    if (socket.holder !== null) throw new InvalidInputError('The card is in another reader.');
    socket.plugInto(this);
    this.#card = card;
    this.dispatchEvent(new CustomEvent('inserted', { detail: { card } }));
  }

  /** Takes the card out (if any), dispatches `removed`, and returns it. */
  remove(): PhysicalSmartCard | null {
    const card = this.#card;
    if (card === null) return null;
    this.#card = null;
    cardSocket.find(card)?.unplug();
    this.dispatchEvent(new CustomEvent('removed', { detail: { card } }));
    return card;
  }

  /** Calls `listener` with the card on each `type` event; returns a function that stops it. */
  on(type: ReaderEventType, listener: (card: PhysicalSmartCard) => void): () => void {
    const handler = (event: Event) => {
      listener((event as CustomEvent<{ card: PhysicalSmartCard }>).detail.card);
    };
    this.addEventListener(type, handler);
    return () => this.removeEventListener(type, handler);
  }

  /**
   * The card in the reader, now or when one is inserted; `null` if `timeout` passes first.
   * Rejects with `signal.reason` when `signal` aborts.
   */
  waitForCard(options: WaitForCardOptions = {}): Promise<PhysicalSmartCard | null> {
    return waitForInsertion(this, options);
  }
}

/**
 * What every reader's `waitForCard` does: the card present now, or the next inserted, or `null`
 * once `timeout` ms pass; rejects with `signal.reason` when `signal` aborts. Internal to the SDK.
 *
 * @category Cards
 */
export function waitForInsertion<C>(
  reader: {
    readonly card: C | null;
    on(type: 'inserted', listener: (card: C) => void): () => void;
  },
  options: WaitForCardOptions,
): Promise<C | null> {
  if (typeof options !== 'object' || options === null) {
    return Promise.reject(new InvalidInputError('waitForCard options must be an object.'));
  }
  const { signal, timeout } = options;
  if (
    timeout !== undefined &&
    (typeof timeout !== 'number' ||
      !Number.isFinite(timeout) ||
      timeout < 0 ||
      timeout > MAX_TIMEOUT)
  ) {
    return Promise.reject(
      new InvalidInputError(`timeout must be a number of milliseconds from 0 to ${MAX_TIMEOUT}.`),
    );
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    return Promise.reject(new InvalidInputError('signal must be an AbortSignal.'));
  }
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (reader.card !== null) return Promise.resolve(reader.card);
  return new Promise((resolve, reject) => {
    const done = () => {
      stop();
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const stop = reader.on('inserted', (card) => {
      done();
      resolve(card);
    });
    const onAbort = () => {
      done();
      reject(signal?.reason);
    };
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(() => {
            done();
            resolve(null);
          }, timeout);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
