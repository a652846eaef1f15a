/**
 * Strict reading of untrusted DER for the CA: every failure, whatever library raised it, becomes
 * a {@link RequestInvalidError}. Internal.
 */
import * as asn1js from 'asn1js';
import { RequestInvalidError, SmartCardError } from '../../errors.js';
import { checkTree, readSingle } from '../../lib/der.js';
import { oidOf as dottedOid } from '../../lib/der-values.js';

/** Throws a {@link RequestInvalidError}.
 *
 * @category Certificate authority
 */
export function refuse(message: string, cause?: unknown): never {
  throw new RequestInvalidError(message, cause === undefined ? undefined : { cause });
}

/**
 * Runs `parse`; anything it throws that is not already a `SmartCardError` (asn1js and pkijs
 * raise plain errors, and sometimes TypeErrors on odd input) becomes a refusal naming `what`.
 *
 * @category Certificate authority
 */
export function parseWith<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (cause) {
    if (SmartCardError.is(cause)) throw cause;
    return refuse(`${what} is malformed.`, cause);
  }
}

/**
 * Parses bytes that must be exactly one element in strict DER (definite, minimal lengths, no
 * trailing bytes, sane BIT STRINGs, bounded depth), as an asn1js tree.
 *
 * @category Certificate authority
 */
export function parseDer(bytes: Uint8Array, what: string): asn1js.AsnType {
  try {
    checkTree(bytes, readSingle(bytes));
  } catch (cause) {
    refuse(`${what} is not well-formed DER.`, cause);
  }
  return parseWith(what, () => {
    const parsed = asn1js.fromBER(bytes.slice());
    if (parsed.offset !== bytes.length || parsed.result.error !== '') {
      throw new Error(parsed.result.error || 'asn1js could not parse it');
    }
    return parsed.result;
  });
}

/** The original encoding of a parsed element (its tag, length and value).
 *
 * @category Certificate authority
 */
export function encodingOf(node: asn1js.AsnType): Uint8Array<ArrayBuffer> {
  return new Uint8Array(node.valueBeforeDecodeView);
}

/** The elements of a SEQUENCE, or a refusal.
 *
 * @category Certificate authority
 */
export function sequenceItems(node: unknown, what: string): asn1js.AsnType[] {
  if (!(node instanceof asn1js.Sequence)) refuse(`${what} is not a SEQUENCE.`);
  return node.valueBlock.value;
}

/** The elements of a SET, or a refusal.
 *
 * @category Certificate authority
 */
export function setItems(node: unknown, what: string): asn1js.AsnType[] {
  if (!(node instanceof asn1js.Set)) refuse(`${what} is not a SET.`);
  return node.valueBlock.value;
}

/** The elements of a context-specific constructed `[tag]`, or a refusal.
 *
 * @category Certificate authority
 */
export function taggedItems(node: unknown, tag: number, what: string): asn1js.AsnType[] {
  if (
    !(node instanceof asn1js.Constructed) ||
    node.idBlock.tagClass !== 3 ||
    node.idBlock.tagNumber !== tag
  ) {
    refuse(`${what} is not a [${tag}] element.`);
  }
  return node.valueBlock.value;
}

/**
 * The dotted form of an OBJECT IDENTIFIER, read from its encoding by the same strict decoder
 * as path validation's (`lib/der-values`), or a refusal.
 *
 * @category Certificate authority
 */
export function oidOf(node: unknown, what: string): string {
  if (!(node instanceof asn1js.ObjectIdentifier)) refuse(`${what} is not an OBJECT IDENTIFIER.`);
  const encoding = encodingOf(node);
  try {
    return dottedOid(encoding, readSingle(encoding));
  } catch (cause) {
    return refuse(`${what} is not a valid OBJECT IDENTIFIER.`, cause);
  }
}

/** The contents of an OCTET STRING, or a refusal.
 *
 * @category Certificate authority
 */
export function octetsOf(node: unknown, what: string): Uint8Array<ArrayBuffer> {
  if (!(node instanceof asn1js.OctetString) || node.idBlock.isConstructed) {
    refuse(`${what} is not an OCTET STRING.`);
  }
  return new Uint8Array(node.valueBlock.valueHexView);
}

/** The contents of an INTEGER as a JavaScript number, when it is a small non-negative one.
 *
 * @category Certificate authority
 */
export function smallIntegerOf(node: unknown, what: string): number {
  if (!(node instanceof asn1js.Integer)) refuse(`${what} is not an INTEGER.`);
  const value = node.toBigInt();
  if (value < 0n || value > 0xffff_ffffn) refuse(`${what} is out of range.`);
  return Number(value);
}

/** The text of a BMPString or UTF8String, or `undefined` for any other kind of element.
 *
 * @category Certificate authority
 */
export function textOf(node: unknown): string | undefined {
  if (node instanceof asn1js.BmpString || node instanceof asn1js.Utf8String) {
    return node.valueBlock.value;
  }
  return undefined;
}

/** Whether two byte strings are equal (public values: no constant-time need).
 *
 * @category Certificate authority
 */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
