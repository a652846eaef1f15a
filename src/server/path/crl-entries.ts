/**
 * The revokedCertificates of a CRL, read in one pass as strictly as the rest (minimal lengths
 * and serial INTEGERs, RFC 5280 times, nothing after an entry's extensions), with fast paths for
 * what nearly every entry is: a UTCTime and, at most, a CRLReason. An indirect CRL's
 * certificateIssuer entries are kept by where they start (see `EntryIssuers`). A CRL of 100,000
 * entries is read once per Authenticator, so this pass is its first-sight cost. Internal.
 */

import { checkTree, readTlv, type Tlv } from '../../lib/der.js';
import * as EXTENSION from '../../lib/x509-extension-oids.js';
import { contentOf, expect, timeOf } from './asn1.js';
import { EntryIssuers, readCertificateIssuer } from './crl-entry-issuers.js';
import { readExtensions } from './extensions.js';
import { SerialSet } from './serial-set.js';

const CRL_REASON = EXTENSION.reasonCode;
/** certificateHold and removeFromCRL: the reasons a delta CRL may change. */
const RELEASABLE = new Set([6, 8]);
const CERTIFICATE_ISSUER = EXTENSION.certificateIssuer;
const KNOWN_ENTRY_EXTENSIONS = new Set([CRL_REASON, EXTENSION.invalidityDate, CERTIFICATE_ISSUER]);
const UTC_TIME = 0x17;
const Y2050 = Date.UTC(2050, 0, 1);
/** `Extensions` holding exactly one non-critical CRLReason: 30 0c 30 0a 06 03 55 1d 15 04 03 0a 01 ?? */
const REASON_ONLY = [0x30, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d, 0x15, 0x04, 0x03, 0x0a, 0x01];

/** What {@link readRevoked} found in a revokedCertificates SEQUENCE.
 *
 * @category Server
 */
export interface RevokedEntries {
  readonly revoked: SerialSet;
  /** A flaw found in an entry, if any. */
  readonly flaw?: string;
  /** The issuers certificateIssuer entry extensions name, when any does. */
  readonly issuers?: EntryIssuers;
}

/** The serials of a revokedCertificates SEQUENCE (holds marked), and whose they are.
 *
 * @category Server
 */
export function readRevoked(der: Uint8Array, list: Tlv | undefined, v2: boolean): RevokedEntries {
  const starts: number[] = [];
  const lengths: number[] = [];
  const releasable = new Map<number, number>();
  let flaw: string | undefined;
  const issuerStarts: number[] = [];
  const issuerNames: ReadonlySet<string>[] = [];
  for (let at = list?.valueStart ?? 0; list !== undefined && at < list.end; ) {
    const entry = readTlv(der, at, list.end);
    expect(entry.tag === 0x30, 'a CRL entry is a SEQUENCE');
    const serial = readTlv(der, entry.valueStart, entry.end);
    expect(serial.tag === 0x02, 'a CRL entry has no serial number');
    checkTree(der, serial); // a minimal INTEGER: a padded serial would never match
    const date = readTlv(der, serial.end, entry.end);
    if (fastUtcTime(der, date) === undefined) timeIn5280(der, date);
    starts.push(serial.valueStart);
    lengths.push(serial.end - serial.valueStart);
    at = entry.end;
    if (date.end === entry.end) continue;
    const extensions = readTlv(der, date.end, entry.end);
    expect(extensions.end === entry.end, 'a CRL entry has unexpected fields');
    expect(v2, 'a v1 CRL with entry extensions');
    if (isReasonOnly(der, extensions)) {
      const code = der[extensions.start + REASON_ONLY.length] as number;
      if (RELEASABLE.has(code)) releasable.set(serial.valueStart, code);
      continue;
    }
    checkTree(der, extensions);
    for (const [oid, ext] of readExtensions(der, extensions)) {
      if (ext.critical && !KNOWN_ENTRY_EXTENSIONS.has(oid)) {
        flaw ??= `a critical entry extension ${oid}`;
      }
      const code = oid === CRL_REASON ? reasonCode(ext.value) : -1;
      if (RELEASABLE.has(code)) releasable.set(serial.valueStart, code);
      if (oid !== CERTIFICATE_ISSUER) continue;
      // Critical (RFC 5280 §5.3.3): a reader that ignored it would misattribute the entries.
      if (!ext.critical) flaw ??= 'a certificateIssuer entry extension is not critical';
      issuerStarts.push(serial.valueStart);
      issuerNames.push(readCertificateIssuer(ext.value));
    }
  }
  const revoked = new SerialSet(der, starts, lengths, releasable);
  return {
    revoked,
    ...(flaw === undefined ? {} : { flaw }),
    ...(issuerStarts.length === 0 ? {} : { issuers: new EntryIssuers(issuerStarts, issuerNames) }),
  };
}

/** A time as RFC 5280 wants it: UTCTime through 2049, GeneralizedTime from 2050.
 *
 * @category Server
 */
export function timeIn5280(der: Uint8Array, tlv: Tlv | undefined): number {
  const ms = timeOf(der, tlv);
  expect(tlv?.tag === UTC_TIME || ms >= Y2050, 'a GeneralizedTime before 2050');
  return ms;
}

/** CRLReason ::= ENUMERATED, one octet (0 to 10). */
function reasonCode(value: Uint8Array): number {
  const tlv = readTlv(value, 0);
  expect(tlv.tag === 0x0a && tlv.end === value.length, 'a CRLReason is one ENUMERATED');
  const code = contentOf(value, tlv);
  expect(code.length === 1 && (code[0] as number) <= 10, 'an unknown CRLReason');
  return code[0] as number;
}

function isReasonOnly(der: Uint8Array, tlv: Tlv): boolean {
  if (tlv.end - tlv.start !== REASON_ONLY.length + 1) return false;
  for (let i = 0; i < REASON_ONLY.length; i++)
    if (der[tlv.start + i] !== REASON_ONLY[i]) return false;
  return true;
}

/**
 * A well-formed UTCTime `YYMMDDHHMMSSZ` read without a regular expression, or `undefined` for
 * anything else (which {@link timeIn5280} then reads, or refuses, the slow way).
 */
function fastUtcTime(der: Uint8Array, tlv: Tlv): number | undefined {
  const at = tlv.valueStart;
  if (tlv.tag !== UTC_TIME || tlv.end - at !== 13 || der[at + 12] !== 0x5a) return undefined;
  const two = (i: number): number => {
    const high = (der[at + i] as number) - 0x30;
    const low = (der[at + i + 1] as number) - 0x30;
    return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : Number.NaN;
  };
  const [yy, month, day, hour, minute, second] = [0, 2, 4, 6, 8, 10].map(two) as number[];
  const year = (yy as number) >= 50 ? 1900 + (yy as number) : 2000 + (yy as number);
  const ms = Date.UTC(year, (month as number) - 1, day, hour, minute, second);
  const back = new Date(ms);
  const ok =
    back.getUTCDate() === day &&
    back.getUTCMonth() === (month as number) - 1 &&
    (hour as number) < 24 &&
    (minute as number) < 60 &&
    (second as number) < 60;
  return ok ? ms : undefined;
}
