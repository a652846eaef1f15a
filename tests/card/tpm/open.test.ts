import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/card/storage/card-store.js';
import { DEFAULT_ANTI_HAMMERING } from '../../../src/card/tpm/options.js';
import { SoftwareTpm } from '../../../src/card/tpm/software-tpm.js';
import { toBase64 } from '../../../src/lib/bytes.js';
import { canonicalJson } from '../../../src/lib/canonical-json.js';
import { codeOf } from '../../support/errors.js';
import { newTpm } from './helpers.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe('SoftwareTpm.open', () => {
  it('gives back the same device, which opens blobs sealed before', async () => {
    const { tpm, store } = await newTpm();
    const blob = await tpm.seal(bytes('card state'), 'card');
    const again = await SoftwareTpm.open(store, tpm.deviceId);
    expect(again.deviceId).toBe(tpm.deviceId);
    expect(text(await again.unseal(blob, 'card'))).toBe('card state');
    expect(text(await tpm.unseal(await again.seal(bytes('new'), 'card'), 'card'))).toBe('new');
  });

  it('keeps the anti-hammering policy it was created with', async () => {
    const antiHammering = { failureThreshold: 4, lockoutMs: 1000, recoveryMs: 60_000 };
    const { tpm, store } = await newTpm({ antiHammering });
    const again = await SoftwareTpm.open(store, tpm.deviceId);
    expect(again.antiHammering).toEqual({ ...DEFAULT_ANTI_HAMMERING, ...antiHammering });
  });

  it('fails with ERR_TPM_UNAVAILABLE when the store has no such TPM', async () => {
    const { tpm } = await newTpm();
    const empty = new MemoryStore();
    expect(await codeOf(SoftwareTpm.open(empty, tpm.deviceId))).toBe('ERR_TPM_UNAVAILABLE');
  });

  it.each([
    ['a device id that is not hex', 'not-a-device'],
    ['an upper-case device id', 'ABCDEF0123456789ABCDEF0123456789'],
    ['a number', 42],
  ])('refuses %s with ERR_INVALID_INPUT', async (_, deviceId) => {
    const store = new MemoryStore();
    expect(await codeOf(SoftwareTpm.open(store, deviceId as string))).toBe('ERR_INVALID_INPUT');
  });

  it('refuses a store that is not one, and bad options, with ERR_INVALID_INPUT', async () => {
    const { tpm, store } = await newTpm();
    const id = tpm.deviceId;
    expect(await codeOf(SoftwareTpm.open({} as MemoryStore, id))).toBe('ERR_INVALID_INPUT');
    const badClock = { clock: { now: 5 } } as never;
    expect(await codeOf(SoftwareTpm.open(store, id, badClock))).toBe('ERR_INVALID_INPUT');
  });

  it('fails with ERR_STORAGE when the store cannot be read', async () => {
    const { tpm, store } = await newTpm();
    store.failLoads = true;
    expect(await codeOf(SoftwareTpm.open(store, tpm.deviceId))).toBe('ERR_STORAGE');
  });

  it('refuses a damaged record with ERR_STATE_CORRUPT, byte by byte', async () => {
    const { tpm, store } = await newTpm();
    const name = `tpm-${tpm.deviceId}`;
    const saved = (await store.load(name)) as Uint8Array;
    for (let i = 0; i < saved.length; i += 3) {
      const damaged = saved.slice();
      damaged[i] = (damaged[i] ?? 0) ^ 0x04;
      await store.save(name, damaged);
      expect(await codeOf(SoftwareTpm.open(store, tpm.deviceId)), `byte ${i}`).toBe(
        'ERR_STATE_CORRUPT',
      );
    }
    for (const n of [0, 1, saved.length >> 1, saved.length - 1]) {
      await store.save(name, saved.slice(0, n));
      expect(await codeOf(SoftwareTpm.open(store, tpm.deviceId)), `length ${n}`).toBe(
        'ERR_STATE_CORRUPT',
      );
    }
  });

  it('refuses records that were edited and re-tagged, or are of another device', async () => {
    const { tpm, store } = await newTpm();
    const other = await newTpm();
    const record = await store.record(tpm.deviceId);
    const name = `tpm-${tpm.deviceId}`;
    const retagged = async (edit: Record<string, unknown>) => {
      const { integrity: _, ...body } = { ...record, ...edit };
      const digest = await crypto.subtle.digest('SHA-256', bytes(canonicalJson(body)));
      const tag = toBase64(new Uint8Array(digest));
      return bytes(canonicalJson({ ...body, integrity: { algorithm: 'SHA-256', tag } }));
    };
    const otherSeed = (await other.store.record(other.tpm.deviceId)).seed;
    const cases: Record<string, unknown>[] = [
      { seed: otherSeed },
      { deviceId: other.tpm.deviceId },
      { version: 2 },
      { format: 'something-else' },
      { lockout: { failedTries: -1, lastFailureAt: null, lockoutMs: 0 } },
      { lockout: { failedTries: 2, lastFailureAt: null, lockoutMs: 0 } },
      { lockout: { failedTries: 0, lastFailureAt: null, lockoutMs: 1e12 } },
      { antiHammering: { ...record.antiHammering, failureThreshold: 0 } },
      { seed: 'AAAA' },
    ];
    for (const edit of cases) {
      await store.save(name, await retagged(edit));
      expect(await codeOf(SoftwareTpm.open(store, tpm.deviceId)), canonicalJson(edit)).toBe(
        'ERR_STATE_CORRUPT',
      );
    }
    // Another device's intact record copied under this name.
    const copied = await other.store.load(`tpm-${other.tpm.deviceId}`);
    await store.save(name, copied as Uint8Array);
    expect(await codeOf(SoftwareTpm.open(store, tpm.deviceId))).toBe('ERR_STATE_CORRUPT');
    // The untouched record still opens (the re-tagging above is faithful).
    await store.save(name, await retagged({}));
    expect((await SoftwareTpm.open(store, tpm.deviceId)).deviceId).toBe(tpm.deviceId);
  });
});
