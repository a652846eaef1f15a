import { afterEach, describe, expect, it } from 'vitest';
import { Pkcs11Reader, type Pkcs11TokenLister } from '../../src/pkcs11/index.js';
import { codeOf } from '../support/errors.js';
import { freshToken } from './support/fresh.js';
import { tokenSupport, useTestToken } from './support/tokens.js';

/**
 * Pkcs11Reader: the token found by polling the module's real slot list (SoftHSM2). SoftHSM2
 * cannot take a token out while the module is loaded (it reads its token directory at
 * C_Initialize), so removal and reinsertion are driven through an injected slot lister, over
 * the same real token: the polling diff, the events, and the card's answers while out.
 */

const readers: Pkcs11Reader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.close();
});

describe.skipIf(!tokenSupport('softhsm').available)('Pkcs11Reader over SoftHSM2', () => {
  const token = useTestToken('softhsm');

  it('finds the token in the slot list, as the card in the reader', async () => {
    const t = token();
    freshToken(t);
    const reader = await Pkcs11Reader.open({ module: t.module, label: t.label, interval: 50 });
    readers.push(reader);
    expect(reader.name).toBe(t.module);
    const card = reader.card;
    expect(card?.kind).toBe('physical');
    expect(await reader.waitForCard({ timeout: 0 })).toBe(card);
    expect((await card?.info())?.label).toBe(t.label);
  });

  it('waits for a token that is not there, and times out', async () => {
    const t = token();
    const reader = await Pkcs11Reader.open({
      module: t.module,
      label: 'no-such-token',
      interval: 50,
    });
    readers.push(reader);
    expect(reader.card).toBeNull();
    expect(await reader.waitForCard({ timeout: 120 })).toBeNull();
    const controller = new AbortController();
    const waiting = reader.waitForCard({ signal: controller.signal });
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
  });

  it('reports removal and insertion from the slot list, and the card answers while out', async () => {
    const t = token();
    freshToken(t);
    let present = true;
    const listTokens: Pkcs11TokenLister = () =>
      present ? [{ label: t.label, serial: 'any' }] : [];
    const reader = await Pkcs11Reader.open({
      module: t.module,
      label: t.label,
      interval: 50,
      listTokens,
    });
    readers.push(reader);
    const card = reader.card;
    if (card === null) throw new Error('no card');
    const events: string[] = [];
    reader.on('inserted', (c) => events.push(`inserted ${c === card}`));
    reader.on('removed', (c) => events.push(`removed ${c === card}`));
    expect(await card.verifyPin(t.pin)).toMatchObject({ status: 'verified' });
    const key = await card.generateKeyPair();

    present = false;
    await expect.poll(() => events).toEqual(['removed true']);
    expect(reader.card).toBeNull();
    for (const call of [card.info(), card.verifyPin(t.pin), card.containers()]) {
      expect(await codeOf(call)).toBe('ERR_CARD_REMOVED');
    }
    const inserted = reader.waitForCard({ timeout: 5000 });

    present = true;
    expect(await inserted).toBe(card);
    expect(events).toEqual(['removed true', 'inserted true']);
    // Back in: the same card, its login gone with the removal.
    expect((await card.info()).pinVerified).toBe(false);
    const data = new Uint8Array([1, 2, 3]);
    expect(await codeOf(card.sign(key.name, data))).toBe('ERR_PIN_REQUIRED');
    await card.verifyPin(t.pin);
    expect(await card.sign(key.name, data)).toBeInstanceOf(Uint8Array);
  });

  it('stops polling on close', async () => {
    const t = token();
    let calls = 0;
    const reader = await Pkcs11Reader.open({
      module: t.module,
      label: t.label,
      interval: 50,
      listTokens: () => {
        calls += 1;
        return [];
      },
    });
    await reader.close();
    const after = calls;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls).toBe(after);
    expect(await codeOf(Pkcs11Reader.open({ module: t.module, interval: 10 }))).toBe(
      'ERR_INVALID_INPUT',
    );
  });
});
