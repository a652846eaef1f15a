import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/card/storage/card-store.js';
import { decodeObjects, encodeCommand, encodeObject } from '../../../src/lib/apdu.js';
import { concatBytes, toBase64, toHex } from '../../../src/lib/bytes.js';
import { ecdsaP1363 } from '../../../src/lib/ecdsa.js';
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

/** Sends `data` under `header` in chained parts of at most 255 bytes; the last answer. */
async function chained(card: EmulatedPivCard, [cla, ins, p1, p2]: number[], data: Uint8Array) {
  let answer = { data: '', sw: '', bytes: new Uint8Array(0) };
  for (let at = 0; at < data.length; at += 255) {
    const last = at + 255 >= data.length;
    const part = data.subarray(at, at + 255);
    const apdu = encodeCommand({
      cla: last ? (cla as number) : 0x10,
      ins: ins as number,
      p1: p1 as number,
      p2: p2 as number,
      data: part,
      ne: 256,
    });
    answer = await send(card, apdu);
    if (!last) expect(answer.sw).toBe('9000');
  }
  return answer;
}

/** Reads a whole answer: 61xx are followed by GET RESPONSE. */
async function whole(card: EmulatedPivCard, first: { data: string; sw: string }) {
  let data = first.data;
  let sw = first.sw;
  while (sw.startsWith('61')) {
    const next = await send(card, `00 C0 00 00 ${sw.slice(2)}`);
    data += next.data;
    sw = next.sw;
  }
  return { data, sw };
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

describe('EmulatedPivCard: data objects, chaining and long answers', () => {
  it('writes a certificate object by chained PUT DATA and reads it back by GET RESPONSE', async () => {
    const card = await EmulatedPivCard.create();
    await selectPiv(card);
    const certificate = crypto.getRandomValues(new Uint8Array(1500));
    const contents = concatBytes(encodeObject(0x70, certificate), hex('710100'), hex('fe00'));
    const put = concatBytes(hex('5c035fc105'), encodeObject(0x53, contents));
    expect((await chained(card, [0, 0xdb, 0x3f, 0xff], put)).sw).toBe('6982');
    expect((await send(card, '00 CB 3F FF 05 5C 03 5F C1 05')).sw).toBe('6A82');
    expect(await authenticate(card)).toBe('9000');
    expect((await chained(card, [0, 0xdb, 0x3f, 0xff], put)).sw).toBe('9000');
    const read = await whole(card, await send(card, '00 CB 3F FF 05 5C 03 5F C1 05 00'));
    expect(read).toEqual({ data: toHex(encodeObject(0x53, contents)), sw: '9000' });
    const empty = concatBytes(hex('5c035fc105'), hex('5300'));
    expect((await send(card, command('00 DB 3F FF', empty))).sw).toBe('9000');
    expect((await send(card, '00 CB 3F FF 05 5C 03 5F C1 05')).sw).toBe('6A82');
    const ownObject = concatBytes(hex('5c035fa000'), encodeObject(0x53, hex('0102')));
    expect((await send(card, command('00 DB 3F FF', ownObject))).sw).toBe('9000');
    expect((await send(card, '00 CB 3F FF 05 5C 03 5F A0 00')).data).toBe('53020102');
    const notAnObject = concatBytes(hex('5c03400000'), encodeObject(0x53, hex('0102')));
    expect((await send(card, command('00 DB 3F FF', notAnObject))).sw).toBe('6A80');
    const tooBig = concatBytes(hex('5c035fc105'), encodeObject(0x53, new Uint8Array(3064)));
    expect((await chained(card, [0, 0xdb, 0x3f, 0xff], tooBig)).sw).toBe('6A84');
  });

  it('has a CHUID with a FASC-N and GUID, made once, and the discovery object', async () => {
    const card = await EmulatedPivCard.create({ serial: 123_456 });
    await selectPiv(card);
    const chuid = await send(card, '00 CB 3F FF 05 5C 03 5F C1 02 00');
    expect(chuid.sw).toBe('9000');
    const fields = decodeObjects(decodeObjects(chuid.bytes)[0]?.value ?? new Uint8Array(0));
    expect(fields.map((field) => [field.tag, field.value.length])).toEqual([
      [0x30, 25],
      [0x34, 16],
      [0x35, 8],
      [0x3e, 0],
      [0xfe, 0],
    ]);
    expect((await send(card, '00 CB 3F FF 05 5C 03 5F C1 02')).data).toBe(chuid.data);
    expect(await send(card, '00 CB 3F FF 03 5C 01 7E 00')).toMatchObject({
      data: '7e124f0ba0000003080000100001005f2f024000',
      sw: '9000',
    });
  });

  it('answers 6Cxx to an exact Le too small, 6883 to a broken chain, 6985 to a GET RESPONSE with nothing left', async () => {
    const card = await EmulatedPivCard.create();
    await selectPiv(card);
    expect((await send(card, '00 CB 3F FF 03 5C 01 7E 05')).sw).toBe('6C14');
    expect((await send(card, '00 CB 3F FF 03 5C 01 7E 14')).sw).toBe('9000');
    expect((await send(card, '10 DB 3F FF 02 5C 03')).sw).toBe('9000');
    expect((await send(card, '00 CB 3F FF 03 5C 01 7E')).sw).toBe('6883');
    expect((await send(card, '00 C0 00 00 00')).sw).toBe('6985');
    expect((await send(card, '00 CB 3F 00 03 5C 01 7E')).sw).toBe('6A86');
    expect((await send(card, '00 CB 3F FF 03 5D 01 7E')).sw).toBe('6A80');
    expect((await send(card, '00 CB 3F FF 05 5C 03 5F C1 09')).sw).toBe('6982'); // printed information
  });
});
