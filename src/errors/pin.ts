// Faults of PINs: a PIN that breaks the policy, no unblock credential, no PIN verified.
import { SmartCardError, type SmartCardErrorOptions } from './smart-card-error.js';

/**
 * One rule of a PIN policy that a PIN breaks. See `PinPolicy.validate`.
 *
 * @example
 * ```ts
 * import { type PinViolationLike, SmartCardError } from 'smartcard-2fa';
 * import type { SmartCard } from 'smartcard-2fa/card';
 *
 * declare const card: SmartCard;
 * try {
 *   await card.changePin('12345678', '1234');
 * } catch (error) {
 *   if (!SmartCardError.is(error, 'ERR_PIN_POLICY')) throw error;
 *   const broken: readonly PinViolationLike[] = error.violations;
 *   for (const violation of broken) console.log(`${violation.code}: ${violation.message}`);
 * }
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
 * import { SmartCardError } from 'smartcard-2fa';
 * import type { SmartCard } from 'smartcard-2fa/card';
 *
 * declare const card: SmartCard;
 * declare const puk: string;
 * try {
 *   const result = await card.unblockPin(puk, 'k7#Lm2pQ');
 *   console.log(result.status);
 * } catch (error) {
 *   if (!SmartCardError.is(error, 'ERR_UNBLOCK_UNAVAILABLE')) throw error;
 *   console.log('This card cannot be unblocked: ask an administrator to reset it.');
 * }
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
 * import type { SmartCard } from 'smartcard-2fa/card';
 *
 * declare const card: SmartCard;
 * declare const askPin: () => Promise<string>;
 * async function sign(container: string, data: Uint8Array<ArrayBuffer>) {
 *   try {
 *     return await card.sign(container, data);
 *   } catch (error) {
 *     if (!(error instanceof PinRequiredError)) throw error;
 *     await card.verifyPin(await askPin()); // the card session had ended: ask once more
 *     return card.sign(container, data);
 *   }
 * }
 * ```
 *
 * @category Errors
 */
export class PinRequiredError extends SmartCardError {
  /** The code of every `PinRequiredError`. */
  static readonly code = 'ERR_PIN_REQUIRED' as const;
  readonly code = PinRequiredError.code;
}
