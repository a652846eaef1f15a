/**
 * Trivial PINs: one character repeated (`1111`, `aaaa`), or a run where each character's code is
 * one above (`1234`, `abcd`) or one below (`4321`, `dcba`) the previous one. In a PIN of digits
 * only, runs wrap around (`7890`, `1098`), as they do on a keypad's number row. Characters are
 * Unicode code points.
 */

/** Whether `pin` (two characters or more) is one character repeated.
 *
 * @category PIN
 */
export function isRepeated(pin: string): boolean {
  const chars = codePoints(pin);
  return chars.length >= 2 && chars.every((c) => c === chars[0]);
}

/** Whether `pin` (three characters or more) is an ascending or descending run.
 *
 * @category PIN
 */
export function isSequence(pin: string): boolean {
  const chars = codePoints(pin);
  if (chars.length < 3) return false;
  const wraps = /^[0-9]+$/.test(pin);
  return isRun(chars, 1, wraps) || isRun(chars, -1, wraps);
}

function isRun(chars: readonly number[], step: 1 | -1, wraps: boolean): boolean {
  for (let i = 1; i < chars.length; i++) {
    const delta = (chars[i] ?? 0) - (chars[i - 1] ?? 0);
    if (delta === step) continue;
    if (wraps && (delta + 10) % 10 === (step + 10) % 10) continue;
    return false;
  }
  return true;
}

function codePoints(text: string): number[] {
  return Array.from(text, (c) => c.codePointAt(0) ?? 0);
}
