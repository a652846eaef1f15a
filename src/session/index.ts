/**
 * The client side of smart card sign-in: the sign-in machine (`createSignInMachine`) and its
 * facade (`viewSignIn`), `signChallenge` (a card's answer to a server's challenge), every prompt
 * and error of the sign-in flow in English, Korean and Traditional Chinese (`message`), and the
 * stores of the sign-in information. The server's side is `smartcard-2fa/server`; the two share
 * only the challenge and response objects.
 *
 * @example
 * ```ts
 * import type { SmartCard } from 'smartcard-2fa/card';
 * import { type SignInChallenge, signChallenge } from 'smartcard-2fa/session';
 *
 * declare const card: SmartCard, challenge: SignInChallenge;
 * const response = await signChallenge(card, 'Smartcard User', challenge, {
 *   rpId: 'intranet.contoso.com',
 * });
 * const body = { id: response.id, signature: btoa(String.fromCharCode(...response.signature)) };
 * await fetch('/sign-in', { method: 'POST', body: JSON.stringify(body) });
 * ```
 *
 * @module smartcard-2fa/session
 */
export type { SignInChallenge, SignInResponse } from '../challenge/types.js';
// The client's half of the wire: challenges in, answers out (the server has the other half).
export {
  decodeChallenge,
  encodeResponse,
  type WireChallenge,
  type WireResponse,
} from '../challenge/wire.js';
export { type HttpSignInServerOptions, httpSignInServer } from './http-server-client.js';
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
export { type SignChallengeOptions, signChallenge } from './sign-challenge.js';
export type { SignInInfo, SignInInfoStore, WebStorageArea } from './sign-in-info/index.js';
export {
  CardStoreSignInInfoStore,
  MemorySignInInfoStore,
  WebStorageSignInInfoStore,
} from './sign-in-info/index.js';
