/**
 * A distinguished name as RFC 4514 text, read with the strict DER reader: what enrollment shows
 * a person and what the server tells an app of a certificate. Internal.
 */
import { toHex } from './bytes.js';
import type { Tlv } from './der.js';
import { stringOf } from './der-strings.js';
import { encodingOf, expect, oidOf, sequence } from './der-values.js';

/** The short names of the attributes certificates of this SDK's users carry. */
const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.11': 'OU',
  '2.5.4.10': 'O',
  '2.5.4.6': 'C',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
};

/**
 * A `Name` (`SEQUENCE OF RelativeDistinguishedName`) as `CN=…, OU=…, DC=…`, most specific
 * first; the attributes of a multi-valued RDN joined by `+`. A value that is not a string is
 * written `#` and its DER in hex (RFC 4514, 2.4).
 */
export function nameText(bytes: Uint8Array, name: Tlv | undefined): string {
  return nameRdns(bytes, name).reverse().join(', ');
}

/**
 * The same name as Active Directory's altSecurityIdentities write it: in encoding order,
 * `DC=com,DC=contoso,CN=Alice`; a multi-valued RDN as RFC 4514 writes it, `O=A+C=SE`. (Apart
 * from `nameText`, so the browser bundles that read names carry none of it.)
 */
export function directoryNameText(bytes: Uint8Array, name: Tlv | undefined): string {
  return nameRdns(bytes, name).join(',');
}

/** The name's RDNs in encoding order, each as `TYPE=value` escaped, `+` between attributes. */
function nameRdns(bytes: Uint8Array, name: Tlv | undefined): string[] {
  return sequence(bytes, name).map((rdn) => {
    const attributes: string[] = [];
    const set = sequence(bytes, rdn, 0x31);
    expect(set.length > 0, 'an empty RelativeDistinguishedName');
    for (const attribute of set) {
      const [type, value, ...extra] = sequence(bytes, attribute);
      expect(value !== undefined && extra.length === 0, 'an AttributeTypeAndValue has 2 fields');
      const oid = oidOf(bytes, type);
      const text = stringOf(bytes, value);
      const written =
        text === undefined ? `#${toHex(encodingOf(bytes, value))}` : escapeValue(text);
      attributes.push(`${SHORT_NAMES[oid] ?? oid}=${written}`);
    }
    return attributes.join('+');
  });
}

/**
 * RFC 4514 escaping, so that a value such as `Alice, OU=Admins` cannot pass for two attributes
 * in what a person is asked to confirm.
 */
function escapeValue(value: string): string {
  return (
    value
      .replace(/[\\,+"<>;=]/g, '\\$&')
      .replace(/^[ #]/, '\\$&')
      .replace(/ $/, '\\ ')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the C0 controls are what is escaped
      .replace(/[\x00-\x1f]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
  );
}
