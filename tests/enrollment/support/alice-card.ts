/**
 * Alice's card enrolled at a test CA the way a holder enrolls: a fresh physical card (fixture
 * keys, a one-round PIN hash) in a simulated reader, through enrollCard with the default PIN.
 */
import { PhysicalSmartCard, SimulatedReader } from '../../../src/card/index.js';
import {
  type CertificateAuthority,
  EnrollmentBuilder,
  enrollCard,
} from '../../../src/enrollment/index.js';
import { fixtureKeySource } from '../../support/fixture-keys.js';
import { ALICE } from './ca.js';

/** A Smartcard Logon request for `upn`: a P-256 signature key generated on the card. */
export const logonRequest = (upn: string) =>
  new EnrollmentBuilder()
    .template('SmartcardLogon')
    .algorithm('ECDSA-P256')
    .keySpec('signature')
    .upn(upn);

/** Enrolls a fresh card for Alice at `ca` with `request`; the card and what enrollCard answered. */
export async function enrollAliceCard(
  ca: CertificateAuthority,
  request: EnrollmentBuilder = logonRequest(ALICE.upn as string),
) {
  const card = await PhysicalSmartCard.create({
    pinHashIterations: 1,
    keySource: fixtureKeySource,
  });
  new SimulatedReader().insert(card);
  const result = await enrollCard({
    card,
    request,
    submit: (built) => ca.issue(built, { requester: ALICE.account }),
  });
  return { card, result };
}
