import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority, OcspResponder } from '../../../src/enrollment/index.js';
import { InvalidInputError } from '../../../src/errors.js';
import type { AuthenticatorOptions } from '../../../src/server/authenticator/types.js';
import { Authenticator, OcspCache } from '../../../src/server/index.js';
import { signChallenge } from '../../../src/session/index.js';
import { ALICE, testCa, testClock } from '../../enrollment/support/ca.js';
import { type Enrolled, enrolledAt } from './support/ocsp-card.js';

/**
 * The Authenticator asks the embedded CA's OCSP responder about an enrolled card: good signs in,
 * revoked does not, an answer is kept until its nextUpdate, and an unreachable responder fails
 * the sign-in only in hard-fail mode.
 */
const RP_ID = 'intranet.contoso.test';
const OCSP_URL = 'http://ocsp.contoso.test/';
const clock = testClock();
let ca: CertificateAuthority;
let responder: OcspResponder;

/** Revoked by the first test. */
let lost: Enrolled;
/** Never revoked. */
let kept: Enrolled;

beforeAll(async () => {
  ca = await testCa({ issuing: true, clock, ocspUrl: OCSP_URL });
  responder = ca.ocspResponder({ validityHours: 1 });
  lost = await enrolledAt(ca);
  kept = await enrolledAt(ca);
});

/** A fetcher that answers from the CA's responder and counts what it was asked. */
function responderFetch() {
  const urls: string[] = [];
  return {
    urls,
    fetch: async ({ url, body }: { url: string; body: Uint8Array }) => {
      urls.push(url);
      return responder(body);
    },
  };
}

function authenticator(options: Partial<AuthenticatorOptions>): Authenticator {
  return new Authenticator({
    trustAnchors: [ca.root],
    intermediates: [ca.issuer],
    clock,
    rpId: RP_ID,
    ...options,
  });
}

async function signIn(auth: Authenticator, who: Enrolled) {
  const challenge = await auth.challenge({ address: ALICE.upn as string });
  return auth.verify(await signChallenge(who.card, who.container, challenge, { rpId: RP_ID }));
}

describe('Authenticator with OCSP', () => {
  it('signs in on a good answer, asks once until nextUpdate, then refuses the card revoked', async () => {
    const responderCalls = responderFetch();
    const auth = authenticator({ ocsp: { fetch: responderCalls.fetch, mode: 'hard-fail' } });
    expect((await signIn(auth, lost)).verified).toBe(true);
    expect(responderCalls.urls).toEqual([OCSP_URL]); // the leaf's AIA; the issuing CA has none
    expect((await signIn(auth, lost)).verified).toBe(true);
    expect(responderCalls.urls).toHaveLength(1); // the answer is kept

    const fresh = authenticator({ ocsp: { fetch: responderCalls.fetch } });
    await ca.revoke(lost.serial, 'keyCompromise');
    try {
      // A new Authenticator has its own cache: it asks, and the card is revoked.
      expect(await signIn(fresh, lost)).toMatchObject({ verified: false, pathReason: 'revoked' });
      // The first still holds the good answer until its nextUpdate (an hour), then asks again.
      expect((await signIn(auth, lost)).verified).toBe(true);
      clock.advance(60 * 60_000 + 6 * 60_000);
      expect(await signIn(auth, lost)).toMatchObject({ verified: false, pathReason: 'revoked' });
      expect(responderCalls.urls).toHaveLength(3);
    } finally {
      clock.advance(-(60 * 60_000 + 6 * 60_000));
    }
  });

  it('an answer shared through one OcspCache, and revocation required met by OCSP alone', async () => {
    const responderCalls = responderFetch();
    const cache = new OcspCache();
    const first = authenticator({
      ocsp: { fetch: responderCalls.fetch, cache },
      revocation: 'require',
    });
    // The issuing CA's certificate has no OCSP URL: with 'require' it needs the root's CRL.
    expect(await signIn(first, kept)).toMatchObject({ verified: false, pathReason: 'crl-invalid' });
    const rootCrl = await ca.rootCrl();
    const withRootCrl = (shared: OcspCache) =>
      authenticator({
        ocsp: { fetch: responderCalls.fetch, cache: shared },
        revocation: 'require',
        crls: [rootCrl],
      });
    expect((await signIn(withRootCrl(cache), kept)).verified).toBe(true);
    expect((await signIn(withRootCrl(cache), kept)).verified).toBe(true);
    expect(responderCalls.urls).toHaveLength(1); // three Authenticators, one question
    // Without OCSP, 'require' and no CRL refuse the same card.
    const noStatus = authenticator({ revocation: 'require' });
    expect(await signIn(noStatus, kept)).toMatchObject({
      verified: false,
      pathReason: 'crl-invalid',
    });
  });

  it('an unreachable responder: refused in hard-fail mode, left to the CRLs in soft-fail mode', async () => {
    const down = async (): Promise<Uint8Array> => {
      throw new Error('connect ECONNREFUSED');
    };
    const hard = authenticator({ ocsp: { fetch: down, mode: 'hard-fail' } });
    expect(await signIn(hard, kept)).toMatchObject({
      verified: false,
      reason: 'certificate-invalid',
      pathReason: 'ocsp-invalid',
    });
    const soft = authenticator({
      ocsp: { fetch: down, mode: 'soft-fail' },
      crls: async () => [await ca.crl()],
    });
    // Soft-fail: OCSP gave no answer, so the CRL decides: one card is on it, the other is not.
    expect((await signIn(soft, kept)).verified).toBe(true);
    await ca.revoke(lost.serial, 'keyCompromise').catch(() => undefined); // once is enough
    expect(await signIn(soft, lost)).toMatchObject({ verified: false, pathReason: 'revoked' });
  });

  it('checks the ocsp option when the Authenticator is made', () => {
    expect(() => authenticator({ ocsp: { fetch: 'no' as never } })).toThrow(InvalidInputError);
    expect(() =>
      authenticator({ ocsp: { fetch: async () => new Uint8Array(), mode: 'sometimes' as never } }),
    ).toThrow(InvalidInputError);
  });
});
