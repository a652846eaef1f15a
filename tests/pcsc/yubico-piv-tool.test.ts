/**
 * yubico-piv-tool against the emulated PIV card behind pcscd (3DES management key: Debian 12's
 * yubico-piv-tool 2.2 speaks only 3DES): status, change-pin, generate in 9A, import a
 * certificate issued by a test CA for that key; then the SDK opens the card from its store and
 * agrees: the new PIN, the tries, the key with its certificate as a container of its own.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CardServer, startCardServer } from './support/card-server.js';
import { missingForPcsc, type PcscStack, startPcscStack } from './support/stack.js';

const missing = missingForPcsc([
  ['/usr/bin/yubico-piv-tool', 'yubico-piv-tool'],
  ['/usr/bin/opensc-tool', 'opensc'],
  ['/usr/bin/openssl', 'openssl'],
]);
const run = promisify(execFile);
const NEW_PIN = '24681357';

describe.skipIf(missing !== '')(
  `yubico-piv-tool on the emulated PIV card (${missing || 'pcscd + vpcd + yubico-piv-tool'})`,
  () => {
    let stack: PcscStack;
    let server: CardServer;
    let work: string;
    const pivTool = (...args: string[]) =>
      stack.exec('yubico-piv-tool', ['--reader', 'smartcard-2fa', ...args]);

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'sc2fa-yubico-'));
      stack = await startPcscStack(20127);
      server = await startCardServer(stack, {
        serial: 27182818,
        managementKey: '3des',
        trace: 'yubico-piv-tool',
      });
    });
    afterAll(async () => {
      if (server !== undefined) await server.remove().catch(() => undefined);
      await stack?.stop();
      rmSync(work, { recursive: true, force: true });
    });

    it('reads status, changes the PIN, generates in 9A, imports a certificate, and the SDK reads the same card', async () => {
      const fresh = await pivTool('--action', 'status');
      expect(fresh).toMatch(/Serial Number:\s+27182818/);
      expect(fresh).toMatch(/PIN tries left:\s+3/);
      expect(fresh).not.toMatch(/Slot 9a/);

      await pivTool('--action', 'change-pin', '--pin', '123456', '--new-pin', NEW_PIN);
      const publicKey = join(work, '9a.pub.pem');
      // generate authenticates with the default management key (3DES) by itself.
      await pivTool(
        ...['--action', 'generate', '--slot', '9a', '--algorithm', 'RSA2048'],
        ...['--output', publicKey],
      );
      expect(readFileSync(publicKey, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);

      // A certificate for the card's key from a test CA made here (yubico-piv-tool 2.2's
      // selfsign-certificate fails before it sends anything with Debian's OpenSSL 3).
      const caKey = join(work, 'ca.key');
      const caCertificate = join(work, 'ca.pem');
      const certificate = join(work, '9a.pem');
      await run('openssl', [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
        ...['-keyout', caKey, '-subj', '/CN=PC-SC Test CA', '-days', '2', '-out', caCertificate],
      ]);
      await run('openssl', [
        ...['x509', '-new', '-subj', '/CN=yubico-piv-tool test', '-force_pubkey', publicKey],
        ...['-CA', caCertificate, '-CAkey', caKey, '-days', '1', '-out', certificate],
      ]);
      await pivTool('--action', 'import-certificate', '--slot', '9a', '--input', certificate);

      const status = await pivTool('--action', 'status');
      expect(status).toMatch(
        /Slot 9a:\s+Algorithm:\s+RSA2048\s+Subject DN:\s+CN=yubico-piv-tool test/,
      );
      expect(status).toMatch(/PIN tries left:\s+3/);

      const sdk = await server.ask('inspect', { pin: NEW_PIN });
      expect(sdk.status).toMatchObject({ attemptsRemaining: 3, isDefault: false, blocked: false });
      expect(sdk.verified).toEqual({ status: 'verified', mustChange: false });
      const { stdout: der } = await run(
        'openssl',
        ['x509', '-in', certificate, '-outform', 'der'],
        {
          encoding: 'buffer',
        },
      );
      expect(sdk.containers).toEqual([
        {
          name: 'PIV slot 9A',
          algorithm: 'RSA-2048',
          hasCertificate: true,
          certificate: der.toString('base64'),
        },
      ]);
    });
  },
);
