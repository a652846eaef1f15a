import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SmartCardError } from '../../src/index.js';
import { FileStore } from '../../src/node/index.js';
import { bytes, FaultyFs, listing, tempDir } from './helpers.js';

/**
 * A fault injected at every step of `save`: as a failing call (the store sees it and cleans up)
 * and as a power loss (nothing after it happens). Either way `load` afterwards gives exactly the
 * old bytes or exactly the new ones, and never throws.
 */
const OLD = bytes(1, 1, 1, 1);
const NEW = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);

let dir: { path: string; remove: () => Promise<void> };
let n = 0;

beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => dir.remove());

/** A new store directory, holding `old` under 'card' unless it is undefined. */
async function prepare(old: Uint8Array | undefined): Promise<string> {
  const path = join(dir.path, `run-${n++}`);
  const store = await FileStore.open(path);
  if (old !== undefined) await store.save('card', old);
  return path;
}

/** The steps of one successful save over an existing file. */
async function saveSteps(): Promise<string[]> {
  const faulty = new FaultyFs();
  await new FileStore(await prepare(OLD), { fs: faulty }).save('card', NEW);
  return faulty.steps;
}

describe('FileStore.save under faults', () => {
  it('takes the documented steps, in order', async () => {
    const steps = await saveSteps();
    const fsyncs = process.platform === 'win32' ? [] : ['open:dir', 'sync:dir', 'close:dir'];
    expect(steps).toEqual(
      ['open:lock', 'write:lock', 'close:lock']
        .concat(['readdir', 'open:file', 'write', 'sync:file', 'close:file', 'rename'])
        .concat(fsyncs, ['unlink:lock']),
    );
  });

  for (const old of [OLD, undefined]) {
    const over = old === undefined ? 'a missing file' : 'an existing file';

    it(`over ${over}: a failing step leaves old or new bytes and no temporary file`, async () => {
      const steps = await saveSteps();
      const renameAt = steps.indexOf('rename');
      for (let at = 0; at < steps.length; at++) {
        const path = await prepare(old);
        const faulty = new FaultyFs(at, 'throw');
        const error = await new FileStore(path, { fs: faulty }).save('card', NEW).then(
          () => undefined,
          (e: unknown) => e,
        );
        await faulty.release();
        const loaded = await new FileStore(path).load('card');
        const lockLeft = steps[at] === 'unlink:lock';
        if (steps[at] === 'readdir' || lockLeft) {
          // Removing leftovers and the lock is best effort: the save itself went ahead.
          expect(error, steps[at]).toBeUndefined();
          expect(loaded).toEqual(NEW);
        } else {
          expect(SmartCardError.is(error, 'ERR_STORAGE'), steps[at]).toBe(true);
          expect((error as Error).cause).toBe(faulty.injected);
          expect(loaded, steps[at]).toEqual(at <= renameAt ? old : NEW);
        }
        const left = ['card'].slice(loaded ? 0 : 1);
        expect(await listing(path), steps[at]).toEqual(lockLeft ? ['.~card.lock', ...left] : left);
      }
    });

    it(`over ${over}: a power loss at any step leaves old or new bytes`, async () => {
      const steps = await saveSteps();
      const renameAt = steps.indexOf('rename');
      for (let at = 0; at < steps.length; at++) {
        const path = await prepare(old);
        const faulty = new FaultyFs(at, 'die');
        void new FileStore(path, { fs: faulty }).save('card', NEW); // never settles
        await faulty.died;
        await faulty.release();

        // After a restart: the old or the new bytes, and leftovers are invisible. The dead
        // save's lock names this test's (live) process: it is taken for a crash's by its age.
        const restarted = new FileStore(path, { staleLockMs: 0 });
        const loaded = await restarted.load('card');
        expect(loaded, steps[at]).toEqual(at <= renameAt ? old : NEW);
        expect(await restarted.names(), steps[at]).toEqual(['card'].slice(loaded ? 0 : 1));

        // cleanup() removes what the dead save left; a later save works.
        await restarted.cleanup();
        expect(await listing(path), steps[at]).toEqual(['card'].slice(loaded ? 0 : 1));
        await restarted.save('card', OLD);
        expect(await restarted.load('card')).toEqual(OLD);
      }
    });
  }

  it('a power loss leaves a torn temporary file that the next save of that name removes', async () => {
    const path = await prepare(OLD);
    const steps = await saveSteps();
    const faulty = new FaultyFs(steps.indexOf('write'), 'die');
    void new FileStore(path, { fs: faulty }).save('card', NEW);
    await faulty.died;
    await faulty.release();
    const entries = await listing(path);
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatch(/^\.~card\.[0-9a-f]{16}\.tmp$/);
    expect(entries[1]).toBe('.~card.lock');
    const restarted = new FileStore(path, { staleLockMs: 0 });
    expect(await restarted.load('card')).toEqual(OLD);
    await restarted.save('card', NEW);
    expect(await listing(path)).toEqual(['card']); // the torn file and the dead lock are gone
    expect(await restarted.load('card')).toEqual(NEW);
  });
});
