/**
 * A new instance warmed with the OCSP responses another kept (`OcspCache.responses()` into
 * `warm()`): it signs a card in without asking the responder; nothing warmed is trusted, so a
 * tampered, stale or unrelated response costs a fetch and never a pass, and a warmed revoked
 * answer refuses the card as a fetched one would.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority, OcspResponder } from '../../../src/enrollment/index.js';
import { Authenticator, OcspCache, type OcspOptions } from '../../../src/server/index.js';
import { signChallenge } from '../../../src/session/index.js';
import { ALICE, testCa, testClock } from '../../enrollment/support/ca.js';
import { type Enrolled, enrolledAt } from './support/ocsp-card.js';

const RP_ID = 'intranet.contoso.test';
const clock = testClock();
let ca: CertificateAuthority;
let responder: OcspResponder;

let good: Enrolled;
let revoked: Enrolled;

beforeAll(async () => {
  ca = await testCa({ issuing: true, clock, ocspUrl: 'http://ocsp.contoso.test/' });
  responder = ca.ocspResponder({ validityHours: 1 });
  good = await enrolledAt(ca);
  revoked = await enrolledAt(ca);
  await ca.revoke(revoked.serial, 'keyCompromise');
});

/** An instance with its own cache and a fetcher that counts what it asks. */
function instance(cache = new OcspCache(), extra: Partial<OcspOptions> = {}) {
  const asked: string[] = [];
  const authenticator = new Authenticator({
    trustAnchors: [ca.root],
    intermediates: [ca.issuer],
    clock,
    rpId: RP_ID,
    ocsp: {
      fetch: async ({ url, body }) => {
        asked.push(url);
        return responder(body);
      },
      mode: 'hard-fail',
      cache,
      ...extra,
    },
  });
  const signIn = async (who: Enrolled) => {
    const challenge = await authenticator.challenge({ address: ALICE.upn as string });
    return authenticator.verify(
      await signChallenge(who.card, who.container, challenge, { rpId: RP_ID }),
    );
  };
  return { cache, asked, signIn };
}

/** The responses a first instance keeps after signing both cards in (or trying to). */
async function kept(): Promise<Uint8Array[]> {
  const first = instance();
  expect((await first.signIn(good)).verified).toBe(true);
  expect(await first.signIn(revoked)).toMatchObject({ verified: false, pathReason: 'revoked' });
  expect(first.asked).toHaveLength(2);
  return first.cache.responses();
}

describe('OcspCache: warming a new instance', () => {
  it('signs in without asking the responder, and refuses the revoked card the same way', async () => {
    const responses = await kept();
    expect(responses).toHaveLength(2);
    const second = instance();
    expect(second.cache.warm(responses)).toBe(2);
    expect((await second.signIn(good)).verified).toBe(true);
    expect(await second.signIn(revoked)).toMatchObject({ verified: false, pathReason: 'revoked' });
    expect(second.asked).toEqual([]);
    expect(second.cache.size).toBe(2); // verified, now kept as its own
  });

  it('a tampered response is verified, fails, and costs a fetch, never a pass', async () => {
    const tampered = (await kept()).map((der) => {
      const copy = new Uint8Array(der);
      copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 0x01; // in the signature
      return copy;
    });
    const second = instance();
    expect(second.cache.warm(tampered)).toBe(2);
    expect((await second.signIn(good)).verified).toBe(true);
    expect(await second.signIn(revoked)).toMatchObject({ verified: false, pathReason: 'revoked' });
    expect(second.asked).toHaveLength(2);
  });

  it('a good answer for one card never answers for another, and a stale one is fetched again', async () => {
    const responses = await kept();
    const second = instance();
    // Only the good card's response, given as if it were every card's.
    const goodOnly = responses.filter((der) => !der.every((b, i) => b === responses[1]?.[i]));
    second.cache.warm(goodOnly);
    expect(await second.signIn(revoked)).toMatchObject({ verified: false, pathReason: 'revoked' });
    expect(second.asked).toHaveLength(1);
    const third = instance();
    third.cache.warm(responses);
    clock.advance(2 * 60 * 60_000); // past the responses' nextUpdate (one hour)
    try {
      expect((await third.signIn(good)).verified).toBe(true);
      expect(third.asked).toHaveLength(1);
    } finally {
      clock.advance(-2 * 60 * 60_000);
    }
  });

  it('takes no warmed response when a nonce is required; refuses what is not a response', async () => {
    const responses = await kept();
    const strict = instance(new OcspCache(), { requireNonce: true });
    strict.cache.warm(responses);
    expect((await strict.signIn(good)).verified).toBe(true);
    expect(strict.asked).toHaveLength(1);
    const cache = new OcspCache({ capacity: 1 });
    expect(
      cache.warm([new Uint8Array([0x30, 0x03, 0x0a, 0x01, 0x00]), new Uint8Array([1, 2, 3])]),
    ).toBe(0);
    expect(cache.warm(responses)).toBe(1); // capacity bounds what waits too
    expect(() => cache.warm('responses' as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
  });

  it('a smaller cache takes the most recent responses first', async () => {
    const responses = await kept(); // the good card's, then the revoked card's
    const small = instance(new OcspCache({ capacity: 1 }));
    expect(small.cache.warm(responses)).toBe(1);
    expect(await small.signIn(revoked)).toMatchObject({ verified: false, pathReason: 'revoked' });
    expect(small.asked).toEqual([]);
  });
});
