import { internalSlot } from '../../lib/internal-slot.js';
import type { ChipPresence } from '../chip/transaction.js';
import type { PhysicalSmartCard } from './physical-card.js';

/**
 * Where a physical card sits: in a reader or not, and a generation that changes every time it
 * leaves one (losing power, which ends its session and interrupts its operations).
 *
 * @category Cards
 */
export class Socket implements ChipPresence {
  #holder: object | null = null;
  #generation = 0;

  get holder(): object | null {
    return this.#holder;
  }

  present(): boolean {
    return this.#holder !== null;
  }

  generation(): number {
    return this.#generation;
  }

  plugInto(holder: object): void {
    this.#holder = holder;
  }

  unplug(): void {
    this.#holder = null;
    this.#generation += 1;
  }
}

/**
 * The socket of each physical card: set by the card's constructor, read by readers (which
 * insert and remove it) with `cardSocket.find(card)` (see src/lib/internal-slot.ts).
 */
export const cardSocket = internalSlot<PhysicalSmartCard, Socket>('physical card socket');
