import type { PinViolationCode } from '../../pin/policy.js';

/**
 * Every message the sign-in machine can show, prompt or error, in a fixed order. Each is a
 * {@link MessageKey}; every catalog has a text for each.
 *
 * @example
 * ```ts
 * import { MESSAGE_KEYS } from 'smartcard-2fa/session';
 *
 * const known = new Set<string>(MESSAGE_KEYS);
 * known.has('pin-prompt'); // true
 * ```
 *
 * @category Client
 */
export const MESSAGE_KEYS = [
  // The sign-in screen.
  'sign-in-address-prompt',
  'sign-in-address-invalid',
  'password-prompt',
  'password-wrong',
  'sign-in',
  // The smart card and its PIN.
  'smart-card-required',
  'insert-card',
  'card-detected',
  'reading-card',
  'pin-prompt',
  'pin-wrong',
  'pin-wrong-unknown-attempts',
  'pin-last-attempt',
  // A blocked card and the ways out.
  'card-blocked',
  'unblock-card',
  'back-to-sign-in',
  'unblock-puk-prompt',
  'unblock-admin-key-prompt',
  'unblock-failed',
  // Changing the PIN.
  'pin-change-default',
  'pin-change-required',
  'current-pin-prompt',
  'new-pin-prompt',
  'confirm-pin-prompt',
  'pin-mismatch',
  'pin-changed',
  // The PIN policy, one per PinViolationCode.
  'pin-policy-not-a-string',
  'pin-policy-too-short',
  'pin-policy-too-long',
  'pin-policy-invalid-character',
  'pin-policy-default-pin',
  'pin-policy-repeated-character',
  'pin-policy-sequence',
  'pin-policy-same-as-current',
  // Authentication.
  'signing-in',
  'signed-in',
  'sign-in-refused',
  'card-not-enrolled',
  'wrong-card',
  'server-unavailable',
  'timed-out',
  // Leaving a session.
  'close',
  'display-closed',
  'restore-display',
  'sign-out',
  'sign-out-effect',
  'delete-sign-in-info',
  'delete-sign-in-info-effect',
  'delete-sign-in-info-recommended',
  'exit',
  'exit-effect',
  // Card removal while signed in.
  'card-removed',
  'card-removed-locked',
  'card-removed-signed-out',
  // Errors.
  'card-wait-timed-out',
  'cancelled',
  'tpm-locked-out',
  'tpm-unavailable',
  'unsupported-environment',
  'error',
] as const;

/**
 * The key of one message the sign-in machine can show. Apps branch on the key, never on the
 * text, which differs by locale and may change.
 *
 * @example
 * ```ts
 * import type { Actor } from 'xstate';
 * import { type MessageKey, type SignInMachine, viewSignIn } from 'smartcard-2fa/session';
 *
 * declare const actor: Actor<SignInMachine>;
 * const errorKeys = new Set<MessageKey>(['error', 'sign-in-refused', 'server-unavailable']);
 * actor.subscribe((snapshot) => {
 *   const notice = viewSignIn(snapshot).notice;
 *   if (notice !== null && errorKeys.has(notice.key)) console.warn(notice.text);
 * });
 * ```
 *
 * @category Client
 */
export type MessageKey = (typeof MESSAGE_KEYS)[number];

/**
 * The parameters of each parameterised message; every other key takes none. Parameters are
 * numbers only, so no PIN, key or other secret can ever be interpolated into a message.
 *
 * @example
 * ```ts
 * import { message, type MessageParams } from 'smartcard-2fa/session';
 *
 * declare const attemptsRemaining: number; // what the card said
 * const params: MessageParams['pin-wrong'] = { attemptsRemaining };
 * const text = message('pin-wrong', 'en', params).text;
 * const lockout: MessageParams['tpm-locked-out'] = { seconds: 30 };
 * console.log(text, message('tpm-locked-out', 'zh-TW', lockout).text);
 * ```
 *
 * @category Client
 */
export interface MessageParams {
  /** A wrong PIN, when the card says how many tries are left. */
  readonly 'pin-wrong': { readonly attemptsRemaining: number };
  /** A new PIN shorter than the policy's minimum length. */
  readonly 'pin-policy-too-short': { readonly limit: number };
  /** A new PIN longer than the policy's maximum length. */
  readonly 'pin-policy-too-long': { readonly limit: number };
  /** The TPM's anti-hammering lockout, with the seconds until it ends. */
  readonly 'tpm-locked-out': { readonly seconds: number };
}

/**
 * The keys of the messages that take parameters.
 *
 * @example
 * ```ts
 * import { en, type ParameterisedMessageKey } from 'smartcard-2fa/session';
 *
 * // The catalog's functions, each tried with a sample, for a translator's proof sheet.
 * const samples: { readonly [K in ParameterisedMessageKey]: () => string } = {
 *   'pin-wrong': () => en['pin-wrong']({ attemptsRemaining: 1 }),
 *   'pin-policy-too-short': () => en['pin-policy-too-short']({ limit: 8 }),
 *   'pin-policy-too-long': () => en['pin-policy-too-long']({ limit: 127 }),
 *   'tpm-locked-out': () => en['tpm-locked-out']({ seconds: 30 }),
 * };
 * for (const sample of Object.values(samples)) console.log(sample());
 * ```
 *
 * @category Client
 */
export type ParameterisedMessageKey = keyof MessageParams;

/** The message key of each PIN policy violation; a code without a message key does not compile. */
const PIN_POLICY_KEYS: { readonly [C in PinViolationCode]: `pin-policy-${C}` & MessageKey } = {
  'not-a-string': 'pin-policy-not-a-string',
  'too-short': 'pin-policy-too-short',
  'too-long': 'pin-policy-too-long',
  'invalid-character': 'pin-policy-invalid-character',
  'default-pin': 'pin-policy-default-pin',
  'repeated-character': 'pin-policy-repeated-character',
  sequence: 'pin-policy-sequence',
  'same-as-current': 'pin-policy-same-as-current',
};

/**
 * The message key of a PIN policy violation, for showing `PinPolicy.validate` results.
 *
 * @example
 * ```ts
 * import { message, pinPolicyMessageKey } from 'smartcard-2fa/session';
 * import { PinPolicy } from 'smartcard-2fa/pin';
 *
 * const texts = new PinPolicy().validate('12').map((v) =>
 *   v.code === 'too-short' || v.code === 'too-long'
 *     ? message(pinPolicyMessageKey(v.code), 'en', { limit: v.limit ?? 0 }).text
 *     : message(pinPolicyMessageKey(v.code), 'en').text,
 * );
 * ```
 *
 * @category Client
 */
export function pinPolicyMessageKey<C extends PinViolationCode>(
  code: C,
): `pin-policy-${C}` & MessageKey {
  return PIN_POLICY_KEYS[code];
}
