import { InvalidInputError } from '../errors.js';

/**
 * The PIN a card has until someone assigns another: `12345678`, as for Lync / Skype for Business
 * sign-in cards and Windows' `tpmvscmgr create /pin default`.
 *
 * @example
 * ```ts
 * import { DEFAULT_PIN } from 'smartcard-2fa/pin';
 *
 * declare const typed: string;
 * const stillDefault = typed === DEFAULT_PIN; // the card was never given a PIN of its own
 * if (stillDefault) console.log('Choose a new PIN before you sign in.');
 * ```
 *
 * @category PIN
 */
export const DEFAULT_PIN = '12345678';

/**
 * The characters a PIN may contain: `printable-ascii` (U+0020 to U+007E, as Windows virtual
 * smart cards) or `digits` (0 to 9).
 *
 * @example
 * ```ts
 * import { type PinCharset, PinPolicy } from 'smartcard-2fa/pin';
 *
 * const charset: PinCharset = 'digits';
 * const policy = new PinPolicy({ charset });
 * console.log(policy.checkFormat('4711abcd').map((v) => v.code)); // ['invalid-character']
 * ```
 *
 * @category PIN
 */
export type PinCharset = 'printable-ascii' | 'digits';

/**
 * The rules of a PIN policy, as plain data. Every field has a default (see
 * {@link DEFAULT_PIN_RULES}); a policy is built from any subset of them.
 *
 * @example
 * ```ts
 * import { PinPolicy, type PinPolicyRules } from 'smartcard-2fa/pin';
 *
 * const rules: Partial<PinPolicyRules> = { minLength: 6, maxLength: 8, charset: 'digits' };
 * const policy = new PinPolicy(rules);
 * console.log(policy.rules.maxAttempts); // 5, the default for what is left out
 * ```
 *
 * @category PIN
 */
export interface PinPolicyRules {
  /** Fewest characters a PIN may have (at least 1). */
  readonly minLength: number;
  /** Most characters a PIN may have (at most 1024). */
  readonly maxLength: number;
  /** The characters a PIN may contain. */
  readonly charset: PinCharset;
  /** The PIN a new or reset card has. It must satisfy length and charset. */
  readonly defaultPin: string;
  /** Whether a new or reset card must have its PIN changed before first use. */
  readonly changeOnFirstUse: boolean;
  /** Consecutive wrong PINs after which the PIN is blocked (1 to 255). */
  readonly maxAttempts: number;
  /** Consecutive wrong PUKs or admin keys after which unblocking is blocked too (1 to 255). */
  readonly maxUnblockAttempts: number;
  /** Refuse the default PIN as a new PIN. */
  readonly forbidDefaultAsNew: boolean;
  /** Refuse one repeated character and ascending or descending runs (`1111`, `1234`, `dcba`). */
  readonly forbidTrivial: boolean;
  /** Refuse a new PIN equal to the current one. */
  readonly forbidReuse: boolean;
}

/**
 * The defaults of every rule: 8 to 127 printable ASCII characters (Windows virtual smart
 * cards), default PIN 12345678 changed on first use, 5 attempts, 3 unblock attempts, and the
 * default PIN, trivial PINs and reuse refused.
 *
 * @example
 * ```ts
 * import { DEFAULT_PIN_RULES, PinPolicy } from 'smartcard-2fa/pin';
 *
 * const branch = new PinPolicy({ ...DEFAULT_PIN_RULES, maxAttempts: 3 }); // the defaults, one rule changed
 * console.log(branch.rules.maxAttempts, DEFAULT_PIN_RULES.maxAttempts); // 3 5
 * ```
 *
 * @category PIN
 */
export const DEFAULT_PIN_RULES: Readonly<PinPolicyRules> = Object.freeze({
  minLength: 8,
  maxLength: 127,
  charset: 'printable-ascii',
  defaultPin: DEFAULT_PIN,
  changeOnFirstUse: true,
  maxAttempts: 5,
  maxUnblockAttempts: 3,
  forbidDefaultAsNew: true,
  forbidTrivial: true,
  forbidReuse: true,
});

const RULE_KEYS = Object.keys(DEFAULT_PIN_RULES) as (keyof PinPolicyRules)[];
const MAX_LENGTH_CEILING = 1024;
const MAX_COUNTER = 255;

/** Whether every character of `text` belongs to `charset`.
 *
 * @category PIN
 */
export function inCharset(text: string, charset: PinCharset): boolean {
  const pattern = charset === 'digits' ? /^[0-9]*$/ : /^[\x20-\x7e]*$/;
  return pattern.test(text);
}

/**
 * Merges `overrides` onto `base` and checks the result, throwing {@link InvalidInputError} for
 * an unknown rule name, a value of the wrong type, or rules that contradict each other.
 *
 * @category PIN
 */
export function resolveRules(base: PinPolicyRules, overrides: unknown): Readonly<PinPolicyRules> {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new InvalidInputError('PIN policy rules must be an object.');
  }
  for (const key of Object.keys(overrides)) {
    if (!RULE_KEYS.includes(key as keyof PinPolicyRules)) {
      throw new InvalidInputError(
        `Unknown PIN policy rule "${key}". Known rules: ${RULE_KEYS.join(', ')}.`,
      );
    }
  }
  const merged = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  checkRules(merged);
  return Object.freeze(merged);
}

function checkRules(rules: PinPolicyRules): void {
  const integer = (name: keyof PinPolicyRules, min: number, max: number) => {
    const value = rules[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new InvalidInputError(
        `PIN policy rule ${name} must be an integer from ${min} to ${max}.`,
      );
    }
  };
  const boolean = (name: keyof PinPolicyRules) => {
    if (typeof rules[name] !== 'boolean') {
      throw new InvalidInputError(`PIN policy rule ${name} must be true or false.`);
    }
  };
  integer('minLength', 1, MAX_LENGTH_CEILING);
  integer('maxLength', rules.minLength, MAX_LENGTH_CEILING);
  integer('maxAttempts', 1, MAX_COUNTER);
  integer('maxUnblockAttempts', 1, MAX_COUNTER);
  boolean('changeOnFirstUse');
  boolean('forbidDefaultAsNew');
  boolean('forbidTrivial');
  boolean('forbidReuse');
  if (rules.charset !== 'printable-ascii' && rules.charset !== 'digits') {
    throw new InvalidInputError('PIN policy rule charset must be "printable-ascii" or "digits".');
  }
  const defaultPin = rules.defaultPin;
  if (
    typeof defaultPin !== 'string' ||
    defaultPin.length < rules.minLength ||
    defaultPin.length > rules.maxLength ||
    !inCharset(defaultPin, rules.charset)
  ) {
    throw new InvalidInputError(
      `PIN policy rule defaultPin must be ${rules.minLength} to ${rules.maxLength} characters of the ` +
        `policy's charset (${rules.charset}).`,
    );
  }
}
