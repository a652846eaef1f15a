/**
 * A signature over DER to-be-signed bytes with a CA's key (SHA-256), as X.509 structures carry
 * it: the AlgorithmIdentifier and the BIT STRING that follow the signed part in a CRL or a basic
 * OCSP response. Internal.
 */
import { type Der, tlv } from '../../lib/der-write.js';
import { encodeSignature, signatureAlgorithm } from '../algorithms.js';

/**
 * Signs `tbs` with `key` (RSASSA-PKCS1-v1_5 or ECDSA P-256, SHA-256) and answers the
 * signatureAlgorithm and signature fields that follow it.
 *
 * @category Certificate authority
 */
export async function signatureFields(
  tbs: Uint8Array,
  key: CryptoKey,
  crypto: Crypto,
): Promise<readonly [algorithm: Der, signature: Der]> {
  const kind = key.algorithm.name === 'ECDSA' ? 'ECDSA-P256' : 'RSA-2048';
  const params = kind === 'ECDSA-P256' ? { name: 'ECDSA', hash: 'SHA-256' } : key.algorithm;
  const signed = await crypto.subtle.sign(params, key, new Uint8Array(tbs));
  const value = encodeSignature(kind, new Uint8Array(signed));
  return [signatureAlgorithm(kind, 'SHA-256'), tlv(0x03, new Uint8Array([0]), value)];
}
