// Faults of any area: a bad argument, refused saved state, a failed save, a missing WebCrypto.
import { SmartCardError } from './smart-card-error.js';

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
  /** The code of every `InvalidInputError`. */
  static readonly code = 'ERR_INVALID_INPUT' as const;
  readonly code = InvalidInputError.code;
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
  /** The code of every `StateCorruptError`. */
  static readonly code = 'ERR_STATE_CORRUPT' as const;
  readonly code = StateCorruptError.code;
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
  /** The code of every `StorageError`. */
  static readonly code = 'ERR_STORAGE' as const;
  readonly code = StorageError.code;
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
  /** The code of every `UnsupportedEnvironmentError`. */
  static readonly code = 'ERR_UNSUPPORTED_ENVIRONMENT' as const;
  readonly code = UnsupportedEnvironmentError.code;
}
