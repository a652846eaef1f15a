/// <reference types="node" />
import * as nodeFs from 'node:fs/promises';

/**
 * The part of a `node:fs/promises` `FileHandle` that {@link FileStore} uses.
 *
 * @example
 * ```ts
 * import type { FileStoreFileHandle } from 'smartcard-2fa/node';
 *
 * async function writeAll(handle: FileStoreFileHandle, bytes: Uint8Array): Promise<void> {
 *   let done = 0;
 *   while (done < bytes.length) {
 *     done += (await handle.write(bytes, done, bytes.length - done, done)).bytesWritten;
 *   }
 * }
 * ```
 *
 * @category Stores
 */
export interface FileStoreFileHandle {
  /** Writes `length` bytes of `buffer` from `offset`, at `position` in the file. */
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesWritten: number }>;
  /** Flushes the file's data and metadata to the device (`fsync`). */
  sync(): Promise<void>;
  /** Closes the handle. */
  close(): Promise<void>;
}

/**
 * The part of `node:fs/promises` that {@link FileStore} uses; `node:fs/promises` itself is one.
 * Pass another to add tracing, or to make any step fail in a test (a "crash" there). Failures
 * are recognised by their `code` property (`'ENOENT'`, ...), as Node's errors carry it.
 *
 * @example
 * ```ts
 * import * as fs from 'node:fs/promises';
 * import { FileStore, type FileStoreFs } from 'smartcard-2fa/node';
 *
 * // Every rename fails, as on a full or read-only disk.
 * const failingRename: FileStoreFs = {
 *   ...fs,
 *   rename: async () => {
 *     throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
 *   },
 * };
 * const store = new FileStore('/var/lib/my-app/cards', { fs: failingRename });
 * ```
 *
 * @category Stores
 */
export interface FileStoreFs {
  /**
   * Opens a file: `flags` is `'wx'` (create, failing if it exists) with `mode` for temporary
   * files, and `'r'` for the directory, to `sync()` it.
   */
  open(path: string, flags: string, mode?: number): Promise<FileStoreFileHandle>;
  /** Renames `from` to `to`, replacing `to` atomically if it exists. */
  rename(from: string, to: string): Promise<void>;
  /** The whole content of a file. */
  readFile(path: string): Promise<Uint8Array>;
  /** Removes a file. */
  unlink(path: string): Promise<void>;
  /** The names of the entries in a directory. */
  readdir(path: string): Promise<string[]>;
  /** Creates a directory (and its parents), doing nothing if it exists. */
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown>;
  /**
   * What a path is, without following a symbolic link: the store directory is checked with it
   * (a symlink, or writable by group or others, is refused), and so is the age of a lock file.
   */
  lstat(path: string): Promise<FileStoreStats>;
}

/**
 * The part of a `node:fs` `Stats` that {@link FileStore} uses.
 *
 * @example
 * ```ts
 * import * as fs from 'node:fs/promises';
 * import { FileStore, type FileStoreFs, type FileStoreStats } from 'smartcard-2fa/node';
 *
 * // The file system FileStore uses, with what it checks logged for an audit.
 * const audited: FileStoreFs = {
 *   ...fs,
 *   async lstat(path) {
 *     const stats: FileStoreStats = await fs.lstat(path);
 *     if ((stats.mode & 0o022) !== 0) console.warn(`${path} is writable by others: refused`);
 *     return stats;
 *   },
 * };
 * const store = await FileStore.open('/var/lib/my-app/cards', { fs: audited });
 * ```
 *
 * @category Stores
 */
export interface FileStoreStats {
  /** The permission bits (and file type bits). */
  readonly mode: number;
  /** The last modification, in milliseconds since the epoch. */
  readonly mtimeMs: number;
  /** Whether the path is a directory. */
  isDirectory(): boolean;
  /** Whether the path is itself a symbolic link (`lstat`, so the link is not followed). */
  isSymbolicLink(): boolean;
}

/**
 * Options of {@link FileStore}.
 *
 * @example
 * ```ts
 * import * as fs from 'node:fs/promises';
 * import { FileStore, type FileStoreOptions } from 'smartcard-2fa/node';
 *
 * const options: FileStoreOptions = { fs };
 * const store = await FileStore.open('/var/lib/my-app/cards', options);
 * ```
 *
 * @category Stores
 */
export interface FileStoreOptions {
  /** The file system to use; `node:fs/promises` unless given. */
  fs?: FileStoreFs;
  /**
   * How long a write waits for another writer's lock on the same name before it gives up with
   * `StorageError`, in milliseconds; 5,000 when left out.
   */
  lockTimeoutMs?: number;
  /**
   * When a lock is taken for a crash's leftover whatever its pid says (a process on another
   * host, a lock never finished), in milliseconds since it was taken; 30,000 when left out.
   */
  staleLockMs?: number;
}

/** `node:fs/promises`, checked against {@link FileStoreFs}.
 *
 * @category Stores
 */
export const defaultFs: FileStoreFs = nodeFs;

/** The `code` of a Node system error (`'ENOENT'`, ...), or `undefined`.
 *
 * @category Stores
 */
export function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null
    ? (error as { code?: unknown }).code
    : undefined;
}

/**
 * Writes all of `bytes` to `handle` from its start, as many writes as that takes (a write may
 * take fewer bytes than it is given); a write that takes none throws.
 *
 * @category Stores
 */
export async function writeAll(handle: FileStoreFileHandle, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, done);
    if (bytesWritten <= 0) throw new Error(`write() wrote ${bytesWritten} bytes`);
    done += bytesWritten;
  }
}

/**
 * Creates `temp` (mode `0o600`, failing if it exists), writes all of `bytes` to it, `fsync`s and
 * closes it, then renames it over `target`. Throws the first failure; `temp` may remain then.
 *
 * @category Stores
 */
export async function writeAndRename(
  fs: FileStoreFs,
  temp: string,
  target: string,
  bytes: Uint8Array,
): Promise<void> {
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await writeAll(handle, bytes);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
  await handle.close();
  await fs.rename(temp, target);
}

/**
 * `fsync`s a directory so that a rename or unlink in it survives a power loss. Windows cannot
 * open a directory for that (and NTFS journals renames itself), so there it does nothing.
 *
 * @category Stores
 */
export async function syncDirectory(fs: FileStoreFs, directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(directory, 'r');
  try {
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
  await handle.close();
}
