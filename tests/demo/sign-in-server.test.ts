/**
 * The demo's sign-in server closes whatever is open: an idle keep-alive connection, a request
 * still waiting for the Authenticator, and a second close; nothing listens afterwards.
 */
import { request } from 'node:http';
import type { Authenticator } from 'smartcard-2fa/server';
import { describe, expect, it } from 'vitest';
import { startSignInServer } from '../../demo/sign-in-server.js';

/** Posts `body` on a keep-alive connection; the answer's status, or the socket's error. */
function post(url: string, body: unknown, agent: import('node:http').Agent) {
  return new Promise<number | Error>((resolve) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', resolve);
    req.end(JSON.stringify(body));
  });
}

const refuses = (url: string) =>
  new Promise<boolean>((resolve) => {
    const req = request(url, { method: 'POST' }, () => resolve(false));
    req.on('error', () => resolve(true));
    req.end();
  });

describe('the demo sign-in server', () => {
  it('closes an idle keep-alive connection and a request in flight, and closes twice', async () => {
    let release: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const authenticator = {
      challenge: async () => {
        calls += 1;
        if (calls > 1) await waiting; // the second challenge hangs until after close
        throw Object.assign(new Error('no'), { code: 'ERR_INVALID_INPUT' });
      },
      verify: async () => ({ verified: false, reason: 'bad-signature', detail: '' }),
    } as unknown as Authenticator;
    const server = await startSignInServer(authenticator, () => undefined);
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true });
    try {
      const challengeUrl = `${server.url}/challenge`;
      expect(typeof (await post(challengeUrl, { address: 'alice@contoso.com' }, agent))).toBe(
        'number',
      );
      const inFlight = post(challengeUrl, { address: 'alice@contoso.com' }, agent);
      while (calls < 2) await new Promise((resolve) => setImmediate(resolve));
      await server.close();
      expect(await inFlight).toBeInstanceOf(Error);
      // The handler answers into the closed socket: no throw, no unhandled error.
      release();
      for (let tick = 0; tick < 10; tick++) await new Promise((resolve) => setImmediate(resolve));
      await server.close();
      expect(await refuses(challengeUrl)).toBe(true);
    } finally {
      release();
      agent.destroy();
    }
  });
});
