import type {
  CardFullError,
  CardRemovedError,
  CertificateInvalidError,
  CertificateMismatchError,
  KeyNotFoundError,
  KeyUsageError,
} from './card.js';
import type { ErrorCode } from './codes.js';
import type { CaUnavailableError, RequestInvalidError } from './enrollment.js';
import type {
  InvalidInputError,
  StateCorruptError,
  StorageError,
  UnsupportedEnvironmentError,
} from './general.js';
import type { PinPolicyError, PinRequiredError, UnblockUnavailableError } from './pin.js';
import type { Pkcs11ModuleError } from './pkcs11.js';
import type {
  ServerUnavailableError,
  TooManyChallengesError,
  WrongServiceError,
} from './sign-in.js';
import type { DeviceMismatchError, TpmLockoutError, TpmUnavailableError } from './tpm.js';

/**
 * The class of each {@link ErrorCode}: what `SmartCardError.is(error, code)` narrows to.
 * `SmartCardErrorByCode['ERR_PIN_POLICY']` is `PinPolicyError`.
 *
 * @example
 * ```ts
 * import type { ErrorCode, SmartCardErrorByCode } from 'smartcard-2fa';
 *
 * function detail<C extends ErrorCode>(error: SmartCardErrorByCode[C]): string {
 *   return `${error.code}: ${error.message}`;
 * }
 * ```
 *
 * @category Errors
 */
export interface SmartCardErrorByCode {
  /** See {@link InvalidInputError}. */
  ERR_INVALID_INPUT: InvalidInputError;
  /** See {@link PinPolicyError}. */
  ERR_PIN_POLICY: PinPolicyError;
  /** See {@link StateCorruptError}. */
  ERR_STATE_CORRUPT: StateCorruptError;
  /** See {@link StorageError}. */
  ERR_STORAGE: StorageError;
  /** See {@link UnblockUnavailableError}. */
  ERR_UNBLOCK_UNAVAILABLE: UnblockUnavailableError;
  /** See {@link CardRemovedError}. */
  ERR_CARD_REMOVED: CardRemovedError;
  /** See {@link DeviceMismatchError}. */
  ERR_DEVICE_MISMATCH: DeviceMismatchError;
  /** See {@link TpmUnavailableError}. */
  ERR_TPM_UNAVAILABLE: TpmUnavailableError;
  /** See {@link TpmLockoutError}. */
  ERR_TPM_LOCKOUT: TpmLockoutError;
  /** See {@link PinRequiredError}. */
  ERR_PIN_REQUIRED: PinRequiredError;
  /** See {@link KeyNotFoundError}. */
  ERR_KEY_NOT_FOUND: KeyNotFoundError;
  /** See {@link KeyUsageError}. */
  ERR_KEY_USAGE: KeyUsageError;
  /** See {@link CardFullError}. */
  ERR_CARD_FULL: CardFullError;
  /** See {@link CertificateInvalidError}. */
  ERR_CERTIFICATE_INVALID: CertificateInvalidError;
  /** See {@link CertificateMismatchError}. */
  ERR_CERTIFICATE_MISMATCH: CertificateMismatchError;
  /** See {@link UnsupportedEnvironmentError}. */
  ERR_UNSUPPORTED_ENVIRONMENT: UnsupportedEnvironmentError;
  /** See {@link RequestInvalidError}. */
  ERR_REQUEST_INVALID: RequestInvalidError;
  /** See {@link CaUnavailableError}. */
  ERR_CA_UNAVAILABLE: CaUnavailableError;
  /** See {@link Pkcs11ModuleError}. */
  ERR_PKCS11: Pkcs11ModuleError;
  /** See {@link TooManyChallengesError}. */
  ERR_TOO_MANY_CHALLENGES: TooManyChallengesError;
  /** See {@link WrongServiceError}. */
  ERR_WRONG_SERVICE: WrongServiceError;
  /** See {@link ServerUnavailableError}. */
  ERR_SERVER_UNAVAILABLE: ServerUnavailableError;
}

/**
 * Every error class of the SDK, as one union: a `switch (error.code)` on it narrows to the
 * class of each case. `SmartCardError.is(error)` narrows to it.
 *
 * @example
 * ```ts
 * import { SmartCardError, type AnySmartCardError } from 'smartcard-2fa';
 *
 * function hint(error: AnySmartCardError): string {
 *   switch (error.code) {
 *     case 'ERR_TPM_LOCKOUT':
 *       return `Try again in ${Math.ceil(error.retryAfterMs / 1000)} s.`;
 *     case 'ERR_PIN_POLICY':
 *       return error.violations.map((v) => v.message).join(' ');
 *     default:
 *       return error.message;
 *   }
 * }
 *
 * try {
 *   // ... any SDK call
 * } catch (error) {
 *   if (!SmartCardError.is(error)) throw error;
 *   console.log(hint(error));
 * }
 * ```
 *
 * @category Errors
 */
export type AnySmartCardError = SmartCardErrorByCode[ErrorCode];
