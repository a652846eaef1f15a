/**
 * Revocation: the reasons (RFC 5280 CRLReason) and the signed CRL v2 of the issuing CA.
 * Internal.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { SigningCa } from './signing-key.js';
import { authorityKeyIdentifierExtension, fromHex, x509Time } from './x509.js';

/**
 * Why a certificate was revoked (RFC 5280 CRLReason). `certificateHold` is the one reason a
 * later revocation may replace, as in AD CS.
 *
 * @example
 * ```ts
 * import type { RevocationReason } from 'smartcard-2fa/enrollment';
 *
 * const reason: RevocationReason = 'keyCompromise'; // the card was lost
 * ```
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

/** The CRLReason code of each reason. */
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

/** One revoked certificate. */
export interface Revocation {
  /** Serial number, lowercase hex. */
  readonly serialNumber: string;
  /** When it was revoked (ms). */
  readonly date: number;
  readonly reason: RevocationReason;
}

const CRL_NUMBER = '2.5.29.20';
const CRL_REASON = '2.5.29.21';
const DAY_MS = 86_400_000;

/** What goes into a CRL. */
export interface CrlParams {
  readonly issuer: SigningCa;
  readonly revoked: readonly Revocation[];
  readonly crlNumber: number;
  readonly now: number;
  /** Days until nextUpdate. */
  readonly validityDays: number;
}

/**
 * A CRL v2 signed with SHA-256: thisUpdate now, nextUpdate after `validityDays`, every revoked
 * serial with its date and reason code (left out for `unspecified`, as RFC 5280 asks), the CRL
 * number and the issuer's key identifier.
 */
export async function buildCrl(params: CrlParams): Promise<Uint8Array<ArrayBuffer>> {
  const crl = new pkijs.CertificateRevocationList();
  crl.version = 1;
  crl.issuer = params.issuer.name;
  crl.thisUpdate = x509Time(params.now);
  crl.nextUpdate = x509Time(params.now + params.validityDays * DAY_MS);
  const entries = params.revoked.map((revocation) => {
    const entry = new pkijs.RevokedCertificate({
      userCertificate: new asn1js.Integer({
        valueHex: fromHex(revocation.serialNumber) ?? new Uint8Array(1),
      }),
      revocationDate: x509Time(revocation.date),
    });
    const code = REASON_CODES[revocation.reason];
    if (code !== 0) {
      const value = new asn1js.Enumerated({ value: code }).toBER();
      entry.crlEntryExtensions = new pkijs.Extensions({
        extensions: [
          new pkijs.Extension({ extnID: CRL_REASON, critical: false, extnValue: value }),
        ],
      });
    }
    return entry;
  });
  if (entries.length > 0) crl.revokedCertificates = entries;
  crl.crlExtensions = new pkijs.Extensions({
    extensions: [
      authorityKeyIdentifierExtension(params.issuer.keyIdentifier),
      new pkijs.Extension({
        extnID: CRL_NUMBER,
        critical: false,
        extnValue: new asn1js.Integer({ value: params.crlNumber }).toBER(),
      }),
    ],
  });
  await crl.sign(params.issuer.privateKey, 'SHA-256', params.issuer.engine);
  return new Uint8Array(crl.toSchema().toBER());
}
