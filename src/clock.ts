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
 * import { MemoryChallengeStore } from 'smartcard-2fa/server';
 *
 * const store = new MemoryChallengeStore();
 * // Drop expired challenges once a minute, by the real clock (every default clock is this one).
 * setInterval(async () => {
 *   const dropped = await store.sweep(systemClock.now());
 *   if (dropped > 0) console.log(`${dropped} expired challenges dropped`);
 * }, 60_000);
 * ```
 *
 * @category Runtime
 */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });
