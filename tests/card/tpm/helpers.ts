import { MemoryStore } from '../../../src/card/storage/card-store.js';
import type { SoftwareTpmOptions } from '../../../src/card/tpm/options.js';
import { SoftwareTpm } from '../../../src/card/tpm/software-tpm.js';
import type { Clock } from '../../../src/clock.js';

export const SECOND = 1000;
export const HOUR = 60 * 60 * SECOND;

/** A clock that moves only when told. */
export class FakeClock implements Clock {
  time = Date.parse('2026-01-01T00:00:00Z');
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** The TPM record as saved, parsed. */
export interface SavedTpm {
  deviceId: string;
  seed: string;
  antiHammering: Record<string, number>;
  lockout: { failedTries: number; lastFailureAt: number | null; lockoutMs: number };
  integrity: { algorithm: string; tag: string };
  [key: string]: unknown;
}

/**
 * A MemoryStore that logs every save or swap (`save:<failedTries>`) into `events`, which tests share
 * with their attempts to see the order of saves and attempts; it can fail saves and loads.
 */
export class RecordingStore extends MemoryStore {
  readonly events: string[] = [];
  failSaves = false;
  failLoads = false;

  override async save(name: string, bytes: Uint8Array): Promise<void> {
    if (this.failSaves) throw new Error('disk full');
    this.events.push(`save:${failedTries(bytes)}`);
    return super.save(name, bytes);
  }

  override async load(name: string): Promise<Uint8Array | undefined> {
    if (this.failLoads) throw new Error('EIO');
    return super.load(name);
  }

  /** A write as `save` is, logged and failed alike (a TPM writes its record with it). */
  override async swap(
    name: string,
    expected: Uint8Array | undefined,
    next: Uint8Array,
  ): Promise<boolean> {
    if (this.failSaves) throw new Error('disk full');
    const swapped = await super.swap(name, expected, next);
    if (swapped) this.events.push(`save:${failedTries(next)}`);
    return swapped;
  }

  /** The saved record of the TPM `deviceId`, parsed. */
  async record(deviceId: string): Promise<SavedTpm> {
    const bytes = await this.load(`tpm-${deviceId}`);
    if (bytes === undefined) throw new Error(`no record for ${deviceId}`);
    return parse(bytes);
  }
}

function failedTries(bytes: Uint8Array): string {
  try {
    return String(parse(bytes).lockout.failedTries);
  } catch {
    return 'unreadable';
  }
}

function parse(bytes: Uint8Array): SavedTpm {
  return JSON.parse(new TextDecoder().decode(bytes)) as SavedTpm;
}

/** A new TPM with a recording store and a fake clock. */
export async function newTpm(options: SoftwareTpmOptions = {}): Promise<{
  tpm: SoftwareTpm;
  store: RecordingStore;
  clock: FakeClock;
}> {
  const store = new RecordingStore();
  const clock = new FakeClock();
  const tpm = await SoftwareTpm.create({ store, clock, ...options });
  store.events.length = 0;
  return { tpm, store, clock };
}

/** An attempt that reports a wrong secret, or a right one; `runs` counts how often it ran. */
export function attempts(): {
  wrong: () => Promise<{ failed: boolean; value: string }>;
  right: () => Promise<{ failed: boolean; value: string }>;
  runs: () => number;
} {
  let runs = 0;
  return {
    wrong: async () => {
      runs++;
      return { failed: true, value: 'incorrect' };
    },
    right: async () => {
      runs++;
      return { failed: false, value: 'verified' };
    },
    runs: () => runs,
  };
}

/** The error `promise` rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
