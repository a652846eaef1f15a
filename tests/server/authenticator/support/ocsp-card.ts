/**
 * A card enrolled for Alice at a CA that names an OCSP responder, with its PIN verified, for the
 * Authenticator's OCSP tests (fixture keys: no key generation).
 */
import { X509Certificate } from 'node:crypto';
import type { PhysicalSmartCard } from '../../../../src/card/index.js';
import { type CertificateAuthority, EnrollmentBuilder } from '../../../../src/enrollment/index.js';
import { enrollAliceCard } from '../../../enrollment/support/alice-card.js';
import { ALICE } from '../../../enrollment/support/ca.js';

export interface Enrolled {
  readonly card: PhysicalSmartCard;
  readonly container: string;
  /** The certificate's serial number, as node:crypto writes it (upper-case hex). */
  readonly serial: string;
}

export async function enrolledAt(ca: CertificateAuthority): Promise<Enrolled> {
  const { card, result } = await enrollAliceCard(
    ca,
    EnrollmentBuilder.smartcardUserLegacySha1()
      .email(ALICE.email as string)
      .upn(ALICE.upn as string),
  );
  if (result.status !== 'installed') throw new Error(JSON.stringify(result));
  await card.verifyPin('12345678');
  return {
    card,
    container: result.container,
    serial: new X509Certificate(result.certificate).serialNumber,
  };
}
