/**
 * The sign-in identities of a certificate: the UPNs (otherName 1.3.6.1.4.1.311.20.2.3) and the
 * e-mail addresses (rfc822Name) in its subjectAltName, read with the strict DER reader (no
 * pkijs on the sign-in path). Internal.
 */
import { readSingle, type Tlv } from '../../lib/der.js';
import { contentOf, expect, oidOf, sequence } from '../path/asn1.js';
import { type PathCertificate, unreadable } from '../path/certificate.js';
import { EXT } from '../path/extensions.js';
import { sameAddress } from './input.js';

/** The user principal name's otherName type. */
const UPN_OID = '1.3.6.1.4.1.311.20.2.3';

/** The names a certificate may sign in as. */
export interface CertificateIdentities {
  readonly upns: readonly string[];
  readonly emails: readonly string[];
}

/** The identities in the certificate's SAN, or why the SAN cannot be read. */
export function identitiesOf(cert: PathCertificate): CertificateIdentities | string {
  const san = cert.extensions.get(EXT.subjectAltName)?.value;
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
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const name of sequence(san, readSingle(san))) {
    if (name.tag === 0x81) {
      emails.push(ascii(contentOf(san, name)));
    } else if (name.tag === 0xa0) {
      const [type, value] = sequence(san, name, 0xa0);
      if (oidOf(san, type) !== UPN_OID) continue;
      const [inner] = sequence(san, value as Tlv, 0xa0);
      expect(inner?.tag === 0x0c, 'a UPN is a UTF8String');
      upns.push(decoder.decode(contentOf(san, inner)));
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
  return String.fromCharCode(...bytes);
}

/** The UPN or e-mail address equal to `address` (ASCII case ignored), with the other kind. */
export function matchIdentity(
  identities: CertificateIdentities,
  address: string,
): { upn?: string; email?: string } | undefined {
  const upn = identities.upns.find((name) => sameAddress(name, address));
  const email = identities.emails.find((name) => sameAddress(name, address));
  if (upn === undefined && email === undefined) return undefined;
  const out: { upn?: string; email?: string } = {};
  const anyUpn = upn ?? identities.upns[0];
  const anyEmail = email ?? identities.emails[0];
  if (anyUpn !== undefined) out.upn = anyUpn;
  if (anyEmail !== undefined) out.email = anyEmail;
  return out;
}
