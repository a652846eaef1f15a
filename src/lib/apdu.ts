/**
 * ISO/IEC 7816-4 command and response APDUs, as both sides of a card link read and write them:
 * short and extended lengths, the status word, and the numbers the PIV commands use.
 * Malformed bytes throw {@link ApduError}. Internal: never exported from the package.
 */

/** A command APDU: class, instruction, two parameters, data, and the answer length expected. */
export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  /** The command data (Lc bytes); empty when there is none. */
  readonly data: Uint8Array;
  /**
   * Ne, the most answer bytes expected: `undefined` for none (no Le field), 256 for short Le 00,
   * 65,536 for extended Le 0000.
   */
  readonly ne?: number;
}

/** A response APDU: the answer's data and the status word SW1-SW2 as one number. */
export interface ResponseApdu {
  readonly data: Uint8Array<ArrayBuffer>;
  readonly sw: number;
}

/** Bytes that are not an APDU of the form they claim. */
export class ApduError extends Error {
  override readonly name = 'ApduError';
}

/** Status words the SDK and its test cards use. */
export const SW = {
  OK: 0x9000,
  /** 61xx: xx more bytes wait for GET RESPONSE (00 = 256 or more). */
  MORE_DATA: 0x6100,
  /** 63Cx: verification failed, x tries left. */
  TRIES_LEFT: 0x63c0,
  WRONG_LENGTH: 0x6700,
  /** 6883: a command chain was broken off (the last command of the chain was expected). */
  LAST_COMMAND_EXPECTED: 0x6883,
  SECURITY_STATUS: 0x6982,
  BLOCKED: 0x6983,
  CONDITIONS: 0x6985,
  WRONG_DATA: 0x6a80,
  NOT_FOUND: 0x6a82,
  NO_SPACE: 0x6a84,
  REFERENCE_NOT_FOUND: 0x6a88,
  WRONG_P1P2: 0x6a86,
  /** 6Cxx: wrong Le; xx is the length to ask for. */
  WRONG_LE: 0x6c00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  UNKNOWN: 0x6f00,
} as const;

/** Encodes `command`: short form when data ≤ 255 bytes and Ne ≤ 256, extended otherwise. */
export function encodeCommand(command: CommandApdu): Uint8Array<ArrayBuffer> {
  const { data, ne } = command;
  for (const [field, value] of [
    ['cla', command.cla],
    ['ins', command.ins],
    ['p1', command.p1],
    ['p2', command.p2],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 0xff) {
      throw new ApduError(`${field} is not a byte: ${value}`);
    }
  }
  if (data.length > 65_535) throw new ApduError('command data over 65,535 bytes');
  if (ne !== undefined && (!Number.isInteger(ne) || ne < 1 || ne > 65_536)) {
    throw new ApduError(`Ne out of range: ${ne}`);
  }
  const header = [command.cla, command.ins, command.p1, command.p2];
  const extended = data.length > 255 || (ne !== undefined && ne > 256);
  const lc: number[] = [];
  const le: number[] = [];
  if (extended) {
    if (data.length > 0) lc.push(0, data.length >> 8, data.length & 0xff);
    if (ne !== undefined) le.push(...(data.length > 0 ? [] : [0]), (ne >> 8) & 0xff, ne & 0xff);
  } else {
    if (data.length > 0) lc.push(data.length);
    if (ne !== undefined) le.push(ne & 0xff);
  }
  const out = new Uint8Array(4 + lc.length + data.length + le.length);
  out.set(header, 0);
  out.set(lc, 4);
  out.set(data, 4 + lc.length);
  out.set(le, 4 + lc.length + data.length);
  return out;
}

/** Reads a command APDU in any of the four ISO 7816-4 cases, short or extended. */
export function decodeCommand(bytes: Uint8Array): CommandApdu {
  if (bytes.length < 4) throw new ApduError('a command APDU has at least 4 bytes');
  const [cla, ins, p1, p2] = bytes as unknown as [number, number, number, number];
  const rest = bytes.subarray(4);
  const command = (data: Uint8Array, ne?: number): CommandApdu =>
    ne === undefined ? { cla, ins, p1, p2, data } : { cla, ins, p1, p2, data, ne };
  if (rest.length === 0) return command(new Uint8Array(0));
  if (rest.length === 1) return command(new Uint8Array(0), rest[0] === 0 ? 256 : rest[0]);
  const first = rest[0] as number;
  if (first !== 0) {
    if (rest.length === 1 + first) return command(rest.subarray(1));
    if (rest.length === 2 + first) {
      const le = rest[1 + first] as number;
      return command(rest.subarray(1, 1 + first), le === 0 ? 256 : le);
    }
    throw new ApduError('the command length does not match Lc');
  }
  // Extended: a zero byte, then two-byte Lc and/or Le.
  if (rest.length === 3) {
    const le = ((rest[1] as number) << 8) | (rest[2] as number);
    return command(new Uint8Array(0), le === 0 ? 65_536 : le);
  }
  const lc = ((rest[1] as number) << 8) | (rest[2] as number);
  if (lc === 0) throw new ApduError('an extended Lc of zero');
  if (rest.length === 3 + lc) return command(rest.subarray(3, 3 + lc));
  if (rest.length === 5 + lc) {
    const le = ((rest[3 + lc] as number) << 8) | (rest[4 + lc] as number);
    return command(rest.subarray(3, 3 + lc), le === 0 ? 65_536 : le);
  }
  throw new ApduError('the command length does not match its extended Lc');
}

/** Splits a response APDU into data and status word. */
export function decodeResponse(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) throw new ApduError('a response APDU has at least the status word');
  const end = bytes.length - 2;
  return {
    data: bytes.slice(0, end),
    sw: ((bytes[end] as number) << 8) | (bytes[end + 1] as number),
  };
}

/** The response APDU of `data` (may be empty) and `sw`. */
export function encodeResponse(data: Uint8Array, sw: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = (sw >> 8) & 0xff;
  out[data.length + 1] = sw & 0xff;
  return out;
}

/** The status word as four hex digits, for messages: `63C2`. */
export function swText(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

/** A BER-TLV data object (ISO 7816-4 §5.2): tag as its bytes read as a number, value bytes. */
export interface DataObject {
  readonly tag: number;
  readonly value: Uint8Array<ArrayBuffer>;
}

/** Encodes one data object: tags of 1 to 3 bytes, definite lengths up to 0xFFFFFF. */
export function encodeObject(tag: number, value: Uint8Array): Uint8Array<ArrayBuffer> {
  const tagBytes: number[] = [];
  for (let rest = tag; rest > 0 || tagBytes.length === 0; rest = Math.floor(rest / 256)) {
    tagBytes.unshift(rest & 0xff);
  }
  if (tagBytes.length > 3) throw new ApduError(`tag too long: ${tag.toString(16)}`);
  const length = value.length;
  let lengthBytes: number[];
  if (length < 0x80) lengthBytes = [length];
  else if (length <= 0xff) lengthBytes = [0x81, length];
  else if (length <= 0xffff) lengthBytes = [0x82, length >> 8, length & 0xff];
  else if (length <= 0xffffff)
    lengthBytes = [0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
  else throw new ApduError('value over 16 MiB');
  const out = new Uint8Array(tagBytes.length + lengthBytes.length + length);
  out.set(tagBytes, 0);
  out.set(lengthBytes, tagBytes.length);
  out.set(value, tagBytes.length + lengthBytes.length);
  return out;
}

/**
 * Reads consecutive data objects filling `bytes` exactly (a constructed object's value is read
 * again with this for its children). Multi-byte tags follow ISO 7816-4 (first byte with low five
 * bits all set; continuation bytes with bit 8 set); lengths are definite, at most three bytes.
 */
export function decodeObjects(bytes: Uint8Array): DataObject[] {
  const out: DataObject[] = [];
  let at = 0;
  while (at < bytes.length) {
    let tag = bytes[at++] as number;
    if ((tag & 0x1f) === 0x1f) {
      let next: number;
      let count = 0;
      do {
        if (at >= bytes.length || ++count > 2)
          throw new ApduError('a tag is cut short or too long');
        next = bytes[at++] as number;
        tag = tag * 256 + next;
      } while (next & 0x80);
    }
    if (at >= bytes.length) throw new ApduError('a data object has no length');
    let length = bytes[at++] as number;
    if (length > 0x80) {
      const count = length & 0x7f;
      if (count > 3 || at + count > bytes.length) throw new ApduError('a length is malformed');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (bytes[at++] as number);
    } else if (length === 0x80) {
      throw new ApduError('an indefinite length');
    }
    if (at + length > bytes.length) throw new ApduError('a value runs past the end');
    out.push({ tag, value: bytes.slice(at, at + length) });
    at += length;
  }
  return out;
}

/** The value of the first object tagged `tag` among `objects`, or `undefined`. */
export function objectValue(
  objects: readonly DataObject[],
  tag: number,
): Uint8Array<ArrayBuffer> | undefined {
  return objects.find((object) => object.tag === tag)?.value;
}
