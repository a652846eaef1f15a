/**
 * The user's security identifier (SID) in a certificate, as Windows domain controllers' strong
 * certificate mapping (KB5014754) reads it: the extension szOID_NTDS_CA_SECURITY_EXT
 * (1.3.6.1.4.1.311.25.2), a GeneralNames holding one otherName of type
 * szOID_NTDS_OBJECTSID (1.3.6.1.4.1.311.25.2.1) whose value is `[0] EXPLICIT OCTET STRING` with
 * the SID as text, as AD CS writes it; or a SAN URI `tag:microsoft.com,2022-09-14:sid:<SID>`.
 * The CA writes it, the Authenticator and the mTLS verifier read it. Internal: never exported
 * from the package.
 */
import { CertificateInvalidError, InvalidInputError } from '../errors.js';
import { utf8 } from './bytes.js';
import { certificateFields, DerError, readSingle, type Tlv } from './der.js';
import { contentOf, oidOf, sequence } from './der-values.js';
import {
  sequence as derSequence,
  explicit,
  implicitConstructed,
  octetString,
  oid,
} from './der-write.js';
import * as EXTENSION from './x509-extension-oids.js';
import { readExtensions } from './x509-extensions.js';

/** szOID_NTDS_OBJECTSID: the otherName type of the SID inside it. */
export const SID_OTHER_NAME = '1.3.6.1.4.1.311.25.2.1';
/** The SAN URI prefix of the SID (KB5014754's second form). */
export const SID_URI_PREFIX = 'tag:microsoft.com,2022-09-14:sid:';

const NUMBER = /^(0|[1-9][0-9]*)$/;

/**
 * Whether `text` is a SID as Windows writes it: `S-1-`, the identifier authority (decimal, below
 * 2^48), then 1 to 15 sub-authorities (decimal, below 2^32), no leading zeros, no spaces.
 */
export function isSecurityIdentifier(text: string): boolean {
  if (typeof text !== 'string' || text.length > 184) return false;
  const parts = text.split('-');
  if (parts.length < 4 || parts.length > 18 || parts[0] !== 'S' || parts[1] !== '1') return false;
  const [, , authority = '', ...subs] = parts;
  if (!NUMBER.test(authority) || Number(authority) >= 2 ** 48) return false;
  return subs.every((sub) => NUMBER.test(sub) && Number(sub) < 2 ** 32);
}

/** The DER extnValue of the SID extension for `sid`; throws `InvalidInputError` for a bad SID. */
export function sidExtensionValue(sid: string): Uint8Array<ArrayBuffer> {
  if (!isSecurityIdentifier(sid)) {
    throw new InvalidInputError(`Not a security identifier (S-1-5-21-...): ${String(sid)}.`);
  }
  const otherName = derSequence(oid(SID_OTHER_NAME), explicit(0, octetString(utf8(sid))));
  return derSequence(implicitConstructed(0, otherName));
}

/**
 * The SID `certificate` (DER) carries, from the extension or the SAN URI, or `undefined` when it
 * carries none. Throws `CertificateInvalidError` when the certificate or the extension is
 * malformed, a SID in it is not a SID, or it carries two different SIDs: never a wrong SID.
 */
export function readCertificateSid(certificate: Uint8Array): string | undefined {
  try {
    const { extensions } = certificateFields(certificate);
    if (extensions === undefined) return undefined;
    const inner = contentOf(certificate, extensions);
    const list = readExtensions(inner, readSingle(inner));
    const found = new Set<string>();
    const extension = list.get(EXTENSION.securityIdentifier);
    if (extension !== undefined) found.add(sidOfExtension(extension.value));
    const san = list.get(EXTENSION.subjectAltName);
    if (san !== undefined) for (const sid of sidsOfSan(san.value)) found.add(sid);
    if (found.size > 1) throw new DerError(`it carries ${found.size} different SIDs`);
    return [...found][0];
  } catch (error) {
    if (error instanceof CertificateInvalidError) throw error;
    const why = error instanceof Error ? error.message : 'unreadable';
    throw new CertificateInvalidError(`The certificate's SID cannot be read: ${why}.`, {
      cause: error,
    });
  }
}

/** The one SID otherName of the extension's GeneralNames. */
function sidOfExtension(value: Uint8Array): string {
  const names = sequence(value, readSingle(value));
  if (names.length !== 1 || names[0]?.tag !== 0xa0) {
    throw new DerError('the SID extension holds other than one otherName');
  }
  const [type, wrapped, ...more] = sequence(value, names[0], 0xa0);
  if (more.length > 0) throw new DerError('the SID otherName has more than its two fields');
  if (oidOf(value, type) !== SID_OTHER_NAME || wrapped?.tag !== 0xa0) {
    throw new DerError('the SID extension names another type');
  }
  const [octets, extra] = sequence(value, wrapped, 0xa0);
  if (octets?.tag !== 0x04 || extra !== undefined) {
    throw new DerError('the SID is not an OCTET STRING in [0]');
  }
  return checkedSid(new TextDecoder('utf-8', { fatal: true }).decode(contentOf(value, octets)));
}

/**
 * The SIDs of `tag:microsoft.com,2022-09-14:sid:` URIs among the SAN's names. A URI is read
 * one character per byte (latin1): one that is not ASCII is no SID URI, and must not make the SID
 * unreadable; a SID URI with such a byte fails the SID check.
 */
function sidsOfSan(value: Uint8Array): string[] {
  return sequence(value, readSingle(value))
    .filter((name: Tlv) => name.tag === 0x86)
    .map((name) => new TextDecoder('latin1').decode(contentOf(value, name)))
    .filter((uri) => uri.toLowerCase().startsWith(SID_URI_PREFIX))
    .map((uri) => checkedSid(uri.slice(SID_URI_PREFIX.length)));
}

function checkedSid(text: string): string {
  if (!isSecurityIdentifier(text)) throw new DerError(`"${text.slice(0, 40)}" is not a SID`);
  return text;
}
