/**
 * The check of a card's answer: the signature over the domain-separated message under the
 * certificate's key, with SHA-256. RSASSA-PKCS1-v1_5 for RSA keys; ECDSA for EC keys, in the
 * IEEE P1363 r‖s form cards and WebCrypto produce or as a DER Ecdsa-Sig-Value. Internal.
 */
import { ecdsaP1363 } from '../../lib/ecdsa.js';
import { type KeyCache, keyFacts, verifyingKey } from '../path/signature.js';

/** The largest signature looked at: RSA-4096 is 512 bytes.
 *
 * @category Server
 */
export const MAX_SIGNATURE = 1024;

/**
 * Whether `signature` over `message` verifies under `spki`; a string says why it cannot. The
 * imported key is kept in `keys` under `spki` (the array itself), where path validation keeps
 * the keys it imports.
 *
 * @category Server
 */
export async function verifyCardSignature(
  crypto: Crypto,
  spki: Uint8Array,
  message: Uint8Array<ArrayBuffer>,
  signature: Uint8Array,
  keys: KeyCache = new WeakMap(),
): Promise<true | string> {
  const key = keyFacts(spki);
  if (typeof key === 'string') return `the certificate has ${key}`;
  const candidates: Uint8Array<ArrayBuffer>[] = [];
  if (key.kind === 'rsa') candidates.push(new Uint8Array(signature));
  else {
    if (signature.length === key.size * 2) candidates.push(new Uint8Array(signature));
    const fromDer = ecdsaP1363(signature, key.size);
    if (fromDer !== undefined) candidates.push(fromDer);
  }
  if (candidates.length === 0) return 'the signature is not an ECDSA signature for this key';
  const { params, publicKey: imported } = verifyingKey(crypto, keys, spki, key, 'SHA-256');
  let publicKey: CryptoKey;
  try {
    publicKey = await imported;
  } catch {
    return 'the certificate key cannot be imported';
  }
  for (const candidate of candidates) {
    try {
      if (await crypto.subtle.verify(params, publicKey, candidate, message)) return true;
    } catch {
      // A signature of the wrong size for the key: it does not verify.
    }
  }
  return 'the signature does not verify under the certificate key';
}
