import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PinPolicy, SmartCardError } from '../../src/index.js';
import { Disk, GOOD_PIN, newState, PUK } from './helpers.js';

const nasty = [
  '',
  '\u0000',
  `${GOOD_PIN}\u0000`,
  'x'.repeat(10_240),
  '\ud800\ud800\ud800\ud800\ud800\ud800\ud800\ud800',
  `${GOOD_PIN.slice(0, 7)}\udfff`,
  '１２３４５６７８',
  '\u202e12345678',
];

/** Values that are not a well-formed PIN (a well-formed one may rightly spend an attempt). */
const badInput = fc
  .oneof(
    fc.constantFrom<unknown>(...nasty, undefined, null, 0, Number.NaN, {}, [], () => GOOD_PIN),
    fc.anything(),
    fc.string({ unit: 'binary', maxLength: 200 }),
  )
  .filter((value) => new PinPolicy().checkFormat(value).length > 0);

/** Runs `operation`; it must either resolve with an outcome or reject with a SmartCardError. */
async function outcome(operation: () => Promise<unknown>): Promise<string> {
  try {
    const result = (await operation()) as { status?: string } | undefined;
    return result?.status ?? 'done';
  } catch (error) {
    if (!SmartCardError.is(error)) throw error;
    return error.code;
  }
}

describe('bad input', () => {
  it('PinPolicy.validate reports anything without throwing', () => {
    const policy = new PinPolicy();
    fc.assert(
      fc.property(badInput, (value) => {
        const violations = policy.validate(value, { currentPin: GOOD_PIN });
        expect(Array.isArray(violations)).toBe(true);
        if (typeof value !== 'string')
          expect(violations.map((v) => v.code)).toEqual(['not-a-string']);
      }),
    );
  });

  it('the nasty strings each break a rule as a new PIN', () => {
    const policy = new PinPolicy();
    for (const pin of nasty) expect(policy.validate(pin).length).toBeGreaterThan(0);
  });

  it('every PinState operation answers with a typed error or an outcome, and changes nothing', async () => {
    const disk = new Disk();
    const state = await newState({
      pin: GOOD_PIN,
      unblock: { kind: 'puk', value: PUK },
      persist: disk.persist,
    });
    const before = state.status();
    const saved = disk.records.length;
    await fc.assert(
      fc.asyncProperty(badInput, badInput, async (a, b) => {
        const results = [
          await outcome(() => state.verify(a as string)),
          await outcome(() => state.change(a as string, b as string)),
          await outcome(() => state.change(GOOD_PIN, a as string)),
          await outcome(() => state.unblock(a as string, b as string)),
          await outcome(() => state.unblock(PUK, a as string)),
        ];
        for (const result of results) {
          expect(['ERR_INVALID_INPUT', 'ERR_PIN_POLICY']).toContain(result);
        }
        expect(state.status()).toEqual(before);
        expect(disk.records).toHaveLength(saved);
      }),
      { numRuns: 300 },
    );
  });
});
