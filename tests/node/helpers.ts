import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileStoreFileHandle, FileStoreFs, FileStoreStats } from '../../src/node/index.js';

/** A fresh directory under the OS temp dir; `remove()` deletes it and everything in it. */
export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await fs.mkdtemp(join(tmpdir(), 'sc2fa-store-'));
  return { path, remove: () => fs.rm(path, { recursive: true, force: true }) };
}

/** The entries of a directory, sorted. */
export async function listing(directory: string): Promise<string[]> {
  return (await fs.readdir(directory)).sort();
}

export const bytes = (...values: number[]) => Uint8Array.from(values);

/**
 * The real file system, with every call recorded as a step (`open:file`, `write`, `sync:dir`,
 * `rename`, ...) and one chosen step made to fail.
 *
 * - `throw`: that call throws an `EIO` error (after writing half its bytes, for a write); the
 *   store sees the failure and can clean up.
 * - `die`: the process "loses power" there: a write lands half its bytes, then that call and
 *   every later one never settle, so nothing after it reaches the disk, cleanup included.
 */
export class FaultyFs implements FileStoreFs {
  readonly steps: string[] = [];
  /** Resolves when the `die` fault has happened. */
  readonly died: Promise<void>;
  readonly injected = Object.assign(new Error('EIO: injected fault'), { code: 'EIO' });
  #dead = false;
  #markDead: () => void = () => {};
  readonly #handles = new Set<fs.FileHandle>();

  constructor(
    readonly failAt = -1,
    readonly mode: 'throw' | 'die' = 'throw',
  ) {
    this.died = new Promise((resolve) => {
      this.#markDead = resolve;
    });
  }

  /** Records `step` and returns, unless it is the one to fail: then throws, or never settles. */
  async #step(step: string, partial?: () => Promise<unknown>): Promise<void> {
    if (this.#dead) return new Promise(() => {});
    this.steps.push(step);
    if (this.steps.length - 1 !== this.failAt) return;
    await partial?.();
    if (this.mode === 'throw') throw this.injected;
    this.#dead = true;
    this.#markDead();
    return new Promise(() => {});
  }

  async open(path: string, flags: string, mode?: number): Promise<FileStoreFileHandle> {
    const kind = flags === 'r' ? 'dir' : /\.lock(\.break)?$/.test(path) ? 'lock' : 'file';
    await this.#step(`open:${kind}`);
    const handle = await fs.open(path, flags, mode);
    this.#handles.add(handle);
    return {
      write: async (buffer, offset, length, position) => {
        const half = Math.floor(length / 2);
        const step = kind === 'lock' ? 'write:lock' : 'write';
        await this.#step(step, () => handle.write(buffer, offset, half, position));
        return handle.write(buffer, offset, length, position);
      },
      sync: async () => {
        await this.#step(`sync:${kind}`);
        return handle.sync();
      },
      close: async () => {
        await this.#step(`close:${kind}`);
        this.#handles.delete(handle);
        return handle.close();
      },
    };
  }

  /** Closes what a dead process left open, as the OS would. */
  async release(): Promise<void> {
    await Promise.all([...this.#handles].map((handle) => handle.close()));
    this.#handles.clear();
  }

  async rename(from: string, to: string): Promise<void> {
    await this.#step('rename');
    return fs.rename(from, to);
  }

  async readFile(path: string): Promise<Uint8Array> {
    await this.#step('readFile');
    return fs.readFile(path);
  }

  async unlink(path: string): Promise<void> {
    await this.#step(/\.lock(\.break)?$/.test(path) ? 'unlink:lock' : 'unlink');
    return fs.unlink(path);
  }

  async readdir(path: string): Promise<string[]> {
    await this.#step('readdir');
    return fs.readdir(path);
  }

  /** Not a step: checking the directory and a lock's age only reads. */
  lstat(path: string): Promise<FileStoreStats> {
    return fs.lstat(path);
  }

  async mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown> {
    await this.#step('mkdir');
    return fs.mkdir(path, options);
  }
}
