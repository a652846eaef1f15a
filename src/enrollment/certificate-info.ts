import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CertificateInvalidError } from '../errors.js';
import { OID } from './oids.js';

/**
 * What a person checks on an issued certificate before installing it: the seed documents' "confirm
 * the certificate shows your information".
 *
 * @example
 * ```ts
 * import type { CertificateSummary } from 'smartcard-2fa/enrollment';
 *
 * const line = (c: CertificateSummary) => `${c.subject} (${c.upn ?? 'no UPN'})`;
 * ```
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

const NAMES: Record<string, string> = {
  [OID.commonName]: 'CN',
  [OID.organizationalUnit]: 'OU',
  [OID.organization]: 'O',
  [OID.country]: 'C',
  [OID.domainComponent]: 'DC',
  [OID.emailAddress]: 'E',
};

const USAGES: Record<string, string> = {
  [OID.clientAuth]: 'clientAuth',
  [OID.secureEmail]: 'secureEmail',
  [OID.smartcardLogon]: 'smartcardLogon',
  [OID.certificateRequestAgent]: 'certificateRequestAgent',
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
};

/**
 * The summary of a DER certificate.
 *
 * @throws `CertificateInvalidError` when `der` is not an X.509 certificate.
 * @example
 * ```ts
 * import { describeCertificate } from 'smartcard-2fa/enrollment';
 *
 * declare const der: Uint8Array;
 * const { subject, upn, notAfter } = describeCertificate(der);
 * ```
 */
export function describeCertificate(der: Uint8Array): CertificateSummary {
  let cert: pkijs.Certificate;
  try {
    cert = pkijs.Certificate.fromBER(new Uint8Array(der));
  } catch (cause) {
    throw new CertificateInvalidError('Not a DER X.509 certificate.', { cause });
  }
  // pkijs parses extensions (the SAN, the EKU) when they are first read, and asn1js throws
  // plain errors on what it cannot read there (a malformed GeneralizedTime in a SAN).
  try {
    return summaryOf(cert);
  } catch (cause) {
    throw new CertificateInvalidError('The certificate has a malformed field.', { cause });
  }
}

function summaryOf(cert: pkijs.Certificate): CertificateSummary {
  let upn: string | undefined;
  let email: string | undefined;
  const san = cert.extensions?.find((e) => e.extnID === OID.subjectAltName);
  if (san?.parsedValue instanceof pkijs.AltName) {
    for (const name of san.parsedValue.altNames) {
      if (name.type === 1) email = String(name.value);
      if (name.type === 0) upn = otherNameUpn(name.value) ?? upn;
    }
  }
  const eku = cert.extensions?.find((e) => e.extnID === OID.extKeyUsage)?.parsedValue;
  const usages = eku instanceof pkijs.ExtKeyUsage ? eku.keyPurposes : [];
  return {
    subject: nameText(cert.subject),
    issuer: nameText(cert.issuer),
    serialNumber: Array.from(cert.serialNumber.valueBlock.valueHexView, (b) =>
      b.toString(16).padStart(2, '0'),
    ).join(''),
    upn,
    email,
    extendedKeyUsages: usages.map((u) => USAGES[u] ?? u),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
  };
}

function nameText(name: pkijs.RelativeDistinguishedNames): string {
  return [...name.typesAndValues]
    .reverse()
    .map((tv) => `${NAMES[tv.type] ?? tv.type}=${escapeValue(String(tv.value.valueBlock.value))}`)
    .join(', ');
}

/**
 * RFC 4514 escaping, so that a value such as `Alice, OU=Admins` cannot pass for two attributes
 * in what a person is asked to confirm.
 */
function escapeValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, '\\$&')
    .replace(/^[ #]/, '\\$&')
    .replace(/ $/, '\\ ')
    .split('')
    .map((c) => (c.charCodeAt(0) < 0x20 ? `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c))
    .join('');
}

function otherNameUpn(value: unknown): string | undefined {
  // pkijs keeps otherName as the raw [0] { type-id, [0] EXPLICIT value } structure.
  const block = value as asn1js.Constructed | undefined;
  const [typeId, explicit] = (block?.valueBlock?.value ?? []) as [
    asn1js.ObjectIdentifier?,
    asn1js.Constructed?,
  ];
  if (typeId?.getValue?.() !== OID.upn) return undefined;
  const inner = explicit?.valueBlock?.value?.[0];
  return inner instanceof asn1js.Utf8String ? inner.getValue() : undefined;
}
