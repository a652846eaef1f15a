/**
 * smartcard-2fa: two-factor sign-in with smart cards.
 *
 * The root entry re-exports the errors, the WebCrypto resolution and the PIN model; each area
 * also has its own subpath (`smartcard-2fa/pin`).
 *
 * @example
 * ```ts
 * import { DEFAULT_PIN, PinState, SmartCardError } from 'smartcard-2fa';
 *
 * const state = await PinState.create();
 * try {
 *   await state.change(DEFAULT_PIN, DEFAULT_PIN);
 * } catch (error) {
 *   if (!SmartCardError.is(error, 'ERR_PIN_POLICY')) throw error;
 * }
 * ```
 *
 * @module smartcard-2fa
 */

export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export type { CryptoOptions, WebCrypto, WebCryptoKey } from './crypto.js';
export { getCrypto } from './crypto.js';
export type {
  AnySmartCardError,
  CaUnavailableErrorOptions,
  ErrorCode,
  PinViolationLike,
  Pkcs11ModuleErrorOptions,
  SmartCardErrorByCode,
  SmartCardErrorOptions,
} from './errors.js';
export {
  CardFullError,
  CardRemovedError,
  CaUnavailableError,
  CertificateInvalidError,
  CertificateMismatchError,
  DeviceMismatchError,
  ERROR_CODES,
  InvalidInputError,
  KeyNotFoundError,
  KeyUsageError,
  PinPolicyError,
  PinRequiredError,
  Pkcs11ModuleError,
  RequestInvalidError,
  ServerUnavailableError,
  SmartCardError,
  StateCorruptError,
  StorageError,
  TooManyChallengesError,
  TpmLockoutError,
  TpmUnavailableError,
  UnblockUnavailableError,
  UnsupportedEnvironmentError,
  WrongServiceError,
} from './errors.js';
export { derFromPem } from './pem.js';
export type {
  CreatePinStateOptions,
  PinChangeResult,
  PinCharset,
  PinPolicyPresetName,
  PinPolicyRules,
  PinStateOptions,
  PinStateRecord,
  PinStatus,
  PinUnblockResult,
  PinValidateContext,
  PinVerifyResult,
  PinViolation,
  PinViolationCode,
  UnblockCredential,
  UnblockKind,
  UnblockStatus,
} from './pin/index.js';
export {
  DEFAULT_PIN,
  DEFAULT_PIN_RULES,
  PIN_POLICY_PRESETS,
  PinPolicy,
  PinState,
} from './pin/index.js';
