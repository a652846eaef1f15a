import { describe, expect, it } from 'vitest';
import { DEFAULT_PIN, PinPolicy, PinPolicyError, PinState } from '../../src/index.js';
import { codeOf } from '../support/errors.js';
import { Disk, GOOD_PIN, newState, OTHER_PIN, PUK, tracingCrypto } from './helpers.js';

describe('a new card', () => {
  it('has the default PIN, full attempts, and must change it on first use', async () => {
    const disk = new Disk();
    const state = await newState({ persist: disk.persist });
    expect(state.status()).toEqual({
      attemptsRemaining: 5,
      maxAttempts: 5,
      blocked: false,
      mustChange: true,
      isDefault: true,
      unblock: [],
    });
    expect(disk.records).toHaveLength(1);
    expect(await state.verify(DEFAULT_PIN)).toEqual({ status: 'verified', mustChange: true });
  });

  it('follows the policy for must-change, unless told otherwise', async () => {
    const lax = await newState({ pin: GOOD_PIN, policy: { changeOnFirstUse: false } });
    expect(lax.status().mustChange).toBe(false);
    const forced = await newState({
      pin: GOOD_PIN,
      policy: { changeOnFirstUse: false },
      mustChange: true,
    });
    expect(forced.status().mustChange).toBe(true);
  });

  it('always marks the default PIN must-change, in every preset, unless told not to by name', async () => {
    for (const preset of ['skypeForBusiness', 'windowsVirtualSmartCard', 'piv'] as const) {
      const state = await newState({ policy: PinPolicy.preset(preset) });
      expect(state.status(), preset).toMatchObject({ isDefault: true, mustChange: true });
    }
    const lax = await newState({ policy: { changeOnFirstUse: false } });
    expect(lax.status().mustChange).toBe(true);
    const optedOut = await newState({ policy: { changeOnFirstUse: false }, mustChange: false });
    expect(optedOut.status()).toMatchObject({ isDefault: true, mustChange: false });
  });

  it('accepts an assigned PIN that meets the policy, and it is not the default', async () => {
    const state = await newState({ pin: GOOD_PIN, mustChange: false });
    expect(state.status()).toMatchObject({ isDefault: false, mustChange: false });
    expect(await state.verify(GOOD_PIN)).toEqual({ status: 'verified', mustChange: false });
    expect(await state.verify(DEFAULT_PIN)).toEqual({ status: 'incorrect', attemptsRemaining: 4 });
  });

  it.each([
    ['a trivial assigned PIN', { pin: '00000000' }, 'ERR_PIN_POLICY'],
    ['a non-string PIN', { pin: 12345678 }, 'ERR_INVALID_INPUT'],
    ['zero iterations', { iterations: 0 }, 'ERR_INVALID_INPUT'],
    ['absurd iterations', { iterations: 1e9 }, 'ERR_INVALID_INPUT'],
    ['a short PUK', { unblock: { kind: 'puk', value: '123' } }, 'ERR_INVALID_INPUT'],
    [
      'a PUK given as bytes',
      { unblock: { kind: 'puk', value: new Uint8Array(8) } },
      'ERR_INVALID_INPUT',
    ],
    [
      'a 7-byte admin key',
      { unblock: { kind: 'admin-key', value: new Uint8Array(7) } },
      'ERR_INVALID_INPUT',
    ],
    [
      'an unknown credential kind',
      { unblock: { kind: 'password', value: 'x' } },
      'ERR_INVALID_INPUT',
    ],
    ['a string must-change', { mustChange: 'yes' }, 'ERR_INVALID_INPUT'],
    ['a short integrity key', { integrityKey: new Uint8Array(4) }, 'ERR_INVALID_INPUT'],
  ])('refuses %s', async (_, options, code) => {
    const disk = new Disk();
    const created = newState({ ...(options as object), persist: disk.persist });
    expect(await codeOf(created)).toBe(code);
    expect(disk.records).toHaveLength(0);
  });

  it('uses the default PBKDF2 cost when none is given', async () => {
    const state = await PinState.create();
    expect((await state.toRecord()).kdf).toEqual({
      algorithm: 'PBKDF2-SHA-256',
      iterations: 100_000,
    });
  });
});

describe('verify', () => {
  it('counts wrong PINs down, blocks at zero, then refuses the right PIN too', async () => {
    const state = await newState({ pin: GOOD_PIN });
    for (const left of [4, 3, 2, 1]) {
      expect(await state.verify(OTHER_PIN)).toEqual({
        status: 'incorrect',
        attemptsRemaining: left,
      });
    }
    expect(await state.verify(OTHER_PIN)).toEqual({ status: 'blocked' });
    expect(await state.verify(GOOD_PIN)).toEqual({ status: 'blocked' });
    expect(state.status()).toMatchObject({ attemptsRemaining: 0, blocked: true });
  });

  it('restores the attempts when the PIN is right', async () => {
    const state = await newState({ pin: GOOD_PIN });
    await state.verify(OTHER_PIN);
    await state.verify(OTHER_PIN);
    expect(state.status().attemptsRemaining).toBe(3);
    expect(await state.verify(GOOD_PIN)).toMatchObject({ status: 'verified' });
    expect(state.status().attemptsRemaining).toBe(5);
  });

  it('spends nothing on a PIN that cannot be right (length, characters)', async () => {
    const disk = new Disk();
    const state = await newState({ persist: disk.persist });
    for (const pin of [
      '',
      '1234',
      'x'.repeat(10_000),
      '1234567\u0000',
      '1234567\ud800',
      'pin-€uro',
    ]) {
      const error = await state.verify(pin).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PinPolicyError);
      expect((error as PinPolicyError).code).toBe('ERR_PIN_POLICY');
    }
    expect(state.status().attemptsRemaining).toBe(5);
    expect(disk.records).toHaveLength(1);
  });

  it('refuses a non-string PIN with ERR_INVALID_INPUT and spends nothing', async () => {
    const state = await newState();
    for (const pin of [undefined, null, 12345678, { toString: () => DEFAULT_PIN }, [DEFAULT_PIN]]) {
      expect(await codeOf(state.verify(pin as string))).toBe('ERR_INVALID_INPUT');
    }
    expect(state.status().attemptsRemaining).toBe(5);
  });

  it('persists the spent attempt before comparing the PIN', async () => {
    const events: string[] = [];
    const { crypto } = tracingCrypto(events);
    const state = await newState({
      crypto,
      pin: GOOD_PIN,
      persist: (record) => {
        events.push(`persist ${record.attemptsRemaining}`);
      },
    });
    events.length = 0;
    await state.verify(GOOD_PIN);
    expect(events).toEqual(['persist 4', 'derive', 'persist 5']);
    events.length = 0;
    await state.verify(OTHER_PIN);
    expect(events).toEqual(['persist 4', 'derive']);
  });

  it('a card that loses power mid-check has still spent the attempt', async () => {
    const disk = new Disk();
    const events: string[] = [];
    const { crypto, failDerive } = tracingCrypto(events);
    const state = await newState({ crypto, pin: GOOD_PIN, persist: disk.persist });
    failDerive();
    await expect(state.verify(GOOD_PIN)).rejects.toThrow('power lost');
    const rebooted = await PinState.restore(disk.last);
    expect(rebooted.status().attemptsRemaining).toBe(4);
  });

  it('stops before comparing when saving the spent attempt fails', async () => {
    const disk = new Disk();
    const events: string[] = [];
    const { crypto } = tracingCrypto(events);
    const state = await newState({ crypto, pin: GOOD_PIN, persist: disk.persist });
    events.length = 0;
    disk.failNext = true;
    const error = await state.verify(GOOD_PIN).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_STORAGE' });
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(events).toEqual([]);
    expect(state.status().attemptsRemaining).toBe(5);
    expect(disk.records).toHaveLength(1);
  });

  it('keeps the attempt spent when saving the restored counter fails', async () => {
    const disk = new Disk();
    const state = await newState({ pin: GOOD_PIN, persist: (r) => disk.persist(r) });
    const original = disk.persist;
    let calls = 0;
    const flaky = await PinState.restore(disk.last, {
      persist: (record) => {
        calls += 1;
        if (calls === 2) throw new Error('disk full');
        original(record);
      },
    });
    expect(await codeOf(flaky.verify(GOOD_PIN))).toBe('ERR_STORAGE');
    expect(flaky.status().attemptsRemaining).toBe(4);
    expect(disk.last.attemptsRemaining).toBe(4);
    expect(state.status().attemptsRemaining).toBe(5);
  });

  it('runs concurrent checks one at a time: no attempt is lost or given twice', async () => {
    const state = await newState({ pin: GOOD_PIN });
    const results = await Promise.all(Array.from({ length: 8 }, () => state.verify(OTHER_PIN)));
    expect(results).toEqual([
      { status: 'incorrect', attemptsRemaining: 4 },
      { status: 'incorrect', attemptsRemaining: 3 },
      { status: 'incorrect', attemptsRemaining: 2 },
      { status: 'incorrect', attemptsRemaining: 1 },
      { status: 'blocked' },
      { status: 'blocked' },
      { status: 'blocked' },
      { status: 'blocked' },
    ]);
  });

  it('a failed operation does not stop the ones queued after it', async () => {
    const disk = new Disk();
    const state = await newState({ pin: GOOD_PIN, persist: disk.persist });
    disk.failNext = true;
    const [first, second] = await Promise.allSettled([
      state.verify(OTHER_PIN),
      state.verify(OTHER_PIN),
    ]);
    expect(first.status).toBe('rejected');
    expect(second).toEqual({
      status: 'fulfilled',
      value: { status: 'incorrect', attemptsRemaining: 4 },
    });
  });
});

describe('change', () => {
  it('replaces the default PIN, clears must-change and the default flag', async () => {
    const state = await newState();
    expect(await state.change(DEFAULT_PIN, GOOD_PIN)).toEqual({ status: 'changed' });
    expect(state.status()).toMatchObject({
      mustChange: false,
      isDefault: false,
      attemptsRemaining: 5,
    });
    expect(await state.verify(GOOD_PIN)).toEqual({ status: 'verified', mustChange: false });
    expect(await state.verify(DEFAULT_PIN)).toEqual({ status: 'incorrect', attemptsRemaining: 4 });
  });

  it('with a wrong current PIN spends an attempt and keeps the PIN', async () => {
    const state = await newState({ pin: GOOD_PIN });
    expect(await state.change(OTHER_PIN, 'n3w-Pin!')).toEqual({
      status: 'incorrect',
      attemptsRemaining: 4,
    });
    expect(await state.verify(GOOD_PIN)).toMatchObject({ status: 'verified' });
  });

  it('lists every rule the new PIN breaks, and spends nothing', async () => {
    const disk = new Disk();
    const state = await newState({ persist: disk.persist });
    const error = await state.change(DEFAULT_PIN, DEFAULT_PIN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PinPolicyError);
    expect((error as PinPolicyError).violations.map((v) => v.code)).toEqual([
      'default-pin',
      'sequence',
      'same-as-current',
    ]);
    expect(state.status()).toMatchObject({
      attemptsRemaining: 5,
      mustChange: true,
      isDefault: true,
    });
    expect(disk.records).toHaveLength(1);
  });

  it('checks the new PIN before the current one is tried, even with a wrong current PIN', async () => {
    const state = await newState({ pin: GOOD_PIN });
    expect(await codeOf(state.change(OTHER_PIN, '1111'))).toBe('ERR_PIN_POLICY');
    expect(state.status().attemptsRemaining).toBe(5);
  });

  it('refuses non-string PINs', async () => {
    const state = await newState();
    expect(await codeOf(state.change(DEFAULT_PIN, 42 as unknown as string))).toBe(
      'ERR_INVALID_INPUT',
    );
    expect(await codeOf(state.change(null as unknown as string, GOOD_PIN))).toBe(
      'ERR_INVALID_INPUT',
    );
  });

  it('is refused on a blocked PIN without spending anything', async () => {
    const state = await newState({ pin: GOOD_PIN, policy: { maxAttempts: 1 } });
    expect(await state.verify(OTHER_PIN)).toEqual({ status: 'blocked' });
    expect(await state.change(GOOD_PIN, 'n3w-Pin!')).toEqual({ status: 'blocked' });
  });

  it('may set the default PIN again when the policy allows it, which marks it default', async () => {
    const state = await newState({
      pin: GOOD_PIN,
      policy: { forbidDefaultAsNew: false, forbidTrivial: false },
    });
    expect(await state.change(GOOD_PIN, DEFAULT_PIN)).toEqual({ status: 'changed' });
    expect(state.status()).toMatchObject({ isDefault: true, mustChange: true });
  });
});

/** Spends every PIN attempt with a wrong PIN. */
async function block(state: PinState): Promise<PinState> {
  while (!state.status().blocked) await state.verify(OTHER_PIN);
  return state;
}

describe('unblock', () => {
  async function blockedCard(unblock = { kind: 'puk', value: PUK } as const) {
    const state = await newState({ pin: GOOD_PIN, unblock });
    await block(state);
    expect(state.status().blocked).toBe(true);
    return state;
  }

  it('is refused on a PIN that is not blocked, spending nothing', async () => {
    const disk = new Disk();
    const state = await newState({
      pin: GOOD_PIN,
      unblock: { kind: 'puk', value: PUK },
      persist: disk.persist,
    });
    await state.verify(OTHER_PIN);
    expect(await codeOf(state.unblock(PUK, 'n3w-Pin!'))).toBe('ERR_UNBLOCK_UNAVAILABLE');
    expect(await codeOf(state.unblock('00000001', 'n3w-Pin!'))).toBe('ERR_UNBLOCK_UNAVAILABLE');
    expect(disk.records).toHaveLength(2);
    expect(state.status()).toMatchObject({
      attemptsRemaining: 4,
      unblock: [{ attemptsRemaining: 3 }],
    });
    expect(await state.verify(GOOD_PIN)).toMatchObject({ status: 'verified' });
  });

  it('to the default PIN marks it must-change, unless told otherwise', async () => {
    const state = await newState({
      pin: GOOD_PIN,
      unblock: { kind: 'puk', value: PUK },
      policy: { forbidDefaultAsNew: false, forbidTrivial: false },
    });
    await block(state);
    expect(await state.unblock(PUK, DEFAULT_PIN)).toEqual({ status: 'unblocked' });
    expect(state.status()).toMatchObject({ isDefault: true, mustChange: true });
    await block(state);
    expect(await state.unblock(PUK, DEFAULT_PIN, { mustChange: false })).toEqual({
      status: 'unblocked',
    });
    expect(state.status()).toMatchObject({ isDefault: true, mustChange: false });
  });

  it('with the PUK sets the new PIN and restores both counters', async () => {
    const state = await blockedCard();
    expect(await state.unblock('00000001', 'n3w-Pin!')).toEqual({
      status: 'incorrect',
      attemptsRemaining: 2,
    });
    expect(await state.unblock(PUK, 'n3w-Pin!')).toEqual({ status: 'unblocked' });
    expect(state.status()).toMatchObject({
      attemptsRemaining: 5,
      blocked: false,
      mustChange: false,
      unblock: [{ kind: 'puk', attemptsRemaining: 3, maxAttempts: 3, blocked: false }],
    });
    expect(await state.verify('n3w-Pin!')).toEqual({ status: 'verified', mustChange: false });
  });

  it('with an admin key sets a PIN the holder must change, unless told otherwise', async () => {
    const adminKey = new Uint8Array(24).map((_, i) => (i % 8) + 1);
    const state = await blockedCard({ kind: 'admin-key', value: adminKey } as never);
    expect(await state.unblock(adminKey, 'n3w-Pin!')).toEqual({ status: 'unblocked' });
    expect(await state.verify('n3w-Pin!')).toEqual({ status: 'verified', mustChange: true });
    await block(state);
    expect(await state.unblock(adminKey, 'An0ther!', { mustChange: false })).toEqual({
      status: 'unblocked',
    });
    expect(state.status().mustChange).toBe(false);
  });

  it('blocks itself after its own attempts, leaving only a reset', async () => {
    const state = await blockedCard();
    expect(await state.unblock('00000001', 'n3w-Pin!')).toMatchObject({ attemptsRemaining: 2 });
    expect(await state.unblock('00000001', 'n3w-Pin!')).toMatchObject({ attemptsRemaining: 1 });
    expect(await state.unblock('00000001', 'n3w-Pin!')).toEqual({ status: 'blocked' });
    expect(await state.unblock(PUK, 'n3w-Pin!')).toEqual({ status: 'blocked' });
    expect(state.status().unblock).toMatchObject([{ attemptsRemaining: 0, blocked: true }]);
    await state.reset();
    expect(state.status()).toMatchObject({
      attemptsRemaining: 5,
      mustChange: true,
      isDefault: true,
      unblock: [{ attemptsRemaining: 3 }],
    });
    await block(state);
    expect(await state.unblock(PUK, 'n3w-Pin!')).toEqual({ status: 'unblocked' });
  });

  it('refuses a credential of the wrong kind or a bad new PIN, spending nothing', async () => {
    const state = await blockedCard();
    expect(await codeOf(state.unblock(new Uint8Array(24), 'n3w-Pin!'))).toBe(
      'ERR_UNBLOCK_UNAVAILABLE',
    );
    expect(await codeOf(state.unblock(12345678 as unknown as string, 'n3w-Pin!'))).toBe(
      'ERR_INVALID_INPUT',
    );
    expect(await codeOf(state.unblock('x'.repeat(10_000), 'n3w-Pin!'))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(state.unblock(PUK, DEFAULT_PIN))).toBe('ERR_PIN_POLICY');
    expect(state.status().unblock[0]?.attemptsRemaining).toBe(3);
  });

  it('is unavailable when a reset queued before it removed the credential', async () => {
    const state = await newState({ unblock: { kind: 'puk', value: PUK } });
    const reset = state.reset({ unblock: null });
    const unblock = state.unblock(PUK, GOOD_PIN);
    await reset;
    expect(await codeOf(unblock)).toBe('ERR_UNBLOCK_UNAVAILABLE');
  });

  it('is unavailable on a card without PUK or admin key', async () => {
    const state = await newState();
    expect(await codeOf(state.unblock(PUK, GOOD_PIN))).toBe('ERR_UNBLOCK_UNAVAILABLE');
  });

  it('persists the spent unblock attempt before comparing', async () => {
    const events: string[] = [];
    const { crypto } = tracingCrypto(events);
    const state = await newState({
      crypto,
      policy: { maxAttempts: 1 },
      unblock: { kind: 'puk', value: PUK },
      persist: (record) => {
        events.push(`persist ${record.unblock[0]?.attemptsRemaining}`);
      },
    });
    await state.verify(OTHER_PIN);
    events.length = 0;
    await state.unblock('00000001', GOOD_PIN);
    expect(events).toEqual(['persist 2', 'derive']);
  });
});

describe('a card with both a PUK and an admin key (Windows virtual smart cards)', () => {
  const adminKey = new Uint8Array(24).map((_, i) => 0x10 + i);

  async function card() {
    const state = await newState({
      pin: GOOD_PIN,
      unblock: [
        { kind: 'admin-key', value: adminKey },
        { kind: 'puk', value: PUK },
      ],
    });
    return block(state);
  }

  it('lists both, PUK first, each with its own counter', async () => {
    const state = await card();
    expect(state.status().unblock.map((u) => u.kind)).toEqual(['puk', 'admin-key']);
    expect(await state.unblock('00000001', 'n3w-Pin!')).toMatchObject({ attemptsRemaining: 2 });
    expect(await state.unblock(new Uint8Array(24), 'n3w-Pin!')).toMatchObject({
      attemptsRemaining: 2,
    });
    expect(await state.unblock(new Uint8Array(24), 'n3w-Pin!')).toMatchObject({
      attemptsRemaining: 1,
    });
    expect(state.status().unblock.map((u) => u.attemptsRemaining)).toEqual([2, 1]);
  });

  it('unblocks with either; the one used gets its attempts back, the other keeps its count', async () => {
    const state = await card();
    await state.unblock('00000001', 'n3w-Pin!');
    expect(await state.unblock(adminKey, 'n3w-Pin!')).toEqual({ status: 'unblocked' });
    expect(state.status().unblock.map((u) => u.attemptsRemaining)).toEqual([2, 3]);
    await block(state);
    expect(await state.unblock(PUK, 'An0ther!')).toEqual({ status: 'unblocked' });
    expect(state.status().unblock.map((u) => u.attemptsRemaining)).toEqual([3, 3]);
  });

  it('refuses two credentials of one kind', async () => {
    const twice = newState({
      unblock: [
        { kind: 'puk', value: PUK },
        { kind: 'puk', value: '11223344' },
      ],
    });
    expect(await codeOf(twice)).toBe('ERR_INVALID_INPUT');
  });

  it('survives a record round trip', async () => {
    const state = await card();
    await state.unblock('00000001', 'n3w-Pin!');
    const restored = await PinState.restore(await state.toRecord());
    expect(restored.status()).toEqual(state.status());
    expect(await restored.unblock(adminKey, 'n3w-Pin!')).toEqual({ status: 'unblocked' });
  });
});

describe('setMustChange', () => {
  it('sets and clears the flag without touching the PIN or the counters', async () => {
    const disk = new Disk();
    const state = await newState({ pin: GOOD_PIN, mustChange: false, persist: disk.persist });
    await state.verify(OTHER_PIN);
    await state.setMustChange(true);
    expect(state.status()).toMatchObject({ mustChange: true, attemptsRemaining: 4 });
    expect(disk.last.mustChange).toBe(true);
    expect(await state.verify(GOOD_PIN)).toEqual({ status: 'verified', mustChange: true });
    await state.setMustChange(false);
    expect(state.status().mustChange).toBe(false);
    expect(await codeOf(state.setMustChange('yes' as unknown as boolean))).toBe(
      'ERR_INVALID_INPUT',
    );
  });
});

describe('reset', () => {
  it('puts the card back to the default PIN with must-change set', async () => {
    const state = await newState({ pin: GOOD_PIN, mustChange: false });
    await state.verify(OTHER_PIN);
    await state.reset();
    expect(state.status()).toMatchObject({
      attemptsRemaining: 5,
      mustChange: true,
      isDefault: true,
    });
    expect(await state.verify(DEFAULT_PIN)).toEqual({ status: 'verified', mustChange: true });
    await state.reset({ mustChange: false });
    expect(state.status().mustChange).toBe(false);
  });

  it('can replace or remove the unblock credential', async () => {
    const state = await newState({ unblock: { kind: 'puk', value: PUK } });
    await state.reset({ unblock: { kind: 'puk', value: '11223344' } });
    await block(state);
    expect(await state.unblock(PUK, GOOD_PIN)).toMatchObject({ status: 'incorrect' });
    expect(await state.unblock('11223344', GOOD_PIN)).toEqual({ status: 'unblocked' });
    await state.reset({ unblock: null });
    expect(state.status().unblock).toEqual([]);
    expect(await codeOf(state.reset({ unblock: { kind: 'puk', value: '1' } }))).toBe(
      'ERR_INVALID_INPUT',
    );
  });
});

describe('options checked before anything changes', () => {
  it('unblock and reset refuse a must-change that is not a boolean', async () => {
    const disk = new Disk();
    const state = await newState({ unblock: { kind: 'puk', value: PUK }, persist: disk.persist });
    const bad = { mustChange: 'no' as unknown as boolean };
    expect(await codeOf(state.unblock(PUK, GOOD_PIN, bad))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(state.reset(bad))).toBe('ERR_INVALID_INPUT');
    expect(disk.records).toHaveLength(1);
  });
});

describe('secrets', () => {
  it('never puts the PIN or PUK in a saved record', async () => {
    const disk = new Disk();
    const state = await newState({
      pin: GOOD_PIN,
      unblock: { kind: 'puk', value: PUK },
      persist: disk.persist,
    });
    await state.change(GOOD_PIN, OTHER_PIN);
    const text = JSON.stringify(disk.records);
    for (const secret of [GOOD_PIN, OTHER_PIN, PUK]) expect(text).not.toContain(secret);
  });

  it('uses the policy it was created with', async () => {
    const state = await newState({ policy: PinPolicy.preset('piv') });
    expect(state.policy.rules.defaultPin).toBe('123456');
    expect(await state.verify('123456')).toEqual({ status: 'verified', mustChange: true });
  });
});
