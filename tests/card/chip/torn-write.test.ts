import { afterEach, describe, expect, it } from 'vitest';
import {
  PhysicalSmartCard,
  SimulatedReader,
  SoftwareTpm,
  VirtualSmartCard,
} from '../../../src/card/index.js';
import { FileStore } from '../../../src/node/index.js';
import { FaultyFs, tempDir } from '../../node/helpers.js';
import { tracingCrypto } from '../../pin/helpers.js';

/**
 * The card's write path cut ("torn") at every file-system step of a wrong-PIN verify, either
 * failing there or losing power there. After each, a fresh process opens the card from its
 * files: the PIN was compared at most as many times as attempts were spent. No attempt is free.
 */
const PIN = 'k7#Lm2pQ';
const SERIAL = 'TORN-1';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function cardOnDisk(): Promise<string> {
  const dir = await tempDir();
  cleanups.push(dir.remove);
  await PhysicalSmartCard.create({
    serial: SERIAL,
    pin: PIN,
    mustChange: false,
    pinHashIterations: 1,
    store: await FileStore.open(dir.path),
  });
  return dir.path;
}

/**
 * A fresh process's store: the lock a dead write left names this test's (live) process, so it
 * is taken for a crash's leftover by its age, at once.
 */
const afterCrash = (dir: string) => new FileStore(dir, { staleLockMs: 0 });

async function attemptsOnDisk(dir: string): Promise<number> {
  const card = await PhysicalSmartCard.open(afterCrash(dir), SERIAL);
  new SimulatedReader().insert(card);
  return (await card.pinStatus()).attemptsRemaining;
}

/** Opens the card through `fs` and tries a wrong PIN; `compares` counts PIN comparisons. */
async function wrongPin(dir: string, fs: FaultyFs, events: string[]) {
  const { crypto } = tracingCrypto(events);
  const card = await PhysicalSmartCard.open(new FileStore(dir, { fs }), SERIAL, { crypto });
  new SimulatedReader().insert(card);
  const opened = fs.steps.length;
  events.length = 0;
  return { opened, verify: card.verifyPin('wrong-PIN') };
}

describe('a torn write during a wrong-PIN verify', () => {
  it('never gives a free try, whichever step fails or loses power', async () => {
    const dir = await cardOnDisk();
    const recording = new FaultyFs();
    const { opened, verify } = await wrongPin(dir, recording, []);
    expect(await verify).toEqual({ status: 'incorrect', attemptsRemaining: 4 });
    const steps = recording.steps.slice(opened);
    expect(steps).toContain('rename');

    for (const mode of ['throw', 'die'] as const) {
      for (let k = 0; k < steps.length; k++) {
        const fresh = await cardOnDisk();
        const before = await attemptsOnDisk(fresh);
        const events: string[] = [];
        const fs = new FaultyFs(opened + k, mode);
        const run = await wrongPin(fresh, fs, events);
        if (mode === 'throw') {
          const outcome = await run.verify.then(
            (r) => r.status,
            (e: { code?: string }) => e.code,
          );
          expect(['ERR_STORAGE', 'incorrect'], `${mode} at ${steps[k]}`).toContain(outcome);
        } else {
          await fs.died;
          await fs.release();
        }
        const compares = events.filter((e) => e === 'derive').length;
        const spent = before - (await attemptsOnDisk(fresh));
        expect(
          compares,
          `${mode} at ${steps[k]}: compared ${compares}, spent ${spent}`,
        ).toBeLessThanOrEqual(spent);
        expect(spent).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('a torn write during a wrong-PIN verify on a virtual card', () => {
  async function virtualOnDisk(): Promise<{ dir: string; deviceId: string }> {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    const store = await FileStore.open(dir.path);
    const tpm = await SoftwareTpm.create({ store });
    await VirtualSmartCard.create({ tpm, store, serial: SERIAL, pin: PIN, pinHashIterations: 1 });
    return { dir: dir.path, deviceId: tpm.deviceId };
  }

  async function reopen(dir: string, deviceId: string, fs?: FaultyFs, crypto?: Crypto) {
    const store = fs === undefined ? afterCrash(dir) : new FileStore(dir, { fs });
    const options = crypto === undefined ? {} : { crypto };
    const tpm = await SoftwareTpm.open(store, deviceId, options);
    return VirtualSmartCard.open(tpm, store, SERIAL, options);
  }

  it('never gives a free try: card attempts and TPM writes cut at every step', async () => {
    const first = await virtualOnDisk();
    const recording = new FaultyFs();
    const card = await reopen(first.dir, first.deviceId, recording);
    const opened = recording.steps.length;
    expect(await card.verifyPin('wrong-PIN')).toMatchObject({ status: 'incorrect' });
    const steps = recording.steps.slice(opened);

    for (const mode of ['throw', 'die'] as const) {
      for (let k = 0; k < steps.length; k++) {
        const { dir, deviceId } = await virtualOnDisk();
        const events: string[] = [];
        const { crypto } = tracingCrypto(events);
        const fs = new FaultyFs(opened + k, mode);
        const faulty = await reopen(dir, deviceId, fs, crypto);
        events.length = 0;
        const verify = faulty.verifyPin('wrong-PIN');
        if (mode === 'throw') {
          await verify.catch(() => undefined);
        } else {
          await fs.died;
          await fs.release();
        }
        const compares = events.filter((e) => e === 'derive').length;
        const after = await reopen(dir, deviceId);
        const spent = 5 - ((await after.pinStatus()).attemptsRemaining ?? 5);
        expect(compares, `${mode} at ${steps[k]}`).toBeLessThanOrEqual(spent);
        expect(spent).toBeLessThanOrEqual(1);
      }
    }
  });
});
