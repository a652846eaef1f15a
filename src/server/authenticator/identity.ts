/**
 * The sign-in identities of a certificate: the UPNs (otherName 1.3.6.1.4.1.311.20.2.3) and the
 * e-mail addresses (rfc822Name) in its subjectAltName, read with the strict DER reader (no
 * pkijs on the sign-in path). Internal.
 */

import { sameAddress } from '../../challenge/address.js';
import { InvalidInputError } from '../../errors.js';
import { readSingle, type Tlv, unreadable } from '../../lib/der.js';
import * as EXTENSION from '../../lib/x509-extension-oids.js';
import { contentOf, expect, oidOf, sequence } from '../path/asn1.js';
import type { PathCertificate } from '../path/certificate.js';

/** The user principal name's otherName type. */
const UPN_OID = '1.3.6.1.4.1.311.20.2.3';

/** The names a certificate may sign in as.
 *
 * @category Server
 */
export interface CertificateIdentities {
  readonly upns: readonly string[];
  readonly emails: readonly string[];
}

/**
 * The `identity` option, checked at construction: `'upn'` (the default) or `'upn-or-email'`;
 * `owner` (the Authenticator or the ClientCertificateVerifier) starts the error's message.
 */
export function readIdentityOption(value: unknown, owner: string): 'upn' | 'upn-or-email' {
  const identity = value ?? 'upn';
  if (identity !== 'upn' && identity !== 'upn-or-email') {
    throw new InvalidInputError(`${owner}: identity is "upn" or "upn-or-email".`);
  }
  return identity;
}

/** The identities in the certificate's SAN, or why the SAN cannot be read.
 *
 * @category Server
 */
export function identitiesOf(cert: PathCertificate): CertificateIdentities | string {
  const san = cert.extensions.get(EXTENSION.subjectAltName)?.value;
  if (san === undefined) return { upns: [], emails: [] };
  try {
    return readGeneralNames(san);
  } catch (error) {
    return unreadable(error);
  }
}

function readGeneralNames(san: Uint8Array): CertificateIdentities {
  const upns: string[] = [];
  const emails: string[] = [];
  // ignoreBOM: a leading U+FEFF stays in the name (and is refused below), never dropped.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  for (const name of sequence(san, readSingle(san))) {
    if (name.tag === 0x81) {
      emails.push(ascii(contentOf(san, name)));
    } else if (name.tag === 0xa0) {
      const [type, value] = sequence(san, name, 0xa0);
      if (oidOf(san, type) !== UPN_OID) continue;
      const [inner] = sequence(san, value as Tlv, 0xa0);
      expect(inner?.tag === 0x0c, 'a UPN is a UTF8String');
      upns.push(plain(decoder.decode(contentOf(san, inner)), 'a UPN'));
    }
  }
  return { upns, emails };
}

/** IA5String contents as text; a byte above 0x7f is malformed. */
function ascii(bytes: Uint8Array): string {
  expect(
    bytes.every((b) => b < 0x80),
    'an rfc822Name is not IA5',
  );
  return plain(String.fromCharCode(...bytes), 'an rfc822Name');
}

/** Refuses control and format characters (a NUL, a BOM, a direction mark) in a name. */
function plain(name: string, what: string): string {
  expect(!/[\p{Cc}\p{Cf}]/u.test(name), `${what} holds control or format characters`);
  return name;
}

/**
 * The certificate name equal to `address` (ASCII case ignored): its UPN, or with `'upn-or-email'`
 * also its e-mail address; `matched` says which, and `name` is the certificate's own spelling.
 *
 * @category Server
 */
export function matchIdentity(
  identities: CertificateIdentities,
  address: string,
  mode: 'upn' | 'upn-or-email' = 'upn',
): { matched: 'upn' | 'email'; name: string; upn?: string; email?: string } | undefined {
  const upn = identities.upns.find((name) => sameAddress(name, address));
  const email =
    mode === 'upn-or-email'
      ? identities.emails.find((name) => sameAddress(name, address))
      : undefined;
  if (upn === undefined && email === undefined) return undefined;
  const out: { matched: 'upn' | 'email'; name: string; upn?: string; email?: string } =
    upn !== undefined ? { matched: 'upn', name: upn } : { matched: 'email', name: email as string };
  const anyUpn = upn ?? identities.upns[0];
  const anyEmail = email ?? identities.emails[0];
  if (anyUpn !== undefined) out.upn = anyUpn;
  if (anyEmail !== undefined) out.email = anyEmail;
  return out;
}
