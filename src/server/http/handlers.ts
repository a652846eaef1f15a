/**
 * The sign-in routes as framework-neutral handlers: plain request objects in, plain answers out
 * (status, headers, a JSON-ready body), so any HTTP server can carry them.
 */
import { decodeResponse, encodeChallenge } from '../../challenge/wire.js';
import { checkEnvelope, wireObject } from '../../challenge/wire-fields.js';
import { SmartCardError } from '../../errors.js';
import type { Authenticator } from '../authenticator/authenticator.js';
import type { SignedInUser, VerifyFailureReason } from '../authenticator/types.js';
import { type CertificateFacts, certificateFacts } from './certificate-facts.js';
import { ChallengeRateLimiter, type RateLimitOptions } from './rate-limiter.js';

/**
 * A request as a handler takes it: the parsed JSON body, and the key the rate limit counts it
 * under (the adapter gives the client's address).
 *
 * @example
 * ```ts
 * import type { SignInHttpRequest } from 'smartcard-2fa/server';
 *
 * const request: SignInHttpRequest = { body: { address: 'alice@contoso.com' }, clientKey: '203.0.113.7' };
 * console.log(request.clientKey);
 * ```
 *
 * @category Server
 */
export interface SignInHttpRequest {
  /** The request body, parsed from JSON (anything: the handlers check it). */
  readonly body: unknown;
  /** Who asked, for the rate limit: the client's address, as the adapter gives it. */
  readonly clientKey?: string;
}

/**
 * A handler's answer: send `body` as JSON with `status` and `headers`.
 *
 * @example
 * ```ts
 * import type { SignInHandlers, SignInHttpResponse } from 'smartcard-2fa/server';
 *
 * declare const handlers: SignInHandlers;
 * const answer: SignInHttpResponse = await handlers.challenge({ body: { address: 'alice@contoso.com' } });
 * console.log(answer.status, JSON.stringify(answer.body));
 * ```
 *
 * @category Server
 */
export interface SignInHttpResponse {
  /** The HTTP status. */
  readonly status: number;
  /** Response headers, names in lower case (`cache-control: no-store` always). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, to send as JSON. */
  readonly body: unknown;
}

/**
 * The body of a verified sign-in (status 200): what the app opens its own session with.
 *
 * @example
 * ```ts
 * import type { SignInHandlers, VerifiedSignIn } from 'smartcard-2fa/server';
 *
 * declare const handlers: SignInHandlers, body: unknown;
 * const answer = await handlers.verify({ body });
 * if (answer.status === 200) console.log((answer.body as VerifiedSignIn).user.name);
 * ```
 *
 * @category Server
 */
export interface VerifiedSignIn {
  readonly verified: true;
  /** Who signed in: key accounts on `user.name`. */
  readonly user: SignedInUser;
  /** The facts of the certificate that signed in. */
  readonly certificate: CertificateFacts;
  /** How: with a smart card and its PIN. */
  readonly method: 'smart-card';
}

/**
 * Why a request was refused, for the server's log only: the client gets a generic answer.
 *
 * @example
 * ```ts
 * import type { SignInFailure } from 'smartcard-2fa/server';
 *
 * const onFailure = (failure: SignInFailure) =>
 *   console.warn(`sign-in refused (${failure.reason}) for ${failure.clientKey}: ${failure.detail}`);
 * onFailure({ route: 'verify', reason: 'bad-signature', detail: 'The signature does not verify.' });
 * ```
 *
 * @category Server
 */
export interface SignInFailure {
  /** The route that refused. */
  readonly route: 'challenge' | 'verify';
  /** The Authenticator's reason, or the handler's own. */
  readonly reason:
    | VerifyFailureReason
    | 'malformed-request'
    | 'rate-limited'
    | 'busy'
    | 'unavailable';
  /** What went wrong, in words, for the log. */
  readonly detail: string;
  /** The request's rate-limit key (the client's address). */
  readonly clientKey?: string;
}

/**
 * Options of {@link createSignInHandlers}.
 *
 * @example
 * ```ts
 * import { type Authenticator, createSignInHandlers, type SignInHandlerOptions } from 'smartcard-2fa/server';
 *
 * declare const authenticator: Authenticator;
 * const options: SignInHandlerOptions = {
 *   rateLimit: { burst: 3, perMinute: 6 },
 *   onFailure: (failure) => console.warn(failure.reason, failure.detail),
 * };
 * const handlers = createSignInHandlers(authenticator, options);
 * ```
 *
 * @category Server
 */
export interface SignInHandlerOptions {
  /** The limit of challenges per client (options, or a limiter to share); `false`: none. */
  readonly rateLimit?: RateLimitOptions | ChallengeRateLimiter | false;
  /** The key a request is counted under; default its `clientKey`, else `'unknown'`. */
  readonly clientKey?: (request: SignInHttpRequest) => string;
  /** Told every refusal with its reason; the client never is. */
  readonly onFailure?: (failure: SignInFailure) => void;
}

/**
 * The two sign-in routes: `challenge` (body `{ "address": ... }`) and `verify` (body a
 * {@link WireResponse}).
 *
 * @example
 * ```ts
 * import { type Authenticator, createSignInHandlers, type SignInHandlers } from 'smartcard-2fa/server';
 *
 * declare const authenticator: Authenticator;
 * const handlers: SignInHandlers = createSignInHandlers(authenticator);
 * const answer = await handlers.challenge({ body: { address: 'alice@contoso.com' }, clientKey: '::1' });
 * console.log(answer.status); // 200
 * ```
 *
 * @category Server
 */
export interface SignInHandlers {
  /**
   * Issues a challenge for `{ "address": ... }`, if the client's rate limit allows (else 429);
   * 503 when the challenge store is full (`busy`) or unavailable.
   */
  challenge(request: SignInHttpRequest): Promise<SignInHttpResponse>;
  /**
   * Checks a card's answer in the wire form: 200 with the user, else 400 or 401; 503 when the
   * challenge store is unavailable (nothing verified).
   */
  verify(request: SignInHttpRequest): Promise<SignInHttpResponse>;
}

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body };
}

/**
 * Handlers for an Authenticator: challenges rate-limited per client, answers checked, and a
 * verified sign-in's user and certificate facts; every refusal's reason to `onFailure` only.
 *
 * @example
 * ```ts
 * import { Authenticator, createSignInHandlers } from 'smartcard-2fa/server';
 *
 * declare const rootCa: Uint8Array;
 * const authenticator = new Authenticator({ trustAnchors: [rootCa], rpId: 'intranet.contoso.com' });
 * const handlers = createSignInHandlers(authenticator, { onFailure: (f) => console.warn(f) });
 * const refused = await handlers.verify({ body: { v: 2 } });
 * console.log(refused.status); // 400
 * ```
 *
 * @category Server
 */
export function createSignInHandlers(
  authenticator: Pick<Authenticator, 'challenge' | 'verify'>,
  options: SignInHandlerOptions = {},
): SignInHandlers {
  const limiter =
    options.rateLimit === false
      ? undefined
      : options.rateLimit instanceof ChallengeRateLimiter
        ? options.rateLimit
        : new ChallengeRateLimiter(options.rateLimit);
  const keyOf = options.clientKey ?? ((request) => request.clientKey ?? 'unknown');
  const report = (failure: SignInFailure) => options.onFailure?.(failure);

  async function challenge(request: SignInHttpRequest): Promise<SignInHttpResponse> {
    const clientKey = keyOf(request);
    const limited = limiter?.take(clientKey);
    if (limited?.outcome === 'rate-limited') {
      const detail = `Too many challenges: retry after ${limited.retryAfterSeconds} s.`;
      report({ route: 'challenge', reason: 'rate-limited', detail, clientKey });
      return answer(
        429,
        { error: 'rate-limited' },
        { 'retry-after': `${limited.retryAfterSeconds}` },
      );
    }
    try {
      const body = wireObject(request.body, 'challenge request');
      checkEnvelope({ v: 1, ...body }, 'challenge request', ['address']);
      const issued = await authenticator.challenge({ address: body.address as string });
      return answer(200, encodeChallenge(issued));
    } catch (error) {
      if (SmartCardError.is(error, 'ERR_TOO_MANY_CHALLENGES')) {
        report({ route: 'challenge', reason: 'busy', detail: error.message, clientKey });
        return answer(503, { error: 'busy' }, { 'retry-after': '1' });
      }
      if (SmartCardError.is(error, 'ERR_SERVER_UNAVAILABLE')) {
        report({ route: 'challenge', reason: 'unavailable', detail: error.message, clientKey });
        return answer(503, { error: 'unavailable' }, { 'retry-after': '1' });
      }
      if (!SmartCardError.is(error, 'ERR_INVALID_INPUT')) throw error;
      report({ route: 'challenge', reason: 'malformed-request', detail: error.message, clientKey });
      return answer(400, { error: 'malformed-request', detail: error.message });
    }
  }

  async function verify(request: SignInHttpRequest): Promise<SignInHttpResponse> {
    const clientKey = keyOf(request);
    let response: ReturnType<typeof decodeResponse>;
    try {
      response = decodeResponse(request.body);
    } catch (error) {
      if (!SmartCardError.is(error, 'ERR_INVALID_INPUT')) throw error;
      report({ route: 'verify', reason: 'malformed-request', detail: error.message, clientKey });
      return answer(400, { verified: false, error: 'malformed-request', detail: error.message });
    }
    let result: Awaited<ReturnType<Authenticator['verify']>>;
    try {
      result = await authenticator.verify(response);
    } catch (error) {
      // The challenge store is down or full: nothing was verified. The challenge may have been
      // consumed (a timed-out take can still run in Redis): a retry may be refused as used.
      if (!SmartCardError.is(error, 'ERR_SERVER_UNAVAILABLE')) throw error;
      report({ route: 'verify', reason: 'unavailable', detail: error.message, clientKey });
      return answer(503, { verified: false, error: 'unavailable' }, { 'retry-after': '1' });
    }
    if (!result.verified) {
      report({ route: 'verify', reason: result.reason, detail: result.detail, clientKey });
      return answer(401, { verified: false });
    }
    const body: VerifiedSignIn = {
      verified: true,
      user: result.user,
      certificate: await certificateFacts(result.certificate),
      method: 'smart-card',
    };
    return answer(200, body);
  }

  return { challenge, verify };
}
