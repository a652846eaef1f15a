/**
 * The SDK on an emulated PIV card the way a second process meets it: a new EmulatedPivCard object
 * opened from the card's store (as the card is while vpcd holds the first), behind the SDK's
 * PivSmartCard. The scenarios that put a card into vpcd enroll, and read its PIN tries, this way.
 */
import { type PivCardOptions, PivSmartCard } from '../../../src/card/index.js';
import type { CardStore } from '../../../src/card/storage/card-store.js';
import { EmulatedPivCard } from '../../../src/testing/index.js';

/** PivSmartCard on the card saved in `store` under `serial`, as the store holds it now. */
export async function sdkOnSavedCard(
  store: CardStore,
  serial: number,
  options: PivCardOptions,
): Promise<PivSmartCard> {
  const again = await EmulatedPivCard.open({ store, serial });
  return PivSmartCard.open({ transmit: (command) => again.transmit(command) }, options);
}
