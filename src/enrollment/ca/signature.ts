/**
 * Signature algorithms the CA accepts on requests, and their verification with WebCrypto.
 * Internal.
 */
import type { HashName } from '../../card/contract/smart-card.js';
import { ecdsaP1363 } from '../../lib/ecdsa.js';
import {
  digestOf,
  type SignatureScheme,
  signatureSchemeOf,
} from '../../lib/signature-algorithms.js';
import { CA_OID } from '../oids.js';
import type { PublicKeyFacts } from './public-key.js';
import { refuse } from './reading.js';

/**
 * The scheme of a signature algorithm OID. CMS signers may name only the key type
 * (rsaEncryption, id-ecPublicKey) and give the hash as `digest`; a named hash that disagrees
 * with `digest` is refused. SHA-1 is accepted: old CAs' forms ask for it.
 *
 * @category Certificate authority
 */
export function signatureScheme(algorithm: string, digest?: HashName): SignatureScheme {
  const known = signatureSchemeOf(algorithm);
  if (known !== undefined) {
    if (digest !== undefined && digest !== known.hash) {
      refuse('The signature algorithm and the digest algorithm disagree.');
    }
    return known;
  }
  if (digest !== undefined && algorithm === CA_OID.rsaEncryption)
    return { kind: 'rsa', hash: digest };
  if (digest !== undefined && algorithm === CA_OID.ecPublicKey) return { kind: 'ec', hash: digest };
  return refuse(`The signature algorithm ${algorithm} is not supported.`);
}

/** Looks up a CMS digest algorithm OID, refusing unknown ones.
 *
 * @category Certificate authority
 */
export function digestAlgorithm(oid: string): HashName {
  return digestOf(oid) ?? refuse(`The digest algorithm ${oid} is not supported.`);
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
