/**
 * The cases every framework adapter must pass, on a real server at 127.0.0.1: a sign-in with an
 * emulated card, the replay refused, and each refusal the node:http adapter makes, answered the
 * same way. A test file gives `serve` (its framework's server for a set of handlers) and runs them.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../../src/lib/bytes.js';
import {
  createSignInHandlers,
  type SignInFailure,
  type SignInHandlerOptions,
  type SignInHandlers,
} from '../../../../src/server/index.js';
import { encodeResponse, httpSignInServer, signChallenge } from '../../../../src/session/index.js';
import type { FilePki } from '../../../session/support/file-pki.js';
import {
  ADDRESS,
  authenticatorFor,
  enrolledCard,
  RP_ID,
} from '../../../session/support/sign-in.js';
import { TEST_PIN } from '../../../support/cards.js';

/** A running server: `base` is the URL the two routes sit under. */
export interface Served {
  readonly base: string;
  close(): Promise<void>;
}

/** Starts the framework's server on 127.0.0.1 with the handlers (body cap 8 KiB). */
export type Serve = (
  handlers: SignInHandlers,
  options: { readonly maxBodyBytes: number; readonly onError: (error: unknown) => void },
) => Promise<Served>;

export const MAX_BODY = 8 * 1024;

/** Handlers on the file's CA (3 challenges at once, then 1 a minute), refusals collected. */
export function handlersFor(pki: FilePki, options: SignInHandlerOptions = {}) {
  const failures: SignInFailure[] = [];
  const handlers = createSignInHandlers(authenticatorFor(pki.ca, pki.clock), {
    rateLimit: { burst: 3, perMinute: 1, clock: pki.clock },
    onFailure: (failure) => failures.push(failure),
    ...options,
  });
  return { handlers, failures };
}

/** POSTs `body` as it is, JSON by default. */
export function post(url: string, body: string, contentType = 'application/json') {
  return fetch(url, { method: 'POST', body, headers: { 'content-type': contentType } });
}

/** POSTs a chunked JSON body (no content-length) of `chunks` × 4000 bytes; answers the status. */
export function postChunked(url: string, chunks: number): Promise<number | undefined> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: hostname, port, path: pathname, method: 'POST' }, (answer) => {
      answer.resume();
      resolve(answer.statusCode);
    });
    outgoing.on('error', reject);
    outgoing.setHeader('content-type', 'application/json');
    outgoing.setHeader('transfer-encoding', 'chunked');
    for (let i = 0; i < chunks; i++) outgoing.write('x'.repeat(4000));
    outgoing.end();
  });
}

/** A card enrolled for Alice, its PIN verified, and a signer of challenges with it. */
export async function aliceSigner(pki: FilePki) {
  const { card } = await enrolledCard(pki.ca, 'virtual', { pin: TEST_PIN });
  await card.verifyPin(TEST_PIN);
  const [container] = await card.containers();
  return (challenge: Parameters<typeof signChallenge>[2]) =>
    signChallenge(card, container?.name ?? '', challenge, { rpId: RP_ID });
}

/** Runs `body` against a server for `handlers`, then closes it. */
async function withServer(
  serve: Serve,
  handlers: SignInHandlers,
  body: (base: string, errors: unknown[]) => Promise<void>,
): Promise<void> {
  const errors: unknown[] = [];
  const served = await serve(handlers, {
    maxBodyBytes: MAX_BODY,
    onError: (error) => errors.push(error),
  });
  try {
    await body(served.base, errors);
  } finally {
    await served.close();
  }
}

/** Three challenge requests forwarded for two addresses: the statuses and the keys refused. */
async function forwardedRequests(serve: Serve, pki: FilePki) {
  const { handlers, failures } = handlersFor(pki, { rateLimit: { burst: 1, perMinute: 1 } });
  const statuses: number[] = [];
  await withServer(serve, handlers, async (base) => {
    for (const forwarded of ['198.51.100.1', '198.51.100.2', '198.51.100.2']) {
      const answer = await fetch(`${base}/challenge`, {
        method: 'POST',
        body: JSON.stringify({ address: ADDRESS }),
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwarded },
      });
      statuses.push(answer.status);
    }
  });
  return { statuses, keys: failures.map((f) => f.clientKey) };
}

/**
 * The cases, for `serve` (the framework's defaults) and `serveBehindProxy` (the framework told to
 * trust a proxy on the loopback).
 */
export function adapterSuite(
  name: string,
  pki: FilePki,
  serve: Serve,
  serveBehindProxy: Serve,
): void {
  describe(`${name}: the node:http adapter's behaviour`, () => {
    it('signs in with the fetch client and an emulated card; the replay is refused', async () => {
      const { handlers, failures } = handlersFor(pki);
      const sign = await aliceSigner(pki);
      await withServer(serve, handlers, async (base) => {
        const client = httpSignInServer(base);
        const challenge = await client.challenge({ address: ADDRESS });
        expect(challenge.rpId).toBe(RP_ID);
        const response = await sign(challenge);
        expect(await client.verify(response)).toEqual({
          verified: true,
          user: { address: ADDRESS, name: ADDRESS },
        });
        expect(await client.verify(response)).toEqual({ verified: false, reason: 'refused' });
        expect(failures.map((f) => [f.reason, f.clientKey])).toEqual([
          ['challenge-used', '127.0.0.1'],
        ]);
      });
    });

    it('verifies one of 20 concurrent posts of the same answer, refuses the rest', async () => {
      const sign = await aliceSigner(pki);
      await withServer(serve, handlersFor(pki).handlers, async (base) => {
        const body = JSON.stringify(
          encodeResponse(await sign(await httpSignInServer(base).challenge({ address: ADDRESS }))),
        );
        const answers = await Promise.all(
          Array.from({ length: 20 }, () => post(`${base}/verify`, body)),
        );
        const statuses = answers.map((answer) => answer.status).sort();
        expect(statuses).toEqual([200, ...Array<number>(19).fill(401)]);
      });
    });

    it('answers 400, 413, 415 and 405 itself, with no-store and no detail of the body', async () => {
      await withServer(serve, handlersFor(pki).handlers, async (base) => {
        const notJson = await post(`${base}/verify`, '{"v":');
        expect([notJson.status, await notJson.json()]).toEqual([
          400,
          { error: 'malformed-request' },
        ]);
        const badUtf8 = await fetch(`${base}/challenge`, {
          method: 'POST',
          // {"address":"a\xff"}: JSON only with the byte read as U+FFFD, which is not UTF-8's way.
          body: new Uint8Array([...utf8('{"address":"a'), 0xff, ...utf8('"}')]),
          headers: { 'content-type': 'application/json' },
        });
        // Refused by the adapter as it reads the body, before any handler sees it.
        expect([badUtf8.status, await badUtf8.json()]).toEqual([
          400,
          { error: 'malformed-request' },
        ]);
        const wrongFields = await post(`${base}/verify`, JSON.stringify({ v: 2 }));
        expect(wrongFields.status).toBe(400);
        expect(await wrongFields.json()).toMatchObject({ verified: false });
        const tooLarge = await post(
          `${base}/verify`,
          JSON.stringify({ pad: 'x'.repeat(MAX_BODY) }),
        );
        expect([tooLarge.status, await tooLarge.json()]).toEqual([
          413,
          { error: 'body-too-large' },
        ]);
        expect(await postChunked(`${base}/verify`, 3)).toBe(413);
        const address = JSON.stringify({ address: ADDRESS });
        for (const type of [
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/jsonx',
        ]) {
          const answer = await post(`${base}/challenge`, address, type);
          expect([type, answer.status, await answer.json()]).toEqual([
            type,
            415,
            { error: 'unsupported-media-type' },
          ]);
        }
        const noType = await fetch(`${base}/challenge`, { method: 'POST' });
        expect(noType.status).toBe(415);
        const wrongMethod = await fetch(`${base}/challenge`);
        expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'POST']);
        for (const answer of [notJson, badUtf8, tooLarge, noType, wrongMethod]) {
          expect(answer.headers.get('cache-control')).toBe('no-store');
          expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
        }
        // JSON with a charset parameter is JSON.
        const withCharset = await post(
          `${base}/challenge`,
          address,
          'application/json; charset=utf-8',
        );
        expect(withCharset.status).toBe(200);
      });
    });

    it('rate-limits challenges per client address: 429 with Retry-After', async () => {
      const { handlers, failures } = handlersFor(pki);
      await withServer(serve, handlers, async (base) => {
        const statuses: number[] = [];
        let last: Response | undefined;
        for (let i = 0; i < 4; i++) {
          last = await post(`${base}/challenge`, JSON.stringify({ address: ADDRESS }));
          statuses.push(last.status);
        }
        expect(statuses).toEqual([200, 200, 200, 429]);
        expect(await last?.json()).toEqual({ error: 'rate-limited' });
        expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(failures.at(-1)).toMatchObject({ reason: 'rate-limited', clientKey: '127.0.0.1' });
        await expect(httpSignInServer(base).challenge({ address: ADDRESS })).rejects.toMatchObject({
          code: 'ERR_SERVER_UNAVAILABLE',
        });
      });
    });

    it('answers a handler that throws with 500 and nothing of the error; onError is told', async () => {
      const secret = new Error('the directory password is hunter2');
      const throwing: SignInHandlers = {
        challenge: () => Promise.reject(secret),
        verify: () => Promise.reject(secret),
      };
      await withServer(serve, throwing, async (base, errors) => {
        const answer = await post(`${base}/challenge`, JSON.stringify({ address: ADDRESS }));
        expect(answer.status).toBe(500);
        const text = await answer.text();
        expect(text).toBe('{"error":"internal"}');
        expect(errors).toEqual([secret]);
      });
    });

    it('counts X-Forwarded-For only when the framework is told to trust the proxy', async () => {
      expect(await forwardedRequests(serve, pki)).toEqual({
        statuses: [200, 429, 429],
        keys: ['127.0.0.1', '127.0.0.1'],
      });
      expect(await forwardedRequests(serveBehindProxy, pki)).toEqual({
        statuses: [200, 200, 429],
        keys: ['198.51.100.2'],
      });
    });

    it("says no-store even when a wrapper's answer dropped the handlers' headers", async () => {
      const bare: SignInHandlers = {
        challenge: async () => ({ status: 200, headers: {}, body: { wrapped: true } }),
        verify: async () => ({ status: 200, headers: {}, body: {} }),
      };
      await withServer(serve, bare, async (base) => {
        const answer = await post(`${base}/challenge`, '{}');
        expect(await answer.json()).toEqual({ wrapped: true });
        expect(answer.headers.get('cache-control')).toBe('no-store');
      });
    });
  });
}
