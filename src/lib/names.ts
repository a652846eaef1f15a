/**
 * Distinguished names compared as RFC 5280 §7.1 asks, not byte for byte: the values of the
 * directory string types are prepared by the LDAP StringPrep profile (RFC 4518: characters
 * mapped to nothing or to a space, NFKC, case folded, insignificant spaces dropped), so a CA
 * that writes its name as PrintableString in one place and UTF8String in another, or in another
 * case or with doubled spaces, is still the same CA. Attribute values of any other type are
 * compared as their bytes; the AVAs of a multi-valued RDN as a set. Internal.
 */
import { toHex } from './bytes.js';
import { children, DerError, type Tlv } from './der.js';
import { stringOf } from './der-strings.js';
import { contentOf, oidOf } from './der-values.js';

/**
 * The string types prepared before comparison: UTF8String, PrintableString, TeletexString,
 * IA5String, VisibleString, UniversalString and BMPString (the DirectoryString choices, and the
 * two IA5 attributes of names: emailAddress and domainComponent), as OpenSSL's verifier
 * canonicalises them too.
 */
const PREPARED_TAGS: ReadonlySet<number> = new Set([0x0c, 0x13, 0x14, 0x16, 0x1a, 0x1c, 0x1e]);

/**
 * RFC 4518 §2.2: code points mapped to nothing: soft hyphens, the combining grapheme joiner,
 * variation selectors, the object replacement character, zero width space, and every other
 * control or format character (the RFC's complete list), as inclusive ranges.
 */
const MAPPED_TO_NOTHING: readonly (readonly [number, number])[] = [
  [0x0000, 0x0008],
  [0x000e, 0x001f],
  [0x007f, 0x0084],
  [0x0086, 0x009f],
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x06dd, 0x06dd],
  [0x070f, 0x070f],
  [0x1806, 0x1806],
  [0x180b, 0x180e],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2063],
  [0x206a, 0x206f],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffc],
  [0x1d173, 0x1d17a],
  [0xe0001, 0xe0001],
  [0xe0020, 0xe007f],
];

/** RFC 4518 §2.2: the controls that are spaces, and every separator (Zs, Zl, Zp), become SPACE. */
const MAPPED_TO_SPACE = /^[\t\n\v\f\r\u0085\p{Zs}\p{Zl}\p{Zp}]$/u;

function mapCharacter(character: string): string {
  const point = character.codePointAt(0) ?? 0;
  if (MAPPED_TO_NOTHING.some(([first, last]) => point >= first && point <= last)) return '';
  return MAPPED_TO_SPACE.test(character) ? ' ' : character;
}

/** RFC 4518 §2.4: unassigned, private-use and non-character code points, and U+FFFD. */
const PROHIBITED = /[\p{Cn}\p{Co}\p{Cs}\ufffd]/u;

/**
 * The prepared form of a string value (RFC 4518 §2): mapped, NFKC-normalised, case folded (full
 * folding, so `ß` matches `SS`), with leading and trailing spaces dropped and every inner run of
 * spaces one space. `undefined` when the string holds a prohibited character: RFC 4518 says such
 * a value matches nothing, so the caller compares its bytes instead.
 */
export function prepareString(text: string): string | undefined {
  const mapped = Array.from(text, mapCharacter).join('');
  const folded = mapped.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
  if (PROHIBITED.test(folded)) return undefined;
  return folded.trim().replace(/ {2,}/g, ' ');
}

/** One attribute value's comparison key: `s` + prepared text, or `x` + tag and bytes. */
function valueKey(bytes: Uint8Array, value: Tlv): string {
  if (PREPARED_TAGS.has(value.tag)) {
    const text = stringOf(bytes, value);
    const prepared = text === undefined ? undefined : prepareString(text);
    if (prepared !== undefined) return `s${JSON.stringify(prepared)}`;
  }
  return `x${value.tag.toString(16)}:${toHex(contentOf(bytes, value))}`;
}

/**
 * The comparison keys of the RDNs of the Name at `name` in `bytes` (a SEQUENCE of RDNs, each a
 * SET of type-and-value pairs), in order: two RDNs are equal under RFC 5280 §7.1 exactly when
 * their keys are. Throws {@link DerError} when `name` is not a Name or a string value is not
 * valid for its type.
 */
export function rdnKeys(bytes: Uint8Array, name: Tlv): string[] {
  if (name.tag !== 0x30) throw new DerError('a Name is not a SEQUENCE');
  return children(bytes, name).map((rdn) => {
    if (rdn.tag !== 0x31) throw new DerError('an RDN is not a SET');
    const pairs = children(bytes, rdn).map((pair) => {
      const [type, value, extra] = pair.tag === 0x30 ? children(bytes, pair) : [];
      if (type === undefined || value === undefined || extra !== undefined) {
        throw new DerError('an attribute is not a type and a value');
      }
      return `${oidOf(bytes, type)}=${valueKey(bytes, value)}`;
    });
    if (pairs.length === 0) throw new DerError('an RDN is empty');
    return pairs.sort().join('+');
  });
}

/** The comparison key of a whole Name (see {@link rdnKeys}): its RDNs' keys in order. */
export function nameKey(bytes: Uint8Array, name: Tlv): string {
  return rdnKeys(bytes, name).join(',');
}
