/**
 * An OCSP responder over HTTP (RFC 6960 appendix A) as a `node:http` request handler. It is
 * typed by the shapes it uses, not by `node:http`, so that the enrollment entry stays free of
 * `node:` imports; Node's `IncomingMessage` and `ServerResponse` fit those shapes.
 */
import { concatBytes, fromBase64, utf8 } from '../../lib/bytes.js';
import { MAX_OCSP_REQUEST_BYTES, type OcspResponder } from './ocsp-responder.js';

/**
 * What the handler reads of a request: Node's `IncomingMessage` fits, and so does a plain
 * object in a test.
 *
 * @example
 * ```ts
 * import type { CertificateAuthority, OcspHttpRequest } from 'smartcard-2fa/enrollment';
 * import { ocspHttpHandler } from 'smartcard-2fa/enrollment';
 *
 * declare const ca: CertificateAuthority;
 * declare const requestDer: Uint8Array; // an OCSPRequest
 * const request: OcspHttpRequest = {
 *   method: 'POST',
 *   url: '/',
 *   headers: { 'content-type': 'application/ocsp-request' },
 *   async *[Symbol.asyncIterator]() {
 *     yield requestDer;
 *   },
 * };
 * const response = { statusCode: 0, setHeader: () => undefined, end: console.log };
 * await ocspHttpHandler(ca.ocspResponder())(request, response);
 * ```
 *
 * @category Certificate authority
 */
export interface OcspHttpRequest extends AsyncIterable<Uint8Array | string> {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * What the handler writes of a response: Node's `ServerResponse` fits, and so does a plain
 * object that collects the answer.
 *
 * @example
 * ```ts
 * import type { CertificateAuthority, OcspHttpResponse } from 'smartcard-2fa/enrollment';
 * import { ocspHttpHandler } from 'smartcard-2fa/enrollment';
 *
 * declare const ca: CertificateAuthority;
 * declare const requestBase64: string; // an OCSPRequest in base64
 * let body: Uint8Array | string | undefined;
 * const response: OcspHttpResponse = {
 *   statusCode: 0,
 *   setHeader: () => undefined,
 *   end: (bytes) => {
 *     body = bytes;
 *   },
 * };
 * const request = { method: 'GET', url: `/${encodeURIComponent(requestBase64)}`, headers: {} };
 * await ocspHttpHandler(ca.ocspResponder())({ ...request, async *[Symbol.asyncIterator]() {} }, response);
 * console.log(response.statusCode, body); // 200 and the OCSPResponse
 * ```
 *
 * @category Certificate authority
 */
export interface OcspHttpResponse {
  statusCode: number;
  /** Sets one response header (`Content-Type`, `Content-Length`, `Allow`). */
  setHeader(name: string, value: string): unknown;
  /** Sends the body, if any, and ends the response. */
  end(body?: Uint8Array | string): unknown;
}

/**
 * A `node:http` handler that serves `responder`: `POST` with `Content-Type:
 * application/ocsp-request` and the DER request as body, or `GET /<base64 of the request>`
 * (URL-encoded), answered `200` with `Content-Type: application/ocsp-response` (a malformed
 * request too: the OCSP status says so). Other methods get `405`, another content type `415`, a
 * body over 16 KiB `413`, an unreadable GET path `400`. Mount it where the `ocspUrl` of the CA
 * points, at the root of its own server.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { CertificateAuthority, ocspHttpHandler } from 'smartcard-2fa/enrollment';
 *
 * const ca = await CertificateAuthority.create({
 *   issuing: true,
 *   ocspUrl: 'http://127.0.0.1:8080/',
 *   directory: [],
 * });
 * const server = createServer(ocspHttpHandler(ca.ocspResponder()));
 * server.listen(8080, '127.0.0.1'); // openssl ocsp -url http://127.0.0.1:8080 ... asks it
 * ```
 *
 * @category Certificate authority
 */
export function ocspHttpHandler(
  responder: OcspResponder,
): (request: OcspHttpRequest, response: OcspHttpResponse) => Promise<void> {
  return async (request, response) => {
    try {
      await serve(responder, request, response);
    } catch {
      // The request's stream failed (the client went away): nothing more can be read of it.
      response.statusCode = 400;
      response.end();
    }
  };
}

async function serve(
  responder: OcspResponder,
  request: OcspHttpRequest,
  response: OcspHttpResponse,
): Promise<void> {
  const answer = (status: number, body?: Uint8Array) => {
    response.statusCode = status;
    if (body !== undefined) {
      response.setHeader('Content-Type', 'application/ocsp-response');
      response.setHeader('Content-Length', String(body.length));
    }
    response.end(body);
  };
  if (request.method === 'GET') {
    const path = (request.url ?? '').split('?')[0] ?? '';
    let der: Uint8Array | undefined;
    try {
      der = fromBase64(decodeURIComponent(path.replace(/^\/+/, '')));
    } catch {
      der = undefined;
    }
    if (der === undefined || der.length === 0) return answer(400);
    return answer(200, await responder(der));
  }
  if (request.method !== 'POST') {
    response.setHeader('Allow', 'GET, POST');
    return answer(405);
  }
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim();
  if (type?.toLowerCase() !== 'application/ocsp-request') return answer(415);
  const body = await readBody(request);
  if (body === undefined) return answer(413);
  return answer(200, await responder(body));
}

/** The request body, or `undefined` once it passes the size limit (the rest is not read). */
async function readBody(request: OcspHttpRequest): Promise<Uint8Array | undefined> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request) {
    const bytes = typeof chunk === 'string' ? utf8(chunk) : chunk;
    size += bytes.length;
    if (size > MAX_OCSP_REQUEST_BYTES) return undefined;
    parts.push(bytes);
  }
  return concatBytes(...parts);
}
