/**
 * The PIV link layer against a scripted transport: exact bytes out, scripted bytes back.
 */
import { describe, expect, it } from 'vitest';
import type { ApduEvent, ApduTransport } from '../../../src/card/index.js';
import { PivLink } from '../../../src/card/piv/link.js';
import { fromHex, toHex } from '../../../src/lib/bytes.js';

const hex = (text: string) => fromHex(text.replace(/\s/g, '')) as Uint8Array<ArrayBuffer>;

/** A transport that checks each command against the script and answers the scripted response. */
function scripted(script: readonly (readonly [command: string, response: string])[]) {
  const sent: string[] = [];
  let step = 0;
  const transport: ApduTransport = {
    async transmit(command) {
      sent.push(toHex(command));
      const [expected, response] = script[step++] ?? ['(nothing more)', '6f00'];
      expect(toHex(command)).toBe(expected.replace(/\s/g, '').toLowerCase());
      return hex(response);
    },
  };
  return { transport, sent, done: () => expect(step).toBe(script.length) };
}

describe('the PIV link layer', () => {
  it('chains data over 255 bytes with CLA 10 on all but the last command', async () => {
    const data = new Uint8Array(600).map((_, i) => i & 0xff);
    const part = (from: number, to: number) => toHex(data.subarray(from, to));
    const { transport, done } = scripted([
      [`10db3fffff${part(0, 255)}`, '9000'],
      [`10db3fffff${part(255, 510)}`, '9000'],
      [`00db3fff5a${part(510, 600)}`, '9000'],
    ]);
    const response = await new PivLink(transport).send({
      cla: 0,
      ins: 0xdb,
      p1: 0x3f,
      p2: 0xff,
      data,
    });
    expect(response.sw).toBe(0x9000);
    done();
  });

  it('stops a chain at the first part the card refuses', async () => {
    const { transport, done } = scripted([[`10db3fffff${'00'.repeat(255)}`, '6a80']]);
    const link = new PivLink(transport);
    const response = await link.send({
      cla: 0,
      ins: 0xdb,
      p1: 0x3f,
      p2: 0xff,
      data: new Uint8Array(300),
    });
    expect(response.sw).toBe(0x6a80);
    done();
  });

  it('collects 61xx answers with GET RESPONSE, 61 00 meaning 256 bytes', async () => {
    const { transport, done } = scripted([
      ['00cb3fff055c035fc105', `${'11'.repeat(256)}6100`],
      ['00c0000000', `${'22'.repeat(256)}6104`],
      ['00c0000004', '333333339000'],
    ]);
    const link = new PivLink(transport);
    const response = await link.send({
      cla: 0,
      ins: 0xcb,
      p1: 0x3f,
      p2: 0xff,
      data: hex('5c035fc105'),
    });
    expect(response.sw).toBe(0x9000);
    expect(response.data.length).toBe(516);
    expect(toHex(response.data.subarray(510))).toBe('222233333333');
    done();
  });

  it('resends a command answered 6Cxx with the Le the card asked for', async () => {
    const { transport, done } = scripted([
      ['00f8000000', '6c04'],
      ['00f8000004', '0102030490 00'],
    ]);
    const link = new PivLink(transport);
    const response = await link.send({
      cla: 0,
      ins: 0xf8,
      p1: 0,
      p2: 0,
      data: new Uint8Array(0),
      ne: 256,
    });
    expect(toHex(response.data)).toBe('01020304');
    done();
  });

  it('gives every exchange to the trace hook, secret data masked', async () => {
    const events: ApduEvent[] = [];
    const { transport } = scripted([
      ['0020008008313233343536ffff', '63c2'],
      ['00a4040009a00000030800001000', '9000'],
    ]);
    const link = new PivLink(transport, (event) => events.push(event));
    await link.send(
      { cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: hex('313233343536ffff') },
      { secret: true },
    );
    await link.send({ cla: 0, ins: 0xa4, p1: 4, p2: 0, data: hex('a00000030800001000') });
    expect(
      events.map((event) => [toHex(event.command), toHex(event.response), event.masked]),
    ).toEqual([
      ['00200080082a2a2a2a2a2a2a2a', '63c2', true],
      ['00a4040009a00000030800001000', '9000', false],
    ]);
  });

  it("masks an answer's data when asked, through GET RESPONSE, keeping the status words", async () => {
    const events: ApduEvent[] = [];
    const { transport } = scripted([
      ['00879a9d0401020304', `${'11'.repeat(4)}6102`],
      ['00c0000002', '22229000'],
    ]);
    const link = new PivLink(transport, (event) => events.push(event));
    const command = { cla: 0, ins: 0x87, p1: 0x9a, p2: 0x9d, data: hex('01020304') };
    const response = await link.send(command, { secretAnswer: true });
    expect(toHex(response.data)).toBe('111111112222');
    expect(
      events.map((event) => [toHex(event.command), toHex(event.response), event.masked]),
    ).toEqual([
      ['00879a9d0401020304', '2a2a2a2a6102', true],
      ['00c0000002', '2a2a9000', true],
    ]);
  });

  it('turns a transport that throws into ERR_CARD_REMOVED, and stays lost until resumed', async () => {
    const gone = new Error('SCARD_W_REMOVED_CARD');
    let calls = 0;
    const link = new PivLink({
      async transmit() {
        calls += 1;
        throw gone;
      },
    });
    const command = { cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: new Uint8Array(0) };
    await expect(link.send(command)).rejects.toMatchObject({
      code: 'ERR_CARD_REMOVED',
      cause: gone,
    });
    await expect(link.send(command)).rejects.toMatchObject({ code: 'ERR_CARD_REMOVED' });
    expect(calls).toBe(1);
    expect(link.lost).toBe(true);
    link.resume();
    await expect(link.send(command)).rejects.toMatchObject({ code: 'ERR_CARD_REMOVED' });
    expect(calls).toBe(2);
  });
});
