/**
 * The anti-hammering (dictionary-attack) arithmetic of a TPM, as pure functions of a counter, a
 * policy and the time. Nothing here reads a clock or keeps state.
 *
 * @module
 */
import { TpmLockoutError } from '../../errors.js';

/**
 * How a TPM slows down PIN guessing: after `failureThreshold` failed authorizations it locks out
 * for `lockoutMs`, and each further failure doubles the lockout (up to `maxLockoutMs`). One failure
 * is forgiven per `recoveryMs` without a new failure. Every value is an integer; times are in
 * milliseconds.
 *
 * @example
 * ```ts
 * import { type AntiHammeringPolicy, SoftwareTpm } from 'smartcard-2fa/card';
 *
 * // The Windows example policy: 9 failures, then 10 s, 20 s, 40 s, ... of lockout.
 * const policy: AntiHammeringPolicy = {
 *   failureThreshold: 9,
 *   lockoutMs: 10_000,
 *   maxLockoutMs: 24 * 60 * 60 * 1000,
 *   recoveryMs: 2 * 60 * 60 * 1000,
 * };
 * const tpm = await SoftwareTpm.create({ antiHammering: policy });
 * tpm.antiHammering.failureThreshold; // 9
 * ```
 *
 * @category Cards
 */
export interface AntiHammeringPolicy {
  /** The failure that brings the count to this number locks the TPM (1 to 1,000). */
  readonly failureThreshold: number;
  /** The first lockout's length; each further failure doubles it (1 ms to 365 days). */
  readonly lockoutMs: number;
  /** The longest lockout (from `lockoutMs` to 365 days). */
  readonly maxLockoutMs: number;
  /** One failure is forgiven per this much time since the last failure (1 ms to 365 days). */
  readonly recoveryMs: number;
}

/**
 * What an attempt under {@link SoftwareTpm.authorize} reports: whether the secret it checked was
 * wrong (`failed`), and the value `authorize` returns either way.
 *
 * @example
 * ```ts
 * import { SoftwareTpm, type TpmAttemptResult } from 'smartcard-2fa/card';
 *
 * const tpm = await SoftwareTpm.create();
 * const check = async (pin: string): Promise<TpmAttemptResult<string>> =>
 *   pin === '2468' ? { failed: false, value: 'verified' } : { failed: true, value: 'incorrect' };
 * await tpm.authorize(() => check('1111')); // 'incorrect', and the failure stays counted
 * tpm.lockout().failedTries; // 1
 * ```
 *
 * @category Cards
 */
export interface TpmAttemptResult<T> {
  /** The secret was wrong: the failure stays counted. */
  readonly failed: boolean;
  /** What `authorize` returns. */
  readonly value: T;
}

/**
 * The TPM's anti-hammering state at one moment, as `SoftwareTpm.lockout()` reports it.
 *
 * @example
 * ```ts
 * import { SoftwareTpm, type TpmLockoutStatus } from 'smartcard-2fa/card';
 *
 * function explain(status: TpmLockoutStatus): string {
 *   return status.lockedOut
 *     ? `Locked; try again in ${Math.ceil(status.retryAfterMs / 1000)} s.`
 *     : `${status.failedTries} recent failed attempts.`;
 * }
 *
 * const tpm = await SoftwareTpm.create();
 * explain(tpm.lockout()); // '0 recent failed attempts.'
 * ```
 *
 * @category Cards
 */
export interface TpmLockoutStatus {
  /** Failed authorizations still counted (after the ones forgiven by the passing of time). */
  readonly failedTries: number;
  /** Whether the TPM refuses to authorize anything now. */
  readonly lockedOut: boolean;
  /** Milliseconds until the lockout ends; 0 when not locked out. */
  readonly retryAfterMs: number;
}

/**
 * What a TPM keeps about failures: the count, when the last one was counted (`null`: never, or
 * since a clear) and the lockout that failure started (0: none). Internal.
 *
 * @internal
 */
export interface LockoutCounter {
  readonly failedTries: number;
  readonly lastFailureAt: number | null;
  readonly lockoutMs: number;
}

/** A counter with no failure: a new TPM's, or after a clear. @internal */
export const CLEAR_COUNTER: LockoutCounter = Object.freeze({
  failedTries: 0,
  lastFailureAt: null,
  lockoutMs: 0,
});

/**
 * The status at time `now`. Time is measured from the last failure, and a clock that went
 * backwards counts as no time passed, so moving it back never lengthens a lockout.
 *
 * @internal
 */
export function lockoutStatus(
  policy: AntiHammeringPolicy,
  counter: LockoutCounter,
  now: number,
): TpmLockoutStatus {
  if (counter.lastFailureAt === null) {
    return { failedTries: counter.failedTries, lockedOut: false, retryAfterMs: 0 };
  }
  const elapsed = Math.max(0, now - counter.lastFailureAt);
  const forgiven = Math.floor(elapsed / policy.recoveryMs);
  const lockedOut = elapsed < counter.lockoutMs;
  return {
    failedTries: Math.max(0, counter.failedTries - forgiven),
    lockedOut,
    retryAfterMs: lockedOut ? counter.lockoutMs - elapsed : 0,
  };
}

/**
 * The counter after one more failure at `now`: the forgiven failures are dropped, the new one
 * counted, and a lockout started if the count reached the threshold (doubling per failure
 * beyond it, capped at `maxLockoutMs`).
 *
 * @internal
 */
export function countFailure(
  policy: AntiHammeringPolicy,
  counter: LockoutCounter,
  now: number,
): LockoutCounter {
  const failedTries = Math.min(
    Number.MAX_SAFE_INTEGER,
    lockoutStatus(policy, counter, now).failedTries + 1,
  );
  const beyond = failedTries - policy.failureThreshold;
  const lockoutMs =
    beyond < 0 ? 0 : Math.min(policy.maxLockoutMs, policy.lockoutMs * 2 ** Math.min(beyond, 64));
  return { failedTries, lastFailureAt: now, lockoutMs };
}

/** The error `authorize` throws while locked out. @internal */
export function lockoutError(status: TpmLockoutStatus): TpmLockoutError {
  const seconds = Math.ceil(status.retryAfterMs / 1000);
  return new TpmLockoutError(
    `The TPM is locked out after ${status.failedTries} failed attempts; try again in ` +
      `${seconds} s, or have an administrator clear the lockout.`,
    status.retryAfterMs,
  );
}
