import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CardStore,
  MemoryStore,
  PhysicalSmartCard,
  SimulatedReader,
  SoftwareTpm,
  VirtualSmartCard,
} from '../../../src/card/index.js';
import { tpmCardSealing } from '../../../src/card/tpm/software-tpm.js';
import { FileStore } from '../../../src/node/index.js';
import { tempDir } from '../../node/helpers.js';
import { tracingCrypto } from '../../pin/helpers.js';
import { codeOf } from '../../support/errors.js';

/**
 * One card, many objects: card objects opened through several stores over the same saved state
 * (wrapper stores, several FileStores on one directory, several processes) spend one PIN
 * counter. However the calls interleave, no more wrong PINs are compared than the policy
 * allows, and a blocked card is blocked for every object.
 */
const PIN = 'k7#Lm2pQ';
const SERIAL = 'SHARED-1';
const run = promisify(execFile);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Another store object over the same saved bytes, as a wrapper store would be. */
function viewOf(
  inner: MemoryStore,
  wrap = <A extends unknown[], T>(f: (...a: A) => Promise<T>) => f,
): CardStore {
  return {
    load: wrap((name: string) => inner.load(name)),
    save: (name, bytes) => inner.save(name, bytes),
    swap: wrap((name: string, expected: Uint8Array | undefined, next: Uint8Array) =>
      inner.swap(name, expected, next),
    ),
    delete: (name) => inner.delete(name),
    names: () => inner.names(),
  };
}

async function physicalCard(store: CardStore, maxAttempts = 5): Promise<void> {
  await PhysicalSmartCard.create({
    serial: SERIAL,
    pin: PIN,
    mustChange: false,
    puk: '27182818',
    pinPolicy: { maxAttempts, maxUnblockAttempts: 2 },
    pinHashIterations: 1,
    store,
  });
}

async function openPhysical(store: CardStore, crypto: Crypto): Promise<PhysicalSmartCard> {
  const card = await PhysicalSmartCard.open(store, SERIAL, { crypto });
  new SimulatedReader().insert(card);
  return card;
}

describe('many objects over one physical card', () => {
  it('ten objects over ten wrapper stores compare 5 wrong PINs in all, then all say blocked', async () => {
    const shared = new MemoryStore();
    await physicalCard(shared);
    const events: string[] = [];
    const { crypto } = tracingCrypto(events);
    const cards = await Promise.all(range(10).map(() => openPhysical(viewOf(shared), crypto)));
    expect(new Set(cards).size).toBe(10);
    events.length = 0;
    const results = await Promise.all(
      cards.flatMap((card) => range(4).map(() => card.verifyPin('wrong-PIN'))),
    );
    expect(events.filter((e) => e === 'derive')).toHaveLength(5);
    expect(results.filter((r) => r.status === 'incorrect')).toHaveLength(4);
    for (const card of cards) {
      expect(await card.verifyPin(PIN)).toEqual({ status: 'blocked' });
      expect((await card.pinStatus()).blocked).toBe(true);
    }
    expect(events.filter((e) => e === 'derive')).toHaveLength(5);
  });

  it('a stale object sees what another spent, and cannot write its old counter back', async () => {
    const shared = new MemoryStore();
    await physicalCard(shared);
    const { crypto } = tracingCrypto([]);
    const stale = await openPhysical(viewOf(shared), crypto);
    const other = await openPhysical(viewOf(shared), crypto);
    expect((await stale.pinStatus()).attemptsRemaining).toBe(5);
    for (const _ of range(4)) await other.verifyPin('wrong-PIN');
    expect((await stale.pinStatus()).attemptsRemaining).toBe(1);
    expect(await stale.verifyPin('wrong-PIN')).toEqual({ status: 'blocked' });
    expect(await other.verifyPin(PIN)).toEqual({ status: 'blocked' });
    // The PUK unblocks it for every object; a right PIN through one resets it for all.
    expect(await other.unblockPin('27182818', 'Zx9!vB3n')).toEqual({ status: 'unblocked' });
    expect(await stale.verifyPin('Zx9!vB3n')).toMatchObject({ status: 'verified' });
  });

  it('keeps container changes made through another object', async () => {
    const shared = new MemoryStore();
    await physicalCard(shared);
    const { crypto } = tracingCrypto([]);
    const a = await openPhysical(viewOf(shared), crypto);
    const b = await openPhysical(viewOf(shared), crypto);
    await a.verifyPin(PIN);
    await b.verifyPin(PIN);
    const key = await a.generateKeyPair({ algorithm: 'ECDSA-P256' });
    await b.verifyPin('wrong-PIN'); // written over a's new container, not over the old state
    expect((await b.containers()).map((c) => c.name)).toEqual([key.name]);
    const reopened = await openPhysical(viewOf(shared), crypto);
    expect((await reopened.containers()).map((c) => c.name)).toEqual([key.name]);
    expect((await reopened.pinStatus()).attemptsRemaining).toBe(4);
  });

  it('refuses a store without swap() for a card', async () => {
    const shared = new MemoryStore();
    await physicalCard(shared);
    const { swap: _, ...noSwap } = viewOf(shared);
    expect(await codeOf(PhysicalSmartCard.open(noSwap as CardStore, SERIAL))).toBe(
      'ERR_INVALID_INPUT',
    );
    expect(
      await codeOf(PhysicalSmartCard.create({ serial: 'OTHER', store: noSwap as CardStore })),
    ).toBe('ERR_INVALID_INPUT');
  });

  it('compares every PIN only after spending its attempt, however store calls interleave', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 2, max: 4 }),
        fc.array(
          fc.record({ object: fc.nat(3), op: fc.constantFrom('wrong-pin', 'wrong-puk', 'status') }),
          { minLength: 1, maxLength: 12 },
        ),
        async (s, objects, ops) => {
          const shared = new MemoryStore();
          await physicalCard(shared, 3);
          const events: string[] = [];
          const { crypto } = tracingCrypto(events);
          const scheduled = <A extends unknown[], T>(f: (...a: A) => Promise<T>) =>
            s.scheduleFunction(f);
          const cards = await s.waitFor(
            Promise.all(range(objects).map(() => openPhysical(viewOf(shared, scheduled), crypto))),
          );
          events.length = 0;
          const runs = ops.map(({ object, op }) => {
            const card = cards[object % objects] as PhysicalSmartCard;
            if (op === 'wrong-pin') return card.verifyPin('wrong-PIN');
            if (op === 'wrong-puk')
              return card.unblockPin('00000000', 'Zx9!vB3n').catch(() => 'refused');
            return card.pinStatus();
          });
          await s.waitFor(Promise.all(runs));
          const first = cards[0] as PhysicalSmartCard;
          const status = await s.waitFor(first.pinStatus());
          const compares = events.filter((e) => e === 'derive').length;
          const spent =
            3 - status.attemptsRemaining + (2 - (status.unblock[0]?.attemptsRemaining ?? 2));
          // Every comparison spent an attempt first, and no attempt was spent twice.
          expect(compares).toBe(spent);
          const wrongPins = ops.filter((o) => o.op === 'wrong-pin').length;
          expect(status.attemptsRemaining).toBe(Math.max(0, 3 - wrongPins));
          for (const card of cards) {
            expect(await s.waitFor(card.pinStatus())).toEqual(status);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('many objects over one virtual card', () => {
  it('six objects, each with its own FileStore and TPM object on one directory, compare 5 wrong PINs in all', async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    const store = await FileStore.open(dir.path);
    const tpm = await SoftwareTpm.create({ store, antiHammering: { failureThreshold: 1000 } });
    await VirtualSmartCard.create({ tpm, store, serial: SERIAL, pin: PIN, pinHashIterations: 1 });
    const events: string[] = [];
    const { crypto } = tracingCrypto(events);
    const cards = await Promise.all(
      range(6).map(async () => {
        const own = new FileStore(dir.path);
        return VirtualSmartCard.open(await SoftwareTpm.open(own, tpm.deviceId), own, SERIAL, {
          crypto,
        });
      }),
    );
    events.length = 0;
    await Promise.all(cards.flatMap((card) => range(3).map(() => card.verifyPin('wrong-PIN'))));
    expect(events.filter((e) => e === 'derive')).toHaveLength(5);
    for (const card of cards) expect(await card.verifyPin(PIN)).toEqual({ status: 'blocked' });
  });

  it('the TPM seals a state only over the version its NV counter holds', async () => {
    const tpm = await SoftwareTpm.create();
    const sealing = tpmCardSealing.get(tpm);
    const context = 'smartcard-2fa virtual card X';
    const first = await sealing.seal(context, new Uint8Array([1]), undefined);
    if (first === undefined) throw new Error('a new card must seal');
    await sealing.advance(context, first.version);
    const next = await sealing.seal(context, new Uint8Array([2]), first.version);
    if (next === undefined) throw new Error('the state loaded may be followed');
    await sealing.advance(context, next.version);
    // An object that loaded the first version is stale now: nothing is sealed for it.
    expect(await sealing.seal(context, new Uint8Array([3]), first.version)).toBeUndefined();
  });
});

describe('many TPM objects over one TPM store', () => {
  it('add up their failures instead of saving over each other', async () => {
    const shared = new MemoryStore();
    const tpm = await SoftwareTpm.create({
      store: shared,
      antiHammering: { failureThreshold: 50 },
    });
    const a = await SoftwareTpm.open(viewOf(shared), tpm.deviceId);
    const b = await SoftwareTpm.open(viewOf(shared), tpm.deviceId);
    const fail = async () => ({ failed: true, value: undefined });
    await Promise.all([
      ...range(3).map(() => a.authorize(fail)),
      ...range(2).map(() => b.authorize(fail)),
    ]);
    const fresh = await SoftwareTpm.open(viewOf(shared), tpm.deviceId);
    expect(fresh.lockout().failedTries).toBe(5);
    // A success takes back only its own failure.
    await a.authorize(async () => ({ failed: false, value: undefined }));
    expect((await SoftwareTpm.open(viewOf(shared), tpm.deviceId)).lockout().failedTries).toBe(5);
  });

  it('never let a stale TPM object put a card state counter back, so a rolled-back card stays refused', async () => {
    const shared = new MemoryStore();
    const tpm = await SoftwareTpm.create({
      store: shared,
      antiHammering: { failureThreshold: 50 },
    });
    const stale = await SoftwareTpm.open(viewOf(shared), tpm.deviceId);
    const card = await VirtualSmartCard.create({
      tpm,
      store: shared,
      serial: SERIAL,
      pin: PIN,
      pinHashIterations: 1,
    });
    const early = (await shared.load(`vsc-${SERIAL}`)) as Uint8Array;
    for (const _ of range(3)) await card.verifyPin('wrong-PIN');
    await stale.authorize(async () => ({ failed: true, value: undefined })); // saves its record
    await shared.save(`vsc-${SERIAL}`, early); // the attempts spent, put back by a copy
    const later = await SoftwareTpm.open(viewOf(shared), tpm.deviceId);
    expect(await codeOf(VirtualSmartCard.open(later, viewOf(shared), SERIAL))).toBe(
      'ERR_STATE_CORRUPT',
    );
  });
});

describe('many processes over one card', () => {
  const script = fileURLToPath(new URL('../support/hammer-card.ts', import.meta.url));

  async function hammer(dir: string, kind: string, deviceId: string) {
    const children = range(3).map(() =>
      run(process.execPath, ['--import', 'tsx', script, dir, kind, SERIAL, deviceId, '2', '3'], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
      }),
    );
    const outputs = await Promise.all(children);
    return outputs.map(
      ({ stdout }) => JSON.parse(stdout) as { compares: number; results: string[] },
    );
  }

  it('three processes with two objects each compare 5 wrong PINs in all on a physical card', {
    timeout: 60_000,
  }, async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    await physicalCard(await FileStore.open(dir.path));
    const outputs = await hammer(dir.path, 'physical', '-');
    expect(outputs.reduce((sum, o) => sum + o.compares, 0)).toBe(5);
    expect(outputs.flatMap((o) => o.results)).toHaveLength(18);
    const card = await openPhysical(new FileStore(dir.path), globalThis.crypto);
    expect(await card.verifyPin(PIN)).toEqual({ status: 'blocked' });
  });

  it('and on a virtual card, each process with its own TPM object', {
    timeout: 60_000,
  }, async () => {
    const dir = await tempDir();
    cleanups.push(dir.remove);
    const store = await FileStore.open(dir.path);
    const tpm = await SoftwareTpm.create({ store, antiHammering: { failureThreshold: 1000 } });
    await VirtualSmartCard.create({ tpm, store, serial: SERIAL, pin: PIN, pinHashIterations: 1 });
    const outputs = await hammer(dir.path, 'virtual', tpm.deviceId);
    expect(outputs.reduce((sum, o) => sum + o.compares, 0)).toBe(5);
    const own = new FileStore(dir.path);
    const card = await VirtualSmartCard.open(
      await SoftwareTpm.open(own, tpm.deviceId),
      own,
      SERIAL,
    );
    expect(await card.verifyPin(PIN)).toEqual({ status: 'blocked' });
  });
});
