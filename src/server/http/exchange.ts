/**
 * What the adapters (node:http, Express, Fastify) share, so they answer alike: which route a path
 * is, a request's JSON body checked (content type, size, syntax), a handler run with a throw
 * answered 500, and refusals in one form. Internal: the entry exports none of it.
 */
import type { SignInHandlers, SignInHttpResponse } from './handlers.js';

/** The request body cap when the options give none: 128 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 128 * 1024;

/** One of the two handlers. */
export type SignInRoute = SignInHandlers['challenge'];

/** A request body as an adapter hands it over: parsed, or the refusal to send instead. */
export type BodyRead =
  | { readonly status: 'read'; readonly body: unknown }
  | { readonly status: 400 | 413 | 415; readonly error: string };

/** The prefix without trailing slashes (`'/sign-in/'` is `'/sign-in'`). */
export function trimPrefix(prefix: string | undefined): string {
  return (prefix ?? '').replace(/\/+$/, '');
}

/** The handler for `<prefix>/challenge` or `<prefix>/verify` (query ignored), else undefined. */
export function routeOf(
  handlers: SignInHandlers,
  prefix: string,
  url: string | undefined,
): SignInRoute | undefined {
  const path = (url ?? '').split('?')[0];
  if (path === `${prefix}/challenge`) return handlers.challenge;
  if (path === `${prefix}/verify`) return handlers.verify;
  return undefined;
}

/**
 * Whether the request says its body is JSON. Nothing else is read: a form or `text/plain` post
 * (what another site's page can send without asking) is refused with 415.
 */
export function isJsonRequest(contentType: string | string[] | undefined): boolean {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  return value?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** Whether a declared `content-length` is over the cap (then nothing is read). */
export function declaredTooLarge(contentLength: unknown, maxBytes: number): boolean {
  return Number(contentLength ?? 0) > maxBytes;
}

/** The body's bytes as strict UTF-8 JSON, or 400. */
export function parseJson(bytes: Uint8Array): BodyRead {
  try {
    return {
      status: 'read',
      body: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)),
    };
  } catch {
    return { status: 400, error: 'malformed-request' };
  }
}

/** The refusal for a body that is too large. */
export const TOO_LARGE = { status: 413, error: 'body-too-large' } as const;

/** The refusal for a body that is not JSON by its content type. */
export const NOT_JSON = { status: 415, error: 'unsupported-media-type' } as const;

/** A refusal the adapter makes itself, in the handlers' form: `{ "error": ... }`, no-store. */
export function refusal(
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

/**
 * The answer to a request whose body has been read: the route's, or the body's refusal. A route
 * that throws is answered 500 with nothing of the error; `onError` is told.
 */
export async function answerFor(
  route: SignInRoute,
  read: BodyRead,
  clientKey: string | undefined,
  onError: ((error: unknown) => void) | undefined,
): Promise<SignInHttpResponse> {
  if (read.status !== 'read') return refusal(read.status, read.error);
  try {
    return await route({ body: read.body, ...(clientKey === undefined ? {} : { clientKey }) });
  } catch (error) {
    onError?.(error);
    return refusal(500, 'internal');
  }
}

/** The answer as text and the headers to send with it (no-store always, the length). */
export function serialize(answer: SignInHttpResponse): {
  readonly headers: Record<string, string>;
  readonly text: string;
} {
  const text = JSON.stringify(answer.body);
  return {
    headers: {
      ...answer.headers,
      'cache-control': 'no-store',
      'content-length': String(new TextEncoder().encode(text).length),
    },
    text,
  };
}
