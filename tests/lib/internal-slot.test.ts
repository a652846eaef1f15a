import { describe, expect, it } from 'vitest';
import { InternalSlot, internalSlot } from '../../src/lib/internal-slot.js';
import { codeOfSync } from '../support/errors.js';

class Counter {
  static readonly internals = internalSlot<Counter, { add(step: number): void }>(
    'Counter internals',
  );
  #count = 0;

  constructor() {
    Counter.internals.set(this, { add: (step) => (this.#count += step) });
  }

  get count(): number {
    return this.#count;
  }
}

describe('internalSlot', () => {
  it('gives another module the way in that the class set for each object', () => {
    const counter = new Counter();
    Counter.internals.get(counter).add(2);
    Counter.internals.get(counter).add(3);
    expect(counter.count).toBe(5);
  });

  it('keeps one value per object', () => {
    const slot = internalSlot<object, string>('label');
    const first = {};
    const second = {};
    slot.set(first, 'first');
    slot.set(second, 'second');
    expect([slot.get(first), slot.get(second)]).toEqual(['first', 'second']);
  });

  it('refuses an object it has no value for, naming the slot', () => {
    const look = Object.create(Counter.prototype) as Counter;
    expect(codeOfSync(() => Counter.internals.get(look))).toBe('ERR_INVALID_INPUT');
    expect(() => Counter.internals.get(look)).toThrow(
      /Counter internals of this object is missing/,
    );
  });

  it('finds nothing, without throwing, for objects of any other kind', () => {
    const slot = internalSlot<Counter, number>('number');
    expect(slot.find({})).toBeUndefined();
    expect(slot.find(new Counter())).toBeUndefined();
  });

  it('keeps values that are themselves undefined apart from missing ones', () => {
    const slot = internalSlot<object, undefined>('nothing');
    const owner = {};
    slot.set(owner, undefined);
    expect(slot.get(owner)).toBeUndefined();
    expect(codeOfSync(() => slot.get({}))).toBe('ERR_INVALID_INPUT');
  });

  it('is set once per object: internals cannot be swapped afterwards', () => {
    const slot = internalSlot<object, string>('socket');
    const owner = {};
    slot.set(owner, 'real');
    expect(codeOfSync(() => slot.set(owner, 'fake'))).toBe('ERR_INVALID_INPUT');
    expect(slot.get(owner)).toBe('real');
  });

  it('names what it holds', () => {
    expect(new InternalSlot('TPM sealing').name).toBe('TPM sealing');
    expect(internalSlot('TPM sealing').name).toBe('TPM sealing');
  });
});
