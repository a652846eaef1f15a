// Faults of the TPM a virtual card is bound to.
import { SmartCardError, type SmartCardErrorOptions } from './smart-card-error.js';

/**
 * A virtual card's state was bound to another device's TPM and cannot be used on this one.
 * Enroll a separate card on each device.
 *
 * @example
 * ```ts
 * import { SmartCardError } from 'smartcard-2fa';
 * import { type CardStore, type SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';
 *
 * declare const tpm: SoftwareTpm;
 * declare const store: CardStore;
 * try {
 *   const card = await VirtualSmartCard.open(tpm, store, 'VSC-0001');
 *   console.log(await card.info());
 * } catch (error) {
 *   if (!SmartCardError.is(error, 'ERR_DEVICE_MISMATCH')) throw error;
 *   console.log('This virtual card was made on another device: enroll one on this device.');
 * }
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
 * import { SmartCardError } from 'smartcard-2fa';
 * import { type CardStore, SoftwareTpm } from 'smartcard-2fa/card';
 *
 * declare const store: CardStore;
 * declare const deviceId: string; // saved by the app when it created the TPM
 * try {
 *   const tpm = await SoftwareTpm.open(store, deviceId);
 *   console.log(tpm.deviceId);
 * } catch (error) {
 *   if (!SmartCardError.is(error, 'ERR_TPM_UNAVAILABLE')) throw error;
 *   console.log('No TPM here: use a physical card instead.');
 * }
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
 * import type { VirtualSmartCard } from 'smartcard-2fa/card';
 *
 * declare const card: VirtualSmartCard;
 * declare const pin: string;
 * try {
 *   const result = await card.verifyPin(pin);
 *   console.log(result.status);
 * } catch (error) {
 *   if (!(error instanceof TpmLockoutError)) throw error;
 *   console.log(`Too many wrong PINs: try again in ${Math.ceil(error.retryAfterMs / 1000)} s.`);
 * }
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
