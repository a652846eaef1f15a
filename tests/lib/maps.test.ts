import { describe, expect, it } from 'vitest';
import { getOrInsert } from '../../src/lib/maps.js';

describe('getOrInsert', () => {
  it('makes and keeps a value on first use, and returns the kept one after', () => {
    const lists = new Map<string, number[]>();
    let made = 0;
    const create = () => {
      made += 1;
      return [];
    };
    const first = getOrInsert(lists, 'sign', create);
    first.push(1);
    expect(getOrInsert(lists, 'sign', create)).toBe(first);
    expect(made).toBe(1);
    expect(lists.get('sign')).toEqual([1]);
  });

  it('keeps nothing when making the value throws', () => {
    const cache = new WeakMap<object, string>();
    const key = {};
    expect(() =>
      getOrInsert(cache, key, () => {
        throw new Error('budget spent');
      }),
    ).toThrow('budget spent');
    expect(cache.has(key)).toBe(false);
  });
});
