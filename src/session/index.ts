/**
 * Sign-in, server side so far: `validateCertificatePath`, which the `Authenticator` will use to
 * decide whether a card's certificate chains to the organisation's trust anchors. The sign-in
 * machine, the Authenticator and the messages come with the rest of this entry.
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
 * @module
 */
export type {
  KeyUsageName,
  PathFailure,
  PathResult,
  PathValidationOptions,
} from './path/index.js';
export { DEFAULT_SIGN_IN_EKU, validateCertificatePath } from './path/index.js';
