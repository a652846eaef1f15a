import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { ContractViolation, smartCardContract } from '../../src/testing/index.js';
import { codeOf } from '../support/errors.js';
import {
  BROKEN_CARD_VARIABLE,
  contractOptions,
  goodCard,
  pinlessSignCard,
  uncountedPinCard,
  withOverrides,
} from './support/contract-cards.js';

const COUNTS = 'verifies the PIN, counts wrong ones, and blocks at the limit';
const REFUSES = 'refuses key operations without a verified PIN, and after logout or reset';

/** The case of that name, for the card the options make. */
function caseNamed(name: string, options = contractOptions()) {
  const found = smartCardContract(options).find((c) => c.name === name);
  if (found === undefined) throw new Error(`no case ${name}`);
  return found;
}

/** What `run()` rejected with, or `undefined` when it passed. */
async function failureOf(run: () => Promise<void>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('smartCardContract', () => {
  it("passes the kit's own card on every case, run in plain async code", async () => {
    const cases = smartCardContract(contractOptions());
    expect(cases.map((c) => c.name)).toContain(COUNTS);
    expect(cases).toHaveLength(15);
    const failures: unknown[] = [];
    for (const c of cases) {
      const failure = await failureOf(c.run);
      if (failure !== undefined) failures.push(failure);
    }
    expect(failures).toEqual([]);
  });

  it('catches a card whose wrong PINs are never counted, naming the case', async () => {
    const failure = await failureOf(caseNamed(COUNTS, contractOptions(uncountedPinCard)).run);
    expect(failure).toBeInstanceOf(ContractViolation);
    expect(failure).toMatchObject({
      name: 'ContractViolation',
      caseName: COUNTS,
      check: 'attempts left after a wrong PIN',
      expected: '4',
      actual: '5',
    });
    expect((failure as Error).message).toBe(
      `SmartCard contract, case "${COUNTS}": attempts left after a wrong PIN: expected 4, got 5.`,
    );
  });

  it('catches a card that signs without a verified PIN', async () => {
    const failure = await failureOf(caseNamed(REFUSES, contractOptions(pinlessSignCard)).run);
    expect(failure).toBeInstanceOf(ContractViolation);
    expect(failure).toMatchObject({
      caseName: REFUSES,
      check: 'sign after logout',
      expected: 'ERR_PIN_REQUIRED',
    });
    expect((failure as ContractViolation).actual).toMatch(
      /^no error \(resolved Uint8Array\(\d+\)\)$/,
    );
  });

  it('turns an error the card throws unasked into a violation with it as the cause, and cleans up', async () => {
    const thrown = new TypeError('the driver fell over');
    let cleanedUp = 0;
    const options = contractOptions(async () => {
      const made = await goodCard();
      const card = withOverrides(made.card, { verifyPin: () => Promise.reject(thrown) });
      return {
        ...made,
        card,
        cleanup: () => {
          cleanedUp += 1;
        },
      };
    });
    const failure = await failureOf(caseNamed(COUNTS, options).run);
    expect(failure).toBeInstanceOf(ContractViolation);
    expect(failure).toMatchObject({ caseName: COUNTS, expected: 'no error', cause: thrown });
    expect((failure as Error).message).toContain('TypeError: the driver fell over');
    expect(cleanedUp).toBe(1);
  });

  it('leaves out the cases of what the card does not support', () => {
    const all = smartCardContract(contractOptions()).map((c) => c.name);
    const fewer = smartCardContract({
      ...contractOptions(),
      unblocks: false,
      removable: false,
      decrypts: false,
    }).map((c) => c.name);
    expect(all.filter((name) => !fewer.includes(name))).toEqual([
      'unblocks with the PUK',
      'decrypts RSA-OAEP with an exchange key only',
      'ends the card session when removed, and refuses every operation while out',
    ]);
  });

  it('refuses options that are not its options, and a card without what they promise', async () => {
    const bad = [
      null,
      {},
      { makeCard: goodCard },
      { makeCard: goodCard, maxAttempts: 0 },
      { makeCard: goodCard, maxAttempts: 5, algorithms: ['RSA-1024'] },
      { makeCard: goodCard, maxAttempts: 5, unblocks: 'yes' },
    ];
    for (const options of bad) {
      expect(() => smartCardContract(options as never), JSON.stringify(options)).toThrow(
        InvalidInputError,
      );
    }
    const noPuk = contractOptions(async () => {
      const { puk: _left, ...withoutPuk } = await goodCard();
      return withoutPuk;
    });
    expect(await codeOf(caseNamed(COUNTS, noPuk).run())).toBe('ERR_INVALID_INPUT');
  });

  it('imports no test runner and no node: module', () => {
    const folder = new URL('../../src/testing/contract/', import.meta.url);
    for (const file of readdirSync(folder)) {
      const source = readFileSync(new URL(file, folder), 'utf8');
      const imports = [...source.matchAll(/^(?:import|export)\b[^;]*? from '([^']+)'/gm)].map(
        (m) => m[1] ?? '',
      );
      expect(
        imports.filter((specifier) => !specifier.startsWith('.')),
        file,
      ).toEqual([]);
    }
  });
});

describe('smartCardContract under node:test', () => {
  const file = fileURLToPath(new URL('support/contract.node-test.ts', import.meta.url));
  const runNodeTest = (broken: boolean) =>
    spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], {
      encoding: 'utf8',
      env: { ...process.env, [BROKEN_CARD_VARIABLE]: broken ? '1' : '0' },
      timeout: 60_000,
    });

  it('passes a good card', () => {
    const run = runNodeTest(false);
    expect(run.stdout).toMatch(/^# pass 15$/m);
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });

  it('fails a broken card, naming the case', () => {
    const run = runNodeTest(true);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^not ok \\d+ - ${COUNTS}$`, 'm'));
    expect(run.stdout).toContain('ContractViolation');
  });
});
