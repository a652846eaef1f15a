/**
 * The X.509 v3 extensions path validation reads, decoded with the strict DER reader. Anything
 * that breaks the RFC 5280 syntax of a known extension throws {@link DerError}. The extensions
 * list and extKeyUsage are read in `src/lib/x509-extensions.ts` (the enrollment reads them too).
 * Internal.
 */

import { readSingle, type Tlv } from '../../lib/der.js';
import { KEY_USAGE_BITS, type KeyUsageName } from '../../lib/key-usage.js';
import * as EXTENSION from '../../lib/x509-extension-oids.js';
import { sequenceOf } from '../../lib/x509-extensions.js';
import { booleanOf, contentOf, expect, oidOf, sequence, smallIntegerOf } from './asn1.js';

export { extKeyUsage, type RawExtension, readExtensions } from '../../lib/x509-extensions.js';

/**
 * Extensions this validator processes, so a critical one is not "unknown": their constraints
 * are enforced here, or (SAN, policies) they constrain nothing a sign-in path depends on. Key
 * identifiers must not be critical; that is checked separately (`key-identifier`).
 * nameConstraints is processed (`name-constraints.ts`).
 *
 * @category Server
 */
export const KNOWN_CRITICAL: ReadonlySet<string> = new Set([
  EXTENSION.subjectKeyIdentifier,
  EXTENSION.authorityKeyIdentifier,
  EXTENSION.keyUsage,
  EXTENSION.subjectAltName,
  EXTENSION.basicConstraints,
  EXTENSION.certificatePolicies,
  EXTENSION.policyConstraints,
  EXTENSION.nameConstraints,
  EXTENSION.policyMappings,
  EXTENSION.inhibitAnyPolicy,
  EXTENSION.extKeyUsage,
]);

/** basicConstraints: `SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }`.
 *
 * @category Server
 */
export function basicConstraints(value: Uint8Array): { cA: boolean; pathLen?: number } {
  const parts = sequenceOf(value);
  let cA = false;
  let rest = parts;
  if (parts[0]?.tag === 0x01) {
    cA = booleanOf(value, parts[0]);
    expect(cA, 'a DEFAULT FALSE cA is encoded');
    rest = parts.slice(1);
  }
  expect(rest.length <= 1, 'basicConstraints has extra fields');
  if (rest[0] === undefined) return { cA };
  return { cA, pathLen: smallIntegerOf(value, rest[0]) };
}

/** keyUsage: the named bits that are set.
 *
 * @category Server
 */
export function keyUsage(value: Uint8Array): Set<KeyUsageName> {
  const tlv = single(value);
  expect(tlv.tag === 0x03, 'keyUsage is a BIT STRING');
  const bits = contentOf(value, tlv).subarray(1);
  const out = new Set<KeyUsageName>();
  for (const [bit, name] of KEY_USAGE_BITS.entries()) {
    if (((bits[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1) out.add(name);
  }
  return out;
}

/** subjectKeyIdentifier: an OCTET STRING.
 *
 * @category Server
 */
export function subjectKeyIdentifier(value: Uint8Array): Uint8Array {
  const tlv = single(value);
  expect(tlv.tag === 0x04, 'subjectKeyIdentifier is an OCTET STRING');
  return contentOf(value, tlv);
}

/** authorityKeyIdentifier: `SEQUENCE { [0] keyIdentifier, [1] issuer, [2] serial }`, each optional.
 *
 * @category Server
 */
export function authorityKeyIdentifier(value: Uint8Array): {
  keyId?: Uint8Array;
  hasIssuerAndSerial: boolean;
} {
  const parts = sequenceOf(value);
  let last = -1;
  for (const part of parts) {
    const order = [0x80, 0xa1, 0x82].indexOf(part.tag);
    expect(order > last, 'authorityKeyIdentifier fields are out of order');
    last = order;
  }
  const key = parts.find((part) => part.tag === 0x80);
  const hasIssuerAndSerial = parts.some((part) => part.tag !== 0x80);
  return key === undefined
    ? { hasIssuerAndSerial }
    : { keyId: contentOf(value, key), hasIssuerAndSerial };
}

/** authorityInfoAccess: `SEQUENCE SIZE (1..MAX) OF SEQUENCE { method OID, location }`.
 *
 * @category Server
 */
export function checkAuthorityInfoAccess(value: Uint8Array): void {
  const parts = sequenceOf(value);
  expect(parts.length > 0, 'an empty authorityInfoAccess');
  for (const part of parts) {
    const fields = sequence(value, part);
    oidOf(value, fields[0]);
    expect(fields.length === 2 && (fields[1]?.tag ?? 0) >= 0x80, 'a malformed AccessDescription');
  }
}

function single(value: Uint8Array): Tlv {
  return readSingle(value);
}
