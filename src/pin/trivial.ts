/**
 * Trivial PINs: one character repeated (`1111`, `aaaa`), or a run where each character's code is
 * one above (`1234`, `abcd`) or one below (`4321`, `dcba`) the previous one. Runs of digits wrap
 * around (`7890`, `1098`), as they do on a keypad's number row.
 */

/** Whether `pin` (two characters or more) is one character repeated. */
export function isRepeated(pin: string): boolean {
  if (pin.length < 2) return false;
  for (let i = 1; i < pin.length; i++) if (pin[i] !== pin[0]) return false;
  return true;
}

/** Whether `pin` (three characters or more) is an ascending or descending run. */
export function isSequence(pin: string): boolean {
  if (pin.length < 3) return false;
  return isRun(pin, 1) || isRun(pin, -1);
}

function isRun(pin: string, step: 1 | -1): boolean {
  for (let i = 1; i < pin.length; i++) {
    const prev = pin.charCodeAt(i - 1);
    const cur = pin.charCodeAt(i);
    if (cur - prev === step) continue;
    if (isDigit(prev) && isDigit(cur) && (cur - prev + 10) % 10 === (step + 10) % 10) continue;
    return false;
  }
  return true;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
