/**
 * PIN rules as data and the PIN state of one card: hashing, attempt counters, must-change,
 * unblock and reset.
 *
 * @example
 * ```ts
 * import { PinPolicy, PinState } from 'smartcard-2fa/pin';
 *
 * const policy = PinPolicy.preset('skypeForBusiness');
 * const state = await PinState.create({ policy });
 * const result = await state.verify('12345678'); // { status: 'verified', mustChange: true }
 * ```
 *
 * @module smartcard-2fa/pin
 */
export type { UnblockCredential } from './credential.js';
export type { PinValidateContext, PinViolation, PinViolationCode } from './policy.js';
export { PinPolicy } from './policy.js';
export type { PinPolicyPresetName } from './presets.js';
export { PIN_POLICY_PRESETS } from './presets.js';
export type { PinStateRecord, UnblockKind } from './record.js';
export type {
  PinChangeResult,
  PinStatus,
  PinUnblockResult,
  PinVerifyResult,
  UnblockStatus,
} from './results.js';
export type { PinCharset, PinPolicyRules } from './rules.js';
export { DEFAULT_PIN, DEFAULT_PIN_RULES } from './rules.js';
export { PinState } from './state.js';
export type { CreatePinStateOptions, PinStateOptions } from './state-options.js';
