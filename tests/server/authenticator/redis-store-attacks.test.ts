/**
 * Attacks on RedisChallengeStore's options and error mapping that need no Redis: a client
 * stands in for one (the real-server attacks are in tests/redis/redis-store-attacks.test.ts).
 */
import { RedisChallengeStore, type RedisCommandClient } from 'smartcard-2fa/server';
import { describe, expect, it } from 'vitest';

describe('RedisChallengeStore options and faults', () => {
  it('refuses a timeoutMs Node cannot keep (over 2^31 - 1 ms fires at once)', () => {
    const client: RedisCommandClient = { sendCommand: async () => 'OK' };
    for (const timeoutMs of [2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
      expect(() => new RedisChallengeStore({ client, timeoutMs })).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
      );
    }
    expect(() => new RedisChallengeStore({ client, timeoutMs: 2 ** 31 - 1 })).not.toThrow();
  });

  it("maps Redis's OOM on a take to ERR_SERVER_UNAVAILABLE, on a put to ERR_TOO_MANY_CHALLENGES", async () => {
    const oom = new Error("OOM command not allowed when used memory > 'maxmemory'.");
    const client: RedisCommandClient = {
      sendCommand: async () => {
        throw oom;
      },
    };
    const store = new RedisChallengeStore({ client });
    const now = Date.now();
    const record = {
      id: 'abc',
      challenge: new Uint8Array(32),
      address: 'alice@contoso.com',
      issuedAt: now,
      expiresAt: now + 60_000,
    };
    await expect(store.put(record, now)).rejects.toMatchObject({ code: 'ERR_TOO_MANY_CHALLENGES' });
    await expect(store.take('abc', now)).rejects.toMatchObject({ code: 'ERR_SERVER_UNAVAILABLE' });
  });
});
