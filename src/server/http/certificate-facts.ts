/**
 * What an app needs to know of the certificate that signed in, to open its own session and to
 * log it: names, serial, expiry and fingerprint, read from the DER the Authenticator checked.
 */
import { getCrypto, type WebCrypto } from '../../crypto.js';
import { InvalidInputError } from '../../errors.js';
import { toHex } from '../../lib/bytes.js';
import { readSingle } from '../../lib/der.js';
import { nameText } from '../../lib/name-text.js';
import { parseCertificate } from '../path/certificate.js';

/**
 * The facts of a sign-in certificate, as the verify handler answers them.
 *
 * @example
 * ```ts
 * import { type CertificateFacts, certificateFacts } from 'smartcard-2fa/server';
 *
 * declare const certificate: Uint8Array; // a verified sign-in's certificate, DER
 * const facts: CertificateFacts = await certificateFacts(certificate);
 * console.log(`${facts.subject} (serial ${facts.serial}) until ${facts.notAfter}`);
 * ```
 *
 * @category Server
 */
export interface CertificateFacts {
  /** The subject name as RFC 4514 text, most specific first (`CN=Alice, DC=contoso, ...`). */
  readonly subject: string;
  /** The issuer name as RFC 4514 text. */
  readonly issuer: string;
  /** The serial number, lower-case hex. */
  readonly serial: string;
  /** When the certificate expires, ISO 8601 (UTC). */
  readonly notAfter: string;
  /** SHA-256 of the certificate's DER, lower-case hex. */
  readonly sha256: string;
}

/**
 * The facts of a certificate (DER), as {@link CertificateFacts} lists them.
 *
 * @throws `InvalidInputError` when `certificate` is not an X.509 v3 certificate.
 *
 * @example
 * ```ts
 * import { type Authenticator, certificateFacts, type SignInResponse } from 'smartcard-2fa/server';
 *
 * declare const authenticator: Authenticator, response: SignInResponse;
 * const result = await authenticator.verify(response);
 * if (result.verified) console.log((await certificateFacts(result.certificate)).sha256);
 * ```
 *
 * @category Server
 */
export async function certificateFacts(
  certificate: Uint8Array,
  crypto?: WebCrypto,
): Promise<CertificateFacts> {
  const parsed = parseCertificate(certificate);
  if (typeof parsed === 'string') {
    throw new InvalidInputError(`certificateFacts: not a certificate (${parsed}).`);
  }
  const webCrypto = crypto ?? (await getCrypto());
  const digest = await webCrypto.subtle.digest('SHA-256', certificate.slice());
  return {
    subject: nameText(parsed.subject, readSingle(parsed.subject)),
    issuer: nameText(parsed.issuer, readSingle(parsed.issuer)),
    serial: toHex(parsed.serial),
    notAfter: new Date(parsed.notAfter).toISOString(),
    sha256: toHex(new Uint8Array(digest)),
  };
}
