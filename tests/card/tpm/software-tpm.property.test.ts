import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AntiHammeringPolicy } from '../../../src/card/tpm/lockout.js';
import { SoftwareTpm } from '../../../src/card/tpm/software-tpm.js';
import { SmartCardError, type TpmLockoutError } from '../../../src/errors.js';
import { codeOf } from '../../support/errors.js';
import { newTpm } from './helpers.js';

describe('sealing, for any data and context', () => {
  it('round-trips, and refuses a flipped bit or another context', async () => {
    const { tpm } = await newTpm();
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        async (data, context, at, bit) => {
          const blob = await tpm.seal(data, context);
          expect(await tpm.unseal(blob, context)).toEqual(data);
          const flipped = blob.slice();
          const i = at % blob.length;
          flipped[i] = (flipped[i] ?? 0) ^ (1 << bit);
          expect(await codeOf(tpm.unseal(flipped, context))).toBe('ERR_STATE_CORRUPT');
          expect(await codeOf(tpm.unseal(blob, `${context}.`))).toBe('ERR_STATE_CORRUPT');
        },
      ),
      { numRuns: 100 },
    );
  });
});

/**
 * Model-based: random sequences of attempts, time steps, reloads and clears run against a TPM
 * and a model written from the rule (absolute lockout deadlines, where the TPM keeps durations);
 * after each step the two must agree.
 */
type Op = { kind: 'wrong' | 'right' | 'throw' | 'reload' | 'clear' } | { kind: 'wait'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'wrong' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'right' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'throw' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reload' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.nat(6000) }) },
);

const policyArb: fc.Arbitrary<AntiHammeringPolicy> = fc
  .record({
    failureThreshold: fc.integer({ min: 1, max: 4 }),
    lockoutMs: fc.integer({ min: 1, max: 1000 }),
    factor: fc.integer({ min: 1, max: 8 }),
    recoveryMs: fc.integer({ min: 1, max: 5000 }),
  })
  .map(({ factor, ...p }) => ({ ...p, maxLockoutMs: p.lockoutMs * factor }));

class Model {
  tries = 0;
  last: number | null = null;
  lockedUntil = 0;
  constructor(readonly policy: AntiHammeringPolicy) {}

  triesAt(now: number): number {
    if (this.last === null) return this.tries;
    return Math.max(0, this.tries - Math.floor((now - this.last) / this.policy.recoveryMs));
  }

  fail(now: number): void {
    const { failureThreshold, lockoutMs, maxLockoutMs } = this.policy;
    this.tries = this.triesAt(now) + 1;
    this.last = now;
    const beyond = this.tries - failureThreshold;
    this.lockedUntil = beyond < 0 ? 0 : now + Math.min(maxLockoutMs, lockoutMs * 2 ** beyond);
  }

  status(now: number) {
    const lockedOut = now < this.lockedUntil;
    return {
      failedTries: this.triesAt(now),
      lockedOut,
      retryAfterMs: lockedOut ? this.lockedUntil - now : 0,
    };
  }
}

describe('anti-hammering, for any sequence of events', () => {
  it('follows the rule, never runs an attempt while locked out, and survives reloads', async () => {
    await fc.assert(
      fc.asyncProperty(policyArb, fc.array(opArb, { maxLength: 40 }), async (policy, ops) => {
        const created = await newTpm({ antiHammering: policy });
        const { store, clock } = created;
        let tpm = created.tpm;
        const model = new Model(policy);
        for (const op of ops) {
          const now = clock.now();
          const before = model.status(now);
          if (op.kind === 'wait') clock.advance(op.ms);
          else if (op.kind === 'reload')
            tpm = await SoftwareTpm.open(store, tpm.deviceId, { clock });
          else if (op.kind === 'clear') {
            await tpm.clearLockout();
            model.tries = 0;
            model.last = null;
            model.lockedUntil = 0;
          } else {
            let ran = false;
            const outcome = await tpm
              .authorize(async () => {
                ran = true;
                if (op.kind === 'throw') throw new Error('power lost');
                return { failed: op.kind === 'wrong', value: 'done' };
              })
              .catch((error: unknown) => error);
            if (before.lockedOut) {
              expect(ran).toBe(false);
              expect(SmartCardError.is(outcome, 'ERR_TPM_LOCKOUT')).toBe(true);
              expect((outcome as TpmLockoutError).retryAfterMs).toBe(before.retryAfterMs);
            } else {
              expect(ran).toBe(true);
              expect(outcome instanceof Error).toBe(op.kind === 'throw');
              if (op.kind !== 'right') model.fail(now);
            }
          }
          const status = tpm.lockout();
          expect(status).toEqual(model.status(clock.now()));
          expect(status.retryAfterMs).toBeLessThanOrEqual(policy.maxLockoutMs);
        }
      }),
      { numRuns: 150 },
    );
  });
});
