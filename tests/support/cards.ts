import { PhysicalSmartCard, SimulatedReader } from '../../src/card/index.js';
import { fixtureKeySource } from './fixture-keys.js';

/** The PIN of the cards `verifiedCard` makes. */
export const TEST_PIN = 'k7#Lm2pQ';

/**
 * A physical card in a reader, its PIN (not to be changed) verified: cheap PIN hashing and
 * fixture keys, so tests pay for neither PBKDF2 nor RSA key generation.
 */
export async function verifiedCard(): Promise<PhysicalSmartCard> {
  const card = await PhysicalSmartCard.create({
    pin: TEST_PIN,
    mustChange: false,
    pinHashIterations: 1,
    keySource: fixtureKeySource,
  });
  new SimulatedReader().insert(card);
  await card.verifyPin(TEST_PIN);
  return card;
}
