/**
 * A redis-server of one test file: scripts/redis/start-redis.sh on 127.0.0.1 and a free port,
 * stopped (and restarted, for the restart test) by its PID with scripts/redis/stop-redis.sh.
 * Tests skip, naming the package, where redis-server is missing; in CI they fail instead.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { ciMustHave } from '../../pcsc/support/stack.js';

const run = promisify(execFile);
const scripts = fileURLToPath(new URL('../../../scripts/redis/', import.meta.url));

/** Why the Redis tests cannot run here ('' when they can; in CI, a throw instead). */
export function missingForRedis(): string {
  const missing = ['/usr/bin/redis-server', '/usr/bin/redis-cli'].filter(
    (path) => !existsSync(path),
  );
  return ciMustHave(
    missing.length === 0
      ? ''
      : 'needs redis-server (Debian package redis-server): scripts/install-system-packages.sh',
  );
}

/** A port nobody listens on now, from the system. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A running redis-server and what the tests do to it. */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** The server's PID (changes on restart). */
  pid: number;
  /** Stops it by PID. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  start(): Promise<void>;
  /** Stops it and removes its files. */
  dispose(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'sc2fa-redis-'));
  const port = await freePort();
  const redis: TestRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: 0,
    async start() {
      const { stdout } = await run('bash', [join(scripts, 'start-redis.sh'), dir, `${port}`]);
      redis.pid = Number(stdout.trim());
    },
    async stop() {
      await run('bash', [join(scripts, 'stop-redis.sh'), dir]);
    },
    async dispose() {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await redis.start();
  return redis;
}

/** A node-redis client of `redis`, connected; errors while Redis is down are expected, not logged. */
export async function connectClient(redis: TestRedis) {
  const client = createClient({
    url: redis.url,
    socket: { reconnectStrategy: (retries) => Math.min(50 * retries, 500) },
  });
  client.on('error', () => {});
  await client.connect();
  return client;
}
