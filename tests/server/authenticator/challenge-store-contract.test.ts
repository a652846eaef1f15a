/**
 * The ChallengeStore contract on the memory store, and proof that it catches broken stores: one
 * whose take is not atomic, one that forgets taken challenges, one that hands out expired ones.
 * Redis runs the same cases in tests/redis.
 */
import {
  type ChallengeStore,
  MemoryChallengeStore,
  type StoredChallenge,
  type TakeResult,
} from 'smartcard-2fa/server';
import { ContractViolation, challengeStoreContract } from 'smartcard-2fa/testing';
import { describe, expect, it } from 'vitest';

describe('the ChallengeStore contract on MemoryChallengeStore', () => {
  for (const { name, run } of challengeStoreContract({
    makeStore: () => new MemoryChallengeStore(),
  })) {
    it(name, run);
  }
});

/** A store that reads, waits, then marks used: two takes in flight both see the challenge open. */
class RacyStore implements ChallengeStore {
  readonly #records = new Map<string, { record: StoredChallenge; used: boolean }>();
  async put(record: StoredChallenge): Promise<void> {
    this.#records.set(record.id, { record, used: false });
  }
  async take(id: string, now: number): Promise<TakeResult> {
    const entry = this.#records.get(id);
    if (entry === undefined) return { status: 'unknown' };
    const used = entry.used; // read here, written after a wait: the race
    await new Promise((resolve) => setImmediate(resolve));
    if (used) return { status: 'used' };
    if (now >= entry.record.expiresAt) return { status: 'expired' };
    entry.used = true;
    return { status: 'taken', record: entry.record };
  }
  async sweep(): Promise<number> {
    return 0;
  }
}

/** A store that deletes a taken challenge: a replay answers `unknown`, not `used`. */
class ForgetfulStore extends MemoryChallengeStore {
  readonly #taken = new Set<string>();
  override async take(id: string, now: number): Promise<TakeResult> {
    const result = await super.take(id, now);
    if (result.status === 'taken') this.#taken.add(id);
    else if (this.#taken.has(id)) return { status: 'unknown' };
    return result;
  }
}

/** A store that never checks expiry. */
class TimelessStore extends MemoryChallengeStore {
  override async take(id: string): Promise<TakeResult> {
    return super.take(id, 0);
  }
}

async function violations(makeStore: () => ChallengeStore): Promise<string[]> {
  const failed: string[] = [];
  for (const { name, run } of challengeStoreContract({ makeStore })) {
    await run().catch((error: unknown) => {
      expect(error).toBeInstanceOf(ContractViolation);
      expect((error as Error).message).toMatch(/^ChallengeStore contract, case /);
      failed.push(name);
    });
  }
  return failed;
}

describe('the ChallengeStore contract catches broken stores', () => {
  it('a take that is not atomic', async () => {
    expect(await violations(() => new RacyStore())).toEqual([
      'gives a challenge to exactly one of 50 concurrent takes',
    ]);
  });

  it('a store that forgets taken challenges (no tombstone)', async () => {
    const failed = await violations(() => new ForgetfulStore());
    expect(failed).toContain('keeps a challenge and gives back its exact record, once');
  });

  it('a store that hands out expired challenges', async () => {
    expect(await violations(() => new TimelessStore())).toEqual([
      'never gives out an expired challenge',
    ]);
  });
});
