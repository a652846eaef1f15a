/**
 * RedisChallengeStore against a real redis-server (Debian's, started by scripts/redis): the
 * ChallengeStore contract, one take of many concurrent ones from separate connections, what a
 * tampered value, a restart and Redis down do, and Redis's own expiry.
 */
import { randomUUID } from 'node:crypto';
import { RedisChallengeStore, type StoredChallenge } from 'smartcard-2fa/server';
import { challengeStoreContract } from 'smartcard-2fa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectClient,
  missingForRedis,
  startRedis,
  type TestRedis,
} from './support/redis-server.js';

const missing = missingForRedis();
if (missing) console.warn(`skipping the Redis challenge store tests: ${missing}`);

describe.skipIf(missing !== '')('RedisChallengeStore on redis-server', () => {
  let redis: TestRedis;
  let client: Awaited<ReturnType<typeof connectClient>>;
  const store = (prefix = `t:${randomUUID()}:`) => new RedisChallengeStore({ client, prefix });

  beforeAll(async () => {
    redis = await startRedis();
    client = await connectClient(redis);
  });
  afterAll(async () => {
    client?.destroy();
    await redis?.dispose();
  });

  const record = (now: number, ttl = 60_000): StoredChallenge => ({
    id: randomUUID(),
    challenge: crypto.getRandomValues(new Uint8Array(32)),
    address: 'alice@contoso.com',
    issuedAt: now,
    expiresAt: now + ttl,
  });

  describe('the ChallengeStore contract', () => {
    for (const { name, run } of challengeStoreContract({ makeStore: () => store() })) {
      it(name, run);
    }
  });

  it('gives a challenge to one of 200 takes from 4 connections', async () => {
    const prefix = `t:${randomUUID()}:`;
    const clients = await Promise.all([1, 2, 3, 4].map(() => connectClient(redis)));
    try {
      const stores = clients.map((c) => new RedisChallengeStore({ client: c, prefix }));
      const now = Date.now();
      const put = record(now);
      await store(prefix).put(put, now);
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => stores[i % 4]?.take(put.id, now + 1)),
      );
      expect(results.filter((r) => r?.status === 'taken')).toHaveLength(1);
      expect(results.filter((r) => r?.status === 'used')).toHaveLength(199);
    } finally {
      for (const c of clients) c.destroy();
    }
  });

  it('lets Redis expire challenges (PX from the put) and keeps the tombstone as long', async () => {
    const prefix = `t:${randomUUID()}:`;
    const now = Date.now();
    const put = record(now, 120_000);
    await store(prefix).put(put, now);
    const ttl = Number(await client.sendCommand(['PTTL', `${prefix}${put.id}`]));
    expect(ttl).toBeGreaterThan(100_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
    await store(prefix).take(put.id, now + 1);
    expect(await client.sendCommand(['GET', `${prefix}${put.id}`])).toBe('U');
    expect(Number(await client.sendCommand(['PTTL', `${prefix}${put.id}`]))).toBeGreaterThan(
      100_000,
    );
    const short = record(now, 50);
    await store(prefix).put(short, now);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await store(prefix).take(short.id, Date.now())).toEqual({ status: 'unknown' });
  });

  it('refuses to put an id twice, and an expired record', async () => {
    const s = store();
    const now = Date.now();
    const put = record(now);
    await s.put(put, now);
    await expect(s.put({ ...put, address: 'mallory@contoso.com' }, now)).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
    });
    await s.take(put.id, now);
    await expect(s.put(put, now)).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    await expect(s.put(record(now - 120_000), now)).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
    });
  });

  it('never turns a tampered value into a challenge: ERR_STATE_CORRUPT', async () => {
    const prefix = `t:${randomUUID()}:`;
    const s = store(prefix);
    const now = Date.now();
    const a = record(now);
    const b = record(now);
    await s.put(a, now);
    await s.put(b, now);
    // Another id's record copied under this id; then not a record at all.
    const other = await client.sendCommand(['GET', `${prefix}${b.id}`]);
    await client.sendCommand(['SET', `${prefix}${a.id}`, String(other)]);
    await expect(s.take(a.id, now)).rejects.toMatchObject({ code: 'ERR_STATE_CORRUPT' });
    await client.sendCommand(['SET', `${prefix}${b.id}`, 'C1:{"id":']);
    await expect(s.take(b.id, now)).rejects.toMatchObject({ code: 'ERR_STATE_CORRUPT' });
  });

  it('a full Redis (noeviction) refuses new challenges: ERR_TOO_MANY_CHALLENGES', async () => {
    const s = store();
    const now = Date.now();
    await client.sendCommand(['CONFIG', 'SET', 'maxmemory', '1']);
    try {
      await expect(s.put(record(now), now)).rejects.toMatchObject({
        code: 'ERR_TOO_MANY_CHALLENGES',
      });
    } finally {
      await client.sendCommand(['CONFIG', 'SET', 'maxmemory', '0']);
    }
  });

  it('forgets open challenges when Redis restarts, and is unavailable while it is down', async () => {
    const prefix = `t:${randomUUID()}:`;
    const s = new RedisChallengeStore({ client, prefix, timeoutMs: 500 });
    const now = Date.now();
    const open = record(now);
    await s.put(open, now);
    await redis.stop();
    await expect(s.take(open.id, now)).rejects.toMatchObject({ code: 'ERR_SERVER_UNAVAILABLE' });
    await expect(s.put(record(now), now)).rejects.toMatchObject({ code: 'ERR_SERVER_UNAVAILABLE' });
    await redis.start();
    // The client reconnects by itself; the restarted Redis has nothing.
    let result: Awaited<ReturnType<typeof s.take>> | undefined;
    for (let attempt = 0; attempt < 50 && result === undefined; attempt++) {
      result = await s.take(open.id, now).catch(() => undefined);
      if (result === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(result).toEqual({ status: 'unknown' });
  });
});
