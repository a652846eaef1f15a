/**
 * Reading certsrv's answers: the HTML result pages of `certfnsh.asp` and `certnew.cer`, and the
 * PEM certificate `certnew.cer?Enc=b64` sends once a request is issued. Internal.
 *
 * The phrases matched are those of the English AD CS web enrollment pages (`certrsis.asp`,
 * `certrspn.asp`, `certrsdn.asp`, `certrser.asp`); a localized certsrv is not understood and its
 * answers read as `unknown`.
 */
import { CertificateInvalidError } from '../../errors.js';
import { toHex } from '../../lib/bytes.js';
import { certificateSpki, children, DerError, readSingle } from '../../lib/der.js';
import { readPemBlocks } from '../../lib/pem.js';
import { pem } from '../algorithms.js';

/** What a page says. `requestId` is absent when the page does not show one.
 *
 * @category Enrollment
 */
export type PageReading =
  | { readonly kind: 'issued'; readonly requestId: number }
  | {
      readonly kind: 'pending' | 'denied';
      readonly requestId: number | undefined;
      readonly reason: string;
    }
  | { readonly kind: 'request-invalid'; readonly detail: string }
  | { readonly kind: 'unknown' };

/** An issued certificate as read from `certnew.cer`.
 *
 * @category Enrollment
 */
export interface ReadCertificate {
  readonly der: Uint8Array<ArrayBuffer>;
  readonly pem: string;
  readonly serialNumber: string;
}

/** The link of certsrv's "Certificate Issued" page: `certnew.cer?ReqID=7&Enc=...` (`&amp;` too). */
const ISSUED_LINK = /certnew\.cer\?ReqID=(\d{1,10})&/i;
const REQUEST_ID = /Your Request Id is (\d{1,10})\b/i;
const DISPOSITION_MESSAGE = /The disposition message is\s*["“”](.*?)["“”]/i;
const PENDING = /Certificate Pending|must wait for an administrator|request is still pending/i;
const DENIED = /Your certificate request was denied|Certificate Request Denied|and then revoked/i;
/** `certrser.asp`, the error page: after a failed `newreq`, or `certnew.cer` for no certificate. */
const ERROR_PAGE = /Your request failed|error occurred while the server was processing/i;
const ERROR_DISPOSITION = /\bDisposition: ([0-9a-f]{1,8}) -/i;
const ERROR_MESSAGE =
  /Disposition message: (.*?) ?(?:Result:|COM Error Info:|LastStatus:|Suggested Cause:|$)/i;
const ERROR_RESULT = /Result: (.*?) ?(?:COM Error Info:|LastStatus:|Suggested Cause:|$)/i;
/**
 * HRESULTs that mean the request itself is bad: CRYPT_E_* message and ASN.1 decoding errors
 * (0x80092000 to 0x80093FFF; CRYPT_E_NO_SIGNER for an unsigned CMC), ERROR_INVALID_DATA,
 * E_INVALIDARG, NTE_BAD_SIGNATURE and CERTSRV_E_NO_CERT_TYPE (no template named).
 */
const BAD_REQUEST = /0x(?:8009[23][0-9a-f]{3}|8007000d|80070057|80090006|80094801)\b/i;
/** certcli.h dispositions shown on the error page. */
const CR_DISP_DENIED = 2;
const CR_DISP_UNDER_SUBMISSION = 5;
const CR_DISP_REVOKED = 6;

/** Reads a certsrv HTML page. Comments, scripts and tags are ignored; entities are decoded.
 *
 * @category Enrollment
 */
export function readPage(html: string): PageReading {
  const visible = html.replace(/<!--[\s\S]*?-->/g, ' ');
  const link = ISSUED_LINK.exec(visible);
  const linked = requestIdOf(link?.[1]);
  if (linked !== undefined) return { kind: 'issued', requestId: linked };
  const text = textOf(visible);
  const requestId = requestIdOf(REQUEST_ID.exec(text)?.[1]);
  const reason = DISPOSITION_MESSAGE.exec(text)?.[1]?.trim() ?? '';
  if (PENDING.test(text)) return { kind: 'pending', requestId, reason };
  if (DENIED.test(text)) return { kind: 'denied', requestId, reason };
  if (!ERROR_PAGE.test(text) && !ERROR_DISPOSITION.test(text)) return { kind: 'unknown' };
  const disposition = Number.parseInt(ERROR_DISPOSITION.exec(text)?.[1] ?? '', 16);
  const message = ERROR_MESSAGE.exec(text)?.[1]?.trim() ?? '';
  const shown = message === '(none)' ? '' : message;
  if (disposition === CR_DISP_UNDER_SUBMISSION) {
    return { kind: 'pending', requestId, reason: shown };
  }
  if (disposition === CR_DISP_DENIED || disposition === CR_DISP_REVOKED) {
    return { kind: 'denied', requestId, reason: shown };
  }
  const result = ERROR_RESULT.exec(text)?.[1]?.trim() ?? '';
  if (BAD_REQUEST.test(result) || BAD_REQUEST.test(shown)) {
    return { kind: 'request-invalid', detail: result || shown };
  }
  return { kind: 'unknown' };
}

/**
 * The certificate in a `certnew.cer?Enc=b64` answer, or `undefined` when the answer holds no
 * `BEGIN CERTIFICATE` armour (certsrv sent a page instead). Throws a
 * {@link CertificateInvalidError} when the armour holds anything but one DER X.509 certificate.
 *
 * @category Enrollment
 */
export function readCertificate(answer: string): ReadCertificate | undefined {
  if (!/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.test(answer))
    return undefined;
  const blocks = readPemBlocks(answer);
  if (typeof blocks === 'string') {
    throw new CertificateInvalidError(
      `The CA sent a PEM certificate that is not base64: ${blocks}.`,
    );
  }
  const der = blocks.find((block) => block.label === 'CERTIFICATE')?.der;
  if (der === undefined) return undefined;
  try {
    certificateSpki(der);
    return { der, pem: pem('CERTIFICATE', der), serialNumber: serialNumberOf(der) };
  } catch (cause) {
    if (!(cause instanceof DerError)) throw cause;
    throw new CertificateInvalidError('The CA sent a certificate that is not DER X.509.', {
      cause,
    });
  }
}

/**
 * The serial number of a certificate that {@link certificateSpki} accepted, as lowercase hex of
 * the INTEGER's content octets (a leading `00` stays when DER needs it).
 */
function serialNumberOf(der: Uint8Array): string {
  const [tbs] = children(der, readSingle(der));
  const fields = tbs === undefined ? [] : children(der, tbs);
  const serial = fields[fields[0]?.tag === 0xa0 ? 1 : 0];
  if (serial?.tag !== 0x02 || serial.end === serial.valueStart) {
    throw new DerError('no serial number');
  }
  return toHex(der.subarray(serial.valueStart, serial.end));
}

/** A request id as certsrv shows it: a DWORD above zero. */
function requestIdOf(digits: string | undefined): number | undefined {
  const id = Number(digits ?? Number.NaN);
  return Number.isInteger(id) && id > 0 && id <= 0xffffffff ? id : undefined;
}

const ENTITIES: Readonly<Record<string, string>> = {
  quot: '"',
  amp: '&',
  lt: '<',
  gt: '>',
  apos: "'",
  nbsp: ' ',
  ldquo: '“',
  rdquo: '”',
};

/** A page's visible text: scripts, styles and tags dropped, entities decoded, spaces collapsed. */
function textOf(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (whole, name: string) => {
      if (name.startsWith('#')) {
        const code =
          name[1] === 'x' || name[1] === 'X'
            ? Number.parseInt(name.slice(2), 16)
            : Number(name.slice(1));
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}
