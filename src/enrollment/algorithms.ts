/**
 * Algorithm identifiers, signature encodings, key identifiers and PEM for the request formats.
 * Internal.
 */
import type { HashName, KeyAlgorithmName } from '../card/contract/smart-card.js';
import { children, readSingle } from '../lib/der.js';
import { type Der, integer, nullValue, oid, sequence } from '../lib/der-write.js';
import { digestOid, signatureOid } from '../lib/signature-algorithms.js';

/**
 * The AlgorithmIdentifier of a digest: parameters absent for SHA-2 (RFC 5754 §2), NULL for SHA-1
 * (as Windows writes it; RFC 3370 accepts both).
 *
 * @category Enrollment
 */
export function digestAlgorithm(hash: HashName): Der {
  return hash === 'SHA-1'
    ? sequence(oid(digestOid(hash)), nullValue())
    : sequence(oid(digestOid(hash)));
}

/** The AlgorithmIdentifier of a signature by a key of `algorithm` with `hash`.
 *
 * @category Enrollment
 */
export function signatureAlgorithm(algorithm: KeyAlgorithmName, hash: HashName): Der {
  return algorithm.startsWith('RSA')
    ? sequence(oid(signatureOid('rsa', hash)), nullValue())
    : sequence(oid(signatureOid('ec', hash)));
}

/**
 * A card signature as X.509 and CMS carry it: RSA as is; ECDSA from WebCrypto's r‖s to
 * `SEQUENCE { INTEGER r, INTEGER s }`.
 *
 * @category Enrollment
 */
export function encodeSignature(algorithm: KeyAlgorithmName, signature: Uint8Array): Der {
  if (algorithm.startsWith('RSA')) return new Uint8Array(signature);
  const half = signature.length / 2;
  return sequence(integer(signature.subarray(0, half)), integer(signature.subarray(half)));
}

/**
 * The key identifier of a public key: SHA-1 of the subjectPublicKey BIT STRING's bits (RFC 5280
 * §4.2.1.2, method 1), as Windows and OpenSSL compute it.
 *
 * @category Enrollment
 */
export async function keyIdentifier(crypto: Crypto, spki: Uint8Array): Promise<Der> {
  const parts = children(spki, readSingle(spki));
  const bits = parts[1];
  if (bits === undefined || bits.tag !== 0x03) throw new Error('not a SubjectPublicKeyInfo');
  const key = spki.slice(bits.valueStart + 1, bits.end);
  return new Uint8Array(await crypto.subtle.digest('SHA-1', key));
}

export { toPem as pem } from '../lib/pem.js';
