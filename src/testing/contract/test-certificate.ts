/**
 * A throwaway X.509 certificate for a key on the card under test: the contract installs it to
 * see that the card keeps a certificate beside its key and refuses another key's. Written with
 * the SDK's DER writer and signed by a new P-256 key, so it needs neither pkijs nor node:crypto.
 */
import type { WebCrypto } from '../../crypto.js';
import { utf8 } from '../../lib/bytes.js';
import { children, readSingle } from '../../lib/der.js';
import {
  bitString,
  explicit,
  integer,
  octetString,
  oid,
  sequence,
  setOf,
  tlv,
  utf8String,
} from '../../lib/der-write.js';
import * as EXTENSION from '../../lib/x509-extension-oids.js';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';

let serialNumber = 1;

/** A Name of one common name. */
function name(commonName: string): Uint8Array {
  return sequence(setOf(sequence(oid(COMMON_NAME), utf8String(commonName))));
}

/** A UTCTime, `YYMMDDhhmmssZ`. */
const utcTime = (text: string) => tlv(0x17, utf8(text));

/** The subjectPublicKey bits of a SubjectPublicKeyInfo (after the unused-bits byte). */
function keyBits(spki: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const [, bits] = children(spki, readSingle(spki));
  if (bits === undefined || bits.tag !== 0x03) {
    throw new TypeError('The card gave a public key that is not a SubjectPublicKeyInfo.');
  }
  return spki.slice(bits.valueStart + 1, bits.end);
}

/**
 * A certificate (DER) for the public key `spki`, issued by "Contract Test CA" to `commonName`,
 * valid 2026-2036, with a subject key identifier.
 */
export async function certificateFor(
  crypto: WebCrypto,
  spki: Uint8Array<ArrayBuffer>,
  commonName = 'Contract Test User',
): Promise<Uint8Array<ArrayBuffer>> {
  const issuer = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
  ]);
  const identifier = new Uint8Array(await crypto.subtle.digest('SHA-1', keyBits(spki)));
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serialNumber++),
    sequence(oid(ECDSA_WITH_SHA256)),
    name('Contract Test CA'),
    sequence(utcTime('260101000000Z'), utcTime('360101000000Z')),
    name(commonName),
    spki,
    explicit(
      3,
      sequence(sequence(oid(EXTENSION.subjectKeyIdentifier), octetString(octetString(identifier)))),
    ),
  );
  const rs = new Uint8Array(
    await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, issuer.privateKey, tbs),
  );
  const signature = sequence(integer(rs.subarray(0, 32)), integer(rs.subarray(32)));
  return sequence(tbs, sequence(oid(ECDSA_WITH_SHA256)), bitString(signature));
}
