/**
 * Attacks on `OcspCache.warm()`: what a new instance is given must neither lose a legitimate
 * answer nor let a good answer outweigh a revocation it holds. Two CAs whose cards share a
 * serial number (a CA's serials are its own business: RFC 5280 asks uniqueness per issuer only),
 * and one card answered good, then revoked.
 */
import { webcrypto } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority, OcspResponder } from '../../../src/enrollment/index.js';
import { Authenticator, OcspCache } from '../../../src/server/index.js';
import { signChallenge } from '../../../src/session/index.js';
import { ALICE, testCa, testClock } from '../../enrollment/support/ca.js';
import { type Enrolled, enrolledAt } from './support/ocsp-card.js';

const RP_ID = 'intranet.contoso.test';
const clock = testClock();
const SERIAL = Uint8Array.from({ length: 16 }, (_, i) => 0x10 + i);

/** node's WebCrypto, but while `fixed` is set every 16-byte random value is SERIAL. */
let fixed = false;
const serialFixingCrypto = {
  subtle: webcrypto.subtle,
  randomUUID: () => webcrypto.randomUUID(),
  getRandomValues: <T extends ArrayBufferView | null>(array: T): T => {
    if (fixed && array instanceof Uint8Array && array.length === 16) {
      array.set(SERIAL);
      return array;
    }
    return webcrypto.getRandomValues(array as Uint8Array) as unknown as T;
  },
} as unknown as Crypto;

interface Issuer {
  readonly ca: CertificateAuthority;
  readonly responder: OcspResponder;
  readonly url: string;
  readonly card: Enrolled;
}

async function issuerWithCard(url: string): Promise<Issuer> {
  const ca = await testCa({ issuing: true, clock, ocspUrl: url, crypto: serialFixingCrypto });
  fixed = true;
  try {
    return {
      ca,
      responder: ca.ocspResponder({ validityHours: 1 }),
      url,
      card: await enrolledAt(ca),
    };
  } finally {
    fixed = false;
  }
}

let a: Issuer;
let b: Issuer;

beforeAll(async () => {
  a = await issuerWithCard('http://ocsp-a.contoso.test/');
  b = await issuerWithCard('http://ocsp-b.contoso.test/');
});

function instance(cache = new OcspCache()) {
  const asked: string[] = [];
  const issuers = [a, b];
  const authenticator = new Authenticator({
    trustAnchors: issuers.map((i) => i.ca.root),
    intermediates: issuers.map((i) => i.ca.issuer),
    clock,
    rpId: RP_ID,
    ocsp: {
      fetch: async ({ url, body }) => {
        asked.push(url);
        const issuer = issuers.find((i) => i.url === url);
        if (issuer === undefined) throw new Error(`no responder at ${url}`);
        return issuer.responder(body);
      },
      mode: 'hard-fail',
      cache,
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

describe('OcspCache.warm() attacked', () => {
  it('the two cards really share a serial number', () => {
    expect(a.card.serial).toBe(b.card.serial);
  });

  it("keeps another issuer's response for the same serial: both cards sign in without a fetch", async () => {
    const first = instance();
    expect((await first.signIn(a.card)).verified).toBe(true);
    expect((await first.signIn(b.card)).verified).toBe(true);
    const responses = first.cache.responses();
    expect(responses).toHaveLength(2);
    for (const order of [responses, [...responses].reverse()]) {
      const second = instance();
      expect(second.cache.warm(order)).toBe(2);
      expect((await second.signIn(a.card)).verified).toBe(true);
      expect((await second.signIn(b.card)).verified).toBe(true);
      expect(second.asked).toEqual([]);
    }
  });

  describe('a card answered good, then revoked', () => {
    let goodDer: Uint8Array[];
    let revokedDer: Uint8Array[];
    const issuer = () => a;

    beforeAll(async () => {
      const before = instance();
      expect((await before.signIn(issuer().card)).verified).toBe(true);
      goodDer = before.cache.responses();
      await issuer().ca.revoke(issuer().card.serial, 'keyCompromise');
      clock.advance(10 * 60_000); // the good answer is still within its hour
      const after = instance();
      expect(await after.signIn(issuer().card)).toMatchObject({ pathReason: 'revoked' });
      revokedDer = after.cache.responses();
    });

    it('a warmed revocation outweighs a warmed good answer, whatever their order', async () => {
      for (const order of [
        [...goodDer, ...revokedDer],
        [...revokedDer, ...goodDer],
      ]) {
        const second = instance();
        second.cache.warm(order);
        expect(await second.signIn(issuer().card)).toMatchObject({
          verified: false,
          pathReason: 'revoked',
        });
        expect(second.asked).toEqual([]);
      }
    });

    it('a warmed revocation outweighs the good answer the cache already keeps', async () => {
      const cache = new OcspCache();
      cache.warm(goodDer);
      const second = instance(cache);
      expect((await second.signIn(issuer().card)).verified).toBe(true); // the kept good answer
      cache.warm(revokedDer);
      expect(await second.signIn(issuer().card)).toMatchObject({
        verified: false,
        pathReason: 'revoked',
      });
      expect(second.asked).toEqual([]);
    });
  });
});
