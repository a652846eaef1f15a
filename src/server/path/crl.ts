/**
 * Certificate revocation lists (RFC 5280 §5), read as strictly as certificates: one DER element
 * with minimal lengths and INTEGERs all the way down (a serial with a redundant leading zero
 * would never match its certificate), the fields in order and nothing after them, times as
 * RFC 5280 §5.1.2.4 requires. Internal.
 */

import { toHex } from '../../lib/bytes.js';
import { checkTree, readSingle, type Tlv, unreadable } from '../../lib/der.js';
import { nameKey } from '../../lib/names.js';
import * as EXTENSION from '../../lib/x509-extension-oids.js';
import { contentOf, encodingOf, expect, sameBytes, sequence, smallIntegerOf } from './asn1.js';
import { readRevoked, timeIn5280 } from './crl-entries.js';
import type { EntryIssuers } from './crl-entry-issuers.js';
import { type CrlScope, readCrlScope } from './crl-scope.js';
import { readExtensions } from './extensions.js';
import type { SerialSet } from './serial-set.js';

/** A parsed CRL. Names are DER encodings, for byte comparison.
 *
 * @category Server
 */
export interface PathCrl {
  /** The CRL's bytes (nobody else holds them when the caller copied them first). */
  readonly der: Uint8Array;
  readonly issuer: Uint8Array;
  /** The issuer's name as RFC 5280 §7.1 compares it (see `nameKey`). */
  readonly issuerKey: string;
  readonly thisUpdate: number;
  readonly nextUpdate?: number;
  /** The cRLNumber, when the CRL has one. */
  readonly number?: bigint;
  /**
   * What the CRL covers: '' for every certificate of its issuer, else the bytes of its issuing
   * distribution point (as a string), after `delta:` for a delta CRL. CRLs of one issuer key
   * are compared within a scope only.
   */
  readonly scope: string;
  /** Its issuing distribution point, when it has one (see `reasonsCovered`). */
  readonly idp?: CrlScope;
  /** A delta CRL's BaseCRLNumber (RFC 5280 §5.2.4): it only updates a complete CRL. */
  readonly deltaBase?: bigint;
  readonly revoked: SerialSet;
  /**
   * Whose entries are whose when a certificateIssuer entry extension names another issuer (an
   * indirect CRL); without it, every entry is the CRL issuer's. Look up with `listedReason`.
   */
  readonly entryIssuers?: EntryIssuers;
  readonly tbs: Uint8Array;
  readonly algorithm: Uint8Array;
  readonly signature: Uint8Array;
  /** Why the CRL cannot be relied on even when its signature verifies, if it cannot. */
  readonly flaw?: string;
}

const CRL_NUMBER = EXTENSION.cRLNumber;
const ISSUING_DISTRIBUTION_POINT = EXTENSION.issuingDistributionPoint;
const DELTA_CRL_INDICATOR = EXTENSION.deltaCRLIndicator;
const KNOWN_CRL_EXTENSIONS = new Set([
  CRL_NUMBER,
  EXTENSION.authorityKeyIdentifier,
  ISSUING_DISTRIBUTION_POINT,
  DELTA_CRL_INDICATOR,
]);
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

/** Parses a DER CRL, or returns why it is not one.
 *
 * @category Server
 */
export function parseCrl(der: Uint8Array): PathCrl | string {
  try {
    return parse(der);
  } catch (error) {
    return unreadable(error);
  }
}

function parse(der: Uint8Array): PathCrl {
  const top = readSingle(der);
  expect(top.tag === 0x30, 'a CRL is a SEQUENCE');
  const parts = sequence(der, top);
  const [tbsTlv, outer, signatureTlv] = parts as [Tlv, Tlv | undefined, Tlv | undefined];
  expect(parts.length === 3 && outer?.tag === 0x30, 'a CRL has three parts');
  expect(signatureTlv?.tag === 0x03, 'the CRL signature is a BIT STRING');
  const fields = sequence(der, tbsTlv);
  let at = 0;
  const next = (accept: (tag: number) => boolean): Tlv | undefined => {
    const field = fields[at];
    if (field === undefined || !accept(field.tag)) return undefined;
    at += 1;
    return field;
  };
  const isTime = (tag: number) => tag === UTC_TIME || tag === GENERALIZED_TIME;
  const version = next((tag) => tag === 0x02);
  expect(
    version === undefined || smallIntegerOf(der, version) === 1,
    'a CRL version other than v2',
  );
  const inner = next((tag) => tag === 0x30);
  const issuer = next((tag) => tag === 0x30);
  const thisUpdate = next(isTime);
  expect(inner !== undefined && issuer !== undefined, 'a CRL without an issuer');
  expect(thisUpdate !== undefined, 'a CRL without thisUpdate');
  expect(sequence(der, issuer).length > 0, 'a CRL with an empty issuer name');
  const nextUpdate = next(isTime);
  const list = next((tag) => tag === 0x30);
  const extensionsTlv = next((tag) => tag === 0xa0);
  expect(at === fields.length, 'unexpected fields in the CRL');
  expect(version !== undefined || extensionsTlv === undefined, 'a v1 CRL with extensions');
  // DER all the way down, but for the entries: readRevoked checks them in its own pass.
  for (const part of [outer, signatureTlv, ...fields]) if (part !== list) checkTree(der, part);
  const algorithm = encodingOf(der, outer);
  expect(sameBytes(algorithm, encodingOf(der, inner)), 'the CRL algorithms differ');

  const entries = readRevoked(der, list, version !== undefined);
  let flaw = entries.flaw;
  const extensions = extensionsTlv
    ? readExtensions(der, single(sequence(der, extensionsTlv, 0xa0)))
    : new Map();
  const crlNumber = extensions.get(CRL_NUMBER);
  let number: bigint | undefined;
  if (crlNumber === undefined) flaw ??= 'it has no CRL number';
  else {
    if (crlNumber.critical) flaw ??= 'its CRL number is marked critical';
    number = crlNumberOf(crlNumber.value);
  }
  for (const [oid, ext] of extensions) {
    if (ext.critical && !KNOWN_CRL_EXTENSIONS.has(oid)) flaw ??= `a critical extension ${oid}`;
  }
  const point = extensions.get(ISSUING_DISTRIBUTION_POINT)?.value as Uint8Array | undefined;
  const idp = point === undefined ? undefined : readCrlScope(point, encodingOf(der, issuer));
  const indicator = extensions.get(DELTA_CRL_INDICATOR);
  // A delta CRL's indicator is critical (RFC 5280 §5.2.4): read as a complete CRL, it would drop entries.
  if (indicator !== undefined && !indicator.critical)
    flaw ??= 'its delta CRL indicator is not critical';
  const deltaBase = indicator === undefined ? undefined : crlNumberOf(indicator.value);
  const scope = point === undefined ? '' : toHex(point);
  const signature = contentOf(der, signatureTlv);
  expect(signature[0] === 0, 'the CRL signature has unused bits');
  const next5280 = nextUpdate === undefined ? undefined : timeIn5280(der, nextUpdate);
  return {
    der,
    issuer: encodingOf(der, issuer),
    issuerKey: nameKey(der, issuer),
    thisUpdate: timeIn5280(der, thisUpdate),
    ...(next5280 === undefined ? {} : { nextUpdate: next5280 }),
    ...(number === undefined ? {} : { number }),
    scope: deltaBase === undefined ? scope : `delta:${scope}`,
    ...(idp === undefined ? {} : { idp }),
    ...(deltaBase === undefined ? {} : { deltaBase }),
    revoked: entries.revoked,
    ...(entries.issuers === undefined ? {} : { entryIssuers: entries.issuers }),
    tbs: encodingOf(der, tbsTlv),
    algorithm,
    signature: signature.subarray(1),
    ...(flaw === undefined ? {} : { flaw }),
  };
}

/** CRLNumber ::= INTEGER (0..MAX), at most 20 octets (RFC 5280 §5.2.3). */
function crlNumberOf(value: Uint8Array): bigint {
  const tlv = readSingle(value);
  expect(tlv.tag === 0x02, 'the CRL number is not an INTEGER');
  checkTree(value, tlv);
  const octets = contentOf(value, tlv);
  expect(((octets[0] ?? 0) & 0x80) === 0, 'a negative CRL number');
  expect(
    octets.length <= 21 && (octets.length < 21 || octets[0] === 0),
    'a CRL number over 20 octets',
  );
  return octets.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
}

function single(items: Tlv[]): Tlv {
  expect(items.length === 1, 'the CRL extensions field holds one SEQUENCE');
  return items[0] as Tlv;
}
