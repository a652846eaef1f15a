/**
 * Sign-in: the `Authenticator` (single-use challenges, and `verify`, which checks the challenge,
 * the certificate path, the card's signature and the user's identity), `signChallenge` for the
 * client, `validateCertificatePath`, the sign-in machine (`createSignInMachine`, `viewSignIn`),
 * every prompt and error of the sign-in flow in English, Korean and Traditional Chinese
 * (`message`), and the stores of the sign-in information.
 *
 * @example
 * ```ts
 * import { validateCertificatePath } from 'smartcard-2fa/session';
 *
 * declare const leaf: Uint8Array, issuing: Uint8Array, root: Uint8Array;
 * const result = await validateCertificatePath({
 *   leaf,
 *   intermediates: [issuing],
 *   trustAnchors: [root],
 * });
 * if (!result.valid) console.log(result.reason); // 'expired', 'revoked', 'eku', ...
 * ```
 *
 * @module smartcard-2fa/session
 */
export type {
  AuthenticatorOptions,
  ChallengeStore,
  MemoryChallengeStoreOptions,
  SignChallengeOptions,
  SignedInUser,
  SignInChallenge,
  SignInResponse,
  StoredChallenge,
  TakeResult,
  VerifyFailureReason,
  VerifyResult,
} from './authenticator/index.js';
export { Authenticator, MemoryChallengeStore, signChallenge } from './authenticator/index.js';
export type {
  AuthenticationOutcome,
  CardReading,
  CardSource,
  NewPinOutcome,
  Notice,
  PasswordVerifier,
  RemovalPolicy,
  ServerVerdict,
  SessionUser,
  SignInActorInput,
  SignInActors,
  SignInContext,
  SignInEvent,
  SignInFault,
  SignInMachine,
  SignInMachineOptions,
  SignInMethod,
  SignInRoute,
  SignInServer,
  SignInStatus,
  SignInView,
} from './machine/index.js';
export { createSignInMachine, isSignInAddress, Secret, viewSignIn } from './machine/index.js';
export type {
  Locale,
  Message,
  MessageArgs,
  MessageCatalog,
  MessageKey,
  MessageParams,
  MessageTemplate,
  ParameterisedMessageKey,
} from './messages/index.js';
export {
  CATALOGS,
  en,
  isLocale,
  koKR,
  MESSAGE_KEYS,
  message,
  pinPolicyMessageKey,
  resolveLocale,
  SUPPORTED_LOCALES,
  zhTW,
} from './messages/index.js';
export type {
  KeyUsageName,
  PathFailure,
  PathResult,
  PathValidationOptions,
} from './path/index.js';
export { DEFAULT_SIGN_IN_EKU, validateCertificatePath } from './path/index.js';
export type { SignInInfo, SignInInfoStore, WebStorageArea } from './sign-in-info/index.js';
export {
  CardStoreSignInInfoStore,
  MemorySignInInfoStore,
  WebStorageSignInInfoStore,
} from './sign-in-info/index.js';
