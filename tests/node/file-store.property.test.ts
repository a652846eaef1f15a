import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../../src/node/index.js';
import { listing, tempDir } from './helpers.js';

/**
 * Model-based tests: random sequences of saves, deletes and loads run against a FileStore and
 * against a Map; the two must agree at every step, and again after a "restart" (a new store over
 * the same directory).
 */
type Op =
  | { kind: 'save'; name: string; bytes: Uint8Array }
  | { kind: 'delete'; name: string }
  | { kind: 'load'; name: string }
  | { kind: 'names' };

const nameArb = fc.constantFrom('a', 'b', 'card-1', 'A.b_c');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('save' as const),
    name: nameArb,
    bytes: fc.uint8Array({ maxLength: 64 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), name: nameArb }),
  fc.record({ kind: fc.constant('load' as const), name: nameArb }),
  fc.constant({ kind: 'names' as const }),
);

/** What `op` returns according to the model, applying it to `model`. */
function apply(model: Map<string, Uint8Array>, op: Op): unknown {
  switch (op.kind) {
    case 'save':
      model.set(op.name, op.bytes.slice());
      return undefined;
    case 'delete':
      model.delete(op.name);
      return undefined;
    case 'load':
      return model.get(op.name);
    case 'names':
      return [...model.keys()].sort();
  }
}

function run(store: FileStore, op: Op): Promise<unknown> {
  switch (op.kind) {
    case 'save':
      return store.save(op.name, op.bytes);
    case 'delete':
      return store.delete(op.name);
    case 'load':
      return store.load(op.name);
    case 'names':
      return store.names();
  }
}

let dir: { path: string; remove: () => Promise<void> };
let n = 0;

beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => dir.remove());

async function expectSameAsModel(path: string, model: Map<string, Uint8Array>): Promise<void> {
  const restarted = new FileStore(path);
  expect(await restarted.names()).toEqual([...model.keys()].sort());
  for (const [name, bytes] of model) expect(await restarted.load(name)).toEqual(bytes);
  expect(await listing(path)).toEqual([...model.keys()].sort());
}

describe('FileStore against a Map', () => {
  it('agrees on every step of a sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 30 }), async (ops) => {
        const path = join(dir.path, `run-${n++}`);
        const store = await FileStore.open(path);
        const model = new Map<string, Uint8Array>();
        for (const op of ops) expect(await run(store, op)).toEqual(apply(model, op));
        await expectSameAsModel(path, model);
      }),
      { numRuns: 60 },
    );
  });

  it('agrees when a sequence is called all at once, without waiting', async () => {
    const perName = opArb.filter((op) => op.kind !== 'names');
    await fc.assert(
      fc.asyncProperty(fc.array(perName, { maxLength: 30 }), async (ops) => {
        const path = join(dir.path, `run-${n++}`);
        const store = await FileStore.open(path);
        const model = new Map<string, Uint8Array>();
        // Calls on one name run in call order, so each result is the model's at that point.
        const results = await Promise.all(ops.map((op) => run(store, op)));
        const expected = ops.map((op) => apply(model, op));
        expect(results).toEqual(expected);
        await expectSameAsModel(path, model);
      }),
      { numRuns: 60 },
    );
  });
});
