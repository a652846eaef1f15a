import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptBlock, encryptBlock } from '../../src/lib/block-cipher.js';
import { fromHex, toHex } from '../../src/lib/bytes.js';

const hex = (text: string) => fromHex(text) as Uint8Array<ArrayBuffer>;
const { subtle } = globalThis.crypto;

describe('one block in ECB', () => {
  it('answers the FIPS 197 AES-128 and AES-256 examples, both ways', async () => {
    const plain = hex('00112233445566778899aabbccddeeff');
    const cases = [
      ['000102030405060708090a0b0c0d0e0f', '69c4e0d86a7b0430d8cdb78070b4c55a'],
      ['000102030405060708090a0b0c0d0e0f1011121314151617', 'dda97ca4864cdfe06eaf70a0ec0d7191'],
      [
        '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
        '8ea2b7ca516745bfeafc49904b496089',
      ],
    ] as const;
    for (const [key, cipher] of cases) {
      expect(toHex(await encryptBlock(subtle, 'AES', hex(key), plain))).toBe(cipher);
      expect(toHex(await decryptBlock(subtle, 'AES', hex(key), hex(cipher)))).toBe(toHex(plain));
    }
  });

  it('does 3DES with des.ts, as OpenSSL does', async () => {
    const key = hex('010203040506070801020304050607080102030405060708');
    const block = hex('8899aabbccddeeff');
    const cipher = createCipheriv('des-ede3', key, null);
    cipher.setAutoPadding(false);
    const expected = Buffer.concat([cipher.update(block), cipher.final()]).toString('hex');
    const encrypted = await encryptBlock(subtle, '3DES', key, block);
    expect(toHex(encrypted)).toBe(expected);
    expect(toHex(await decryptBlock(subtle, '3DES', key, encrypted))).toBe(toHex(block));
  });

  it('refuses a block of the wrong length', async () => {
    await expect(
      encryptBlock(subtle, 'AES', new Uint8Array(16), new Uint8Array(8)),
    ).rejects.toThrow(RangeError);
  });
});
