/**
 * The server side of smart card sign-in: the {@link Authenticator} (single-use challenges bound
 * to the service, and `verify`: the challenge, the certificate path, the card's signature, the
 * user), {@link validateCertificatePath} on its own, and the challenge stores.
 *
 * The client (`smartcard-2fa/session`) and this entry share only the signed message and the two
 * objects they hand each other ({@link SignInChallenge}, {@link SignInResponse}); neither imports
 * the other, so no server code reaches a browser bundle.
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

export type { SignInChallenge, SignInResponse } from '../challenge/types.js';
// The server's half of the wire: challenges out, answers in (the client has the other half).
export {
  decodeResponse,
  encodeChallenge,
  WIRE_LIMITS,
  type WireChallenge,
  type WireResponse,
} from '../challenge/wire.js';
export type { KeyUsageName } from '../lib/key-usage.js';
export { Authenticator } from './authenticator/authenticator.js';
export {
  RedisChallengeStore,
  type RedisChallengeStoreOptions,
  type RedisCommandClient,
} from './authenticator/redis-store.js';
export {
  type ChallengeStore,
  MemoryChallengeStore,
  type MemoryChallengeStoreOptions,
  type StoredChallenge,
  type TakeResult,
} from './authenticator/store.js';
export type {
  AuthenticatorOptions,
  SecurityIdentifierOptions,
  SignedInUser,
  VerifyFailureReason,
  VerifyResult,
} from './authenticator/types.js';
export { type CertificateFacts, certificateFacts } from './http/certificate-facts.js';
export {
  type ExpressSignInMiddleware,
  type ExpressSignInRequest,
  toExpressHandler,
} from './http/express-adapter.js';
export {
  type FastifySignInInstance,
  type FastifySignInOptions,
  type FastifySignInReply,
  type FastifySignInRequest,
  toFastifyPlugin,
} from './http/fastify-adapter.js';
export {
  createSignInHandlers,
  type SignInFailure,
  type SignInHandlerOptions,
  type SignInHandlers,
  type SignInHttpRequest,
  type SignInHttpResponse,
  type VerifiedSignIn,
} from './http/handlers.js';
export {
  type NodeHandlerOptions,
  type NodeSignInRequest,
  type NodeSignInResponse,
  toNodeHandler,
} from './http/node-adapter.js';
export {
  ChallengeRateLimiter,
  type RateLimitOptions,
  type RateLimitOutcome,
} from './http/rate-limiter.js';
export {
  type AccountMappingOptions,
  type CertificateMapping,
  certificateMappingsOf,
  type MappingKind,
} from './mtls/identity-mapping.js';
export type {
  ClientCertificateFailure,
  ClientCertificateInput,
  ClientCertificateOptions,
  ClientCertificateResult,
  ClientCertificateUser,
  PeerCertificateLike,
} from './mtls/types.js';
export { ClientCertificateVerifier } from './mtls/verifier.js';
export { OcspCache, type OcspCacheOptions } from './path/ocsp/cache.js';
export { DEFAULT_SIGN_IN_EKU } from './path/options.js';
export type {
  OcspFetchRequest,
  OcspOptions,
  PathFailure,
  PathResult,
  PathValidationOptions,
} from './path/types.js';
export { validateCertificatePath } from './path/validate.js';
