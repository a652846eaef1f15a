/**
 * The options of `CertsrvClient` and their checks. Internal, except for the option types, which
 * `certsrv.ts` re-exports.
 */
import { InvalidInputError } from '../../errors.js';
import { fromBase64 } from '../../lib/bytes.js';
import { DerError, readSingle } from '../../lib/der.js';
import { readPemBlocks } from '../../lib/pem.js';

/**
 * How to reach a certsrv (Certificate Services web enrollment) endpoint.
 *
 * @example
 * ```ts
 * import { CertsrvClient, type CertsrvClientOptions } from 'smartcard-2fa/enrollment';
 *
 * declare const token: string; // the app's own credentials, where the CA is not on Windows auth
 * const options: CertsrvClientOptions = {
 *   baseUrl: 'https://ca.contoso.com/certsrv',
 *   headers: { Authorization: `Bearer ${token}` },
 *   timeoutMs: 10_000,
 * };
 * const certsrv = new CertsrvClient(options);
 * const disposition = await certsrv.retrieve(42);
 * console.log(disposition.status);
 * ```
 *
 * @category Enrollment
 */
export interface CertsrvClientOptions {
  /** The certsrv root, `http:` or `https:`, without query or fragment: `https://ca/certsrv`. */
  readonly baseUrl: string;
  /** The `fetch` to use; the global one by default. */
  readonly fetch?: typeof fetch;
  /**
   * Headers sent with every request, such as an `Authorization` header. Real AD CS uses Windows
   * authentication, which a browser (and a `fetch` configured for it) performs by itself.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** How long each HTTP exchange may take, in milliseconds; 30 000 by default. */
  readonly timeoutMs?: number;
}

/**
 * Options of {@link CertsrvClient.submit}.
 *
 * @example
 * ```ts
 * import type {
 *   CertsrvClient,
 *   CertsrvSubmitOptions,
 *   EnrollmentRequest,
 * } from 'smartcard-2fa/enrollment';
 *
 * declare const certsrv: CertsrvClient;
 * declare const request: EnrollmentRequest;
 * const cancel = new AbortController(); // a Cancel button calls cancel.abort()
 * const options: CertsrvSubmitOptions = { template: 'SmartcardLogon', signal: cancel.signal };
 * const disposition = await certsrv.submit(request, options);
 * if (disposition.status === 'pending') console.log(`Ask again for ${disposition.requestId}.`);
 * ```
 *
 * @category Enrollment
 */
export interface CertsrvSubmitOptions {
  /** The template to ask for (`CertAttrib`); by default the template the request names. */
  readonly template?: string;
  /** Stops waiting: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Options of {@link CertsrvClient.retrieve}.
 *
 * @example
 * ```ts
 * import type { CertsrvClient, CertsrvRetrieveOptions } from 'smartcard-2fa/enrollment';
 *
 * declare const certsrv: CertsrvClient;
 * declare const requestId: number; // from a `pending` disposition
 * const options: CertsrvRetrieveOptions = { signal: AbortSignal.timeout(10_000) };
 * const disposition = await certsrv.retrieve(requestId, options);
 * if (disposition.status === 'issued') console.log(disposition.pem);
 * else console.log(`${disposition.status}: ${disposition.reason}`);
 * ```
 *
 * @category Enrollment
 */
export interface CertsrvRetrieveOptions {
  /** Stops waiting: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The base URL, checked, without a trailing slash.
 *
 * @category Enrollment
 */
export function baseUrlOf(value: unknown): string {
  let url: URL | undefined;
  try {
    url = new URL(String(value));
  } catch {
    url = undefined;
  }
  if (
    typeof value !== 'string' ||
    url === undefined ||
    (url.protocol !== 'https:' && url.protocol !== 'http:')
  ) {
    throw new InvalidInputError('baseUrl must be an http(s) URL, such as https://ca/certsrv.');
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new InvalidInputError('baseUrl takes no query, fragment or credentials.');
  }
  return url.href.replace(/\/+$/, '');
}

/** The extra headers, checked and frozen.
 *
 * @category Enrollment
 */
export function headersOf(value: unknown): Readonly<Record<string, string>> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError('headers must be a record of header names to values.');
  }
  const headers: Record<string, string> = {};
  for (const [name, text] of Object.entries(value)) {
    if (!HEADER_NAME.test(name) || typeof text !== 'string' || ![...text].every(headerChar)) {
      throw new InvalidInputError(`The header "${name}" is not a valid HTTP header.`);
    }
    if (/^content-(type|length)$/i.test(name)) {
      throw new InvalidInputError(`The client sets ${name} itself.`);
    }
    headers[name] = text;
  }
  return Object.freeze(headers);
}

/** A character an HTTP header value may hold: tab, visible ASCII and space, Latin-1. */
function headerChar(char: string): boolean {
  const codePoint = char.codePointAt(0) ?? 0;
  return codePoint === 0x09 || (codePoint >= 0x20 && codePoint !== 0x7f && codePoint <= 0xff);
}

/** The abort signal, checked.
 *
 * @category Enrollment
 */
export function signalOf(signal: unknown): AbortSignal | undefined {
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  throw new InvalidInputError('signal must be an AbortSignal.');
}

/** A template name as `CertAttrib` carries it; a line break would smuggle in other attributes.
 *
 * @category Enrollment
 */
export function templateOf(value: unknown): string {
  const control = (c: string) => c.charCodeAt(0) < 0x20 || c === '\x7f';
  if (
    typeof value !== 'string' ||
    value.length < 1 ||
    value.length > 64 ||
    [...value].some(control)
  ) {
    throw new InvalidInputError('template must be a name of 1 to 64 characters, on one line.');
  }
  return value;
}

/** The DER of a request given as an `EnrollmentRequest`, PEM or base64.
 *
 * @category Enrollment
 */
export function requestDer(request: unknown): Uint8Array {
  let der: Uint8Array | undefined;
  if (typeof request === 'string') {
    const blocks = request.includes('-----BEGIN ') ? readPemBlocks(request) : undefined;
    if (blocks === undefined) der = fromBase64(request.replace(/\s+/g, ''));
    else if (typeof blocks !== 'string') der = blocks[0]?.der;
  } else if (typeof request === 'object' && request !== null) {
    const bytes = (request as { der?: unknown }).der;
    der = bytes instanceof Uint8Array ? bytes : undefined;
  }
  try {
    if (der !== undefined && der.length > 0 && readSingle(der).tag === 0x30) return der;
  } catch (cause) {
    if (!(cause instanceof DerError)) throw cause;
  }
  throw new InvalidInputError('The request is not an EnrollmentRequest, PEM or base64 DER.');
}
