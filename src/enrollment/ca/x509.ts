/**
 * Building blocks of the certificates and CRLs the CA signs: names, times, serial numbers and
 * the X.509 extensions, encoded with asn1js. Internal.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { utf8 } from '../../lib/bytes.js';
import type { KeyUsageName } from '../../lib/key-usage.js';
import * as OCSP from '../../lib/ocsp-oids.js';
import { sidExtensionValue } from '../../lib/security-identifier.js';
import * as EXTENSION from '../../lib/x509-extension-oids.js';
import { keyUsageBits } from '../ms-attributes.js';
import { OID } from '../oids.js';

function extension(oid: string, critical: boolean, value: asn1js.AsnType): pkijs.Extension {
  return new pkijs.Extension({ extnID: oid, critical, extnValue: value.toBER() });
}

function tagged(tag: number, value: asn1js.AsnType[]): asn1js.Constructed {
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: tag }, value });
}

function implicit(tag: number, bytes: Uint8Array<ArrayBuffer>): asn1js.Primitive {
  return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: tag }, valueHex: bytes });
}

/** Key usage, critical, as a DER BIT STRING with its trailing zero bits dropped.
 *
 * @category Certificate authority
 */
export function keyUsageExtension(names: readonly KeyUsageName[]): pkijs.Extension {
  return new pkijs.Extension({
    extnID: EXTENSION.keyUsage,
    critical: true,
    extnValue: keyUsageBits(names).buffer,
  });
}

/** Extended key usage, not critical.
 *
 * @category Certificate authority
 */
export function extendedKeyUsageExtension(oids: readonly string[]): pkijs.Extension {
  const value = oids.map((oid) => new asn1js.ObjectIdentifier({ value: oid }));
  return extension(EXTENSION.extKeyUsage, false, new asn1js.Sequence({ value }));
}

/** Basic constraints, critical: `CA:TRUE` (with a path length, when given) or `CA:FALSE`.
 *
 * @category Certificate authority
 */
export function basicConstraintsExtension(ca: boolean, pathLength?: number): pkijs.Extension {
  const value: asn1js.AsnType[] = [];
  if (ca) value.push(new asn1js.Boolean({ value: true }));
  if (ca && pathLength !== undefined) value.push(new asn1js.Integer({ value: pathLength }));
  return extension(EXTENSION.basicConstraints, true, new asn1js.Sequence({ value }));
}

/** Subject key identifier.
 *
 * @category Certificate authority
 */
export function subjectKeyIdentifierExtension(id: Uint8Array<ArrayBuffer>): pkijs.Extension {
  return extension(EXTENSION.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: id }));
}

/** Authority key identifier: the issuer's key identifier only.
 *
 * @category Certificate authority
 */
export function authorityKeyIdentifierExtension(id: Uint8Array<ArrayBuffer>): pkijs.Extension {
  const value = new asn1js.Sequence({ value: [implicit(0, id)] });
  return extension(EXTENSION.authorityKeyIdentifier, false, value);
}

/** A Kerberos principal name and realm (RFC 4556 §3.2.2 KRB5PrincipalName).
 *
 * @category Certificate authority
 */
export interface KerberosPrincipal {
  readonly realm: string;
  /** The name's components: `['krbtgt', 'CONTOSO.TEST']`. */
  readonly components: readonly string[];
  /** The name type: 2 (KRB_NT_SRV_INST) for a service such as krbtgt. */
  readonly nameType: number;
}

/** What a subject alternative name holds: any of these, in this order.
 *
 * @category Certificate authority
 */
export interface SubjectAltNames {
  readonly upn?: string | undefined;
  readonly email?: string | undefined;
  /** A host name (dNSName). */
  readonly dnsName?: string | undefined;
  /** A KDC's principal (otherName id-pkinit-san, 1.3.6.1.5.2.2). */
  readonly kerberosPrincipal?: KerberosPrincipal | undefined;
}

/** id-pkinit-san (RFC 4556 §3.2.2). */
const PKINIT_SAN = '1.3.6.1.5.2.2';

/** An otherName: `[0] { type-id, [0] EXPLICIT value }`. */
function otherName(typeId: string, value: asn1js.AsnType): asn1js.Constructed {
  return tagged(0, [new asn1js.ObjectIdentifier({ value: typeId }), tagged(0, [value])]);
}

/** KRB5PrincipalName ::= SEQUENCE { realm [0] Realm, principalName [1] PrincipalName }. */
function krb5PrincipalName(principal: KerberosPrincipal): asn1js.Sequence {
  const strings = principal.components.map((value) => new asn1js.GeneralString({ value }));
  const name = new asn1js.Sequence({
    value: [
      tagged(0, [new asn1js.Integer({ value: principal.nameType })]),
      tagged(1, [new asn1js.Sequence({ value: strings })]),
    ],
  });
  const realm = new asn1js.GeneralString({ value: principal.realm });
  return new asn1js.Sequence({ value: [tagged(0, [realm]), tagged(1, [name])] });
}

/**
 * Subject alternative name: the UPN as otherName (UTF8String), the e-mail as rfc822Name, a host
 * as dNSName, a KDC's principal as otherName id-pkinit-san; none of them: no extension.
 *
 * @category Certificate authority
 */
export function subjectAltNameExtension(names: SubjectAltNames): pkijs.Extension | undefined {
  const value: asn1js.AsnType[] = [];
  if (names.upn !== undefined) {
    value.push(otherName(OID.upn, new asn1js.Utf8String({ value: names.upn })));
  }
  if (names.email !== undefined) value.push(implicit(1, utf8(names.email)));
  if (names.dnsName !== undefined) value.push(implicit(2, utf8(names.dnsName)));
  if (names.kerberosPrincipal !== undefined) {
    value.push(otherName(PKINIT_SAN, krb5PrincipalName(names.kerberosPrincipal)));
  }
  if (value.length === 0) return undefined;
  return extension(EXTENSION.subjectAltName, false, new asn1js.Sequence({ value }));
}

/**
 * The user's SID (szOID_NTDS_CA_SECURITY_EXT), not critical, as AD CS writes it for strong
 * certificate mapping (KB5014754).
 *
 * @category Certificate authority
 */
export function securityIdentifierExtension(sid: string): pkijs.Extension {
  return new pkijs.Extension({
    extnID: EXTENSION.securityIdentifier,
    critical: false,
    extnValue: sidExtensionValue(sid).buffer,
  });
}

/** One CRL distribution point with a full name that is a URI.
 *
 * @category Certificate authority
 */
export function crlDistributionPointsExtension(url: string): pkijs.Extension {
  const fullName = tagged(0, [implicit(6, utf8(url))]);
  const point = new asn1js.Sequence({ value: [tagged(0, [fullName])] });
  return extension(EXTENSION.crlDistributionPoints, false, new asn1js.Sequence({ value: [point] }));
}

/** id-ad-ocsp and id-ad-caIssuers (RFC 5280 §4.2.2.1). */
const ACCESS_METHOD = { ocsp: OCSP.accessMethod, caIssuers: '1.3.6.1.5.5.7.48.2' } as const;

/**
 * Authority information access, not critical: where the OCSP responder answers (id-ad-ocsp), and
 * where the issuer's certificate is (id-ad-caIssuers), each a URI, when given.
 *
 * @category Certificate authority
 */
export function authorityInfoAccessExtension(urls: {
  readonly ocsp?: string | undefined;
  readonly caIssuers?: string | undefined;
}): pkijs.Extension {
  const value = (['ocsp', 'caIssuers'] as const).flatMap((method) => {
    const url = urls[method];
    if (url === undefined) return [];
    const location = implicit(6, utf8(url));
    const id = new asn1js.ObjectIdentifier({ value: ACCESS_METHOD[method] });
    return [new asn1js.Sequence({ value: [id, location] })];
  });
  return extension(EXTENSION.authorityInfoAccess, false, new asn1js.Sequence({ value }));
}

/** id-pkix-ocsp-nocheck, not critical: a delegated OCSP responder is not checked for revocation.
 *
 * @category Certificate authority
 */
export function ocspNoCheckExtension(): pkijs.Extension {
  return extension(OCSP.noCheck, false, new asn1js.Null());
}

/** One attribute of a distinguished name, in its own RDN.
 *
 * @category Certificate authority
 */
export interface NamePart {
  readonly type: string;
  readonly value: string;
  /** IA5String (domain components) or UTF8String (everything else). */
  readonly ia5?: boolean;
}

/**
 * A distinguished name with one attribute per RDN, most significant first (pkijs would put them
 * all in one multi-valued RDN).
 *
 * @category Certificate authority
 */
export function distinguishedName(parts: readonly NamePart[]): pkijs.RelativeDistinguishedNames {
  const rdns = parts.map((part) => {
    const value = part.ia5
      ? new asn1js.IA5String({ value: part.value })
      : new asn1js.Utf8String({ value: part.value });
    const atv = new asn1js.Sequence({
      value: [new asn1js.ObjectIdentifier({ value: part.type }), value],
    });
    return new asn1js.Set({ value: [atv] });
  });
  const der = new asn1js.Sequence({ value: rdns }).toBER();
  return new pkijs.RelativeDistinguishedNames({ schema: asn1js.fromBER(der).result });
}

const Y2050 = Date.UTC(2050, 0, 1);

/** An X.509 time for `ms`, to the second: UTCTime before 2050, GeneralizedTime from then on.
 *
 * @category Certificate authority
 */
export function x509Time(ms: number): pkijs.Time {
  const value = new Date(Math.floor(ms / 1000) * 1000);
  return new pkijs.Time({ type: ms < Y2050 ? 0 : 1, value });
}

/** 16 random bytes, as a positive INTEGER with no leading zero byte.
 *
 * @category Certificate authority
 */
export function randomSerial(crypto: Crypto): Uint8Array<ArrayBuffer> {
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0] ?? 0) & 0x7f || 0x01;
  return serial;
}
