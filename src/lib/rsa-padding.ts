/**
 * RSA paddings done on the host for a card that only does the raw RSA operation (a PIV card's
 * GENERAL AUTHENTICATE): the EMSA-PKCS1-v1_5 block of a signature and the EME-OAEP decoding of
 * a decryption (RFC 8017 §9.2 and §7.1.2), over WebCrypto digests so browsers can run them.
 * Internal: never exported from the package.
 */
import { concatBytes } from './bytes.js';
import { nullValue, octetString, oid, sequence } from './der-write.js';
import { type DigestName, digestOid } from './signature-algorithms.js';

/** The DigestInfo of `digest` (RFC 8017 §9.2 step 2): the hash's OID and the digest. */
export function digestInfo(hash: DigestName, digest: Uint8Array): Uint8Array<ArrayBuffer> {
  return sequence(sequence(oid(digestOid(hash)), nullValue()), octetString(digest));
}

/**
 * The EMSA-PKCS1-v1_5 block of `digest` for a modulus of `modulusBytes` bytes:
 * `00 01 FF … FF 00 DigestInfo`, at least 8 bytes of FF.
 */
export function pkcs1v15SignatureBlock(
  hash: DigestName,
  digest: Uint8Array,
  modulusBytes: number,
): Uint8Array<ArrayBuffer> {
  const info = digestInfo(hash, digest);
  const fill = modulusBytes - info.length - 3;
  if (fill < 8) throw new RangeError('the modulus is too short for this DigestInfo');
  return concatBytes(Uint8Array.of(0, 1), new Uint8Array(fill).fill(0xff), Uint8Array.of(0), info);
}

async function mgf1(subtle: SubtleCrypto, hash: DigestName, seed: Uint8Array, length: number) {
  const blocks: Uint8Array[] = [];
  let total = 0;
  for (let counter = 0; total < length; counter++) {
    const counterBytes = Uint8Array.of(counter >>> 24, counter >>> 16, counter >>> 8, counter);
    const block = new Uint8Array(await subtle.digest(hash, concatBytes(seed, counterBytes)));
    blocks.push(block);
    total += block.length;
  }
  return concatBytes(...blocks).subarray(0, length);
}

/**
 * The message inside `encoded`, the raw RSA result (as long as the modulus) of an RSA-OAEP
 * ciphertext with an empty label, or `undefined` when it is not one. The checks run to the end
 * whatever fails first, without branching on secret bytes, so the time taken says little of why.
 */
export async function oaepDecode(
  subtle: SubtleCrypto,
  hash: DigestName,
  encoded: Uint8Array,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const labelHash = new Uint8Array(await subtle.digest(hash, new Uint8Array(0)));
  const hashLength = labelHash.length;
  if (encoded.length < 2 * hashLength + 2) return undefined;
  const maskedSeed = encoded.subarray(1, 1 + hashLength);
  const maskedBlock = encoded.subarray(1 + hashLength);
  const seedMask = await mgf1(subtle, hash, maskedBlock, hashLength);
  const seed = maskedSeed.map((byte, i) => byte ^ (seedMask[i] as number));
  const blockMask = await mgf1(subtle, hash, seed, maskedBlock.length);
  const block = maskedBlock.map((byte, i) => byte ^ (blockMask[i] as number));
  let bad = encoded[0] as number;
  for (let i = 0; i < hashLength; i++) bad |= (block[i] as number) ^ (labelHash[i] as number);
  let start = 0;
  let looking = 1;
  for (let i = hashLength; i < block.length; i++) {
    const byte = block[i] as number;
    const isOne = Number(byte === 1);
    const isZero = Number(byte === 0);
    start += looking * isOne * (i + 1);
    bad |= looking & (1 - isOne) & (1 - isZero);
    looking &= 1 - isOne;
  }
  bad |= looking;
  return bad === 0 ? block.slice(start) : undefined;
}
