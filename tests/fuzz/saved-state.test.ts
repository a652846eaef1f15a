import { beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryStore,
  PhysicalSmartCard,
  SimulatedReader,
  SoftwareTpm,
  VirtualSmartCard,
} from '../../src/card/index.js';
import { PinState } from '../../src/pin/index.js';
import { fixtureKeySource } from '../support/fixture-keys.js';
import { mutate, Outcomes, Random } from './support/mutate.js';
import { mutateRecord } from './support/records.js';

/**
 * Saved state is bytes anyone with the store can write: `PinState.restore`, the cards' `open`
 * and `SoftwareTpm.open` refuse any change with typed errors (`ERR_STATE_CORRUPT` and the like),
 * never a plain `TypeError`. Records are changed field by field with their unkeyed integrity
 * tags made right again (so the checks behind the tag run), or byte by byte; fixed seeds.
 */
const decoder = new TextDecoder();
const encoder = new TextEncoder();
let pinRecord: string;
let cardBytes: Uint8Array;
let tpmBytes: Uint8Array;
let tpm: SoftwareTpm;
let sealedBytes: Uint8Array;

beforeAll(async () => {
  const options = { pinHashIterations: 1, keySource: fixtureKeySource };
  const store = new MemoryStore();
  const card = await PhysicalSmartCard.create({
    ...options,
    store,
    serial: 'FUZZ-1',
    puk: 'puk-123456',
  });
  new SimulatedReader().insert(card);
  await card.verifyPin('12345678');
  await card.generateKeyPair({ algorithm: 'ECDSA-P256', keySpec: 'signature' });
  tpm = await SoftwareTpm.create({ store });
  await VirtualSmartCard.create({ ...options, tpm, store, serial: 'FUZZ-2' });
  const state = await PinState.create({
    iterations: 1,
    unblock: { kind: 'puk', value: 'puk-123456' },
  });
  pinRecord = JSON.stringify(await state.toRecord());
  cardBytes = (await store.load('card-FUZZ-1')) as Uint8Array;
  tpmBytes = (await store.load(`tpm-${tpm.deviceId}`)) as Uint8Array;
  sealedBytes = (await store.load('vsc-FUZZ-2')) as Uint8Array;
});

/** A record changed field by field (three times in four) or byte by byte. */
async function changed(text: string, random: Random): Promise<{ text: string; how: string }> {
  if (random.below(4) !== 0) return mutateRecord(text, random);
  const { bytes, how } = mutate(encoder.encode(text), random);
  return { text: decoder.decode(bytes), how };
}

describe('fuzz: saved state is refused with SmartCardErrors only', () => {
  it('PinState.restore with changed records (the object or its JSON text)', async () => {
    const random = new Random(0x5eed_0201);
    const outcomes = new Outcomes();
    for (let i = 0; i < 300; i++) {
      const { text, how } = await changed(pinRecord, random);
      const asText = random.below(3) === 0;
      let record: unknown = text;
      if (!asText) {
        try {
          record = JSON.parse(text);
        } catch {
          record = text;
        }
      }
      await outcomes.run(`#${i} (${how})`, () => PinState.restore(record));
    }
    expect(outcomes.untyped).toEqual([]);
    expect(outcomes.typed).toBeGreaterThan(200);
  });

  it('PhysicalSmartCard.open and SoftwareTpm.open with changed records', async () => {
    const random = new Random(0x5eed_0202);
    const outcomes = new Outcomes();
    for (let i = 0; i < 240; i++) {
      const store = new MemoryStore();
      if (random.below(2) === 0) {
        const { text, how } = await changed(decoder.decode(cardBytes), random);
        await store.save('card-FUZZ-1', encoder.encode(text));
        await outcomes.run(`#${i} card (${how})`, () => PhysicalSmartCard.open(store, 'FUZZ-1'));
      } else {
        const { text, how } = await changed(decoder.decode(tpmBytes), random);
        await store.save(`tpm-${tpm.deviceId}`, encoder.encode(text));
        await outcomes.run(`#${i} TPM (${how})`, () => SoftwareTpm.open(store, tpm.deviceId));
      }
    }
    expect(outcomes.untyped).toEqual([]);
  });

  it('VirtualSmartCard.open with a changed sealed state', async () => {
    const random = new Random(0x5eed_0203);
    const outcomes = new Outcomes();
    for (let i = 0; i < 80; i++) {
      const store = new MemoryStore();
      await store.save(`tpm-${tpm.deviceId}`, tpmBytes);
      const { bytes, how } = mutate(sealedBytes, random);
      await store.save('vsc-FUZZ-2', bytes);
      const own = await SoftwareTpm.open(store, tpm.deviceId);
      await outcomes.run(`#${i} (${how})`, () => VirtualSmartCard.open(own, store, 'FUZZ-2'));
    }
    expect(outcomes.untyped).toEqual([]);
    expect(outcomes.typed).toBe(80);
  });
});
