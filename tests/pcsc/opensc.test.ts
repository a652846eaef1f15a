/**
 * OpenSC against the emulated PIV card behind pcscd: opensc-tool names it a PIV card; keys made
 * through the SDK's PivSmartCard (RSA-2048 in 9A, P-256 in 9C) sign through pkcs11-tool and
 * OpenSC's PKCS#11 module, and OpenSSL verifies the signatures with the certificates' keys; a
 * wrong PIN through pkcs11-tool is counted by the card, as the SDK then reads.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CardServer, startCardServer } from './support/card-server.js';
import { missingForPcsc, type PcscStack, startPcscStack } from './support/stack.js';

const OPENSC_MODULE = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';
const missing = missingForPcsc([
  ['/usr/bin/pkcs11-tool', 'opensc'],
  [OPENSC_MODULE, 'opensc-pkcs11'],
  ['/usr/bin/openssl', 'openssl'],
]);
const run = promisify(execFile);

describe.skipIf(missing !== '')(
  `OpenSC on the emulated PIV card (${missing || 'pcscd + vpcd + opensc + openssl'})`,
  () => {
    let stack: PcscStack;
    let server: CardServer;
    let work: string;
    const pkcs11Tool = (args: readonly string[]) =>
      stack.exec('pkcs11-tool', ['--module', OPENSC_MODULE, ...args]);

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'sc2fa-opensc-'));
      stack = await startPcscStack(20125);
      server = await startCardServer(stack, {
        serial: 31415926,
        managementKey: 'aes',
        trace: 'opensc',
      });
    });
    afterAll(async () => {
      if (server !== undefined) await server.remove().catch(() => undefined);
      await stack?.stop();
      rmSync(work, { recursive: true, force: true });
    });

    it('names a PIV card, signs with the SDK-made keys (RSA and ECDSA) verified by OpenSSL, and counts a wrong PIN', async () => {
      expect((await stack.exec('opensc-tool', ['-n'])).trim()).toBe(
        'Personal Identity Verification Card',
      );

      const setup = await server.ask('setup');
      const certificates = setup.certificates as Record<'9a' | '9c', string>;
      for (const [slot, der] of Object.entries(certificates)) {
        writeFileSync(join(work, `${slot}.der`), Buffer.from(der, 'base64'));
        const { stdout } = await run('openssl', [
          'x509',
          ...['-inform', 'der', '-in', join(work, `${slot}.der`), '-pubkey', '-noout'],
        ]);
        writeFileSync(join(work, `${slot}.pub`), stdout);
      }
      const objects = await pkcs11Tool(['--list-objects']);
      expect(objects).toMatch(
        /Certificate for PIV Authentication[\s\S]*subject:\s+DN: CN=PIV 9a test/,
      );
      expect(objects).toMatch(
        /Certificate for Digital Signature[\s\S]*subject:\s+DN: CN=PIV 9c test/,
      );

      const data = join(work, 'data.txt');
      writeFileSync(data, 'signed by the emulated PIV card through OpenSC\n');
      const signs = [
        { id: '01', mechanism: 'SHA256-RSA-PKCS', slot: '9a', extra: [] },
        {
          id: '02',
          mechanism: 'ECDSA-SHA256',
          slot: '9c',
          extra: ['--signature-format', 'openssl'],
        },
      ];
      for (const { id, mechanism, slot, extra } of signs) {
        const signature = join(work, `${slot}.sig`);
        await pkcs11Tool([
          ...['--login', '--pin', '123456', '--sign', '--id', id, '-m', mechanism],
          ...[...extra, '-i', data, '-o', signature],
        ]);
        const verify = await run('openssl', [
          ...['dgst', '-sha256', '-verify', join(work, `${slot}.pub`)],
          ...['-signature', signature, data],
        ]);
        expect(verify.stdout.trim()).toBe('Verified OK');
      }
      // Tampered data fails: the check above is a real one.
      writeFileSync(data, 'something else\n');
      await expect(
        run('openssl', [
          ...['dgst', '-sha256', '-verify', join(work, '9a.pub')],
          ...['-signature', join(work, '9a.sig'), data],
        ]),
      ).rejects.toThrow(/bad signature|Verification failure/);

      const before = await server.ask('inspect');
      expect(before.status).toMatchObject({ attemptsRemaining: 3, maxAttempts: 3 });
      await expect(
        pkcs11Tool([
          '--login',
          '--pin',
          '999999',
          '--sign',
          '--id',
          '01',
          '-m',
          'SHA256-RSA-PKCS',
          '-i',
          data,
        ]),
      ).rejects.toThrow(/CKR_PIN_INCORRECT/);
      const after = await server.ask('inspect');
      expect(after.status).toMatchObject({ attemptsRemaining: 2, blocked: false });
      expect(after.containers).toEqual([
        expect.objectContaining({
          name: 'authentication',
          algorithm: 'RSA-2048',
          hasCertificate: true,
        }),
        expect.objectContaining({
          name: 'signature',
          algorithm: 'ECDSA-P256',
          hasCertificate: true,
        }),
      ]);

      const removed = await server.remove();
      const trace = readFileSync(String(removed.trace), 'utf8');
      expect(trace).toContain('> 00a4040009a00000030800001000');
      expect(trace).toContain('> 00200080082a2a2a2a2a2a2a2a (masked)');
      expect(trace).not.toMatch(/3132333435363(ff){2}/);
    });
  },
);
