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
 * import {
 *   PhysicalSmartCard,
 *   SimulatedReader,
 *   type SmartCard,
 *   type UncountedIncorrect,
 * } from 'smartcard-2fa/card';
 *
 * const physical = await PhysicalSmartCard.create();
 * new SimulatedReader().insert(physical);
 * const card: SmartCard = physical; // any card: emulated, PKCS#11, your own
 * const result = await card.verifyPin('00000000');
 * const uncounted: UncountedIncorrect | undefined =
 *   result.status === 'incorrect' && result.attemptsRemaining === null ? result : undefined;
 * // undefined here: an emulated card counts the attempts it has left
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
 * import {
 *   type CardPinVerifyResult,
 *   PhysicalSmartCard,
 *   SimulatedReader,
 *   type SmartCard,
 * } from 'smartcard-2fa/card';
 *
 * const physical = await PhysicalSmartCard.create();
 * new SimulatedReader().insert(physical);
 * const card: SmartCard = physical;
 * const result: CardPinVerifyResult = await card.verifyPin('12345678');
 * if (result.status === 'incorrect')
 *   console.log(`${result.attemptsRemaining ?? 'Some'} tries left`);
 * if (result.status === 'verified' && result.mustChange)
 *   console.log('Change the default PIN now.');
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
 * import {
 *   type CardPinChangeResult,
 *   PhysicalSmartCard,
 *   SimulatedReader,
 * } from 'smartcard-2fa/card';
 *
 * const card = await PhysicalSmartCard.create();
 * new SimulatedReader().insert(card);
 * const result: CardPinChangeResult = await card.changePin('12345678', 'k7#Lm2pQ');
 * result.status; // 'changed'
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
 * import {
 *   type CardPinUnblockResult,
 *   PhysicalSmartCard,
 *   SimulatedReader,
 * } from 'smartcard-2fa/card';
 *
 * const card = await PhysicalSmartCard.create({ puk: '27182818', pinPolicy: { maxAttempts: 3 } });
 * new SimulatedReader().insert(card);
 * for (let i = 0; i < 3; i++) await card.verifyPin('00000000'); // blocked now
 * const result: CardPinUnblockResult = await card.unblockPin('27182818', 'k7#Lm2pQ');
 * result.status; // 'unblocked'
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
 * import { type CardPinStatus, PhysicalSmartCard, SimulatedReader } from 'smartcard-2fa/card';
 *
 * const card = await PhysicalSmartCard.create();
 * new SimulatedReader().insert(card);
 * const status: CardPinStatus = await card.pinStatus(); // spends no attempt
 * const warn = status.attemptsRemaining === 1 || status.finalTry === true; // false
 * status.isDefault; // true: still 12345678
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
