import { describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../src/card/storage/card-store.js';
import { Pkcs11SmartCard } from '../../src/pkcs11/index.js';
import { codeOf } from '../support/errors.js';
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
    expect(await codeOf(again.info())).toBe('no error');
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
    // The SO PIN has the SDK's counter too (maxUnblockAttempts, 3).
    expect(await card.unblockPin(WRONG, NEW_PIN)).toEqual({
      status: 'incorrect',
      attemptsRemaining: 2,
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
    expect(await codeOf(card.verifyPin(WRONG))).not.toBe('no error');
    // C_Login did not run: a wrong PIN at C_Login would have set COUNT_LOW.
    expect(countLow(t)).toBe(false);
    failSaves = false;
    expect((await card.pinStatus()).attemptsRemaining).toBe(5);
    // The check is able to see C_Login: now it runs, and the flag is set.
    expect(await card.verifyPin(WRONG)).toEqual({ status: 'incorrect', attemptsRemaining: 4 });
    expect(countLow(t)).toBe(true);
    await card.close();
  });

  it('shares one count between card objects on one token: alternating wrong PINs block at the maximum', async () => {
    const t = token();
    freshToken(t);
    const a = await Pkcs11SmartCard.open({ module: t.module, label: t.label });
    const b = await Pkcs11SmartCard.open({ module: t.module, label: t.label });
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await (i % 2 === 0 ? a : b).verifyPin(WRONG));
    expect(answers).toEqual([
      { status: 'incorrect', attemptsRemaining: 4 },
      { status: 'incorrect', attemptsRemaining: 3 },
      { status: 'incorrect', attemptsRemaining: 2 },
      { status: 'incorrect', attemptsRemaining: 1 },
      { status: 'blocked' },
      { status: 'blocked' },
      { status: 'blocked' },
      { status: 'blocked' },
    ]);
    // The right PIN, from either object or a new one: blocked, the token not asked.
    expect(await a.verifyPin(t.pin)).toEqual({ status: 'blocked' });
    expect(await b.verifyPin(t.pin)).toEqual({ status: 'blocked' });
    const c = await Pkcs11SmartCard.open({ module: t.module, label: t.label });
    expect(await c.pinStatus()).toMatchObject({ attemptsRemaining: 0, blocked: true });
    expect(await c.verifyPin(t.pin)).toEqual({ status: 'blocked' });
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('reads the count fresh when another card object used the token since', async () => {
    const t = token();
    freshToken(t);
    const a = await Pkcs11SmartCard.open({ module: t.module, label: t.label });
    expect(await a.verifyPin(WRONG)).toEqual({ status: 'incorrect', attemptsRemaining: 4 });
    const b = await Pkcs11SmartCard.open({ module: t.module, label: t.label });
    expect(await b.verifyPin(WRONG)).toEqual({ status: 'incorrect', attemptsRemaining: 3 });
    expect(await b.verifyPin(WRONG)).toEqual({ status: 'incorrect', attemptsRemaining: 2 });
    // a saw 4 last: it reads 2 now, and spends from 2.
    expect((await a.pinStatus()).attemptsRemaining).toBe(2);
    expect(await a.verifyPin(WRONG)).toEqual({ status: 'incorrect', attemptsRemaining: 1 });
    // Writes that are not the count (friendly names, must-change) keep the count others spent.
    await b.requirePinChange().catch(() => undefined);
    expect((await b.pinStatus()).attemptsRemaining).toBe(1);
    // A right PIN through b restores the count for a too.
    expect(await b.verifyPin(t.pin)).toMatchObject({ status: 'verified' });
    expect((await a.pinStatus()).attemptsRemaining).toBe(5);
    await a.close();
    await b.close();
  });

  it('counts wrong SO PINs: at the maximum unblockPin answers blocked without C_Login(CKU_SO)', async () => {
    const t = token();
    freshToken(t);
    const card = await Pkcs11SmartCard.open({ module: t.module, label: t.label });
    expect((await card.pinStatus()).unblock[0]).toEqual({
      kind: 'puk',
      attemptsRemaining: 3,
      maxAttempts: 3,
      blocked: false,
    });
    // A right SO PIN restores the SO count.
    expect(await card.unblockPin(WRONG, NEW_PIN)).toEqual({
      status: 'incorrect',
      attemptsRemaining: 2,
    });
    expect(await card.unblockPin(t.soPin, NEW_PIN)).toEqual({ status: 'unblocked' });
    expect((await card.pinStatus()).unblock[0]).toMatchObject({ attemptsRemaining: 3 });
    // Another card object on the token shares the SO count.
    const other = await Pkcs11SmartCard.open({ module: t.module, label: t.label });
    expect(await card.unblockPin(WRONG, NEW_PIN)).toEqual({
      status: 'incorrect',
      attemptsRemaining: 2,
    });
    expect(await other.unblockPin(WRONG, NEW_PIN)).toEqual({
      status: 'incorrect',
      attemptsRemaining: 1,
    });
    expect(await card.unblockPin(WRONG, NEW_PIN)).toEqual({ status: 'blocked' });
    expect((await other.pinStatus()).unblock[0]).toEqual({
      kind: 'puk',
      attemptsRemaining: 0,
      maxAttempts: 3,
      blocked: true,
    });
    // The right SO PIN now: blocked, so C_Login(CKU_SO) did not run (it would have succeeded).
    expect(await other.unblockPin(t.soPin, 'Zx9!vB3n')).toEqual({ status: 'blocked' });
    expect(await card.unblockPin(t.soPin, 'Zx9!vB3n')).toEqual({ status: 'blocked' });
    // And the PIN was not changed: the one set before still verifies.
    expect(await card.verifyPin(NEW_PIN)).toMatchObject({ status: 'verified' });
    await card.close();
    await other.close();
  });

  it('gives an attempt back only when the token never compared the PIN', async () => {
    const t = token();
    freshToken(t);
    // SoftHSM2 answers CKR_PIN_INCORRECT for any wrong PIN: the other answers are made here.
    // pkcs11js binds its methods when the module is loaded: no card may hold it open now.
    const native = Object.getPrototypeOf(pkcs11js().PKCS11.prototype) as {
      C_Login: (session: Buffer, user: number, pin?: string) => void;
    };
    const login = native.C_Login;
    const spy = vi.spyOn(native, 'C_Login').mockImplementation(function (
      this: unknown,
      session: Buffer,
      user: number,
      pin?: string,
    ) {
      if (pin === 'LENRANGE1') throw new Error('CKR_PIN_LEN_RANGE:162');
      if (pin === 'INVALID11') throw new Error('CKR_PIN_INVALID:161');
      if (pin === 'GENERAL11') throw new Error('CKR_GENERAL_ERROR:5');
      login.call(this, session, user, pin);
    });
    try {
      const card = await Pkcs11SmartCard.open({ module: t.module, label: t.label });
      expect(await codeOf(card.verifyPin('LENRANGE1'))).toBe('ERR_PIN_POLICY');
      expect(await codeOf(card.verifyPin('INVALID11'))).toBe('ERR_PIN_POLICY');
      expect((await card.pinStatus()).attemptsRemaining).toBe(5);
      // Any other failure of C_Login keeps the attempt spent.
      expect(await codeOf(card.verifyPin('GENERAL11'))).toBe('ERR_PKCS11');
      expect((await card.pinStatus()).attemptsRemaining).toBe(4);
      // The same for the SO PIN's count.
      expect(await codeOf(card.unblockPin('LENRANGE1', NEW_PIN))).not.toBe('no error');
      expect((await card.pinStatus()).unblock[0]?.attemptsRemaining).toBe(3);
      expect(await codeOf(card.unblockPin('GENERAL11', NEW_PIN))).toBe('ERR_PKCS11');
      expect((await card.pinStatus()).unblock[0]?.attemptsRemaining).toBe(2);
      await card.close();
    } finally {
      spy.mockRestore();
    }
  });

  it("answers the SO PIN's refusals as the user PIN's: one table for both logins", async () => {
    const t = token();
    freshToken(t);
    // SoftHSM2 never refuses a PIN's length at C_Login: the refusals are made here.
    const native = Object.getPrototypeOf(pkcs11js().PKCS11.prototype) as {
      C_Login: (session: Buffer, user: number, pin?: string) => void;
    };
    const login = native.C_Login;
    const spy = vi.spyOn(native, 'C_Login').mockImplementation(function (
      this: unknown,
      session: Buffer,
      user: number,
      pin?: string,
    ) {
      if (pin === 'LENRANGE1') throw new Error('CKR_PIN_LEN_RANGE:162');
      if (pin === 'INVALID11') throw new Error('CKR_PIN_INVALID:161');
      login.call(this, session, user, pin);
    });
    try {
      const card = await Pkcs11SmartCard.open({ module: t.module, label: t.label });
      // The token never compared the SO PIN: ERR_PIN_POLICY, and the attempt is given back.
      expect(await codeOf(card.unblockPin('LENRANGE1', NEW_PIN))).toBe('ERR_PIN_POLICY');
      expect(await codeOf(card.unblockPin('INVALID11', NEW_PIN))).toBe('ERR_PIN_POLICY');
      expect((await card.pinStatus()).unblock[0]?.attemptsRemaining).toBe(3);
      // A wrong SO PIN is counted as before.
      expect(await card.unblockPin(WRONG, NEW_PIN)).toEqual({
        status: 'incorrect',
        attemptsRemaining: 2,
      });
      await card.close();
    } finally {
      spy.mockRestore();
    }
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
