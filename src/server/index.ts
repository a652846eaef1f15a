/**
 * The server side of smart card sign-in: the {@link Authenticator} (single-use challenges bound
 * to the service, and `verify`: the challenge, the certificate path, the card's signature, the
 * user), {@link validateCertificatePath} on its own, and the challenge stores.
 *
 * The same names are also exported by `smartcard-2fa/session` today, where they were first; a
 * server imports them from here, and the client needs none of them.
 *
 * @example
 * ```ts
 * import { Authenticator, MemoryChallengeStore } from 'smartcard-2fa/server';
 *
 * declare const rootCa: Uint8Array;
 * const authenticator = new Authenticator({
 *   trustAnchors: [rootCa],
 *   rpId: 'intranet.contoso.com',
 *   store: new MemoryChallengeStore({ capacity: 10_000 }),
 * });
 * const challenge = await authenticator.challenge({ address: 'alice@contoso.com' });
 * ```
 *
 * @module smartcard-2fa/server
 */

export type {
  AuthenticatorOptions,
  ChallengeStore,
  MemoryChallengeStoreOptions,
  SignedInUser,
  SignInChallenge,
  SignInResponse,
  StoredChallenge,
  TakeResult,
  VerifyFailureReason,
  VerifyResult,
} from '../session/authenticator/index.js';
export { Authenticator, MemoryChallengeStore } from '../session/authenticator/index.js';
export type {
  KeyUsageName,
  PathFailure,
  PathResult,
  PathValidationOptions,
} from '../session/path/index.js';
export { DEFAULT_SIGN_IN_EKU, validateCertificatePath } from '../session/path/index.js';
