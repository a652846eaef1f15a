/**
 * One instance of a sign-in service that runs as several: node:http on 127.0.0.1, the SDK's
 * handlers, and the challenges in Redis, so that a challenge this instance issues may be
 * answered at any other, and a replay is refused at all of them.
 *
 * This is the code of docs/server.md ("Many instances"). Run two, on one Redis:
 *
 *   npx tsx examples/sign-in-instance.ts --redis redis://127.0.0.1:6379 \
 *     --root root.cer --issuer issuing.cer --rp-id intranet.contoso.com
 *
 * Each prints `listening http://127.0.0.1:<port>/sign-in`, then a line per refused request.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createClient } from 'redis';
import { derFromPem } from 'smartcard-2fa';
import {
  Authenticator,
  createSignInHandlers,
  RedisChallengeStore,
  toNodeHandler,
} from 'smartcard-2fa/server';

const { values } = parseArgs({
  options: {
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
    root: { type: 'string' },
    issuer: { type: 'string', multiple: true, default: [] },
    'rp-id': { type: 'string' },
    port: { type: 'string', default: '0' },
  },
});
if (values.root === undefined || values['rp-id'] === undefined) {
  throw new Error('Give --root <CA certificate file> and --rp-id <service name>.');
}
/** The certificates of a PEM file (one or more). */
const certificates = (file: string) =>
  derFromPem(readFileSync(file, 'utf8'), { label: 'CERTIFICATE' });

// One Redis client per instance; while Redis is down its commands fail at once (no offline
// queue), and the store answers ERR_SERVER_UNAVAILABLE: the handlers say 503, never a pass.
const redis = createClient({ url: values.redis, disableOfflineQueue: true });
redis.on('error', (error: Error) => console.log(`redis: ${error.message}`));
await redis.connect();

const authenticator = new Authenticator({
  trustAnchors: certificates(values.root),
  intermediates: values.issuer.flatMap(certificates),
  rpId: values['rp-id'],
  store: new RedisChallengeStore({ client: redis, prefix: 'intranet:challenge:' }),
});
const handlers = createSignInHandlers(authenticator, {
  onFailure: (failure) => console.log(`refused: ${failure.route} ${failure.reason}`),
});
const server = createServer(toNodeHandler(handlers, { prefix: '/sign-in' }));
server.listen(Number(values.port), '127.0.0.1', () => {
  console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}/sign-in`);
});

// Stopped by its PID (SIGTERM): close the server and the Redis connection, then exit.
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  redis.destroy();
});
