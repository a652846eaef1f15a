import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors.js';
import { ChallengeRateLimiter } from '../../../src/server/index.js';
import { testClock } from '../../enrollment/support/ca.js';

describe('ChallengeRateLimiter (a token bucket per client)', () => {
  it('allows the burst, then one challenge per refill interval, with Retry-After seconds', () => {
    const clock = testClock();
    const limiter = new ChallengeRateLimiter({ burst: 2, perMinute: 6, clock });
    expect(limiter.take('a').outcome).toBe('allowed');
    expect(limiter.take('a').outcome).toBe('allowed');
    expect(limiter.take('a')).toEqual({ outcome: 'rate-limited', retryAfterSeconds: 10 });
    clock.advance(4_000);
    expect(limiter.take('a')).toEqual({ outcome: 'rate-limited', retryAfterSeconds: 6 });
    clock.advance(6_000);
    expect(limiter.take('a').outcome).toBe('allowed');
    expect(limiter.take('a').outcome).toBe('rate-limited');
  });

  it('counts each key on its own and refills no higher than the burst', () => {
    const clock = testClock();
    const limiter = new ChallengeRateLimiter({ burst: 1, perMinute: 60, clock });
    expect(limiter.take('a').outcome).toBe('allowed');
    expect(limiter.take('b').outcome).toBe('allowed');
    clock.advance(3_600_000);
    expect(limiter.take('a').outcome).toBe('allowed');
    expect(limiter.take('a').outcome).toBe('rate-limited');
  });

  it('keeps at most maxKeys keys, forgetting the least recently seen', () => {
    const clock = testClock();
    const limiter = new ChallengeRateLimiter({ burst: 1, maxKeys: 2, clock });
    limiter.take('a');
    limiter.take('b');
    limiter.take('a'); // a is now the most recent
    limiter.take('c'); // b is forgotten
    expect(limiter.size).toBe(2);
    expect(limiter.take('a').outcome).toBe('rate-limited');
    expect(limiter.take('b').outcome).toBe('allowed'); // a fresh bucket: b was forgotten
    for (let i = 0; i < 1000; i++) limiter.take(`key-${i}`);
    expect(limiter.size).toBe(2);
  });

  it('refuses options that are not positive numbers', () => {
    expect(() => new ChallengeRateLimiter({ burst: 0 })).toThrow(InvalidInputError);
    expect(() => new ChallengeRateLimiter({ perMinute: Number.NaN })).toThrow(InvalidInputError);
  });
});
