import { PhysicalSmartCard } from '../../src/card/index.js';
import { createTestCard } from '../../src/testing/index.js';

/** The PIN of the cards `verifiedCard` makes. */
export const TEST_PIN = 'k7#Lm2pQ';

/**
 * A physical card in a reader, its PIN (not to be changed) verified: the testing kit's test
 * card, so tests pay for neither PBKDF2 nor RSA key generation.
 */
export async function verifiedCard(): Promise<PhysicalSmartCard> {
  const { emulated } = await createTestCard({ kind: 'physical', pin: TEST_PIN });
  if (!(emulated instanceof PhysicalSmartCard)) throw new Error('not a physical card');
  const verified = await emulated.verifyPin(TEST_PIN);
  if (verified.status !== 'verified' || verified.mustChange) throw new Error('PIN not verified');
  return emulated;
}
