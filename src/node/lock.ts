/// <reference types="node" />
/**
 * The lock file that makes a `FileStore`'s writes of one name atomic across processes.
 * Internal: not exported from the package.
 *
 * - **Taking it.** `<directory>/.~<name>.lock` is created with `O_CREAT | O_EXCL` (`'wx'`), so
 *   exactly one of any number of processes creates it, and holds the owner: pid, host name, a
 *   random nonce and the time it was taken, as JSON. It is held for one read-compare-write (a few
 *   milliseconds) and removed when the write ends, whether it succeeded or not.
 * - **Waiting.** A process that finds the lock taken polls it (2 ms, doubling to 50 ms) until
 *   `timeoutMs` has passed, then gives up with `StorageError`, having written nothing.
 * - **A lock left by a crash.** A lock is stale when its owner cannot be holding it any more:
 *   its pid is not a running process on this host (`process.kill(pid, 0)` fails with `ESRCH`),
 *   or it was taken more than `staleMs` ago (any host; with no readable owner, by the file's
 *   modification time). A stale lock is broken under a second lock, `.~<name>.lock.break`, taken
 *   the same way: holding it, the breaker reads the lock again and removes it only if it is still
 *   the very lock it judged stale (same bytes), so two processes breaking one lock at once cannot
 *   remove the fresh lock a third has just taken. A break lock is itself held only for that read
 *   and removal; one left by a crash is stale by the same rules and simply removed.
 * - **What it does not cover.** A live process that keeps the lock longer than `staleMs` (paused
 *   in a debugger, say) can lose it; and pids are compared only on the same host, so a lock of a
 *   crashed process on another host sharing the directory waits out `staleMs`.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { StateCorruptError, StorageError } from '../errors.js';
import { sameBytes } from '../lib/der-values.js';
import { savedRecord } from '../lib/saved-record.js';
import { errorCode, type FileStoreFs, writeAll } from './fs.js';

/** How long to wait for a lock, and when a lock is old enough to be a crash's leftover.
 *
 * @category Stores
 */
export interface LockTimes {
  readonly timeoutMs: number;
  readonly staleMs: number;
}

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly nonce: string;
  readonly at: number;
}

/** Runs `operation` holding the lock file `path`; see the module comment.
 *
 * @category Stores
 */
export async function withLock<T>(
  fs: FileStoreFs,
  path: string,
  times: LockTimes,
  operation: () => Promise<T>,
): Promise<T> {
  await acquire(fs, path, times);
  let result: T;
  try {
    result = await operation();
  } catch (error) {
    await fs.unlink(path).catch(() => {});
    throw error;
  }
  // The write's outcome stands even if the lock cannot be removed: then others wait for it
  // until it is stale, or until `cleanup` after this process ends.
  await fs.unlink(path).catch(() => {});
  return result;
}

/**
 * Removes the lock file `path` if it is stale (its owner is dead or it is older than `staleMs`);
 * resolves whether there is no lock there now.
 *
 * @category Stores
 */
export async function breakIfStale(
  fs: FileStoreFs,
  path: string,
  staleMs: number,
): Promise<boolean> {
  const seen = await readLock(fs, path);
  if (seen === undefined) return true;
  if (!(await isStale(fs, path, seen, staleMs))) return false;
  const breaker = `${path}.break`;
  if (!(await tryCreate(fs, breaker))) {
    const other = await readLock(fs, breaker);
    if (other !== undefined && (await isStale(fs, breaker, other, staleMs))) {
      await fs.unlink(breaker).catch(() => {});
    }
    return false;
  }
  try {
    const again = await readLock(fs, path);
    if (again === undefined) return true;
    if (!sameBytes(again, seen)) return false;
    await fs.unlink(path).catch((error: unknown) => {
      if (errorCode(error) !== 'ENOENT') throw error;
    });
    return true;
  } finally {
    await fs.unlink(breaker).catch(() => {});
  }
}

async function acquire(fs: FileStoreFs, path: string, times: LockTimes): Promise<void> {
  const deadline = Date.now() + times.timeoutMs;
  let delay = 2;
  for (;;) {
    let created: boolean;
    try {
      created = await tryCreate(fs, path);
    } catch (error) {
      throw new StorageError(`Could not take the lock ${path}; nothing was written.`, {
        cause: error,
      });
    }
    if (created) return;
    let free: boolean;
    try {
      free = await breakIfStale(fs, path, times.staleMs);
    } catch (error) {
      throw new StorageError(`Could not check the lock ${path}; nothing was written.`, {
        cause: error,
      });
    }
    if (free) continue;
    if (Date.now() >= deadline) {
      const owner = parseOwner(
        (await readLock(fs, path).catch(() => undefined)) ?? new Uint8Array(),
      );
      throw new StorageError(
        `${path} is held by ${owner === undefined ? 'another writer' : `process ${owner.pid} on ${owner.host}`}; gave up after ${times.timeoutMs} ms, nothing was written. Try again; a lock left by a crash is broken once its process is gone or it is ${times.staleMs} ms old.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 50);
  }
}

/** Creates `path` with O_EXCL holding this process as its owner; `false` if it exists. */
async function tryCreate(fs: FileStoreFs, path: string): Promise<boolean> {
  let handle: Awaited<ReturnType<FileStoreFs['open']>>;
  try {
    handle = await fs.open(path, 'wx', 0o600);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  const owner: Owner = {
    pid: process.pid,
    host: hostname(),
    nonce: randomBytes(8).toString('hex'),
    at: Date.now(),
  };
  const bytes = new TextEncoder().encode(JSON.stringify(owner));
  try {
    await writeAll(handle, bytes);
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => {});
    await fs.unlink(path).catch(() => {});
    throw error;
  }
  return true;
}

async function readLock(fs: FileStoreFs, path: string): Promise<Uint8Array | undefined> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

async function isStale(
  fs: FileStoreFs,
  path: string,
  content: Uint8Array,
  staleMs: number,
): Promise<boolean> {
  const owner = parseOwner(content);
  if (owner === undefined) {
    // Taken but never written: its creator died between the two. Judge it by its age.
    try {
      // File times have sub-millisecond precision and Date.now() has not: floor, or a lock
      // written within the current millisecond would be younger than zero.
      const made = Math.floor((await fs.lstat(path)).mtimeMs);
      return Date.now() - made >= staleMs;
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return true;
      throw error;
    }
  }
  if (Date.now() - owner.at >= staleMs) return true;
  return owner.host === hostname() && !isAlive(owner.pid);
}

const lockFile = savedRecord('lock file');

/** The lock's owner, or `undefined` when it is unreadable (its writer died before finishing). */
function parseOwner(content: Uint8Array): Owner | undefined {
  try {
    const owner = lockFile.object(lockFile.json(content), 'the owner');
    return {
      pid: lockFile.integer(owner.pid, 'pid', 1),
      host: lockFile.text(owner.host, 'host'),
      nonce: lockFile.text(owner.nonce, 'nonce'),
      at: lockFile.integer(owner.at, 'at', 0),
    };
  } catch (error) {
    if (error instanceof StateCorruptError) return undefined;
    throw error;
  }
}

/** Whether a process with this pid runs on this host (EPERM: it does, as another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) !== 'ESRCH';
  }
}
