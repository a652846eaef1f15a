/**
 * A signature over DER to-be-signed bytes with a CA's key (SHA-256; SHA-384 for P-384), as
 * X.509 structures carry it: the AlgorithmIdentifier and the BIT STRING that follow the signed
 * part in a CRL or a basic OCSP response. Internal.
 */
import { type Der, tlv } from '../../lib/der-write.js';
import { encodeSignature, signatureAlgorithm } from '../algorithms.js';
import { caSignatureOf } from './signing-key.js';

/**
 * Signs `tbs` with `key` (RSASSA-PKCS1-v1_5 or ECDSA, with the hash `caSignatureOf` pairs) and
 * answers the signatureAlgorithm and signature fields that follow it.
 *
 * @category Certificate authority
 */
export async function signatureFields(
  tbs: Uint8Array,
  key: CryptoKey,
  crypto: Crypto,
): Promise<readonly [algorithm: Der, signature: Der]> {
  const { kind, hash } = caSignatureOf(key);
  const params = kind.startsWith('ECDSA') ? { name: 'ECDSA', hash } : key.algorithm;
  const signed = await crypto.subtle.sign(params, key, new Uint8Array(tbs));
  const value = encodeSignature(kind, new Uint8Array(signed));
  return [signatureAlgorithm(kind, hash), tlv(0x03, new Uint8Array([0]), value)];
}
