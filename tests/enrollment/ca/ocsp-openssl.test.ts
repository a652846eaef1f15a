/**
 * `openssl ocsp` asks our responder, served by `ocspHttpHandler` on 127.0.0.1, about good,
 * revoked and unknown certificates, with its nonce, and accepts the responses signed by the
 * issuing CA's key and by a delegated responder, trusting only the root (`-CAfile`).
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/clock.js';
import {
  type CertificateAuthority,
  type OcspResponder,
  ocspHttpHandler,
} from '../../../src/enrollment/ca/index.js';
import { hasOpenssl, NEEDS_OPENSSL, scratch } from '../../support/openssl.js';
import { ALICE, testCa } from '../support/ca.js';
import { ecKey, pkcs10 } from '../support/requests.js';

const files = scratch();
let server: Server;
let url: string;
/** What the server answers with: the test sets it. */
let current: OcspResponder = async () => new Uint8Array(0);

beforeAll(async () => {
  const handler = ocspHttpHandler((request) => current(request));
  server = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  files.remove();
});

/** Runs openssl without blocking the event loop (our server answers it in this process). */
function opensslAsync(...args: string[]): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    execFile('openssl', args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ status, output: `${stdout}${stderr}` });
    });
  });
}

async function issuedPem(ca: CertificateAuthority): Promise<{ pem: string; serial: string }> {
  const answer = await ca.issue(await pkcs10(await ecKey(), { template: 'SmartcardUser' }), {
    requester: ALICE.account,
  });
  if (answer.status !== 'issued') throw new Error(answer.status);
  return { pem: answer.pem, serial: answer.serialNumber };
}

describe.skipIf(!hasOpenssl)(`openssl ocsp against ocspHttpHandler (${NEEDS_OPENSSL})`, () => {
  const cases = [
    ['issuer', 'ECDSA-P256'],
    ['delegated', 'ECDSA-P256'],
    ['delegated', 'RSA-2048'],
    ['issuer', 'ECDSA-P384'],
    ['delegated', 'ECDSA-P384'],
  ] as const;
  for (const [responder, keyAlgorithm] of cases) {
    it(`answers good, revoked and unknown, signed by the ${responder} (${keyAlgorithm}), nonce echoed`, async () => {
      // openssl ocsp checks thisUpdate and nextUpdate against the real time: the system clock.
      const ca = await testCa({ issuing: true, clock: systemClock, keyAlgorithm });
      current = ca.ocspResponder({ responder });
      const good = await issuedPem(ca);
      const lost = await issuedPem(ca);
      await ca.revoke(lost.serial, 'keyCompromise');
      const root = files.file('root.pem', ca.pem.root);
      const issuer = files.file('issuer.pem', ca.pem.issuer);
      const ask = (...target: string[]) =>
        opensslAsync(
          'ocsp',
          '-issuer',
          issuer,
          ...target,
          '-url',
          url,
          '-CAfile',
          root,
          '-resp_text',
        );
      const first = await ask('-cert', files.file('good.pem', good.pem));
      expect(first.output).toContain('Response verify OK');
      expect(first.output).toMatch(/good\.pem: good/);
      expect(first.output).toContain('OCSP Nonce');
      expect(first.output).not.toContain('WARNING');
      expect(first.status, first.output).toBe(0);
      const second = await ask('-cert', files.file('lost.pem', lost.pem));
      expect(second.output).toContain('Response verify OK');
      expect(second.output).toMatch(/lost\.pem: revoked/);
      expect(second.output).toContain('Reason: keyCompromise');
      const third = await ask('-serial', '0x7f0102030405');
      expect(third.output).toContain('Response verify OK');
      expect(third.output).toMatch(/0x7f0102030405: unknown/i);
      if (keyAlgorithm === 'ECDSA-P384') expect(first.output).toContain('ecdsa-with-SHA384');
      if (responder === 'delegated') {
        expect(first.output).toMatch(/Responder Id: [0-9A-F]{40}/);
        expect(first.output).toContain('OCSP Signing');
      }
    });
  }

  it('refuses a response signed by another CA (openssl says so)', async () => {
    const ca = await testCa({ issuing: true, clock: systemClock });
    const other = await testCa({ issuing: true, clock: systemClock });
    current = other.ocspResponder();
    const good = await issuedPem(ca);
    const root = files.file('root.pem', ca.pem.root);
    const issuer = files.file('issuer.pem', ca.pem.issuer);
    const cert = files.file('good.pem', good.pem);
    const result = await opensslAsync(
      'ocsp',
      '-issuer',
      issuer,
      '-cert',
      cert,
      '-url',
      url,
      '-CAfile',
      root,
    );
    expect(result.output).not.toContain('Response verify OK');
  });
});
