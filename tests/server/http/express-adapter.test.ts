import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { toExpressHandler } from '../../../src/server/index.js';
import { httpSignInServer } from '../../../src/session/index.js';
import { signInPkiBeforeAll } from '../../session/support/file-pki.js';
import { ADDRESS } from '../../session/support/sign-in.js';
import {
  adapterSuite,
  aliceSigner,
  handlersFor,
  MAX_BODY,
  post,
  type Serve,
  type Served,
} from './support/adapter-suite.js';

const pki = signInPkiBeforeAll();

/** Listens on 127.0.0.1 (an ephemeral port); `base` is the URL under `mount`. */
async function listen(app: express.Express, mount: string): Promise<Served> {
  const server = await new Promise<Server>((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}${mount}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const serveOn =
  (trustProxy: boolean): Serve =>
  (handlers, options) => {
    const app = express();
    if (trustProxy) app.set('trust proxy', 'loopback');
    app.use('/sign-in', toExpressHandler(handlers, options));
    return listen(app, '/sign-in');
  };

adapterSuite('toExpressHandler', pki, serveOn(false), serveOn(true));

describe('toExpressHandler in an Express app', () => {
  it("leaves other paths to the app's next middleware", async () => {
    const app = express();
    app.use('/sign-in', toExpressHandler(handlersFor(pki).handlers));
    app.post('/sign-in/other', (_request, response) => {
      response.status(202).send('the app');
    });
    const served = await listen(app, '/sign-in');
    try {
      const other = await post(`${served.base}/other`, '{}');
      expect([other.status, await other.text()]).toEqual([202, 'the app']);
      const missing = await post(`${served.base}/missing`, '{}');
      expect(missing.status).toBe(404); // Express's own 404
    } finally {
      await served.close();
    }
  });

  it('takes the body express.json() parsed before it, and its prefix option', async () => {
    const app = express();
    app.use(express.json({ limit: MAX_BODY }));
    app.use(toExpressHandler(handlersFor(pki).handlers, { prefix: '/api/sign-in' }));
    const served = await listen(app, '/api/sign-in');
    const sign = await aliceSigner(pki);
    try {
      const client = httpSignInServer(served.base);
      const response = await sign(await client.challenge({ address: ADDRESS }));
      expect(await client.verify(response)).toMatchObject({ verified: true });
      const notJson = await post(`${served.base}/challenge`, 'address=x', 'text/plain');
      expect(notJson.status).toBe(415);
    } finally {
      await served.close();
    }
  });
});
