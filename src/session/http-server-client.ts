/**
 * The sign-in server over HTTP: a `SignInServer` that posts the JSON wire form to the routes of
 * `createSignInHandlers` (behind `toNodeHandler` or any other adapter) with `fetch`.
 */
import { decodeChallenge, encodeResponse } from '../challenge/wire.js';
import { InvalidInputError, ServerUnavailableError } from '../errors.js';
import type { ServerVerdict, SessionUser, SignInServer } from './machine/index.js';

/**
 * Options of {@link httpSignInServer}.
 *
 * @example
 * ```ts
 * import { type HttpSignInServerOptions, httpSignInServer } from 'smartcard-2fa/session';
 *
 * const options: HttpSignInServerOptions = { headers: { 'x-requested-with': 'smartcard-2fa' } };
 * const server = httpSignInServer('/sign-in', options);
 * ```
 *
 * @category Client
 */
export interface HttpSignInServerOptions {
  /** The `fetch` to use; default the global one. */
  readonly fetch?: typeof globalThis.fetch;
  /** Headers added to both requests (a CSRF token, say). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A {@link SignInServer} at `baseUrl` (the adapter's prefix: `https://intranet.contoso.com/sign-in`,
 * or `/sign-in` in a page): `challenge` posts `{ address }` to `<baseUrl>/challenge`, `verify`
 * posts the answer's wire form to `<baseUrl>/verify`. A network error, a 5xx or a 429 (rate
 * limited) throws `ServerUnavailableError`; a refused sign-in is `{ verified: false }`.
 *
 * @example
 * ```ts
 * import { SimulatedReader } from 'smartcard-2fa/card';
 * import { createSignInMachine, httpSignInServer } from 'smartcard-2fa/session';
 *
 * const server = httpSignInServer('https://intranet.contoso.com/sign-in');
 * const machine = createSignInMachine({ method: 'smart-card', reader: new SimulatedReader(), server });
 * ```
 *
 * @category Client
 */
export function httpSignInServer(
  baseUrl: string,
  options: HttpSignInServerOptions = {},
): SignInServer {
  const base = baseUrl.replace(/\/+$/, '');
  const post = async (route: string, body: unknown, signal: AbortSignal | undefined) => {
    const fetchOf = options.fetch ?? globalThis.fetch;
    try {
      const answer = await fetchOf(`${base}/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: JSON.stringify(body),
        ...(signal === undefined ? {} : { signal }),
      });
      const json: unknown = await answer.json().catch(() => undefined);
      if (answer.status >= 500 || answer.status === 429) {
        const retry = answer.headers.get('retry-after');
        const after = retry === null ? '' : ` (retry after ${retry} s)`;
        throw new ServerUnavailableError(`The sign-in server answered ${answer.status}${after}.`);
      }
      return { status: answer.status, json };
    } catch (error) {
      if (signal?.aborted || error instanceof ServerUnavailableError) throw error;
      throw new ServerUnavailableError('The sign-in server could not be reached.', {
        cause: error,
      });
    }
  };

  return {
    async challenge(request, { signal } = {}) {
      const { status, json } = await post('challenge', { address: request.address }, signal);
      if (status === 200) return decodeChallenge(json);
      if (status === 400)
        throw new InvalidInputError(`The sign-in server refused the request: ${detailOf(json)}`);
      throw new ServerUnavailableError(
        `The sign-in server answered ${status} to a challenge request.`,
      );
    },
    async verify(response, { signal } = {}) {
      const { status, json } = await post('verify', encodeResponse(response), signal);
      if (status === 200) return verdictOf(json);
      if (status === 401) return { verified: false, reason: 'refused' };
      if (status === 400) return { verified: false, reason: 'malformed-request' };
      throw new ServerUnavailableError(`The sign-in server answered ${status} to a sign-in.`);
    },
  };
}

function detailOf(json: unknown): string {
  const detail = (json as { detail?: unknown } | undefined)?.detail;
  return typeof detail === 'string' ? detail : 'malformed request';
}

/** A verified sign-in's body as the machine's verdict: the user's address and name. */
function verdictOf(json: unknown): ServerVerdict {
  const user = (json as { verified?: unknown; user?: Record<string, unknown> } | undefined)?.user;
  if (
    (json as { verified?: unknown } | undefined)?.verified !== true ||
    typeof user?.address !== 'string'
  ) {
    throw new ServerUnavailableError('The sign-in server answered 200 without a verified user.');
  }
  const sessionUser: SessionUser =
    typeof user.name === 'string'
      ? { address: user.address, name: user.name }
      : { address: user.address };
  return { verified: true, user: sessionUser };
}
