import type { CardReader } from '../card/contract/smart-card.js';
import { PhysicalSmartCard } from '../card/physical/physical-card.js';
import {
  type ReaderEventType,
  SimulatedReader,
  type WaitForCardOptions,
} from '../card/physical/simulated-reader.js';
import { InvalidInputError } from '../errors.js';
import { FaultyCard } from './faulty-card.js';
import { withFaults } from './with-faults.js';

/**
 * A {@link SimulatedReader} that hands out each card as its {@link FaultyCard}, so the code under
 * test (a sign-in machine's `reader`, say) goes through the faults and the trace. Cards are
 * inserted and removed in the simulated reader inside (`simulated`); either object can do it.
 *
 * @example
 * ```ts
 * import { createTestCard } from 'smartcard-2fa/testing';
 *
 * const { card, reader } = await createTestCard({ kind: 'physical' });
 * reader.card === card; // true: the reader hands out the FaultyCard
 * reader.remove();
 * reader.insert(card);
 * ```
 *
 * @category Testing
 */
export class TestReader implements CardReader {
  /** The simulated reader the cards are really in. */
  readonly simulated: SimulatedReader;

  /** A reader around `simulated`, or around a new `SimulatedReader` named `name`. */
  constructor(simulated: SimulatedReader | string = 'Test Reader 0') {
    this.simulated =
      simulated instanceof SimulatedReader ? simulated : new SimulatedReader(simulated);
  }

  /** The reader's name. */
  get name(): string {
    return this.simulated.name;
  }

  /** The card in the reader as its FaultyCard, or `null`. */
  get card(): FaultyCard | null {
    const card = this.simulated.card;
    return card === null ? null : withFaults(card);
  }

  /**
   * Puts the card in (a physical emulated card, or the FaultyCard of one).
   *
   * @throws `InvalidInputError` as `SimulatedReader.insert` does.
   */
  insert(card: FaultyCard | PhysicalSmartCard): void {
    const physical = card instanceof FaultyCard ? card.card : card;
    if (!(physical instanceof PhysicalSmartCard)) {
      throw new InvalidInputError('Only a physical emulated card goes in a reader.');
    }
    this.simulated.insert(physical);
  }

  /** Takes the card out, if any, and returns its FaultyCard. */
  remove(): FaultyCard | null {
    const card = this.simulated.remove();
    return card === null ? null : withFaults(card);
  }

  /** Calls `listener` with each inserted or removed card's FaultyCard; returns the stop function. */
  on(type: ReaderEventType, listener: (card: FaultyCard) => void): () => void {
    return this.simulated.on(type, (card) => listener(withFaults(card)));
  }

  /** As `SimulatedReader.waitForCard`, with the card's FaultyCard. */
  async waitForCard(options?: WaitForCardOptions): Promise<FaultyCard | null> {
    const card = await this.simulated.waitForCard(options);
    return card === null ? null : withFaults(card);
  }
}
