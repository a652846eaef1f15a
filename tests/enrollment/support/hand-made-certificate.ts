/**
 * Certificates made by hand with the DER writer, for describeCertificate's tests: every field can
 * be replaced, so one test can put a string type, a time form or a SAN entry where it likes.
 */
import {
  bitString,
  explicit,
  ia5String,
  integer,
  octetString,
  oid,
  sequence,
  setOf,
  tlv,
  utf8String,
} from '../../../src/lib/der-write.js';

export const ascii = (text: string) => new TextEncoder().encode(text);
export const utcTime = (text: string) => tlv(0x17, ascii(text));
export const generalizedTime = (text: string) => tlv(0x18, ascii(text));
export const printable = (text: string) => tlv(0x13, ascii(text));
export const teletex = (text: string) => tlv(0x14, ascii(text));

export const CN = '2.5.4.3';
export const OU = '2.5.4.11';
export const O = '2.5.4.10';
export const C = '2.5.4.6';
export const DC = '0.9.2342.19200300.100.1.25';
export const E = '1.2.840.113549.1.9.1';
export const SERIAL_NUMBER = '2.5.4.5';
export const UPN = '1.3.6.1.4.1.311.20.2.3';
export const SAN = '2.5.29.17';
export const EKU = '2.5.29.37';

export const ALGORITHM = sequence(oid('1.2.840.10045.4.3.2'));
export const SPKI = sequence(
  sequence(oid('1.2.840.10045.2.1'), oid('1.2.840.10045.3.1.7')),
  bitString(new Uint8Array(65).fill(4)),
);

/** A Name from RDNs, each a list of [type, value] (several: a multi-valued RDN). */
export const name = (...rdns: [string, Uint8Array][][]) =>
  sequence(...rdns.map((rdn) => setOf(...rdn.map(([type, value]) => sequence(oid(type), value)))));

export const extension = (id: string, value: Uint8Array) => sequence(oid(id), octetString(value));
export const upn = (text: string) => tlv(0xa0, oid(UPN), explicit(0, utf8String(text)));

export interface Parts {
  readonly version?: Uint8Array | null;
  readonly serial?: Uint8Array;
  readonly issuer?: Uint8Array;
  readonly validity?: Uint8Array;
  readonly subject?: Uint8Array;
  readonly extensions?: readonly Uint8Array[];
}

/** A certificate made by hand (its signature is not checked by what is under test). */
export function certificate(parts: Parts = {}): Uint8Array {
  const version = parts.version === undefined ? explicit(0, integer(2)) : parts.version;
  const tbs = sequence(
    ...(version === null ? [] : [version]),
    parts.serial ?? integer(0x1234),
    ALGORITHM,
    parts.issuer ?? name([[CN, utf8String('Contoso Issuing CA')]], [[DC, ia5String('test')]]),
    parts.validity ?? sequence(utcTime('260301120000Z'), utcTime('270301120000Z')),
    parts.subject ?? name([[CN, utf8String('Alice')]]),
    SPKI,
    ...(parts.extensions === undefined ? [] : [explicit(3, sequence(...parts.extensions))]),
  );
  return sequence(tbs, ALGORITHM, bitString(new Uint8Array(64).fill(1)));
}
