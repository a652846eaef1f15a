/**
 * Where issued challenges wait for their answer: the {@link ChallengeStore} contract and the
 * in-memory {@link MemoryChallengeStore}.
 *
 * @module
 */
import { InvalidInputError, TooManyChallengesError } from '../../errors.js';

/**
 * One issued challenge as a store keeps it.
 *
 * @example
 * ```ts
 * import { MemoryChallengeStore, type StoredChallenge } from 'smartcard-2fa/server';
 *
 * const store = new MemoryChallengeStore();
 * const now = Date.now();
 * const record: StoredChallenge = {
 *   id: 'c-0001',
 *   challenge: crypto.getRandomValues(new Uint8Array(32)),
 *   address: 'alice@contoso.com',
 *   issuedAt: now,
 *   expiresAt: now + 60_000,
 * };
 * await store.put(record, now);
 * const taken = await store.take(record.id, now + 1_000); // { status: 'taken', record }
 * ```
 *
 * @category Server
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
 * import {
 *   Authenticator,
 *   type ChallengeStore,
 *   MemoryChallengeStore,
 *   type TakeResult,
 * } from 'smartcard-2fa/server';
 *
 * declare const rootCa: Uint8Array;
 * // A store that logs replays: an answer sent again after it was used.
 * const inner = new MemoryChallengeStore();
 * const store: ChallengeStore = {
 *   put: (record, now) => inner.put(record, now),
 *   sweep: (now) => inner.sweep(now),
 *   async take(id, now) {
 *     const result: TakeResult = await inner.take(id, now);
 *     if (result.status === 'used') console.warn(`challenge ${id} answered twice`);
 *     return result;
 *   },
 * };
 * const authenticator = new Authenticator({ trustAnchors: [rootCa], rpId: 'contoso.com', store });
 * ```
 *
 * @category Server
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
 * import type { ChallengeStore, StoredChallenge, TakeResult } from 'smartcard-2fa/server';
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
 *
 * @category Server
 */
export interface ChallengeStore {
  /**
   * Keeps a new challenge. `now` lets the store sweep expired ones. A full store throws
   * `TooManyChallengesError` rather than drop a challenge that is still open.
   */
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
 * import { MemoryChallengeStore, type MemoryChallengeStoreOptions } from 'smartcard-2fa/server';
 *
 * const options: MemoryChallengeStoreOptions = { capacity: 50_000 };
 * const store = new MemoryChallengeStore(options);
 * ```
 *
 * @category Server
 */
export interface MemoryChallengeStoreOptions {
  /**
   * The most entries held (open challenges, and tombstones of answered ones until they expire);
   * default 10 000. Past it, `put` throws `TooManyChallengesError`.
   */
  readonly capacity?: number;
}

interface Entry {
  readonly record: StoredChallenge;
  used: boolean;
  /** The entry put after this one: the expiry queue is a linked list. */
  next: Entry | undefined;
}

/** The most queue entries one `put` looks at to drop expired ones (a bound on its work). */
const DROP_PER_PUT = 32;

/**
 * Challenges in this process's memory: the Authenticator's default. Use one instance per
 * process; with several server processes, implement {@link ChallengeStore} on shared storage.
 *
 * `put` and `take` take constant time, however many challenges are open or expire at once: a
 * `Map` by id, and a queue of entries in the order they were put, which is the order they
 * expire in when every challenge lives as long (one Authenticator's `challengeTtlMs`). `put`
 * drops expired entries from the head of the queue (a bounded number each time, more only when
 * that makes room), then, when `capacity` entries are still held,
 * **refuses** the new challenge (`TooManyChallengesError`) rather than evict one a user may be
 * answering: a flood of challenge requests cannot make honest users' challenges unknown, it can
 * only delay new sign-ins until its own challenges expire. Rate-limit `challenge()` per client
 * so that one client cannot fill the store. A taken challenge stays as a tombstone until it
 * expires, so a replay answers `used`.
 *
 * @example
 * ```ts
 * import { Authenticator, MemoryChallengeStore } from 'smartcard-2fa/server';
 *
 * declare const root: Uint8Array;
 * const authenticator = new Authenticator({
 *   trustAnchors: [root],
 *   rpId: 'intranet.contoso.com',
 *   store: new MemoryChallengeStore({ capacity: 1_000 }),
 * });
 * ```
 *
 * @category Server
 */
export class MemoryChallengeStore implements ChallengeStore {
  readonly #capacity: number;
  readonly #entries = new Map<string, Entry>();
  /** The expiry queue, oldest first: entries in the order they were put. */
  #first: Entry | undefined;
  #last: Entry | undefined;

  constructor(options: MemoryChallengeStoreOptions = {}) {
    const capacity = (options as MemoryChallengeStoreOptions | null)?.capacity ?? 10_000;
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new InvalidInputError('MemoryChallengeStore: capacity must be a positive integer.');
    }
    this.#capacity = capacity;
  }

  /** How many entries (open challenges and tombstones) are held now. */
  get size(): number {
    return this.#entries.size;
  }

  async put(record: StoredChallenge, now: number): Promise<void> {
    // A bounded step of expiry, so no put stalls when many challenges expire at once; more
    // only while the store is full and the oldest entry has expired.
    this.#dropExpired(now, DROP_PER_PUT);
    while (this.#entries.size >= this.#capacity && this.#dropExpired(now, 1) > 0) {}
    if (!this.#entries.has(record.id) && this.#entries.size >= this.#capacity) {
      throw new TooManyChallengesError(
        `MemoryChallengeStore: ${this.#capacity} challenges are open; try again when some expire.`,
      );
    }
    const entry: Entry = { record, used: false, next: undefined };
    this.#entries.set(record.id, entry); // a replaced entry stays queued but is no longer held
    if (this.#last === undefined) this.#first = entry;
    else this.#last.next = entry;
    this.#last = entry;
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
    return this.#dropExpired(now, Number.POSITIVE_INFINITY);
  }

  /**
   * Unlinks expired entries from the head of the queue, looking at `limit` at most; answers how
   * many held entries it dropped.
   */
  #dropExpired(now: number, limit: number): number {
    let dropped = 0;
    for (let looked = 0; looked < limit; looked++) {
      const entry = this.#first;
      if (entry === undefined || entry.record.expiresAt > now) break;
      this.#first = entry.next;
      if (this.#first === undefined) this.#last = undefined;
      entry.next = undefined;
      if (this.#entries.get(entry.record.id) === entry) {
        this.#entries.delete(entry.record.id);
        dropped++;
      }
    }
    return dropped;
  }
}
