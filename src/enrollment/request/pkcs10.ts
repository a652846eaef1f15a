/**
 * A PKCS#10 certificate request, signed by a card key. Internal.
 */
import type { HashName, KeyAlgorithmName, SmartCard } from '../../card/contract/smart-card.js';
import {
  bitString,
  type Der,
  ia5String,
  implicitConstructed,
  integer,
  oid,
  sequence,
  setOf,
  utf8String,
} from '../../lib/der-write.js';
import { encodeSignature, signatureAlgorithm } from '../algorithms.js';
import { OID } from '../oids.js';

/** A distinguished name as relative parts, outermost first (`DC=com, DC=contoso, CN=Alice`).
 *
 * @category Enrollment
 */
export type NamePart = readonly [type: string, value: string];

/** `Name ::= SEQUENCE OF RelativeDistinguishedName`, one attribute per RDN, UTF8String values.
 *
 * @category Enrollment
 */
export function encodeName(parts: readonly NamePart[]): Der {
  return sequence(
    ...parts.map(([type, value]) =>
      setOf(
        sequence(oid(type), type === OID.domainComponent ? ia5String(value) : utf8String(value)),
      ),
    ),
  );
}

export interface Pkcs10Parts {
  readonly subject: readonly NamePart[];
  readonly spki: Uint8Array;
  readonly attributes: readonly Der[];
}

/** The DER of CertificationRequestInfo: what the card signs.
 *
 * @category Enrollment
 */
export function certificationRequestInfo(parts: Pkcs10Parts): Der {
  return sequence(
    integer(0),
    encodeName(parts.subject),
    new Uint8Array(parts.spki),
    implicitConstructed(0, setOf(...parts.attributes)),
  );
}

/** Signs `info` with the container's key on `card` and wraps it into a CertificationRequest.
 *
 * @category Enrollment
 */
export async function signPkcs10(
  card: SmartCard,
  container: string,
  algorithm: KeyAlgorithmName,
  hash: HashName,
  info: Der,
): Promise<Der> {
  const signature = await card.sign(container, info, { hash });
  return sequence(
    info,
    signatureAlgorithm(algorithm, hash),
    bitString(encodeSignature(algorithm, signature)),
  );
}
