/**
 * The sign-in handlers as Express (5.x) middleware. Express is not imported: its request and
 * response are Node's, with `ip` and `body` added, and they are typed here by what is read.
 */
import type { SignInHandlers } from './handlers.js';
import {
  type NodeHandlerOptions,
  type NodeSignInRequest,
  type NodeSignInResponse,
  nodeExchange,
} from './node-adapter.js';

/**
 * What {@link toExpressHandler} reads of a request: Express's `Request` fits.
 *
 * @example
 * ```ts
 * import type { ExpressSignInRequest } from 'smartcard-2fa/server';
 *
 * declare const request: ExpressSignInRequest;
 * const from = request.ip ?? request.socket?.remoteAddress ?? 'an unknown client';
 * console.log(`${request.method} ${request.url} from ${from}`);
 * ```
 *
 * @category Server
 */
export interface ExpressSignInRequest extends NodeSignInRequest {
  /** The client's address as Express gives it: the socket's, or the forwarded one under `trust proxy`. */
  readonly ip?: string | undefined;
  /** The body, when a parser such as `express.json()` ran before. */
  readonly body?: unknown;
}

/**
 * Express middleware, as {@link toExpressHandler} returns it.
 *
 * @example
 * ```ts
 * import type { ExpressSignInMiddleware } from 'smartcard-2fa/server';
 *
 * declare const middleware: ExpressSignInMiddleware;
 * const paths = ['/challenge', '/verify'];
 * console.log(middleware.length, paths); // 3: request, response, next
 * ```
 *
 * @category Server
 */
export type ExpressSignInMiddleware = (
  request: ExpressSignInRequest,
  response: NodeSignInResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Express middleware for the handlers: `POST <prefix>/challenge` and `POST <prefix>/verify`,
 * relative to where it is mounted (`app.use('/sign-in', ...)`). It answers as
 * {@link toNodeHandler} does (405, 415, 413, 400, 429 with `Retry-After`, 500 without details,
 * `cache-control: no-store`), except that another path goes on to the next middleware. The client
 * key is `request.ip`: the socket's address, or what `X-Forwarded-For` says only when the app
 * trusts its proxy (`app.set('trust proxy', ...)`). The body is read here, capped at
 * `maxBodyBytes`; if `express.json()` ran before, its parsed body and its own limit apply.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { type Authenticator, createSignInHandlers, toExpressHandler } from 'smartcard-2fa/server';
 *
 * declare const authenticator: Authenticator;
 * const app = express();
 * app.use('/sign-in', toExpressHandler(createSignInHandlers(authenticator)));
 * app.listen(8080, '127.0.0.1');
 * ```
 *
 * @category Server
 */
export function toExpressHandler(
  handlers: SignInHandlers,
  options: NodeHandlerOptions = {},
): ExpressSignInMiddleware {
  const exchange = nodeExchange(handlers, options);
  return (request, response, next) => {
    const clientKey = request.ip ?? request.socket?.remoteAddress;
    exchange(request, response, clientKey, next).catch(next);
  };
}
