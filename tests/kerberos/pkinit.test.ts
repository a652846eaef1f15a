/**
 * Smart card logon with Kerberos: an MIT KDC with PKINIT (scripts/kerberos/start-kdc.sh, its
 * certificate from the embedded CA's "Kerberos Authentication" template) and kinit with Alice's
 * emulated PIV card behind pcscd, enrolled through the SDK, reached through OpenSC's PKCS#11
 * module, the PIN typed on kinit's stdin. The KDC, pcscd, the card and the clients all run in the
 * PC/SC stack's namespaces; everything is stopped by PID.
 */

import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACTORY_DEFAULTS } from '../../src/card/piv/piv-constants.js';
import { lineFrom, missingForPcsc, type PcscStack, startPcscStack } from '../pcsc/support/stack.js';
import { kinitWithCard, klist, OPENSC_MODULE } from './support/kerberos-client.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const KDC_PORT = 20188;
const missing = missingForPcsc([
  ['/usr/sbin/krb5kdc', 'krb5-kdc'],
  ['/usr/lib/x86_64-linux-gnu/krb5/plugins/preauth/pkinit.so', 'krb5-pkinit'],
  ['/usr/bin/kinit', 'krb5-user'],
  ['/usr/sbin/kadmin.local', 'krb5-admin-server'],
  [OPENSC_MODULE, 'opensc'],
  ['/usr/bin/openssl', 'openssl'],
]);

interface PinStatusStep {
  readonly status: { readonly attemptsRemaining: number };
}

describe.skipIf(missing !== '')(
  `kinit with the emulated PIV card (${missing || 'MIT KDC with PKINIT + pcscd + OpenSC'})`,
  () => {
    let stack: PcscStack;
    let card: ChildProcess;
    let kdcDir: string;

    /** Asks the card's scenario for the PIN's tries, as the SDK reads them from the card. */
    async function attemptsRemaining(): Promise<number> {
      const answer = lineFrom(card, (line) => line.includes('"step":"status"'));
      card.stdin?.write('{"do":"status"}\n');
      return (JSON.parse(await answer) as PinStatusStep).status.attemptsRemaining;
    }

    beforeAll(async () => {
      kdcDir = mkdtempSync(join(tmpdir(), 'sc2fa-kdc-'));
      stack = await startPcscStack(20129);
      card = stack.spawnScript('tests/kerberos/scenarios/enrolled-piv-card.mts', [
        String(stack.port),
        kdcDir,
      ]);
      await lineFrom(card, (line) => line.includes('"step":"inserted"'), 30_000);
      const kdcScript = join(root, 'scripts/kerberos/start-kdc.sh');
      await stack.exec('bash', [kdcScript, kdcDir, String(KDC_PORT), 'alice']);
      for (let i = 0; i < 50; i++) {
        if (/0\s+Yes/.test(await stack.exec('opensc-tool', ['--list-readers']))) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }, 40_000);

    afterAll(async () => {
      if (card !== undefined && card.exitCode === null) {
        const removed = lineFrom(card, (line) => line.includes('"step":"removed"'));
        card.stdin?.write('{"do":"remove"}\n');
        await removed.catch(() => undefined);
      }
      if (kdcDir !== undefined) {
        await run('bash', [join(root, 'scripts/kerberos/stop-kdc.sh'), kdcDir]);
      }
      await stack?.stop();
      if (kdcDir !== undefined) rmSync(kdcDir, { recursive: true, force: true });
    }, 30_000);

    it('gets a ticket for alice@CONTOSO.TEST with the card and its PIN', async () => {
      const kinit = await kinitWithCard(stack, kdcDir, 'alice@CONTOSO.TEST', FACTORY_DEFAULTS.pin);
      expect(kinit.output).toMatch(/PIN:/);
      expect(kinit.code, kinit.output).toBe(0);
      const tickets = await klist(stack, kdcDir);
      expect(tickets.output).toContain('Default principal: alice@CONTOSO.TEST');
      expect(tickets.output).toContain('krbtgt/CONTOSO.TEST@CONTOSO.TEST');
      const kdcLog = readFileSync(join(kdcDir, 'krb5kdc.log'), 'utf8');
      expect(kdcLog).toMatch(
        /ISSUE: .* alice@CONTOSO\.TEST for krbtgt\/CONTOSO\.TEST@CONTOSO\.TEST/,
      );
    }, 30_000);

    it('fails with a wrong PIN, which the card counts', async () => {
      const before = await attemptsRemaining();
      expect(before).toBe(FACTORY_DEFAULTS.tries);
      rmSync(join(kdcDir, 'ccache'), { force: true });
      const kinit = await kinitWithCard(stack, kdcDir, 'alice@CONTOSO.TEST', '654321');
      expect(kinit.code, kinit.output).not.toBe(0);
      expect(kinit.output).toMatch(/Pre-?authentication failed/i);
      expect((await klist(stack, kdcDir)).code).not.toBe(0);
      expect(await attemptsRemaining()).toBe(before - 1);
    }, 30_000);
  },
);
