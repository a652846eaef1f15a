import { DEFAULT_PIN_RULES, type PinPolicyRules } from './rules.js';

/**
 * The names of the built-in policy presets. See {@link PIN_POLICY_PRESETS}.
 *
 * @example
 * ```ts
 * import { PinPolicy, type PinPolicyPresetName } from 'smartcard-2fa/pin';
 *
 * const name: PinPolicyPresetName = 'piv';
 * console.log(PinPolicy.preset(name).rules.maxAttempts); // 3
 * ```
 *
 * @category PIN
 */
export type PinPolicyPresetName = 'skypeForBusiness' | 'windowsVirtualSmartCard' | 'piv';

/**
 * Rules that reproduce the PIN behaviour of known systems:
 *
 * - `skypeForBusiness`: the card policy of Lync / Skype for Business two-factor sign-in: default
 *   PIN 12345678, changed on first use, 8 to 127 printable ASCII characters, 5 attempts, the
 *   default and trivial PINs refused as new PINs. The SDK's default rules.
 * - `windowsVirtualSmartCard`: `tpmvscmgr create /pin default`: 8 to 127 printable ASCII
 *   characters, default 12345678, blocked after 5 consecutive wrong PINs (Windows 8.1 and later);
 *   Windows itself neither forces a change nor refuses simple PINs.
 * - `piv`: NIST SP 800-73 as YubiKeys implement it: 6 to 8 characters, default 123456,
 *   3 PIN and 3 PUK attempts, no forced change.
 *
 * @example
 * ```ts
 * import { PIN_POLICY_PRESETS, PinPolicy } from 'smartcard-2fa/pin';
 *
 * const piv = new PinPolicy(PIN_POLICY_PRESETS.piv);
 * console.log(piv.rules.defaultPin, piv.rules.maxAttempts); // '123456' 3
 * ```
 *
 * @category PIN
 */
export const PIN_POLICY_PRESETS: Readonly<Record<PinPolicyPresetName, Readonly<PinPolicyRules>>> =
  Object.freeze({
    skypeForBusiness: DEFAULT_PIN_RULES,
    windowsVirtualSmartCard: Object.freeze({
      ...DEFAULT_PIN_RULES,
      changeOnFirstUse: false,
      forbidDefaultAsNew: false,
      forbidTrivial: false,
      forbidReuse: false,
    }),
    piv: Object.freeze({
      ...DEFAULT_PIN_RULES,
      minLength: 6,
      maxLength: 8,
      defaultPin: '123456',
      changeOnFirstUse: false,
      maxAttempts: 3,
      maxUnblockAttempts: 3,
      forbidDefaultAsNew: false,
      forbidTrivial: false,
      forbidReuse: false,
    }),
  });
