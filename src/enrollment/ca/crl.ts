/**
 * Revocation: the reasons (RFC 5280 CRLReason) and the signed CRL v2 of the issuing CA, written
 * with the SDK's own DER writer (pkijs re-reads what it writes, which stops near 1,300 entries)
 * and signed with the CA's key through WebCrypto. Internal.
 */

import { fromHex, utf8 } from '../../lib/bytes.js';
import { children, readSingle } from '../../lib/der.js';
import {
  type Der,
  element,
  explicit,
  implicitPrimitive,
  integer,
  octetString,
  oid,
  sequence,
  tlv,
} from '../../lib/der-write.js';
import * as EXTENSION from '../../lib/x509-extension-oids.js';
import { signatureAlgorithm } from '../algorithms.js';
import { signatureFields } from './signed-der.js';
import { caSignatureOf, type SigningCa } from './signing-key.js';

/**
 * Why a certificate was revoked (RFC 5280 CRLReason). `certificateHold` is the one reason a
 * later revocation may replace, as in AD CS.
 *
 * @example
 * ```ts
 * import type { CertificateAuthority, RevocationReason } from 'smartcard-2fa/enrollment';
 *
 * declare const ca: CertificateAuthority;
 * declare const serialNumber: string; // of the lost card's certificate
 * const reason: RevocationReason = 'keyCompromise'; // the card was lost
 * await ca.revoke(serialNumber, reason);
 * const crl = await ca.crl(); // lists it, with its reason
 * ```
 *
 * @category Certificate authority
 */
export type RevocationReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'cACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold'
  | 'privilegeWithdrawn'
  | 'aACompromise';

/** The CRLReason code of each reason.
 *
 * @category Certificate authority
 */
export const REASON_CODES: Readonly<Record<RevocationReason, number>> = Object.freeze({
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  privilegeWithdrawn: 9,
  aACompromise: 10,
});

/** One revoked certificate.
 *
 * @category Certificate authority
 */
export interface Revocation {
  /** Serial number, lowercase hex. */
  readonly serialNumber: string;
  /** When it was revoked (ms). */
  readonly date: number;
  readonly reason: RevocationReason;
}

const CRL_NUMBER = EXTENSION.cRLNumber;
const CRL_REASON = EXTENSION.reasonCode;
const AUTHORITY_KEY_ID = EXTENSION.authorityKeyIdentifier;
const DELTA_CRL_INDICATOR = EXTENSION.deltaCRLIndicator;
const ISSUING_DISTRIBUTION_POINT = EXTENSION.issuingDistributionPoint;
/** CRLReason removeFromCRL: a delta CRL's entry for a hold released since its base. */
const REMOVE_FROM_CRL = 8;
const DAY_MS = 86_400_000;
/** thisUpdate is backdated as certificates' notBefore is, for relying parties behind the CA.
 *
 * @category Certificate authority
 */
export const CRL_BACKDATE_MS = 5 * 60_000;
const Y2050 = Date.UTC(2050, 0, 1);

/** What goes into a CRL.
 *
 * @category Certificate authority
 */
export interface CrlParams {
  readonly issuer: SigningCa;
  readonly revoked: readonly Revocation[];
  readonly crlNumber: number;
  readonly now: number;
  /** Days until nextUpdate. */
  readonly validityDays: number;
  /**
   * Where this CRL is published (the URL in the certificates' CRL distribution points): written
   * as a critical issuing distribution point, so the CRL covers only certificates that name it.
   */
  readonly distributionPoint?: string;
  /** With `distributionPoint`: the CRL lists end-entity certificates only (onlyContainsUserCerts). */
  readonly onlyUserCerts?: boolean;
  /**
   * Makes a delta CRL of the complete CRL numbered `deltaOf` (a critical deltaCRLIndicator):
   * `revoked` then lists what was revoked since that CRL, and `released` the serials (hex) on
   * hold in it that are no longer (removeFromCRL).
   */
  readonly deltaOf?: number;
  readonly released?: readonly string[];
}

/**
 * A CRL v2 signed with SHA-256 (SHA-384 by a P-384 key): thisUpdate five minutes before now
 * (clock skew), nextUpdate `validityDays` after now, every revoked serial with its date and
 * reason code (left out for `unspecified`, as RFC 5280 asks), the CRL number and the issuer's
 * key identifier; an issuing distribution point and a delta CRL indicator when asked (RFC 5280
 * §5.2.4, §5.2.5).
 *
 * @category Certificate authority
 */
export async function buildCrl(params: CrlParams): Promise<Uint8Array<ArrayBuffer>> {
  const { issuer } = params;
  const { kind, hash } = caSignatureOf(issuer.privateKey);
  const algorithm = signatureAlgorithm(kind, hash);
  const tbs = sequence(
    integer(1),
    algorithm,
    subjectOf(issuer.certificate),
    x509Time(params.now - CRL_BACKDATE_MS),
    x509Time(params.now + params.validityDays * DAY_MS),
    ...(params.revoked.length + (params.released?.length ?? 0) > 0
      ? [revokedList(params.revoked, params.released ?? [], params.now)]
      : []),
    explicit(
      0,
      sequence(
        extension(AUTHORITY_KEY_ID, sequence(implicitPrimitive(0, issuer.keyIdentifier))),
        extension(CRL_NUMBER, integer(params.crlNumber)),
        ...(params.deltaOf === undefined
          ? []
          : [criticalExtension(DELTA_CRL_INDICATOR, integer(params.deltaOf))]),
        ...(params.distributionPoint === undefined
          ? []
          : [criticalExtension(ISSUING_DISTRIBUTION_POINT, issuingDistributionPoint(params))]),
      ),
    ),
  );
  return signCrl(tbs, issuer.privateKey, issuer.engine.crypto);
}

/** Signs a TBSCertList with a CA's private key (SHA-256) into a CertificateList.
 *
 * @category Certificate authority
 */
export async function signCrl(
  tbs: Uint8Array,
  key: CryptoKey,
  crypto: Crypto,
): Promise<Uint8Array<ArrayBuffer>> {
  return sequence(tbs, ...(await signatureFields(tbs, key, crypto)));
}

/** The subject Name of a certificate, as its bytes: the issuer of what the CA signs. */
function subjectOf(certificate: Uint8Array): Uint8Array {
  const [tbs] = children(certificate, readSingle(certificate));
  const fields = tbs === undefined ? [] : children(certificate, tbs);
  const subject = fields[fields[0]?.tag === 0xa0 ? 5 : 4];
  if (subject === undefined) throw new Error('the CA certificate has no subject');
  return certificate.subarray(subject.start, subject.end);
}

/** A UTCTime before 2050, a GeneralizedTime from then on (RFC 5280), to the second. */
function x509Time(ms: number): Der {
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const text = ms < Y2050 ? digits.slice(2) : digits;
  return tlv(ms < Y2050 ? 0x17 : 0x18, utf8(text));
}

function extension(id: string, value: Uint8Array): Der {
  return sequence(oid(id), octetString(value));
}

function criticalExtension(id: string, value: Uint8Array): Der {
  return sequence(oid(id), tlv(0x01, new Uint8Array([0xff])), octetString(value));
}

/** IssuingDistributionPoint: fullName (one URI), and onlyContainsUserCerts when asked. */
function issuingDistributionPoint(params: CrlParams): Der {
  const uri = tlv(0x86, utf8(params.distributionPoint ?? ''));
  return sequence(
    tlv(0xa0, tlv(0xa0, uri)),
    ...(params.onlyUserCerts ? [implicitPrimitive(1, new Uint8Array([0xff]))] : []),
  );
}

/** The entry extensions of each reason code, encoded once. */
const reasonExtensions = new Map<number, Der>();

function reasonExtension(code: number): Der {
  let der = reasonExtensions.get(code);
  if (der === undefined) {
    der = sequence(extension(CRL_REASON, tlv(0x0a, new Uint8Array([code]))));
    reasonExtensions.set(code, der);
  }
  return der;
}

/**
 * revokedCertificates: one entry per revocation (and per hold released, in a delta CRL),
 * written into one buffer (a list of 100,000 entries is several megabytes; it is never spread
 * into a call's arguments).
 */
function revokedList(
  revoked: readonly Revocation[],
  released: readonly string[],
  now: number,
): Der {
  const entry = (serialNumber: string, date: number, code: number) => {
    const serial = fromHex(serialNumber) ?? new Uint8Array(1);
    return code === 0
      ? sequence(integer(serial), x509Time(date))
      : sequence(integer(serial), x509Time(date), reasonExtension(code));
  };
  const entries = revoked.map((revocation) =>
    entry(revocation.serialNumber, revocation.date, REASON_CODES[revocation.reason]),
  );
  for (const serialNumber of released) entries.push(entry(serialNumber, now, REMOVE_FROM_CRL));
  return element(0x30, entries);
}
