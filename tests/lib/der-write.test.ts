import { describe, expect, it } from 'vitest';
import { children, readSingle } from '../../src/lib/der.js';
import {
  bitString,
  bmpString,
  explicit,
  implicitConstructed,
  integer,
  octetString,
  oid,
  sequence,
  setOf,
} from '../../src/lib/der-write.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('DER writer', () => {
  it.each<[string, Uint8Array, string]>([
    ['OID rsaEncryption', oid('1.2.840.113549.1.1.1'), '06092a864886f70d010101'],
    ['OID UPN', oid('1.3.6.1.4.1.311.20.2.3'), '060a2b0601040182371402 03'.replace(' ', '')],
    ['INTEGER 0', integer(0), '020100'],
    ['INTEGER 128', integer(128), '02020080'],
    ['INTEGER 65537', integer(65537), '0203010001'],
    ['INTEGER from bytes, leading zeros trimmed', integer(new Uint8Array([0, 0, 1])), '020101'],
    ['INTEGER from bytes, top bit set', integer(new Uint8Array([0xff])), '020200ff'],
    ['BMPString', bmpString('Ab'), '1e0400410062'],
    ['BIT STRING', bitString(new Uint8Array([0xa0]), 5), '030205a0'],
    ['[0] EXPLICIT', explicit(0, integer(1)), 'a003020101'],
    ['[0] IMPLICIT SEQUENCE', implicitConstructed(0, sequence(integer(1))), 'a003020101'],
  ])('%s', (_, der, expected) => {
    expect(hex(der)).toBe(expected);
  });

  it('uses minimal long-form lengths that the reader accepts', () => {
    for (const size of [127, 128, 255, 256, 70_000]) {
      const der = octetString(new Uint8Array(size));
      const tlv = readSingle(der);
      expect(tlv.end - tlv.valueStart).toBe(size);
    }
  });

  it('sorts SET OF members by their encoding', () => {
    const set = setOf(integer(300), integer(2), octetString(new Uint8Array([1])));
    const members = children(set, readSingle(set)).map((t) => hex(set.slice(t.start, t.end)));
    expect(members).toEqual(['020102', '0202012c', '040101']);
  });
});
