/**
 * Sign in over HTTP behind Express and behind Fastify: the SDK's handlers, with the session
 * cookie of examples/http-server.ts, served by each framework on 127.0.0.1; Alice's card signs a
 * challenge from each, each answer is verified once and its replay refused.
 *
 * This is the code of docs/server.md, "Express and Fastify". Run it with
 * `npx tsx examples/express-fastify.ts`.
 */
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import express from 'express';
import Fastify from 'fastify';
import {
  Authenticator,
  createSignInHandlers,
  toExpressHandler,
  toFastifyPlugin,
  type VerifiedSignIn,
} from 'smartcard-2fa/server';
import { encodeResponse, httpSignInServer, signChallenge } from 'smartcard-2fa/session';
import { ALICE, aliceAndHerCard, type Log, RP_ID, withSessionCookie } from './http-server.js';

export async function main(log: Log = console.log): Promise<void> {
  const { ca, card } = await aliceAndHerCard();
  const authenticator = new Authenticator({
    trustAnchors: [ca.root],
    intermediates: [ca.issuer],
    rpId: RP_ID,
  });
  const handlers = withSessionCookie(
    createSignInHandlers(authenticator, {
      onFailure: (failure) => log(`refused: ${failure.route} ${failure.reason}`),
    }),
  );

  // Express: the routes sit where the middleware is mounted; other paths go on to the app.
  // The rate limit counts req.ip: set 'trust proxy' only behind a proxy you run.
  const app = express();
  app.use('/sign-in', toExpressHandler(handlers, { onError: (error) => log(`error: ${error}`) }));
  const listening = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => listening.once('listening', resolve));

  // Fastify: the register prefix is the routes' prefix. The rate limit counts request.ip
  // (trustProxy off by default). The plugin's routes parse their own bodies.
  const fastify = Fastify();
  await fastify.register(toFastifyPlugin(handlers), { prefix: '/sign-in' });
  await fastify.listen({ port: 0, host: '127.0.0.1' });

  const servers = {
    express: `http://127.0.0.1:${(listening.address() as AddressInfo).port}/sign-in`,
    fastify: `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}/sign-in`,
  };
  try {
    await card.verifyPin('12345678');
    const [container] = await card.containers();
    if (container === undefined) throw new Error('The card is blank.');
    for (const [name, baseUrl] of Object.entries(servers)) {
      const challenge = await httpSignInServer(baseUrl).challenge({ address: ALICE.upn });
      const response = await signChallenge(card, container.name, challenge, { rpId: RP_ID });
      const answer = await fetch(`${baseUrl}/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(encodeResponse(response)),
      });
      const body = (await answer.json()) as VerifiedSignIn;
      log(`${name}: ${answer.status} ${body.user.name} (${body.method})`);
      log(`${name} cookie: ${answer.headers.get('set-cookie')?.replace(/=[\w-]{43};/, '=…;')}`);
      const replay = await httpSignInServer(baseUrl).verify(response);
      log(`${name} replay verified: ${replay.verified}`);
    }
  } finally {
    listening.close();
    await fastify.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
