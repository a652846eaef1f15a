import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/card/store.js';
import { Pkcs11SmartCard } from '../../src/pkcs11/index.js';
import { codeOf } from '../card/contract.js';
import { freshToken } from './support/fresh.js';
import { pkcs11js, type TestToken, tokenSupport, useTestToken } from './support/tokens.js';

/**
 * What Pkcs11SmartCard adds beyond the contract, on real tokens: the SDK's record on the token
 * (the card id and the retry counter survive a reopen; a blocked card does not reach C_Login),
 * the SDK's counter on the TPM with the security officer's unblock, and how opening fails.
 */

const WRONG = '00000000';
const NEW_PIN = 'k7#Lm2pQ';

/** SoftHSM2's COUNT_LOW flag: set by a wrong PIN at C_Login, cleared by a right one. */
function countLow(token: TestToken): boolean {
  const pk = pkcs11js();
  const lib = new pk.PKCS11();
  lib.load(token.module);
  try {
    lib.C_Initialize();
  } catch {
    // initialised by the SDK in this process already
  }
  try {
    const slot = lib
      .C_GetSlotList(true)
      .find((s) => lib.C_GetTokenInfo(s).label.trim() === token.label);
    if (slot === undefined) throw new Error('no token');
    return (lib.C_GetTokenInfo(slot).flags & pk.CKF_USER_PIN_COUNT_LOW) !== 0;
  } finally {
    lib.close();
  }
}

describe.skipIf(!tokenSupport('softhsm').available)('Pkcs11SmartCard on SoftHSM2', () => {
  const token = useTestToken('softhsm');

  it('keeps its id and its retry counter on the token, across a reopen', async () => {
    const t = token();
    freshToken(t);
    const first = await Pkcs11SmartCard.open({ module: t.module, label: t.label });
    expect(first.recordPlace).toBe('token');
    expect(first.id).toMatch(/^[0-9a-f]{16}$/);
    expect(await first.verifyPin(WRONG)).toEqual({ status: 'incorrect', attemptsRemaining: 4 });
    const id = first.id;
    await first.close();
    const again = await Pkcs11SmartCard.open({ module: t.module, label: t.label });
    expect(again.id).toBe(id);
    expect((await again.pinStatus()).attemptsRemaining).toBe(4);
    expect(await codeOf(again.info())).toBe('resolved');
    await again.close();
    expect(await codeOf(again.info())).toBe('ERR_INVALID_INPUT');
  });

  it('answers blocked at 0 without asking the token, and unblocks through the SO', async () => {
    const t = token();
    freshToken(t);
    const card = await Pkcs11SmartCard.open({
      module: t.module,
      label: t.label,
      retryCounter: { maxAttempts: 2 },
    });
    expect(await card.verifyPin(WRONG)).toEqual({ status: 'incorrect', attemptsRemaining: 1 });
    expect(await card.verifyPin(WRONG)).toEqual({ status: 'blocked' });
    expect(countLow(t)).toBe(true);
    // The right PIN now: the SDK answers blocked, and C_Login never runs (it would clear the flag).
    expect(await card.verifyPin(t.pin)).toEqual({ status: 'blocked' });
    expect(countLow(t)).toBe(true);
    expect(await card.unblockPin(WRONG, NEW_PIN)).toEqual({
      status: 'incorrect',
      attemptsRemaining: null,
    });
    expect(await card.unblockPin(t.soPin, NEW_PIN, { mustChange: true })).toEqual({
      status: 'unblocked',
    });
    expect(await card.pinStatus()).toMatchObject({
      attemptsRemaining: 2,
      maxAttempts: 2,
      blocked: false,
      mustChange: true,
    });
    expect(await card.verifyPin(NEW_PIN)).toEqual({ status: 'verified', mustChange: true });
    expect(await card.changePin(NEW_PIN, 'Zx9!vB3n')).toEqual({ status: 'changed' });
    expect((await card.pinStatus()).mustChange).toBe(false);
    expect(await codeOf(card.unblockPin(new Uint8Array(24), NEW_PIN))).toBe(
      'ERR_UNBLOCK_UNAVAILABLE',
    );
    await card.close();
  });

  it('leaves the counter to the token when asked: attempts left unknown', async () => {
    const t = token();
    freshToken(t);
    const card = await Pkcs11SmartCard.open({
      module: t.module,
      label: t.label,
      retryCounter: 'token',
    });
    expect(await card.pinStatus()).toMatchObject({ attemptsRemaining: null, maxAttempts: null });
    expect(await card.verifyPin(WRONG)).toEqual({ status: 'incorrect', attemptsRemaining: null });
    await card.close();
  });

  it('writes the spent attempt before C_Login: when the write fails, the token never sees the PIN', async () => {
    const t = token();
    freshToken(t);
    const memory = new MemoryStore();
    let failSaves = false;
    const state = {
      load: (name: string) => memory.load(name),
      save: async (name: string, bytes: Uint8Array) => {
        if (failSaves) throw new Error('EIO: the disk went away');
        await memory.save(name, bytes);
      },
      delete: (name: string) => memory.delete(name),
      names: () => memory.names(),
    };
    const card = await Pkcs11SmartCard.open({
      module: t.module,
      label: t.label,
      state,
      retryCounter: { maxAttempts: 5 },
    });
    expect(countLow(t)).toBe(false);
    failSaves = true;
    expect(await codeOf(card.verifyPin(WRONG))).not.toBe('resolved');
    // C_Login did not run: a wrong PIN at C_Login would have set COUNT_LOW.
    expect(countLow(t)).toBe(false);
    failSaves = false;
    expect((await card.pinStatus()).attemptsRemaining).toBe(5);
    // The check is able to see C_Login: now it runs, and the flag is set.
    expect(await card.verifyPin(WRONG)).toEqual({ status: 'incorrect', attemptsRemaining: 4 });
    expect(countLow(t)).toBe(true);
    await card.close();
  });

  it('says why it cannot open', async () => {
    const t = token();
    expect(await codeOf(Pkcs11SmartCard.open({ module: t.module, label: 'nobody' }))).toBe(
      'ERR_CARD_REMOVED',
    );
    expect(await codeOf(Pkcs11SmartCard.open({ module: '/nonexistent/module.so' }))).toBe(
      'ERR_UNSUPPORTED_ENVIRONMENT',
    );
    expect(await codeOf(Pkcs11SmartCard.open({ module: '' }))).toBe('ERR_INVALID_INPUT');
    expect(
      await codeOf(Pkcs11SmartCard.open({ module: t.module, retryCounter: { maxAttempts: 0 } })),
    ).toBe('ERR_INVALID_INPUT');
  });
});

describe.skipIf(!tokenSupport('tpm').available)('Pkcs11SmartCard on the TPM token', () => {
  const token = useTestToken('tpm', { resourceManager: true });

  it('has the serial of every TPM token, and the id the SDK gives it', async () => {
    const t = token();
    freshToken(t);
    const card = await Pkcs11SmartCard.open({ module: t.module, label: t.label });
    const info = await card.info();
    expect(info.serial).toBe('0000000000000000');
    expect(info.kind).toBe('virtual');
    // tpm2-pkcs11 takes no public data object: the record lives in memory, the id derived.
    expect(card.recordPlace).toBe('memory');
    expect(card.id).toMatch(/^[0-9a-f]{16}$/);
    expect(info.pin).toMatchObject({ attemptsRemaining: null, maxAttempts: null });
    await card.close();
    const again = await Pkcs11SmartCard.open({ module: t.module, label: t.label });
    expect(again.id).toBe(card.id);
    await again.close();
  });

  it("blocks with the SDK's counter before the TPM's lockout, and the SO unblocks", async () => {
    const t = token();
    freshToken(t);
    const store = new MemoryStore();
    const card = await Pkcs11SmartCard.open({
      module: t.module,
      label: t.label,
      retryCounter: { maxAttempts: 2 }, // below the TPM's threshold (3)
      state: store,
    });
    expect(card.recordPlace).toBe('store');
    await card.verifyPin(WRONG);
    expect(await card.verifyPin(WRONG)).toEqual({ status: 'blocked' });
    expect(await card.unblockPin(t.soPin, NEW_PIN)).toEqual({ status: 'unblocked' });
    expect(await card.verifyPin(NEW_PIN)).toMatchObject({ status: 'verified' });
    await card.close();
    // The store keeps the id and the counter for the next open.
    const again = await Pkcs11SmartCard.open({ module: t.module, label: t.label, state: store });
    expect(again.id).toBe(card.id);
    await again.close();
  });
});
