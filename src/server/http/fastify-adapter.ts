/**
 * The sign-in handlers as a Fastify (5.x) plugin. Fastify is not imported: the plugin's types
 * name only what it uses of the instance, request and reply, and Fastify's own fit them.
 */
import {
  answerFor,
  type BodyRead,
  DEFAULT_MAX_BODY_BYTES,
  isJsonRequest,
  NOT_JSON,
  parseJson,
  refusal,
  serialize,
  TOO_LARGE,
} from './exchange.js';
import type { SignInHandlers, SignInHttpResponse } from './handlers.js';

/**
 * What the plugin reads of a request: Fastify's `FastifyRequest` fits.
 *
 * @example
 * ```ts
 * import type { FastifySignInRequest } from 'smartcard-2fa/server';
 *
 * declare const request: FastifySignInRequest;
 * const type = request.headers['content-type'] ?? 'no content type';
 * console.log(`a request from ${request.ip}: ${String(type)}`);
 * ```
 *
 * @category Server
 */
export interface FastifySignInRequest {
  /** The client's address: the socket's, or the forwarded one when Fastify's `trustProxy` says so. */
  readonly ip: string;
  /** Request headers, names in lower case. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body as the plugin's own parser left it. */
  readonly body?: unknown;
}

/**
 * What the plugin writes of a reply: Fastify's `FastifyReply` fits.
 *
 * @example
 * ```ts
 * import type { FastifySignInReply } from 'smartcard-2fa/server';
 *
 * declare const reply: FastifySignInReply;
 * const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
 * reply.code(200).headers(headers).send('{}');
 * ```
 *
 * @category Server
 */
export interface FastifySignInReply {
  /** Sets the status. */
  code(status: number): FastifySignInReply;
  /** Sets response headers. */
  headers(values: Record<string, string>): FastifySignInReply;
  /** Sends the body. */
  send(payload: string): FastifySignInReply;
}

type Route = (request: FastifySignInRequest, reply: FastifySignInReply) => Promise<unknown>;

/**
 * What the plugin uses of the Fastify instance it is registered on: `FastifyInstance` fits.
 *
 * @example
 * ```ts
 * import type { FastifySignInInstance, FastifySignInReply } from 'smartcard-2fa/server';
 *
 * declare const instance: FastifySignInInstance;
 * const handler = async (_request: unknown, reply: FastifySignInReply) => reply.code(204).send('');
 * instance.route({ method: 'GET', url: '/health', handler });
 * ```
 *
 * @category Server
 */
export interface FastifySignInInstance {
  /** Adds a route. */
  route(options: {
    method: string | string[];
    url: string;
    bodyLimit?: number;
    onRequest?: (request: FastifySignInRequest, reply: FastifySignInReply) => Promise<unknown>;
    handler: (request: FastifySignInRequest, reply: FastifySignInReply) => Promise<unknown>;
  }): unknown;
  /** Answers the errors of this plugin's routes (body too large, say). */
  setErrorHandler(
    handler: (
      error: { statusCode?: number },
      request: unknown,
      reply: FastifySignInReply,
    ) => unknown,
  ): unknown;
  /** Forgets the body parsers inherited from the parent. */
  removeAllContentTypeParsers(): unknown;
  /** Adds a body parser. */
  addContentTypeParser(
    contentType: string,
    options: { parseAs: 'buffer' },
    parser: (
      request: unknown,
      body: Uint8Array,
      done: (error: null, body: unknown) => void,
    ) => void,
  ): unknown;
}

/**
 * Options of {@link toFastifyPlugin}. The path prefix is Fastify's own register option.
 *
 * @example
 * ```ts
 * import type { FastifySignInOptions } from 'smartcard-2fa/server';
 *
 * const options: FastifySignInOptions = { maxBodyBytes: 96 * 1024, onError: console.error };
 * console.log(options.maxBodyBytes);
 * ```
 *
 * @category Server
 */
export interface FastifySignInOptions {
  /** The largest request body read, in bytes; default 128 KiB (a larger one is answered 413). */
  readonly maxBodyBytes?: number;
  /** Told of a handler that threw, or of a Fastify error other than a refused body (500). */
  readonly onError?: (error: unknown) => void;
}

/**
 * A Fastify plugin for the handlers: `POST /challenge` and `POST /verify` under the register
 * `prefix`, answered as {@link toNodeHandler} answers (405, 415, 413, 400, 429 with `Retry-After`,
 * 500 without details, `cache-control: no-store`); `OPTIONS` is left to the app (for CORS). Its
 * routes read the body with their own parser (strict UTF-8 JSON, at most `maxBodyBytes`), whatever
 * parsers the app has. The client key is `request.ip`: the socket's address, or the forwarded one
 * only when Fastify is created with `trustProxy`.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { type Authenticator, createSignInHandlers, toFastifyPlugin } from 'smartcard-2fa/server';
 *
 * declare const authenticator: Authenticator;
 * const app = Fastify();
 * await app.register(toFastifyPlugin(createSignInHandlers(authenticator)), { prefix: '/sign-in' });
 * await app.listen({ port: 8080, host: '127.0.0.1' });
 * ```
 *
 * @category Server
 */
export function toFastifyPlugin(
  handlers: SignInHandlers,
  options: FastifySignInOptions = {},
): (instance: FastifySignInInstance) => Promise<void> {
  const send = (reply: FastifySignInReply, answer: SignInHttpResponse) => {
    const { headers, text } = serialize(answer);
    return reply.code(answer.status).headers(headers).send(text);
  };
  const checkType: Route = async (request, reply) => {
    // Answered here, before Fastify reads the body: a reply returned from the hook ends the request.
    if (!isJsonRequest(request.headers['content-type'])) {
      return send(reply, refusal(415, NOT_JSON.error));
    }
    return undefined;
  };
  return async (instance) => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, parseJson(body)),
    );
    instance.setErrorHandler((error, _request, reply) => {
      if (error.statusCode === 413) return send(reply, refusal(413, TOO_LARGE.error));
      if (error.statusCode === 415) return send(reply, refusal(415, NOT_JSON.error));
      if (error.statusCode === 400) return send(reply, refusal(400, 'malformed-request'));
      options.onError?.(error);
      return send(reply, refusal(500, 'internal'));
    });
    for (const [url, route] of [
      ['/challenge', handlers.challenge],
      ['/verify', handlers.verify],
    ] as const) {
      instance.route({
        method: 'POST',
        url,
        bodyLimit: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        onRequest: checkType,
        handler: async (request, reply) => {
          const read = (request.body ?? parseJson(new Uint8Array())) as BodyRead;
          return send(reply, await answerFor(route, read, request.ip, options.onError));
        },
      });
      instance.route({
        method: ['DELETE', 'GET', 'PATCH', 'PUT'],
        url,
        handler: async (_request, reply) =>
          send(reply, refusal(405, 'method-not-allowed', { allow: 'POST' })),
      });
    }
  };
}
