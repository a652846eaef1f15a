import { describe, expect, it } from 'vitest';
import { PinState, type PinStateRecord } from '../../src/index.js';
import { codeOf } from '../support/errors.js';
import { FAST, GOOD_PIN, OTHER_PIN, tracingCrypto } from './helpers.js';

/**
 * PinStates sharing one saved record through `load` and a compare-and-swap `persist`: each
 * operation starts from the record as saved, and a write over a record that changed is refused
 * and retried, so the objects spend one counter between them.
 */
class SharedRecord {
  record: PinStateRecord | undefined;
  writes = 0;

  /** The options of one object: `persist` writes only over what that object last loaded. */
  objectOptions() {
    let seen: PinStateRecord | undefined = this.record;
    return {
      load: async () => {
        seen = this.record;
        return seen;
      },
      persist: async (record: PinStateRecord) => {
        if (this.record !== seen) return false;
        this.record = record;
        seen = record;
        this.writes++;
        return true;
      },
    };
  }
}

async function shared(objects: number, crypto: Crypto) {
  const cell = new SharedRecord();
  await PinState.create({
    ...FAST,
    pin: GOOD_PIN,
    mustChange: false,
    persist: (record) => {
      cell.record = record;
    },
  });
  const states = await Promise.all(
    Array.from({ length: objects }, () =>
      PinState.restore(cell.record, { crypto, ...cell.objectOptions() }),
    ),
  );
  return { cell, states };
}

describe('PinState objects sharing one record', () => {
  it('compare no more wrong PINs than maxAttempts between them, and all end blocked', async () => {
    const events: string[] = [];
    const { crypto } = tracingCrypto(events);
    const { states } = await shared(6, crypto);
    events.length = 0;
    await Promise.all(states.flatMap((s) => [1, 2, 3].map(() => s.verify(OTHER_PIN))));
    expect(events.filter((e) => e === 'derive')).toHaveLength(5);
    for (const state of states) {
      expect(await state.verify(GOOD_PIN)).toEqual({ status: 'blocked' });
      expect(state.status().blocked).toBe(true);
    }
  });

  it('refresh() shows what another object spent', async () => {
    const { states } = await shared(2, globalThis.crypto);
    const [a, b] = states as [PinState, PinState];
    await a.verify(OTHER_PIN);
    expect(b.status().attemptsRemaining).toBe(5);
    await b.refresh();
    expect(b.status().attemptsRemaining).toBe(4);
  });

  it('gives up with ERR_STORAGE, having compared nothing, when every write loses', async () => {
    const events: string[] = [];
    const { crypto } = tracingCrypto(events);
    const { cell } = await shared(0, crypto);
    const state = await PinState.restore(cell.record, {
      crypto,
      load: async () => cell.record,
      persist: async () => false,
    });
    events.length = 0;
    expect(await codeOf(state.verify(OTHER_PIN))).toBe('ERR_STORAGE');
    expect(events).toEqual([]);
  });
});
