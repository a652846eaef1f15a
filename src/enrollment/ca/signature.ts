/**
 * Signature algorithms the CA accepts on requests, and their verification with WebCrypto.
 * Internal.
 */
import type { HashName } from '../../card/types.js';
import { ecdsaP1363 } from '../../lib/ecdsa.js';
import { OID } from '../oids.js';
import { refuse } from './asn1.js';
import type { PublicKeyFacts } from './public-key.js';

/** How a signature was made: RSASSA-PKCS1-v1_5 or ECDSA, with a hash.
 *
 * @category Certificate authority
 */
export interface SignatureScheme {
  readonly kind: 'rsa' | 'ec';
  readonly hash: HashName;
}

const SIGNATURE_ALGORITHMS: Readonly<Record<string, SignatureScheme>> = {
  '1.2.840.113549.1.1.5': { kind: 'rsa', hash: 'SHA-1' },
  '1.2.840.113549.1.1.11': { kind: 'rsa', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { kind: 'rsa', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { kind: 'rsa', hash: 'SHA-512' },
  '1.2.840.10045.4.1': { kind: 'ec', hash: 'SHA-1' },
  '1.2.840.10045.4.3.2': { kind: 'ec', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { kind: 'ec', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { kind: 'ec', hash: 'SHA-512' },
};

/** Digest algorithm OIDs (CMS digestAlgorithm).
 *
 * @category Certificate authority
 */
export const DIGEST_ALGORITHMS: Readonly<Record<string, HashName>> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

/**
 * The scheme of a signature algorithm OID. CMS signers may name only the key type
 * (rsaEncryption, id-ecPublicKey) and give the hash as `digest`; a named hash that disagrees
 * with `digest` is refused. SHA-1 is accepted: old CAs' forms ask for it.
 *
 * @category Certificate authority
 */
export function signatureScheme(algorithm: string, digest?: HashName): SignatureScheme {
  const known = Object.hasOwn(SIGNATURE_ALGORITHMS, algorithm)
    ? SIGNATURE_ALGORITHMS[algorithm]
    : undefined;
  if (known !== undefined) {
    if (digest !== undefined && digest !== known.hash) {
      refuse('The signature algorithm and the digest algorithm disagree.');
    }
    return known;
  }
  if (digest !== undefined && algorithm === OID.rsaEncryption) return { kind: 'rsa', hash: digest };
  if (digest !== undefined && algorithm === OID.ecPublicKey) return { kind: 'ec', hash: digest };
  return refuse(`The signature algorithm ${algorithm} is not supported.`);
}

/** Looks up a CMS digest algorithm OID, refusing unknown ones.
 *
 * @category Certificate authority
 */
export function digestAlgorithm(oid: string): HashName {
  const hash = Object.hasOwn(DIGEST_ALGORITHMS, oid) ? DIGEST_ALGORITHMS[oid] : undefined;
  return hash ?? refuse(`The digest algorithm ${oid} is not supported.`);
}

/**
 * Whether `signature` over `data` verifies with the public key `spki` (whose facts the caller
 * has checked). ECDSA signatures arrive DER-encoded (as X.509 and CMS carry them) and are
 * converted to the r‖s form WebCrypto takes; a malformed one does not verify.
 *
 * @category Certificate authority
 */
export async function verifySignature(
  crypto: Crypto,
  spki: Uint8Array<ArrayBuffer>,
  key: PublicKeyFacts,
  scheme: SignatureScheme,
  data: Uint8Array<ArrayBuffer>,
  signature: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  if (key.kind !== scheme.kind) refuse('The signature algorithm does not fit the key type.');
  try {
    if (scheme.kind === 'rsa') {
      const params = { name: 'RSASSA-PKCS1-v1_5', hash: scheme.hash };
      const publicKey = await crypto.subtle.importKey('spki', spki, params, false, ['verify']);
      return await crypto.subtle.verify(params, publicKey, signature, data);
    }
    const rs = ecdsaP1363(signature, 32);
    if (rs === undefined) return false;
    const importParams = { name: 'ECDSA', namedCurve: 'P-256' };
    const publicKey = await crypto.subtle.importKey('spki', spki, importParams, false, ['verify']);
    return await crypto.subtle.verify({ name: 'ECDSA', hash: scheme.hash }, publicKey, rs, data);
  } catch (cause) {
    return refuse('The public key could not be used to check the signature.', cause);
  }
}
