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
 *
 * const busy = (error: unknown) => SmartCardError.is(error, 'ERR_TOO_MANY_CHALLENGES');
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
 *
 * const relayed = (error: unknown) => SmartCardError.is(error, 'ERR_WRONG_SERVICE');
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
 * import { SmartCardError } from 'smartcard-2fa';
 *
 * const offline = (error: unknown) => SmartCardError.is(error, 'ERR_SERVER_UNAVAILABLE');
 * ```
 *
 * @category Errors
 */
export class ServerUnavailableError extends SmartCardError {
  /** The code of every `ServerUnavailableError`. */
  static readonly code = 'ERR_SERVER_UNAVAILABLE' as const;
  readonly code = ServerUnavailableError.code;
}
