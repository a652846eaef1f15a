import { describe, expect, it } from 'vitest';
import { assertStoreName, MemoryStore } from '../../../src/card/index.js';
import { codeOf } from '../../support/errors.js';

describe('assertStoreName', () => {
  it.each(['card-1', 'vsc-ABC', 'tpm-0123abcd', 'a', 'x'.repeat(128), 'name.v2'])(
    'accepts %o',
    (n) => {
      expect(() => assertStoreName(n)).not.toThrow();
    },
  );

  it.each([
    '',
    '.',
    '..',
    'card.',
    '../x',
    'a/b',
    'a\\b',
    'x'.repeat(129),
    'café',
    'CON',
    'nul',
    'Com1',
    'lpt9.txt',
    42,
    null,
  ])('refuses %o', (n) => {
    expect(() => assertStoreName(n)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
  });
});

describe('MemoryStore', () => {
  it('saves copies, loads copies, deletes, and lists names sorted', async () => {
    const store = new MemoryStore();
    const bytes = new Uint8Array([1, 2, 3]);
    await store.save('b', bytes);
    bytes[0] = 9;
    await store.save('a', new Uint8Array([7]));
    const loaded = (await store.load('b')) as Uint8Array;
    expect(loaded).toEqual(new Uint8Array([1, 2, 3]));
    loaded[1] = 9;
    expect(await store.load('b')).toEqual(new Uint8Array([1, 2, 3]));
    expect(await store.names()).toEqual(['a', 'b']);
    await store.delete('a');
    await store.delete('never-saved');
    expect(await store.load('a')).toBeUndefined();
    expect(await store.names()).toEqual(['b']);
  });

  it('swaps only over exactly the expected bytes (undefined: nothing saved), keeping copies', async () => {
    const store = new MemoryStore();
    expect(await store.swap('a', new Uint8Array([1]), new Uint8Array([2]))).toBe(false);
    expect(await store.load('a')).toBeUndefined();
    const next = new Uint8Array([2]);
    expect(await store.swap('a', undefined, next)).toBe(true);
    next[0] = 9;
    expect(await store.swap('a', undefined, new Uint8Array([3]))).toBe(false);
    expect(await store.swap('a', new Uint8Array([2, 0]), new Uint8Array([3]))).toBe(false);
    expect(await store.swap('a', new Uint8Array([2]), new Uint8Array([3]))).toBe(true);
    expect(await store.load('a')).toEqual(new Uint8Array([3]));
    expect(await codeOf(store.swap('a', undefined, 'x' as never))).toBe('ERR_INVALID_INPUT');
  });

  it('refuses bad names and non-bytes', async () => {
    const store = new MemoryStore();
    expect(await codeOf(store.save('../x', new Uint8Array(1)))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(store.save('x', 'text' as never))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(store.load('CON'))).toBe('ERR_INVALID_INPUT');
  });
});
