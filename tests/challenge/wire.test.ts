import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeChallenge,
  decodeResponse,
  encodeChallenge,
  encodeResponse,
  WIRE_LIMITS,
} from '../../src/challenge/wire.js';
import { InvalidInputError } from '../../src/errors.js';
import { fromBase64Url, toBase64Url } from '../../src/lib/bytes.js';

const challenge = {
  id: 'c-1',
  rpId: 'intranet.contoso.test',
  challenge: Uint8Array.from({ length: 32 }, (_, i) => i),
  expiresAt: 1_800_000_000_000,
};
const response = {
  id: 'c-1',
  rpId: 'intranet.contoso.test',
  signature: new Uint8Array([1, 2, 3, 250]),
  certificate: new Uint8Array([0x30, 0x82, 1, 2, 0xff]),
  intermediates: [new Uint8Array([9, 8, 7])],
};

/** Decoding either refuses with InvalidInputError or answers: never anything else. */
function decodesOrRefuses(decode: (wire: unknown) => unknown, wire: unknown): void {
  try {
    decode(wire);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
  }
}

describe('base64url', () => {
  it('round-trips every length without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(fromBase64Url(text)).toEqual(bytes);
      }),
    );
  });

  it('refuses padding, the standard alphabet and stray bits', () => {
    for (const text of ['AQ==', 'A+8', 'A/8', 'AR', 'A', 'AQ ']) {
      expect(fromBase64Url(text), text).toBeUndefined();
    }
    expect(fromBase64Url('AQ')).toEqual(new Uint8Array([1]));
  });
});

describe('the wire form of a challenge and an answer', () => {
  it('round-trips through JSON', () => {
    const wireChallenge = JSON.parse(JSON.stringify(encodeChallenge(challenge)));
    expect(wireChallenge).toMatchObject({ v: 1, id: 'c-1', expiresAt: challenge.expiresAt });
    expect(decodeChallenge(wireChallenge)).toEqual(challenge);
    const wireResponse = JSON.parse(JSON.stringify(encodeResponse(response)));
    expect(wireResponse.signature).toBe('AQID-g');
    expect(decodeResponse(wireResponse)).toEqual(response);
    const { intermediates: _, ...withoutIntermediates } = response;
    const plain = encodeResponse(withoutIntermediates);
    expect(plain).not.toHaveProperty('intermediates');
    expect(decodeResponse(plain)).toEqual(withoutIntermediates);
  });

  it.each([
    ['another version', { v: 2 }],
    ['no version', { v: undefined }],
    ['an unknown field', { extra: 1 }],
    ['a missing id', { id: undefined }],
    ['a numeric id', { id: 7 }],
    ['a NUL in rpId', { rpId: 'a\0b' }],
    ['padded base64url', { signature: 'AQID-g==' }],
    ['standard base64', { signature: 'AQID+g' }],
    ['stray bits', { signature: 'AR' }],
    ['an empty certificate', { certificate: '' }],
    ['a certificate over 16 KiB', { certificate: toBase64Url(new Uint8Array(16 * 1024 + 1)) }],
    ['9 intermediates', { intermediates: Array(9).fill('AQ') }],
    ['intermediates not a list', { intermediates: 'AQ' }],
    ['an intermediate not a string', { intermediates: [1] }],
  ])('refuses an answer with %s (InvalidInputError)', (_, change) => {
    const wire = { ...encodeResponse(response), ...change };
    expect(() => decodeResponse(wire)).toThrow(InvalidInputError);
  });

  it.each([
    ['null', null],
    ['a list', []],
    ['a string', '{"v":1}'],
    ['a fractional expiry', { ...encodeChallenge(challenge), expiresAt: 1.5 }],
    ['a negative expiry', { ...encodeChallenge(challenge), expiresAt: -1 }],
    [
      'a challenge over 256 bytes',
      { ...encodeChallenge(challenge), challenge: toBase64Url(new Uint8Array(257)) },
    ],
  ])('refuses a challenge that is %s', (_, wire) => {
    expect(() => decodeChallenge(wire)).toThrow(InvalidInputError);
  });

  it('accepts the limits themselves', () => {
    const full = {
      ...response,
      certificate: new Uint8Array(WIRE_LIMITS.certificate),
      intermediates: Array.from({ length: WIRE_LIMITS.intermediates }, () => new Uint8Array(1)),
    };
    expect(decodeResponse(encodeResponse(full))).toEqual(full);
  });
});

describe('decoding random and mutated input (fuzz)', () => {
  it('random JSON values: refused with InvalidInputError or decoded, never another throw', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        decodesOrRefuses(decodeChallenge, value);
        decodesOrRefuses(decodeResponse, value);
      }),
      { numRuns: 500 },
    );
  });

  it('valid messages with one field replaced by anything', () => {
    const wireResponse = encodeResponse(response) as unknown as Record<string, unknown>;
    const wireChallenge = encodeChallenge(challenge) as unknown as Record<string, unknown>;
    const field = fc.constantFrom(
      'v',
      'id',
      'rpId',
      'signature',
      'certificate',
      'intermediates',
      'challenge',
      'expiresAt',
      '__proto__',
    );
    fc.assert(
      fc.property(field, fc.anything(), (key, value) => {
        decodesOrRefuses(decodeResponse, { ...wireResponse, [key]: value });
        decodesOrRefuses(decodeChallenge, { ...wireChallenge, [key]: value });
      }),
      { numRuns: 500 },
    );
  });

  it('valid messages with their text mutated, parsed again', () => {
    const text = JSON.stringify(encodeResponse(response));
    fc.assert(
      fc.property(
        fc.nat(text.length - 1),
        fc.string({ minLength: 1, maxLength: 1 }),
        (at, char) => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(text.slice(0, at) + char + text.slice(at + 1));
          } catch {
            return;
          }
          decodesOrRefuses(decodeResponse, parsed);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('hostile values', () => {
  it('a version whose toString is not callable is refused, not thrown on', () => {
    expect(() => decodeChallenge({ v: { toString: 0 } })).toThrow(InvalidInputError);
  });
});
