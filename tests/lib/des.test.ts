import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/lib/bytes.js';
import { desCrypt, tripleDesCrypt } from '../../src/lib/des.js';

const hex = (text: string) => fromHex(text) as Uint8Array<ArrayBuffer>;

describe('DES and Triple DES', () => {
  it('answers the NIST SP 800-20 variable-plaintext known answers (key 01..01)', () => {
    const key = hex('0101010101010101');
    expect(toHex(desCrypt(key, hex('8000000000000000')))).toBe('95f8a5e5dd31d900');
    expect(toHex(desCrypt(key, hex('4000000000000000')))).toBe('dd7f121ca5015619');
    expect(toHex(desCrypt(key, hex('95f8a5e5dd31d900'), true))).toBe('8000000000000000');
  });

  it('answers the classic worked example (key 133457799BBCDFF1)', () => {
    const key = hex('133457799bbcdff1');
    expect(toHex(desCrypt(key, hex('0123456789abcdef')))).toBe('85e813540f0ab405');
  });

  it('answers the NIST SP 800-67 TDEA example with three keys', () => {
    const key = hex('0123456789abcdef23456789abcdef01456789abcdef0123');
    const plain = hex('5468652071756663'); // "The qufc"
    expect(toHex(tripleDesCrypt(key, plain))).toBe('a826fd8ce53b855f');
    expect(toHex(tripleDesCrypt(key, hex('a826fd8ce53b855f'), true))).toBe('5468652071756663');
  });

  it('agrees with OpenSSL on the PIV default management key, 3 and 2 keys', () => {
    const block = hex('0011223344556677');
    for (const key of [
      hex('010203040506070801020304050607080102030405060708'),
      hex('0123456789abcdeffedcba9876543210'),
    ]) {
      const cipher = createCipheriv(key.length === 24 ? 'des-ede3' : 'des-ede', key, null);
      cipher.setAutoPadding(false);
      const expected = Buffer.concat([cipher.update(block), cipher.final()]).toString('hex');
      expect(toHex(tripleDesCrypt(key, block))).toBe(expected);
      expect(toHex(tripleDesCrypt(key, tripleDesCrypt(key, block), true))).toBe(toHex(block));
    }
  });

  it('refuses blocks and keys of other lengths', () => {
    expect(() => desCrypt(new Uint8Array(8), new Uint8Array(7))).toThrow(RangeError);
    expect(() => tripleDesCrypt(new Uint8Array(8), new Uint8Array(8))).toThrow(RangeError);
  });
});
