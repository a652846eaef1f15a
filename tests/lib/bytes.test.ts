import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, constantTimeEqual, fromBase64, toBase64, utf8 } from '../../src/lib/bytes.js';
import { canonicalJson } from '../../src/lib/canonical-json.js';

describe('base64', () => {
  it('matches Node for any bytes, and round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = toBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(fromBase64(text)).toEqual(bytes);
      }),
    );
  });

  it.each(['A', 'AB=', 'AB==A===', '@@@@', 'QQ=A', 'QR==', 'QUI=='])(
    'refuses %o (bad length, alphabet, padding or non-canonical bits)',
    (text) => {
      expect(fromBase64(text)).toBeUndefined();
    },
  );
});

describe('constantTimeEqual', () => {
  it('agrees with a plain comparison', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
        expect(constantTimeEqual(a, a.slice())).toBe(true);
      }),
    );
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: null }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":null,"z":0}]},"b":1}',
    );
  });

  it('gives the same text whatever the key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('utf8 and concatBytes', () => {
  it('encode and join', () => {
    expect(concatBytes(utf8('ab'), new Uint8Array([0]), utf8('é'))).toEqual(
      new Uint8Array([0x61, 0x62, 0, 0xc3, 0xa9]),
    );
  });
});
