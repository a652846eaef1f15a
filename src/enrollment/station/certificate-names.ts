/**
 * The names a certificate summary shows: a distinguished name as RFC 4514 text, and the UPN and
 * e-mail address of a subject alternative name, read with the strict DER reader. Each throws
 * `DerError` on what is not DER or breaks the X.509 syntax. Internal.
 */

import { toHex } from '../../lib/bytes.js';
import { checkTree, readSingle, type Tlv } from '../../lib/der.js';
import { checkValues, stringOf } from '../../lib/der-strings.js';
import { encodingOf, expect, oidOf, sequence } from '../../lib/der-values.js';
import { sequenceOf } from '../../lib/x509-extensions.js';
import { OID } from '../oids.js';

const NAMES: Record<string, string> = {
  [OID.commonName]: 'CN',
  [OID.organizationalUnit]: 'OU',
  [OID.organization]: 'O',
  [OID.country]: 'C',
  [OID.domainComponent]: 'DC',
  [OID.emailAddress]: 'E',
};

/**
 * A `Name` (`SEQUENCE OF RelativeDistinguishedName`) as `CN=…, OU=…, DC=…`, most specific
 * first. A value that is not a string is written `#` and its DER in hex (RFC 4514, 2.4).
 *
 * @category Enrollment
 */
export function nameText(bytes: Uint8Array, name: Tlv | undefined): string {
  const attributes: string[] = [];
  for (const rdn of sequence(bytes, name)) {
    const set = sequence(bytes, rdn, 0x31);
    expect(set.length > 0, 'an empty RelativeDistinguishedName');
    for (const attribute of set) {
      const [type, value, ...extra] = sequence(bytes, attribute);
      expect(value !== undefined && extra.length === 0, 'an AttributeTypeAndValue has 2 fields');
      const oid = oidOf(bytes, type);
      const text = stringOf(bytes, value);
      const written =
        text === undefined ? `#${toHex(encodingOf(bytes, value))}` : escapeValue(text);
      attributes.push(`${NAMES[oid] ?? oid}=${written}`);
    }
  }
  return attributes.reverse().join(', ');
}

/**
 * RFC 4514 escaping, so that a value such as `Alice, OU=Admins` cannot pass for two attributes
 * in what a person is asked to confirm.
 */
function escapeValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, '\\$&')
    .replace(/^[ #]/, '\\$&')
    .replace(/ $/, '\\ ')
    .split('')
    .map((c) => (c.charCodeAt(0) < 0x20 ? `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c))
    .join('');
}

/** What a subject alternative name says of its holder.
 *
 * @category Enrollment
 */
export interface AltNames {
  readonly upn: string | undefined;
  readonly email: string | undefined;
}

/**
 * The UPN (an otherName of type UPN holding a UTF8String) and the e-mail address (rfc822Name) of
 * a subjectAltName extension's value, the last of each when there are several. Every element of
 * the value must be DER with valid contents, names it does not show included.
 *
 * @category Enrollment
 */
export function altNames(value: Uint8Array): AltNames {
  const names = sequenceOf(value);
  expect(names.length > 0, 'an empty subjectAltName');
  const whole = readSingle(value);
  checkTree(value, whole);
  checkValues(value, whole);
  let upn: string | undefined;
  let email: string | undefined;
  for (const name of names) {
    if (name.tag === 0x81) email = stringOf(value, { ...name, tag: 0x16 });
    if (name.tag === 0xa0) upn = otherNameUpn(value, name) ?? upn;
  }
  return { upn, email };
}

/** `otherName ::= [0] { type-id OID, [0] EXPLICIT value }`: the UPN, if that is what it holds. */
function otherNameUpn(bytes: Uint8Array, name: Tlv): string | undefined {
  const [typeId, explicit, ...extra] = sequence(bytes, name, 0xa0);
  expect(extra.length === 0, 'an otherName has extra fields');
  const oid = oidOf(bytes, typeId);
  const [inner, ...more] = sequence(bytes, explicit, 0xa0);
  expect(inner !== undefined && more.length === 0, 'an otherName value is one element');
  if (oid !== OID.upn || inner.tag !== 0x0c) return undefined;
  return stringOf(bytes, inner);
}
