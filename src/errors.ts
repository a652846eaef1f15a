/**
 * Every fault the SDK throws is a {@link SmartCardError} with a stable {@link ErrorCode}.
 *
 * Expected outcomes (a wrong PIN, a blocked card, a cancelled prompt) are returned as values,
 * never thrown. What is thrown is a bad input or a broken invariant: branch on `error.code`,
 * never on the message, which is written for people and may change.
 *
 * @module
 */

/**
 * The stable codes of {@link SmartCardError}. One code per failure kind; each has a subclass.
 *
 * @example
 * ```ts
 * import { SmartCardError, type ErrorCode } from 'smartcard-2fa';
 *
 * function describe(error: unknown): ErrorCode | 'unknown' {
 *   return error instanceof SmartCardError ? error.code : 'unknown';
 * }
 * ```
 *
 * @category Errors
 */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Every {@link ErrorCode}, for code that needs to enumerate them (an error-message table, say).
 *
 * @example
 * ```ts
 * import { ERROR_CODES } from 'smartcard-2fa';
 *
 * const known = new Set<string>(ERROR_CODES);
 * ```
 *
 * @category Errors
 */
export const ERROR_CODES = [
  'ERR_INVALID_INPUT',
  'ERR_PIN_POLICY',
  'ERR_STATE_CORRUPT',
  'ERR_STORAGE',
  'ERR_UNBLOCK_UNAVAILABLE',
  'ERR_CARD_REMOVED',
  'ERR_DEVICE_MISMATCH',
  'ERR_TPM_UNAVAILABLE',
  'ERR_TPM_LOCKOUT',
  'ERR_PIN_REQUIRED',
  'ERR_KEY_NOT_FOUND',
  'ERR_KEY_USAGE',
  'ERR_CARD_FULL',
  'ERR_CERTIFICATE_INVALID',
  'ERR_CERTIFICATE_MISMATCH',
  'ERR_UNSUPPORTED_ENVIRONMENT',
  'ERR_REQUEST_INVALID',
  'ERR_CA_UNAVAILABLE',
  'ERR_PKCS11',
  'ERR_TOO_MANY_CHALLENGES',
  'ERR_WRONG_SERVICE',
] as const;

/** Marks SDK errors across bundles and realms, where `instanceof` may fail. */
const BRAND = Symbol.for('smartcard-2fa.SmartCardError');

/**
 * Options common to every {@link SmartCardError} constructor.
 *
 * @example
 * ```ts
 * import { StorageError } from 'smartcard-2fa';
 *
 * const error = new StorageError('Could not save the card state.', { cause: new Error('EIO') });
 * ```
 *
 * @category Errors
 */
export interface SmartCardErrorOptions {
  /** The underlying error or value that led to this one. */
  cause?: unknown;
}

/**
 * The base class of every fault the SDK throws.
 *
 * @example
 * ```ts
 * import { SmartCardError } from 'smartcard-2fa';
 *
 * try {
 *   // ... any SDK call
 * } catch (error) {
 *   if (SmartCardError.is(error, 'ERR_PIN_POLICY')) {
 *     // show the policy violations
 *   } else {
 *     throw error;
 *   }
 * }
 * ```
 *
 * @category Errors
 */
export abstract class SmartCardError extends Error {
  /** The stable code of this failure kind. */
  abstract readonly code: ErrorCode;

  constructor(message: string, options?: SmartCardErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * Whether `value` is a `SmartCardError`, optionally of one code. Works across bundles and
   * realms, where `instanceof` may not: it checks a registered brand, not the prototype chain.
   */
  static is<C extends ErrorCode>(
    value: unknown,
    code?: C,
  ): value is SmartCardError & { readonly code: C } {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as { [BRAND]?: unknown })[BRAND] !== true) return false;
    return code === undefined || (value as { code?: unknown }).code === code;
  }
}

/**
 * An argument has the wrong type or shape (a PIN that is not a string, a policy whose minimum
 * length is above its maximum, ...). Fix the calling code.
 *
 * @example
 * ```ts
 * import { InvalidInputError } from 'smartcard-2fa';
 *
 * throw new InvalidInputError('pin must be a string');
 * ```
 *
 * @category Errors
 */
export class InvalidInputError extends SmartCardError {
  readonly code = 'ERR_INVALID_INPUT';
}

/**
 * One rule of a PIN policy that a PIN breaks. See `PinPolicy.validate`.
 *
 * @example
 * ```ts
 * import type { PinViolationLike } from 'smartcard-2fa';
 *
 * const violation: PinViolationLike = { code: 'too-short', message: 'The PIN is too short.' };
 * ```
 *
 * @category Errors
 */
export interface PinViolationLike {
  /** The stable code of the broken rule. */
  readonly code: string;
  /** A sentence for people, never containing the PIN. */
  readonly message: string;
}

/**
 * A PIN breaks the card's PIN policy: a new PIN that is too short, trivial or the default, or
 * a PIN to verify that cannot be right because of its length or characters. Nothing was
 * changed and no attempt was spent. `violations` lists every broken rule.
 *
 * @example
 * ```ts
 * import { PinPolicyError, SmartCardError } from 'smartcard-2fa';
 *
 * function messages(error: unknown): string[] {
 *   return SmartCardError.is(error, 'ERR_PIN_POLICY')
 *     ? (error as PinPolicyError).violations.map((v) => v.message)
 *     : [];
 * }
 * ```
 *
 * @category Errors
 */
export class PinPolicyError extends SmartCardError {
  readonly code = 'ERR_PIN_POLICY';
  /** Every rule the PIN breaks, in the policy's order. */
  readonly violations: readonly PinViolationLike[];

  constructor(
    message: string,
    violations: readonly PinViolationLike[],
    options?: SmartCardErrorOptions,
  ) {
    super(message, options);
    this.violations = Object.freeze([...violations]);
  }
}

/**
 * Saved state was refused: truncated, not of this SDK's format, of a newer version, with values
 * out of range, or with an integrity tag that does not match. Nothing was loaded.
 *
 * @example
 * ```ts
 * import { StateCorruptError } from 'smartcard-2fa';
 *
 * throw new StateCorruptError('The saved PIN state failed its integrity check.');
 * ```
 *
 * @category Errors
 */
export class StateCorruptError extends SmartCardError {
  readonly code = 'ERR_STATE_CORRUPT';
}

/**
 * Persisting a state change failed. The operation stopped before doing anything that the saved
 * state would not reflect; see the operation's documentation for what was kept.
 *
 * @example
 * ```ts
 * import { StorageError } from 'smartcard-2fa';
 *
 * throw new StorageError('Saving the PIN state failed.', { cause: new Error('disk full') });
 * ```
 *
 * @category Errors
 */
export class StorageError extends SmartCardError {
  readonly code = 'ERR_STORAGE';
}

/**
 * The card has no unblock credential (no PUK and no admin key), so a blocked PIN can only be
 * cleared by an administrator's reset.
 *
 * @example
 * ```ts
 * import { UnblockUnavailableError } from 'smartcard-2fa';
 *
 * throw new UnblockUnavailableError('This card has no PUK or admin key.');
 * ```
 *
 * @category Errors
 */
export class UnblockUnavailableError extends SmartCardError {
  readonly code = 'ERR_UNBLOCK_UNAVAILABLE';
}

/**
 * The card is not in a reader, or was removed while an operation ran. The card is as it was
 * before the operation.
 *
 * @example
 * ```ts
 * import { CardRemovedError } from 'smartcard-2fa';
 *
 * throw new CardRemovedError('The card was removed during key generation.');
 * ```
 *
 * @category Errors
 */
export class CardRemovedError extends SmartCardError {
  readonly code = 'ERR_CARD_REMOVED';
}

/**
 * A virtual card's state was bound to another device's TPM and cannot be used on this one.
 * Enroll a separate card on each device.
 *
 * @example
 * ```ts
 * import { DeviceMismatchError } from 'smartcard-2fa';
 *
 * throw new DeviceMismatchError('This virtual card belongs to another device.');
 * ```
 *
 * @category Errors
 */
export class DeviceMismatchError extends SmartCardError {
  readonly code = 'ERR_DEVICE_MISMATCH';
}

/**
 * The TPM that a virtual card needs cannot be reached or refused the operation.
 *
 * @example
 * ```ts
 * import { TpmUnavailableError } from 'smartcard-2fa';
 *
 * throw new TpmUnavailableError('No TPM is available on this device.');
 * ```
 *
 * @category Errors
 */
export class TpmUnavailableError extends SmartCardError {
  readonly code = 'ERR_TPM_UNAVAILABLE';
}

/**
 * The TPM is in dictionary-attack lockout after too many failed authorizations: it refuses to
 * check any PIN until `retryAfterMs` have passed. Nothing was spent. Wait, or have an
 * administrator clear the lockout.
 *
 * @example
 * ```ts
 * import { TpmLockoutError } from 'smartcard-2fa';
 *
 * throw new TpmLockoutError('The TPM is locked out; try again in 20 seconds.', 20_000);
 * ```
 *
 * @category Errors
 */
export class TpmLockoutError extends SmartCardError {
  readonly code = 'ERR_TPM_LOCKOUT';
  /** Milliseconds until the TPM checks a PIN again. */
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number, options?: SmartCardErrorOptions) {
    super(message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The operation uses a private key, and no PIN has been verified in this card session (or the
 * session ended: the card was removed, reset or logged out). Verify the PIN, then try again.
 *
 * @example
 * ```ts
 * import { PinRequiredError } from 'smartcard-2fa';
 *
 * throw new PinRequiredError('Verify the PIN before signing.');
 * ```
 *
 * @category Errors
 */
export class PinRequiredError extends SmartCardError {
  readonly code = 'ERR_PIN_REQUIRED';
}

/**
 * No key container of that name is on the card.
 *
 * @example
 * ```ts
 * import { KeyNotFoundError } from 'smartcard-2fa';
 *
 * throw new KeyNotFoundError('No key container "x" on this card.');
 * ```
 *
 * @category Errors
 */
export class KeyNotFoundError extends SmartCardError {
  readonly code = 'ERR_KEY_NOT_FOUND';
}

/**
 * The key may not be used so: a `signature` key asked to decrypt, or an ECDSA key asked to
 * decrypt.
 *
 * @example
 * ```ts
 * import { KeyUsageError } from 'smartcard-2fa';
 *
 * throw new KeyUsageError('A signature key cannot decrypt.');
 * ```
 *
 * @category Errors
 */
export class KeyUsageError extends SmartCardError {
  readonly code = 'ERR_KEY_USAGE';
}

/**
 * The card holds as many key containers as it can. Delete one, or use another card.
 *
 * @example
 * ```ts
 * import { CardFullError } from 'smartcard-2fa';
 *
 * throw new CardFullError('The card holds 15 key containers already.');
 * ```
 *
 * @category Errors
 */
export class CardFullError extends SmartCardError {
  readonly code = 'ERR_CARD_FULL';
}

/**
 * Bytes given as a certificate are not a DER-encoded X.509 certificate.
 *
 * @example
 * ```ts
 * import { CertificateInvalidError } from 'smartcard-2fa';
 *
 * throw new CertificateInvalidError('The certificate is not DER (PEM? convert it first).');
 * ```
 *
 * @category Errors
 */
export class CertificateInvalidError extends SmartCardError {
  readonly code = 'ERR_CERTIFICATE_INVALID';
}

/**
 * A certificate's public key is not the key of the container it was to be stored with.
 *
 * @example
 * ```ts
 * import { CertificateMismatchError } from 'smartcard-2fa';
 *
 * throw new CertificateMismatchError('This certificate belongs to another key.');
 * ```
 *
 * @category Errors
 */
export class CertificateMismatchError extends SmartCardError {
  readonly code = 'ERR_CERTIFICATE_MISMATCH';
}

/**
 * The environment cannot do what was asked: typically no WebCrypto that can generate keys (an
 * insecure browser context). The message says what to do: serve the page over https or from
 * localhost, or pass a WebCrypto implementation.
 *
 * @example
 * ```ts
 * import { UnsupportedEnvironmentError } from 'smartcard-2fa';
 *
 * throw new UnsupportedEnvironmentError('WebCrypto is not available here.');
 * ```
 *
 * @category Errors
 */
export class UnsupportedEnvironmentError extends SmartCardError {
  readonly code = 'ERR_UNSUPPORTED_ENVIRONMENT';
}

/**
 * A certificate request is malformed, badly signed, or asks for what its template does not allow.
 *
 * @example
 * ```ts
 * import { RequestInvalidError } from 'smartcard-2fa';
 *
 * throw new RequestInvalidError('The request signature does not verify.');
 * ```
 *
 * @category Errors
 */
export class RequestInvalidError extends SmartCardError {
  readonly code = 'ERR_REQUEST_INVALID';
}

/**
 * A certificate authority could not be reached or did not answer as expected: a network failure,
 * a timeout, an HTTP error status (`httpStatus`; 401 or 403 when the credentials were refused),
 * an answer too large, or a page that is not one of the CA's answers (a proxy's login page, say).
 * When the CA had already taken the request, `requestId` says which: retrieve it later rather
 * than submitting again.
 *
 * @example
 * ```ts
 * import { type CaUnavailableError, SmartCardError } from 'smartcard-2fa';
 *
 * function mustSignIn(error: unknown): boolean {
 *   if (!SmartCardError.is(error, 'ERR_CA_UNAVAILABLE')) return false;
 *   return (error as CaUnavailableError).httpStatus === 401;
 * }
 * ```
 *
 * @category Errors
 */
export class CaUnavailableError extends SmartCardError {
  readonly code = 'ERR_CA_UNAVAILABLE';
  /** The HTTP status the CA answered with, when the failure was an HTTP error status. */
  readonly httpStatus: number | undefined;
  /** The id the CA gave the request, when it had taken the request before the failure. */
  readonly requestId: number | undefined;

  constructor(message: string, options?: CaUnavailableErrorOptions) {
    super(message, options);
    this.httpStatus = options?.httpStatus;
    this.requestId = options?.requestId;
  }
}

/**
 * Options of the {@link CaUnavailableError} constructor.
 *
 * @example
 * ```ts
 * import { CaUnavailableError } from 'smartcard-2fa';
 *
 * throw new CaUnavailableError('The CA answered HTTP 503.', { httpStatus: 503 });
 * ```
 *
 * @category Errors
 */
export interface CaUnavailableErrorOptions extends SmartCardErrorOptions {
  /** The HTTP status of the CA's answer. */
  httpStatus?: number;
  /** The id the CA gave the request. */
  requestId?: number;
}

/**
 * Options of the {@link Pkcs11ModuleError} constructor.
 *
 * @example
 * ```ts
 * import { Pkcs11ModuleError } from 'smartcard-2fa';
 *
 * throw new Pkcs11ModuleError('The module failed.', { ckr: 'CKR_DEVICE_ERROR', returnValue: 0x30 });
 * ```
 *
 * @category Errors
 */
export interface Pkcs11ModuleErrorOptions extends SmartCardErrorOptions {
  /** The PKCS#11 return value's name, as `CKR_DEVICE_ERROR`. */
  ckr: string;
  /** The PKCS#11 return value's number. */
  returnValue: number;
  /** The PKCS#11 function that returned it, as `C_Sign`. */
  method?: string;
}

/**
 * A PKCS#11 module (a token's driver, `smartcard-2fa/pkcs11`) failed in a way that is not an
 * outcome: not a wrong or blocked PIN, not a removed token. `ckr` and `returnValue` say what it
 * returned, `method` in which function. What the token had stored is as it was, except that a
 * PIN attempt already spent stays spent.
 *
 * @example
 * ```ts
 * import { type Pkcs11ModuleError, SmartCardError } from 'smartcard-2fa';
 *
 * function tokenFault(error: unknown): string | null {
 *   return SmartCardError.is(error, 'ERR_PKCS11') ? (error as Pkcs11ModuleError).ckr : null;
 * }
 * ```
 *
 * @category Errors
 */
export class Pkcs11ModuleError extends SmartCardError {
  readonly code = 'ERR_PKCS11';
  /** The PKCS#11 return value's name, as `CKR_DEVICE_ERROR`. */
  readonly ckr: string;
  /** The PKCS#11 return value's number. */
  readonly returnValue: number;
  /** The PKCS#11 function that returned it, or `undefined`. */
  readonly method: string | undefined;

  constructor(message: string, options: Pkcs11ModuleErrorOptions) {
    super(message, options);
    this.ckr = options.ckr;
    this.returnValue = options.returnValue;
    this.method = options.method;
  }
}

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
  readonly code = 'ERR_TOO_MANY_CHALLENGES';
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
  readonly code = 'ERR_WRONG_SERVICE';
}
