/**
 * Mutual TLS with the key on the card: Alice's EmulatedPivCard behind the real pcscd (vpcd), a
 * P-256 key generated on it by the SDK's enrollment, and curl with OpenSSL's PKCS#11 engine
 * (libengine-pkcs11-openssl) over OpenSC's module making the TLS handshake inside the stack's
 * namespaces, the PIN given to the engine. examples/mtls-server.ts verifies her with the
 * ClientCertificateVerifier; the card answered VERIFY and GENERAL AUTHENTICATE (the signature).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACTORY_DEFAULTS } from '../../src/card/piv/piv-constants.js';
import { lineFrom, missingForPcsc, type PcscStack, startPcscStack } from '../pcsc/support/stack.js';

const ENGINE = '/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so';
const OPENSC = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';
const missing = missingForPcsc([
  ['/usr/bin/pkcs11-tool', 'opensc'],
  [ENGINE, 'libengine-pkcs11-openssl'],
  [OPENSC, 'opensc-pkcs11'],
  ['/usr/bin/curl', 'curl'],
]);
const VERIFY = 0x20;
const GENERAL_AUTHENTICATE = 0x87;

/** OpenSSL's configuration loading the PKCS#11 engine over OpenSC's module. */
const OPENSSL_CNF = `openssl_conf = openssl_init
[openssl_init]
engines = engine_section
[engine_section]
pkcs11 = pkcs11_section
[pkcs11_section]
engine_id = pkcs11
dynamic_path = ${ENGINE}
MODULE_PATH = ${OPENSC}
init = 0
`;

describe.skipIf(missing !== '')(
  `mTLS with the card's key through OpenSC (${missing || 'pcscd + vpcd + opensc + libengine-pkcs11-openssl + curl'})`,
  () => {
    let stack: PcscStack;
    let child: ReturnType<PcscStack['spawnScript']>;
    const lines: Record<string, unknown>[] = [];
    let port = 0;

    beforeAll(async () => {
      stack = await startPcscStack(20141);
      writeFileSync(join(stack.dir, 'openssl.cnf'), OPENSSL_CNF);
      child = stack.spawnScript('tests/mtls/scenarios/card-tls.mts', [
        String(stack.port),
        stack.dir,
      ]);
      let rest = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        const parts = (rest + chunk.toString()).split('\n');
        rest = parts.pop() ?? '';
        for (const part of parts) if (part.startsWith('{')) lines.push(JSON.parse(part));
      });
      const ready = await lineFrom(child, (line) => line.includes('"step":"ready"'), 60_000);
      port = (JSON.parse(ready) as { port: number }).port;
      await tokenSeen();
    }, 70_000);
    afterAll(async () => {
      child?.stdin?.write('{"do":"stop"}\n');
      await stack?.stop();
    });

    /**
     * Waits until OpenSC, through pcscd, lists the card's token: pcscd notices a card put into
     * vpcd at its next poll, and a TLS client started before that finds no key.
     */
    async function tokenSeen(): Promise<void> {
      for (let attempt = 0; attempt < 100; attempt++) {
        const slots = await stack
          .exec('pkcs11-tool', ['--module', OPENSC, '--list-token-slots'])
          .catch(() => '');
        if (slots.includes('token label')) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('OpenSC never saw the card in the reader');
    }

    /** curl inside the namespaces, the key `pkcs11:` URI's object on the card (9A is id 01). */
    const curl = (pin: string) =>
      stack.exec(
        'env',
        [
          `OPENSSL_CONF=${join(stack.dir, 'openssl.cnf')}`,
          ...['curl', '-sS', '-k', '--engine', 'pkcs11', '--key-type', 'ENG'],
          ...['--key', `pkcs11:id=%01;type=private;pin-value=${pin}`],
          ...['--cert', join(stack.dir, 'alice.pem'), `https://127.0.0.1:${port}/`],
        ],
        30_000,
      );

    async function trace(): Promise<number[]> {
      const before = lines.length;
      child.stdin?.write('{"do":"trace"}\n');
      await lineFrom(child, (line) => line.includes('"step":"trace"'));
      const found = lines.slice(before).find((line) => line.step === 'trace');
      return (found?.ins as number[] | undefined) ?? [];
    }

    it('signs Alice in: the card checks the PIN and signs the handshake', async () => {
      const body = await curl(FACTORY_DEFAULTS.pin);
      expect(JSON.parse(body)).toMatchObject({ user: 'alice@contoso.com' });
      expect(lines.filter((line) => line.step === 'result')).toEqual([
        { step: 'result', verified: true, user: 'alice@contoso.com' },
      ]);
      const ins = await trace();
      expect(ins).toContain(VERIFY);
      expect(ins).toContain(GENERAL_AUTHENTICATE);
      expect(ins.indexOf(VERIFY)).toBeLessThan(ins.lastIndexOf(GENERAL_AUTHENTICATE));
    }, 40_000);

    it('with a wrong PIN the card signs nothing and nobody signs in', async () => {
      const results = lines.filter((line) => line.step === 'result').length;
      await expect(curl('99999999')).rejects.toThrow();
      const ins = await trace();
      expect(ins).toContain(VERIFY);
      expect(ins).not.toContain(GENERAL_AUTHENTICATE);
      const after = lines.filter((line) => line.step === 'result').slice(results);
      expect(after.every((line) => line.verified === false)).toBe(true);
    }, 40_000);
  },
);
