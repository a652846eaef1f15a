import { describe, expect, it } from 'vitest';
import { decodeObjects, encodeObject } from '../../../src/lib/apdu.js';
import { concatBytes, toHex } from '../../../src/lib/bytes.js';
import { EmulatedPivCard } from '../../../src/testing/piv/emulated-piv-card.js';
import {
  authenticate,
  chained,
  command,
  crypto,
  hex,
  selectPiv,
  send,
  whole,
} from './piv-support.js';

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

  it('answers a short Le in parts or by 6Cxx, 6883 to a broken chain, 6985 to a GET RESPONSE with nothing left', async () => {
    const card = await EmulatedPivCard.create();
    await selectPiv(card);
    // GET DATA with Le 08 (how OpenSC learns an object's length): 8 bytes, then GET RESPONSE.
    expect(await send(card, '00 CB 3F FF 03 5C 01 7E 08')).toMatchObject({
      data: '7e124f0ba0000003',
      sw: '610C',
    });
    expect(await send(card, '00 C0 00 00 0C')).toMatchObject({
      data: '080000100001005f2f024000',
      sw: '9000',
    });
    // GET METADATA (no data, changes nothing) with an exact Le too small: 6Cxx, then as asked.
    expect((await send(card, '00 F7 00 80 02')).sw).toBe('6C0A');
    expect(await send(card, '00 F7 00 80 0A')).toMatchObject({
      data: '0101ff05010106020303',
      sw: '9000',
    });
    expect((await send(card, '00 FD 00 00 03')).sw).toBe('9000');
    expect((await send(card, '10 DB 3F FF 02 5C 03')).sw).toBe('9000');
    expect((await send(card, '00 CB 3F FF 03 5C 01 7E')).sw).toBe('6883');
    expect((await send(card, '00 C0 00 00 00')).sw).toBe('6985');
    expect((await send(card, '00 CB 3F 00 03 5C 01 7E')).sw).toBe('6A86');
    expect((await send(card, '00 CB 3F FF 03 5D 01 7E')).sw).toBe('6A80');
    expect((await send(card, '00 CB 3F FF 05 5C 03 5F C1 09')).sw).toBe('6982'); // printed information
  });
});
