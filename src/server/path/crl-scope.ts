/**
 * The scope of a CRL (RFC 5280 §5.2.5, §6.3.3 (b), (d)): its issuing distribution point, read
 * strictly, and whether it covers a certificate: the kind of certificate it lists, the
 * distribution point it is published for (matched against the certificate's
 * cRLDistributionPoints), and the revocation reasons it speaks for. Internal.
 */
import { toHex } from '../../lib/bytes.js';
import { children, readSingle, type Tlv } from '../../lib/der.js';
import { tlv } from '../../lib/der-write.js';
import { rdnKeys } from '../../lib/names.js';
import * as EXTENSION from '../../lib/x509-extension-oids.js';
import { booleanOf, contentOf, encodingOf, expect, sequence } from './asn1.js';
import type { PathCertificate } from './certificate.js';
import { readGeneralName } from './general-names.js';

/** The reasons RFC 5280 §6.3.3 must see covered: keyCompromise (1) to aACompromise (8). */
export const ALL_REASONS = 0x1fe;

/** What an issuing distribution point restricts a CRL to.
 *
 * @category Server
 */
export interface CrlScope {
  /** The distribution point's names as comparison keys, when the IDP names one. */
  readonly point?: ReadonlySet<string>;
  readonly onlyUserCerts: boolean;
  readonly onlyCaCerts: boolean;
  readonly onlyAttributeCerts: boolean;
  /** The reasons the CRL lists (bit n for ReasonFlags bit n); {@link ALL_REASONS} without onlySomeReasons. */
  readonly reasons: number;
  readonly indirect: boolean;
}

/**
 * Reads an IssuingDistributionPoint extension value of a CRL whose issuer is the Name `issuer`
 * (DER). Throws `DerError` when it breaks the syntax or RFC 5280's rules: DEFAULT FALSE written
 * out, an empty IDP, or more than one of the only-contains flags.
 */
export function readCrlScope(value: Uint8Array, issuer: Uint8Array): CrlScope {
  const top = readSingle(value);
  const fields = sequence(value, top);
  expect(fields.length > 0, 'an empty issuing distribution point');
  const flags = [false, false, false, false, false, false];
  let point: Set<string> | undefined;
  let reasons = ALL_REASONS;
  let last = -1;
  for (const field of fields) {
    const number = field.tag & 0x1f;
    expect(number > last && number <= 5, 'issuing distribution point fields out of order');
    last = number;
    if (number === 0) {
      expect(field.tag === 0xa0, 'a distributionPoint is explicitly tagged');
      point = pointNames(value, field, rdnKeys(issuer, readSingle(issuer)));
    } else if (number === 3) {
      expect(field.tag === 0x83, 'onlySomeReasons is a BIT STRING');
      reasons = reasonMask(value, field);
    } else {
      expect(field.tag === (0x80 | number), 'an issuing distribution point flag is a BOOLEAN');
      const flag = booleanOf(value, { ...field, tag: 0x01 });
      expect(flag, 'a DEFAULT FALSE flag of the issuing distribution point is encoded');
      flags[number] = true;
    }
  }
  const only = [flags[1], flags[2], flags[5]].filter(Boolean).length;
  expect(only <= 1, 'an issuing distribution point asserts two kinds of certificate');
  return {
    ...(point === undefined ? {} : { point }),
    onlyUserCerts: flags[1] === true,
    onlyCaCerts: flags[2] === true,
    onlyAttributeCerts: flags[5] === true,
    reasons,
    indirect: flags[4] === true,
  };
}

/**
 * The reasons a CRL of `scope` (none: a complete CRL of every reason) speaks for about `cert`:
 * 0 when it does not cover it at all. `indirectIssuer`, the key of the CRL's issuer when it is
 * not the certificate's (an indirect CRL), limits the certificate's distribution points to those
 * whose cRLIssuer names it (RFC 5280 §6.3.3 (b)(2)): without one, the CRL covers nothing. Throws
 * `DerError` when the certificate's cRLDistributionPoints cannot be read.
 */
export function reasonsCovered(
  scope: CrlScope | undefined,
  cert: PathCertificate,
  indirectIssuer?: string,
): number {
  if (scope?.onlyAttributeCerts) return 0;
  const isCa = cert.basic?.cA === true;
  if ((scope?.onlyUserCerts && isCa) || (scope?.onlyCaCerts && !isCa)) return 0;
  let points = distributionPoints(cert);
  const wanted = scope?.point;
  const reasons = scope?.reasons ?? ALL_REASONS;
  if (indirectIssuer !== undefined) {
    points = points.filter((point) => point.crlIssuers?.has(indirectIssuer));
    if (points.length === 0) return 0;
    if (wanted === undefined) return reasons & (points[0] as DistributionPoint).reasons;
  } else if (wanted === undefined) {
    // RFC 5280 §6.3.3 (d) as OpenSSL reads it: the first point this issuer publishes.
    const own = points.find((point) => !point.viaCrlIssuer);
    return reasons & (own?.reasons ?? ALL_REASONS);
  }
  const matched = points.find((point) => [...point.names].some((name) => wanted.has(name)));
  return matched === undefined ? 0 : reasons & matched.reasons;
}

interface DistributionPoint {
  readonly names: ReadonlySet<string>;
  readonly reasons: number;
  /** The point names a cRLIssuer: an indirect CRL's, not the certificate issuer's. */
  readonly viaCrlIssuer: boolean;
  /** The keys (see `nameKey`) of the directory names of its cRLIssuer, when it has one. */
  readonly crlIssuers?: ReadonlySet<string>;
}

const pointsOf = new WeakMap<PathCertificate, readonly DistributionPoint[]>();

/** The certificate's cRLDistributionPoints (RFC 5280 §4.2.1.13), read once. */
function distributionPoints(cert: PathCertificate): readonly DistributionPoint[] {
  const known = pointsOf.get(cert);
  if (known !== undefined) return known;
  const value = cert.extensions.get(EXTENSION.crlDistributionPoints)?.value;
  const points: DistributionPoint[] = [];
  if (value !== undefined) {
    const items = sequence(value, readSingle(value));
    expect(items.length > 0, 'empty cRLDistributionPoints');
    for (const item of items) points.push(distributionPoint(value, item, cert));
  }
  pointsOf.set(cert, points);
  return points;
}

function distributionPoint(bytes: Uint8Array, item: Tlv, cert: PathCertificate): DistributionPoint {
  const fields = sequence(bytes, item);
  expect(fields.length > 0, 'an empty distribution point');
  let point: Tlv | undefined;
  let reasons = ALL_REASONS;
  let crlIssuer: Tlv | undefined;
  for (const field of fields) {
    if (field.tag === 0xa0 && point === undefined && crlIssuer === undefined) point = field;
    else if (field.tag === 0x81 && crlIssuer === undefined) reasons = reasonMask(bytes, field);
    else if (field.tag === 0xa2 && crlIssuer === undefined) crlIssuer = field;
    else expect(false, 'a distribution point has unexpected fields');
  }
  const issuerNames = crlIssuer === undefined ? [] : children(bytes, crlIssuer);
  let base = rdnKeys(cert.issuer, readSingle(cert.issuer));
  const directory = issuerNames.find((name) => name.tag === 0xa4);
  if (directory !== undefined) base = rdnKeys(bytes, children(bytes, directory)[0] as Tlv);
  const issuerKeys = issuerNames.map((name) => generalNameKey(bytes, name));
  const names = point !== undefined ? pointNames(bytes, point, base) : new Set(issuerKeys);
  if (crlIssuer === undefined) return { names, reasons, viaCrlIssuer: false };
  expect(issuerNames.length > 0, 'an empty cRLIssuer');
  const crlIssuers = new Set(
    issuerKeys.filter((key) => key.startsWith('dn:')).map((key) => key.slice(3)),
  );
  return { names, reasons, viaCrlIssuer: true, crlIssuers };
}

/**
 * A DistributionPointName ([0] around fullName [0] or nameRelativeToCRLIssuer [1]) as
 * comparison keys: a relative name is the issuer's Name (`issuerRdns`) with one RDN more.
 */
function pointNames(bytes: Uint8Array, field: Tlv, issuerRdns: readonly string[]): Set<string> {
  const [choice, extra] = children(bytes, field);
  expect(choice !== undefined && extra === undefined, 'a DistributionPointName holds one name');
  if (choice.tag === 0xa0) {
    const names = children(bytes, choice);
    expect(names.length > 0, 'an empty fullName');
    return new Set(names.map((name) => generalNameKey(bytes, name)));
  }
  expect(choice.tag === 0xa1, 'a DistributionPointName is fullName or a relative name');
  const asName = tlv(0x30, tlv(0x31, contentOf(bytes, choice)));
  const [relative] = rdnKeys(asName, readSingle(asName));
  return new Set([`dn:${[...issuerRdns, relative].join(',')}`]);
}

/**
 * A GeneralName as a comparison key (RFC 5280 §7): directory names by their §7.1 keys, DNS
 * names and e-mail hosts without case, URI schemes and hosts without case, the rest by bytes.
 */
function generalNameKey(bytes: Uint8Array, tlvOfName: Tlv): string {
  const name = readGeneralName(bytes, tlvOfName);
  switch (name.form) {
    case 'directory':
      return `dn:${name.rdns.join(',')}`;
    case 'dns':
      return `dns:${name.text.toLowerCase()}`;
    case 'email': {
      const at = name.text.lastIndexOf('@');
      return `email:${name.text.slice(0, at + 1)}${name.text.slice(at + 1).toLowerCase()}`;
    }
    case 'uri': {
      const parts = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(name.text);
      const text = parts === null ? name.text : `${parts[1]}${parts[2]}`.toLowerCase() + parts[3];
      return `uri:${text}`;
    }
    case 'ip':
      return `ip:${toHex(name.bytes)}`;
    default:
      return `der:${toHex(encodingOf(bytes, tlvOfName))}`;
  }
}

/** ReasonFlags (a named BIT STRING, implicitly tagged) as a mask: bit n of the string is 1 << n. */
function reasonMask(bytes: Uint8Array, field: Tlv): number {
  const content = contentOf(bytes, field);
  const unused = content[0];
  expect(
    unused !== undefined && unused < 8 && (content.length > 1 || unused === 0),
    'ReasonFlags has an invalid unused-bits count',
  );
  expect(content.length <= 3, 'ReasonFlags is longer than its nine bits');
  let mask = 0;
  for (let bit = 0; bit < (content.length - 1) * 8; bit++) {
    if (((content[1 + (bit >> 3)] as number) & (0x80 >> (bit & 7))) !== 0) mask |= 1 << bit;
  }
  return mask;
}
