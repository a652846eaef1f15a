import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/card/index.js';
import { FileStore } from '../../../src/node/index.js';
import {
  CardStoreSignInInfoStore,
  MemorySignInInfoStore,
  type SignInInfoStore,
  WebStorageSignInInfoStore,
} from '../../../src/session/index.js';

/** A Web Storage area in memory, with the methods the store uses. */
class FakeStorage {
  readonly items = new Map<string, string>();
  failing = false;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.failing) throw new Error('QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const stores: [string, () => SignInInfoStore][] = [
  ['memory', () => new MemorySignInInfoStore()],
  ['web storage', () => new WebStorageSignInInfoStore(new FakeStorage())],
];

describe.each(stores)('sign-in information in %s', (_, make) => {
  it('pre-fills the address, and "Delete my sign-in information" forgets it', async () => {
    const store = make();
    expect(await store.load()).toBeUndefined();
    await store.save({ address: 'alice@contoso.com' });
    expect(await store.load()).toEqual({ address: 'alice@contoso.com' });
    await store.delete();
    expect(await store.load()).toBeUndefined();
  });

  it('keeps only the address, never a password', async () => {
    const store = make();
    await store.save({ address: 'alice@contoso.com', password: 'secret' } as never);
    expect(await store.load()).toEqual({ address: 'alice@contoso.com' });
  });

  it('refuses an address that is not one', async () => {
    const store = make();
    for (const address of ['', 'alice @contoso.com', 'a\u0000b', 'x'.repeat(255), 42]) {
      await expect(store.save({ address } as never)).rejects.toMatchObject({
        code: 'ERR_INVALID_INPUT',
      });
    }
  });
});

describe('WebStorageSignInInfoStore', () => {
  it('refuses damaged stored data, and reports a storage that refuses to write', async () => {
    const storage = new FakeStorage();
    const store = new WebStorageSignInInfoStore(storage, 'k');
    storage.items.set('k', '{"address":');
    await expect(store.load()).rejects.toMatchObject({ code: 'ERR_STATE_CORRUPT' });
    storage.failing = true;
    await expect(store.save({ address: 'alice@contoso.com' })).rejects.toMatchObject({
      code: 'ERR_STORAGE',
    });
    expect(() => new WebStorageSignInInfoStore({} as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
  });
});

describe('CardStoreSignInInfoStore', () => {
  it('keeps the address in a MemoryStore and in a FileStore file, and deletes it', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'sc2fa-sign-in-info-'));
    try {
      for (const store of [new MemoryStore(), await FileStore.open(directory)]) {
        const info = new CardStoreSignInInfoStore(store);
        expect(await info.load()).toBeUndefined();
        await info.save({ address: 'alice@contoso.com' });
        expect(await info.load()).toEqual({ address: 'alice@contoso.com' });
        expect(await store.names()).toEqual(['sign-in-info']);
        await info.delete();
        expect(await info.load()).toBeUndefined();
        expect(await store.names()).toEqual([]);
      }
      // A second process opening the same directory sees what the first saved.
      await new CardStoreSignInInfoStore(await FileStore.open(directory), 'app.sign-in').save({
        address: 'bob@contoso.com',
      });
      const again = new CardStoreSignInInfoStore(await FileStore.open(directory), 'app.sign-in');
      expect(await again.load()).toEqual({ address: 'bob@contoso.com' });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses damaged contents and leaves them; refuses bad input and saves nothing', async () => {
    const store = new MemoryStore();
    const info = new CardStoreSignInInfoStore(store);
    for (const bad of ['not json', '{"address":"has space@x"}', '{}', '\u00ff\u00fe']) {
      await store.save('sign-in-info', new TextEncoder().encode(bad));
      await expect(info.load()).rejects.toMatchObject({ code: 'ERR_STATE_CORRUPT' });
      expect(new TextDecoder().decode(await store.load('sign-in-info'))).toBe(bad);
    }
    await store.save('sign-in-info', new Uint8Array([0xc3, 0x28]));
    await expect(info.load()).rejects.toMatchObject({ code: 'ERR_STATE_CORRUPT' });
    await store.delete('sign-in-info');
    await expect(info.save({ address: 'two words' })).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
    });
    expect(await store.names()).toEqual([]);
    expect(() => new CardStoreSignInInfoStore(store, '../escape')).toThrow(/name/i);
    expect(() => new CardStoreSignInInfoStore({} as MemoryStore)).toThrow(/CardStore/);
  });
});
