/// <reference types="node" />
import { join, resolve } from 'node:path';
import {
  assertStoreName,
  assertSwapArguments,
  type CardStore,
  sameStoredBytes,
} from '../card/storage/card-store.js';
import { InvalidInputError, StorageError } from '../errors.js';
import { KeyedQueue } from '../lib/serial-queue.js';
import { checkDirectory, lockTimes } from './directory.js';
import { decodeFrame, encodeFrame } from './frame.js';
import {
  defaultFs,
  errorCode,
  type FileStoreFs,
  type FileStoreOptions,
  syncDirectory,
  writeAndRename,
} from './fs.js';
import { breakIfStale, type LockTimes, withLock } from './lock.js';
import { isStoreName, lockName, lockOwner, tempName, tempOwner } from './names.js';

/**
 * A {@link CardStore} for Node that keeps each name in its own file, `<directory>/<name>`.
 *
 * - **Atomic saves.** `save` writes a temporary file (`.~<name>.<random>.tmp`) in the same
 *   directory with mode `0o600`, `fsync`s it, renames it over `<name>`, then `fsync`s the
 *   directory. A crash at any point leaves the old file or the new one, never a mix. On a
 *   failure it removes its temporary file and throws `StorageError`; if only the final directory
 *   `fsync` failed, the new bytes are in place but may not survive a power loss.
 * - **Checked loads.** Each file is framed: a magic number, a format version, the payload length
 *   and its SHA-256. `load` refuses a truncated, extended, damaged or foreign file with
 *   `StateCorruptError` and leaves it exactly as it is, for someone to inspect or restore; only
 *   an explicit `save` (or `delete`) of that name replaces it. The digest finds damage, not
 *   deliberate edits: state that must resist tampering is sealed by the layer that saves it.
 * - **Order.** Operations on one name run one at a time, in the order they were called, so
 *   concurrent saves end with the last one's bytes, and a `load` sees every earlier `save`.
 * - **Across processes.** `save`, `swap` and `delete` of a name hold that name's lock file,
 *   `.~<name>.lock`, created with `O_EXCL` and holding the owner's pid, host and start time:
 *   any number of stores and processes on one directory write a name one at a time, so `swap`
 *   (read, compare, write) is atomic among them all. A writer waits for the lock up to
 *   `lockTimeoutMs` (5 s), then throws `StorageError` having written nothing. A lock left by a
 *   crash is broken once its pid is no longer running on this host, or once it is `staleLockMs`
 *   (30 s) old; `cleanup` removes such locks too. `load` takes no lock: a rename is atomic.
 * - **The directory.** An existing directory that is a symbolic link, not a directory, or
 *   writable by its group or others (`mode & 0o022`) is refused with `StorageError` on first use:
 *   anyone who can write it could swap a card's file. `open` creates a missing one with `0o700`.
 * - **Leftovers.** Temporary files left by a crash are invisible to `load` and `names`;
 *   `save` and `delete` of a name remove that name's, and {@link FileStore.cleanup} removes all.
 *
 * On a case-insensitive file system (macOS,
 * Windows), names that differ only in case are one file. Reads treat a missing directory as an
 * empty store; `save` needs it to exist: {@link FileStore.open} creates it, the constructor
 * does no I/O.
 *
 * @example
 * ```ts
 * import { FileStore } from 'smartcard-2fa/node';
 *
 * const store = await FileStore.open('/var/lib/my-app/cards');
 * await store.save('card-1', new Uint8Array([1, 2, 3]));
 * await store.load('card-1'); // Uint8Array [1, 2, 3]
 * await store.names(); // ['card-1']
 * ```
 *
 * @category Stores
 */
export class FileStore implements CardStore {
  /** The directory's absolute path. */
  readonly directory: string;
  readonly #fs: FileStoreFs;
  /** Operations on one name run one at a time. */
  readonly #queue = new KeyedQueue();
  readonly #lockTimes: LockTimes;
  /** The directory check, once it passed. */
  #checked: Promise<void> | undefined;

  /**
   * A store over `directory` (resolved against the current directory), which should exist.
   * Nothing is read or written until the first operation.
   */
  constructor(directory: string, options: FileStoreOptions = {}) {
    if (typeof directory !== 'string' || directory === '') {
      throw new InvalidInputError('FileStore needs a directory path.');
    }
    this.directory = resolve(directory);
    this.#fs = options.fs ?? defaultFs;
    this.#lockTimes = lockTimes(options);
  }

  /**
   * Creates `directory` (and its parents) with mode `0o700` if it does not exist, and returns a
   * store over it. Throws `StorageError` if the directory cannot be created, or if it exists but
   * is a symbolic link, not a directory, or writable by its group or others.
   */
  static async open(directory: string, options: FileStoreOptions = {}): Promise<FileStore> {
    const store = new FileStore(directory, options);
    try {
      await store.#fs.mkdir(store.directory, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new StorageError(`Could not create the store directory ${store.directory}.`, {
        cause: error,
      });
    }
    await store.#ready();
    return store;
  }

  /** The bytes last saved under `name`, or `undefined`; see {@link CardStore.load}. */
  async load(name: string): Promise<Uint8Array | undefined> {
    assertStoreName(name);
    return this.#queue.run(name, async () => {
      await this.#ready();
      return this.#read(name);
    });
  }

  /** Replaces the bytes under `name`, atomically; see {@link CardStore.save}. */
  async save(name: string, bytes: Uint8Array): Promise<void> {
    assertStoreName(name);
    if (!(bytes instanceof Uint8Array)) throw new InvalidInputError('save() takes a Uint8Array.');
    const frame = encodeFrame(bytes); // a copy, taken now: later changes to `bytes` do not count
    return this.#locked(name, () => this.#write(name, frame));
  }

  /**
   * Replaces the bytes under `name` with `next` only if they are exactly `expected` now
   * (`undefined`: no file), holding the name's lock so that no other store or process writes
   * in between; see {@link CardStore.swap}. A damaged file matches no `expected`: `swap` throws
   * its `StateCorruptError`.
   */
  async swap(name: string, expected: Uint8Array | undefined, next: Uint8Array): Promise<boolean> {
    assertSwapArguments(name, expected, next);
    const frame = encodeFrame(next);
    const wanted = expected?.slice();
    return this.#locked(name, async () => {
      if (!sameStoredBytes(await this.#read(name), wanted)) return false;
      await this.#write(name, frame);
      return true;
    });
  }

  /** Runs a write of `name`: in its queue here, under its lock file among processes. */
  #locked<T>(name: string, write: () => Promise<T>): Promise<T> {
    return this.#queue.run(name, async () => {
      await this.#ready();
      return withLock(this.#fs, this.#path(lockName(name)), this.#lockTimes, write);
    });
  }

  async #read(name: string): Promise<Uint8Array | undefined> {
    const path = this.#path(name);
    let file: Uint8Array;
    try {
      file = await this.#fs.readFile(path);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw new StorageError(`Could not read ${path}.`, { cause: error });
    }
    return decodeFrame(file, path);
  }

  /** Writes `frame` as `name`'s file: temporary file, fsync, rename, directory fsync. */
  async #write(name: string, frame: Uint8Array): Promise<void> {
    await this.#removeTemps(name).catch(() => {}); // frees space; a leftover is harmless
    const target = this.#path(name);
    const temp = this.#path(tempName(name));
    let renamed = false;
    try {
      await writeAndRename(this.#fs, temp, target, frame);
      renamed = true;
      await syncDirectory(this.#fs, this.directory);
    } catch (error) {
      if (renamed) {
        throw new StorageError(
          `${target} was replaced, but the directory could not be synced: the new bytes may not survive a power loss.`,
          { cause: error },
        );
      }
      await this.#fs.unlink(temp).catch(() => {});
      throw new StorageError(`Could not save ${target}; it was left as it was.`, {
        cause: error,
      });
    }
  }

  /** Removes `name`'s file; nothing happens if there is none. See {@link CardStore.delete}. */
  async delete(name: string): Promise<void> {
    assertStoreName(name);
    return this.#locked(name, async () => {
      await this.#removeTemps(name).catch(() => {});
      const path = this.#path(name);
      try {
        await this.#fs.unlink(path);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return;
        throw new StorageError(`Could not delete ${path}.`, { cause: error });
      }
      try {
        await syncDirectory(this.#fs, this.directory);
      } catch (error) {
        throw new StorageError(`${path} was deleted, but it may come back after a power loss.`, {
          cause: error,
        });
      }
    });
  }

  /** Every saved name, sorted; temporary files and other entries that are not names are skipped. */
  async names(): Promise<string[]> {
    return (await this.#entries()).filter(isStoreName).sort();
  }

  /**
   * Removes the temporary files that crashed saves left in the directory, and the lock files of
   * crashed writers (stale: see above), and returns how many files it removed. It waits for
   * operations under way on a name first, so it never removes a file that a save in this store
   * is writing, and it leaves a live writer's lock alone. Useful once at startup; `save` and
   * `delete` of a name already remove that name's temporary files.
   */
  async cleanup(): Promise<number> {
    const temps = new Set<string>();
    const locks = new Set<string>();
    for (const entry of await this.#entries()) {
      const temp = tempOwner(entry);
      if (temp !== undefined) temps.add(temp);
      const lock = lockOwner(entry);
      if (lock !== undefined) locks.add(lock);
    }
    const counts = await Promise.all([
      ...[...temps].map((owner) => this.#queue.run(owner, () => this.#removeTemps(owner))),
      ...[...locks].map((owner) =>
        this.#queue.run(owner, async () => {
          try {
            const path = this.#path(lockName(owner));
            return (await breakIfStale(this.#fs, path, this.#lockTimes.staleMs)) ? 1 : 0;
          } catch (error) {
            throw new StorageError(`Could not check the lock of ${owner}.`, { cause: error });
          }
        }),
      ),
    ]);
    return counts.reduce((sum, n) => sum + n, 0);
  }

  /** Checks the directory once (see above); a missing one is checked again next time. */
  #ready(): Promise<void> {
    this.#checked ??= checkDirectory(this.#fs, this.directory).then(
      (exists) => {
        if (!exists) this.#checked = undefined;
      },
      (error: unknown) => {
        this.#checked = undefined;
        throw error;
      },
    );
    return this.#checked;
  }

  #path(entry: string): string {
    return join(this.directory, entry);
  }

  async #entries(): Promise<string[]> {
    try {
      return await this.#fs.readdir(this.directory);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return [];
      throw new StorageError(`Could not list ${this.directory}.`, { cause: error });
    }
  }

  /** Removes `name`'s temporary files; run only in `name`'s queue, where none is in use. */
  async #removeTemps(name: string): Promise<number> {
    let removed = 0;
    for (const entry of await this.#entries()) {
      if (tempOwner(entry) !== name) continue;
      try {
        await this.#fs.unlink(this.#path(entry));
        removed++;
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') {
          throw new StorageError(`Could not remove ${entry}.`, { cause: error });
        }
      }
    }
    return removed;
  }
}
