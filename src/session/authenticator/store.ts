/**
 * Where issued challenges wait for their answer: the {@link ChallengeStore} contract and the
 * in-memory {@link MemoryChallengeStore}.
 *
 * @module
 */
import { InvalidInputError } from '../../errors.js';

/**
 * One issued challenge as a store keeps it.
 *
 * @example
 * ```ts
 * import type { StoredChallenge } from 'smartcard-2fa/session';
 *
 * const expiresIn = (record: StoredChallenge, now: number) => record.expiresAt - now;
 * ```
 */
export interface StoredChallenge {
  /** The challenge id, unique per store. */
  readonly id: string;
  /** The random bytes the card signs. */
  readonly challenge: Uint8Array;
  /** The sign-in address the challenge was issued for. */
  readonly address: string;
  /** When it was issued, ms since 1970. */
  readonly issuedAt: number;
  /** When it stops being accepted, ms since 1970 (exclusive). */
  readonly expiresAt: number;
}

/**
 * What {@link ChallengeStore.take} found: the challenge (now consumed), or why there is none.
 *
 * @example
 * ```ts
 * import type { TakeResult } from 'smartcard-2fa/session';
 *
 * const usable = (result: TakeResult) => result.status === 'taken';
 * ```
 */
export type TakeResult =
  | { readonly status: 'taken'; readonly record: StoredChallenge }
  | { readonly status: 'used' | 'expired' | 'unknown' };

/**
 * A store of issued challenges, shared by every server instance that may receive the answer
 * (a database or Redis for several processes; {@link MemoryChallengeStore} for one).
 *
 * `take` must be atomic: of two concurrent takes of one id, at most one answers `taken`. A
 * taken challenge should answer `used` until it expires (a tombstone), so logs tell a replay
 * from a guess; once swept, any id may answer `unknown`.
 *
 * @example
 * ```ts
 * import type { ChallengeStore, StoredChallenge, TakeResult } from 'smartcard-2fa/session';
 *
 * declare const redis: {
 *   set(key: string, value: string, ...args: unknown[]): Promise<unknown>;
 *   getdel(key: string): Promise<string | null>;
 * };
 * declare function encode(record: StoredChallenge): string;
 * declare function decode(text: string): StoredChallenge;
 *
 * const store: ChallengeStore = {
 *   async put(record) {
 *     await redis.set(`challenge:${record.id}`, encode(record), 'PXAT', record.expiresAt);
 *   },
 *   async take(id, now): Promise<TakeResult> {
 *     const text = await redis.getdel(`challenge:${id}`); // atomic
 *     if (text === null) return { status: 'unknown' };
 *     const record = decode(text);
 *     return now < record.expiresAt ? { status: 'taken', record } : { status: 'expired' };
 *   },
 *   async sweep() {
 *     return 0; // Redis expires keys itself
 *   },
 * };
 * ```
 */
export interface ChallengeStore {
  /** Keeps a new challenge. `now` lets the store sweep expired ones. */
  put(record: StoredChallenge, now: number): Promise<void>;
  /** Atomically consumes the challenge `id`, or says why it cannot be used. */
  take(id: string, now: number): Promise<TakeResult>;
  /** Drops what expired by `now`; answers how many entries were dropped. */
  sweep(now: number): Promise<number>;
}

/**
 * Options of {@link MemoryChallengeStore}.
 *
 * @example
 * ```ts
 * import { MemoryChallengeStore, type MemoryChallengeStoreOptions } from 'smartcard-2fa/session';
 *
 * const options: MemoryChallengeStoreOptions = { maxEntries: 50_000 };
 * const store = new MemoryChallengeStore(options);
 * ```
 */
export interface MemoryChallengeStoreOptions {
  /** The most entries (open challenges and tombstones of used ones) kept; default 10 000. */
  readonly maxEntries?: number;
}

interface Entry {
  readonly record: StoredChallenge;
  used: boolean;
}

/**
 * Challenges in this process's memory: the Authenticator's default. Use one instance per
 * process; with several server processes, implement {@link ChallengeStore} on shared storage.
 *
 * Each `put` first drops expired entries from the oldest on, then, when `maxEntries` are
 * still held, evicts the oldest (open or used): a flood of challenge requests makes older open
 * challenges answer `unknown-challenge` (the user asks again) but never stops new sign-ins and
 * never grows memory without bound. Rate-limit `challenge()` per client in the app. A taken
 * challenge stays as a tombstone until it expires, so a replay answers `used`.
 *
 * @example
 * ```ts
 * import { Authenticator, MemoryChallengeStore } from 'smartcard-2fa/session';
 *
 * declare const root: Uint8Array;
 * const authenticator = new Authenticator({
 *   trustAnchors: [root],
 *   store: new MemoryChallengeStore({ maxEntries: 1_000 }),
 * });
 * ```
 */
export class MemoryChallengeStore implements ChallengeStore {
  readonly #max: number;
  readonly #entries = new Map<string, Entry>();

  constructor(options: MemoryChallengeStoreOptions = {}) {
    const max = options.maxEntries ?? 10_000;
    if (!Number.isInteger(max) || max < 1) {
      throw new InvalidInputError('MemoryChallengeStore: maxEntries must be a positive integer.');
    }
    this.#max = max;
  }

  /** How many entries (open challenges and tombstones) are held now. */
  get size(): number {
    return this.#entries.size;
  }

  async put(record: StoredChallenge, now: number): Promise<void> {
    // Insertion order is (nearly) expiry order: stop at the first live entry.
    for (const [id, entry] of this.#entries) {
      if (entry.record.expiresAt > now) break;
      this.#entries.delete(id);
    }
    for (const id of this.#entries.keys()) {
      if (this.#entries.size < this.#max) break;
      this.#entries.delete(id);
    }
    this.#entries.delete(record.id);
    this.#entries.set(record.id, { record, used: false });
  }

  async take(id: string, now: number): Promise<TakeResult> {
    // No await between the read and the write: concurrent takes cannot both see it unused.
    const entry = this.#entries.get(id);
    if (entry === undefined) return { status: 'unknown' };
    if (entry.used) return { status: 'used' };
    if (now >= entry.record.expiresAt) return { status: 'expired' };
    entry.used = true;
    return { status: 'taken', record: entry.record };
  }

  async sweep(now: number): Promise<number> {
    let dropped = 0;
    for (const [id, entry] of this.#entries) {
      if (entry.record.expiresAt > now) continue;
      this.#entries.delete(id);
      dropped++;
    }
    return dropped;
  }
}
