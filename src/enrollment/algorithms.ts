/**
 * Algorithm identifiers, signature encodings, key identifiers and PEM for the request formats.
 * Internal.
 */
import type { HashName, KeyAlgorithmName } from '../card/types.js';
import { children, readSingle } from '../lib/der.js';
import { type Der, integer, nullValue, oid, sequence } from '../lib/der-write.js';

const DIGEST_OIDS: Record<HashName, string> = {
  'SHA-1': '1.3.14.3.2.26',
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
  'SHA-512': '2.16.840.1.101.3.4.2.3',
};

const RSA_SIGNATURE_OIDS: Record<HashName, string> = {
  'SHA-1': '1.2.840.113549.1.1.5',
  'SHA-256': '1.2.840.113549.1.1.11',
  'SHA-384': '1.2.840.113549.1.1.12',
  'SHA-512': '1.2.840.113549.1.1.13',
};

const ECDSA_SIGNATURE_OIDS: Record<HashName, string> = {
  'SHA-1': '1.2.840.10045.4.1',
  'SHA-256': '1.2.840.10045.4.3.2',
  'SHA-384': '1.2.840.10045.4.3.3',
  'SHA-512': '1.2.840.10045.4.3.4',
};

/**
 * The AlgorithmIdentifier of a digest: parameters absent for SHA-2 (RFC 5754 §2), NULL for SHA-1
 * (as Windows writes it; RFC 3370 accepts both).
 *
 * @category Enrollment
 */
export function digestAlgorithm(hash: HashName): Der {
  return hash === 'SHA-1'
    ? sequence(oid(DIGEST_OIDS[hash]), nullValue())
    : sequence(oid(DIGEST_OIDS[hash]));
}

/** The AlgorithmIdentifier of a signature by a key of `algorithm` with `hash`.
 *
 * @category Enrollment
 */
export function signatureAlgorithm(algorithm: KeyAlgorithmName, hash: HashName): Der {
  return algorithm.startsWith('RSA')
    ? sequence(oid(RSA_SIGNATURE_OIDS[hash]), nullValue())
    : sequence(oid(ECDSA_SIGNATURE_OIDS[hash]));
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
