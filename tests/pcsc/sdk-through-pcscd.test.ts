/**
 * The SDK through the real pcscd (scenarios/sdk-through-pcscd.mts, inside the stack's
 * namespaces): PivSmartCard via PcscReader passes the SmartCard contract on emulated PIV cards
 * in a vpcd reader; enrollCard generates the key on the card, has it sign the request and
 * writes the certificate to 9A; the sign-in machine signs in with that card and reacts to its
 * removal mid-session under each removal policy. The SDK's APDUs are saved as an artifact.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smartCardContract } from '../../src/testing/index.js';
import { lineFrom, missingForPcscReader, type PcscStack, startPcscStack } from './support/stack.js';

const missing = missingForPcscReader();

interface Line {
  readonly case?: string;
  readonly step?: string;
  readonly ok?: boolean;
  readonly error?: string;
  readonly [field: string]: unknown;
}

/** The contract's cases for a PIV card that is not removable (see the scenario for why). */
const CASE_NAMES = smartCardContract({
  makeCard: () => Promise.reject(new Error('names only')),
  maxAttempts: 3,
  algorithms: ['RSA-2048', 'ECDSA-P256'],
  unblocks: true,
}).map((contractCase) => contractCase.name);

describe.skipIf(missing !== '')(
  `the SDK through pcscd (${missing || 'pcscd + vpcd + smartcard'})`,
  () => {
    let stack: PcscStack;
    const lines: Line[] = [];
    const step = (name: string) => lines.find((line) => line.step === name);

    beforeAll(async () => {
      stack = await startPcscStack(20129);
      const child = stack.spawnScript('tests/pcsc/scenarios/sdk-through-pcscd.mts', [
        String(stack.port),
      ]);
      let rest = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        const parts = (rest + chunk.toString()).split('\n');
        rest = parts.pop() ?? '';
        for (const part of parts) if (part.startsWith('{')) lines.push(JSON.parse(part) as Line);
      });
      await lineFrom(child, (line) => line.includes('"step":"done"'), 60_000);
    }, 70_000);
    afterAll(async () => {
      await stack?.stop();
    });

    for (const name of CASE_NAMES) {
      it(`contract through PcscReader: ${name}`, () => {
        const result = lines.find((line) => line.case === name);
        expect(result?.error).toBeUndefined();
        expect(result?.ok).toBe(true);
      });
    }

    it('enrolls: the key generated in 9A, the request signed by it, the certificate written to 9A', () => {
      expect(step('enrolled')).toEqual({
        step: 'enrolled',
        status: 'installed',
        stored: true,
        generatedIn9A: true,
        certificateIn9A: true,
      });
    });

    it("signs in; 'no-action': the session goes on, saying the card was removed", () => {
      expect(step('removal-no-action')).toMatchObject({
        signedIn: 'alice@contoso.test',
        out: { route: 'signed-in', notice: 'card-removed' },
        back: { route: 'signed-in', user: 'alice@contoso.test', notice: null },
      });
    });

    it("signs in; 'lock': pulling the card locks, putting it back asks for the PIN", () => {
      expect(step('removal-lock')).toMatchObject({
        signedIn: 'alice@contoso.test',
        out: { route: 'locked', notice: 'card-removed-locked' },
      });
    });

    // Found here: PcscReader opens a new PivSmartCard each time a card is inserted; the locked
    // session recognises its card by id and must use the object inserted, not the one from
    // before the removal, whose transport is gone.
    it("signs in; 'lock': the PIN on the card put back unlocks the session", () => {
      expect(step('removal-lock')).toMatchObject({
        back: { route: 'signed-in', user: 'alice@contoso.test' },
      });
    });

    it("signs in; 'sign-out': pulling the card ends the session", () => {
      expect(step('removal-sign-out')).toMatchObject({
        signedIn: 'alice@contoso.test',
        out: { route: 'sign-in', notice: 'card-removed-signed-out' },
        back: { route: 'sign-in', user: null },
      });
    });

    it('saves every APDU the SDK sent as an artifact, PINs masked', () => {
      const trace = readFileSync(String(step('done')?.trace), 'utf8');
      expect(trace).toContain('# contract: unblocks with the PUK');
      expect(trace).toContain('> 00200080082a2a2a2a2a2a2a2a (masked)');
      expect(trace).toMatch(/> 0047009a05ac03800107\n/);
      expect(trace).not.toContain('3132333435363738'); // 12345678, the PUK
      expect(trace).not.toMatch(/313233343536ffff/); // 123456, the PIN
    });
  },
);
