/**
 * A `SoftwareTpm`'s anti-hammering: authorizations counted as failures before they run and
 * taken back on success, lockouts, and an administrator's clear. Internal.
 *
 * @module
 */
import type { Clock } from '../../clock.js';
import { InvalidInputError } from '../../errors.js';
import { SerialQueue } from '../../lib/serial-queue.js';
import {
  CLEAR_COUNTER,
  countFailure,
  type LockoutCounter,
  lockoutError,
  lockoutStatus,
  type TpmAttemptResult,
  type TpmLockoutStatus,
} from './lockout.js';
import type { SavedTpm } from './saved-tpm.js';

/**
 * The anti-hammering of one TPM object over its saved data. `authorize` and `clear` run one at
 * a time in call order; an attempt must not call either (it would wait for itself).
 *
 * @internal
 */
export class AntiHammering {
  readonly #saved: SavedTpm;
  readonly #clock: Clock;
  readonly #assertEnabled: () => void;
  readonly #queue = new SerialQueue();

  constructor(saved: SavedTpm, clock: Clock, assertEnabled: () => void) {
    this.#saved = saved;
    this.#clock = clock;
    this.#assertEnabled = assertEnabled;
  }

  /** The state now, without changing anything. */
  status(): TpmLockoutStatus {
    const data = this.#saved.data;
    return lockoutStatus(data.policy, data.counter, this.#now());
  }

  /** See `SoftwareTpm.authorize`. */
  async authorize<T>(attempt: () => Promise<TpmAttemptResult<T>>): Promise<T> {
    if (typeof attempt !== 'function') {
      throw new InvalidInputError('authorize() takes an async function.');
    }
    return this.#queue.run(async () => {
      this.#assertEnabled();
      await this.#saved.update((d) => d); // the failure count as saved now, by any TPM object
      const before = this.#saved.data;
      const now = this.#now();
      const status = lockoutStatus(before.policy, before.counter, now);
      if (status.lockedOut) throw lockoutError(status);
      let prior = before.counter;
      let counted = before.counter;
      await this.#saved.update((d) => {
        prior = d.counter;
        counted = countFailure(d.policy, d.counter, now);
        return { ...d, counter: counted };
      });
      const result: unknown = await attempt();
      const failed = (result as { failed?: unknown } | null | undefined)?.failed;
      if (typeof failed !== 'boolean') {
        throw new InvalidInputError('An authorize() attempt must resolve to { failed, value }.');
      }
      // Taken back only if no other TPM object counted a failure since: never forgive theirs.
      if (!failed) {
        await this.#saved.update((d) =>
          sameCounter(d.counter, counted) ? { ...d, counter: prior } : d,
        );
      }
      return (result as TpmAttemptResult<T>).value;
    });
  }

  /** See `SoftwareTpm.clearLockout`. */
  clear(): Promise<void> {
    return this.#queue.run(async () => {
      this.#assertEnabled();
      await this.#saved.update((d) => ({ ...d, counter: CLEAR_COUNTER }));
    });
  }

  #now(): number {
    const now = this.#clock.now();
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      throw new InvalidInputError('The clock returned something that is not a finite number.');
    }
    return Math.floor(now);
  }
}

function sameCounter(a: LockoutCounter, b: LockoutCounter): boolean {
  return (
    a.failedTries === b.failedTries &&
    a.lastFailureAt === b.lastFailureAt &&
    a.lockoutMs === b.lockoutMs
  );
}
