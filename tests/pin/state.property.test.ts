import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PinState, SmartCardError } from '../../src/index.js';
import { Disk, FAST, PUK } from './helpers.js';

/**
 * Model-based tests: random sequences of operations run against a PinState and a plain model
 * written from the specification; after each step the two must agree, and the invariants hold.
 */
type Op =
  | { kind: 'verify'; right: boolean }
  | { kind: 'change'; right: boolean; next: string }
  | { kind: 'unblock'; right: boolean; next: string }
  | { kind: 'reset' }
  | { kind: 'reload' };

interface Model {
  pin: string;
  attempts: number;
  unblockAttempts: number;
  mustChange: boolean;
}

const MAX = 3;
const MAX_UNBLOCK = 2;
const WRONG = 'wrong-PIN-0';
const DEFAULT = '12345678';

const newPin = fc.constantFrom('k7#Lm2pQ', 'Zx9!vB3n', 'q1w2e3r4', WRONG.replace('0', '9'));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('verify' as const), right: fc.boolean() }),
  fc.record({ kind: fc.constant('change' as const), right: fc.boolean(), next: newPin }),
  fc.record({ kind: fc.constant('unblock' as const), right: fc.boolean(), next: newPin }),
  fc.constant({ kind: 'reset' as const }),
  fc.constant({ kind: 'reload' as const }),
);

/** What the specification says an operation returns, and how it changes the model. */
function expected(m: Model, op: Op): { result: unknown; next: Model } {
  const left = (n: number) =>
    n === 0 ? { status: 'blocked' } : { status: 'incorrect', attemptsRemaining: n };
  switch (op.kind) {
    case 'verify':
    case 'change': {
      if (op.kind === 'change' && op.right && op.next === m.pin) {
        return { result: 'ERR_PIN_POLICY', next: m };
      }
      if (m.attempts === 0) return { result: { status: 'blocked' }, next: m };
      if (!op.right)
        return { result: left(m.attempts - 1), next: { ...m, attempts: m.attempts - 1 } };
      if (op.kind === 'verify') {
        return {
          result: { status: 'verified', mustChange: m.mustChange },
          next: { ...m, attempts: MAX },
        };
      }
      return {
        result: { status: 'changed' },
        next: { ...m, pin: op.next, attempts: MAX, mustChange: false },
      };
    }
    case 'unblock': {
      if (m.attempts !== 0) return { result: 'ERR_UNBLOCK_UNAVAILABLE', next: m };
      if (m.unblockAttempts === 0) return { result: { status: 'blocked' }, next: m };
      if (!op.right) {
        const n = m.unblockAttempts - 1;
        return { result: left(n), next: { ...m, unblockAttempts: n } };
      }
      return {
        result: { status: 'unblocked' },
        next: { pin: op.next, attempts: MAX, unblockAttempts: MAX_UNBLOCK, mustChange: false },
      };
    }
    case 'reset':
      return {
        result: undefined,
        next: { pin: DEFAULT, attempts: MAX, unblockAttempts: MAX_UNBLOCK, mustChange: true },
      };
    case 'reload':
      return { result: undefined, next: m };
  }
}

async function run(
  state: PinState,
  m: Model,
  op: Op,
  disk: Disk,
): Promise<{ state: PinState; result: unknown }> {
  try {
    switch (op.kind) {
      case 'verify':
        return { state, result: await state.verify(op.right ? m.pin : WRONG) };
      case 'change':
        return { state, result: await state.change(op.right ? m.pin : WRONG, op.next) };
      case 'unblock':
        return { state, result: await state.unblock(op.right ? PUK : '00000000', op.next) };
      case 'reset':
        return { state, result: await state.reset() };
      case 'reload': {
        const before = state.status();
        const restored = await PinState.restore(JSON.stringify(disk.last), {
          ...FAST,
          persist: disk.persist,
        });
        expect(restored.status()).toEqual(before);
        return { state: restored, result: undefined };
      }
    }
  } catch (error) {
    if (SmartCardError.is(error)) return { state, result: error.code };
    throw error;
  }
}

/** Operations that may legitimately give attempts back. */
const restoring = new Set(['verified', 'changed', 'unblocked']);

describe('PinState against its model', () => {
  it('agrees step by step; counters only grow through a right PIN, an unblock or a reset', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
        const disk = new Disk();
        let state = await PinState.create({
          ...FAST,
          policy: { maxAttempts: MAX, maxUnblockAttempts: MAX_UNBLOCK },
          unblock: { kind: 'puk', value: PUK },
          persist: disk.persist,
        });
        let model: Model = {
          pin: DEFAULT,
          attempts: MAX,
          unblockAttempts: MAX_UNBLOCK,
          mustChange: true,
        };
        for (const op of ops) {
          const before = state.status();
          const outcome = await run(state, model, op, disk);
          state = outcome.state;
          const want = expected(model, op);
          expect(outcome.result).toEqual(want.result);
          model = want.next;
          const after = state.status();
          expect(after).toMatchObject({
            attemptsRemaining: model.attempts,
            blocked: model.attempts === 0,
            mustChange: model.mustChange,
            isDefault: model.pin === DEFAULT,
            unblock: [{ kind: 'puk', attemptsRemaining: model.unblockAttempts }],
          });
          const status = (outcome.result as { status?: string } | undefined)?.status;
          const mayRestore = op.kind === 'reset' || (status !== undefined && restoring.has(status));
          if (!mayRestore) {
            expect(after.attemptsRemaining).toBeLessThanOrEqual(before.attemptsRemaining);
            expect(after.unblock[0]?.attemptsRemaining ?? 0).toBeLessThanOrEqual(
              before.unblock[0]?.attemptsRemaining ?? 0,
            );
          }
          // What was last persisted is what the state is.
          expect((await PinState.restore(disk.last)).status()).toEqual(after);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('after maxAttempts consecutive wrong PINs, the right PIN is refused too', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), async (maxAttempts) => {
        const state = await PinState.create({ ...FAST, policy: { maxAttempts } });
        for (let i = 0; i < maxAttempts; i++) await state.verify(WRONG);
        expect(await state.verify(DEFAULT)).toEqual({ status: 'blocked' });
        expect(state.status()).toMatchObject({ blocked: true, attemptsRemaining: 0 });
      }),
      { numRuns: 20 },
    );
  });
});
