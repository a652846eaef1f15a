import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultFs } from '../../src/node/fs.js';
import { FileStore } from '../../src/node/index.js';
import { codeOf } from '../support/errors.js';
import { bytes, listing, tempDir } from './helpers.js';

/** `swap`, the lock file that makes it atomic across stores and processes, and its stale lock. */
let dir: { path: string; remove: () => Promise<void> };

beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => dir.remove());

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not start a child process');
  return child.pid;
}

async function writeLock(name: string, owner: Record<string, unknown>): Promise<void> {
  await fs.writeFile(join(dir.path, `.~${name}.lock`), JSON.stringify(owner));
}

describe('FileStore.swap', () => {
  it('writes only over exactly the expected bytes (undefined: nothing saved)', async () => {
    const store = new FileStore(dir.path);
    expect(await store.swap('card', bytes(1), bytes(2))).toBe(false);
    expect(await store.load('card')).toBeUndefined();
    expect(await store.swap('card', undefined, bytes(2))).toBe(true);
    expect(await store.swap('card', undefined, bytes(3))).toBe(false);
    expect(await store.swap('card', bytes(2, 0), bytes(3))).toBe(false);
    expect(await store.swap('card', bytes(2), bytes(3))).toBe(true);
    expect(await store.load('card')).toEqual(bytes(3));
    expect(await listing(dir.path)).toEqual(['card']); // no lock, no temporary file left
  });

  it('lets exactly one of many stores on one directory win a swap from the same bytes', async () => {
    await new FileStore(dir.path).save('card', bytes(0));
    const stores = Array.from({ length: 8 }, () => new FileStore(dir.path));
    const won = await Promise.all(stores.map((s, i) => s.swap('card', bytes(0), bytes(i + 1))));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await stores[0]?.load('card')).toEqual(bytes(won.indexOf(true) + 1));
  });

  it('refuses bad arguments', async () => {
    const store = new FileStore(dir.path);
    expect(await codeOf(store.swap('card', undefined, 'x' as never))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(store.swap('card', [1] as never, bytes(1)))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(store.swap('../card', undefined, bytes(1)))).toBe('ERR_INVALID_INPUT');
  });
});

describe('FileStore lock file', () => {
  it('breaks a lock left by a process that is gone', async () => {
    await writeLock('card', { pid: deadPid(), host: hostname(), nonce: 'aa', at: Date.now() });
    const store = new FileStore(dir.path, { lockTimeoutMs: 0 });
    await store.save('card', bytes(1));
    expect(await store.swap('card', bytes(1), bytes(2))).toBe(true);
    expect(await listing(dir.path)).toEqual(['card']);
  });

  it('waits for a live lock, then refuses with ERR_STORAGE and writes nothing', async () => {
    await new FileStore(dir.path).save('card', bytes(1));
    await writeLock('card', { pid: process.pid, host: hostname(), nonce: 'bb', at: Date.now() });
    const store = new FileStore(dir.path, { lockTimeoutMs: 20 });
    expect(await codeOf(store.save('card', bytes(2)))).toBe('ERR_STORAGE');
    expect(await codeOf(store.swap('card', bytes(1), bytes(2)))).toBe('ERR_STORAGE');
    expect(await codeOf(store.delete('card'))).toBe('ERR_STORAGE');
    expect(await store.load('card')).toEqual(bytes(1)); // reads take no lock
    expect(await store.cleanup()).toBe(0); // a live lock is left alone
    await fs.rm(join(dir.path, '.~card.lock'));
    expect(await store.swap('card', bytes(1), bytes(2))).toBe(true);
  });

  it('breaks a live-looking lock once it is older than staleLockMs, and one never written', async () => {
    await new FileStore(dir.path).save('card', bytes(1));
    const old = Date.now() - 60_000;
    await writeLock('card', { pid: process.pid, host: 'elsewhere', nonce: 'cc', at: old });
    const store = new FileStore(dir.path, { lockTimeoutMs: 0 });
    expect(await store.swap('card', bytes(1), bytes(2))).toBe(true);
    // A lock whose writer died before writing it: judged by the file's age.
    const path = join(dir.path, '.~card.lock');
    await fs.writeFile(path, '');
    await fs.utimes(path, old / 1000, old / 1000);
    expect(await store.swap('card', bytes(2), bytes(3))).toBe(true);
  });

  it('with staleLockMs 0, a lock never written is stale within the millisecond it was made', async () => {
    // A file's time has a fraction of a millisecond that Date.now() has not (1000.9 against
    // 1000): the lock must not read as younger than zero. The clock is held still so that the
    // check and the file's time fall in the same millisecond on any machine.
    const path = join(dir.path, '.~card.lock');
    await fs.writeFile(path, '');
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now);
    try {
      const store = new FileStore(dir.path, {
        staleLockMs: 0,
        fs: {
          ...defaultFs,
          lstat: async (target: string) => {
            const stats = await defaultFs.lstat(target);
            return target === path ? Object.assign(stats, { mtimeMs: now + 0.9 }) : stats;
          },
        },
      });
      expect(await store.cleanup()).toBe(1);
    } finally {
      clock.mockRestore();
    }
    expect(await listing(dir.path)).toEqual([]);
  });

  it('cleanup removes the locks of dead processes', async () => {
    await writeLock('a', { pid: deadPid(), host: hostname(), nonce: 'dd', at: Date.now() });
    await writeLock('b', { pid: process.pid, host: hostname(), nonce: 'ee', at: Date.now() });
    const store = new FileStore(dir.path);
    expect(await store.cleanup()).toBe(1);
    expect(await listing(dir.path)).toEqual(['.~b.lock']);
    expect(await store.names()).toEqual([]);
  });
});

describe('FileStore directory checks', () => {
  it.skipIf(process.platform === 'win32')(
    'refuses a directory writable by group or others, on open and on first use',
    async () => {
      const shared = join(dir.path, 'shared');
      await fs.mkdir(shared);
      await fs.chmod(shared, 0o777);
      expect(await codeOf(FileStore.open(shared))).toBe('ERR_STORAGE');
      const store = new FileStore(shared);
      expect(await codeOf(store.save('card', bytes(1)))).toBe('ERR_STORAGE');
      expect(await codeOf(store.load('card'))).toBe('ERR_STORAGE');
      await fs.chmod(shared, 0o775);
      expect(await codeOf(store.save('card', bytes(1)))).toBe('ERR_STORAGE');
      await fs.chmod(shared, 0o755);
      await store.save('card', bytes(1));
      expect(await store.load('card')).toEqual(bytes(1));
    },
  );

  it.skipIf(process.platform === 'win32')(
    'refuses a directory that is a symbolic link',
    async () => {
      const real = join(dir.path, 'real');
      await fs.mkdir(real, { mode: 0o700 });
      await fs.symlink(real, join(dir.path, 'link'));
      expect(await codeOf(FileStore.open(join(dir.path, 'link')))).toBe('ERR_STORAGE');
      expect(await codeOf(new FileStore(join(dir.path, 'link')).save('c', bytes(1)))).toBe(
        'ERR_STORAGE',
      );
      await fs.writeFile(join(dir.path, 'file'), 'x');
      expect(await codeOf(FileStore.open(join(dir.path, 'file')))).toBe('ERR_STORAGE');
    },
  );

  it.skipIf(process.platform === 'win32')(
    'creates a missing directory with mode 0700',
    async () => {
      const made = join(dir.path, 'a', 'b');
      await FileStore.open(made);
      expect((await fs.stat(made)).mode & 0o777).toBe(0o700);
    },
  );
});
