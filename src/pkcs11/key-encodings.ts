import { createHash, createPublicKey, timingSafeEqual } from 'node:crypto';
import type { HashName } from '../card/contract/smart-card.js';
import { children, DerError, readSingle } from '../lib/der.js';

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

/** The DER SubjectPublicKeyInfo of a P-256 key, from the token's CKA_EC_POINT.
 *
 * @category Cards
 */
export function p256Spki(ecPoint: Buffer): Uint8Array<ArrayBuffer> {
  // CKA_EC_POINT is the point as a DER OCTET STRING (some tokens give it bare).
  let point = ecPoint;
  if (point.length === 67 && point[0] === 0x04 && point[1] === 0x41) point = point.subarray(2);
  if (point.length !== 65 || point[0] !== 0x04) {
    throw new DerError('the token gave an EC point that is not an uncompressed P-256 point');
  }
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
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

/** DigestInfo prefixes (RFC 8017 §9.2), for signing a hash with CKM_RSA_PKCS. */
const DIGEST_INFO: Record<HashName, string> = {
  'SHA-1': '3021300906052b0e03021a05000414',
  'SHA-256': '3031300d060960864801650304020105000420',
  'SHA-384': '3041300d060960864801650304020205000430',
  'SHA-512': '3051300d060960864801650304020305000440',
};

export function digest(hash: HashName, data: Uint8Array): Buffer {
  return createHash(NODE_HASH[hash]).update(data).digest();
}

/** The DigestInfo of `data`'s hash: what CKM_RSA_PKCS signs for RSASSA-PKCS1-v1_5.
 *
 * @category Cards
 */
export function digestInfo(hash: HashName, data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(DIGEST_INFO[hash], 'hex'), digest(hash, data)]);
}

function mgf1(hash: string, seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  let total = 0;
  for (let counter = 0; total < length; counter++) {
    const counterBytes = Buffer.alloc(4);
    counterBytes.writeUInt32BE(counter);
    const block = createHash(hash).update(seed).update(counterBytes).digest();
    out.push(block);
    total += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

/**
 * EME-OAEP decoding (RFC 8017 §7.1.2) of a raw RSA result `em` (as long as the modulus), with
 * an empty label and MGF1 over the same hash: for tokens whose own OAEP lacks the hash asked for,
 * the private-key operation runs on the token (CKM_RSA_X_509) and only this unpadding here.
 * `undefined` when the padding is wrong; every check runs whatever fails first.
 *
 * @category Cards
 */
export function oaepDecode(hash: 'SHA-1' | 'SHA-256', em: Buffer): Buffer | undefined {
  const name = NODE_HASH[hash];
  const hLen = createHash(name).digest().length;
  const modulusLength = em.length;
  if (modulusLength < 2 * hLen + 2) return undefined;
  const leadingByte = em[0] ?? 1;
  const maskedSeed = em.subarray(1, 1 + hLen);
  const maskedDb = em.subarray(1 + hLen);
  const seedMask = mgf1(name, maskedDb, hLen);
  const seed = Buffer.from(maskedSeed.map((b, i) => b ^ (seedMask[i] ?? 0)));
  const dbMask = mgf1(name, seed, modulusLength - hLen - 1);
  const db = Buffer.from(maskedDb.map((b, i) => b ^ (dbMask[i] ?? 0)));
  const lHash = createHash(name).digest();
  let bad = leadingByte !== 0 ? 1 : 0;
  bad |= timingSafeEqual(db.subarray(0, hLen), lHash) ? 0 : 1;
  let index = 0;
  let looking = 1;
  for (let i = hLen; i < db.length; i++) {
    const byte = db[i] ?? 0;
    const isOne = byte === 1 ? 1 : 0;
    const isZero = byte === 0 ? 1 : 0;
    if (looking === 1 && isOne === 1) index = i;
    bad |= looking & (1 - isOne) & (1 - isZero);
    looking &= 1 - isOne;
  }
  bad |= looking;
  return bad === 0 ? db.subarray(index + 1) : undefined;
}
