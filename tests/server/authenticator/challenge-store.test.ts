import { describe, expect, it } from 'vitest';
import { signInMessage } from '../../../src/challenge/signed-message.js';
import { SmartCardError } from '../../../src/errors.js';
import {
  Authenticator,
  MemoryChallengeStore,
  type StoredChallenge,
} from '../../../src/server/index.js';
import { testCa, testClock } from '../../enrollment/support/ca.js';
import { codeOfSync } from '../../support/errors.js';

/** The challenge store, the message format, and input checks: no cards needed. */
const RP_ID = 'intranet.contoso.test';

function record(id: string, issuedAt: number, ttl = 1_000): StoredChallenge {
  return {
    id,
    challenge: new Uint8Array(32),
    address: 'a@b.test',
    issuedAt,
    expiresAt: issuedAt + ttl,
  };
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

  it('holds at most capacity entries: a full store refuses, it never evicts an open one', async () => {
    const store = new MemoryChallengeStore({ capacity: 2 });
    await store.put(record('a', 0), 0);
    await store.put(record('b', 0), 0);
    const refused = await store.put(record('c', 0), 0).catch((e: unknown) => e);
    expect(SmartCardError.is(refused, 'ERR_TOO_MANY_CHALLENGES')).toBe(true);
    expect(store.size).toBe(2);
    expect((await store.take('c', 1)).status).toBe('unknown');
    expect((await store.take('a', 1)).status).toBe('taken');
    // Once they expire there is room again.
    await store.put(record('d', 1_000), 1_000);
    expect(store.size).toBe(1);
    expect((await store.take('d', 1_001)).status).toBe('taken');
    for (const capacity of [0, 1.5, -1, Number.NaN]) {
      expect(codeOfSync(() => new MemoryChallengeStore({ capacity }))).toBe('ERR_INVALID_INPUT');
    }
  });

  it('20,000 flood challenges do not evict an open legitimate one: the flood is refused', async () => {
    const ca = await testCa();
    const clock = testClock();
    const auth = new Authenticator({ trustAnchors: [ca.root], clock, rpId: RP_ID });
    const honest = await auth.challenge({ address: 'alice@contoso.test' });
    let refused = 0;
    for (let i = 0; i < 20_000; i++) {
      try {
        await auth.challenge({ address: `flood${i}@attacker.test` });
      } catch (error) {
        if (!SmartCardError.is(error, 'ERR_TOO_MANY_CHALLENGES')) throw error;
        refused++;
      }
    }
    expect(refused).toBe(20_000 - 9_999); // the default capacity is 10 000
    // The honest challenge is still open: answering it gets to the certificate check.
    const result = await auth.verify({
      id: honest.id,
      rpId: RP_ID,
      signature: new Uint8Array(64),
      certificate: ca.root,
    });
    expect(result).toMatchObject({ verified: false, reason: 'certificate-invalid' });
    // When the flood's challenges expire, challenges are issued again.
    clock.advance(60_000);
    await expect(auth.challenge({ address: 'bob@contoso.test' })).resolves.toMatchObject({
      rpId: RP_ID,
    });
  });

  it('expires in put order, a bounded step per put; sweep drops the rest', async () => {
    const store = new MemoryChallengeStore({ capacity: 5_000 });
    for (let i = 0; i < 4_000; i++) await store.put(record(`old${i}`, 0, 1_000), 0);
    await store.take('old3999', 1);
    // All 4,000 expire at 1_000: one put drops a few of them, oldest first, not all at once.
    await store.put(record('new', 1_000, 1_000), 1_000);
    const held = store.size;
    expect(held).toBeGreaterThan(3_900);
    expect(held).toBeLessThan(4_001);
    expect((await store.take('old0', 1_000)).status).toBe('unknown');
    expect((await store.take('old3000', 1_000)).status).toBe('expired');
    expect((await store.take('old3999', 1_000)).status).toBe('used');
    expect(await store.sweep(1_000)).toBe(held - 1);
    expect(store.size).toBe(1);
    // A full store whose oldest entries expired makes room instead of refusing.
    const full = new MemoryChallengeStore({ capacity: 100 });
    for (let i = 0; i < 100; i++) await full.put(record(`f${i}`, 0, 1_000), 0);
    await full.put(record('later', 1_000, 1_000), 1_000);
    expect((await full.take('later', 1_001)).status).toBe('taken');
    // A put with an id already held replaces it; the old slot expires without dropping the new one.
    await store.put(record('same', 10_000, 1_000), 10_000);
    await store.put(record('same', 10_500, 1_000), 10_500);
    expect(await store.sweep(11_000)).toBe(0);
    expect((await store.take('same', 11_000)).status).toBe('taken');
  });
});

describe('Authenticator inputs', () => {
  it('issues 32 random bytes with a fresh id and an expiry', async () => {
    const ca = await testCa();
    const clock = testClock();
    const auth = new Authenticator({
      trustAnchors: [ca.root],
      clock,
      challengeTtlMs: 30_000,
      rpId: RP_ID,
    });
    const a = await auth.challenge({ address: 'alice@contoso.test' });
    const b = await auth.challenge({ address: ' Alice@Contoso.Test ' });
    expect(a.challenge).toHaveLength(32);
    expect(a.id).not.toBe(b.id);
    expect(a.challenge).not.toEqual(b.challenge);
    expect(a.expiresAt).toBe(clock.now() + 30_000);
    expect(a.rpId).toBe(RP_ID);
  });

  it('refuses an address that is not e-mail-like, and bad options', async () => {
    const ca = await testCa();
    const auth = new Authenticator({ trustAnchors: [ca.root], rpId: RP_ID });
    for (const address of ['', 'alice', 'alice@', '@contoso.test', 'a b@c.test', 'a@b..c', 7]) {
      const error = await auth.challenge({ address: address as string }).catch((e: unknown) => e);
      expect(SmartCardError.is(error, 'ERR_INVALID_INPUT'), String(address)).toBe(true);
    }
    const make = (options: object) => () =>
      new Authenticator({ trustAnchors: [ca.root], rpId: RP_ID, ...options });
    expect(codeOfSync(make({ trustAnchors: [] }))).toBe('ERR_INVALID_INPUT');
    expect(codeOfSync(make({ challengeTtlMs: 0 }))).toBe('ERR_INVALID_INPUT');
    expect(codeOfSync(make({ rpId: 'a\0b' }))).toBe('ERR_INVALID_INPUT');
    expect(codeOfSync(make({ rpId: '' }))).toBe('ERR_INVALID_INPUT');
    expect(codeOfSync(make({ rpId: undefined }))).toBe('ERR_INVALID_INPUT'); // required
    expect(codeOfSync(make({ rpId: 'x'.repeat(254) }))).toBe('ERR_INVALID_INPUT');
    expect(codeOfSync(make({ rpId: 'intranet.contoso.test' }))).toBe('no error');
    expect(codeOfSync(make({ crls: 'x' }))).toBe('ERR_INVALID_INPUT');
  });

  it('answers a malformed response with a reason, consuming nothing', async () => {
    const ca = await testCa();
    const auth = new Authenticator({ trustAnchors: [ca.root], clock: testClock(), rpId: RP_ID });
    const { id } = await auth.challenge({ address: 'alice@contoso.test' });
    const ok = { id, rpId: RP_ID, signature: new Uint8Array(64), certificate: ca.root };
    for (const bad of [
      null,
      { ...ok, id: 5 },
      { ...ok, rpId: undefined },
      { ...ok, rpId: 'x'.repeat(254) },
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
