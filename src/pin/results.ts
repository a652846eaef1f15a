import type { UnblockKind } from './record.js';

/**
 * The outcome of verifying a PIN. A wrong PIN and a blocked card are outcomes, not errors.
 * `verified` carries `mustChange`: the card's PIN must be changed before it is used further.
 *
 * @example
 * ```ts
 * import type { PinVerifyResult } from 'smartcard-2fa/pin';
 *
 * function say(result: PinVerifyResult): string {
 *   switch (result.status) {
 *     case 'verified':
 *       return result.mustChange ? 'Choose a new PIN' : 'Signed in';
 *     case 'incorrect':
 *       return `Wrong PIN, ${result.attemptsRemaining} attempts left`;
 *     case 'blocked':
 *       return 'The card is blocked';
 *   }
 * }
 * ```
 *
 * @category PIN
 */
export type PinVerifyResult =
  | { readonly status: 'verified'; readonly mustChange: boolean }
  | { readonly status: 'incorrect'; readonly attemptsRemaining: number }
  | { readonly status: 'blocked' };

/**
 * The outcome of changing a PIN: `changed`, or the current PIN was wrong (`incorrect`, with the
 * attempts left) or is `blocked`. A new PIN that breaks the policy is thrown as
 * `PinPolicyError` before anything is spent.
 *
 * @example
 * ```ts
 * import type { PinChangeResult } from 'smartcard-2fa/pin';
 *
 * const ok = (r: PinChangeResult) => r.status === 'changed';
 * ```
 *
 * @category PIN
 */
export type PinChangeResult =
  | { readonly status: 'changed' }
  | { readonly status: 'incorrect'; readonly attemptsRemaining: number }
  | { readonly status: 'blocked' };

/**
 * The outcome of unblocking a PIN with the PUK or admin key: `unblocked`, or the credential was
 * wrong (`incorrect`, with its own attempts left) or is itself `blocked`, after which only an
 * administrator's reset helps.
 *
 * @example
 * ```ts
 * import type { PinUnblockResult } from 'smartcard-2fa/pin';
 *
 * const ok = (r: PinUnblockResult) => r.status === 'unblocked';
 * ```
 *
 * @category PIN
 */
export type PinUnblockResult =
  | { readonly status: 'unblocked' }
  | { readonly status: 'incorrect'; readonly attemptsRemaining: number }
  | { readonly status: 'blocked' };

/**
 * What a card tells about its PIN without spending an attempt.
 *
 * @example
 * ```ts
 * import type { PinStatus } from 'smartcard-2fa/pin';
 *
 * const warn = (s: PinStatus) => !s.blocked && s.attemptsRemaining === 1;
 * ```
 *
 * @category PIN
 */
export interface PinStatus {
  /** Wrong PINs still allowed before the PIN is blocked. */
  readonly attemptsRemaining: number;
  /** The policy's limit. */
  readonly maxAttempts: number;
  /** No PIN is accepted until the PIN is unblocked or the card reset. */
  readonly blocked: boolean;
  /** The PIN must be changed before the card is used further. */
  readonly mustChange: boolean;
  /** The PIN is the policy's default PIN. */
  readonly isDefault: boolean;
  /** Each unblock credential's state (a PUK, an admin key); empty when the card has none. */
  readonly unblock: readonly UnblockStatus[];
}

/**
 * The state of one unblock credential, without spending an attempt.
 *
 * @example
 * ```ts
 * import type { PinStatus, UnblockStatus } from 'smartcard-2fa/pin';
 *
 * const puk = (s: PinStatus): UnblockStatus | undefined => s.unblock.find((u) => u.kind === 'puk');
 * ```
 *
 * @category PIN
 */
export interface UnblockStatus {
  /** A PUK or an admin key. */
  readonly kind: UnblockKind;
  /** Wrong tries still allowed before this credential is blocked too. */
  readonly attemptsRemaining: number;
  /** The policy's `maxUnblockAttempts`. */
  readonly maxAttempts: number;
  /** This credential is blocked; only an administrator's reset restores it. */
  readonly blocked: boolean;
}
