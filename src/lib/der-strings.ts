/**
 * The ASN.1 string types of X.509 names and general names, decoded strictly, and a walk that
 * checks the contents of every universal primitive inside an element (times, OIDs, booleans,
 * strings), which the length checks of `checkTree` do not look at. Each throws
 * {@link DerError}. Internal: never exported from the package.
 */
import { children, DerError, type Tlv } from './der.js';
import { booleanOf, contentOf, expect, oidOf, timeOf } from './der-values.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;
const NUMERIC = /^[0-9 ]*$/;
const VISIBLE = /^[\x20-\x7e]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: IA5 is exactly the 7-bit set.
const IA5 = /^[\x00-\x7f]*$/;

/** Bytes as Latin-1 characters, one per byte (the 8-bit string types). */
function latin1(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += String.fromCharCode(byte);
  return out;
}

/**
 * A BMPString (`width` 2: UCS-2) or UniversalString (`width` 4: UCS-4), big-endian: whole
 * characters only, no surrogates, nothing past U+10FFFF.
 */
function wide(bytes: Uint8Array, width: 2 | 4): string {
  expect(bytes.length % width === 0, 'a BMPString or UniversalString is cut short');
  let out = '';
  for (let i = 0; i < bytes.length; i += width) {
    let point = 0;
    for (let j = i; j < i + width; j++) point = point * 256 + (bytes[j] as number);
    expect(point <= 0x10ffff && (point < 0xd800 || point > 0xdfff), 'not a character');
    out += String.fromCodePoint(point);
  }
  return out;
}

function checked(text: string, pattern: RegExp): string {
  expect(pattern.test(text), 'a string holds a character its type may not');
  return text;
}

/**
 * The text of a string element (UTF8String, PrintableString, IA5String, BMPString, …), or
 * `undefined` when `tlv` is not one of the ASN.1 string types. Throws {@link DerError} when its
 * bytes are not a valid string of its type (bad UTF-8, a character outside PrintableString).
 */
export function stringOf(bytes: Uint8Array, tlv: Tlv): string | undefined {
  const value = contentOf(bytes, tlv);
  switch (tlv.tag) {
    case 0x0c:
      try {
        return utf8.decode(value);
      } catch {
        throw new DerError('a UTF8String is not UTF-8');
      }
    case 0x12:
      return checked(latin1(value), NUMERIC);
    case 0x13:
      return checked(latin1(value), PRINTABLE);
    case 0x16:
      return checked(latin1(value), IA5);
    case 0x1a:
      return checked(latin1(value), VISIBLE);
    case 0x14:
    case 0x15:
    case 0x19:
    case 0x1b:
      return latin1(value); // Teletex, Videotex, Graphic, General: 8-bit, read as Latin-1
    case 0x1c:
      return wide(value, 4);
    case 0x1e:
      return wide(value, 2);
    default:
      return undefined;
  }
}

const MAX_DEPTH = 32;

/**
 * Checks the contents of every universal primitive inside `tlv` (itself included): BOOLEAN,
 * NULL, OBJECT IDENTIFIER, UTCTime and GeneralizedTime (RFC 5280's form) and the string types.
 * Context-specific and application elements are walked into when constructed, never judged.
 */
export function checkValues(bytes: Uint8Array, tlv: Tlv, depth = 0): void {
  expect(depth <= MAX_DEPTH, 'nested too deeply');
  if ((tlv.tag & 0x20) !== 0) {
    for (const child of children(bytes, tlv)) checkValues(bytes, child, depth + 1);
    return;
  }
  if ((tlv.tag & 0xc0) !== 0) return;
  if (tlv.tag === 0x01) booleanOf(bytes, tlv);
  else if (tlv.tag === 0x05) expect(tlv.end === tlv.valueStart, 'a NULL has contents');
  else if (tlv.tag === 0x06) oidOf(bytes, tlv);
  else if (tlv.tag === 0x17 || tlv.tag === 0x18) timeOf(bytes, tlv);
  else stringOf(bytes, tlv);
}
