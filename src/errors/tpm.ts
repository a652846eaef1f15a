// Faults of the TPM a virtual card is bound to.
import { SmartCardError, type SmartCardErrorOptions } from './smart-card-error.js';

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
  /** The code of every `DeviceMismatchError`. */
  static readonly code = 'ERR_DEVICE_MISMATCH' as const;
  readonly code = DeviceMismatchError.code;
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
  /** The code of every `TpmUnavailableError`. */
  static readonly code = 'ERR_TPM_UNAVAILABLE' as const;
  readonly code = TpmUnavailableError.code;
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
  /** The code of every `TpmLockoutError`. */
  static readonly code = 'ERR_TPM_LOCKOUT' as const;
  readonly code = TpmLockoutError.code;
  /** Milliseconds until the TPM checks a PIN again. */
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number, options?: SmartCardErrorOptions) {
    super(message, options);
    this.retryAfterMs = retryAfterMs;
  }
}
