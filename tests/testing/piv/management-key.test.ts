import { describe, expect, it } from 'vitest';
import { FACTORY_DEFAULTS } from '../../../src/card/piv/piv-constants.js';
import { encodeObject } from '../../../src/lib/apdu.js';
import { encryptBlock } from '../../../src/lib/block-cipher.js';
import { concatBytes, toHex } from '../../../src/lib/bytes.js';
import { EmulatedPivCard } from '../../../src/testing/piv/emulated-piv-card.js';
import {
  authenticate,
  command,
  crypto,
  hex,
  selectPiv,
  send,
  templateValue,
} from './piv-support.js';

const GENERATE_P256 = '00 47 00 9A 05 AC 03 80 01 11';

async function selected() {
  const card = await EmulatedPivCard.create();
  await selectPiv(card);
  return card;
}

/** SET MANAGEMENT KEY with `algorithm` (hex byte) and `key` (hex). */
const setKey = (algorithm: string, key: string) =>
  command(
    '00 FF FF FF',
    `${algorithm} 9B ${(key.replace(/\s/g, '').length / 2).toString(16)} ${key}`,
  );

describe('EmulatedPivCard: the management key', () => {
  it('authenticates mutually with the factory AES-192 key; a wrong witness gets 6982', async () => {
    const card = await selected();
    expect(await send(card, '00 F7 00 9B')).toMatchObject({
      data: '01010a' + '02020001' + '050101',
    });
    expect(await authenticate(card)).toBe('9000');
    const other = await selected();
    const wrongKey = new Uint8Array(24).fill(7);
    expect(await authenticate(other, 0x0a, wrongKey)).toBe('6982');
    expect((await send(other, GENERATE_P256)).sw).toBe('6982');
  });

  it('refuses the wrong algorithm (6A86), a second step without a first (6985), a bad template (6A80)', async () => {
    const card = await selected();
    expect((await send(card, '00 87 03 9B 04 7C 02 80 00')).sw).toBe('6A86');
    const step2 = encodeObject(
      0x7c,
      concatBytes(encodeObject(0x80, new Uint8Array(16)), encodeObject(0x81, new Uint8Array(16))),
    );
    expect((await send(card, command('00 87 0A 9B', step2))).sw).toBe('6985');
    expect((await send(card, '00 87 0A 9B 04 7D 02 80 00')).sw).toBe('6A80');
    expect((await send(card, '00 87 0A 9B 03 7C 05 80')).sw).toBe('6A80');
  });

  it('authenticates in one step too (the host encrypts the card’s challenge)', async () => {
    const card = await selected();
    const challenge = templateValue((await send(card, '00 87 0A 9B 04 7C 02 81 00')).bytes, 0x81);
    expect(challenge).toHaveLength(16);
    const key = FACTORY_DEFAULTS.managementKey.slice();
    const response = await encryptBlock(crypto.subtle, 'AES', key, challenge.slice());
    const answer = await send(
      card,
      command('00 87 0A 9B', encodeObject(0x7c, encodeObject(0x82, response))),
    );
    expect(answer).toMatchObject({ data: '', sw: '9000' });
    expect((await send(card, GENERATE_P256)).sw).toBe('9000');
  });

  it('changes to a 3DES, AES-128 and AES-256 key with SET MANAGEMENT KEY, each one authenticating', async () => {
    const card = await selected();
    expect((await send(card, setKey('03', '0102030405060708'.repeat(3)))).sw).toBe('6982');
    const keys = [
      [0x03, '03', '0123456789abcdef23456789abcdef01456789abcdef0123'],
      [0x08, '08', '000102030405060708090a0b0c0d0e0f'],
      [0x0c, '0c', '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'],
    ] as const;
    let current = {
      algorithm: 0x0a as 0x03 | 0x08 | 0x0a | 0x0c,
      key: FACTORY_DEFAULTS.managementKey.slice(),
    };
    for (const [algorithm, byte, key] of keys) {
      expect(await authenticate(card, current.algorithm, current.key)).toBe('9000');
      expect((await send(card, setKey(byte, key))).sw).toBe('9000');
      current = { algorithm, key: hex(key) };
      card.powerCycle();
      await selectPiv(card);
      expect(await authenticate(card, algorithm, hex(key))).toBe('9000');
      expect(toHex((await send(card, '00 F7 00 9B')).bytes.subarray(0, 3))).toBe(`0101${byte}`);
    }
    expect((await send(card, setKey('0a', '00'.repeat(16)))).sw).toBe('6A80'); // AES-192 is 24 bytes
    expect((await send(card, command('00 FF FF 00', `0a 9b 18 ${'00'.repeat(24)}`))).sw).toBe(
      '6A86',
    );
  });

  it('starts with another management key when asked (the 3DES key of YubiKeys before 5.7)', async () => {
    const tdes = await EmulatedPivCard.create({ managementKey: { algorithm: '3DES' } });
    await selectPiv(tdes);
    expect((await send(tdes, '00 F7 00 9B')).data).toBe('010103' + '02020001' + '050101');
    expect(await authenticate(tdes, 0x03, FACTORY_DEFAULTS.managementKey.slice())).toBe('9000');
    const key = hex(`${'00'.repeat(31)}01`);
    const aes = await EmulatedPivCard.create({ managementKey: { algorithm: 'AES-256', key } });
    await selectPiv(aes);
    expect((await send(aes, '00 F7 00 9B')).data).toBe('01010c' + '02020001' + '050100');
    expect(await authenticate(aes, 0x0c, key)).toBe('9000');
    await expect(
      EmulatedPivCard.create({ managementKey: { algorithm: 'AES-128' } }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
    await expect(
      EmulatedPivCard.create({ managementKey: { algorithm: 'DES' as '3DES' } }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT' });
  });

  it('a power cycle ends the authentication', async () => {
    const card = await selected();
    expect(await authenticate(card)).toBe('9000');
    card.powerCycle();
    await selectPiv(card);
    expect((await send(card, GENERATE_P256)).sw).toBe('6982');
  });
});
