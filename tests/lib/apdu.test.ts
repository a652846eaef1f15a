import { describe, expect, it } from 'vitest';
import {
  ApduError,
  decodeCommand,
  decodeObjects,
  decodeResponse,
  encodeCommand,
  encodeObject,
  encodeResponse,
  objectValue,
  SW,
  swText,
} from '../../src/lib/apdu.js';
import { fromHex, toHex } from '../../src/lib/bytes.js';

const hex = (text: string) => fromHex(text.replace(/\s/g, '')) as Uint8Array<ArrayBuffer>;

describe('command APDUs', () => {
  it('encodes the PIV SELECT and VERIFY as NIST SP 800-73-4 writes them', () => {
    const select = encodeCommand({
      cla: 0,
      ins: 0xa4,
      p1: 4,
      p2: 0,
      data: hex('A000000308000010000100'),
    });
    expect(toHex(select)).toBe('00a404000ba000000308000010000100');
    const statusOnly = encodeCommand({
      cla: 0,
      ins: 0x20,
      p1: 0,
      p2: 0x80,
      data: new Uint8Array(),
    });
    expect(toHex(statusOnly)).toBe('00200080');
    const getResponse = encodeCommand({
      cla: 0,
      ins: 0xc0,
      p1: 0,
      p2: 0,
      data: new Uint8Array(),
      ne: 256,
    });
    expect(toHex(getResponse)).toBe('00c0000000');
  });

  it('uses extended lengths past 255 bytes of data or 256 of answer, and reads all four cases back', () => {
    const long = new Uint8Array(300).fill(7);
    const cases = [
      { cla: 0, ins: 1, p1: 2, p2: 3, data: new Uint8Array() },
      { cla: 0, ins: 1, p1: 2, p2: 3, data: new Uint8Array(), ne: 256 },
      { cla: 0, ins: 1, p1: 2, p2: 3, data: hex('0102') },
      { cla: 0, ins: 1, p1: 2, p2: 3, data: hex('0102'), ne: 17 },
      { cla: 0, ins: 1, p1: 2, p2: 3, data: long },
      { cla: 0, ins: 1, p1: 2, p2: 3, data: long, ne: 65_536 },
      { cla: 0, ins: 1, p1: 2, p2: 3, data: new Uint8Array(), ne: 1000 },
    ];
    for (const command of cases) {
      const bytes = encodeCommand(command);
      expect(decodeCommand(bytes)).toEqual(command);
    }
    expect(toHex(encodeCommand(cases[6] as (typeof cases)[number]))).toBe('0001020300' + '03e8');
    expect(toHex(encodeCommand(cases[5] as (typeof cases)[number]).subarray(4, 7))).toBe('00012c');
  });

  it('refuses what is not a byte or a length that does not match', () => {
    expect(() => encodeCommand({ cla: 256, ins: 0, p1: 0, p2: 0, data: new Uint8Array() })).toThrow(
      ApduError,
    );
    expect(() =>
      encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, data: new Uint8Array(), ne: 0 }),
    ).toThrow(ApduError);
    expect(() => decodeCommand(hex('0020'))).toThrow(ApduError);
    expect(() => decodeCommand(hex('00200080 05 0102'))).toThrow(ApduError);
    expect(() => decodeCommand(hex('00200080 00 0000 01'))).toThrow(ApduError);
  });
});

describe('response APDUs', () => {
  it('splits the status word off and writes it back', () => {
    const response = decodeResponse(hex('0102 63C2'));
    expect(toHex(response.data)).toBe('0102');
    expect(swText(response.sw)).toBe('63C2');
    expect(toHex(encodeResponse(response.data, response.sw))).toBe('010263c2');
    expect(() => decodeResponse(hex('90'))).toThrow(ApduError);
  });

  it('names a broken command chain 6883', () => {
    expect(swText(SW.LAST_COMMAND_EXPECTED)).toBe('6883');
  });
});

describe('BER-TLV data objects', () => {
  it('writes and reads one- to three-byte tags and long lengths', () => {
    const cert = new Uint8Array(700).fill(1);
    const bytes = encodeObject(
      0x53,
      new Uint8Array([...encodeObject(0x70, cert), ...encodeObject(0x71, hex('00'))]),
    );
    expect(toHex(bytes.subarray(0, 4))).toBe('538202c3');
    const [outer] = decodeObjects(bytes);
    const inner = decodeObjects(outer?.value ?? new Uint8Array());
    expect(objectValue(inner, 0x70)).toEqual(cert);
    expect(toHex(objectValue(inner, 0x71) ?? new Uint8Array())).toBe('00');
    const key = encodeObject(0x7f49, encodeObject(0x86, hex('04aa')));
    expect(toHex(key)).toBe('7f490486' + '0204aa');
    expect(decodeObjects(key)[0]?.tag).toBe(0x7f49);
    expect(decodeObjects(encodeObject(0x5fc105, hex('')))[0]?.tag).toBe(0x5fc105);
  });

  it('refuses cut, indefinite or overlong encodings', () => {
    for (const bad of ['53', '5381', '5380', '53 05 0102', '5f', '5fc1', '538400000001 00']) {
      expect(() => decodeObjects(hex(bad)), bad).toThrow(ApduError);
    }
  });
});
