import { InvalidInputError } from '../errors.js';
import { PIN_POLICY_PRESETS, type PinPolicyPresetName } from './presets.js';
import { DEFAULT_PIN_RULES, inCharset, type PinPolicyRules, resolveRules } from './rules.js';
import { isRepeated, isSequence } from './trivial.js';

/**
 * The stable codes of the rules a PIN can break.
 *
 * @example
 * ```ts
 * import { PinPolicy, type PinViolationCode } from 'smartcard-2fa/pin';
 *
 * const labels: Partial<Record<PinViolationCode, string>> = { 'too-short': 'Too short' };
 * const codes = new PinPolicy().validate('4711').map((violation) => violation.code);
 * console.log(codes.map((code) => labels[code] ?? code)); // ['Too short']
 * ```
 *
 * @category PIN
 */
export type PinViolationCode =
  | 'not-a-string'
  | 'too-short'
  | 'too-long'
  | 'invalid-character'
  | 'default-pin'
  | 'repeated-character'
  | 'sequence'
  | 'same-as-current';

/**
 * One rule a PIN breaks: a stable code for programs, a sentence for people (never containing
 * the PIN), and the numbers a translated message needs.
 *
 * @example
 * ```ts
 * import { PinPolicy, type PinViolation } from 'smartcard-2fa/pin';
 *
 * const show = (v: PinViolation) => `${v.code}: ${v.message}`;
 * for (const violation of new PinPolicy().validate('11111111')) console.log(show(violation));
 * ```
 *
 * @category PIN
 */
export interface PinViolation {
  /** The rule that is broken. */
  readonly code: PinViolationCode;
  /** What is wrong, in English, for people. */
  readonly message: string;
  /** The limit the rule sets, for `too-short` and `too-long`. */
  readonly limit?: number;
}

/**
 * What {@link PinPolicy.validate} knows besides the candidate PIN.
 *
 * @example
 * ```ts
 * import { PinPolicy } from 'smartcard-2fa/pin';
 *
 * const policy = new PinPolicy();
 * const violations = policy.validate('Tr0ub4dor&3', { currentPin: 'Tr0ub4dor&3' });
 * console.log(violations.map((violation) => violation.code)); // ['same-as-current']
 * ```
 *
 * @category PIN
 */
export interface PinValidateContext {
  /** The PIN being replaced, for the reuse rule. */
  readonly currentPin?: string;
}

/**
 * A card's PIN rules, as data, with the checks that apply them. Immutable.
 *
 * `validate` checks a PIN someone wants to set and returns every rule it breaks, so a form can
 * show them all at once; `checkFormat` checks only what any PIN of the card must satisfy
 * (length and characters), which is what matters before verifying one.
 *
 * @example
 * ```ts
 * import { PinPolicy } from 'smartcard-2fa/pin';
 *
 * const policy = new PinPolicy({ minLength: 6, charset: 'digits' });
 * policy.validate('12345').map((v) => v.code); // ['too-short', 'sequence']
 * policy.validate('480913'); // []
 *
 * const piv = PinPolicy.preset('piv');
 * piv.rules.maxAttempts; // 3
 * ```
 *
 * @category PIN
 */
export class PinPolicy {
  /** The rules in force, frozen. */
  readonly rules: Readonly<PinPolicyRules>;

  /**
   * @param rules Any subset of the rules; the others take {@link DEFAULT_PIN_RULES}.
   * @throws {@link InvalidInputError} for an unknown rule, a wrong type, or contradicting rules.
   */
  constructor(rules: Partial<PinPolicyRules> = {}) {
    this.rules = resolveRules(DEFAULT_PIN_RULES, rules);
  }

  /**
   * A built-in preset (see {@link PIN_POLICY_PRESETS}), optionally with some rules changed.
   *
   * @throws {@link InvalidInputError} for an unknown preset name or invalid overrides.
   */
  static preset(name: PinPolicyPresetName, overrides: Partial<PinPolicyRules> = {}): PinPolicy {
    const base = Object.hasOwn(PIN_POLICY_PRESETS, name) ? PIN_POLICY_PRESETS[name] : undefined;
    if (base === undefined) {
      throw new InvalidInputError(
        `Unknown PIN policy preset "${String(name)}". Presets: ${Object.keys(PIN_POLICY_PRESETS).join(', ')}.`,
      );
    }
    return new PinPolicy({ ...base, ...overrides });
  }

  /** `policy` itself if it is a `PinPolicy`, else a new policy from these rules. */
  static from(policy: PinPolicy | Partial<PinPolicyRules> | undefined): PinPolicy {
    return policy instanceof PinPolicy ? policy : new PinPolicy(policy ?? {});
  }

  /**
   * Every rule that `pin` breaks as a new PIN, in a fixed order; empty when it may be set.
   * Never throws, whatever `pin` is.
   */
  validate(pin: unknown, context: PinValidateContext = {}): PinViolation[] {
    const violations = this.checkFormat(pin);
    if (typeof pin !== 'string') return violations;
    const rules = this.rules;
    if (rules.forbidDefaultAsNew && pin === rules.defaultPin) {
      violations.push({ code: 'default-pin', message: 'The new PIN must not be the default PIN.' });
    }
    if (rules.forbidTrivial && isRepeated(pin)) {
      violations.push({
        code: 'repeated-character',
        message: 'The PIN must not be one character repeated.',
      });
    }
    if (rules.forbidTrivial && isSequence(pin)) {
      violations.push({
        code: 'sequence',
        message: 'The PIN must not be an ascending or descending run such as 1234 or 4321.',
      });
    }
    if (rules.forbidReuse && context.currentPin !== undefined && pin === context.currentPin) {
      violations.push({
        code: 'same-as-current',
        message: 'The new PIN must differ from the current PIN.',
      });
    }
    return violations;
  }

  /**
   * The rules any PIN of this card satisfies: it is a string of the allowed length and
   * characters. A PIN that breaks them cannot be right, so verifying it spends no attempt.
   */
  checkFormat(pin: unknown): PinViolation[] {
    if (typeof pin !== 'string') {
      return [{ code: 'not-a-string', message: 'The PIN must be text.' }];
    }
    const rules = this.rules;
    const violations: PinViolation[] = [];
    if (pin.length < rules.minLength) {
      violations.push({
        code: 'too-short',
        message: `The PIN must have at least ${rules.minLength} characters.`,
        limit: rules.minLength,
      });
    }
    if (pin.length > rules.maxLength) {
      violations.push({
        code: 'too-long',
        message: `The PIN must have at most ${rules.maxLength} characters.`,
        limit: rules.maxLength,
      });
    }
    if (!inCharset(pin, rules.charset)) {
      violations.push({
        code: 'invalid-character',
        message:
          rules.charset === 'digits'
            ? 'The PIN may contain only the digits 0 to 9.'
            : 'The PIN may contain only letters, digits, spaces and ASCII punctuation.',
      });
    }
    return violations;
  }
}
