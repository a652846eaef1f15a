import {
  CaUnavailableError,
  CertificateMismatchError,
  InvalidInputError,
  RequestInvalidError,
  UnsupportedEnvironmentError,
} from '../../errors.js';
import { constantTimeEqual, toBase64 } from '../../lib/bytes.js';
import { certificateSpki } from '../../lib/der.js';
import { requestSpki } from '../request/public-key.js';
import type { Disposition, EnrollmentRequest } from '../request/types.js';
import { type Answer, exchange } from './http.js';
import {
  baseUrlOf,
  type CertsrvClientOptions,
  type CertsrvRetrieveOptions,
  type CertsrvSubmitOptions,
  headersOf,
  requestDer,
  signalOf,
  templateOf,
} from './options.js';
import { readCertificate, readPage } from './pages.js';

export type { CertsrvClientOptions, CertsrvRetrieveOptions, CertsrvSubmitOptions };

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A client of an AD CS web enrollment endpoint (`https://<ca>/certsrv`), its
 * "Advanced Certificate Request" page as an API. Browser-safe: it only uses `fetch`.
 *
 * `submit` posts to `certfnsh.asp` (`Mode=newreq`) and reads the result page: an issued request
 * is fetched from `certnew.cer?ReqID=<n>&Enc=b64` and returned with its certificate; a pending
 * or denied one becomes a disposition with certsrv's request id and disposition message.
 * `retrieve` fetches a request that was pending once a CA manager has issued it.
 *
 * Assumptions about the pages, which certsrv does not document: the English AD CS texts
 * ("Certificate Pending", "Your certificate request was denied", "Your Request Id is N",
 * `The disposition message is "..."`, the `certrser.asp` error page with its `Disposition:` code
 * and `Disposition message:`), matched with tags dropped, entities decoded and whitespace
 * collapsed. An error page whose result is an encoding, signature or missing-template HRESULT
 * means the request is bad ({@link RequestInvalidError}); any other page, an HTTP error status
 * (401 and 403 included), a network failure, a timeout or an answer over 1 MiB is a
 * {@link CaUnavailableError}. A certificate that is not DER X.509 is a `CertificateInvalidError`.
 *
 * @example
 * ```ts
 * import { CertsrvClient, EnrollmentBuilder } from 'smartcard-2fa/enrollment';
 *
 * declare const card: import('smartcard-2fa/card').SmartCard;
 * const request = await EnrollmentBuilder.smartcardUser().upn('alice@contoso.com').build(card);
 * const ca = new CertsrvClient({ baseUrl: 'https://ca.contoso.com/certsrv' });
 * const disposition = await ca.submit(request);
 * if (disposition.status === 'issued') {
 *   await card.installCertificate(request.container, disposition.certificate);
 * } else if (disposition.status === 'pending') {
 *   // later, after a CA manager issued it:
 *   await ca.retrieve(disposition.requestId);
 * }
 * ```
 *
 * @category Enrollment
 */
export class CertsrvClient {
  readonly #baseUrl: string;
  readonly #fetch: typeof fetch;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #timeoutMs: number;

  constructor(options: CertsrvClientOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidInputError('CertsrvClient takes { baseUrl, fetch?, headers?, timeoutMs? }.');
    }
    this.#baseUrl = baseUrlOf(options.baseUrl);
    const fetchFunction = options.fetch ?? globalThis.fetch;
    if (typeof fetchFunction !== 'function') {
      throw options.fetch === undefined
        ? new UnsupportedEnvironmentError('No fetch here: pass one as the fetch option.')
        : new InvalidInputError('fetch must be a function.');
    }
    // Called without a receiver: a browser's fetch refuses to be called on another object.
    this.#fetch = (input, init) => fetchFunction(input, init);
    this.#headers = headersOf(options.headers);
    const url = new URL(this.#baseUrl);
    const loopback =
      ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.startsWith('127.');
    if (url.protocol === 'http:' && Object.keys(this.#headers).length > 0 && !loopback) {
      throw new InvalidInputError(
        'Credentials go only over https (plain http is allowed to this machine only).',
      );
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 2_147_483_647) {
      throw new InvalidInputError('timeoutMs must be a whole number of milliseconds above 0.');
    }
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Submits a request (an {@link EnrollmentRequest}, or PEM or base64 text of a PKCS#10 or CMC
   * request) for `template`, and returns the CA's disposition; an issued certificate is fetched
   * before this returns.
   */
  async submit(
    request: EnrollmentRequest | string,
    options: CertsrvSubmitOptions = {},
  ): Promise<Disposition> {
    const der = requestDer(request);
    const template = templateOf(options.template ?? (request as EnrollmentRequest).template);
    const signal = signalOf(options.signal);
    const form = new URLSearchParams({
      Mode: 'newreq',
      CertRequest: toBase64(der),
      CertAttrib: `CertificateTemplate:${template}`,
      TargetStoreFlags: '0',
      SaveCert: 'yes',
    });
    const answer = await this.#send('certfnsh.asp', signal, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const page = readPage(answer.text);
    if (page.kind === 'issued') {
      const issued = await this.#fetchIssued(page.requestId, signal);
      // A certificate for another key (a wrong ReqID, a confused proxy) is never handed on.
      const asked = requestSpki(der);
      if (
        issued.status === 'issued' &&
        asked !== undefined &&
        !constantTimeEqual(certificateSpki(issued.certificate), asked)
      ) {
        throw new CertificateMismatchError(
          `The CA answered request ${page.requestId} with a certificate for another key.`,
        );
      }
      return issued;
    }
    if (page.kind === 'request-invalid') {
      throw new RequestInvalidError(`The CA refused the request: ${page.detail}`);
    }
    if (page.kind === 'unknown' || page.requestId === undefined) {
      throw new CaUnavailableError('The CA answered with a page that is not a certsrv result.');
    }
    return { status: page.kind, requestId: page.requestId, reason: page.reason };
  }

  /**
   * Fetches request `requestId` from `certnew.cer`: issued with its certificate once a CA
   * manager has issued it, otherwise still pending or denied, as certsrv's page says.
   */
  async retrieve(requestId: number, options: CertsrvRetrieveOptions = {}): Promise<Disposition> {
    if (!Number.isInteger(requestId) || requestId < 1 || requestId > 0xffffffff) {
      throw new InvalidInputError('requestId is the positive whole number certsrv showed.');
    }
    const signal = signalOf(options.signal);
    const answer = await this.#send(`certnew.cer?ReqID=${requestId}&Enc=b64`, signal, {
      method: 'GET',
    });
    const certificate = readCertificate(answer.text);
    if (certificate !== undefined) {
      const { der, pem, serialNumber } = certificate;
      return { status: 'issued', requestId, certificate: der, pem, serialNumber };
    }
    const page = readPage(answer.text);
    if (page.kind === 'pending' || page.kind === 'denied') {
      return { status: page.kind, requestId, reason: page.reason };
    }
    throw new CaUnavailableError(`The CA sent no certificate for request ${requestId}.`);
  }

  /** Retrieves a request certsrv just issued; a failure keeps the request id for a retry. */
  async #fetchIssued(requestId: number, signal: AbortSignal | undefined): Promise<Disposition> {
    try {
      return await this.retrieve(requestId, signal === undefined ? {} : { signal });
    } catch (error) {
      if (!(error instanceof CaUnavailableError) || error.requestId !== undefined) throw error;
      throw new CaUnavailableError(
        `Request ${requestId} was issued, but the certificate could not be fetched.`,
        {
          cause: error,
          requestId,
          ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
        },
      );
    }
  }

  async #send(path: string, signal: AbortSignal | undefined, init: RequestInit): Promise<Answer> {
    const answer = await exchange({
      fetch: this.#fetch,
      url: `${this.#baseUrl}/${path}`,
      // Never follow a redirect: the form would be lost, the credentials sent elsewhere.
      init: {
        ...init,
        redirect: 'manual',
        headers: { ...this.#headers, ...(init.headers as Record<string, string>) },
      },
      timeoutMs: this.#timeoutMs,
      signal,
    });
    if (answer.status < 200 || answer.status > 299) {
      const { status } = answer;
      const refused = status === 401 || status === 403;
      // A browser shows a redirect not followed as status 0 (an opaque redirect).
      const redirected = status === 0 || (status >= 300 && status < 400);
      throw new CaUnavailableError(
        refused
          ? `The CA refused the credentials (HTTP ${status}).`
          : redirected
            ? `The CA redirected (HTTP ${status}): give the final URL as baseUrl.`
            : `The CA answered HTTP ${status}.`,
        { httpStatus: status },
      );
    }
    return answer;
  }
}
