import { InvalidInputError, SmartCardError } from '../errors.js';
import { SerialQueue } from '../lib/serial-queue.js';
import { isRemoval, moduleFault } from './binding.js';
import type { RecordKeeper } from './record-keeper.js';
import type { TokenSession } from './token.js';

/**
 * A PKCS#11 card's operations, run one at a time in call order: each with the token present
 * (`CardRemovedError` otherwise, nothing changed), the SDK's record read again first when it
 * is used, and the module's failures turned into the SDK's errors.
 *
 * @example
 * ```ts
 * import { CardOperations } from './operations.js';
 * import type { RecordKeeper } from './record-keeper.js';
 * import type { TokenSession } from './token.js';
 *
 * declare const session: TokenSession;
 * declare const records: RecordKeeper;
 * const operations = new CardOperations(session, records);
 * const flags = await operations.run('reading the token', async () => session.flags());
 * ```
 *
 * @category Cards
 */
export class CardOperations {
  readonly #session: TokenSession;
  readonly #records: RecordKeeper;
  readonly #queue = new SerialQueue();
  #closed = false;

  constructor(session: TokenSession, records: RecordKeeper) {
    this.#session = session;
    this.#records = records;
  }

  /**
   * Runs `operation` in turn, the token present; `fresh` reads the SDK's record again first
   * (another card object or process may have changed it since).
   */
  run<T>(what: string, operation: () => Promise<T>, fresh = true): Promise<T> {
    return this.#queue.run(async () => {
      if (this.#closed) throw new InvalidInputError('This card was closed: open it again.');
      this.#session.checkPresent(what);
      try {
        if (fresh) await this.#records.refresh();
        return await operation();
      } catch (error) {
        if (!SmartCardError.is(error) && isRemoval(error)) this.#session.lostToken();
        const fault = moduleFault(error, what);
        if (SmartCardError.is(fault, 'ERR_CARD_REMOVED')) this.#session.lostToken();
        throw fault;
      }
    });
  }

  /**
   * Runs `release` in turn, once: after it every operation answers that the card was closed.
   */
  close(release: () => void): Promise<void> {
    return this.#queue.run(async () => {
      if (this.#closed) return;
      this.#closed = true;
      release();
    });
  }
}
