/**
 * Certificate-to-account mappings as Windows domain controllers (altSecurityIdentities) and
 * Entra ID offer them, each classed strong or weak as KB5014754 classes them.
 *
 * @module
 */

import { getCrypto, type WebCrypto } from '../../crypto.js';
import { InvalidInputError } from '../../errors.js';
import { toHex } from '../../lib/bytes.js';
import { children, readSingle } from '../../lib/der.js';
import { directoryNameText } from '../../lib/name-text.js';
import { readCertificateSid } from '../../lib/security-identifier.js';
import { type CertificateIdentities, identitiesOf } from '../authenticator/identity.js';
import { type PathCertificate, parseCertificate } from '../path/certificate.js';

/**
 * One way to name the certificate's account, strongest first:
 *
 * - strong: `sid` (the SID extension or SAN URI, KB5014754), `issuer-serial`
 *   (`X509:<I>issuer<SR>serial`, the serial's bytes in reverse order as AD stores them), `ski`
 *   (`X509:<SKI>` the subject key identifier), `sha1-public-key` (`X509:<SHA1-PUKEY>`, offered
 *   twice: first the SHA-1 of the whole certificate, its thumbprint, which certutil shows as
 *   "Cert Hash(sha1)" and Microsoft's tools write there; then the SHA-1 of the subject public
 *   key, the BIT STRING's contents, as [MS-PKCA] §3.1.5.2.1.3 words it);
 * - weak: `issuer-subject` (`X509:<I>issuer<S>subject`), `subject` (`X509:<S>subject`), `rfc822`
 *   (`X509:<RFC822>` the SAN e-mail), `upn` (the SAN UPN, AD's implicit mapping).
 *
 * Names are written as AD writes them, in encoding order (`DC=com,DC=contoso,CN=Alice`); hex is
 * lower-case: compare the X509 forms ignoring case, as AD does.
 *
 * @example
 * ```ts
 * import type { CertificateMapping } from 'smartcard-2fa/server';
 *
 * const mapping: CertificateMapping = {
 *   kind: 'issuer-serial',
 *   value: 'X509:<I>DC=com,DC=contoso,CN=CONTOSO-CA<SR>1200000000ac11000000002b',
 *   strong: true,
 * };
 * console.log(mapping.strong ? 'strong' : 'weak');
 * ```
 *
 * @category Server
 */
export interface CertificateMapping {
  readonly kind: MappingKind;
  /** The altSecurityIdentities string (`X509:<...>...`), or the SID, UPN or e-mail address. */
  readonly value: string;
  /** Strong as KB5014754 classes it: a DC in Full Enforcement accepts only these. */
  readonly strong: boolean;
}

/**
 * The kinds of {@link CertificateMapping}, strongest first.
 *
 * @example
 * ```ts
 * import type { MappingKind } from 'smartcard-2fa/server';
 *
 * const kinds: MappingKind[] = ['sid', 'issuer-serial'];
 * console.log(kinds.join(', '));
 * ```
 *
 * @category Server
 */
export type MappingKind =
  | 'sid'
  | 'issuer-serial'
  | 'ski'
  | 'sha1-public-key'
  | 'issuer-subject'
  | 'subject'
  | 'rfc822'
  | 'upn';

/**
 * How the `ClientCertificateVerifier` finds the app's account: `lookup` is asked for each of the
 * certificate's mappings in turn, strong ones first, and the first account it answers wins.
 * `strength` `'strong'` (the default, as a domain controller in Full Enforcement mode since
 * September 2025) tries only strong mappings; `'any'` (Compatibility mode) also the weak ones.
 *
 * @example
 * ```ts
 * import type { AccountMappingOptions } from 'smartcard-2fa/server';
 *
 * declare const altSecurityIdentities: Map<string, string>; // lower-cased X509:<...> form → account
 * const accounts: AccountMappingOptions = {
 *   lookup: (mapping) => altSecurityIdentities.get(mapping.value.toLowerCase()),
 * };
 * ```
 *
 * @category Server
 */
export interface AccountMappingOptions {
  /** The app's account this mapping names (its altSecurityIdentities hold it), or `undefined`. */
  lookup(mapping: CertificateMapping): string | undefined | Promise<string | undefined>;
  /** Which mappings are tried: `'strong'` ones only (the default), or `'any'`. */
  readonly strength?: 'strong' | 'any';
}

/** The mappings of `cert`, strongest first; throws (a DER reader's error) when unreadable. */
export async function certificateMappings(
  cert: PathCertificate,
  identities: CertificateIdentities,
  crypto: Crypto,
): Promise<CertificateMapping[]> {
  const out: CertificateMapping[] = [];
  const add = (kind: MappingKind, value: string, strong: boolean) =>
    out.push({ kind, value, strong });
  const sid = readCertificateSid(cert.der);
  if (sid !== undefined) add('sid', sid, true);
  const issuer = directoryNameText(cert.issuer, readSingle(cert.issuer));
  const subject = directoryNameText(cert.subject, readSingle(cert.subject));
  add('issuer-serial', `X509:<I>${issuer}<SR>${toHex(cert.serial.slice().reverse())}`, true);
  if (cert.ski !== undefined) add('ski', `X509:<SKI>${toHex(cert.ski)}`, true);
  const sha1 = async (bytes: Uint8Array) =>
    toHex(new Uint8Array(await crypto.subtle.digest('SHA-1', bytes.slice())));
  add('sha1-public-key', `X509:<SHA1-PUKEY>${await sha1(cert.der)}`, true);
  const [, key] = children(cert.spki, readSingle(cert.spki));
  if (key?.tag === 0x03 && key.end > key.valueStart + 1) {
    const publicKey = cert.spki.subarray(key.valueStart + 1, key.end); // after the unused-bits byte
    add('sha1-public-key', `X509:<SHA1-PUKEY>${await sha1(publicKey)}`, true);
  }
  if (subject !== '') {
    add('issuer-subject', `X509:<I>${issuer}<S>${subject}`, false);
    add('subject', `X509:<S>${subject}`, false);
  }
  for (const email of identities.emails) add('rfc822', `X509:<RFC822>${email}`, false);
  for (const upn of identities.upns) add('upn', upn, false);
  return out;
}

/**
 * The mappings of a certificate (DER), strongest first, as {@link AccountMappingOptions.lookup}
 * is asked them: for an app that records them in its directory when it issues or registers a
 * card, as an administrator writes altSecurityIdentities.
 *
 * @throws `InvalidInputError` when `certificate` is not a readable X.509 v3 certificate.
 *
 * @example
 * ```ts
 * import { certificateMappingsOf } from 'smartcard-2fa/server';
 *
 * declare const certificate: Uint8Array; // the card's certificate, DER
 * const strong = (await certificateMappingsOf(certificate)).filter((mapping) => mapping.strong);
 * console.log(strong.map((mapping) => mapping.value)); // ['X509:<I>...<SR>...', ...]
 * ```
 *
 * @category Server
 */
export async function certificateMappingsOf(
  certificate: Uint8Array,
  options: { readonly crypto?: WebCrypto } = {},
): Promise<CertificateMapping[]> {
  if (!(certificate instanceof Uint8Array)) {
    throw new InvalidInputError('certificateMappingsOf takes a certificate as DER bytes.');
  }
  const cert = parseCertificate(new Uint8Array(certificate));
  if (typeof cert === 'string') {
    throw new InvalidInputError(`certificateMappingsOf: the certificate is malformed: ${cert}.`);
  }
  const identities = identitiesOf(cert);
  if (typeof identities === 'string') {
    throw new InvalidInputError(
      `certificateMappingsOf: the subjectAltName is unreadable: ${identities}.`,
    );
  }
  try {
    return await certificateMappings(cert, identities, await getCrypto(options));
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    throw new InvalidInputError(`certificateMappingsOf: ${(error as Error).message}.`);
  }
}
