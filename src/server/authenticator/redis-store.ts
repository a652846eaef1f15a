/**
 * {@link RedisChallengeStore}: the challenges of every server instance in one Redis, each taken
 * exactly once by whichever instance receives its answer.
 *
 * @module
 */
import {
  InvalidInputError,
  ServerUnavailableError,
  StateCorruptError,
  TooManyChallengesError,
} from '../../errors.js';
import { decodeStoredChallenge, encodeStoredChallenge, USED } from './redis-record.js';
import type { ChallengeStore, StoredChallenge, TakeResult } from './store.js';

/**
 * What {@link RedisChallengeStore} needs of a Redis client: one command at a time, as an array
 * of strings, answering Redis's reply. A node-redis client (`redis` package, v4 and later) has
 * this method as it is; wrap any other client (ioredis: `{ sendCommand: (args) =>
 * client.call(...args) }`).
 *
 * @example
 * ```ts
 * import type { RedisCommandClient } from 'smartcard-2fa/server';
 *
 * declare const ioredis: { call(command: string, ...args: string[]): Promise<unknown> };
 * const client: RedisCommandClient = {
 *   sendCommand: ([command = '', ...args]) => ioredis.call(command, ...args),
 * };
 * ```
 *
 * @category Server
 */
export interface RedisCommandClient {
  /** Sends one command (`['SET', key, value, ...]`) and answers its reply. */
  sendCommand(args: string[]): Promise<unknown>;
}

/**
 * Options of {@link RedisChallengeStore}.
 *
 * @example
 * ```ts
 * import {
 *   RedisChallengeStore,
 *   type RedisChallengeStoreOptions,
 *   type RedisCommandClient,
 * } from 'smartcard-2fa/server';
 *
 * declare const client: RedisCommandClient;
 * const options: RedisChallengeStoreOptions = {
 *   client,
 *   prefix: 'intranet:challenge:',
 *   timeoutMs: 1_000,
 * };
 * const store = new RedisChallengeStore(options);
 * ```
 *
 * @category Server
 */
export interface RedisChallengeStoreOptions {
  /** The connected client (node-redis as it is, or any {@link RedisCommandClient}). */
  readonly client: RedisCommandClient;
  /** Put before every challenge id to make its key; default `'sc2fa:challenge:'`. */
  readonly prefix?: string;
  /**
   * How long one command may take before the store gives up with `ServerUnavailableError`, in
   * ms, at most 2^31 - 1 (Node's longest timer); default 2 000. A client that queues commands
   * while disconnected would otherwise make a sign-in wait for as long as Redis is down. A take
   * that timed out may still run in Redis later: its challenge is then used, never verified.
   */
  readonly timeoutMs?: number;
}

/** The longest timer Node keeps (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * Consumes a challenge in one step on the Redis server: an open challenge becomes the tombstone
 * `U` with the time it had left (KEEPTTL), so a replay answers `used` until the challenge would
 * have expired, and of any number of concurrent takes on any number of instances only one gets
 * the record.
 */
const TAKE_SCRIPT = `local value = redis.call('GET', KEYS[1])
if not value then return false end
if value == '${USED}' then return '${USED}' end
redis.call('SET', KEYS[1], '${USED}', 'KEEPTTL')
return value`;

/**
 * Challenges in Redis, shared by every server instance: what several processes behind a load
 * balancer use, so a challenge issued by one is verified by another, and a replay sent to any
 * of them is refused.
 *
 * - `take` is one Lua script on the Redis server: of any number of concurrent takes of one id,
 *   on any instances, exactly one answers `taken`; the others answer `used`.
 * - Expiry is Redis's: `put` sets the key to live `expiresAt - now` ms (PX), counted by the
 *   Redis server's clock, so instances whose clocks differ a little agree on when a challenge is
 *   gone; `take` also refuses a record past `expiresAt` by the caller's clock. A taken challenge
 *   stays as a tombstone for the time it had left. `sweep` has nothing to do.
 * - Capacity is Redis's memory. Run it with `maxmemory-policy noeviction`: a full Redis then
 *   refuses new challenges (`TooManyChallengesError`) instead of evicting open ones, as
 *   `MemoryChallengeStore` does; an answer that arrives meanwhile is `ServerUnavailableError`
 *   (the tombstone is a write Redis refuses) and its challenge stays open. With an evicting
 *   policy an evicted challenge answers `unknown`.
 * - A restarted Redis without persistence has forgotten every open challenge: their answers are
 *   refused (`unknown`), and none verifies twice. With RDB snapshots (Debian's default
 *   redis.conf has `save` rules) or a replica promoted after a failover, a restart can bring back
 *   a challenge as it was before its take, and a replayed answer then verifies a second time
 *   (tests/redis/redis-store-attacks.test.ts shows it): run the store's Redis with `save ''`
 *   and no AOF (or AOF with `appendfsync always`), and no failover to an asynchronous replica.
 * - Redis down, or a command slower than `timeoutMs`, is `ServerUnavailableError` (the HTTP
 *   handlers answer 503), never a pass.
 * - What is read back is checked: a value that is not a record this store wrote for that id is
 *   `StateCorruptError`, never a challenge.
 *
 * @example
 * ```ts
 * import { Authenticator, RedisChallengeStore } from 'smartcard-2fa/server';
 * import { createClient } from 'redis';
 *
 * declare const root: Uint8Array;
 * const client = await createClient({ url: 'redis://127.0.0.1:6379' }).connect();
 * const authenticator = new Authenticator({
 *   trustAnchors: [root],
 *   rpId: 'intranet.contoso.com',
 *   store: new RedisChallengeStore({ client }),
 * });
 * ```
 *
 * @category Server
 */
export class RedisChallengeStore implements ChallengeStore {
  readonly #client: RedisCommandClient;
  readonly #prefix: string;
  readonly #timeoutMs: number;

  constructor(options: RedisChallengeStoreOptions) {
    const client = (options as Partial<RedisChallengeStoreOptions> | null)?.client;
    if (typeof client?.sendCommand !== 'function') {
      throw new InvalidInputError('RedisChallengeStore: client must have sendCommand(args).');
    }
    const prefix = options.prefix ?? 'sc2fa:challenge:';
    if (typeof prefix !== 'string' || prefix.length > 200) {
      throw new InvalidInputError(
        'RedisChallengeStore: prefix must be a string of 200 or fewer characters.',
      );
    }
    const timeoutMs = options.timeoutMs ?? 2_000;
    // setTimeout fires at once for more than 2^31 - 1 ms: every command would time out.
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
      throw new InvalidInputError(
        `RedisChallengeStore: timeoutMs must be an integer from 1 to ${MAX_TIMEOUT_MS}.`,
      );
    }
    this.#client = client;
    this.#prefix = prefix;
    this.#timeoutMs = timeoutMs;
  }

  async put(record: StoredChallenge, now: number): Promise<void> {
    const value = encodeStoredChallenge(record);
    const ttl = Math.ceil(record.expiresAt - now);
    if (!Number.isSafeInteger(ttl) || ttl < 1) {
      throw new InvalidInputError('RedisChallengeStore: the challenge has already expired.');
    }
    const reply = await this.#send(['SET', this.#key(record.id), value, 'PX', `${ttl}`, 'NX']);
    // NX: an id already in use is never overwritten (nor its tombstone revived).
    if (reply === null) {
      throw new InvalidInputError(
        `RedisChallengeStore: challenge id ${record.id} is already in use.`,
      );
    }
  }

  async take(id: string, now: number): Promise<TakeResult> {
    if (typeof id !== 'string' || id.length === 0 || id.length > 256) return { status: 'unknown' };
    const reply = await this.#send(['EVAL', TAKE_SCRIPT, '1', this.#key(id)]);
    if (reply === null || reply === undefined) return { status: 'unknown' };
    if (reply === USED) return { status: 'used' };
    if (typeof reply !== 'string') {
      throw new StateCorruptError(
        `RedisChallengeStore: Redis answered a ${typeof reply} for ${id}.`,
      );
    }
    const record = decodeStoredChallenge(reply, id);
    return now < record.expiresAt ? { status: 'taken', record } : { status: 'expired' };
  }

  /** Nothing to do: Redis drops expired challenges and tombstones itself. Answers 0. */
  async sweep(): Promise<number> {
    return 0;
  }

  #key(id: string): string {
    return `${this.#prefix}${id}`;
  }

  /** One command, bounded in time; Redis's faults as the SDK's errors. */
  async #send(args: string[]): Promise<unknown> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ServerUnavailableError(`Redis did not answer ${args[0]} in ${this.#timeoutMs} ms.`),
          ),
        this.#timeoutMs,
      );
    });
    try {
      return await Promise.race([this.#client.sendCommand(args), timeout]);
    } catch (error) {
      if (error instanceof ServerUnavailableError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      // A full Redis refuses a new challenge as the memory store does; a take it refuses (the
      // tombstone is a write) leaves the challenge open: that is an outage, answered 503.
      if (/^OOM\b/.test(message) && args[0] === 'SET') {
        throw new TooManyChallengesError(
          'RedisChallengeStore: Redis is out of memory (maxmemory).',
          {
            cause: error,
          },
        );
      }
      throw new ServerUnavailableError(`RedisChallengeStore: Redis failed ${args[0]}: ${message}`, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }
}
