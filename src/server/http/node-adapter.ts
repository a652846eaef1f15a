/**
 * The sign-in handlers behind Node's `http` (or `https`) server: POST `<prefix>/challenge` and
 * `<prefix>/verify`, JSON bodies of bounded size, `cache-control: no-store` on every answer.
 */
import { utf8 } from '../../lib/bytes.js';
import type { SignInHandlers, SignInHttpResponse } from './handlers.js';

/**
 * What {@link toNodeHandler} reads of a request: Node's `IncomingMessage` fits (its type is not
 * named, so that the entry's types need no Node typings).
 *
 * @example
 * ```ts
 * import type { NodeSignInRequest } from 'smartcard-2fa/server';
 *
 * declare const request: NodeSignInRequest;
 * const from = request.socket?.remoteAddress ?? 'an unknown client';
 * console.log(`${request.method} ${request.url} from ${from}`);
 * ```
 *
 * @category Server
 */
export interface NodeSignInRequest extends AsyncIterable<Uint8Array | string> {
  /** The HTTP method. */
  readonly method?: string | undefined;
  /** The path and query. */
  readonly url?: string | undefined;
  /** Request headers, names in lower case. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The connection: its remote address is the default rate-limit key. */
  readonly socket?: { readonly remoteAddress?: string | undefined } | undefined;
}

/**
 * What {@link toNodeHandler} writes of a response: Node's `ServerResponse` fits.
 *
 * @example
 * ```ts
 * import type { NodeSignInResponse } from 'smartcard-2fa/server';
 *
 * declare const response: NodeSignInResponse;
 * response.statusCode = 204;
 * response.end();
 * ```
 *
 * @category Server
 */
export interface NodeSignInResponse {
  /** The status to answer. */
  statusCode: number;
  /** Sets one response header. */
  setHeader(name: string, value: string): unknown;
  /** Sends the body and ends the response. */
  end(body?: Uint8Array | string): unknown;
}

/**
 * Options of {@link toNodeHandler}.
 *
 * @example
 * ```ts
 * import type { NodeHandlerOptions } from 'smartcard-2fa/server';
 *
 * const options: NodeHandlerOptions = { prefix: '/sign-in', maxBodyBytes: 96 * 1024 };
 * console.log(`${options.prefix}/challenge`);
 * ```
 *
 * @category Server
 */
export interface NodeHandlerOptions {
  /** The path the two routes sit under, such as `/sign-in`; default `''`. */
  readonly prefix?: string;
  /** The largest request body read, in bytes; default 128 KiB (a larger one is answered 413). */
  readonly maxBodyBytes?: number;
  /** Told of a handler that threw (answered 500). */
  readonly onError?: (error: unknown) => void;
}

/**
 * A `node:http` request listener for the handlers. Anything but the two routes is 404, another
 * method on them 405, a body that is not JSON 400, one over `maxBodyBytes` 413. The client key
 * is the socket's remote address.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { type Authenticator, createSignInHandlers, toNodeHandler } from 'smartcard-2fa/server';
 *
 * declare const authenticator: Authenticator;
 * const handlers = createSignInHandlers(authenticator);
 * const server = createServer(toNodeHandler(handlers, { prefix: '/sign-in' }));
 * server.listen(8080, '127.0.0.1');
 * ```
 *
 * @category Server
 */
export function toNodeHandler(
  handlers: SignInHandlers,
  options: NodeHandlerOptions = {},
): (request: NodeSignInRequest, response: NodeSignInResponse) => Promise<void> {
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const maxBodyBytes = options.maxBodyBytes ?? 128 * 1024;
  return async (request, response) => {
    const path = (request.url ?? '').split('?')[0];
    const route =
      path === `${prefix}/challenge`
        ? handlers.challenge
        : path === `${prefix}/verify`
          ? handlers.verify
          : undefined;
    if (route === undefined) return send(response, plain(404, 'not-found'));
    if (request.method !== 'POST') {
      return send(response, plain(405, 'method-not-allowed', { allow: 'POST' }));
    }
    try {
      const read = await readJson(request, maxBodyBytes);
      if (read.status !== 'read') return send(response, plain(read.status, read.error));
      const address = request.socket?.remoteAddress;
      const clientKey = address === undefined ? {} : { clientKey: address };
      send(response, await route({ body: read.body, ...clientKey }));
    } catch (error) {
      options.onError?.(error);
      send(response, plain(500, 'internal'));
    }
  };
}

type BodyRead =
  | { readonly status: 'read'; readonly body: unknown }
  | { readonly status: 400 | 413; readonly error: string };

/** The request's JSON body, at most `maxBytes` of it. */
async function readJson(request: NodeSignInRequest, maxBytes: number): Promise<BodyRead> {
  if (Number(request.headers['content-length'] ?? 0) > maxBytes) {
    return { status: 413, error: 'body-too-large' };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request) {
    const bytes = typeof chunk === 'string' ? utf8(chunk) : chunk;
    size += bytes.length;
    // Stop reading: the rest of the body is left unread, and the answer closes the exchange.
    if (size > maxBytes) return { status: 413, error: 'body-too-large' };
    chunks.push(bytes);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  try {
    return {
      status: 'read',
      body: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)),
    };
  } catch {
    return { status: 400, error: 'malformed-request' };
  }
}

function plain(
  status: number,
  error: string,
  headers: Record<string, string> = {},
): SignInHttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: { error },
  };
}

function send(response: NodeSignInResponse, answer: SignInHttpResponse): void {
  const body = utf8(JSON.stringify(answer.body));
  response.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
  response.setHeader('cache-control', 'no-store');
  response.setHeader('content-length', String(body.length));
  response.end(body);
}
