/**
 * The names a certificate summary shows: a distinguished name as RFC 4514 text, and the UPN and
 * e-mail address of a subject alternative name, read with the strict DER reader. Each throws
 * `DerError` on what is not DER or breaks the X.509 syntax. Internal.
 */

import { checkTree, readSingle, type Tlv } from '../../lib/der.js';
import { checkValues, stringOf } from '../../lib/der-strings.js';
import { expect, oidOf, sequence } from '../../lib/der-values.js';
import { sequenceOf } from '../../lib/x509-extensions.js';
import { OID } from '../oids.js';

/** A `Name` as RFC 4514 text: one helper in lib, which the server uses too. */
export { nameText } from '../../lib/name-text.js';

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
