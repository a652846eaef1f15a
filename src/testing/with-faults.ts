/**
 * One {@link FaultyCard} per card: the wrapper `withFaults` hands out, the same for every call
 * with the same card, so faults planned through one reference are seen through the others.
 */
import type { SmartCard } from '../card/contract/smart-card.js';
import { InvalidInputError } from '../errors.js';
import { internalSlot } from '../lib/internal-slot.js';
import { FaultyCard } from './faulty-card.js';

/** The one FaultyCard of each card (an internal slot, see src/lib/internal-slot.ts). */
const wrappers = internalSlot<SmartCard, FaultyCard>('FaultyCard');

/**
 * The {@link FaultyCard} of `card`: the same object every time for the same card, and the one
 * `createTestCard` made for its cards. Any `SmartCard` can be wrapped; removal and torn writes
 * need a card made by `createTestCard`.
 *
 * @throws `InvalidInputError` if `card` is not a SmartCard.
 * @example
 * ```ts
 * import { SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';
 * import { withFaults } from 'smartcard-2fa/testing';
 *
 * const card = withFaults(await VirtualSmartCard.create({ tpm: await SoftwareTpm.create() }));
 * await card.blockPin();
 * (await card.pinStatus()).blocked; // true
 * ```
 *
 * @category Testing
 */
export function withFaults(card: SmartCard): FaultyCard {
  if (card instanceof FaultyCard) return card;
  if (
    typeof card !== 'object' ||
    card === null ||
    typeof card.id !== 'string' ||
    typeof card.verifyPin !== 'function'
  ) {
    throw new InvalidInputError('withFaults takes a SmartCard.');
  }
  let wrapper = wrappers.find(card);
  if (wrapper === undefined) {
    wrapper = new FaultyCard(card);
    wrappers.set(card, wrapper);
  }
  return wrapper;
}
