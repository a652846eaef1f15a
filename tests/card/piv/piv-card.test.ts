/**
 * What PivSmartCard does beyond the contract with PINs, the management key and the link: nothing
 * sent for a PIN the policy refuses, a YubiKey's metadata, the management key (AES and 3DES,
 * wrong or missing), a card that is not PIV, removal mid-operation.
 */
import { describe, expect, it } from 'vitest';
import { PivSmartCard } from '../../../src/card/index.js';
import { PivLink } from '../../../src/card/piv/link.js';
import { authenticateManagementKey } from '../../../src/card/piv/management-key.js';
import { FACTORY_DEFAULTS } from '../../../src/card/piv/piv-constants.js';
import { concatBytes, fromHex, utf8 } from '../../../src/lib/bytes.js';
import { FACTORY_MANAGEMENT_KEY, openPivCard } from './piv-support.js';

const PIN = FACTORY_DEFAULTS.pin;
const hex = (text: string) => fromHex(text) as Uint8Array<ArrayBuffer>;

describe('PivSmartCard: PINs, the management key, the link', () => {
  it('sends no PIN the policy refuses, and reads the tries left without spending one', async () => {
    const { card, trace } = await openPivCard();
    const before = trace.length;
    await expect(card.verifyPin('12345')).rejects.toMatchObject({ code: 'ERR_PIN_POLICY' });
    await expect(card.verifyPin('123456789')).rejects.toMatchObject({ code: 'ERR_PIN_POLICY' });
    expect(trace.length).toBe(before);
    expect(await card.verifyPin('654321')).toEqual({ status: 'incorrect', attemptsRemaining: 2 });
    for (let i = 0; i < 3; i++) expect((await card.pinStatus()).attemptsRemaining).toBe(2);
    expect((await card.info()).pin.maxAttempts).toBe(3);
  });

  it("reads a YubiKey's PIN and PUK metadata: factory values, limits, the PUK's tries", async () => {
    const { card } = await openPivCard();
    expect(await card.pinStatus()).toMatchObject({
      attemptsRemaining: 3,
      maxAttempts: 3,
      isDefault: true,
      unblock: [{ kind: 'puk', attemptsRemaining: 3, maxAttempts: 3, blocked: false }],
    });
    for (let i = 0; i < 3; i++) await card.verifyPin('654321');
    expect(await card.unblockPin('87654321', '246810')).toEqual({
      status: 'incorrect',
      attemptsRemaining: 2,
    });
    expect((await card.pinStatus()).unblock[0]?.attemptsRemaining).toBe(2);
    expect(await card.unblockPin(FACTORY_DEFAULTS.puk, '246810')).toEqual({ status: 'unblocked' });
    expect((await card.pinStatus()).isDefault).toBe(false);
  });

  it('asks a card without metadata once, then only the status-only VERIFY', async () => {
    const asked: number[] = [];
    const chuid = `53123410${'11'.repeat(16)}`; // 53 { 34 GUID }
    const card = await PivSmartCard.open({
      async transmit(command) {
        asked.push(command[1] as number);
        if (command[1] === 0xcb) return hex(`${chuid}9000`);
        if (command[1] === 0x20) return hex('63c3');
        if (command[1] === 0xf7) return hex('6d00');
        return hex('9000');
      },
    });
    expect(card.id).toBe('11'.repeat(16));
    const status = await card.pinStatus();
    expect(status).toMatchObject({ attemptsRemaining: 3, maxAttempts: 3, isDefault: null });
    expect(status.unblock[0]?.attemptsRemaining).toBeNull();
    await card.pinStatus();
    expect(asked.filter((ins) => ins === 0xf7).length).toBe(1);
  });

  it('leaves the card session authenticated after a PIN change, as the contract says', async () => {
    const { card } = await openPivCard();
    expect(await card.changePin(PIN, '246810')).toEqual({ status: 'changed' });
    expect((await card.info()).pinVerified).toBe(true);
    expect((await card.pinStatus()).isDefault).toBe(false);
  });

  it('refuses what PIV cannot do: an admin key, a PIN to be changed on unblock', async () => {
    const { card } = await openPivCard();
    await expect(card.unblockPin(new Uint8Array(24), '246810')).rejects.toMatchObject({
      code: 'ERR_UNBLOCK_UNAVAILABLE',
    });
    await expect(
      card.unblockPin(FACTORY_DEFAULTS.puk, '246810', { mustChange: true }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
  });

  it('needs the right management key to generate, and changes nothing without it', async () => {
    const wrong = { algorithm: 'AES-192', key: new Uint8Array(24).fill(7) } as const;
    const { card } = await openPivCard({ managementKey: wrong });
    await card.verifyPin(PIN);
    await expect(card.generateKeyPair()).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    expect(await card.containers()).toEqual([]);
    const { slot } = await openPivCard();
    const bare = await PivSmartCard.open(slot);
    await bare.verifyPin(PIN);
    await expect(bare.generateKeyPair()).rejects.toThrow(/managementKey/);
    await expect(
      PivSmartCard.open(slot, { managementKey: { algorithm: '3DES', key: new Uint8Array(16) } }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
  });

  it('authenticates a 3DES management key', async () => {
    const { slot } = await openPivCard();
    const link = new PivLink(slot);
    const select = Uint8Array.of(0xa0, 0, 0, 3, 8, 0, 0, 0x10, 0);
    expect((await link.send({ cla: 0, ins: 0xa4, p1: 4, p2: 0, data: select })).sw).toBe(0x9000);
    await authenticateManagementKey(link, globalThis.crypto, FACTORY_MANAGEMENT_KEY);
    const tdes = Uint8Array.from({ length: 24 }, (_, i) => 0x40 + i);
    const data = concatBytes(Uint8Array.of(0x03, 0x9b, 24), tdes);
    expect((await link.send({ cla: 0, ins: 0xff, p1: 0xff, p2: 0xff, data })).sw).toBe(0x9000);
    const card = await PivSmartCard.open(slot, { managementKey: { algorithm: '3DES', key: tdes } });
    await card.verifyPin(PIN);
    expect((await card.generateKeyPair({ algorithm: 'ECDSA-P256' })).algorithm).toBe('ECDSA-P256');
  });

  it("masks a decryption's raw result in the trace: it holds the plaintext", async () => {
    const { card, trace } = await openPivCard();
    await card.verifyPin(PIN);
    const key = await card.generateKeyPair();
    const subtle = globalThis.crypto.subtle;
    const publicKey = await subtle.importKey(
      'spki',
      key.publicKey,
      { name: 'RSA-OAEP', hash: 'SHA-256' },
      false,
      ['encrypt'],
    );
    const secret = utf8('the session key');
    const ciphertext = new Uint8Array(
      await subtle.encrypt({ name: 'RSA-OAEP' }, publicKey, secret),
    );
    const from = trace.length;
    expect(await card.decrypt(key.name, ciphertext)).toEqual(secret);
    // From GENERAL AUTHENTICATE on, the answers with data: the chain's last, then GET RESPONSE's.
    const decrypting = trace.slice(from);
    const answers = decrypting
      .slice(decrypting.findIndex((event) => event.command[1] === 0x87))
      .filter((event) => event.response.length > 2);

    expect(answers.length).toBeGreaterThan(0);
    for (const { response, masked } of answers) {
      expect(masked).toBe(true);
      expect(response.subarray(0, -2).every((byte) => byte === 0x2a)).toBe(true);
    }
  });

  it('says a card without the PIV application is not a PIV card', async () => {
    const notPiv = { transmit: async () => Uint8Array.of(0x6a, 0x82) };
    await expect(PivSmartCard.open(notPiv)).rejects.toMatchObject({ code: 'ERR_DEVICE_MISMATCH' });
  });

  it('answers ERR_CARD_REMOVED for a card taken out mid-operation, and works once back', async () => {
    const { card, slot } = await openPivCard();
    await card.verifyPin(PIN);
    const key = await card.generateKeyPair({ algorithm: 'ECDSA-P256' });
    const transmit = slot.transmit.bind(slot);
    let calls = 0;
    slot.transmit = (command) => {
      calls += 1;
      if (calls === 2) slot.remove(); // after the status-only VERIFY, before the map is read
      return transmit(command);
    };
    await expect(card.sign(key.name, utf8('data'))).rejects.toMatchObject({
      code: 'ERR_CARD_REMOVED',
    });
    slot.insert();
    await expect(card.sign(key.name, utf8('data'))).rejects.toMatchObject({
      code: 'ERR_PIN_REQUIRED',
    });
    await card.verifyPin(PIN);
    expect((await card.sign(key.name, utf8('data'))).length).toBe(64);
  });
});
