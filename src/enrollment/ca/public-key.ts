/**
 * What the CA needs to know about a requested public key: its kind and strength, and its key
 * identifier. Internal.
 */
import { children, readSingle, type Tlv } from '../../lib/der.js';
import { contentOf, integerOf, oidOf } from '../../lib/der-values.js';
import { keyIdentifier as subjectKeyIdentifier } from '../algorithms.js';
import { CA_OID } from '../oids.js';
import { itemsOf, parseWith, readDer, refuse } from './reading.js';

/** The largest RSA modulus the CA reads, in bits (what a card makes at most).
 *
 * @category Certificate authority
 */
export const MAX_RSA_BITS = 4096;

/** The largest RSA public exponent the CA reads (65537 is the norm). */
const MAX_RSA_EXPONENT = 0xffff_ffffn;

const SEQUENCE = 0x30;

/** The only curve the CA accepts, as the cards generate it.
 *
 * @category Certificate authority
 */
export const P256_OID = '1.2.840.10045.3.1.7';

/**
 * A public key the CA can certify: RSA with its modulus size, or ECDSA on P-256.
 *
 * @category Certificate authority
 */
export type PublicKeyFacts =
  | { readonly kind: 'rsa'; readonly bits: number }
  | { readonly kind: 'ec'; readonly curve: 'P-256' };

/**
 * Reads a DER SubjectPublicKeyInfo; refuses key types other than RSA and EC P-256, RSA keys
 * with a negative or even modulus, a modulus above 4096 bits, a public exponent that is not odd
 * from 3 to 2³²−1, and malformed encodings.
 *
 * @category Certificate authority
 */
export function publicKeyFacts(spki: Uint8Array): PublicKeyFacts {
  const root = readDer(spki, 'The public key');
  return parseWith('The public key', () => readFacts(spki, root));
}

function readFacts(spki: Uint8Array, root: Tlv): PublicKeyFacts {
  const [algorithm, key, ...rest] = itemsOf(spki, root, SEQUENCE, 'The key');
  if (rest.length > 0 || key?.tag !== 0x03 || spki[key.valueStart] !== 0) {
    refuse('The public key is not a SubjectPublicKeyInfo.');
  }
  const [type, parameters, ...more] = itemsOf(spki, algorithm, SEQUENCE, 'The key algorithm');
  if (more.length > 0) refuse('The key algorithm has too many fields.');
  const oid = oidOf(spki, type);
  if (oid === CA_OID.ecPublicKey) {
    if (parameters?.tag !== 0x06 || oidOf(spki, parameters) !== P256_OID) {
      refuse('Only EC keys on P-256 are accepted.');
    }
    return { kind: 'ec', curve: 'P-256' };
  }
  if (oid !== CA_OID.rsaEncryption) refuse(`Keys of type ${oid} are not accepted.`);
  if (parameters !== undefined && parameters.tag !== 0x05) {
    refuse('An RSA key algorithm has NULL parameters.');
  }
  const bits = contentOf(spki, key).subarray(1);
  const rsa = readDer(bits, 'The RSA public key');
  const [modulus, exponent, ...extra] = itemsOf(bits, rsa, SEQUENCE, 'The RSA public key');
  if (extra.length > 0 || modulus?.tag !== 0x02 || exponent?.tag !== 0x02) {
    refuse('The RSA public key is not SEQUENCE { modulus, publicExponent }.');
  }
  const modulusValue = integerOf(bits, modulus);
  const exponentValue = integerOf(bits, exponent);
  if (modulusValue <= 0n || modulusValue % 2n === 0n)
    refuse('The RSA modulus is not a positive odd number.');
  if (exponentValue < 3n || exponentValue % 2n === 0n)
    refuse('The RSA public exponent is not an odd number above 2.');
  // Bounds on the cost of checking the request's signatures: a card makes at most RSA-4096,
  // with e = 65537; a huge modulus or exponent only makes each check slow.
  const size = modulusValue.toString(2).length;
  if (size > MAX_RSA_BITS) refuse(`An RSA key of ${size} bits is above ${MAX_RSA_BITS} bits.`);
  if (exponentValue > MAX_RSA_EXPONENT) refuse('The RSA public exponent is above 2^32-1.');
  return { kind: 'rsa', bits: size };
}

/**
 * The contents of the subjectPublicKey BIT STRING of a DER SubjectPublicKeyInfo (the key itself,
 * without the unused-bits byte).
 *
 * @category Certificate authority
 */
export function subjectPublicKeyBits(spki: Uint8Array): Uint8Array<ArrayBuffer> {
  return parseWith('The public key', () => {
    const [, bits] = children(spki, readSingle(spki));
    if (bits === undefined || bits.tag !== 0x03) throw new Error('no subjectPublicKey');
    return spki.slice(bits.valueStart + 1, bits.end);
  });
}

/**
 * The key identifier of a public key, RFC 5280 §4.2.1.2 method 1: the SHA-1 hash of the
 * subjectPublicKey BIT STRING contents. What AD CS and OpenSSL put in SKI extensions. Computed
 * as the requests compute it (`enrollment/algorithms.ts`); a malformed key is refused first.
 *
 * @category Certificate authority
 */
export async function keyIdentifier(
  crypto: Crypto,
  spki: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  subjectPublicKeyBits(spki); // a malformed key is refused as the CA refuses requests
  return subjectKeyIdentifier(crypto, spki);
}
