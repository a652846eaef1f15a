// Faults of sign-in: a full challenge store, a relayed challenge, an unreachable server.
import { SmartCardError } from './smart-card-error.js';

/**
 * A challenge store is full of open challenges: `MemoryChallengeStore` refuses a new challenge
 * rather than drop one a user may be answering. Answer the client "try again later" (HTTP 503 or
 * 429), and rate-limit `challenge()` per client so that one client cannot fill the store.
 *
 * @example
 * ```ts
 * import { SmartCardError } from 'smartcard-2fa';
 * import type { Authenticator } from 'smartcard-2fa/server';
 *
 * declare const authenticator: Authenticator;
 * async function challengeRoute(address: string) {
 *   try {
 *     return { status: 200, body: await authenticator.challenge({ address }) };
 *   } catch (error) {
 *     if (!SmartCardError.is(error, 'ERR_TOO_MANY_CHALLENGES')) throw error;
 *     return { status: 503, body: 'Too many sign-ins at once: try again later.' };
 *   }
 * }
 * ```
 *
 * @category Errors
 */
export class TooManyChallengesError extends SmartCardError {
  /** The code of every `TooManyChallengesError`. */
  static readonly code = 'ERR_TOO_MANY_CHALLENGES' as const;
  readonly code = TooManyChallengesError.code;
}

/**
 * A sign-in challenge names another service (`rpId`) than the one the client expects: a service
 * passed on another service's challenge for the user's card to sign. Nothing was signed.
 *
 * @example
 * ```ts
 * import { SmartCardError } from 'smartcard-2fa';
 * import type { SmartCard } from 'smartcard-2fa/card';
 * import { type SignInChallenge, signChallenge } from 'smartcard-2fa/session';
 *
 * declare const card: SmartCard;
 * declare const challenge: SignInChallenge; // from a server that says it is intranet.contoso.com
 * try {
 *   await signChallenge(card, 'smartcard-user', challenge, { rpId: 'intranet.contoso.com' });
 * } catch (error) {
 *   if (!SmartCardError.is(error, 'ERR_WRONG_SERVICE')) throw error;
 *   console.log(`Nothing was signed: ${error.message}`); // another service's challenge
 * }
 * ```
 *
 * @category Errors
 */
export class WrongServiceError extends SmartCardError {
  /** The code of every `WrongServiceError`. */
  static readonly code = 'ERR_WRONG_SERVICE' as const;
  readonly code = WrongServiceError.code;
}

/**
 * The sign-in server could not be reached: the sign-in machine's `server` (its `challenge` or
 * `verify`) or `verifyPassword` threw something that is not an SDK error (the network, an HTTP
 * error, a timeout), which is its `cause`. The machine shows "The sign-in server could not be
 * reached" and keeps the fault as `view.error` with the code `SERVER_UNAVAILABLE`.
 *
 * @example
 * ```ts
 * import type { Actor } from 'xstate';
 * import { type SignInMachine, viewSignIn } from 'smartcard-2fa/session';
 *
 * declare const actor: Actor<SignInMachine>;
 * actor.subscribe((snapshot) => {
 *   const view = viewSignIn(snapshot);
 *   if (view.error?.code === 'SERVER_UNAVAILABLE') {
 *     console.log(`${view.notice?.text}: check the network, then sign in again.`);
 *   }
 * });
 * ```
 *
 * @category Errors
 */
export class ServerUnavailableError extends SmartCardError {
  /** The code of every `ServerUnavailableError`. */
  static readonly code = 'ERR_SERVER_UNAVAILABLE' as const;
  readonly code = ServerUnavailableError.code;
}
