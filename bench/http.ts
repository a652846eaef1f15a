/**
 * Row 8: a sign-in over HTTP on 127.0.0.1, what a deployed server pays beside calling the
 * Authenticator in process: challenge, the card's signature and verify, through node:http and the
 * SDK's handlers with the `fetch` client (`httpSignInServer`), with the memory store and with
 * `RedisChallengeStore` on a redis-server the bench starts (scripts/redis), against the same steps
 * in process. The card's signature is in all three, so the ratio is the cost of the wire, the
 * sockets and, for Redis, its round trips. Without redis-server the Redis row says so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import {
  Authenticator,
  type ChallengeStore,
  createSignInHandlers,
  RedisChallengeStore,
  toNodeHandler,
} from '../src/server/index.js';
import { httpSignInServer, type SignInServer, signChallenge } from '../src/session/index.js';
import type { Fixture } from './fixture.js';
import { RP_ID } from './fixture.js';
import { check, type Operation, type Plan, ratioOf, timeRepeats } from './harness.js';
import type { Row } from './table.js';

const scripts = fileURLToPath(new URL('../scripts/redis/', import.meta.url));

/** A sign-in server on 127.0.0.1 with `store`; `close()` stops it. */
async function listen(fixture: Fixture, store: ChallengeStore | undefined) {
  const authenticator = authenticatorOf(fixture, store);
  const handlers = createSignInHandlers(authenticator, { rateLimit: false });
  const server: Server = createServer(toNodeHandler(handlers, { prefix: '/sign-in' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sign-in`;
  return {
    client: httpSignInServer(url),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function authenticatorOf(fixture: Fixture, store: ChallengeStore | undefined) {
  return new Authenticator({
    trustAnchors: [fixture.pki.root],
    intermediates: [fixture.pki.issuer],
    crls: fixture.crls,
    rpId: RP_ID,
    ...(store === undefined ? {} : { store }),
  });
}

/** A redis-server of the bench's own, or undefined when the machine has none. */
async function startRedis(): Promise<{ url: string; stop(): void } | undefined> {
  if (!existsSync('/usr/bin/redis-server')) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'sc2fa-bench-redis-'));
  // A port the system gives, free now.
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  execFileSync('bash', [join(scripts, 'start-redis.sh'), dir, `${port}`]);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => {
      execFileSync('bash', [join(scripts, 'stop-redis.sh'), dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function httpRows(fixture: Fixture, plan: Plan, repeats: number): Promise<Row[]> {
  const { card, pin, container, address } = fixture;
  await card.verifyPin(pin);
  const signIn =
    (server: Pick<SignInServer, 'challenge' | 'verify'>): Operation =>
    async () => {
      const challenge = await server.challenge({ address });
      const response = await signChallenge(card, container, challenge, { rpId: RP_ID });
      check((await server.verify(response)).verified, 'the sign-in verifies');
    };
  const inProcess = authenticatorOf(fixture, undefined);
  const memory = await listen(fixture, undefined);
  const redis = await startRedis();
  const client = redis === undefined ? undefined : createClient({ url: redis.url });
  await client?.connect();
  const overRedis =
    client === undefined ? undefined : await listen(fixture, new RedisChallengeStore({ client }));
  try {
    const cases: Record<string, Operation> = {
      inProcess: signIn(inProcess),
      memory: signIn(memory.client),
      ...(overRedis === undefined ? {} : { redis: signIn(overRedis.client) }),
    };
    for (const operation of Object.values(cases)) await operation(0); // each path seen once
    const times = await timeRepeats(cases, plan, repeats);
    const row = (name: string, mine: string): Row => ({
      group: '8',
      name,
      ...ratioOf(times[mine] as number[], times.inProcess as number[]),
      unit: 'ms',
    });
    return [
      row('sign-in over HTTP on 127.0.0.1, memory store ÷ in process', 'memory'),
      overRedis === undefined
        ? {
            group: '8',
            name: '  the same, Redis store (skipped: no redis-server here)',
            ours: Number.NaN,
            reference: Number.NaN,
            unit: 'ms',
          }
        : row('  the same, RedisChallengeStore on redis-server ÷ in process', 'redis'),
    ];
  } finally {
    await card.logout();
    await memory.close();
    await overRedis?.close();
    client?.destroy();
    redis?.stop();
  }
}
