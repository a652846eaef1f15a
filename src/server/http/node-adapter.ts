/**
 * The sign-in handlers behind Node's `http` (or `https`) server: POST `<prefix>/challenge` and
 * `<prefix>/verify`, JSON bodies of bounded size, `cache-control: no-store` on every answer.
 */
import { concatBytes, utf8 } from '../../lib/bytes.js';
import {
  answerFor,
  type BodyRead,
  DEFAULT_MAX_BODY_BYTES,
  declaredTooLarge,
  isJsonRequest,
  NOT_JSON,
  parseJson,
  refusal,
  routeOf,
  serialize,
  TOO_LARGE,
  trimPrefix,
} from './exchange.js';
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
  /** Told of a handler that threw, or a request body that broke off (answered 500). */
  readonly onError?: (error: unknown) => void;
}

/**
 * A `node:http` request listener for the handlers. Anything but the two routes is 404, another
 * method on them 405, a body whose `content-type` is not `application/json` 415, one over
 * `maxBodyBytes` 413, one that is not JSON 400. The client key is the socket's remote address.
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
  const exchange = nodeExchange(handlers, options);
  return (request, response) =>
    exchange(request, response, request.socket?.remoteAddress, () =>
      send(response, refusal(404, 'not-found')),
    );
}

/**
 * Internal (the Express adapter builds on it): routes a Node request to the handlers and answers
 * it, or calls `unmatched` for another path. A body some middleware has parsed already is taken
 * as it is.
 */
export function nodeExchange(handlers: SignInHandlers, options: NodeHandlerOptions) {
  const prefix = trimPrefix(options.prefix);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async (
    request: NodeSignInRequest & { readonly body?: unknown },
    response: NodeSignInResponse,
    clientKey: string | undefined,
    unmatched: () => void,
  ): Promise<void> => {
    const route = routeOf(handlers, prefix, request.url);
    if (route === undefined) return unmatched();
    if (request.method !== 'POST') {
      return send(response, refusal(405, 'method-not-allowed', { allow: 'POST' }));
    }
    let read: BodyRead;
    try {
      read = await readJson(request, maxBodyBytes);
    } catch (error) {
      options.onError?.(error);
      return send(response, refusal(500, 'internal'));
    }
    send(response, await answerFor(route, read, clientKey, options.onError));
  };
}

/** The request's JSON body, at most `maxBytes` of it. */
async function readJson(
  request: NodeSignInRequest & { readonly body?: unknown },
  maxBytes: number,
): Promise<BodyRead> {
  if (!isJsonRequest(request.headers['content-type'])) return NOT_JSON;
  if (declaredTooLarge(request.headers['content-length'], maxBytes)) return TOO_LARGE;
  const given = request.body;
  if (typeof given === 'string') return readJsonBytes(utf8(given), maxBytes);
  if (given instanceof Uint8Array) return readJsonBytes(given, maxBytes);
  if (given !== undefined) return { status: 'read', body: given };
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request) {
    const bytes = typeof chunk === 'string' ? utf8(chunk) : chunk;
    size += bytes.length;
    // Stop reading: the rest of the body is left unread, and the answer closes the exchange.
    if (size > maxBytes) return TOO_LARGE;
    chunks.push(bytes);
  }
  return parseJson(concatBytes(...chunks));
}

function readJsonBytes(bytes: Uint8Array, maxBytes: number): BodyRead {
  return bytes.length > maxBytes ? TOO_LARGE : parseJson(bytes);
}

function send(response: NodeSignInResponse, answer: SignInHttpResponse): void {
  const { headers, text } = serialize(answer);
  response.statusCode = answer.status;
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.end(text);
}
