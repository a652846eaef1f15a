import { describe, expect, it } from 'vitest';
import {
  MemorySignInInfoStore,
  type SignInInfoStore,
  WebStorageSignInInfoStore,
} from '../../src/session/index.js';

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
