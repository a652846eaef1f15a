/**
 * The contract's second opinion: WebCrypto, not the card, checks the card's signatures and
 * encrypts what the card must decrypt, so a card that answers with the wrong bytes fails.
 */
import { signingParams } from '../../card/chip/key-material.js';
import type { HashName, KeyAlgorithmName } from '../../card/contract/smart-card.js';
import { getCrypto, type WebCrypto } from '../../crypto.js';

/** Every hash a card signs with, as the contract names them. */
export const SIGNATURE_HASHES: readonly HashName[] = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];

/** The hashes of RSA-OAEP a card decrypts with. */
export const OAEP_HASHES = ['SHA-256', 'SHA-1'] as const;

/** The runtime's WebCrypto, or the one the options gave. */
export function contractCrypto(crypto: WebCrypto | undefined): Promise<WebCrypto> {
  return getCrypto(crypto === undefined ? {} : { crypto });
}

/**
 * Whether `signature` is a valid signature of `data` by the key `spki` (DER
 * SubjectPublicKeyInfo): RSASSA-PKCS1-v1_5 for RSA keys, ECDSA (r‖s) for P-256 and P-384 keys.
 * A key that does not import, or a signature of the wrong size, does not verify.
 */
export async function signatureVerifies(
  crypto: WebCrypto,
  check: {
    spki: Uint8Array<ArrayBuffer>;
    algorithm: KeyAlgorithmName;
    hash: HashName;
    data: Uint8Array<ArrayBuffer>;
    signature: Uint8Array<ArrayBuffer>;
  },
): Promise<boolean> {
  const ec = check.algorithm.startsWith('ECDSA');
  try {
    const key = await crypto.subtle.importKey(
      'spki',
      check.spki,
      signingParams(check.algorithm, check.hash),
      false,
      ['verify'],
    );
    const algorithm = ec ? { name: 'ECDSA', hash: check.hash } : { name: 'RSASSA-PKCS1-v1_5' };
    return await crypto.subtle.verify(algorithm, key, check.signature, check.data);
  } catch {
    return false;
  }
}

/** `plaintext` encrypted with RSA-OAEP (MGF1 with the same hash) to the RSA key `spki`. */
export async function oaepEncrypt(
  crypto: WebCrypto,
  spki: Uint8Array<ArrayBuffer>,
  hash: (typeof OAEP_HASHES)[number],
  plaintext: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey('spki', spki, { name: 'RSA-OAEP', hash }, false, [
    'encrypt',
  ]);
  return new Uint8Array(await crypto.subtle.encrypt({ name: 'RSA-OAEP' }, key, plaintext));
}
