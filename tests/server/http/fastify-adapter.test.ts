import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { toFastifyPlugin } from '../../../src/server/index.js';
import { signInPkiBeforeAll } from '../../session/support/file-pki.js';
import {
  adapterSuite,
  handlersFor,
  post,
  type Serve,
  type Served,
} from './support/adapter-suite.js';

const pki = signInPkiBeforeAll();

/** Listens on 127.0.0.1 (an ephemeral port); `base` is the URL under `prefix`. */
async function listen(app: FastifyInstance, prefix: string): Promise<Served> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { base: `${address}${prefix}`, close: () => app.close() };
}

const serveOn =
  (options: FastifyServerOptions): Serve =>
  async (handlers, pluginOptions) => {
    const app = Fastify(options);
    await app.register(toFastifyPlugin(handlers, pluginOptions), { prefix: '/sign-in' });
    return listen(app, '/sign-in');
  };

adapterSuite('toFastifyPlugin', pki, serveOn({}), serveOn({ trustProxy: '127.0.0.1' }));

describe('toFastifyPlugin in a Fastify app', () => {
  it("keeps its body parser to its own routes: the app's JSON routes parse as before", async () => {
    const app = Fastify();
    await app.register(toFastifyPlugin(handlersFor(pki).handlers), { prefix: '/sign-in' });
    app.post('/echo', async (request) => ({ echoed: request.body }));
    const served = await listen(app, '');
    try {
      const echo = await post(`${served.base}/echo`, '{"a":1}');
      expect(await echo.json()).toEqual({ echoed: { a: 1 } });
      const challenge = await post(`${served.base}/sign-in/challenge`, '{"address":7}');
      expect(challenge.status).toBe(400);
      const missing = await post(`${served.base}/sign-in/other`, '{}');
      expect(missing.status).toBe(404); // Fastify's own 404
    } finally {
      await served.close();
    }
  });
});
