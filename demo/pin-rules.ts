/**
 * The PIN rules the demo states before each PIN field and checks as each field is typed, with
 * the SDK's own localized policy messages, so a PIN the card or the sign-in machine would refuse
 * is refused at the field where it was typed.
 */
import { PinPolicy, type PinViolation } from 'smartcard-2fa/pin';
import { type Locale, message, pinPolicyMessageKey } from 'smartcard-2fa/session';
import type { DemoTexts } from './texts/en.js';

/**
 * The organisation's PIN rules, the SDK's defaults: 8 to 127 printable ASCII characters, and a
 * new PIN that is not the default PIN, not trivial (`11111111`, `12345678`) and not the current
 * one. The cards keep their own rules (the same lengths and characters); the sign-in machine
 * gets these as its `pinPolicy`, so the fields check exactly what it checks.
 */
export const PIN_POLICY = new PinPolicy();

/** A field's check: `undefined` when the value is fine, else what is wrong. */
export type FieldCheck = (value: string) => string | undefined;

/** The rules a PIN must follow, as a line to show before the field. */
export function pinRulesLine(texts: DemoTexts): string {
  const { minLength, maxLength, charset } = PIN_POLICY.rules;
  return texts.pinRules(minLength, maxLength, charset === 'digits');
}

/**
 * The rules a PIN must follow, and those of a new PIN, as lines to show before the fields;
 * `replacing`: a current PIN is typed too (a change, not an unblock), and the new one must differ.
 */
export function newPinRulesLines(texts: DemoTexts, replacing: boolean): string[] {
  return [pinRulesLine(texts), texts.newPinRules(PIN_POLICY.rules.defaultPin, replacing)];
}

/** A PIN to verify: only its format (a PIN of the wrong length cannot be right). */
export function pinFormat(locale: Locale): FieldCheck {
  return (pin) => localized(PIN_POLICY.checkFormat(pin), locale);
}

/** A new PIN: every rule of the policy, and not `current` when given. */
export function newPin(locale: Locale, current?: string): FieldCheck {
  return (pin) =>
    localized(
      PIN_POLICY.validate(pin, current === undefined ? {} : { currentPin: current }),
      locale,
    );
}

/** The confirmation of a new PIN: the same PIN again. */
export function samePin(first: string, locale: Locale): FieldCheck {
  return (pin) => (pin === first ? undefined : message('pin-mismatch', locale).text);
}

/** The violations in the SDK's words for `locale`, on one line; `undefined` for none. */
function localized(violations: readonly PinViolation[], locale: Locale): string | undefined {
  if (violations.length === 0) return undefined;
  return violations
    .map(({ code, limit }) =>
      code === 'too-short' || code === 'too-long'
        ? message(pinPolicyMessageKey(code), locale, { limit: limit ?? 0 }).text
        : message(pinPolicyMessageKey(code), locale).text,
    )
    .join(' ');
}
