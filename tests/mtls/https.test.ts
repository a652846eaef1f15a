/**
 * Mutual TLS on 127.0.0.1: examples/mtls-server.ts (node:https, requestCert, the SDK's
 * ClientCertificateVerifier deciding) and Node's https client presenting certificates whose keys
 * it holds in software. A Smart Card Logon certificate of the trusted CA signs in; no
 * certificate, a revoked one, a Client-Authentication-only one (a software key, by its EKU) and
 * one from another CA are refused, each with its precise reason.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MtlsServer, serve, startMtlsServer } from '../../examples/mtls-server.js';
import type { CertificateAuthority } from '../../src/enrollment/index.js';
import type { ClientCertificateResult } from '../../src/server/index.js';
import {
  ALICE,
  BOB,
  CLIENT_AUTH_ONLY,
  issueTo,
  makeCa,
  type SoftwareClient,
  serverCertificate,
} from './support/pki.js';

/** One HTTPS GET with `client`'s certificate (or none); the status, body and server's verdict. */
function get(port: number, client?: SoftwareClient): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        rejectUnauthorized: false,
        ...(client === undefined ? {} : { key: client.key, cert: client.cert }),
      },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('mutual TLS with node:https and the ClientCertificateVerifier', () => {
  let ca: CertificateAuthority;
  let server: MtlsServer;
  const results: ClientCertificateResult[] = [];
  let alice: SoftwareClient;

  beforeAll(async () => {
    ca = await makeCa();
    alice = await issueTo(ca, ALICE);
    server = await startMtlsServer({
      ...serverCertificate(),
      verifier: {
        trustAnchors: [ca.root],
        intermediates: [ca.issuer],
        crls: async () => [await ca.crl(), await ca.rootCrl()],
        revocation: 'require',
      },
      onResult: (result) => results.push(result),
    });
  }, 30_000);
  afterAll(async () => {
    await server?.close();
  });

  async function verdict(client?: SoftwareClient) {
    const before = results.length;
    const answer = await get(server.port, client);
    expect(results.length).toBe(before + 1);
    return { ...answer, result: results[before] as ClientCertificateResult };
  }

  it('signs in a Smart Card Logon certificate of the trusted CA: the user is its UPN', async () => {
    const { status, body, result } = await verdict(alice);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ user: ALICE.upn, upn: ALICE.upn, sid: ALICE.sid });
    expect(result).toMatchObject({ verified: true, user: { name: ALICE.upn, matched: 'upn' } });
  });

  it('refuses a client without a certificate', async () => {
    const { status, result } = await verdict();
    expect(status).toBe(403);
    expect(result).toEqual({
      verified: false,
      reason: 'no-certificate',
      detail: 'The client sent no certificate.',
    });
  });

  it('refuses a revoked certificate (the CA revoked it; its CRL says so)', async () => {
    const revoked = await issueTo(ca, BOB);
    expect((await verdict(revoked)).status).toBe(200);
    await ca.revoke(revoked.serial, 'keyCompromise');
    const { status, result } = await verdict(revoked);
    expect(status).toBe(403);
    expect(result).toMatchObject({ reason: 'certificate-invalid', pathReason: 'revoked' });
  });

  it('refuses a Client Authentication certificate whose key is in software (no Smart Card Logon)', async () => {
    const software = await issueTo(ca, ALICE, CLIENT_AUTH_ONLY);
    const { status, result } = await verdict(software);
    expect(status).toBe(403);
    expect(result).toMatchObject({ reason: 'certificate-invalid', pathReason: 'eku' });
  });

  it('refuses a certificate from another CA, though it names the same user', async () => {
    const other = await issueTo(await makeCa('Fabrikam'), ALICE);
    const { status, result } = await verdict(other);
    expect(status).toBe(403);
    expect(result).toMatchObject({ reason: 'certificate-invalid', pathReason: 'no-path' });
  });

  it('runs from the command line with a folder of PEM files, a line logged per request', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sc2fa-mtls-'));
    const { key, cert } = serverCertificate();
    writeFileSync(join(folder, 'server.key'), key);
    writeFileSync(join(folder, 'server.crt'), cert);
    writeFileSync(join(folder, 'ca.pem'), ca.pem.root);
    writeFileSync(join(folder, 'intermediates.pem'), ca.pem.issuer);
    const lines: string[] = [];
    const cli = await serve(folder, 0, (line) => lines.push(line));
    try {
      expect((await get(cli.port, alice)).status).toBe(200);
      expect((await get(cli.port)).status).toBe(403);
    } finally {
      await cli.close();
      rmSync(folder, { recursive: true, force: true });
    }
    expect(lines).toEqual([
      `listening: https://127.0.0.1:${cli.port}/`,
      `verified: ${ALICE.upn}`,
      'refused: no-certificate (The client sent no certificate.)',
    ]);
  });
});
