/// <reference types="node" />
/**
 * What a `FileStore` checks before it trusts its directory, and its lock timings. Internal: not
 * exported from the package.
 */
import { InvalidInputError, StorageError } from '../errors.js';
import { errorCode, type FileStoreFs, type FileStoreOptions } from './fs.js';
import type { LockTimes } from './lock.js';

/**
 * Resolves `true` if `directory` is a real directory that only its owner may write, `false` if
 * it does not exist; throws `StorageError` for a symbolic link, something else than a directory,
 * or a directory writable by its group or others (`mode & 0o022`). Windows has no such mode
 * bits: there only the link and the type are checked.
 *
 * @category Stores
 */
export async function checkDirectory(fs: FileStoreFs, directory: string): Promise<boolean> {
  let stats: Awaited<ReturnType<FileStoreFs['lstat']>>;
  try {
    stats = await fs.lstat(directory);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw new StorageError(`Could not check the store directory ${directory}.`, { cause: error });
  }
  if (stats.isSymbolicLink()) {
    throw new StorageError(
      `The store directory ${directory} is a symbolic link: refused, since whoever controls the link controls the cards. Use the real path.`,
    );
  }
  if (!stats.isDirectory()) {
    throw new StorageError(`The store path ${directory} is not a directory.`);
  }
  if (process.platform !== 'win32' && (stats.mode & 0o022) !== 0) {
    throw new StorageError(
      `The store directory ${directory} is writable by its group or others (mode ${(stats.mode & 0o777).toString(8)}): refused, since they could replace a card's file. Make it 0700 (chmod go-w).`,
    );
  }
  return true;
}

/** The lock timings of `options`, checked.
 *
 * @category Stores
 */
export function lockTimes(options: FileStoreOptions): LockTimes {
  return {
    timeoutMs: milliseconds(options.lockTimeoutMs, 'lockTimeoutMs', 5_000),
    staleMs: milliseconds(options.staleLockMs, 'staleLockMs', 30_000),
  };
}

function milliseconds(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2 ** 31 - 1) {
    throw new InvalidInputError(`${name} must be an integer number of milliseconds, 0 to 2^31-1.`);
  }
  return value;
}
