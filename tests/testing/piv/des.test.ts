import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/lib/bytes.js';
import {
  desDecrypt,
  desEncrypt,
  tripleDesDecrypt,
  tripleDesEncrypt,
} from '../../../src/testing/piv/des.js';

const hex = (text: string): Uint8Array<ArrayBuffer> => {
  const bytes = fromHex(text.replaceAll(' ', ''));
  if (bytes === undefined) throw new Error(`not hex: ${text}`);
  return bytes;
};

describe('DES (FIPS 46-3)', () => {
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
  ])('key %s encrypts %s to %s and back', (key, plain, cipher) => {
    expect(toHex(desEncrypt(hex(key), hex(plain)))).toBe(cipher);
    expect(toHex(desDecrypt(hex(key), hex(cipher)))).toBe(plain);
  });
});

describe('3DES (NIST SP 800-67)', () => {
  it('encrypts the SP 800-67 example and back', () => {
    const key = hex('0123456789abcdef 23456789abcdef01 456789abcdef0123');
    const plain = hex('5468652071756663'); // "The qufc"
    const cipher = tripleDesEncrypt(key, plain);
    expect(toHex(cipher)).toBe('a826fd8ce53b855f');
    expect(toHex(tripleDesDecrypt(key, cipher))).toBe(toHex(plain));
  });

  it('with three equal keys is single DES, and a 16-byte key reuses the first', () => {
    const single = hex('0131d9619dc1376e');
    const plain = hex('5cd54ca83def57da');
    const tripled = hex('0131d9619dc1376e0131d9619dc1376e0131d9619dc1376e');
    expect(toHex(tripleDesEncrypt(tripled, plain))).toBe('7a389d10354bd271');
    expect(toHex(desEncrypt(single, plain))).toBe('7a389d10354bd271');
    const twoKey = hex('0123456789abcdef23456789abcdef01');
    const threeKey = hex('0123456789abcdef23456789abcdef010123456789abcdef');
    expect(toHex(tripleDesEncrypt(twoKey, plain))).toBe(toHex(tripleDesEncrypt(threeKey, plain)));
  });

  it('refuses blocks and keys of other lengths', () => {
    expect(() => desEncrypt(hex('0101010101010101'), new Uint8Array(7))).toThrow(RangeError);
    expect(() => tripleDesEncrypt(new Uint8Array(8), new Uint8Array(8))).toThrow(RangeError);
  });
});
