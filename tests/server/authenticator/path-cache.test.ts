import { beforeAll, describe, expect, it } from 'vitest';
import type { SmartCard } from '../../../src/card/index.js';
import type { Clock } from '../../../src/clock.js';
import { CrlCatalog } from '../../../src/server/authenticator/crl-catalog.js';
import { fingerprint, PathCache } from '../../../src/server/authenticator/path-cache.js';
import { TrustState } from '../../../src/server/authenticator/trust.js';
import {
  Authenticator,
  type AuthenticatorOptions,
  type VerifyResult,
} from '../../../src/server/index.js';
import { parseCertificate } from '../../../src/server/path/certificate.js';
import { readPathOptions } from '../../../src/server/path/options.js';
import { signChallenge } from '../../../src/session/index.js';
import { createTestCard, createTestPki, type TestPki } from '../../../src/testing/index.js';

/**
 * The Authenticator keeps parsed trust anchors, checked CRLs and the validated path of each
 * certificate it has seen. A repeated certificate must still be refused the moment it is
 * revoked, expires, is not yet valid, or its CRLs go stale; and the cache stays bounded.
 */
const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 15, 12);

function movableClock(): Clock & { set(ms: number): void } {
  let now = START;
  return { now: () => now, set: (ms) => (now = ms) };
}

const clock = movableClock();
let pki: TestPki;
let card: SmartCard;
let container: string;
let certificate: Uint8Array;

beforeAll(async () => {
  pki = await createTestPki({ clock, rpId: 'app.contoso.test' });
  const test = await createTestCard({ kind: 'physical', enrolled: { pki } });
  if (test.enrollment === null) throw new Error('not enrolled');
  card = test.card;
  container = test.enrollment.container;
  certificate = test.enrollment.certificate;
  await card.verifyPin(test.pin);
});

async function signIn(
  auth: Authenticator,
  changes: { certificate?: Uint8Array; intermediates?: Uint8Array[] } = {},
): Promise<VerifyResult> {
  const challenge = await auth.challenge({ address: 'alice@contoso.test' });
  const response = await signChallenge(card, container, challenge, { rpId: pki.rpId });
  return auth.verify({ ...response, ...changes });
}

async function authenticator(options: Partial<AuthenticatorOptions> = {}) {
  return new Authenticator({ ...(await pki.authenticatorOptions()), ...options });
}

describe('a repeated certificate', () => {
  it('verifies again, and again after the CRLs are reissued unchanged', async () => {
    clock.set(START);
    const auth = await pki.authenticator();
    for (let i = 0; i < 3; i++) expect((await signIn(auth)).verified).toBe(true);
  });

  it('is refused once revoked, though its path was cached', async () => {
    clock.set(START);
    const other = await createTestCard({ kind: 'physical', enrolled: { pki } });
    const enrollment = other.enrollment;
    if (enrollment === null) throw new Error('not enrolled');
    await other.card.verifyPin(other.pin);
    const auth = await pki.authenticator(); // CRLs fetched on each verify
    const answer = async () => {
      const challenge = await auth.challenge({ address: 'alice@contoso.test' });
      return auth.verify(
        await signChallenge(other.card, enrollment.container, challenge, { rpId: pki.rpId }),
      );
    };
    expect((await answer()).verified).toBe(true);
    expect((await answer()).verified).toBe(true);
    await pki.revoke(enrollment.certificate);
    expect(await answer()).toMatchObject({
      verified: false,
      reason: 'certificate-invalid',
      pathReason: 'revoked',
    });
  });

  it('is refused once expired, and before it is valid, whatever was cached', async () => {
    clock.set(START);
    const auth = await authenticator(); // the same CRLs throughout: only time changes
    expect((await signIn(auth)).verified).toBe(true);
    const leaf = parseCertificate(certificate);
    if (typeof leaf === 'string') throw new Error(leaf);
    clock.set(leaf.notAfter + 1000);
    expect(await signIn(auth)).toMatchObject({ verified: false, pathReason: 'expired' });
    clock.set(START);
    expect((await signIn(auth)).verified).toBe(true);
    clock.set(leaf.notBefore - 1000);
    expect(await signIn(auth)).toMatchObject({ verified: false, pathReason: 'not-yet-valid' });
    clock.set(START);
  });

  it('is refused when the CRLs it was checked against go stale', async () => {
    clock.set(START);
    const auth = await authenticator(); // the CRLs of now, never refreshed
    expect((await signIn(auth)).verified).toBe(true);
    clock.set(START + 400 * DAY);
    const result = await signIn(auth);
    expect(result.verified).toBe(false);
    clock.set(START);
  });

  it('is validated again when it comes with other intermediates, and a changed copy is refused', async () => {
    clock.set(START);
    const auth = await authenticator();
    expect((await signIn(auth)).verified).toBe(true);
    expect((await signIn(auth, { intermediates: [pki.root] })).verified).toBe(true);
    const tampered = new Uint8Array(certificate);
    const at = tampered.length - 5; // in the CA's signature
    tampered[at] = (tampered[at] as number) ^ 1;
    expect(await signIn(auth, { certificate: tampered })).toMatchObject({
      verified: false,
      pathReason: 'signature',
    });
    expect((await signIn(auth)).verified).toBe(true);
  });

  it('is not trusted from a buffer the caller changed after verifying it', async () => {
    clock.set(START);
    const auth = await authenticator();
    const mine = new Uint8Array(certificate);
    expect((await signIn(auth, { certificate: mine })).verified).toBe(true);
    mine[mine.length - 5] = (mine[mine.length - 5] as number) ^ 1;
    expect((await signIn(auth, { certificate: mine })).verified).toBe(false);
  });
});

describe('CRLs that change under the cache (review findings)', () => {
  /** A card of its own, enrolled and signed in, for tests that revoke it. */
  async function ownCard() {
    const other = await createTestCard({ kind: 'physical', enrolled: { pki } });
    const enrollment = other.enrollment;
    if (enrollment === null) throw new Error('not enrolled');
    await other.card.verifyPin(other.pin);
    return async (auth: Authenticator) => {
      const challenge = await auth.challenge({ address: 'alice@contoso.test' });
      return signChallenge(other.card, enrollment.container, challenge, { rpId: pki.rpId });
    };
  }

  it('refuses a revoked repeat when the app refreshes one CRL array in place', async () => {
    clock.set(START);
    const respond = await ownCard();
    const current = [...((await pki.authenticatorOptions()).crls ?? [])];
    const auth = await authenticator({ crls: async () => current });
    expect((await auth.verify(await respond(auth))).verified).toBe(true);
    const answer = await respond(auth);
    const certificate = answer.certificate;
    await pki.revoke(certificate);
    current.splice(0, current.length, ...((await pki.authenticatorOptions()).crls ?? []));
    expect(await auth.verify(answer)).toMatchObject({ verified: false, pathReason: 'revoked' });
  });

  it('never caches a path found under CRLs that were replaced while it was searched', async () => {
    clock.set(START);
    const respond = await ownCard();
    const before = (await pki.authenticatorOptions()).crls ?? [];
    let served = before;
    const auth = await authenticator({ crls: async () => [...served] });
    const [r1, r2, r3] = [await respond(auth), await respond(auth), await respond(auth)];
    await pki.revoke(r1.certificate);
    const after = (await pki.authenticatorOptions()).crls ?? [];
    const first = auth.verify(r1); // starts under the old CRLs
    await new Promise((resolve) => setImmediate(resolve));
    served = after; // the refresh lands while the first is still searching
    const [a, b] = await Promise.all([first, auth.verify(r2)]);
    // The first was checked against the CRLs it fetched, or the newer ones once seen: either way
    // no path found under the old CRLs serves a later verification.
    expect(typeof a.verified).toBe('boolean');
    expect(b).toMatchObject({ verified: false, pathReason: 'revoked' });
    expect(await auth.verify(r3)).toMatchObject({ verified: false, pathReason: 'revoked' });
  });
});

/** What the path cache tests say a path was checked against. */
const W = { crls: '1', advances: 0 };

describe('the path cache', () => {
  it('holds at most its size, evicting the least recently used', () => {
    const cache = new PathCache(2);
    const leaves = [1, 2, 3].map((n) => ({ der: new Uint8Array([n, n, n]) }));
    const [a, b, c] = leaves as [(typeof leaves)[0], (typeof leaves)[0], (typeof leaves)[0]];
    type Leaf = Parameters<PathCache['set']>[0];
    cache.set(a as unknown as Leaf, [], 0, 10, W);
    cache.set(b as unknown as Leaf, [], 0, 10, W);
    expect(cache.get(a.der, [], 5, W)).toBe(a); // a is now the most recent
    cache.set(c as unknown as Leaf, [], 0, 10, W);
    expect(cache.size).toBe(2);
    expect(cache.get(b.der, [], 5, W)).toBeUndefined();
    expect(cache.get(a.der, [], 5, W)).toBe(a);
    expect(cache.get(c.der, [], 5, W)).toBe(c);
    expect(cache.get(c.der, [], 11, W)).toBeUndefined(); // out of its window: dropped
    expect(cache.size).toBe(1);
    expect(cache.get(a.der, [new Uint8Array([9])], 5, W)).toBeUndefined();
  });

  it('keeps nothing with a size of 0, and fingerprints by length and content', () => {
    const cache = new PathCache(0);
    type Leaf = Parameters<PathCache['set']>[0];
    cache.set({ der: new Uint8Array([1]) } as unknown as Leaf, [], 0, 10, W);
    expect(cache.size).toBe(0);
    expect(fingerprint(new Uint8Array([1, 2]))).not.toBe(fingerprint(new Uint8Array([2, 1])));
    expect(fingerprint(new Uint8Array([0]))).not.toBe(fingerprint(new Uint8Array([0, 0])));
  });

  it('stays bounded however many certificates an Authenticator sees', async () => {
    clock.set(START);
    const { trustAnchors, intermediates, crls } = await pki.authenticatorOptions();
    const trust = new TrustState({
      anchors: trustAnchors,
      intermediates,
      settings: readPathOptions({ leaf: new Uint8Array(0), trustAnchors }),
      requireRevocation: false,
      cacheSize: 3,
    });
    const fetched = await trust.readCrls(crypto, crls);
    if (typeof fetched === 'string') throw new Error(fetched);
    const issued: Uint8Array[] = [certificate];
    for (let i = 0; i < 4; i++) {
      const other = await createTestCard({ kind: 'virtual', enrolled: { pki } });
      if (other.enrollment !== null) issued.push(other.enrollment.certificate);
    }
    for (const der of issued) {
      const trusted = await trust.validate(crypto, der, [], START, fetched);
      expect(trusted).toHaveProperty('leaf');
      trust.remember(trusted);
    }
    expect(trust.cachedPaths).toBe(3);
    // New CRLs (another revocation): no cached path serves them.
    await pki.revoke(issued[4] as Uint8Array);
    const next = await trust.readCrls(crypto, (await pki.authenticatorOptions()).crls);
    if (typeof next === 'string') throw new Error(next);
    expect(await trust.validate(crypto, issued[4] as Uint8Array, [], START, next)).toMatchObject({
      reason: 'revoked',
    });
  });
});

describe('the path cache in bytes', () => {
  type Leaf = Parameters<PathCache['set']>[0];
  const leafOf = (n: number, size: number) =>
    ({ der: new Uint8Array(size).fill(n) }) as unknown as Leaf;

  it('evicts the least recently used to stay within its bytes, and keeps nothing too big', () => {
    const cache = new PathCache(100, 5_000); // an entry costs its bytes and 1 KiB of bookkeeping
    cache.set(leafOf(1, 1_000), [], 0, 10, W);
    cache.set(leafOf(2, 1_000), [], 0, 10, W);
    expect(cache.size).toBe(2);
    cache.set(leafOf(3, 1_000), [], 0, 10, W);
    expect(cache.size).toBe(2);
    expect(cache.bytes).toBeLessThanOrEqual(5_000);
    expect(cache.get(new Uint8Array(1_000).fill(1), [], 5, W)).toBeUndefined();
    // A client's own intermediates count: a leaf with 100 kB of them is not kept at all.
    cache.set(leafOf(4, 1_000), [new Uint8Array(100_000)], 0, 10, W);
    expect(cache.get(new Uint8Array(1_000).fill(4), [new Uint8Array(100_000)], 5, W)).toBe(
      undefined,
    );
    expect(cache.size).toBe(2);
  });

  it('serves a path only for the CRLs it was checked against, none newer seen since', () => {
    const cache = new PathCache(10);
    const leaf = leafOf(1, 10);
    cache.set(leaf, [], 0, 10, W);
    expect(cache.get(leaf.der, [], 5, { ...W, crls: '2' })).toBeUndefined();
    expect(cache.get(leaf.der, [], 5, W)).toBe(leaf);
    expect(cache.get(leaf.der, [], 5, { ...W, advances: 1 })).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});

describe('the CRL catalog', () => {
  it('recognises the same CRL again without parsing it, and remembers only authentic ones', async () => {
    const { crls } = await pki.authenticatorOptions();
    const [crl] = crls as [Uint8Array];
    const trusting = new CrlCatalog(async () => true);
    const first = await trusting.read([crl]);
    const again = await trusting.read([crl.slice()]);
    if (typeof first === 'string' || typeof again === 'string') throw new Error('malformed');
    expect(again.id).toBe(first.id);
    expect(again.crls[0]).toBe(first.crls[0]); // the same parsed object: not parsed again
    expect(trusting.size).toBe(1);
    const doubting = new CrlCatalog(async () => false);
    const one = await doubting.read([crl]);
    const two = await doubting.read([crl]);
    if (typeof one === 'string' || typeof two === 'string') throw new Error('malformed');
    expect(two.id).not.toBe(one.id);
    expect(doubting.size).toBe(0);
    expect(await trusting.read([crl.subarray(1)])).toMatch(/malformed/);
  });

  it('parses a new CRL once for verifications that bring it at the same time', async () => {
    const { crls } = await pki.authenticatorOptions();
    const [crl] = crls as [Uint8Array];
    let checks = 0;
    const catalog = new CrlCatalog(async () => {
      checks += 1;
      await new Promise((resolve) => setImmediate(resolve));
      return true;
    });
    const [a, b] = await Promise.all([catalog.read([crl]), catalog.read([crl.slice()])]);
    if (typeof a === 'string' || typeof b === 'string') throw new Error('malformed');
    expect(b.crls[0]).toBe(a.crls[0]);
    expect(checks).toBe(1);
    // A check that throws (a budget spent, say) is no answer: the CRL is not remembered.
    const failing = new CrlCatalog(async () => {
      throw new Error('no budget');
    });
    expect(typeof (await failing.read([crl]))).toBe('object');
    expect(failing.size).toBe(0);
  });
});
