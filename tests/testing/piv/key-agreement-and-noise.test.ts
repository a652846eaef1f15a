import { describe, expect, it } from 'vitest';
import { decodeObjects, encodeObject } from '../../../src/lib/apdu.js';
import { concatBytes, toHex } from '../../../src/lib/bytes.js';
import { EmulatedPivCard } from '../../../src/testing/piv/emulated-piv-card.js';
import {
  authenticate,
  command,
  crypto,
  hex,
  padded,
  selectPiv,
  send,
  templateValue,
  whole,
} from './piv-support.js';

describe('EmulatedPivCard: ECDH with an EC key (GENERAL AUTHENTICATE 85)', () => {
  it.each([
    ['11', 'P-256', 32],
    ['14', 'P-384', 48],
  ] as const)('alg %s agrees on the secret WebCrypto derives (%s)', async (alg, curve, size) => {
    const card = await EmulatedPivCard.create();
    await selectPiv(card);
    expect(await authenticate(card)).toBe('9000');
    const generated = await whole(card, await send(card, `00 47 00 9D 05 AC 03 80 01 ${alg}`));
    const cardPoint = decodeObjects(decodeObjects(hex(generated.data))[0]?.value ?? hex(''))[0];
    const params = { name: 'ECDH', namedCurve: curve };
    const peer = (await crypto.subtle.generateKey(params, true, ['deriveBits'])) as CryptoKeyPair;
    const peerPoint = new Uint8Array(await crypto.subtle.exportKey('raw', peer.publicKey));
    const agree = command(
      `00 87 ${alg} 9D`,
      encodeObject(0x7c, concatBytes(hex('8200'), encodeObject(0x85, peerPoint))),
    );
    expect((await send(card, agree)).sw).toBe('6982');
    await send(card, command('00 20 00 80', padded('123456')));
    const answer = await send(card, agree);
    expect(answer.sw).toBe('9000');
    const cardKey = await crypto.subtle.importKey(
      'raw',
      cardPoint?.value ?? hex(''),
      params,
      false,
      [],
    );
    const expected = await crypto.subtle.deriveBits(
      { name: 'ECDH', public: cardKey },
      peer.privateKey,
      size * 8,
    );
    expect(toHex(templateValue(answer.bytes, 0x82))).toBe(toHex(new Uint8Array(expected)));
    const offCurve = peerPoint.slice();
    offCurve[offCurve.length - 1] = (offCurve[offCurve.length - 1] ?? 0) ^ 1;
    const bad = encodeObject(0x7c, concatBytes(hex('8200'), encodeObject(0x85, offCurve)));
    expect((await send(card, command(`00 87 ${alg} 9D`, bad))).sw).toBe('6A80');
  });
});

describe('EmulatedPivCard: noise', () => {
  it('answers every random command with a status word and never throws; the PIN is untouched', async () => {
    const card = await EmulatedPivCard.create();
    await selectPiv(card);
    const instructions = [
      0x20, 0x24, 0x2c, 0x87, 0x47, 0xcb, 0xdb, 0xc0, 0xf7, 0xf8, 0xfd, 0xff, 0xa4,
    ];
    for (let round = 0; round < 400; round++) {
      const [length = 0, pick = 0] = crypto.getRandomValues(new Uint8Array(2));
      const bytes = crypto.getRandomValues(new Uint8Array(length % 40));
      if (bytes.length > 1) {
        bytes[0] = (bytes[0] ?? 0) & 0x10;
        bytes[1] = instructions[pick % instructions.length] ?? 0;
        if (bytes[1] === 0x20 || bytes[1] === 0x2c || bytes[1] === 0x24) bytes[3] = 0x9b; // no PIN tries
      }
      const answer = await card.transmit(bytes);
      expect(answer.length).toBeGreaterThanOrEqual(2);
      if (round % 50 === 0) {
        card.powerCycle();
        await selectPiv(card);
      }
    }
    card.powerCycle();
    await selectPiv(card);
    expect((await send(card, '00 20 00 80')).sw).toBe('63C3');
  });
});
