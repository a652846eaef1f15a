/**
 * Where to ask about a certificate: the id-ad-ocsp URL of its authorityInfoAccess (RFC 5280
 * §4.2.2.1), http or https only, or the one configured. Read only when OCSP is on, so the path
 * search does not pay for it otherwise. Internal.
 */
import { readSingle, unreadable } from '../../../lib/der.js';
import * as OCSP from '../../../lib/ocsp-oids.js';
import * as EXTENSION from '../../../lib/x509-extension-oids.js';
import { contentOf, oidOf, sequence } from '../asn1.js';
import type { PathCertificate } from '../certificate.js';

/** A uniformResourceIdentifier GeneralName: `[6] IMPLICIT IA5String`. */
const URI_TAG = 0x86;

/** The http(s) OCSP URLs in `cert`'s authorityInfoAccess, in order; none when unreadable. */
export function ocspUrls(cert: PathCertificate): string[] {
  const value = cert.extensions.get(EXTENSION.authorityInfoAccess)?.value;
  if (value === undefined) return [];
  try {
    const urls: string[] = [];
    for (const description of sequence(value, readSingle(value))) {
      const [method, location] = sequence(value, description);
      if (oidOf(value, method) !== OCSP.accessMethod || location?.tag !== URI_TAG) continue;
      const text = String.fromCharCode(...contentOf(value, location));
      if (/^https?:\/\//i.test(text) && !/[^\x21-\x7e]/.test(text)) urls.push(text);
    }
    return urls;
  } catch (error) {
    unreadable(error);
    return [];
  }
}

/** What to ask about `cert`, by the options: the URL, or `undefined` when nowhere. */
export function responderUrlFor(
  cert: PathCertificate,
  configured: string | undefined,
  override: boolean,
): string | undefined {
  if (override && configured !== undefined) return configured;
  return ocspUrls(cert)[0] ?? configured;
}
