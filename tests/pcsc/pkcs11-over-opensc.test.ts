/**
 * The SDK's Pkcs11SmartCard over OpenSC's PKCS#11 module on the emulated PIV card behind pcscd
 * (scenarios/pkcs11-over-opensc.mts inside the stack's namespaces): the SmartCard contract, with
 * the options that say what PIV through OpenSC's PKCS#11 lacks - no count of tries left
 * (countsAttempts: false), no unblock (unblocks: false). OpenSC 0.23 offers no key pair
 * generation for PIV tokens (no *-KEY-PAIR-GEN mechanism: it has no PIV initialisation profile)
 * and the contract has no option for that: the cases that generate a key are pinned to stop
 * there, with the SDK's typed error.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smartCardContract } from '../../src/testing/index.js';
import {
  ciMustHave,
  lineFrom,
  missingForPcsc,
  type PcscStack,
  startPcscStack,
} from './support/stack.js';

const OPENSC_MODULE = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';

function missingPkcs11js(): string {
  try {
    createRequire(import.meta.url)('pkcs11js');
    return '';
  } catch {
    return 'needs the pkcs11js binding: npm run build:pkcs11';
  }
}
const missing =
  missingForPcsc([[OPENSC_MODULE, 'opensc-pkcs11']]) ||
  (existsSync(OPENSC_MODULE) ? ciMustHave(missingPkcs11js()) : '');

/** The cases that run with these options, and those that need a generated key. */
const CASE_NAMES = smartCardContract({
  makeCard: () => Promise.reject(new Error('names only')),
  maxAttempts: 3,
  countsAttempts: false,
  algorithms: ['RSA-2048', 'ECDSA-P256'],
  unblocks: false,
}).map((contractCase) => contractCase.name);
const WITHOUT_KEYS = [
  'describes itself, blank, without spending an attempt',
  'verifies the PIN, counts wrong ones, and blocks at the limit',
  'changes the PIN after checking the policy',
  'spends one attempt per wrong PIN, however many callers race',
];

interface CaseLine {
  readonly case: string;
  readonly ok: boolean;
  readonly error?: string;
}

describe.skipIf(missing !== '')(
  `Pkcs11SmartCard over OpenSC on the emulated PIV card (${missing || 'pcscd + vpcd + opensc + pkcs11js'})`,
  () => {
    let stack: PcscStack;
    const results = new Map<string, CaseLine>();

    beforeAll(async () => {
      stack = await startPcscStack(20131);
      const child = stack.spawnScript('tests/pcsc/scenarios/pkcs11-over-opensc.mts', [
        String(stack.port),
        OPENSC_MODULE,
      ]);
      let rest = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        const parts = (rest + chunk.toString()).split('\n');
        rest = parts.pop() ?? '';
        for (const part of parts) {
          if (!part.startsWith('{"case"')) continue;
          const line = JSON.parse(part) as CaseLine;
          results.set(line.case, line);
        }
      });
      await lineFrom(child, (line) => line.includes('"step":"done"'), 60_000);
    }, 70_000);
    afterAll(async () => {
      await stack?.stop();
    });

    it('runs every case the options give', () => {
      expect([...results.keys()]).toEqual(CASE_NAMES);
    });

    for (const name of WITHOUT_KEYS) {
      it(`contract over OpenSC's PKCS#11: ${name}`, () => {
        expect(results.get(name)).toEqual({ case: name, ok: true, ms: expect.any(Number) });
      });
    }

    for (const name of CASE_NAMES.filter((each) => !WITHOUT_KEYS.includes(each))) {
      it(`contract over OpenSC's PKCS#11: ${name} - stops at key generation, which OpenSC offers no PIV token`, () => {
        const result = results.get(name);
        expect(result?.ok).toBe(false);
        expect(result?.error).toMatch(
          /ERR_INVALID_INPUT \(This token cannot generate RSA-2048 key pairs\.\)|two racing generateKeyPair/,
        );
      });
    }
  },
);
