/**
 * The request formats a CA takes: PKCS#10 (a certificate request) or CMC (a Full PKI Request:
 * CMS SignedData around PKIData holding one PKCS#10 request, RFC 5272).
 *
 * @example
 * ```ts
 * import type { SmartCard } from 'smartcard-2fa/card';
 * import { EnrollmentBuilder, type RequestFormat } from 'smartcard-2fa/enrollment';
 *
 * declare const card: SmartCard;
 * declare const caTakesCmc: boolean; // what the CA's policy module accepts
 * const format: RequestFormat = caTakesCmc ? 'cmc' : 'pkcs10';
 * const builder = new EnrollmentBuilder().template('SmartcardLogon').format(format);
 * const request = await builder.build(card);
 * console.log(request.pem.split('\n')[0]); // -----BEGIN CMS----- or CERTIFICATE REQUEST
 * ```
 *
 * @category Enrollment
 */
export type RequestFormat = 'pkcs10' | 'cmc';

/**
 * A certificate request, signed on the card: DER and PEM of the same bytes.
 *
 * @example
 * ```ts
 * import type { SmartCard } from 'smartcard-2fa/card';
 * import { EnrollmentBuilder, type EnrollmentRequest } from 'smartcard-2fa/enrollment';
 *
 * declare const card: SmartCard; // PIN verified
 * const request: EnrollmentRequest = await EnrollmentBuilder.smartcardUser()
 *   .upn('alice@contoso.com')
 *   .build(card);
 * console.log(request.template, request.container); // the key set made on the card
 * await fetch('/enroll', { method: 'POST', body: request.pem }); // or request.der, as bytes
 * ```
 *
 * @category Enrollment
 */
export interface EnrollmentRequest {
  /** PKCS#10 or CMC. */
  readonly format: RequestFormat;
  /** The request, DER-encoded. */
  readonly der: Uint8Array<ArrayBuffer>;
  /** The request as PEM (`CERTIFICATE REQUEST` for PKCS#10, `CMS` for CMC). */
  readonly pem: string;
  /** The template it names. */
  readonly template: string;
  /** The card's key container whose key signed it. */
  readonly container: string;
  /** The friendly name to install the certificate with (never sent to the CA). */
  readonly friendlyName: string | undefined;
}

/**
 * What the directory says about a user; as with AD CS, a certificate's subject and SAN come from
 * here, not from the request.
 *
 * @example
 * ```ts
 * import type { DirectoryEntry } from 'smartcard-2fa/enrollment';
 *
 * const alice: DirectoryEntry = {
 *   account: 'CONTOSO\\alice',
 *   commonName: 'Alice Example',
 *   upn: 'alice@contoso.com',
 *   email: 'alice@contoso.com',
 * };
 * ```
 *
 * @category Enrollment
 */
export interface DirectoryEntry {
  /** The logon name, `DOMAIN\user` (as in a CMC regInfo `requestername`). */
  readonly account: string;
  /** The subject's common name. */
  readonly commonName: string;
  /** The user principal name, for the SAN's UPN otherName (Smart Card Logon needs it). */
  readonly upn?: string;
  /** The e-mail address, for the SAN (Secure Email needs it). */
  readonly email?: string;
  /** Organizational units, outermost last, as in a distinguished name (`OU=Users`). */
  readonly organizationalUnits?: readonly string[];
  /** Domain components, outermost last (`DC=contoso,DC=com` is `['contoso', 'com']`). */
  readonly domainComponents?: readonly string[];
  /** Whether the account may enroll at all (a disabled account is denied). */
  readonly enabled?: boolean;
  /**
   * The account's security identifier (`S-1-5-21-...`, its objectSid). When given, the CA writes
   * it into the certificate (extension 1.3.6.1.4.1.311.25.2), as AD CS does for strong
   * certificate mapping (KB5014754), which domain controllers enforce.
   */
  readonly sid?: string;
}

/**
 * The CA's answer to a request: issued (with the certificate), pending (waiting for a CA
 * manager's approval) or denied (with the reason), each with the request id certsrv shows.
 *
 * @example
 * ```ts
 * import type { Disposition } from 'smartcard-2fa/enrollment';
 *
 * const say = (disposition: Disposition) =>
 *   disposition.status === 'issued'
 *     ? `issued ${disposition.serialNumber}`
 *     : `${disposition.status}: ${disposition.reason}`;
 * ```
 *
 * @category Enrollment
 */
export type Disposition =
  | {
      readonly status: 'issued';
      readonly requestId: number;
      /** The certificate, DER. */
      readonly certificate: Uint8Array<ArrayBuffer>;
      /** The certificate as PEM. */
      readonly pem: string;
      /** The serial number, lowercase hex. */
      readonly serialNumber: string;
    }
  | { readonly status: 'pending'; readonly requestId: number; readonly reason: string }
  | { readonly status: 'denied'; readonly requestId: number; readonly reason: string };
