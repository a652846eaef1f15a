import type { UnblockKind } from './record.js';

/**
 * The outcome of verifying a PIN. A wrong PIN and a blocked card are outcomes, not errors.
 * `verified` carries `mustChange`: the card's PIN must be changed before it is used further.
 *
 * @example
 * ```ts
 * import { PinState, type PinVerifyResult } from 'smartcard-2fa/pin';
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
 * const state = await PinState.create();
 * console.log(say(await state.verify('00000000'))); // Wrong PIN, 4 attempts left
 * console.log(say(await state.verify('12345678'))); // Choose a new PIN
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
 * import { type PinChangeResult, PinState } from 'smartcard-2fa/pin';
 *
 * const state = await PinState.create();
 * const result: PinChangeResult = await state.change('12345678', 'k7#Lm2pQ');
 * console.log(result.status === 'changed' ? 'PIN changed' : 'The current PIN was wrong');
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
 * import { PinState, type PinUnblockResult } from 'smartcard-2fa/pin';
 *
 * const state = await PinState.create({ unblock: { kind: 'puk', value: '87654321' } });
 * while (!state.status().blocked) await state.verify('00000000');
 * const result: PinUnblockResult = await state.unblock('87654321', 'k7#Lm2pQ');
 * console.log(result.status); // 'unblocked'
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
 * import { PinState, type PinStatus } from 'smartcard-2fa/pin';
 *
 * const lastTry = (s: PinStatus) => !s.blocked && s.attemptsRemaining === 1;
 * const state = await PinState.create({ policy: { maxAttempts: 2 } });
 * await state.verify('00000000');
 * if (lastTry(state.status())) console.log('One more wrong PIN blocks the card');
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
 * import { PinState, type UnblockStatus } from 'smartcard-2fa/pin';
 *
 * const state = await PinState.create({ unblock: { kind: 'puk', value: '87654321' } });
 * const puk: UnblockStatus | undefined = state.status().unblock.find((u) => u.kind === 'puk');
 * console.log(puk?.attemptsRemaining); // 3
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
