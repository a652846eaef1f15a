import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANTI_HAMMERING } from '../../../src/card/tpm/options.js';
import { SoftwareTpm, tpmCardSealing } from '../../../src/card/tpm/software-tpm.js';
import { codeOf, codeOfSync } from '../../support/errors.js';
import { attempts, FakeClock, newTpm, RecordingStore } from './helpers.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe('a new SoftwareTpm', () => {
  it('has a 32-hex-digit device id and is saved under tpm-<deviceId>', async () => {
    const { tpm, store } = await newTpm();
    expect(tpm.deviceId).toMatch(/^[0-9a-f]{32}$/);
    expect(await store.names()).toEqual([`tpm-${tpm.deviceId}`]);
    const record = await store.record(tpm.deviceId);
    expect(record).toMatchObject({
      format: 'smartcard-2fa/software-tpm',
      version: 1,
      deviceId: tpm.deviceId,
      antiHammering: { ...DEFAULT_ANTI_HAMMERING },
      lockout: { failedTries: 0, lastFailureAt: null, lockoutMs: 0 },
    });
  });

  it('is a new device each time', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await SoftwareTpm.create()).deviceId);
    expect(ids.size).toBe(5);
  });

  it('works without a store', async () => {
    const tpm = await SoftwareTpm.create();
    expect(text(await tpm.unseal(await tpm.seal(bytes('x'), 'ctx'), 'ctx'))).toBe('x');
    expect(await tpm.authorize(attempts().right)).toBe('verified');
  });

  it('uses the Windows example policy by default, and merges given values onto it', async () => {
    expect((await SoftwareTpm.create()).antiHammering).toEqual({
      failureThreshold: 9,
      lockoutMs: 10_000,
      maxLockoutMs: 24 * 60 * 60 * 1000,
      recoveryMs: 2 * 60 * 60 * 1000,
    });
    const tpm = await SoftwareTpm.create({ antiHammering: { failureThreshold: 3 } });
    expect(tpm.antiHammering).toEqual({ ...DEFAULT_ANTI_HAMMERING, failureThreshold: 3 });
  });

  it.each([
    ['a store without save()', { store: { load: async () => undefined } }],
    ['a store that is a string', { store: 'memory' }],
    ['a clock without now()', { clock: {} }],
    ['a clock that is a function', { clock: () => 0 }],
    ['antiHammering that is not an object', { antiHammering: 9 }],
    ['an unknown anti-hammering option', { antiHammering: { threshold: 9 } }],
    ['a zero threshold', { antiHammering: { failureThreshold: 0 } }],
    ['a fractional threshold', { antiHammering: { failureThreshold: 2.5 } }],
    ['a huge threshold', { antiHammering: { failureThreshold: 1e6 } }],
    ['a string lockout', { antiHammering: { lockoutMs: '10s' } }],
    ['a zero lockout', { antiHammering: { lockoutMs: 0 } }],
    ['a negative recovery', { antiHammering: { recoveryMs: -1 } }],
    ['an infinite recovery', { antiHammering: { recoveryMs: Number.POSITIVE_INFINITY } }],
    ['a maximum below the lockout', { antiHammering: { lockoutMs: 5000, maxLockoutMs: 4000 } }],
  ])('refuses %s with ERR_INVALID_INPUT and saves nothing', async (_, options) => {
    const store = new RecordingStore();
    const created = SoftwareTpm.create({
      store,
      ...(options as object),
    } as Parameters<typeof SoftwareTpm.create>[0]);
    expect(await codeOf(created)).toBe('ERR_INVALID_INPUT');
    expect(store.events).toEqual([]);
  });

  it('refuses options that are not an object with ERR_INVALID_INPUT', async () => {
    for (const options of ['fast', 42, null, [1]]) {
      expect(await codeOf(SoftwareTpm.create(options as never))).toBe('ERR_INVALID_INPUT');
    }
  });

  it('fails with ERR_STORAGE when the store cannot save it', async () => {
    const store = new RecordingStore();
    store.failSaves = true;
    expect(await codeOf(SoftwareTpm.create({ store }))).toBe('ERR_STORAGE');
  });
});

describe('seal and unseal', () => {
  it('round-trip data of any size, with a fresh IV each time', async () => {
    const { tpm } = await newTpm();
    for (const size of [0, 1, 15, 16, 17, 1000, 70_000]) {
      const data = new Uint8Array(size).map((_, i) => (i * 31) & 255);
      const blob = await tpm.seal(data, 'card-0042');
      expect(await tpm.unseal(blob, 'card-0042')).toEqual(data);
    }
    const a = await tpm.seal(bytes('same'), 'c');
    const b = await tpm.seal(bytes('same'), 'c');
    expect(a).not.toEqual(b);
  });

  it('keep their own copy of the input', async () => {
    const { tpm } = await newTpm();
    const data = bytes('state');
    const sealing = tpm.seal(data, 'c');
    data.fill(0);
    expect(text(await tpm.unseal(await sealing, 'c'))).toBe('state');
  });

  it("refuse another device's blob with ERR_DEVICE_MISMATCH, both ways", async () => {
    const one = (await newTpm()).tpm;
    const two = (await newTpm()).tpm;
    const fromOne = await one.seal(bytes('card state'), 'card');
    const fromTwo = await two.seal(bytes('card state'), 'card');
    expect(await codeOf(two.unseal(fromOne, 'card'))).toBe('ERR_DEVICE_MISMATCH');
    expect(await codeOf(one.unseal(fromTwo, 'card'))).toBe('ERR_DEVICE_MISMATCH');
  });

  it('refuse a blob with any bit flipped anywhere with ERR_STATE_CORRUPT', async () => {
    const { tpm } = await newTpm();
    const blob = await tpm.seal(bytes('a virtual card state'), 'card');
    for (let i = 0; i < blob.length; i++) {
      for (const bit of [0x01, 0x80, 1 << (i % 8)]) {
        const flipped = blob.slice();
        flipped[i] = (flipped[i] ?? 0) ^ bit;
        expect(await codeOf(tpm.unseal(flipped, 'card')), `byte ${i}`).toBe('ERR_STATE_CORRUPT');
      }
    }
  });

  it('refuse a truncated or extended blob with ERR_STATE_CORRUPT', async () => {
    const { tpm } = await newTpm();
    const blob = await tpm.seal(bytes('a virtual card state'), 'card');
    for (let n = 0; n < blob.length; n++) {
      expect(await codeOf(tpm.unseal(blob.slice(0, n), 'card')), `length ${n}`).toBe(
        'ERR_STATE_CORRUPT',
      );
    }
    const longer = new Uint8Array([...blob, 0]);
    expect(await codeOf(tpm.unseal(longer, 'card'))).toBe('ERR_STATE_CORRUPT');
  });

  it('refuse another context with ERR_STATE_CORRUPT', async () => {
    const { tpm } = await newTpm();
    const blob = await tpm.seal(bytes('x'), 'card-1');
    for (const context of ['card-2', 'Card-1', 'card-1 ', 'card-']) {
      expect(await codeOf(tpm.unseal(blob, context)), context).toBe('ERR_STATE_CORRUPT');
    }
  });

  it.each([
    ['an empty context', ''],
    ['a context that is not a string', 42],
    ['a long context', 'x'.repeat(257)],
    ['a context with a lone surrogate', 'card-\uD800'],
  ])('refuse %s with ERR_INVALID_INPUT', async (_, context) => {
    const { tpm } = await newTpm();
    const blob = await tpm.seal(bytes('x'), 'ctx');
    expect(await codeOf(tpm.seal(bytes('x'), context as string))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(tpm.unseal(blob, context as string))).toBe('ERR_INVALID_INPUT');
  });

  it('refuse data or blobs that are not bytes with ERR_INVALID_INPUT', async () => {
    const { tpm } = await newTpm();
    for (const value of ['hello', [1, 2, 3], null, new ArrayBuffer(4)]) {
      expect(await codeOf(tpm.seal(value as never, 'c'))).toBe('ERR_INVALID_INPUT');
      expect(await codeOf(tpm.unseal(value as never, 'c'))).toBe('ERR_INVALID_INPUT');
    }
  });
});

describe('a disabled TPM', () => {
  it('refuses seal, unseal, authorize and clearLockout with ERR_TPM_UNAVAILABLE', async () => {
    const { tpm, store } = await newTpm();
    const blob = await tpm.seal(bytes('x'), 'c');
    const { right, runs } = attempts();
    tpm.disable();
    expect(tpm.enabled).toBe(false);
    expect(await codeOf(tpm.seal(bytes('x'), 'c'))).toBe('ERR_TPM_UNAVAILABLE');
    expect(await codeOf(tpm.unseal(blob, 'c'))).toBe('ERR_TPM_UNAVAILABLE');
    expect(await codeOf(tpm.authorize(right))).toBe('ERR_TPM_UNAVAILABLE');
    expect(await codeOf(tpm.clearLockout())).toBe('ERR_TPM_UNAVAILABLE');
    expect(runs()).toBe(0);
    expect(store.events).toEqual([]);
    expect(tpm.lockout()).toEqual({ failedTries: 0, lockedOut: false, retryAfterMs: 0 });

    tpm.enable();
    expect(text(await tpm.unseal(blob, 'c'))).toBe('x');
    expect(await tpm.authorize(right)).toBe('verified');
  });
});

describe('secrets', () => {
  it('are not in toString, JSON or inspection', async () => {
    const { tpm, store } = await newTpm();
    const { seed } = await store.record(tpm.deviceId);
    expect(String(tpm)).toBe(`SoftwareTpm(${tpm.deviceId})`);
    for (const shown of [String(tpm), JSON.stringify(tpm), inspect(tpm, { depth: 10 })]) {
      expect(shown).not.toContain(seed);
    }
    expect(Object.keys(tpm)).toEqual([]);
  });

  it('makes the storage key non-extractable, for encryption only', async () => {
    const imports: { format: string; extractable: boolean; usages: string[] }[] = [];
    const real = globalThis.crypto;
    const subtle = new Proxy(real.subtle, {
      get(target, name) {
        const value = Reflect.get(target, name, target);
        if (name !== 'importKey') return typeof value === 'function' ? value.bind(target) : value;
        return (...args: Parameters<SubtleCrypto['importKey']>) => {
          imports.push({ format: args[0], extractable: args[3], usages: [...args[4]] });
          return target.importKey(...args);
        };
      },
    });
    const crypto = { subtle, getRandomValues: real.getRandomValues.bind(real) } as Crypto;
    const tpm = await SoftwareTpm.create({ crypto, clock: new FakeClock() });
    await tpm.seal(new Uint8Array(1), 'c');
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.every((i) => !i.extractable)).toBe(true);
    expect(imports.at(-1)?.usages.sort()).toEqual(['decrypt', 'encrypt']);
  });
});

describe("a SoftwareTpm's card-state sealing", () => {
  it('is reached through its internal slot, only for TPMs the class made, and set once', async () => {
    const { tpm } = await newTpm();
    const sealing = tpmCardSealing.get(tpm);
    const sealed = await sealing.seal('card-1', bytes('state'), undefined);
    expect(sealed?.version).toBe(1);
    const lookAlike = Object.create(SoftwareTpm.prototype) as SoftwareTpm;
    expect(codeOfSync(() => tpmCardSealing.get(lookAlike))).toBe('ERR_INVALID_INPUT');
    expect(codeOfSync(() => tpmCardSealing.set(tpm, sealing))).toBe('ERR_INVALID_INPUT');
  });
});
