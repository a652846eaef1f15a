/** The PIN answers of a card, which a PKCS#11 token may give without counts. */
import type {
  PinChangeResult,
  PinStatus,
  PinUnblockResult,
  PinVerifyResult,
  UnblockStatus,
} from '../../pin/index.js';

/**
 * A wrong PIN whose remaining attempts the card cannot tell (many PKCS#11 tokens only say
 * "count low" or "final try"): `attemptsRemaining` is `null`.
 *
 * @example
 * ```ts
 * import type { UncountedIncorrect } from 'smartcard-2fa/card';
 *
 * const r: UncountedIncorrect = { status: 'incorrect', attemptsRemaining: null };
 * ```
 *
 * @category Cards
 */
export interface UncountedIncorrect {
  /** The PIN (or PUK) was wrong. */
  readonly status: 'incorrect';
  /** Unknown to this card. */
  readonly attemptsRemaining: null;
}

/**
 * What {@link SmartCard.verifyPin} answers: a `PinVerifyResult`, where a card that cannot count
 * attempts answers `incorrect` with `attemptsRemaining: null`. Emulated cards always count.
 *
 * @example
 * ```ts
 * import type { CardPinVerifyResult } from 'smartcard-2fa/card';
 *
 * const left = (r: CardPinVerifyResult) =>
 *   r.status === 'incorrect' ? (r.attemptsRemaining ?? 'some') : null;
 * ```
 *
 * @category Cards
 */
export type CardPinVerifyResult = PinVerifyResult | UncountedIncorrect;

/**
 * What {@link SmartCard.changePin} answers; `attemptsRemaining` may be `null` as in
 * {@link CardPinVerifyResult}.
 *
 * @example
 * ```ts
 * import type { CardPinChangeResult } from 'smartcard-2fa/card';
 *
 * const ok = (r: CardPinChangeResult) => r.status === 'changed';
 * ```
 *
 * @category Cards
 */
export type CardPinChangeResult = PinChangeResult | UncountedIncorrect;

/**
 * What {@link SmartCard.unblockPin} answers; `attemptsRemaining` may be `null` as in
 * {@link CardPinVerifyResult}.
 *
 * @example
 * ```ts
 * import type { CardPinUnblockResult } from 'smartcard-2fa/card';
 *
 * const ok = (r: CardPinUnblockResult) => r.status === 'unblocked';
 * ```
 *
 * @category Cards
 */
export type CardPinUnblockResult = PinUnblockResult | UncountedIncorrect;

/**
 * The PIN's state as a card reports it: a `PinStatus` in which counts and flags a card cannot
 * tell are `null` (a PKCS#11 token knows "count low" and "final try", not numbers). Emulated
 * cards report everything.
 *
 * @example
 * ```ts
 * import type { CardPinStatus } from 'smartcard-2fa/card';
 *
 * const warn = (s: CardPinStatus) => s.attemptsRemaining === 1 || s.finalTry === true;
 * ```
 *
 * @category Cards
 */
export interface CardPinStatus
  extends Omit<PinStatus, 'attemptsRemaining' | 'maxAttempts' | 'isDefault' | 'unblock'> {
  /** Wrong PINs still allowed, or `null` when the card cannot tell. */
  readonly attemptsRemaining: number | null;
  /** The card's limit, or `null` when the card cannot tell. */
  readonly maxAttempts: number | null;
  /** Whether the PIN is still the default one, or `null` when the card cannot tell. */
  readonly isDefault: boolean | null;
  /** `true` when the next wrong PIN blocks the card, for cards that say so without a count. */
  readonly finalTry?: boolean;
  /** Each unblock credential's state; counts may be `null` as above. */
  readonly unblock: readonly (Omit<UnblockStatus, 'attemptsRemaining' | 'maxAttempts'> & {
    readonly attemptsRemaining: number | null;
    readonly maxAttempts: number | null;
  })[];
}
