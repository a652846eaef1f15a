import type { PinPolicy } from '../pin/policy.js';

const DIGITS = '9081726354';

/** `length` digits, starting at `offset` of a non-trivial run (no repeat, no sequence). */
function digits(length: number, offset: number): string {
  let pin = '';
  while (pin.length < length) pin += DIGITS.slice(offset) + DIGITS.slice(0, offset);
  return pin.slice(0, length);
}

/**
 * PINs to try as wrong ones: two of the policy's format when it is known (a second in case the
 * first is the PIN), else digit strings of the lengths cards commonly take.
 *
 * @internal
 */
export function wrongPins(policy: PinPolicy | undefined): string[] {
  if (policy !== undefined) {
    const length = Math.max(policy.rules.minLength, Math.min(8, policy.rules.maxLength));
    return [digits(length, 0), digits(length, 3)];
  }
  return [8, 6, 4, 10, 12, 16].flatMap((length) => [digits(length, 0), digits(length, 3)]);
}
