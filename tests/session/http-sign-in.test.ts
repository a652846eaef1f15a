import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { ServerUnavailableError } from '../../src/errors.js';
import { createSignInHandlers, toNodeHandler } from '../../src/server/index.js';
import { httpSignInServer, Secret, viewSignIn } from '../../src/session/index.js';
import { waitForRoute } from '../../src/testing/index.js';
import { TEST_PIN } from '../support/cards.js';
import { signInPkiBeforeAll } from './support/file-pki.js';
import { ADDRESS, authenticatorFor, enrolledCard, startSignIn } from './support/sign-in.js';

const pki = signInPkiBeforeAll();
let server: Server;
let base: string;

beforeAll(async () => {
  const handlers = createSignInHandlers(authenticatorFor(pki.ca, pki.clock));
  server = createServer(toNodeHandler(handlers, { prefix: '/sign-in' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sign-in`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('httpSignInServer', () => {
  it('is what createSignInMachine takes: a sign-in through node:http on 127.0.0.1', async () => {
    const { card } = await enrolledCard(pki.ca, 'virtual', { pin: TEST_PIN });
    const actor = startSignIn({ method: 'smart-card', card, server: httpSignInServer(base) });
    await waitForRoute(actor, 'sign-in');
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    const view = await waitForRoute(actor, 'signed-in');
    expect(view.user).toEqual({ address: ADDRESS, name: ADDRESS });
    actor.stop();
  });

  it('a network error and a 5xx are ServerUnavailableError', async () => {
    const unreachable = httpSignInServer('http://127.0.0.1:1/sign-in');
    await expect(unreachable.challenge({ address: ADDRESS })).rejects.toBeInstanceOf(
      ServerUnavailableError,
    );
    const failing = httpSignInServer(base, {
      fetch: async () => new Response('{}', { status: 502 }),
    });
    await expect(failing.challenge({ address: ADDRESS })).rejects.toBeInstanceOf(
      ServerUnavailableError,
    );
    const garbled = httpSignInServer(base, {
      fetch: async () => new Response('not json', { status: 200 }),
    });
    await expect(garbled.challenge({ address: ADDRESS })).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
    });
  });

  it('the machine shows an unreachable server as SERVER_UNAVAILABLE', async () => {
    const { card } = await enrolledCard(pki.ca, 'virtual', { pin: TEST_PIN });
    const server = httpSignInServer('http://127.0.0.1:1/sign-in');
    const actor = startSignIn({ method: 'smart-card', card, server });
    await waitForRoute(actor, 'sign-in');
    actor.send({ type: 'SIGN_IN', address: ADDRESS });
    await waitForRoute(actor, 'pin');
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(TEST_PIN) });
    const failed = await waitFor(actor, (s) => viewSignIn(s).error !== null);
    expect(viewSignIn(failed).error?.code).toBe('SERVER_UNAVAILABLE');
    actor.stop();
  });
});
