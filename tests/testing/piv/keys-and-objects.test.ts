import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/card/storage/card-store.js';
import { decodeObjects, encodeCommand, encodeObject } from '../../../src/lib/apdu.js';
import { concatBytes, toBase64, toHex } from '../../../src/lib/bytes.js';
import { ecdsaP1363 } from '../../../src/lib/ecdsa.js';
import { EmulatedPivCard } from '../../../src/testing/piv/emulated-piv-card.js';
import {
  authenticate,
  chained,
  command,
  crypto,
  hex,
  padded,
  selectPiv,
  send,
  templateValue,
  whole,
} from './piv-support.js';

const base64url = (bytes: Uint8Array) =>
  toBase64(bytes).replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_');
const SHA256_INFO = hex('3031300d060960864801650304020105000420');
const message = new TextEncoder().encode('sign in as alice');

async function ready(store = new MemoryStore()) {
  const card = await EmulatedPivCard.create({ store, serial: 77 });
  await selectPiv(card);
  expect(await authenticate(card)).toBe('9000');
  return card;
}

async function generate(card: EmulatedPivCard, slot: string, algorithm: string) {
  const answer = await whole(
    card,
    await send(card, `00 47 00 ${slot} 05 AC 03 80 01 ${algorithm}`),
  );
  expect(answer.sw).toBe('9000');
  const [template] = decodeObjects(hex(answer.data));
  expect(template?.tag).toBe(0x7f49);
  return decodeObjects(template?.value ?? new Uint8Array(0));
}

const sign = (card: EmulatedPivCard, algorithm: string, slot: string, data: Uint8Array) =>
  chained(
    card,
    [0, 0x87, Number.parseInt(algorithm, 16), Number.parseInt(slot, 16)],
    encodeObject(0x7c, concatBytes(hex('8200'), encodeObject(0x81, data))),
  );

describe('EmulatedPivCard: keys', () => {
  it('generates RSA-2048 in 9A (answered by 61xx and GET RESPONSE) and signs a host-built PKCS#1 block once the PIN is verified', async () => {
    const card = await ready();
    const first = await send(card, '00 47 00 9A 05 AC 03 80 01 07');
    expect(first.sw).toBe('610E'); // 270 bytes: 256 now, 14 by GET RESPONSE
    const answer = await whole(card, first);
    const parts = decodeObjects(decodeObjects(hex(answer.data))[0]?.value ?? new Uint8Array(0));
    const [modulus, exponent] = [
      parts[0]?.value ?? new Uint8Array(0),
      parts[1]?.value ?? new Uint8Array(0),
    ];
    expect([parts[0]?.tag, parts[1]?.tag, modulus.length, toHex(exponent)]).toEqual([
      0x81,
      0x82,
      256,
      '010001',
    ]);
    const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', message));
    const info = concatBytes(SHA256_INFO, hash);
    const block = concatBytes(
      hex('0001'),
      new Uint8Array(256 - 3 - info.length).fill(0xff),
      hex('00'),
      info,
    );
    expect((await sign(card, '07', '9A', block)).sw).toBe('6982');
    expect((await send(card, command('00 20 00 80', padded('123456')))).sw).toBe('9000');
    const signed = await whole(card, await sign(card, '07', '9A', block));
    expect(signed.sw).toBe('9000');
    const signature = templateValue(hex(signed.data), 0x82);
    const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const jwk = { kty: 'RSA', n: base64url(modulus), e: base64url(exponent) };
    const key = await crypto.subtle.importKey('jwk', jwk, rsa, false, ['verify']);
    expect(await crypto.subtle.verify(rsa, key, signature, message)).toBe(true);
    // An extended APDU gets the whole answer at once.
    const extended = encodeCommand({
      cla: 0,
      ins: 0x87,
      p1: 7,
      p2: 0x9a,
      data: encodeObject(0x7c, concatBytes(hex('8200'), encodeObject(0x81, block))),
      ne: 65_536,
    });
    expect((await send(card, extended)).sw).toBe('9000');
    expect((await sign(card, '07', '9A', block.subarray(1))).sw).toBe('6A80'); // 255 bytes
  });

  it.each([
    ['9C', '11', 'P-256', 'SHA-256', 32],
    ['9D', '14', 'P-384', 'SHA-384', 48],
    ['9E', '11', 'P-256', 'SHA-256', 32],
  ] as const)(
    'generates an EC key in %s (alg %s) and signs a hash, under the slot’s PIN policy',
    async (slot, alg, curve, hashName, size) => {
      const card = await ready();
      const [point] = await generate(card, slot, alg);
      expect(point?.tag).toBe(0x86);
      const hash = new Uint8Array(await crypto.subtle.digest(hashName, message));
      const needsPin = slot !== '9E';
      expect((await sign(card, alg, slot, hash)).sw).toBe(needsPin ? '6982' : '9000');
      await send(card, command('00 20 00 80', padded('123456')));
      const answer = await sign(card, alg, slot, hash);
      expect(answer.sw).toBe('9000');
      // 9C signs once per VERIFY; 9D and 9E again.
      expect((await sign(card, alg, slot, hash)).sw).toBe(slot === '9C' ? '6982' : '9000');
      const raw = ecdsaP1363(templateValue(answer.bytes, 0x82), size) ?? new Uint8Array(0);
      const publicKey = await crypto.subtle.importKey(
        'raw',
        point?.value ?? new Uint8Array(0),
        { name: 'ECDSA', namedCurve: curve },
        false,
        ['verify'],
      );
      expect(
        await crypto.subtle.verify({ name: 'ECDSA', hash: hashName }, publicKey, raw, message),
      ).toBe(true);
    },
  );

  it('refuses an empty slot (6A88), another algorithm (6A86), a bad slot (6A86) and an unknown algorithm (6A80)', async () => {
    const card = await ready();
    await send(card, command('00 20 00 80', padded('123456')));
    expect((await sign(card, '11', '9A', new Uint8Array(32))).sw).toBe('6A88');
    await generate(card, '9A', '11');
    expect((await sign(card, '14', '9A', new Uint8Array(32))).sw).toBe('6A86');
    expect((await send(card, '00 47 00 9B 05 AC 03 80 01 11')).sw).toBe('6A86');
    expect((await send(card, '00 47 00 9A 05 AC 03 80 01 06')).sw).toBe('6A80');
    expect((await send(card, '00 87 11 9A 04 7C 02 82 00')).sw).toBe('6A80');
  });

  it('keeps the PIN and touch policies GENERATE asks for (AA, AB), and refuses unknown ones', async () => {
    const card = await ready();
    // 9A with PIN policy "always" (03) and touch "cached" (03): a VERIFY before every use.
    expect((await send(card, '00 47 00 9A 0B AC 09 80 01 11 AA 01 03 AB 01 03')).sw).toBe('9000');
    expect(toHex((await send(card, '00 F7 00 9A')).bytes.subarray(3, 7))).toBe('02020303');
    const hash = new Uint8Array(32).fill(1);
    await send(card, command('00 20 00 80', padded('123456')));
    expect((await sign(card, '11', '9A', hash)).sw).toBe('9000');
    expect((await sign(card, '11', '9A', hash)).sw).toBe('6982');
    // 9C with PIN policy "never" (01): no PIN at all.
    expect((await send(card, '00 47 00 9C 08 AC 06 80 01 11 AA 01 01')).sw).toBe('9000');
    card.powerCycle();
    await selectPiv(card);
    expect((await sign(card, '11', '9C', hash)).sw).toBe('9000');
    expect(await authenticate(card)).toBe('9000');
    expect((await send(card, '00 47 00 9D 08 AC 06 80 01 11 AA 01 04')).sw).toBe('6A80');
    expect((await send(card, '00 47 00 9D 08 AC 06 80 01 11 AB 01 07')).sw).toBe('6A80');
    expect((await send(card, '00 F7 00 9D')).sw).toBe('6A88');
  });

  it('keeps keys and objects across a reopen; GET METADATA describes the key', async () => {
    const store = new MemoryStore();
    const card = await ready(store);
    const [point] = await generate(card, '9E', '11');
    const reopened = await EmulatedPivCard.open({ store, serial: 77 });
    await selectPiv(reopened);
    const metadata = decodeObjects((await send(reopened, '00 F7 00 9E')).bytes);
    expect(metadata.map((object) => toHex(object.value)).slice(0, 3)).toEqual(['11', '0101', '01']);
    expect(
      toHex(decodeObjects(metadata[3]?.value ?? new Uint8Array(0))[0]?.value ?? new Uint8Array(0)),
    ).toBe(toHex(point?.value ?? new Uint8Array(0)));
    expect((await send(reopened, '00 F7 00 9A')).sw).toBe('6A88');
    expect(await send(reopened, '00 F8 00 00')).toMatchObject({ data: '0000004d', sw: '9000' });
    expect((await send(reopened, '00 FD 00 00')).data).toBe('050701');
  });
});
