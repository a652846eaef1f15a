import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeChallenge, encodeResponse } from '../../../src/challenge/wire.js';
import {
  createSignInHandlers,
  MemoryChallengeStore,
  type SignInFailure,
  type VerifiedSignIn,
} from '../../../src/server/index.js';
import { signChallenge } from '../../../src/session/index.js';
import { signInPkiBeforeAll } from '../../session/support/file-pki.js';
import { ADDRESS, authenticatorFor, enrolledCard, RP_ID } from '../../session/support/sign-in.js';
import { TEST_PIN } from '../../support/cards.js';

const pki = signInPkiBeforeAll();

describe('createSignInHandlers', () => {
  it('challenge answers the wire form; verify answers the user and certificate facts once', async () => {
    const failures: SignInFailure[] = [];
    const handlers = createSignInHandlers(authenticatorFor(pki.ca, pki.clock), {
      onFailure: (failure) => failures.push(failure),
    });
    const issued = await handlers.challenge({ body: { address: ADDRESS }, clientKey: '127.0.0.1' });
    expect(issued.status).toBe(200);
    expect(issued.headers['cache-control']).toBe('no-store');
    expect(issued.body).toMatchObject({ v: 1, rpId: RP_ID });
    const challenge = decodeChallenge(JSON.parse(JSON.stringify(issued.body)));

    const { card } = await enrolledCard(pki.ca, 'virtual', { pin: TEST_PIN });
    await card.verifyPin(TEST_PIN);
    const [container] = await card.containers();
    const response = await signChallenge(card, container?.name ?? '', challenge, { rpId: RP_ID });
    const body = JSON.parse(JSON.stringify(encodeResponse(response)));
    const verified = await handlers.verify({ body });
    expect(verified.status).toBe(200);
    const signedIn = verified.body as VerifiedSignIn;
    expect(signedIn).toMatchObject({ verified: true, method: 'smart-card' });
    expect(signedIn.user.address).toBe(ADDRESS);
    expect(signedIn.certificate.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(signedIn.certificate.serial).toMatch(/^[0-9a-f]+$/);
    expect(signedIn.certificate.issuer).toContain('CN=');
    expect(Date.parse(signedIn.certificate.notAfter)).toBeGreaterThan(pki.clock.now());

    const replay = await handlers.verify({ body, clientKey: '127.0.0.1' });
    expect(replay).toMatchObject({ status: 401, body: { verified: false } });
    expect(Object.keys(replay.body as object)).toEqual(['verified']);
    expect(failures).toMatchObject([{ route: 'verify', reason: 'challenge-used' }]);
  });

  it('answers 400 with a typed reason for malformed input', async () => {
    const failures: SignInFailure[] = [];
    const handlers = createSignInHandlers(authenticatorFor(pki.ca, pki.clock), {
      onFailure: (failure) => failures.push(failure),
    });
    for (const body of [null, 'alice', { address: 'not an address' }, { address: ADDRESS, x: 1 }]) {
      const answer = await handlers.challenge({ body });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'malformed-request' });
    }
    const answer = await handlers.verify({ body: { v: 2 } });
    expect(answer).toMatchObject({
      status: 400,
      body: { verified: false, error: 'malformed-request' },
    });
    expect(failures.every((failure) => failure.reason === 'malformed-request')).toBe(true);
  });

  it('rate-limits challenges per client key: 429 with Retry-After', async () => {
    const handlers = createSignInHandlers(authenticatorFor(pki.ca, pki.clock), {
      rateLimit: { burst: 1, perMinute: 2, clock: pki.clock },
    });
    const request = { body: { address: ADDRESS }, clientKey: '192.0.2.1' };
    expect((await handlers.challenge(request)).status).toBe(200);
    const limited = await handlers.challenge(request);
    expect(limited).toMatchObject({ status: 429, body: { error: 'rate-limited' } });
    expect(limited.headers['retry-after']).toBe('30');
    expect((await handlers.challenge({ ...request, clientKey: '192.0.2.2' })).status).toBe(200);
  });

  it('answers 503 with Retry-After when the challenge store is full', async () => {
    const store = new MemoryChallengeStore({ capacity: 1 });
    const handlers = createSignInHandlers(authenticatorFor(pki.ca, pki.clock, { store }), {
      rateLimit: false,
    });
    expect((await handlers.challenge({ body: { address: ADDRESS } })).status).toBe(200);
    const busy = await handlers.challenge({ body: { address: ADDRESS } });
    expect(busy).toMatchObject({ status: 503, headers: { 'retry-after': '1' } });
  });

  it('answers random bodies with 400, never a throw (fuzz)', async () => {
    const handlers = createSignInHandlers(authenticatorFor(pki.ca, pki.clock), {
      rateLimit: false,
    });
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        expect((await handlers.verify({ body })).status).toBe(400);
        expect([200, 400]).toContain((await handlers.challenge({ body })).status);
      }),
      { numRuns: 200 },
    );
  });
});
