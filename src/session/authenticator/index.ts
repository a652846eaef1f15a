/**
 * The server-side Authenticator, its challenge store, and the client's {@link signChallenge}.
 *
 * @module
 */
export { Authenticator } from './authenticator.js';
export { type SignChallengeOptions, signChallenge } from './client.js';
export {
  type ChallengeStore,
  MemoryChallengeStore,
  type MemoryChallengeStoreOptions,
  type StoredChallenge,
  type TakeResult,
} from './store.js';
export type {
  AuthenticatorOptions,
  SignedInUser,
  SignInChallenge,
  SignInResponse,
  VerifyFailureReason,
  VerifyResult,
} from './types.js';
