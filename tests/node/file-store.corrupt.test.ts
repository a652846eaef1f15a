import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../../src/node/index.js';
import { codeOf } from '../support/errors.js';
import { bytes, tempDir } from './helpers.js';

/**
 * Damaged, resized and foreign files are refused with ERR_STATE_CORRUPT and left exactly as
 * they were; only an explicit save replaces them.
 */
const PAYLOAD = Uint8Array.from({ length: 40 }, (_, i) => (i * 37) % 256);

let dir: { path: string; remove: () => Promise<void> };
let store: FileStore;
let good: Uint8Array;

beforeEach(async () => {
  dir = await tempDir();
  store = new FileStore(dir.path);
  await store.save('card', PAYLOAD);
  good = new Uint8Array(await fs.readFile(join(dir.path, 'card')));
});
afterEach(() => dir.remove());

/** Writes `content` as the file of 'card', then checks it is refused and left untouched. */
async function expectRefused(content: Uint8Array): Promise<void> {
  const path = join(dir.path, 'card');
  await fs.writeFile(path, content);
  expect(await codeOf(store.load('card'))).toBe('ERR_STATE_CORRUPT');
  expect(await codeOf(new FileStore(dir.path).load('card'))).toBe('ERR_STATE_CORRUPT');
  expect(new Uint8Array(await fs.readFile(path))).toEqual(content);
  expect(await store.names()).toEqual(['card']);
}

describe('FileStore refuses damaged files', () => {
  it('writes the documented frame', () => {
    expect([...good.subarray(0, 8)]).toEqual([0x89, 0x53, 0x43, 0x32, 0x46, 0x41, 0x0d, 0x0a]);
    expect([...good.subarray(8, 16)]).toEqual([0, 0, 0, 1, 0, 0, 0, PAYLOAD.length]);
    expect(good.subarray(48)).toEqual(PAYLOAD);
    expect(good.length).toBe(48 + PAYLOAD.length);
  });

  it('refuses an empty file', async () => {
    await expectRefused(new Uint8Array(0));
  });

  it('refuses the file truncated at every length', async () => {
    for (let length = 0; length < good.length; length++) {
      await expectRefused(good.slice(0, length));
    }
  });

  it('refuses the file extended by a byte or by a second frame', async () => {
    await expectRefused(Uint8Array.from([...good, 0]));
    await expectRefused(Uint8Array.from([...good, ...good]));
  });

  it('refuses a flipped bit in every byte of header and payload', async () => {
    for (let i = 0; i < good.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const damaged = good.slice();
        damaged[i] = (damaged[i] ?? 0) ^ bit;
        await expectRefused(damaged);
      }
    }
  });

  it.each<[string, Uint8Array]>([
    ['JSON text', new TextEncoder().encode('{"pin":"12345678"}')],
    ['a PNG header', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13)],
    ['the bare payload', PAYLOAD],
    ['zeros', new Uint8Array(200)],
  ])('refuses a foreign file: %s', async (_, content) => {
    await expectRefused(content);
  });

  it('refuses a frame of a newer format version', async () => {
    const newer = good.slice();
    newer[11] = 2;
    await expectRefused(newer);
  });

  it('refuses a frame whose length and digest were both edited to match a shorter payload', async () => {
    // The header of an empty payload (length 0 and its digest) in front of the old payload.
    await store.save('x', new Uint8Array(0));
    const header = await fs.readFile(join(dir.path, 'x'));
    await store.delete('x');
    await expectRefused(Uint8Array.from([...header, ...PAYLOAD]));
  });

  it('lets an explicit save replace a refused file', async () => {
    await expectRefused(good.slice(0, 20));
    await store.save('card', bytes(7));
    expect(await store.load('card')).toEqual(bytes(7));
  });
});
