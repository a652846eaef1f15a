import { CertificateInvalidError } from '../../errors.js';
import { toHex } from '../../lib/bytes.js';
import { certificateSpki, checkTree, DerError, readSingle, type Tlv } from '../../lib/der.js';
import { checkValues } from '../../lib/der-strings.js';
import { contentOf, expect, sequence, timeOf, topSequence } from '../../lib/der-values.js';
import * as EXTENSION from '../../lib/x509-extension-oids.js';
import { extKeyUsage, readExtensions } from '../../lib/x509-extensions.js';
import { OID } from '../oids.js';
import { altNames, nameText } from './certificate-names.js';

/**
 * What a person checks on an issued certificate before installing it: the enrollment station's
 * "confirm the certificate shows your information".
 *
 * @example
 * ```ts
 * import { type CertificateSummary, enrollCard } from 'smartcard-2fa/enrollment';
 *
 * declare const options: Parameters<typeof enrollCard>[0];
 * const result = await enrollCard({
 *   ...options,
 *   confirm: (summary: CertificateSummary) =>
 *     window.confirm(`${summary.subject}\n${summary.upn ?? 'no UPN'}\nuntil ${summary.notAfter}`),
 * });
 * if (result.status === 'installed') console.log(result.summary.serialNumber);
 * ```
 *
 * @category Enrollment
 */
export interface CertificateSummary {
  /** The subject, as `CN=…, OU=…, DC=…` (most specific first). */
  readonly subject: string;
  /** The issuer, written the same way. */
  readonly issuer: string;
  /** The serial number, lowercase hex. */
  readonly serialNumber: string;
  /** The UPN from the SAN, if any. */
  readonly upn: string | undefined;
  /** The e-mail address from the SAN, if any. */
  readonly email: string | undefined;
  /** Extended key usages, as names where known (`clientAuth`, `smartcardLogon`, …) or OIDs. */
  readonly extendedKeyUsages: readonly string[];
  /** The start of the validity period. */
  readonly notBefore: Date;
  /** The end of the validity period. */
  readonly notAfter: Date;
}

const USAGES: Record<string, string> = {
  [OID.clientAuth]: 'clientAuth',
  [OID.secureEmail]: 'secureEmail',
  [OID.smartcardLogon]: 'smartcardLogon',
  [OID.certificateRequestAgent]: 'certificateRequestAgent',
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
};

/**
 * The summary of a DER certificate, read with the SDK's strict DER reader (no ASN.1 library):
 * BER (indefinite or non-minimal lengths), trailing bytes, fields out of X.509 order, duplicate
 * extensions, and malformed values anywhere in the certificate or its subject alternative name
 * (a time not in RFC 5280's form, bad UTF-8) are refused.
 *
 * @throws `CertificateInvalidError` when `der` is not a DER X.509 certificate.
 * @example
 * ```ts
 * import { SmartCardError } from 'smartcard-2fa';
 * import type { SmartCard } from 'smartcard-2fa/card';
 * import { describeCertificate } from 'smartcard-2fa/enrollment';
 *
 * declare const card: SmartCard;
 * const der = await card.certificate('smartcard-user');
 * try {
 *   if (der !== null) {
 *     const { subject, upn, notAfter } = describeCertificate(der);
 *     console.log(`${subject} (${upn ?? 'no UPN'}), valid until ${notAfter.toISOString()}`);
 *   }
 * } catch (error) {
 *   if (!SmartCardError.is(error, 'ERR_CERTIFICATE_INVALID')) throw error;
 * }
 * ```
 *
 * @category Enrollment
 */
export function describeCertificate(der: Uint8Array): CertificateSummary {
  try {
    return summaryOf(der);
  } catch (cause) {
    // Hostile input may also trip a runtime error in the readers (an absent field read as
    // present): that is a malformed certificate too, never an untyped throw.
    if (cause instanceof DerError || cause instanceof TypeError || cause instanceof RangeError) {
      throw new CertificateInvalidError('Not a DER X.509 certificate.', { cause });
    }
    throw cause;
  }
}

function summaryOf(der: Uint8Array): CertificateSummary {
  certificateSpki(der); // the Certificate's shape, X.509 field order, DER lengths throughout
  checkValues(der, readSingle(der));
  const fields = sequence(der, topSequence(der)[0]);
  const skip = fields[0]?.tag === 0xa0 ? 1 : 0;
  const [serial, , issuer, validity, subject] = fields.slice(skip) as Tlv[];
  const [notBefore, notAfter, ...extra] = sequence(der, validity);
  expect(extra.length === 0, 'a validity has two times');
  const extensionsField = fields.find((field) => field.tag === 0xa3);
  const [list, ...more] = extensionsField === undefined ? [] : sequence(der, extensionsField, 0xa3);
  expect(more.length === 0, 'the extensions field holds one SEQUENCE');
  const extensions = list === undefined ? new Map() : readExtensions(der, list);
  const san = extensions.get(EXTENSION.subjectAltName)?.value;
  const eku = extensions.get(EXTENSION.extKeyUsage)?.value;
  const { upn, email } = san === undefined ? { upn: undefined, email: undefined } : altNames(san);
  return {
    subject: nameText(der, subject),
    issuer: nameText(der, issuer),
    serialNumber: toHex(contentOf(der, serial as Tlv)),
    upn,
    email,
    extendedKeyUsages: eku === undefined ? [] : usagesOf(eku),
    notBefore: new Date(timeOf(der, notBefore)),
    notAfter: new Date(timeOf(der, notAfter)),
  };
}

function usagesOf(value: Uint8Array): string[] {
  checkTree(value, readSingle(value));
  return extKeyUsage(value).map((oid) => USAGES[oid] ?? oid);
}
