/**
 * The `ChallengeStore` contract: what every store of issued challenges must do (the memory
 * store, Redis, a database), as runner-neutral cases like the SmartCard contract's.
 *
 * @module
 */
import type { ChallengeStore, StoredChallenge, TakeResult } from '../server/index.js';
import type { ContractCase } from './contract/suite.js';
import { ContractViolation, describeValue } from './contract/violation.js';

/**
 * Options of {@link challengeStoreContract}.
 *
 * @example
 * ```ts
 * import { MemoryChallengeStore } from 'smartcard-2fa/server';
 * import { type ChallengeStoreContractOptions, challengeStoreContract } from 'smartcard-2fa/testing';
 *
 * const options: ChallengeStoreContractOptions = { makeStore: () => new MemoryChallengeStore() };
 * const cases = challengeStoreContract(options);
 * ```
 *
 * @category Testing
 */
export interface ChallengeStoreContractOptions {
  /**
   * A fresh, empty store for one case (several stores on one Redis need their own prefixes, or
   * ids that never meet: the cases use random ids).
   */
  readonly makeStore: () => ChallengeStore | Promise<ChallengeStore>;
  /** How many concurrent takes the once-only case races; default 50. */
  readonly concurrentTakes?: number;
  /**
   * Stores that expire by a clock of their own (Redis's) get the challenges' lifetimes from
   * `now`; the cases use times around the real clock so both kinds agree. Default `Date.now`.
   */
  readonly now?: () => number;
}

type Check = (caseName: string, check: string, expected: string, actual: unknown) => never;

const fail: Check = (caseName, check, expected, actual) => {
  throw new ContractViolation({
    caseName,
    check,
    expected,
    actual: describeValue(actual),
    contract: 'ChallengeStore',
  });
};

/** A challenge record with a random id, living `ttl` ms from `now`. */
function record(now: number, ttl = 60_000, address = 'alice@contoso.com'): StoredChallenge {
  const id = Array.from(crypto.getRandomValues(new Uint8Array(18)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  return {
    id,
    challenge: crypto.getRandomValues(new Uint8Array(32)),
    address,
    issuedAt: now,
    expiresAt: now + ttl,
  };
}

function sameRecord(a: StoredChallenge, b: StoredChallenge): boolean {
  return (
    a.id === b.id &&
    a.address === b.address &&
    a.issuedAt === b.issuedAt &&
    a.expiresAt === b.expiresAt &&
    a.challenge.length === b.challenge.length &&
    a.challenge.every((byte, i) => byte === b.challenge[i])
  );
}

/**
 * The cases of the `ChallengeStore` contract: a put challenge is taken once with its exact
 * record; a second take answers `used`; concurrent takes yield exactly one `taken`; an unknown
 * id answers `unknown`, an expired challenge `expired` (or `unknown` once dropped), never
 * `taken`; challenges are independent; `sweep` answers a count and keeps open challenges. Each
 * case makes its own store and rejects with a `ContractViolation` naming what broke.
 *
 * @example
 * ```ts
 * import { MemoryChallengeStore } from 'smartcard-2fa/server';
 * import { challengeStoreContract } from 'smartcard-2fa/testing';
 *
 * for (const { name, run } of challengeStoreContract({ makeStore: () => new MemoryChallengeStore() })) {
 *   await run(); // throws a ContractViolation when the store breaks the contract
 *   console.log(`ok: ${name}`);
 * }
 * ```
 *
 * @category Testing
 */
export function challengeStoreContract(
  options: ChallengeStoreContractOptions,
): readonly ContractCase[] {
  const clock = options.now ?? Date.now;
  const racers = options.concurrentTakes ?? 50;
  const cases: [string, (store: ChallengeStore, name: string) => Promise<void>][] = [
    [
      'keeps a challenge and gives back its exact record, once',
      async (store, name) => {
        const now = clock();
        const put = record(now);
        await store.put(put, now);
        const first = await store.take(put.id, now + 1);
        if (first.status !== 'taken' || !sameRecord(first.record, put)) {
          fail(name, 'the first take', `taken with the record put`, first);
        }
        const second = await store.take(put.id, now + 2);
        if (second.status !== 'used') fail(name, 'a second take (a replay)', 'used', second);
      },
    ],
    [
      `gives a challenge to exactly one of ${racers} concurrent takes`,
      async (store, name) => {
        const now = clock();
        const put = record(now);
        await store.put(put, now);
        const results = await Promise.all(
          Array.from({ length: racers }, () => store.take(put.id, now + 1)),
        );
        const taken = results.filter((result) => result.status === 'taken').length;
        const used = results.filter((result) => result.status === 'used').length;
        if (taken !== 1 || used !== racers - 1) {
          fail(name, 'the concurrent takes', `1 taken and ${racers - 1} used`, {
            taken,
            used,
            other: racers - taken - used,
          });
        }
      },
    ],
    [
      'answers unknown for an id never put',
      async (store, name) => {
        const now = clock();
        const result = await store.take(record(now).id, now);
        if (result.status !== 'unknown') fail(name, 'a take of a new id', 'unknown', result);
      },
    ],
    [
      'never gives out an expired challenge',
      async (store, name) => {
        const now = clock();
        const put = record(now, 1_000);
        await store.put(put, now);
        const result: TakeResult = await store.take(put.id, put.expiresAt);
        if (result.status === 'taken' || result.status === 'used') {
          fail(name, 'a take at expiresAt', 'expired (or unknown once dropped)', result);
        }
      },
    ],
    [
      'keeps challenges apart: taking one leaves the others open',
      async (store, name) => {
        const now = clock();
        const records = [record(now), record(now, 60_000, 'bob@contoso.com'), record(now)];
        for (const put of records) await store.put(put, now);
        const [a, b, c] = records as [StoredChallenge, StoredChallenge, StoredChallenge];
        await store.take(b.id, now + 1);
        for (const put of [a, c]) {
          const result = await store.take(put.id, now + 1);
          if (result.status !== 'taken' || !sameRecord(result.record, put)) {
            fail(name, `the take of ${put.id} after another was taken`, 'its own record', result);
          }
        }
      },
    ],
    [
      'sweeps with a count and keeps open challenges',
      async (store, name) => {
        const now = clock();
        const open = record(now);
        await store.put(open, now);
        const swept = await store.sweep(now + 1);
        if (!Number.isSafeInteger(swept) || swept < 0) {
          fail(name, 'sweep', 'a count of 0 or more', swept);
        }
        const result = await store.take(open.id, now + 2);
        if (result.status !== 'taken') fail(name, 'a take after sweep', 'taken', result);
      },
    ],
  ];
  return cases.map(([name, check]) => ({
    name,
    run: async () => check(await options.makeStore(), name),
  }));
}
