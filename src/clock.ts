/**
 * Time, injectable wherever lockout delays, validity or expiry matter, so tests can move it.
 *
 * @module
 */

/**
 * A source of the current time in milliseconds since the epoch.
 *
 * @example
 * ```ts
 * import type { Clock } from 'smartcard-2fa';
 *
 * let now = Date.parse('2026-01-01T00:00:00Z');
 * const clock: Clock = { now: () => now };
 * now += 10_000; // ten seconds later, for everything that reads this clock
 * ```
 *
 * @category Runtime
 */
export interface Clock {
  /** Milliseconds since 1970-01-01T00:00:00Z. */
  now(): number;
}

/**
 * The real clock: `Date.now()`.
 *
 * @example
 * ```ts
 * import { systemClock } from 'smartcard-2fa';
 *
 * const started = systemClock.now();
 * ```
 *
 * @category Runtime
 */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });
