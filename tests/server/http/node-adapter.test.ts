import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignInHandlers, toNodeHandler } from '../../../src/server/index.js';
import { httpSignInServer, signChallenge } from '../../../src/session/index.js';
import { signInPkiBeforeAll } from '../../session/support/file-pki.js';
import { ADDRESS, authenticatorFor, enrolledCard, RP_ID } from '../../session/support/sign-in.js';
import { TEST_PIN } from '../../support/cards.js';

const pki = signInPkiBeforeAll();
let server: Server;
let base: string;

beforeAll(async () => {
  const handlers = createSignInHandlers(authenticatorFor(pki.ca, pki.clock), {
    rateLimit: { burst: 3, perMinute: 1, clock: pki.clock },
  });
  server = createServer(toNodeHandler(handlers, { prefix: '/sign-in/', maxBodyBytes: 8 * 1024 }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sign-in`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const post = (path: string, body: string) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });

describe('toNodeHandler on 127.0.0.1', () => {
  it('signs in with the fetch client: challenge, the card, verify', async () => {
    const client = httpSignInServer(base);
    const challenge = await client.challenge({ address: ADDRESS });
    expect(challenge.rpId).toBe(RP_ID);
    const { card } = await enrolledCard(pki.ca, 'virtual', { pin: TEST_PIN });
    await card.verifyPin(TEST_PIN);
    const [container] = await card.containers();
    const response = await signChallenge(card, container?.name ?? '', challenge, { rpId: RP_ID });
    expect(await client.verify(response)).toEqual({
      verified: true,
      user: { address: ADDRESS, name: ADDRESS },
    });
    expect(await client.verify(response)).toEqual({ verified: false, reason: 'refused' });
  });

  it('answers 404, 405, 400 and 413 as it should, always with no-store', async () => {
    const notFound = await post('/other', '{}');
    expect(notFound.status).toBe(404);
    const wrongMethod = await fetch(`${base}/challenge`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    const notJson = await post('/verify', '{"v":');
    expect(notJson.status).toBe(400);
    const tooLarge = await post('/verify', JSON.stringify({ v: 1, pad: 'x'.repeat(9000) }));
    expect(tooLarge.status).toBe(413);
    // JSON sent as text/plain (what a form on another site can post) is not read.
    const asText = await fetch(`${base}/challenge`, {
      method: 'POST',
      body: JSON.stringify({ address: ADDRESS }),
    });
    expect(asText.status).toBe(415);
    for (const answer of [notFound, wrongMethod, notJson, tooLarge, asText]) {
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('answers 413 to a chunked body that grows over the cap (no content-length)', async () => {
    const url = new URL(`${base}/verify`);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const outgoing = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST' },
        (answer) => {
          answer.resume();
          resolve(answer.statusCode);
        },
      );
      outgoing.on('error', reject);
      outgoing.setHeader('content-type', 'application/json');
      outgoing.setHeader('transfer-encoding', 'chunked');
      for (let i = 0; i < 3; i++) outgoing.write('x'.repeat(4000));
      outgoing.end();
    });
    expect(status).toBe(413);
  });

  it('rate-limits challenges by the client address: 429 with Retry-After', async () => {
    let answer: Response | undefined;
    for (let i = 0; i < 4; i++) {
      answer = await post('/challenge', JSON.stringify({ address: ADDRESS }));
    }
    expect(answer?.status).toBe(429);
    expect(Number(answer?.headers.get('retry-after'))).toBeGreaterThan(0);
    await expect(httpSignInServer(base).challenge({ address: ADDRESS })).rejects.toMatchObject({
      code: 'ERR_SERVER_UNAVAILABLE',
    });
  });
});
