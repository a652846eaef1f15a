import { describe, expect, it } from 'vitest';
import { SoftwareTpm } from '../../../src/card/tpm/software-tpm.js';
import { TpmLockoutError } from '../../../src/errors.js';
import { codeOf } from '../../support/errors.js';
import { attempts, type FakeClock, HOUR, newTpm, rejection, SECOND } from './helpers.js';

/** Fails `n` attempts in a row, waiting out any lockout after each. */
async function failTimes(tpm: SoftwareTpm, clock: FakeClock, n: number): Promise<void> {
  const { wrong } = attempts();
  for (let i = 0; i < n; i++) {
    clock.advance(tpm.lockout().retryAfterMs);
    expect(await tpm.authorize(wrong)).toBe('incorrect');
  }
}

describe('anti-hammering', () => {
  it('allows 8 failures, then locks for 10 s, 20 s, 40 s, ... after each further one', async () => {
    const { tpm, clock } = await newTpm();
    const { wrong } = attempts();
    for (let i = 1; i <= 8; i++) {
      expect(await tpm.authorize(wrong)).toBe('incorrect');
      expect(tpm.lockout()).toEqual({ failedTries: i, lockedOut: false, retryAfterMs: 0 });
    }
    const lockouts: number[] = [];
    for (let i = 9; i <= 14; i++) {
      expect(await tpm.authorize(wrong)).toBe('incorrect');
      const status = tpm.lockout();
      expect(status).toMatchObject({ failedTries: i, lockedOut: true });
      lockouts.push(status.retryAfterMs);
      clock.advance(status.retryAfterMs);
      expect(tpm.lockout().lockedOut).toBe(false);
    }
    expect(lockouts).toEqual([10, 20, 40, 80, 160, 320].map((s) => s * SECOND));
  });

  it('refuses while locked out with TpmLockoutError and retryAfterMs, without running the attempt', async () => {
    const { tpm, store, clock } = await newTpm({ antiHammering: { failureThreshold: 2 } });
    await failTimes(tpm, clock, 2);
    const { right, runs } = attempts();
    store.events.length = 0;

    const error = await rejection(tpm.authorize(right));
    expect(error).toBeInstanceOf(TpmLockoutError);
    expect((error as TpmLockoutError).code).toBe('ERR_TPM_LOCKOUT');
    expect((error as TpmLockoutError).retryAfterMs).toBe(10 * SECOND);

    clock.advance(4 * SECOND);
    const later = (await rejection(tpm.authorize(right))) as TpmLockoutError;
    expect(later.retryAfterMs).toBe(6 * SECOND);
    expect(runs()).toBe(0);
    expect(store.events).toEqual([]);
    expect(tpm.lockout()).toEqual({ failedTries: 2, lockedOut: true, retryAfterMs: 6 * SECOND });

    clock.advance(6 * SECOND);
    expect(await tpm.authorize(right)).toBe('verified');
    expect(runs()).toBe(1);
    expect(tpm.lockout()).toEqual({ failedTries: 2, lockedOut: false, retryAfterMs: 0 });
  });

  it('caps the lockout at maxLockoutMs', async () => {
    const antiHammering = { failureThreshold: 1, lockoutMs: 1000, maxLockoutMs: 5000 };
    const { tpm, clock } = await newTpm({ antiHammering });
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      await failTimes(tpm, clock, 1);
      seen.push(tpm.lockout().retryAfterMs);
    }
    expect(seen).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('forgives one failure per recoveryMs since the last failure', async () => {
    const { tpm, clock } = await newTpm();
    await failTimes(tpm, clock, 3);
    clock.advance(2 * HOUR - 1);
    expect(tpm.lockout().failedTries).toBe(3);
    clock.advance(1);
    expect(tpm.lockout().failedTries).toBe(2);
    clock.advance(3 * HOUR);
    expect(tpm.lockout().failedTries).toBe(1);
    await failTimes(tpm, clock, 1);
    expect(tpm.lockout().failedTries).toBe(2);
    clock.advance(100 * HOUR);
    expect(tpm.lockout().failedTries).toBe(0);
  });

  it('locks again at the threshold after recovery, from the first lockout length', async () => {
    const { tpm, clock } = await newTpm({ antiHammering: { failureThreshold: 3 } });
    await failTimes(tpm, clock, 4);
    expect(tpm.lockout().retryAfterMs).toBe(20 * SECOND);
    clock.advance(2 * 2 * HOUR);
    expect(tpm.lockout()).toEqual({ failedTries: 2, lockedOut: false, retryAfterMs: 0 });
    await failTimes(tpm, clock, 1);
    expect(tpm.lockout()).toEqual({ failedTries: 3, lockedOut: true, retryAfterMs: 10 * SECOND });
  });

  it('never lengthens a lockout when the clock goes backwards', async () => {
    const { tpm, clock } = await newTpm({ antiHammering: { failureThreshold: 1 } });
    await failTimes(tpm, clock, 1);
    clock.advance(-HOUR);
    expect(tpm.lockout()).toEqual({ failedTries: 1, lockedOut: true, retryAfterMs: 10 * SECOND });
  });

  it('clearLockout forgets every failure, ends the lockout, and saves that', async () => {
    const { tpm, store, clock } = await newTpm({ antiHammering: { failureThreshold: 2 } });
    await failTimes(tpm, clock, 3);
    expect(tpm.lockout().lockedOut).toBe(true);
    store.events.length = 0;
    await tpm.clearLockout();
    expect(tpm.lockout()).toEqual({ failedTries: 0, lockedOut: false, retryAfterMs: 0 });
    expect(store.events).toEqual(['save:0']);
    const reopened = await SoftwareTpm.open(store, tpm.deviceId, { clock });
    expect(reopened.lockout()).toEqual({ failedTries: 0, lockedOut: false, retryAfterMs: 0 });
    await failTimes(tpm, clock, 2);
    expect(tpm.lockout().retryAfterMs).toBe(10 * SECOND);
  });

  it('takes a failure back on success: a right secret at the threshold does not lock', async () => {
    const { tpm, clock } = await newTpm({ antiHammering: { failureThreshold: 3 } });
    await failTimes(tpm, clock, 2);
    const { right } = attempts();
    for (let i = 0; i < 5; i++) expect(await tpm.authorize(right)).toBe('verified');
    expect(tpm.lockout()).toEqual({ failedTries: 2, lockedOut: false, retryAfterMs: 0 });
  });

  it('keeps recovery running across a success', async () => {
    const { tpm, clock } = await newTpm();
    await failTimes(tpm, clock, 2);
    clock.advance(HOUR);
    await tpm.authorize(attempts().right);
    clock.advance(HOUR);
    expect(tpm.lockout().failedTries).toBe(1);
  });

  it('keeps the failure counted when the attempt throws, and passes the error on', async () => {
    const { tpm, store } = await newTpm();
    const thrown = new Error('card reader unplugged');
    const error = await rejection(
      tpm.authorize(async () => {
        throw thrown;
      }),
    );
    expect(error).toBe(thrown);
    expect(tpm.lockout().failedTries).toBe(1);
    expect(store.events).toEqual(['save:1']);
  });

  it('keeps the failure counted when the attempt reports nonsense', async () => {
    const { tpm } = await newTpm();
    const bad = async () => ({ value: 'no failed field' }) as never;
    expect(await codeOf(tpm.authorize(bad))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(tpm.authorize(async () => null as never))).toBe('ERR_INVALID_INPUT');
    expect(tpm.lockout().failedTries).toBe(2);
    expect(await codeOf(tpm.authorize('attempt' as never))).toBe('ERR_INVALID_INPUT');
    expect(tpm.lockout().failedTries).toBe(2);
  });
});

describe('anti-hammering persistence', () => {
  it('saves the failure before the attempt runs, and the take-back after', async () => {
    const { tpm, store } = await newTpm();
    const mark = (failed: boolean) => async () => {
      store.events.push('attempt');
      return { failed, value: failed };
    };
    await tpm.authorize(mark(false));
    expect(store.events).toEqual(['save:1', 'attempt', 'save:0']);
    store.events.length = 0;
    await tpm.authorize(mark(true));
    expect(store.events).toEqual(['save:1', 'attempt']);
  });

  it('has the failure counted in the store while the attempt runs (a crash would keep it)', async () => {
    const { tpm, store, clock } = await newTpm();
    let seenDuring = -1;
    await tpm.authorize(async () => {
      const other = await SoftwareTpm.open(store, tpm.deviceId, { clock });
      seenDuring = other.lockout().failedTries;
      return { failed: false, value: undefined };
    });
    expect(seenDuring).toBe(1);
    expect((await store.record(tpm.deviceId)).lockout.failedTries).toBe(0);
  });

  it('does not run the attempt when the failure cannot be saved', async () => {
    const { tpm, store } = await newTpm();
    const { right, runs } = attempts();
    store.failSaves = true;
    expect(await codeOf(tpm.authorize(right))).toBe('ERR_STORAGE');
    expect(runs()).toBe(0);
    expect(tpm.lockout().failedTries).toBe(0);
  });

  it('keeps the failure counted when the take-back cannot be saved', async () => {
    const { tpm, store } = await newTpm();
    const attempt = async () => {
      store.failSaves = true;
      return { failed: false, value: 'verified' };
    };
    expect(await codeOf(tpm.authorize(attempt))).toBe('ERR_STORAGE');
    expect(tpm.lockout().failedTries).toBe(1);
    store.failSaves = false;
    expect((await store.record(tpm.deviceId)).lockout.failedTries).toBe(1);
  });

  it('keeps counters, lockout and recovery across open()', async () => {
    const { tpm, store, clock } = await newTpm({ antiHammering: { failureThreshold: 2 } });
    await failTimes(tpm, clock, 3);
    clock.advance(5 * SECOND);
    const reopened = await SoftwareTpm.open(store, tpm.deviceId, { clock });
    expect(reopened.lockout()).toEqual(tpm.lockout());
    expect(reopened.lockout()).toEqual({
      failedTries: 3,
      lockedOut: true,
      retryAfterMs: 15 * SECOND,
    });
    const { right, runs } = attempts();
    expect(await codeOf(reopened.authorize(right))).toBe('ERR_TPM_LOCKOUT');
    expect(runs()).toBe(0);
    clock.advance(2 * HOUR);
    expect(reopened.lockout().failedTries).toBe(2);
    await failTimes(reopened, clock, 1);
    expect(reopened.lockout().retryAfterMs).toBe(20 * SECOND);
  });
});

describe('concurrent authorizations', () => {
  it('run one at a time, in call order', async () => {
    const { tpm } = await newTpm();
    let active = 0;
    let most = 0;
    const order: number[] = [];
    const attempt = (i: number) => async () => {
      active++;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, 5 - (i % 3)));
      order.push(i);
      active--;
      return { failed: i % 2 === 0, value: i };
    };
    const results = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => tpm.authorize(attempt(i))));
    expect(results).toEqual([0, 1, 2, 3, 4, 5]);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(1);
    expect(tpm.lockout().failedTries).toBe(3);
  });

  it('each sees the count left by the one before, so none is free', async () => {
    const { tpm } = await newTpm({ antiHammering: { failureThreshold: 3 } });
    const { wrong, runs } = attempts();
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => codeOf(tpm.authorize(wrong))),
    );
    expect(outcomes).toEqual([
      'no error',
      'no error',
      'no error',
      'ERR_TPM_LOCKOUT',
      'ERR_TPM_LOCKOUT',
      'ERR_TPM_LOCKOUT',
    ]);
    expect(runs()).toBe(3);
  });

  it('lets an attempt seal and unseal while it holds the TPM', async () => {
    const { tpm } = await newTpm();
    const sealed = await tpm.authorize(async () => {
      const blob = await tpm.seal(new Uint8Array([1, 2, 3]), 'card');
      return { failed: false, value: await tpm.unseal(blob, 'card') };
    });
    expect(sealed).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('queues clearLockout behind a running attempt', async () => {
    const { tpm } = await newTpm();
    const events: string[] = [];
    const slow = tpm.authorize(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push('attempt');
      return { failed: true, value: undefined };
    });
    const cleared = tpm.clearLockout().then(() => events.push('cleared'));
    await Promise.all([slow, cleared]);
    expect(events).toEqual(['attempt', 'cleared']);
    expect(tpm.lockout().failedTries).toBe(0);
  });
});
