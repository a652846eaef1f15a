import { describe, expect, it } from 'vitest';
import {
  certificateFields,
  certificateSpki,
  checkTree,
  DerError,
  readSingle,
  readTlv,
} from '../../src/lib/der.js';
import { integerOf } from '../../src/lib/der-values.js';
import { certificateFor } from '../support/certificate.js';

async function certificate() {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  return { spki, der: await certificateFor(spki) };
}

describe('DER reader', () => {
  it('finds the subjectPublicKeyInfo of a certificate', async () => {
    const { spki, der } = await certificate();
    expect(certificateSpki(der)).toEqual(spki);
  });

  it.each<[string, number[]]>([
    ['indefinite length', [0x30, 0x80, 0x00, 0x00]],
    ['non-minimal length', [0x04, 0x81, 0x01, 0x00]],
    ['zero-padded length', [0x04, 0x82, 0x00, 0x01, 0x00]],
    ['truncated value', [0x04, 0x05, 0x00]],
    ['trailing bytes', [0x05, 0x00, 0x00]],
    ['multi-byte tag', [0x1f, 0x81, 0x00]],
    ['truncated header', [0x30]],
  ])('refuses %s', (_, bytes) => {
    expect(() => readSingle(new Uint8Array(bytes))).toThrow(DerError);
  });

  it('finds the serial number, issuer, subject, key and extensions of a certificate', async () => {
    const { spki, der } = await certificate();
    const fields = certificateFields(der);
    const slice = (tlv: { start: number; end: number }) => der.slice(tlv.start, tlv.end);
    expect(slice(fields.subjectPublicKeyInfo)).toEqual(spki);
    expect([fields.serialNumber.tag, fields.issuer.tag, fields.subject.tag]).toEqual([2, 48, 48]);
    expect(fields.extensions?.tag).toBe(0xa3);
  });

  it.each<[number[], bigint]>([
    [[0x00], 0n],
    [[0x7f], 127n],
    [[0x00, 0x80], 128n],
    [[0x80], -128n],
    [[0xff, 0x7f], -129n],
    [[0x01, 0x00, 0x00, 0x00, 0x00, 0x01], 0x010000000001n],
  ])('reads the INTEGER %j as %s', (content, value) => {
    const der = new Uint8Array([0x02, content.length, ...content]);
    expect(integerOf(der, readSingle(der))).toBe(value);
  });

  it('reads long-form lengths', () => {
    const bytes = new Uint8Array([0x04, 0x81, 0x80, ...new Uint8Array(0x80)]);
    expect(readTlv(bytes, 0)).toMatchObject({ valueStart: 3, end: 131 });
  });

  it('refuses a certificate with damage anywhere inside it', async () => {
    const { der } = await certificate();
    // Every single-byte corruption either still parses (a changed value) or is refused with
    // DerError: never another exception, never an out-of-bounds read.
    for (let i = 0; i < der.length; i++) {
      for (const value of [0x00, 0xff, 0x80]) {
        const damaged = der.slice();
        damaged[i] = value;
        try {
          certificateSpki(damaged);
        } catch (error) {
          expect(error).toBeInstanceOf(DerError);
        }
      }
    }
    expect(() => certificateSpki(new Uint8Array([...der, 0]))).toThrow(DerError);
    expect(() => certificateSpki(der.slice(0, -1))).toThrow(DerError);
  });

  it('refuses a signature BIT STRING with more than 7 unused bits', async () => {
    const { der } = await certificate();
    const top = readSingle(der);
    // The signature is the last element of the certificate; its first value byte is unused-bits.
    let offset = top.valueStart;
    let last = readTlv(der, offset, top.end);
    while (last.end < top.end) {
      offset = last.end;
      last = readTlv(der, offset, top.end);
    }
    const damaged = der.slice();
    damaged[last.valueStart] = 9;
    expect(() => certificateSpki(damaged)).toThrow(DerError);
  });
});

describe('checkTree', () => {
  it.each<[string, number[]]>([
    ['a primitive SEQUENCE', [0x30, 0x03, 0x10, 0x01, 0x00]],
    ['a non-minimal positive INTEGER', [0x30, 0x04, 0x02, 0x02, 0x00, 0x01]],
    ['a non-minimal negative INTEGER', [0x30, 0x04, 0x02, 0x02, 0xff, 0x80]],
    ['an empty INTEGER', [0x30, 0x02, 0x02, 0x00]],
  ])('refuses %s', (_, bytes) => {
    const der = new Uint8Array(bytes);
    expect(() => checkTree(der, readSingle(der))).toThrow(DerError);
  });

  it('accepts minimal INTEGERs', () => {
    const der = new Uint8Array([0x30, 0x07, 0x02, 0x02, 0x00, 0x80, 0x02, 0x01, 0x7f]);
    expect(() => checkTree(der, readSingle(der))).not.toThrow();
  });
});
