import {
  constants,
  createHash,
  generateKeyPairSync,
  privateDecrypt,
  privateEncrypt,
  publicEncrypt,
  verify,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/lib/bytes.js';
import { digestInfo, oaepDecode, pkcs1v15SignatureBlock } from '../../src/lib/rsa-padding.js';

const { subtle } = globalThis.crypto;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });

describe('RSA paddings on the host', () => {
  it('writes the RFC 8017 DigestInfo prefixes', () => {
    const digest = new Uint8Array(32);
    expect(toHex(digestInfo('SHA-256', digest)).slice(0, 38)).toBe(
      '3031300d060960864801650304020105000420',
    );
    expect(toHex(digestInfo('SHA-1', new Uint8Array(20))).slice(0, 30)).toBe(
      '3021300906052b0e03021a05000414',
    );
  });

  it('builds the EMSA-PKCS1-v1_5 block a raw RSA operation turns into a valid signature', () => {
    const data = Buffer.from('challenge');
    const digest = createHash('sha256').update(data).digest();
    const block = pkcs1v15SignatureBlock('SHA-256', digest, 128);
    expect(block.length).toBe(128);
    // The raw private operation on the block is the signature, which node verifies.
    const signature = privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, block);
    expect(verify('sha256', data, publicKey, signature)).toBe(true);
  });

  it('decodes what RSA-OAEP encrypted, with SHA-1 and SHA-256, and refuses other bytes', async () => {
    for (const [hash, node] of [
      ['SHA-1', 'sha1'],
      ['SHA-256', 'sha256'],
    ] as const) {
      const secret = Buffer.from(`session key ${hash}`);
      const ciphertext = publicEncrypt(
        { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: node },
        secret,
      );
      const raw = privateDecrypt(
        { key: privateKey, padding: constants.RSA_NO_PADDING },
        ciphertext,
      );
      expect(Buffer.from((await oaepDecode(subtle, hash, raw)) ?? [])).toEqual(secret);
      expect(await oaepDecode(subtle, hash, new Uint8Array(128))).toBeUndefined();
      const flipped = Uint8Array.from(raw);
      flipped[5] = (flipped[5] as number) ^ 1;
      expect(await oaepDecode(subtle, hash, flipped)).toBeUndefined();
    }
  });
});
