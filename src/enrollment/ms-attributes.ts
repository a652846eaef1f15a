/**
 * What AD CS reads in a request (AD CS conventions, MS-WCCE): the v1 template-name extension, the
 * CSP attribute with the key spec, name-value pairs, and the SAN with UPN and e-mail. Internal.
 */
import { utf8 } from '../lib/bytes.js';
import {
  bitString,
  bmpString,
  booleanValue,
  type Der,
  explicit,
  implicitConstructed,
  octetString,
  oid,
  sequence,
  setOf,
  tlv,
  utf8String,
} from '../lib/der-write.js';
import { KEY_USAGE_BITS, type KeyUsageName } from '../lib/key-usage.js';
import * as EXTENSION from '../lib/x509-extension-oids.js';
import { OID } from './oids.js';

/** One X.509 extension.
 *
 * @category Enrollment
 */
export function extension(id: string, value: Der, critical = false): Der {
  return sequence(oid(id), ...(critical ? [booleanValue(true)] : []), octetString(value));
}

/** The v1 certificate template extension: the template's name as a BMPString.
 *
 * @category Enrollment
 */
export function templateNameExtension(name: string): Der {
  return extension(OID.certificateTemplateName, bmpString(name));
}

/** SubjectAltName with the UPN (otherName, UTF8String) and the e-mail (rfc822Name).
 *
 * @category Enrollment
 */
export function subjectAltName(upn: string | undefined, email: string | undefined): Der {
  const names: Der[] = [];
  if (upn !== undefined) {
    // otherName [0] { type-id OID, value [0] EXPLICIT UTF8String }
    names.push(implicitConstructed(0, sequence(oid(OID.upn), explicit(0, utf8String(upn)))));
  }
  if (email !== undefined) names.push(tlv(0x81, utf8(email))); // [1] IMPLICIT IA5String
  return extension(EXTENSION.subjectAltName, sequence(...names));
}

/** The key usage BIT STRING (DER: no trailing zero bits).
 *
 * @category Enrollment
 */
export function keyUsageBits(usages: readonly KeyUsageName[]): Der {
  const bits = usages.map((usage) => KEY_USAGE_BITS.indexOf(usage));
  if (bits.length === 0) return bitString(new Uint8Array(0));
  const highest = Math.max(...bits);
  const bytes = new Uint8Array((highest >> 3) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  return bitString(bytes, 7 - (highest & 7));
}

export function keyUsageExtension(usages: readonly KeyUsageName[]): Der {
  return extension(EXTENSION.keyUsage, keyUsageBits(usages), true);
}

/** An attribute: `SEQUENCE { type, SET OF value }`.
 *
 * @category Enrollment
 */
export function attribute(id: string, ...values: readonly Der[]): Der {
  return sequence(oid(id), setOf(...values));
}

/** The PKCS#9 extensionRequest attribute holding `extensions`.
 *
 * @category Enrollment
 */
export function extensionRequest(extensions: readonly Der[]): Der {
  return attribute(OID.extensionRequest, sequence(...extensions));
}

/** Microsoft's CSP attribute: key spec, provider name, and an empty signature.
 *
 * @category Enrollment
 */
export function cspAttribute(keySpec: 1 | 2, provider: string): Der {
  return attribute(
    OID.enrollmentCspProvider,
    sequence(
      tlv(0x02, new Uint8Array([keySpec])),
      bmpString(provider),
      bitString(new Uint8Array(0)),
    ),
  );
}

/** Microsoft's name-value pairs (`CertificateTemplate=SmartcardUser`, ...).
 *
 * @category Enrollment
 */
export function nameValuePairs(pairs: readonly (readonly [string, string])[]): Der {
  return attribute(
    OID.enrollmentNameValuePair,
    ...pairs.map(([name, value]) => sequence(bmpString(name), bmpString(value))),
  );
}
