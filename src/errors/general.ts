// Faults of any area: a bad argument, refused saved state, a failed save, a missing WebCrypto.
import { SmartCardError } from './smart-card-error.js';

/**
 * An argument has the wrong type or shape (a PIN that is not a string, a policy whose minimum
 * length is above its maximum, ...). Fix the calling code.
 *
 * @example
 * ```ts
 * import { InvalidInputError, PinState } from 'smartcard-2fa';
 *
 * declare const typed: unknown; // from a form, not yet checked
 * const state = await PinState.create();
 * try {
 *   await state.verify(typed as string);
 * } catch (error) {
 *   if (!(error instanceof InvalidInputError)) throw error;
 *   console.error(`A bug in the calling code, not the user's mistake: ${error.message}`);
 * }
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
 * import { PinState, SmartCardError } from 'smartcard-2fa';
 *
 * declare const saved: string; // a record saved by an earlier run
 * try {
 *   const state = await PinState.restore(saved);
 *   console.log(await state.status());
 * } catch (error) {
 *   if (!SmartCardError.is(error, 'ERR_STATE_CORRUPT')) throw error;
 *   console.error('The saved PIN state was refused: restore it from a backup.');
 * }
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
 * import { SmartCardError } from 'smartcard-2fa';
 * import type { SmartCard } from 'smartcard-2fa/card';
 *
 * declare const card: SmartCard;
 * try {
 *   await card.changePin('12345678', 'k7#Lm2pQ');
 * } catch (error) {
 *   if (!SmartCardError.is(error, 'ERR_STORAGE')) throw error;
 *   console.error('The card could not save its state; the PIN is unchanged.', error.cause);
 * }
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
 * import { getCrypto, SmartCardError } from 'smartcard-2fa';
 *
 * try {
 *   const crypto = await getCrypto();
 *   console.log(typeof crypto.subtle.generateKey);
 * } catch (error) {
 *   if (!SmartCardError.is(error, 'ERR_UNSUPPORTED_ENVIRONMENT')) throw error;
 *   document.body.textContent = 'Open this page over https to use your smart card.';
 * }
 * ```
 *
 * @category Errors
 */
export class UnsupportedEnvironmentError extends SmartCardError {
  /** The code of every `UnsupportedEnvironmentError`. */
  static readonly code = 'ERR_UNSUPPORTED_ENVIRONMENT' as const;
  readonly code = UnsupportedEnvironmentError.code;
}
