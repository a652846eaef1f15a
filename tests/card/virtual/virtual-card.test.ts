import { describe, expect, it } from 'vitest';
import {
  defaultAdminKey,
  MemoryStore,
  SoftwareTpm,
  VirtualSmartCard,
  type VirtualSmartCardOptions,
} from '../../../src/card/index.js';
import { smartCardContract } from '../../../src/testing/index.js';
import { codeOf } from '../../support/errors.js';
import { fixtureKeySource } from '../../support/fixture-keys.js';
import { FakeClock } from '../tpm/helpers.js';

const PIN = 'k7#Lm2pQ';

/** A copy of a store, as another process would see the same files. */
async function copyOf(store: MemoryStore): Promise<MemoryStore> {
  const copy = new MemoryStore();
  for (const name of await store.names())
    await copy.save(name, (await store.load(name)) as Uint8Array);
  return copy;
}
const PUK = '27182818';

async function virtualCard(options: Partial<VirtualSmartCardOptions> = {}) {
  const tpm = options.tpm ?? (await SoftwareTpm.create());
  return VirtualSmartCard.create({
    pin: PIN,
    puk: PUK,
    pinHashIterations: 1,
    keySource: fixtureKeySource,
    ...options,
    tpm,
  });
}

describe('SmartCard contract: VirtualSmartCard on a SoftwareTpm', () => {
  const cases = smartCardContract({
    makeCard: async () => ({ card: await virtualCard(), pin: PIN, newPin: 'Zx9!vB3n', puk: PUK }),
    kind: 'virtual',
    maxAttempts: 5,
    algorithms: ['RSA-2048', 'ECDSA-P256', 'ECDSA-P384'],
    unblocks: true,
  });
  for (const c of cases) it(c.name, c.run);
});

describe('VirtualSmartCard', () => {
  it('is made with the default PIN to change on first use and a random admin key, handed out once', async () => {
    const card = await VirtualSmartCard.create({
      tpm: await SoftwareTpm.create(),
      pinHashIterations: 1,
    });
    expect(card.kind).toBe('virtual');
    expect(await card.info()).toMatchObject({
      kind: 'virtual',
      label: 'Virtual Smart Card',
      blank: true,
      pin: {
        attemptsRemaining: 5,
        isDefault: true,
        mustChange: true,
        unblock: [{ kind: 'admin-key', attemptsRemaining: 3 }],
      },
    });
    expect(await card.verifyPin('12345678')).toEqual({ status: 'verified', mustChange: true });
    const adminKey = card.takeAdminKey();
    expect(adminKey).toBeInstanceOf(Uint8Array);
    expect(adminKey).toHaveLength(24);
    expect(adminKey).not.toEqual(defaultAdminKey());
    expect(card.takeAdminKey()).toBeUndefined();
    // The public default key is no longer the card's: it is refused, the generated one works.
    for (let i = 0; i < 5; i++) await card.verifyPin('wrong-PIN');
    expect(await card.unblockPin(defaultAdminKey(), PIN)).toMatchObject({ status: 'incorrect' });
    expect(await card.unblockPin(adminKey as Uint8Array<ArrayBuffer>, PIN)).toEqual({
      status: 'unblocked',
    });
  });

  it('marks the default PIN must-change even under the Windows preset, unless told not to', async () => {
    const tpm = await SoftwareTpm.create();
    const windows = await VirtualSmartCard.create({ tpm, pin: 'default', pinHashIterations: 1 });
    expect((await windows.pinStatus()).mustChange).toBe(true);
    const optedOut = await VirtualSmartCard.create({
      tpm,
      pin: 'default',
      mustChange: false,
      pinHashIterations: 1,
    });
    expect((await optedOut.pinStatus()).mustChange).toBe(false);
  });

  it('has the public default admin key only when asked for by name, and never hands it out', async () => {
    const card = await virtualCard({ adminKey: 'default' });
    expect(card.takeAdminKey()).toBeUndefined();
    for (let i = 0; i < 5; i++) await card.verifyPin('wrong-PIN');
    expect(await card.unblockPin(defaultAdminKey(), 'Zx9!vB3n')).toEqual({ status: 'unblocked' });
    expect((await virtualCard({ adminKey: 'random' })).takeAdminKey()).toBeUndefined();
  });

  it('refuses to unblock a PIN that is not blocked, spending nothing on the card or the TPM', async () => {
    const tpm = await SoftwareTpm.create();
    const card = await virtualCard({ tpm });
    const adminKey = card.takeAdminKey() as Uint8Array<ArrayBuffer>;
    await card.verifyPin('wrong-PIN');
    const before = await card.pinStatus();
    const failures = tpm.lockout().failedTries;
    expect(await codeOf(card.unblockPin(adminKey, 'Zx9!vB3n'))).toBe('ERR_UNBLOCK_UNAVAILABLE');
    expect(await codeOf(card.unblockPin(PUK, 'Zx9!vB3n'))).toBe('ERR_UNBLOCK_UNAVAILABLE');
    expect(await card.pinStatus()).toEqual(before);
    expect(tpm.lockout().failedTries).toBe(failures);
    expect(await card.verifyPin(PIN)).toMatchObject({ status: 'verified' });
  });

  it('blocks after 5 wrong PINs and unblocks with the admin key or the PUK', async () => {
    // Ten wrong PINs in all: past the TPM's default lockout threshold (9), so raise it here.
    const tpm = await SoftwareTpm.create({ antiHammering: { failureThreshold: 20 } });
    const card = await virtualCard({ tpm });
    const adminKey = card.takeAdminKey() as Uint8Array<ArrayBuffer>;
    for (let i = 0; i < 5; i++) await card.verifyPin('wrong-PIN');
    expect(await card.verifyPin(PIN)).toEqual({ status: 'blocked' });
    expect(await card.unblockPin(adminKey, 'Zx9!vB3n')).toEqual({ status: 'unblocked' });
    expect(await card.verifyPin('Zx9!vB3n')).toEqual({ status: 'verified', mustChange: true });
    for (let i = 0; i < 5; i++) await card.verifyPin('wrong-PIN');
    expect(await card.unblockPin(PUK, 'q1w2e3r4')).toEqual({ status: 'unblocked' });
    expect(await card.verifyPin('q1w2e3r4')).toEqual({ status: 'verified', mustChange: false });
  });

  it("with a random admin key, nobody's key unblocks it", async () => {
    const card = await virtualCard({ adminKey: 'random' });
    for (let i = 0; i < 5; i++) await card.verifyPin('wrong-PIN');
    expect(await card.unblockPin(defaultAdminKey(), 'Zx9!vB3n')).toMatchObject({
      status: 'incorrect',
    });
  });

  it('is always inserted: it has no reader to leave', async () => {
    const card = await virtualCard();
    await card.verifyPin(PIN);
    const key = await card.generateKeyPair();
    await card.sign(key.name, new Uint8Array([1]));
    expect((await card.info()).pinVerified).toBe(true);
  });

  it('keeps its state sealed by the TPM, and reopens on the same device', async () => {
    const store = new MemoryStore();
    const tpm = await SoftwareTpm.create({ store });
    const card = await virtualCard({ tpm, store, serial: 'VSC-1' });
    await card.verifyPin(PIN);
    const key = await card.generateKeyPair();
    await card.verifyPin('wrong-PIN');
    const sealed = (await store.load('vsc-VSC-1')) as Uint8Array;
    const text = new TextDecoder('latin1').decode(sealed);
    expect(text).not.toContain('pkcs8');
    expect(text).not.toContain('attemptsRemaining');

    expect(await VirtualSmartCard.open(tpm, store, 'VSC-1')).toBe(card);
    const restarted = await copyOf(store);
    const sameDevice = await SoftwareTpm.open(restarted, tpm.deviceId);
    const again = await VirtualSmartCard.open(sameDevice, restarted, 'VSC-1');
    expect(again).not.toBe(card);
    expect(await again.containers()).toEqual([key]);
    expect((await again.pinStatus()).attemptsRemaining).toBe(4);
  });

  it("refuses to open on another device's TPM: one virtual card per device", async () => {
    const store = new MemoryStore();
    await virtualCard({ store, serial: 'VSC-2' });
    const otherDevice = await SoftwareTpm.create();
    expect(await codeOf(VirtualSmartCard.open(otherDevice, store, 'VSC-2'))).toBe(
      'ERR_DEVICE_MISMATCH',
    );
  });

  it('refuses damaged sealed state, and a rolled-back copy', async () => {
    const original = new MemoryStore();
    const tpm = await SoftwareTpm.create();
    const card = await virtualCard({ tpm, store: original, serial: 'VSC-3' });
    const store = await copyOf(original);
    const sealed = (await store.load('vsc-VSC-3')) as Uint8Array;
    const flipped = sealed.slice();
    flipped.set([(flipped.at(-5) ?? 0) ^ 1], flipped.length - 5);
    await store.save('vsc-VSC-3', flipped);
    expect(await codeOf(VirtualSmartCard.open(tpm, store, 'VSC-3'))).toBe('ERR_STATE_CORRUPT');
    expect(await codeOf(VirtualSmartCard.open(tpm, store, 'nope'))).toBe('ERR_INVALID_INPUT');

    // Four wrong PINs later, the old copy (5 attempts left) is refused by the TPM's counter.
    for (let i = 0; i < 4; i++) await card.verifyPin('wrong-PIN');
    await store.save('vsc-VSC-3', sealed);
    expect(await codeOf(VirtualSmartCard.open(tpm, store, 'VSC-3'))).toBe('ERR_STATE_CORRUPT');
    const current = await copyOf(original);
    const reopened = await VirtualSmartCard.open(tpm, current, 'VSC-3');
    expect((await reopened.pinStatus()).attemptsRemaining).toBe(1);
  });

  it('needs a TPM, and an enabled one', async () => {
    expect(await codeOf(VirtualSmartCard.create({} as VirtualSmartCardOptions))).toBe(
      'ERR_TPM_UNAVAILABLE',
    );
    const tpm = await SoftwareTpm.create();
    tpm.disable();
    expect(await codeOf(virtualCard({ tpm }))).toBe('ERR_TPM_UNAVAILABLE');
  });

  it('changes nothing when the TPM is turned off mid-life', async () => {
    const tpm = await SoftwareTpm.create();
    const card = await virtualCard({ tpm });
    await card.verifyPin(PIN);
    tpm.disable();
    expect(await codeOf(card.generateKeyPair())).toBe('ERR_TPM_UNAVAILABLE');
    expect(await codeOf(card.verifyPin('wrong-PIN'))).toBe('ERR_TPM_UNAVAILABLE');
    tpm.enable();
    expect(await card.containers()).toEqual([]);
    expect((await card.pinStatus()).attemptsRemaining).toBe(5);
  });

  it("checks PINs under the TPM's anti-hammering: a locked-out TPM spends nothing", async () => {
    const clock = new FakeClock();
    const tpm = await SoftwareTpm.create({ clock, antiHammering: { failureThreshold: 2 } });
    const card = await virtualCard({
      tpm,
      pinPolicy: { maxAttempts: 10, changeOnFirstUse: false },
    });
    expect(await card.verifyPin('wrong-PIN')).toMatchObject({ attemptsRemaining: 9 });
    expect(await card.verifyPin('wrong-PIN')).toMatchObject({ attemptsRemaining: 8 });
    const locked = await card.verifyPin(PIN).catch((e: unknown) => e);
    expect(locked).toMatchObject({ code: 'ERR_TPM_LOCKOUT', retryAfterMs: 10_000 });
    expect((await card.pinStatus()).attemptsRemaining).toBe(8);
    clock.advance(10_000);
    expect(await card.verifyPin(PIN)).toMatchObject({ status: 'verified' });
  });

  it("with Windows' defaults, the TPM locks out at the 9th wrong PIN, past one unblock", async () => {
    const card = await virtualCard();
    for (let i = 0; i < 5; i++) await card.verifyPin('wrong-PIN');
    await card.unblockPin(PUK, 'Zx9!vB3n');
    for (let i = 0; i < 3; i++) await card.verifyPin('wrong-PIN');
    expect(await card.verifyPin('wrong-PIN')).toMatchObject({ attemptsRemaining: 1 });
    expect(await codeOf(card.verifyPin('Zx9!vB3n'))).toBe('ERR_TPM_LOCKOUT');
  });

  it('an unblock that compares nothing costs the TPM nothing and keeps the session', async () => {
    const tpm = await SoftwareTpm.create({ antiHammering: { failureThreshold: 1 } });
    const card = await virtualCard({ tpm, puk: undefined as never });
    await card.verifyPin(PIN);
    expect(await codeOf(card.unblockPin('27182818', 'Zx9!vB3n'))).toBe('ERR_UNBLOCK_UNAVAILABLE');
    expect(await codeOf(card.unblockPin(defaultAdminKey(), '1'))).toBe('ERR_PIN_POLICY');
    expect(tpm.lockout().failedTries).toBe(0);
    expect((await card.info()).pinVerified).toBe(true);
  });

  it("keeps its state out of reach: no TPM handle on the card, and the TPM's unseal cannot open it", async () => {
    const store = new MemoryStore();
    const tpm = await SoftwareTpm.create();
    const card = await virtualCard({ tpm, store, serial: 'VSC-9' });
    expect(Object.keys(card)).not.toContain('tpm');
    expect(card.deviceId).toBe(tpm.deviceId);
    const sealed = (await store.load('vsc-VSC-9')) as Uint8Array;
    for (const context of ['smartcard-2fa virtual card VSC-9', 'VSC-9', 'vsc-VSC-9']) {
      expect(await codeOf(tpm.unseal(sealed, context))).toBe('ERR_STATE_CORRUPT');
    }
  });

  it('one object per card: open returns the open card, create refuses a saved serial', async () => {
    const store = new MemoryStore();
    const tpm = await SoftwareTpm.create();
    const card = await virtualCard({ tpm, store, serial: 'VSC-8' });
    expect(await VirtualSmartCard.open(tpm, store, 'VSC-8')).toBe(card);
    expect(await codeOf(VirtualSmartCard.open(await SoftwareTpm.create(), store, 'VSC-8'))).toBe(
      'ERR_DEVICE_MISMATCH',
    );
    expect(await codeOf(virtualCard({ tpm, store, serial: 'VSC-8' }))).toBe('ERR_INVALID_INPUT');
  });

  it('a malformed PIN costs the TPM nothing', async () => {
    const tpm = await SoftwareTpm.create({ antiHammering: { failureThreshold: 1 } });
    const card = await virtualCard({ tpm });
    expect(await codeOf(card.verifyPin('short'))).toBe('ERR_PIN_POLICY');
    expect(tpm.lockout().failedTries).toBe(0);
  });
});
