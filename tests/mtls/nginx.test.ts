/**
 * Mutual TLS behind a real nginx (scripts/nginx: Debian's nginx on 127.0.0.1, its own prefix,
 * stopped by PID): nginx terminates TLS with `ssl_verify_client optional_no_ca` and passes the
 * certificate as `$ssl_client_escaped_cert` to examples/mtls-server.ts's startBehindNginx, which
 * verifies it. A header of that name sent by a client is replaced, never believed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MtlsServer, startBehindNginx } from '../../examples/mtls-server.js';
import type { ClientCertificateResult } from '../../src/server/index.js';
import { ciMustHave } from '../pcsc/support/stack.js';
import { ALICE, issueTo, makeCa, type SoftwareClient } from './support/pki.js';

const run = promisify(execFile);
const missing = ciMustHave(
  existsSync('/usr/sbin/nginx') ? '' : 'needs nginx: apt-get install nginx-light',
);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.once('error', reject);
  });
}

function get(
  port: number,
  client?: SoftwareClient,
  headers: Record<string, string> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        headers,
        rejectUnauthorized: false,
        ...(client === undefined ? {} : { key: client.key, cert: client.cert }),
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(missing !== '')(`mTLS behind nginx (${missing || 'nginx'})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sc2fa-nginx-'));
  const script = (name: string) => join(import.meta.dirname, '../../scripts/nginx', name);
  const results: ClientCertificateResult[] = [];
  let app: MtlsServer;
  let port = 0;
  let alice: SoftwareClient;
  let stranger: SoftwareClient;

  beforeAll(async () => {
    const ca = await makeCa();
    alice = await issueTo(ca, ALICE);
    stranger = await issueTo(await makeCa('Fabrikam'), ALICE);
    app = await startBehindNginx({
      verifier: { trustAnchors: [ca.root], intermediates: [ca.issuer] },
      onResult: (result) => results.push(result),
    });
    port = await freePort();
    await run('bash', [script('start-nginx.sh'), dir, String(port), String(app.port)], {
      timeout: 20_000,
    });
  }, 40_000);
  afterAll(async () => {
    await run('bash', [script('stop-nginx.sh'), dir], { timeout: 20_000 });
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function verdict(client?: SoftwareClient, headers?: Record<string, string>) {
    const before = results.length;
    const status = await get(port, client, headers);
    expect(results.length).toBe(before + 1);
    return { status, result: results[before] as ClientCertificateResult };
  }

  it("signs Alice in: nginx's escaped PEM reaches the verifier", async () => {
    const { status, result } = await verdict(alice);
    expect(status).toBe(200);
    expect(result).toMatchObject({ verified: true, user: { name: ALICE.upn } });
  });

  it('replaces the header a client sends itself: without a certificate, nobody signs in', async () => {
    const forged = { 'x-ssl-client-cert': encodeURIComponent(alice.cert) };
    const { status, result } = await verdict(undefined, forged);
    expect(status).toBe(403);
    expect(result).toMatchObject({ verified: false, reason: 'no-certificate' });
    // With a certificate of its own, the forged header is replaced by nginx's.
    const mixed = await verdict(stranger, forged);
    expect(mixed.result).toMatchObject({ reason: 'certificate-invalid', pathReason: 'no-path' });
  });

  it('passes on a certificate of another CA (optional_no_ca), and the verifier refuses it', async () => {
    const { status, result } = await verdict(stranger);
    expect(status).toBe(403);
    expect(result).toMatchObject({ reason: 'certificate-invalid', pathReason: 'no-path' });
  });
});
