/**
 * Small readers over the strict DER reader (`readTlv`'s elements): OIDs, times, booleans,
 * integers and structural checks, shared by path validation (session) and the certificate
 * summary (enrollment). Each throws {@link DerError}; the caller turns it into its own typed
 * error. Internal: never exported from the package.
 */
import { children, DerError, readSingle, type Tlv } from './der.js';

/** Throws a {@link DerError} with `message` unless `condition` holds. */
export function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new DerError(message);
}

/** The children of `tlv`, which must carry `tag`. */
export function sequence(bytes: Uint8Array, tlv: Tlv | undefined, tag = 0x30): Tlv[] {
  expect(tlv !== undefined && tlv.tag === tag, `expected tag 0x${tag.toString(16)}`);
  return children(bytes, tlv);
}

/** The value bytes of `tlv`. */
export function contentOf(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.valueStart, tlv.end);
}

/** The whole encoding of `tlv`, tag included. */
export function encodingOf(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.start, tlv.end);
}

/** The dotted form of an OBJECT IDENTIFIER element. */
export function oidOf(bytes: Uint8Array, tlv: Tlv | undefined): string {
  expect(tlv !== undefined && tlv.tag === 0x06, 'expected an OBJECT IDENTIFIER');
  const value = contentOf(bytes, tlv);
  expect(value.length > 0 && (value[value.length - 1] as number) < 0x80, 'a truncated OID');
  const arcs: bigint[] = [];
  let arc = 0n;
  let fresh = true;
  for (const byte of value) {
    expect(!(fresh && byte === 0x80), 'an OID arc is not minimal');
    arc = (arc << 7n) | BigInt(byte & 0x7f);
    fresh = (byte & 0x80) === 0;
    if (fresh) {
      arcs.push(arc);
      arc = 0n;
    }
  }
  const first = arcs[0] as bigint;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** A DER BOOLEAN: one byte, 0x00 or 0xff. */
export function booleanOf(bytes: Uint8Array, tlv: Tlv): boolean {
  const value = contentOf(bytes, tlv);
  expect(tlv.tag === 0x01 && value.length === 1, 'expected a BOOLEAN');
  expect(value[0] === 0 || value[0] === 0xff, 'a BOOLEAN is not DER');
  return value[0] === 0xff;
}

/** A non-negative INTEGER small enough for a number. */
export function smallIntegerOf(bytes: Uint8Array, tlv: Tlv | undefined): number {
  expect(tlv !== undefined && tlv.tag === 0x02, 'expected an INTEGER');
  const value = contentOf(bytes, tlv);
  expect(value.length <= 6 && ((value[0] ?? 0) & 0x80) === 0, 'an INTEGER out of range');
  return value.reduce((n, b) => n * 256 + b, 0);
}

/** An INTEGER of any size, two's complement as DER has it. */
export function integerOf(bytes: Uint8Array, tlv: Tlv | undefined): bigint {
  expect(tlv !== undefined && tlv.tag === 0x02, 'expected an INTEGER');
  const value = contentOf(bytes, tlv);
  expect(value.length > 0, 'an empty INTEGER');
  const magnitude = value.reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);
  const negative = ((value[0] as number) & 0x80) !== 0;
  return negative ? magnitude - (1n << BigInt(8 * value.length)) : magnitude;
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** A UTCTime or GeneralizedTime in the RFC 5280 profile (seconds, `Z`), in ms since 1970. */
export function timeOf(bytes: Uint8Array, tlv: Tlv | undefined): number {
  expect(tlv !== undefined && (tlv.tag === 0x17 || tlv.tag === 0x18), 'expected a time');
  const text = String.fromCharCode(...contentOf(bytes, tlv));
  const match = (tlv.tag === 0x17 ? UTC_TIME : GENERALIZED_TIME).exec(text);
  expect(match !== null, `a time is not in the RFC 5280 form: ${text}`);
  const [parsedYear, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    ...number[],
  ];
  const year =
    tlv.tag === 0x17 ? (parsedYear >= 50 ? 1900 + parsedYear : 2000 + parsedYear) : parsedYear;
  const ms = Date.UTC(year, (month ?? 1) - 1, day, hour, minute, second);
  const back = new Date(ms);
  expect(
    back.getUTCDate() === day && back.getUTCMonth() === (month ?? 1) - 1,
    'an impossible date',
  );
  expect((hour ?? 0) < 24 && (minute ?? 0) < 60 && (second ?? 0) < 60, 'an impossible time of day');
  return ms;
}

/** Parses `der` as exactly one element of tag `tag` and returns its children. */
export function topSequence(der: Uint8Array, tag = 0x30): Tlv[] {
  return sequence(der, readSingle(der), tag);
}

/** Whether two byte strings are equal. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
