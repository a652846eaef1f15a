// Faults of PINs: a PIN that breaks the policy, no unblock credential, no PIN verified.
import { SmartCardError, type SmartCardErrorOptions } from './smart-card-error.js';

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
 * import { SmartCardError } from 'smartcard-2fa';
 *
 * function messages(error: unknown): string[] {
 *   if (!SmartCardError.is(error, 'ERR_PIN_POLICY')) return [];
 *   return error.violations.map((v) => v.message); // a PinPolicyError: no cast
 * }
 * ```
 *
 * @category Errors
 */
export class PinPolicyError extends SmartCardError {
  /** The code of every `PinPolicyError`. */
  static readonly code = 'ERR_PIN_POLICY' as const;
  readonly code = PinPolicyError.code;
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
  /** The code of every `UnblockUnavailableError`. */
  static readonly code = 'ERR_UNBLOCK_UNAVAILABLE' as const;
  readonly code = UnblockUnavailableError.code;
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
  /** The code of every `PinRequiredError`. */
  static readonly code = 'ERR_PIN_REQUIRED' as const;
  readonly code = PinRequiredError.code;
}
