import { createHash, createPublicKey } from 'node:crypto';
import type { HashName } from '../card/contract/smart-card.js';
import { children, DerError, readSingle } from '../lib/der.js';
import { digestInfo as digestInfoOf } from '../lib/rsa-padding.js';

/** The DER SubjectPublicKeyInfo of an RSA key, from the token's modulus and exponent.
 *
 * @category Cards
 */
export function rsaSpki(modulus: Buffer, exponent: Buffer): Uint8Array<ArrayBuffer> {
  const key = createPublicKey({
    key: {
      kty: 'RSA',
      n: unsigned(modulus).toString('base64url'),
      e: unsigned(exponent).toString('base64url'),
    },
    format: 'jwk',
  });
  return new Uint8Array(key.export({ type: 'spki', format: 'der' }));
}

/**
 * An EC curve the SDK's token keys may be on: its `CKA_EC_PARAMS` (the curve's OID, DER), the
 * contract's algorithm name, its JWK name and a coordinate's length in bytes.
 *
 * @category Cards
 */
export interface TokenCurve {
  readonly algorithm: 'ECDSA-P256' | 'ECDSA-P384';
  readonly params: Buffer;
  readonly jwkCurve: 'P-256' | 'P-384';
  readonly size: number;
}

/**
 * The EC curves of token keys: P-256 (prime256v1) and P-384 (secp384r1).
 *
 * @example
 * ```ts
 * import { TOKEN_CURVES } from './key-encodings.js';
 *
 * declare const params: Buffer; // a key's CKA_EC_PARAMS
 * const curve = TOKEN_CURVES.find((candidate) => candidate.params.equals(params));
 * curve?.algorithm; // 'ECDSA-P256' or 'ECDSA-P384'
 * ```
 *
 * @category Cards
 */
export const TOKEN_CURVES: readonly TokenCurve[] = [
  {
    algorithm: 'ECDSA-P256',
    params: Buffer.from('06082a8648ce3d030107', 'hex'),
    jwkCurve: 'P-256',
    size: 32,
  },
  {
    algorithm: 'ECDSA-P384',
    params: Buffer.from('06052b81040022', 'hex'),
    jwkCurve: 'P-384',
    size: 48,
  },
];

/** The DER SubjectPublicKeyInfo of an EC key on `curve`, from the token's CKA_EC_POINT.
 *
 * @category Cards
 */
export function ecSpki(ecPoint: Buffer, curve: TokenCurve): Uint8Array<ArrayBuffer> {
  // CKA_EC_POINT is the point as a DER OCTET STRING (some tokens give it bare).
  const pointBytes = 1 + 2 * curve.size;
  let point = ecPoint;
  if (point.length === pointBytes + 2 && point[0] === 0x04 && point[1] === pointBytes) {
    point = point.subarray(2);
  }
  if (point.length !== pointBytes || point[0] !== 0x04) {
    throw new DerError(
      `the token gave an EC point that is not an uncompressed ${curve.jwkCurve} point`,
    );
  }
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: curve.jwkCurve,
      x: point.subarray(1, 1 + curve.size).toString('base64url'),
      y: point.subarray(1 + curve.size).toString('base64url'),
    },
    format: 'jwk',
  });
  return new Uint8Array(key.export({ type: 'spki', format: 'der' }));
}

/** The modulus of an RSA SubjectPublicKeyInfo, as a number.
 *
 * @category Cards
 */
export function rsaModulus(spki: Uint8Array): bigint {
  const jwk = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({
    format: 'jwk',
  });
  return BigInt(`0x${Buffer.from(jwk.n ?? '', 'base64url').toString('hex') || '0'}`);
}

function unsigned(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  return bytes.subarray(start);
}

/** The same public key in canonical DER, or `undefined` when `spki` is not one node reads.
 *
 * @category Cards
 */
export function canonicalSpki(spki: Uint8Array): Buffer | undefined {
  try {
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    return key.export({ type: 'spki', format: 'der' });
  } catch {
    return undefined;
  }
}

/** The DER subject Name of an X.509 certificate (already checked by `certificateSpki`).
 *
 * @category Cards
 */
export function certificateSubject(der: Uint8Array): Buffer {
  const cert = readSingle(der);
  const [tbs] = children(der, cert);
  if (tbs === undefined) throw new DerError('no tbsCertificate');
  const fields = children(der, tbs);
  const skip = fields[0]?.tag === 0xa0 ? 1 : 0;
  const subject = fields[skip + 4];
  if (subject === undefined) throw new DerError('no subject');
  return Buffer.from(der.subarray(subject.start, subject.end));
}

export const NODE_HASH: Record<HashName, string> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

export function digest(hash: HashName, data: Uint8Array): Buffer {
  return createHash(NODE_HASH[hash]).update(data).digest();
}

/** The DigestInfo of `data`'s hash: what CKM_RSA_PKCS signs for RSASSA-PKCS1-v1_5.
 *
 * @category Cards
 */
export function digestInfo(hash: HashName, data: Uint8Array): Buffer {
  return Buffer.from(digestInfoOf(hash, digest(hash, data)));
}
