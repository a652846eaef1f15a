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

  it.each([
    // NIST SP 800-17, variable plaintext known answer test (key 01..01)
    ['0101010101010101', '8000000000000000', '95f8a5e5dd31d900'],
    ['0101010101010101', '4000000000000000', 'dd7f121ca5015619'],
    ['0101010101010101', '0000000000000001', '166b40b44aba4bd6'],
    // NIST SP 800-17, variable key known answer test
    ['8001010101010101', '0000000000000000', '95a8d72813daa94d'],
    // NIST SP 800-17, permutation operation known answer test
    ['1046913489980131', '0000000000000000', '88d55e54f54c97b4'],
    // NIST SP 800-17, substitution table known answer test
    ['7ca110454a1a6e57', '01a1d6d039776742', '690f5b0d9a26939b'],
    ['0131d9619dc1376e', '5cd54ca83def57da', '7a389d10354bd271'],
  ])('SP 800-17: key %s encrypts %s to %s and back', (key, plain, cipher) => {
    expect(toHex(desCrypt(hex(key), hex(plain)))).toBe(cipher);
    expect(toHex(desCrypt(hex(key), hex(cipher), true))).toBe(plain);
  });

  it('with three equal keys is single DES, and a 16-byte key reuses the first', () => {
    const single = hex('0131d9619dc1376e');
    const plain = hex('5cd54ca83def57da');
    const tripled = hex('0131d9619dc1376e0131d9619dc1376e0131d9619dc1376e');
    expect(toHex(tripleDesCrypt(tripled, plain))).toBe('7a389d10354bd271');
    expect(toHex(desCrypt(single, plain))).toBe('7a389d10354bd271');
    const twoKey = hex('0123456789abcdef23456789abcdef01');
    const threeKey = hex('0123456789abcdef23456789abcdef010123456789abcdef');
    expect(toHex(tripleDesCrypt(twoKey, plain))).toBe(toHex(tripleDesCrypt(threeKey, plain)));
  });

  it('refuses blocks and keys of other lengths', () => {
    expect(() => desCrypt(new Uint8Array(8), new Uint8Array(7))).toThrow(RangeError);
    expect(() => tripleDesCrypt(new Uint8Array(8), new Uint8Array(8))).toThrow(RangeError);
    expect(() => desCrypt(hex('0101010101010101'), new Uint8Array(7))).toThrow(RangeError);
  });
});
