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

/** A Smartcard Logon request for Alice's UPN: a P-256 signature key. */
export const aliceLogonRequest = () =>
  new EnrollmentBuilder()
    .template('SmartcardLogon')
    .algorithm('ECDSA-P256')
    .keySpec('signature')
    .upn(ALICE.upn as string);

/** Enrolls a fresh card for Alice at `ca` with `request`; the card and what enrollCard answered. */
export async function enrollAliceCard(
  ca: CertificateAuthority,
  request: EnrollmentBuilder = aliceLogonRequest(),
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
