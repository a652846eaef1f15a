/**
 * The X.509 v3 extensions list and the extensions both path validation (session) and the
 * certificate summary (enrollment) read, decoded with the strict DER reader. Each throws
 * `DerError` on what breaks RFC 5280's syntax. Internal: never exported from the package.
 */
import { readSingle, type Tlv } from './der.js';
import { booleanOf, contentOf, expect, oidOf, sequence } from './der-values.js';

/** One extension: whether it is critical, and its extnValue contents. */
export interface RawExtension {
  readonly critical: boolean;
  readonly value: Uint8Array;
}

/** Reads `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension`, refusing duplicates. */
export function readExtensions(bytes: Uint8Array, list: Tlv): Map<string, RawExtension> {
  const out = new Map<string, RawExtension>();
  const items = sequence(bytes, list);
  expect(items.length > 0, 'an empty extensions list');
  for (const item of items) {
    const parts = sequence(bytes, item);
    const oid = oidOf(bytes, parts[0]);
    const hasFlag = parts.length === 3;
    expect(parts.length === 2 || hasFlag, 'an extension has the wrong number of fields');
    const critical = hasFlag ? booleanOf(bytes, parts[1] as Tlv) : false;
    expect(!hasFlag || critical, 'a DEFAULT FALSE critical flag is encoded');
    const octets = parts[parts.length - 1] as Tlv;
    expect(octets.tag === 0x04, 'an extnValue is an OCTET STRING');
    expect(!out.has(oid), `the extension ${oid} appears twice`);
    out.set(oid, { critical, value: contentOf(bytes, octets) });
  }
  return out;
}

/** extKeyUsage: `SEQUENCE SIZE (1..MAX) OF KeyPurposeId`, as dotted OIDs. */
export function extKeyUsage(value: Uint8Array): string[] {
  const parts = sequenceOf(value);
  expect(parts.length > 0, 'an empty extKeyUsage');
  return parts.map((part) => oidOf(value, part));
}

/** The children of the one SEQUENCE that `value` (an extnValue's contents) must be. */
export function sequenceOf(value: Uint8Array): Tlv[] {
  return sequence(value, readSingle(value));
}
