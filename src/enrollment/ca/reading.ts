/**
 * Reading untrusted DER for the CA with the SDK's strict reader (`lib/der.ts`, `der-values.ts`,
 * `der-strings.ts`, the reader path validation uses): every failure, whatever raised it, becomes
 * a {@link RequestInvalidError}. Internal.
 */
import { RequestInvalidError, SmartCardError } from '../../errors.js';
import { checkTree, children, DerError, readSingle, type Tlv } from '../../lib/der.js';
import { stringOf } from '../../lib/der-strings.js';
import { contentOf, integerOf } from '../../lib/der-values.js';

/** Throws a {@link RequestInvalidError}.
 *
 * @category Certificate authority
 */
export function refuse(message: string, cause?: unknown): never {
  throw new RequestInvalidError(message, cause === undefined ? undefined : { cause });
}

/**
 * Runs `parse`; anything it throws that is not already a `SmartCardError` (the DER reader's
 * `DerError`, or a TypeError on odd input) becomes a refusal naming `what` (and the reader's
 * reason).
 *
 * @category Certificate authority
 */
export function parseWith<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (cause) {
    if (SmartCardError.is(cause)) throw cause;
    const reason = cause instanceof DerError ? `: ${cause.message}` : '';
    return refuse(`${what} is malformed${reason}.`, cause);
  }
}

/**
 * The one element `bytes` must be, in strict DER (definite, minimal lengths, no trailing bytes,
 * sane BIT STRINGs and INTEGERs, bounded depth), or a refusal.
 *
 * @category Certificate authority
 */
export function readDer(bytes: Uint8Array, what: string): Tlv {
  try {
    const element = readSingle(bytes);
    checkTree(bytes, element);
    checkForms(bytes, element);
    return element;
  } catch (cause) {
    return refuse(`${what} is not well-formed DER.`, cause);
  }
}

/** Universal types that BER encodes only in primitive form (X.690 §8): BOOLEAN, INTEGER, NULL,
 * OBJECT IDENTIFIER, REAL, RELATIVE-OID, TIME, UTCTime, GeneralizedTime. */
const PRIMITIVE_ONLY: ReadonlySet<number> = new Set([1, 2, 5, 6, 9, 13, 14, 23, 24]);

/**
 * The forms `checkTree` leaves to the reader of each field, checked everywhere in a request, as
 * the CA has always refused them: a primitive-only type in constructed form, the reserved
 * [UNIVERSAL 15], a constructed OCTET STRING or BIT STRING made of anything but its own type, a
 * BMPString or UniversalString cut inside a character. Throws {@link DerError}.
 */
function checkForms(bytes: Uint8Array, element: Tlv, parentTag?: number): void {
  const universal = (element.tag & 0xc0) === 0;
  const number = element.tag & 0x1f;
  const constructed = (element.tag & 0x20) !== 0;
  if (universal && (number === 15 || (constructed && PRIMITIVE_ONLY.has(number)))) {
    throw new DerError('a primitive-only type in constructed form');
  }
  if ((parentTag === 0x23 || parentTag === 0x24) && (element.tag & 0xdf) !== (parentTag & 0xdf)) {
    throw new DerError('a constructed string holds another type');
  }
  const length = element.end - element.valueStart;
  if ((element.tag === 0x1e && length % 2 !== 0) || (element.tag === 0x1c && length % 4 !== 0)) {
    throw new DerError('a BMPString or UniversalString is cut short');
  }
  if (!constructed) return;
  for (const child of children(bytes, element)) checkForms(bytes, child, element.tag);
}

const KINDS: Readonly<Record<number, string>> = { 48: 'a SEQUENCE', 49: 'a SET' };

/**
 * The elements inside `element`, which must carry `tag` (0x30 a SEQUENCE, 0x31 a SET, 0xa0 + n
 * a constructed `[n]`), or a refusal.
 *
 * @category Certificate authority
 */
export function itemsOf(
  bytes: Uint8Array,
  element: Tlv | undefined,
  tag: number,
  what: string,
): Tlv[] {
  if (element?.tag !== tag) {
    refuse(`${what} is not ${KINDS[tag] ?? `a [${tag & 0x1f}] element`}.`);
  }
  return children(bytes, element);
}

/** The contents of a (primitive) OCTET STRING, or a refusal.
 *
 * @category Certificate authority
 */
export function octetsOf(
  bytes: Uint8Array,
  element: Tlv | undefined,
  what: string,
): Uint8Array<ArrayBuffer> {
  if (element?.tag !== 0x04) refuse(`${what} is not an OCTET STRING.`);
  return contentOf(bytes, element).slice();
}

/** The contents of a BIT STRING with no unused bits, or a refusal.
 *
 * @category Certificate authority
 */
export function wholeBytesOf(
  bytes: Uint8Array,
  element: Tlv | undefined,
  what: string,
): Uint8Array<ArrayBuffer> {
  if (element?.tag !== 0x03 || bytes[element.valueStart] !== 0) {
    refuse(`${what} is not a whole-byte BIT STRING.`);
  }
  return bytes.slice(element.valueStart + 1, element.end);
}

/** An INTEGER from 0 to 2³²−1 as a number (a body part id, a version, a key spec), or a refusal.
 *
 * @category Certificate authority
 */
export function uint32Of(bytes: Uint8Array, element: Tlv | undefined, what: string): number {
  if (element?.tag !== 0x02) refuse(`${what} is not an INTEGER.`);
  const value = integerOf(bytes, element);
  if (value < 0n || value > 0xffff_ffffn) refuse(`${what} is out of range.`);
  return Number(value);
}

/**
 * The text of a BMPString or UTF8String (what AD CS writes names in), or `undefined` for any
 * other kind of element; a refusal when its bytes are not text of its type.
 *
 * @category Certificate authority
 */
export function textOf(bytes: Uint8Array, element: Tlv | undefined): string | undefined {
  if (element?.tag !== 0x0c && element?.tag !== 0x1e) return undefined;
  return parseWith('A BMPString or UTF8String', () => stringOf(bytes, element));
}
