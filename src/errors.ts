/**
 * Every fault the SDK throws is a {@link SmartCardError} with a stable {@link ErrorCode}.
 *
 * Expected outcomes (a wrong PIN, a blocked card, a cancelled prompt) are returned as values,
 * never thrown. What is thrown is a bad input or a broken invariant: branch on `error.code`,
 * never on the message, which is written for people and may change. Each code has one class
 * ({@link SmartCardErrorByCode}); `SmartCardError.is(error, code)` and a `switch (error.code)` on
 * {@link AnySmartCardError} narrow to it. The classes live in `errors/`, by area.
 *
 * @module
 */

export type { AnySmartCardError, SmartCardErrorByCode } from './errors/by-code.js';
export {
  CardFullError,
  CardRemovedError,
  CertificateInvalidError,
  CertificateMismatchError,
  KeyNotFoundError,
  KeyUsageError,
} from './errors/card.js';
export { ERROR_CODES, type ErrorCode } from './errors/codes.js';
export {
  CaUnavailableError,
  type CaUnavailableErrorOptions,
  RequestInvalidError,
} from './errors/enrollment.js';
export {
  InvalidInputError,
  StateCorruptError,
  StorageError,
  UnsupportedEnvironmentError,
} from './errors/general.js';
export {
  PinPolicyError,
  PinRequiredError,
  type PinViolationLike,
  UnblockUnavailableError,
} from './errors/pin.js';
export { Pkcs11ModuleError, type Pkcs11ModuleErrorOptions } from './errors/pkcs11.js';
export {
  ServerUnavailableError,
  TooManyChallengesError,
  WrongServiceError,
} from './errors/sign-in.js';
export { SmartCardError, type SmartCardErrorOptions } from './errors/smart-card-error.js';
export {
  DeviceMismatchError,
  TpmLockoutError,
  TpmUnavailableError,
} from './errors/tpm.js';
