import { describe, expect, it } from 'vitest';
import { SmartCardError } from '../../src/errors.js';
import {
  Authenticator,
  MemoryChallengeStore,
  type StoredChallenge,
} from '../../src/session/authenticator/index.js';
import { signInMessage } from '../../src/session/authenticator/message.js';
import { testCa, testClock } from '../enrollment/support/ca.js';

/** The challenge store, the message format, and input checks: no cards needed. */
function record(id: string, issuedAt: number, ttl = 1_000): StoredChallenge {
  return {
    id,
    challenge: new Uint8Array(32),
    address: 'a@b.test',
    issuedAt,
    expiresAt: issuedAt + ttl,
  };
}

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'returned';
  } catch (error) {
    return SmartCardError.is(error) ? error.code : 'other';
  }
}

describe('MemoryChallengeStore', () => {
  it('takes a challenge once, then reports it used; expired and unknown ids', async () => {
    const store = new MemoryChallengeStore();
    await store.put(record('one', 0), 0);
    await store.put(record('two', 0), 0);
    expect((await store.take('one', 10)).status).toBe('taken');
    expect((await store.take('one', 10)).status).toBe('used');
    expect((await store.take('two', 1_000)).status).toBe('expired');
    expect((await store.take('nope', 10)).status).toBe('unknown');
  });

  it('concurrent takes of one id: exactly one wins', async () => {
    const store = new MemoryChallengeStore();
    await store.put(record('one', 0), 0);
    const results = await Promise.all(Array.from({ length: 5 }, () => store.take('one', 1)));
    expect(results.map((r) => r.status).sort()).toEqual(['taken', 'used', 'used', 'used', 'used']);
  });

  it('sweeps expired entries on each put, and on sweep()', async () => {
    const store = new MemoryChallengeStore();
    await store.put(record('old', 0), 0);
    await store.put(record('used', 0), 0);
    await store.take('used', 1);
    expect(store.size).toBe(2);
    await store.put(record('new', 1_000), 1_000);
    expect(store.size).toBe(1);
    expect(await store.sweep(5_000)).toBe(1);
    expect(store.size).toBe(0);
  });

  it('holds at most maxEntries, evicting the oldest', async () => {
    const store = new MemoryChallengeStore({ maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) await store.put(record(id, 0), 0);
    expect(store.size).toBe(2);
    expect((await store.take('a', 1)).status).toBe('unknown');
    expect((await store.take('c', 1)).status).toBe('taken');
    expect(codeOf(() => new MemoryChallengeStore({ maxEntries: 0 }))).toBe('ERR_INVALID_INPUT');
  });

  it('bounds the Authenticator: the oldest open challenge becomes unknown', async () => {
    const ca = await testCa();
    const store = new MemoryChallengeStore({ maxEntries: 2 });
    const auth = new Authenticator({ trustAnchors: [ca.root], store, clock: testClock() });
    const first = await auth.challenge({ address: 'alice@contoso.test' });
    await auth.challenge({ address: 'alice@contoso.test' });
    await auth.challenge({ address: 'alice@contoso.test' });
    expect(store.size).toBe(2);
    const result = await auth.verify({
      id: first.id,
      signature: new Uint8Array(64),
      certificate: ca.root,
    });
    expect(result).toMatchObject({ verified: false, reason: 'unknown-challenge' });
  });
});

describe('Authenticator inputs', () => {
  it('issues 32 random bytes with a fresh id and an expiry', async () => {
    const ca = await testCa();
    const clock = testClock();
    const auth = new Authenticator({ trustAnchors: [ca.root], clock, challengeTtlMs: 30_000 });
    const a = await auth.challenge({ address: 'alice@contoso.test' });
    const b = await auth.challenge({ address: ' Alice@Contoso.Test ' });
    expect(a.challenge).toHaveLength(32);
    expect(a.id).not.toBe(b.id);
    expect(a.challenge).not.toEqual(b.challenge);
    expect(a.expiresAt).toBe(clock.now() + 30_000);
  });

  it('refuses an address that is not e-mail-like, and bad options', async () => {
    const ca = await testCa();
    const auth = new Authenticator({ trustAnchors: [ca.root] });
    for (const address of ['', 'alice', 'alice@', '@contoso.test', 'a b@c.test', 'a@b..c', 7]) {
      const error = await auth.challenge({ address: address as string }).catch((e: unknown) => e);
      expect(SmartCardError.is(error, 'ERR_INVALID_INPUT'), String(address)).toBe(true);
    }
    const make = (options: object) => () =>
      new Authenticator({ trustAnchors: [ca.root], ...options });
    expect(codeOf(make({ trustAnchors: [] }))).toBe('ERR_INVALID_INPUT');
    expect(codeOf(make({ challengeTtlMs: 0 }))).toBe('ERR_INVALID_INPUT');
    expect(codeOf(make({ rpId: 'a\0b' }))).toBe('ERR_INVALID_INPUT');
    expect(codeOf(make({ crls: 'x' }))).toBe('ERR_INVALID_INPUT');
  });

  it('answers a malformed response with a reason, consuming nothing', async () => {
    const ca = await testCa();
    const auth = new Authenticator({ trustAnchors: [ca.root], clock: testClock() });
    const { id } = await auth.challenge({ address: 'alice@contoso.test' });
    const ok = { id, signature: new Uint8Array(64), certificate: ca.root };
    for (const bad of [
      null,
      { ...ok, id: 5 },
      { ...ok, signature: 'sig' },
      { ...ok, signature: new Uint8Array(2_000) },
      { ...ok, certificate: new Uint8Array(0) },
      { ...ok, intermediates: [ca.root, 'x'] },
    ]) {
      const result = await auth.verify(bad as never);
      expect(result).toMatchObject({ verified: false, reason: 'malformed-response' });
    }
    const result = await auth.verify(ok);
    expect(result).toMatchObject({ verified: false, reason: 'certificate-invalid' });
  });

  it('the signed message separates the context, the service, the id and the challenge', () => {
    const message = signInMessage('svc', 'id1', new Uint8Array([1, 2]));
    const text = 'smartcard-2fa sign-in v1\0svc\0id1\0';
    expect(Array.from(message)).toEqual([...Array.from(text, (c) => c.charCodeAt(0)), 1, 2]);
  });
});
