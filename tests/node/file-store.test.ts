import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SmartCardError } from '../../src/index.js';
import { FileStore } from '../../src/node/index.js';
import { codeOf } from '../support/errors.js';
import { bytes, FaultyFs, listing, tempDir } from './helpers.js';

let dir: { path: string; remove: () => Promise<void> };
let store: FileStore;

beforeEach(async () => {
  dir = await tempDir();
  store = new FileStore(dir.path);
});
afterEach(() => dir.remove());

describe('FileStore', () => {
  it('round-trips bytes, as plain Uint8Arrays, across instances', async () => {
    await store.save('card-1', bytes(1, 2, 3));
    await store.save('empty', new Uint8Array(0));
    expect(await store.load('card-1')).toEqual(bytes(1, 2, 3));
    const again = new FileStore(dir.path);
    expect(await again.load('card-1')).toEqual(bytes(1, 2, 3));
    expect(await again.load('empty')).toEqual(new Uint8Array(0));
    expect(Object.getPrototypeOf(await again.load('card-1'))).toBe(Uint8Array.prototype);
  });

  it('keeps copies: changing an array after save or load changes nothing stored', async () => {
    const saved = bytes(1, 2, 3);
    const pending = store.save('card', saved);
    saved[0] = 99;
    await pending;
    const loaded = await store.load('card');
    expect(loaded).toEqual(bytes(1, 2, 3));
    if (loaded) loaded[1] = 99;
    expect(await store.load('card')).toEqual(bytes(1, 2, 3));
  });

  it('loads a missing name as undefined, and deletes a missing name quietly', async () => {
    expect(await store.load('nothing')).toBeUndefined();
    await expect(store.delete('nothing')).resolves.toBeUndefined();
  });

  it('deletes a saved name', async () => {
    await store.save('card', bytes(1));
    await store.delete('card');
    expect(await store.load('card')).toBeUndefined();
    expect(await listing(dir.path)).toEqual([]);
  });

  it('lists names sorted, skipping temporary files and entries that are not names', async () => {
    for (const name of ['b', 'a.1', 'A', 'c_-']) await store.save(name, bytes(1));
    await fs.writeFile(join(dir.path, '.~a.1.0123456789abcdef.tmp'), 'stale');
    await fs.writeFile(join(dir.path, 'not a name'), 'x');
    expect(await store.names()).toEqual(['A', 'a.1', 'b', 'c_-']);
  });

  it('treats a missing directory as empty, but refuses to save into it', async () => {
    const missing = new FileStore(join(dir.path, 'nope'));
    expect(await missing.load('card')).toBeUndefined();
    expect(await missing.names()).toEqual([]);
    expect(await codeOf(missing.save('card', bytes(1)))).toBe('ERR_STORAGE');
    expect(await listing(dir.path)).toEqual([]);
  });

  it('open() creates the directory with mode 0o700', async () => {
    const path = join(dir.path, 'a', 'cards');
    const opened = await FileStore.open(path);
    expect(opened.directory).toBe(path);
    await opened.save('card', bytes(1));
    if (process.platform !== 'win32') expect((await fs.stat(path)).mode & 0o777).toBe(0o700);
    await FileStore.open(path); // exists already: fine
    expect(await opened.load('card')).toEqual(bytes(1));
  });

  it.skipIf(process.platform === 'win32')('creates files with mode 0o600', async () => {
    await store.save('card', bytes(1));
    await store.save('card', bytes(2)); // a replacement keeps it
    expect((await fs.stat(join(dir.path, 'card'))).mode & 0o777).toBe(0o600);
  });

  it.each([
    '',
    '.',
    '..',
    '../x',
    'a/b',
    'a\\b',
    '/abs',
    'a b',
    'a\0b',
    'é',
    'x'.repeat(129),
    '.~a.0123456789abcdef.tmp',
    42,
    undefined,
  ])('refuses the name %j everywhere, touching nothing', async (name) => {
    const inner = join(dir.path, 'store');
    const nested = await FileStore.open(inner);
    const bad = name as string;
    expect(await codeOf(nested.load(bad))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(nested.save(bad, bytes(1)))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(nested.delete(bad))).toBe('ERR_INVALID_INPUT');
    expect(await listing(dir.path)).toEqual(['store']);
    expect(await listing(inner)).toEqual([]);
  });

  it('refuses to save what is not a Uint8Array', async () => {
    for (const value of [[1, 2], 'abc', null, new ArrayBuffer(2)] as unknown[]) {
      expect(await codeOf(store.save('card', value as Uint8Array))).toBe('ERR_INVALID_INPUT');
    }
    expect(await listing(dir.path)).toEqual([]);
  });

  it('serializes saves to one name: the last one called wins, and loads see earlier saves', async () => {
    const faulty = new FaultyFs();
    const traced = new FileStore(dir.path, { fs: faulty });
    const saves = Array.from({ length: 20 }, (_, i) => traced.save('card', bytes(i, i, i)));
    const load = traced.load('card');
    await Promise.all(saves);
    expect(await load).toEqual(bytes(19, 19, 19));
    expect(await new FileStore(dir.path).load('card')).toEqual(bytes(19, 19, 19));
    // Each save opened its temporary file only after the previous one's rename.
    const fileSteps = faulty.steps.filter((step) => step === 'open:file' || step === 'rename');
    expect(fileSteps).toEqual(Array.from({ length: 20 }, () => ['open:file', 'rename']).flat());
    expect(await listing(dir.path)).toEqual(['card']);
  });

  it('runs a delete after the saves called before it', async () => {
    const first = store.save('card', bytes(1));
    const gone = store.delete('card');
    const second = store.save('other', bytes(2));
    await Promise.all([first, gone, second]);
    expect(await store.names()).toEqual(['other']);
  });

  it('removes stale temporary files of the name it saves; cleanup() removes the rest', async () => {
    const stale = ['.~card.0123456789abcdef.tmp', '.~other.fedcba9876543210.tmp'];
    for (const entry of stale) await fs.writeFile(join(dir.path, entry), 'torn');
    expect(await store.load('card')).toBeUndefined();
    expect(await store.names()).toEqual([]);
    await store.save('card', bytes(1));
    expect(await listing(dir.path)).toEqual([stale[1], 'card']);
    expect(await store.cleanup()).toBe(1);
    expect(await listing(dir.path)).toEqual(['card']);
    expect(await store.cleanup()).toBe(0);
  });

  it('reports an unreadable entry as a StorageError with its cause', async () => {
    await fs.mkdir(join(dir.path, 'card'));
    const error = await store.load('card').catch((e: unknown) => e);
    expect(SmartCardError.is(error, 'ERR_STORAGE')).toBe(true);
    expect((error as Error).cause).toMatchObject({ code: 'EISDIR' });
  });
});
