/**
 * Rate limiting of challenge issuance: a token bucket per client key, in bounded memory (the
 * least recently seen keys are forgotten first).
 */
import { type Clock, systemClock } from '../../clock.js';
import { InvalidInputError } from '../../errors.js';

/**
 * How many challenges a client may ask for: `burst` at once, then `perMinute` on average;
 * `maxKeys` clients are remembered (default 10 000), the least recently seen forgotten first.
 *
 * @example
 * ```ts
 * import { ChallengeRateLimiter, type RateLimitOptions } from 'smartcard-2fa/server';
 *
 * const options: RateLimitOptions = { burst: 5, perMinute: 10, maxKeys: 50_000 };
 * const limiter = new ChallengeRateLimiter(options);
 * console.log(limiter.take('203.0.113.7').outcome); // 'allowed'
 * ```
 *
 * @category Server
 */
export interface RateLimitOptions {
  /** Challenges a client may ask for at once; default 5. */
  readonly burst?: number;
  /** Challenges a client may ask for per minute after the burst; default 10. */
  readonly perMinute?: number;
  /** How many client keys are remembered; default 10 000. */
  readonly maxKeys?: number;
  /** The clock; default the system's. */
  readonly clock?: Clock;
}

/**
 * What {@link ChallengeRateLimiter.take} decided: allowed, or `rate-limited` with the seconds
 * until the next token (the `Retry-After` header's value).
 *
 * @example
 * ```ts
 * import { ChallengeRateLimiter, type RateLimitOutcome } from 'smartcard-2fa/server';
 *
 * const limiter = new ChallengeRateLimiter({ burst: 1 });
 * limiter.take('client');
 * const outcome: RateLimitOutcome = limiter.take('client');
 * if (outcome.outcome === 'rate-limited') console.log(`retry in ${outcome.retryAfterSeconds} s`);
 * ```
 *
 * @category Server
 */
export type RateLimitOutcome =
  | { readonly outcome: 'allowed' }
  | { readonly outcome: 'rate-limited'; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per client key. One instance per process; several instances behind a load
 * balancer each count their own clients.
 *
 * @example
 * ```ts
 * import { ChallengeRateLimiter } from 'smartcard-2fa/server';
 *
 * const limiter = new ChallengeRateLimiter({ burst: 2, perMinute: 6 });
 * const outcomes = [1, 2, 3].map(() => limiter.take('198.51.100.4').outcome);
 * console.log(outcomes); // ['allowed', 'allowed', 'rate-limited']
 * ```
 *
 * @category Server
 */
export class ChallengeRateLimiter {
  readonly #burst: number;
  readonly #perMs: number;
  readonly #maxKeys: number;
  readonly #clock: Clock;
  /** Insertion order is recency: a key seen again moves to the end. */
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: RateLimitOptions = {}) {
    this.#burst = positive(options.burst ?? 5, 'burst');
    this.#perMs = positive(options.perMinute ?? 10, 'perMinute') / 60_000;
    this.#maxKeys = positive(options.maxKeys ?? 10_000, 'maxKeys');
    this.#clock = options.clock ?? systemClock;
  }

  /** Takes a token for `key`, or says how long the client must wait. */
  take(key: string): RateLimitOutcome {
    const now = this.#clock.now();
    const known = this.#buckets.get(key);
    const bucket = known ?? { tokens: this.#burst, updatedAt: now };
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(this.#burst, bucket.tokens + elapsed * this.#perMs);
    bucket.updatedAt = now;
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    this.#forgetOldest();
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { outcome: 'allowed' };
    }
    const waitMs = (1 - bucket.tokens) / this.#perMs;
    return { outcome: 'rate-limited', retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** How many client keys are remembered now. */
  get size(): number {
    return this.#buckets.size;
  }

  #forgetOldest(): void {
    while (this.#buckets.size > this.#maxKeys) {
      const oldest = this.#buckets.keys().next().value as string;
      this.#buckets.delete(oldest);
    }
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidInputError(`ChallengeRateLimiter: ${name} must be a positive number.`);
  }
  return value;
}
