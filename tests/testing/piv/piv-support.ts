/** What the PIV test card's tests share: hex, sending commands, and the host's steps. */
import { createDecipheriv, webcrypto } from 'node:crypto';
import { expect } from 'vitest';
import { FACTORY_DEFAULTS } from '../../../src/card/piv/piv-constants.js';
import {
  decodeObjects,
  decodeResponse,
  encodeCommand,
  encodeObject,
  swText,
} from '../../../src/lib/apdu.js';
import { encryptBlock } from '../../../src/lib/block-cipher.js';
import { concatBytes, fromHex, toHex } from '../../../src/lib/bytes.js';
import { tripleDesCrypt } from '../../../src/lib/des.js';
import type { EmulatedPivCard } from '../../../src/testing/piv/emulated-piv-card.js';
import {
  type ManagementAlgorithm,
  managementCipher,
} from '../../../src/testing/piv/management-cipher.js';

export const crypto = webcrypto as unknown as Crypto;

export function hex(text: string): Uint8Array<ArrayBuffer> {
  const bytes = fromHex(text.replace(/\s/g, ''));
  if (bytes === undefined) throw new Error(`not hex: ${text}`);
  return bytes;
}

/** Sends `command` (hex or bytes); the answer as { data (hex), sw (4 hex digits, upper case) }. */
export async function send(card: EmulatedPivCard, command: string | Uint8Array) {
  const answer = decodeResponse(
    await card.transmit(typeof command === 'string' ? hex(command) : command),
  );
  return { data: toHex(answer.data), sw: swText(answer.sw), bytes: answer.data };
}

export const SELECT = '00 A4 04 00 09 A0 00 00 03 08 00 00 10 00';

/** A PIN or PUK padded with FF to 8 bytes, as hex. */
export function padded(pin: string): string {
  return toHex(new TextEncoder().encode(pin)).padEnd(16, 'f');
}

export async function selectPiv(card: EmulatedPivCard): Promise<void> {
  expect((await send(card, SELECT)).sw).toBe('9000');
}

/** A short command APDU from its parts. */
export function command(header: string, data: Uint8Array | string = new Uint8Array(0)): Uint8Array {
  const body = typeof data === 'string' ? hex(data) : data;
  if (body.length === 0) return hex(header);
  if (body.length > 255) throw new Error('use chaining');
  return concatBytes(hex(header), Uint8Array.of(body.length), body);
}

/** Decrypts one management block as the host does (node:crypto for AES, lib/des.ts for 3DES). */
function hostDecrypt(
  algorithm: ManagementAlgorithm,
  key: Uint8Array,
  block: Uint8Array,
): Uint8Array {
  if (algorithm === 0x03) return tripleDesCrypt(key, block, true);
  const decipher = createDecipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([decipher.update(block), decipher.final()]));
}

/** The value of `tag` inside a 7C answer. */
export function templateValue(data: Uint8Array, tag: number): Uint8Array<ArrayBuffer> {
  const [outer] = decodeObjects(data);
  const inner = decodeObjects(outer?.value ?? new Uint8Array(0));
  const found = inner.find((object) => object.tag === tag);
  if (found === undefined) throw new Error(`no tag ${tag.toString(16)}`);
  return found.value;
}

/** Mutual authentication with the management key, as YubiKey's tools do it. */
export async function authenticate(
  card: EmulatedPivCard,
  algorithm: ManagementAlgorithm = 0x0a,
  key: Uint8Array<ArrayBuffer> = FACTORY_DEFAULTS.managementKey.slice(),
): Promise<string> {
  const alg = algorithm.toString(16).padStart(2, '0');
  const step1 = await send(card, `00 87 ${alg} 9B 04 7C 02 80 00`);
  if (step1.sw !== '9000') return step1.sw;
  const witness = hostDecrypt(algorithm, key, templateValue(step1.bytes, 0x80));
  const challenge = crypto.getRandomValues(new Uint8Array(witness.length));
  const inner = concatBytes(encodeObject(0x80, witness), encodeObject(0x81, challenge));
  const step2 = await send(card, command(`00 87 ${alg} 9B`, encodeObject(0x7c, inner)));
  if (step2.sw !== '9000') return step2.sw;
  const expected = await encryptBlock(crypto.subtle, managementCipher(algorithm), key, challenge);
  expect(toHex(templateValue(step2.bytes, 0x82))).toBe(toHex(expected));
  return step2.sw;
}

/** Sends `data` under `header` in chained parts of at most 255 bytes; the last answer. */
export async function chained(
  card: EmulatedPivCard,
  [cla, ins, p1, p2]: number[],
  data: Uint8Array,
) {
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
export async function whole(card: EmulatedPivCard, first: { data: string; sw: string }) {
  let data = first.data;
  let sw = first.sw;
  while (sw.startsWith('61')) {
    const next = await send(card, `00 C0 00 00 ${sw.slice(2)}`);
    data += next.data;
    sw = next.sw;
  }
  return { data, sw };
}
