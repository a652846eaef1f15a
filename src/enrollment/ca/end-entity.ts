/**
 * The certificate a request earns: subject and SAN from the directory (as AD CS builds them,
 * never from the request), EKUs and key usage from the template, the request's key as is.
 * Internal.
 */

import { InvalidInputError } from '../../errors.js';
import { toHex } from '../../lib/bytes.js';
import { children, readSingle } from '../../lib/der.js';
import { isSecurityIdentifier } from '../../lib/security-identifier.js';
import { OID } from '../oids.js';
import type { DirectoryEntry } from '../request/types.js';
import { certificatePoliciesExtension } from './certificate-policies.js';
import { keyIdentifier } from './public-key.js';
import { type SigningCa, signCertificate } from './signing-key.js';
import type { IssuableTemplate } from './templates.js';
import { subjectAltNamesFor } from './templates-kerberos.js';
import {
  authorityInfoAccessExtension,
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  crlDistributionPointsExtension,
  distinguishedName,
  extendedKeyUsageExtension,
  keyUsageExtension,
  type NamePart,
  randomSerial,
  securityIdentifierExtension,
  subjectAltNameExtension,
  subjectKeyIdentifierExtension,
} from './x509.js';

const SKEW_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

/** What an end-entity certificate is made from.
 *
 * @category Certificate authority
 */
export interface EndEntityParams {
  readonly crypto: Crypto;
  readonly issuer: SigningCa;
  readonly entry: DirectoryEntry;
  readonly template: IssuableTemplate;
  /** The request's SubjectPublicKeyInfo, DER, put in the certificate as is. */
  readonly spki: Uint8Array<ArrayBuffer>;
  readonly now: number;
  readonly crlUrl: string;
  /** Where the CA's OCSP responder answers, put in an authority information access. */
  readonly ocspUrl?: string | undefined;
  /** Where the issuer's certificate is published, put in an authority information access. */
  readonly caIssuersUrl?: string | undefined;
  /** Certificate policies the certificate asserts (none: no extension). */
  readonly policies?: readonly string[];
}

/** An issued certificate and the facts the CA keeps about it.
 *
 * @category Certificate authority
 */
export interface IssuedCertificate {
  readonly der: Uint8Array<ArrayBuffer>;
  /** Lowercase hex. */
  readonly serialNumber: string;
  readonly notBefore: number;
  readonly notAfter: number;
}

/**
 * Signs the certificate: valid from five minutes ago (clock skew) for the template's days, but
 * never past the issuer's own expiry; SHA-256.
 *
 * @category Certificate authority
 */
export async function issueEndEntity(params: EndEntityParams): Promise<IssuedCertificate> {
  const { entry, template, issuer } = params;
  const subject = subjectName(entry);
  const serial = randomSerial(params.crypto);
  const notBefore = params.now - SKEW_MS;
  const notAfter = Math.min(params.now + template.validityDays * DAY_MS, issuer.notAfter);
  const extensions = [
    basicConstraintsExtension(false),
    subjectKeyIdentifierExtension(await keyIdentifier(params.crypto, params.spki)),
    authorityKeyIdentifierExtension(issuer.keyIdentifier),
    crlDistributionPointsExtension(params.crlUrl),
  ];
  if (params.ocspUrl !== undefined || params.caIssuersUrl !== undefined) {
    const { ocspUrl: ocsp, caIssuersUrl: caIssuers } = params;
    extensions.push(authorityInfoAccessExtension({ ocsp, caIssuers }));
  }
  // RFC 5480 §3: an EC key never gets keyEncipherment or dataEncipherment.
  const usage = isEcKey(params.spki)
    ? template.keyUsage.filter((u) => u !== 'keyEncipherment' && u !== 'dataEncipherment')
    : template.keyUsage;
  if (usage.length > 0) extensions.push(keyUsageExtension(usage));
  if (template.extendedKeyUsages.length > 0) {
    extensions.push(extendedKeyUsageExtension(template.extendedKeyUsages));
  }
  if (params.policies !== undefined && params.policies.length > 0) {
    extensions.push(certificatePoliciesExtension(params.policies));
  }
  const san = subjectAltNameExtension(subjectAltNamesFor(template, entry));
  if (san !== undefined) extensions.push(san);
  if (entry.sid !== undefined) extensions.push(securityIdentifierExtension(entry.sid));
  const der = await signCertificate(issuer, {
    serial,
    subject,
    spki: params.spki,
    notBefore,
    notAfter,
    extensions,
  });
  return { der, serialNumber: toHex(serial), notBefore, notAfter };
}

/** `DC=com, DC=contoso, OU=Users, CN=Alice` order: the entry lists DCs and OUs outermost last. */
function subjectName(entry: DirectoryEntry) {
  checkEntry(entry);
  const parts: NamePart[] = [
    ...[...(entry.domainComponents ?? [])]
      .reverse()
      .map((value) => ({ type: OID.domainComponent, value, ia5: true })),
    ...[...(entry.organizationalUnits ?? [])]
      .reverse()
      .map((value) => ({ type: OID.organizationalUnit, value })),
    { type: OID.commonName, value: entry.commonName },
  ];
  return distinguishedName(parts);
}

const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/** The directory is the CA's own data: a value no certificate can carry is a setup fault. */
function checkEntry(entry: DirectoryEntry): void {
  const bad = (what: string) => {
    throw new InvalidInputError(`The directory entry of ${entry.account} has ${what}.`);
  };
  const text = (value: unknown) => typeof value === 'string' && value.length > 0;
  if (!text(entry.commonName) || entry.commonName.length > 64) bad('no common name of 1-64');
  for (const ou of entry.organizationalUnits ?? []) {
    if (!text(ou) || ou.length > 64) bad('an organizational unit that is not 1-64 characters');
  }
  for (const dc of entry.domainComponents ?? []) {
    if (!text(dc) || !PRINTABLE_ASCII.test(dc)) bad('a domain component that is not ASCII');
  }
  if (
    entry.email !== undefined &&
    !(PRINTABLE_ASCII.test(entry.email) && entry.email.includes('@'))
  ) {
    bad('an e-mail address that is not an ASCII addr-spec');
  }
  if (entry.upn !== undefined && !text(entry.upn)) bad('an empty UPN');
  if (entry.sid !== undefined && !isSecurityIdentifier(entry.sid)) {
    bad('a SID that is not S-1-<authority>-<1 to 15 sub-authorities>');
  }
}

/** Whether a SubjectPublicKeyInfo holds an EC key (id-ecPublicKey). */
function isEcKey(spki: Uint8Array): boolean {
  const [algorithm] = children(spki, readSingle(spki));
  if (algorithm === undefined) return false;
  const [id] = children(spki, algorithm);
  // 06 07 2a 86 48 ce 3d 02 01: the DER of OID 1.2.840.10045.2.1
  const ec = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
  return (
    id !== undefined && ec.every((b, i) => spki[id.start + i] === b) && id.end - id.start === 9
  );
}
