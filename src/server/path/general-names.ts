/**
 * General names (RFC 5280 §4.2.1.6) as name constraints see them: a certificate's subject
 * name, the e-mail addresses in its subject, and the entries of its subjectAltName, each read
 * from DER into one of the forms constraints are written in. Internal.
 */
import { children, DerError, type Tlv } from '../../lib/der.js';
import { stringOf } from '../../lib/der-strings.js';
import { contentOf, expect, oidOf } from '../../lib/der-values.js';
import { rdnKeys } from '../../lib/names.js';
import * as EXTENSION from '../../lib/x509-extension-oids.js';
import { sequenceOf } from '../../lib/x509-extensions.js';

/** The user principal name's otherName type (Microsoft). */
export const UPN_OID = '1.3.6.1.4.1.311.20.2.3';
/** The emailAddress attribute of a distinguished name (PKCS #9). */
const EMAIL_ADDRESS = '1.2.840.113549.1.9.1';

/** One general name, in the form constraints are matched in. */
export type GeneralName =
  | { readonly form: 'email' | 'dns' | 'uri' | 'upn'; readonly text: string }
  | { readonly form: 'ip'; readonly bytes: Uint8Array }
  | { readonly form: 'directory'; readonly rdns: readonly string[] }
  /** Any other form (x400Address, ediPartyName, registeredID, another otherName): `kind` names it. */
  | { readonly form: 'other'; readonly kind: string };

/** The `form` values, for messages. */
export type GeneralNameForm = GeneralName['form'];

/** The ASCII text of an IA5String's contents; a byte above 0x7f is malformed. */
function ia5(bytes: Uint8Array, what: string): string {
  expect(
    bytes.every((byte) => byte < 0x80),
    `${what} is not IA5`,
  );
  return String.fromCharCode(...bytes);
}

/**
 * The general name at `name` in `bytes` (one CHOICE of GeneralName, context-tagged). Throws
 * {@link DerError} when it is not one.
 */
export function readGeneralName(bytes: Uint8Array, name: Tlv): GeneralName {
  switch (name.tag) {
    case 0x81:
      return { form: 'email', text: ia5(contentOf(bytes, name), 'an rfc822Name') };
    case 0x82:
      return { form: 'dns', text: ia5(contentOf(bytes, name), 'a dNSName') };
    case 0x86:
      return { form: 'uri', text: ia5(contentOf(bytes, name), 'a URI') };
    case 0x87:
      return { form: 'ip', bytes: contentOf(bytes, name) };
    case 0xa4: {
      const [inner, extra] = children(bytes, name);
      expect(inner !== undefined && extra === undefined, 'a directoryName holds one Name');
      return { form: 'directory', rdns: rdnKeys(bytes, inner) };
    }
    case 0xa0: {
      const [type, value, extra] = children(bytes, name);
      expect(type !== undefined && value?.tag === 0xa0 && extra === undefined, 'a bad otherName');
      const typeId = oidOf(bytes, type);
      if (typeId !== UPN_OID) return { form: 'other', kind: `otherName ${typeId}` };
      const [inner] = children(bytes, value);
      expect(inner?.tag === 0x0c, 'a UPN is a UTF8String');
      return { form: 'upn', text: stringOf(bytes, inner) as string };
    }
    case 0xa3:
      return { form: 'other', kind: 'x400Address' };
    case 0xa5:
      return { form: 'other', kind: 'ediPartyName' };
    case 0x88:
      return { form: 'other', kind: 'registeredID' };
    default:
      throw new DerError(`not a GeneralName (tag ${name.tag})`);
  }
}

/** The subject name's e-mail addresses (emailAddress attributes, IA5String). */
function subjectEmails(der: Uint8Array, subject: Tlv): GeneralName[] {
  const found: GeneralName[] = [];
  for (const rdn of children(der, subject)) {
    for (const pair of children(der, rdn)) {
      const [type, value] = children(der, pair);
      if (type === undefined || value === undefined || oidOf(der, type) !== EMAIL_ADDRESS) continue;
      found.push({ form: 'email', text: stringOf(der, value) ?? '' });
    }
  }
  return found;
}

/** What a certificate is named, for its name constraints. */
export interface CertificateNames {
  /** The subject's RDN keys; empty for an empty subject (then no directoryName applies). */
  readonly subject: readonly string[];
  /** Each e-mail address of the subject name, then each subjectAltName entry. */
  readonly alternatives: readonly GeneralName[];
}

/**
 * The names of a certificate: its subject (`der` and its Name element) and its subjectAltName
 * (the extension's value, if it has one). Throws when any of them cannot be read.
 */
export function certificateNames(
  der: Uint8Array,
  subject: Tlv,
  extensions: ReadonlyMap<string, { readonly value: Uint8Array }>,
): CertificateNames {
  const san = extensions.get(EXTENSION.subjectAltName)?.value;
  const alternatives =
    san === undefined ? [] : sequenceOf(san).map((name) => readGeneralName(san, name));
  return {
    subject: rdnKeys(der, subject),
    alternatives: [...subjectEmails(der, subject), ...alternatives],
  };
}
