/**
 * Two sign-in server processes (examples/sign-in-instance.ts, node:http on 127.0.0.1) on one
 * real redis-server, behind no proxy: a challenge issued by one is verified by the other; a
 * replay is refused at both, also 200 concurrent replays split across them; Redis restarted
 * mid-run refuses the open challenges and nothing verifies twice; Redis down is a 503
 * (ERR_SERVER_UNAVAILABLE at the client), never a pass.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from 'smartcard-2fa';
import { encodeResponse, httpSignInServer, signChallenge } from 'smartcard-2fa/session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatedSmartCard } from '../../src/card/index.js';
import { testCa } from '../enrollment/support/ca.js';
import { ADDRESS, enrolledCard, RP_ID } from '../session/support/sign-in.js';
import { TEST_PIN } from '../support/cards.js';
import { missingForRedis, startRedis, type TestRedis } from './support/redis-server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const missing = missingForRedis();
if (missing) console.warn(`skipping the two-instance Redis tests: ${missing}`);

interface Instance {
  readonly child: ChildProcess;
  readonly url: string;
  readonly lines: string[];
}

/** Starts examples/sign-in-instance.ts and waits for its `listening` line. */
function startInstance(args: string[]): Promise<Instance> {
  const child = spawn(
    join(root, 'node_modules', '.bin', 'tsx'),
    ['examples/sign-in-instance.ts', ...args],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const listening = /^listening (\S+)$/.exec(line);
        if (listening?.[1] !== undefined) resolve({ child, url: listening[1], lines });
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`the instance exited (${code}) before listening`)),
    );
  });
}

describe.skipIf(missing !== '')('two sign-in server processes on one Redis', () => {
  let redis: TestRedis;
  let dir: string;
  let a: Instance;
  let b: Instance;
  let card: EmulatedSmartCard;
  let container: string;

  beforeAll(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'sc2fa-instances-'));
    const ca = await testCa({ issuing: true, clock: systemClock });
    const pem = (der: Uint8Array) =>
      `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----\n`;
    writeFileSync(join(dir, 'root.cer'), pem(ca.root));
    writeFileSync(join(dir, 'issuing.cer'), pem(ca.issuer));
    const args = [
      '--redis',
      redis.url,
      '--root',
      join(dir, 'root.cer'),
      '--issuer',
      join(dir, 'issuing.cer'),
      '--rp-id',
      RP_ID,
    ];
    [a, b] = await Promise.all([startInstance(args), startInstance(args)]);
    ({ card } = await enrolledCard(ca, 'virtual', { pin: TEST_PIN }));
    await card.verifyPin(TEST_PIN);
    container = (await card.containers())[0]?.name ?? '';
  }, 60_000);

  afterAll(async () => {
    for (const instance of [a, b]) instance?.child.kill('SIGTERM');
    await redis?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const signed = async (url: string) => {
    const challenge = await httpSignInServer(url).challenge({ address: ADDRESS });
    return signChallenge(card, container, challenge, { rpId: RP_ID });
  };

  it('verifies at one instance a challenge the other issued, once; a replay fails at both', async () => {
    const response = await signed(a.url);
    expect(await httpSignInServer(b.url).verify(response)).toMatchObject({ verified: true });
    expect(await httpSignInServer(a.url).verify(response)).toEqual({
      verified: false,
      reason: 'refused',
    });
    expect(await httpSignInServer(b.url).verify(response)).toEqual({
      verified: false,
      reason: 'refused',
    });
    expect(a.lines).toContain('refused: verify challenge-used');
    expect(b.lines).toContain('refused: verify challenge-used');
  });

  it('of 200 concurrent answers split across both instances, exactly one signs in', async () => {
    const body = JSON.stringify(encodeResponse(await signed(b.url)));
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const answer = await fetch(`${i % 2 === 0 ? a.url : b.url}/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await answer.arrayBuffer();
        return answer.status;
      }),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 401)).toHaveLength(199);
  });

  it('Redis down is 503 at both, never a pass; restarted, it has forgotten open challenges', async () => {
    const open = await signed(a.url);
    await redis.stop();
    for (const instance of [a, b]) {
      await expect(httpSignInServer(instance.url).verify(open)).rejects.toMatchObject({
        code: 'ERR_SERVER_UNAVAILABLE',
      });
      await expect(
        httpSignInServer(instance.url).challenge({ address: ADDRESS }),
      ).rejects.toMatchObject({
        code: 'ERR_SERVER_UNAVAILABLE',
      });
    }
    expect(a.lines.some((line) => line.startsWith('refused: verify unavailable'))).toBe(true);
    await redis.start();
    // Both reconnect by themselves; until then they answer 503.
    const verdicts = [];
    for (const instance of [a, b]) {
      let verdict: Awaited<ReturnType<ReturnType<typeof httpSignInServer>['verify']>> | undefined;
      for (let attempt = 0; attempt < 100 && verdict === undefined; attempt++) {
        verdict = await httpSignInServer(instance.url)
          .verify(open)
          .catch(() => undefined);
        if (verdict === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      verdicts.push(verdict);
    }
    expect(verdicts).toEqual([
      { verified: false, reason: 'refused' },
      { verified: false, reason: 'refused' },
    ]);
    expect(a.lines).toContain('refused: verify unknown-challenge');
    // And it works again: a new challenge signs in once.
    expect(await httpSignInServer(b.url).verify(await signed(a.url))).toMatchObject({
      verified: true,
    });
  });
});
