import { describe, expect, it } from 'vitest';
import {
  MemoryStore,
  PhysicalSmartCard,
  type PhysicalSmartCardOptions,
  SimulatedReader,
} from '../../../src/card/index.js';
import { smartCardContract } from '../../../src/testing/index.js';
import { codeOf } from '../../support/errors.js';
import { fixtureKeySource } from '../../support/fixture-keys.js';

const PIN = 'k7#Lm2pQ';
const PUK = '27182818';

async function insertedCard(options: PhysicalSmartCardOptions = {}) {
  const card = await PhysicalSmartCard.create({
    pin: PIN,
    mustChange: false,
    puk: PUK,
    pinHashIterations: 1,
    keySource: fixtureKeySource,
    ...options,
  });
  const reader = new SimulatedReader();
  reader.insert(card);
  return { card, reader };
}

describe('SmartCard contract: PhysicalSmartCard in a SimulatedReader', () => {
  const cases = smartCardContract({
    makeCard: async () => {
      const { card, reader } = await insertedCard();
      const removal = { remove: () => reader.remove(), insert: () => reader.insert(card) };
      return { card, pin: PIN, newPin: 'Zx9!vB3n', puk: PUK, removal };
    },
    kind: 'physical',
    maxAttempts: 5,
    algorithms: ['RSA-2048', 'ECDSA-P256', 'ECDSA-P384'],
    unblocks: true,
    removable: true,
  });
  for (const c of cases) it(c.name, c.run);
});

describe('PhysicalSmartCard', () => {
  it('has the Lync / Skype for Business defaults: PIN 12345678, changed on first use', async () => {
    const card = await PhysicalSmartCard.create({ pinHashIterations: 1 });
    new SimulatedReader().insert(card);
    expect(await card.info()).toMatchObject({
      kind: 'physical',
      blank: true,
      containers: { used: 0, max: 15 },
      pin: { attemptsRemaining: 5, mustChange: true, isDefault: true },
    });
    expect(await card.verifyPin('12345678')).toEqual({ status: 'verified', mustChange: true });
  });

  it('generates real keys when no fixture source is given', async () => {
    const card = await PhysicalSmartCard.create({ pin: PIN, pinHashIterations: 1 });
    new SimulatedReader().insert(card);
    await card.verifyPin(PIN);
    const ec = await card.generateKeyPair({ algorithm: 'ECDSA-P256' });
    const rsa = await card.generateKeyPair();
    expect([ec.algorithm, rsa.algorithm]).toEqual(['ECDSA-P256', 'RSA-2048']);
    expect(rsa.publicKey.length).toBe(294);
  });

  it('is full at maxContainers', async () => {
    const { card } = await insertedCard({ maxContainers: 2 });
    await card.verifyPin(PIN);
    await card.generateKeyPair();
    await card.generateKeyPair();
    expect(await codeOf(card.generateKeyPair())).toBe('ERR_CARD_FULL');
  });

  it('requirePinChange marks the PIN for a change on first use', async () => {
    const { card } = await insertedCard();
    expect(await codeOf(card.requirePinChange())).toBe('ERR_PIN_REQUIRED');
    await card.verifyPin(PIN);
    await card.requirePinChange();
    expect(await card.verifyPin(PIN)).toEqual({ status: 'verified', mustChange: true });
  });

  it('keeps its memory in a store: keys, certificates and the PIN counter', async () => {
    const store = new MemoryStore();
    const { card, reader } = await insertedCard({ store, serial: 'CARD-0001' });
    await card.verifyPin(PIN);
    const key = await card.generateKeyPair({ friendlyName: 'Smartcard Certificate' });
    await card.verifyPin('wrong-PIN');
    reader.remove();
    expect(await store.names()).toEqual(['card-CARD-0001']);
    const again = await PhysicalSmartCard.open(store, 'CARD-0001', { keySource: fixtureKeySource });
    reader.insert(again);
    expect(await again.containers()).toEqual([key]);
    expect((await again.pinStatus()).attemptsRemaining).toBe(4);
    await again.verifyPin(PIN);
    await again.sign(key.name, new Uint8Array([1, 2, 3]));
  });

  it('one object per card: open returns the open card, so attempts cannot be multiplied', async () => {
    const store = new MemoryStore();
    const { card } = await insertedCard({ store, serial: 'ONE' });
    const again = await PhysicalSmartCard.open(store, 'ONE');
    expect(again).toBe(card);
    expect(await codeOf(insertedCard({ store, serial: 'ONE' }))).toBe('ERR_INVALID_INPUT');
  });

  it('refuses saved state whose keys are damaged or swapped', async () => {
    const original = new MemoryStore();
    const { card } = await insertedCard({ store: original, serial: 'K1' });
    await card.verifyPin(PIN);
    await card.generateKeyPair();
    await card.generateKeyPair();
    const saved = JSON.parse(
      new TextDecoder().decode((await original.load('card-K1')) as Uint8Array),
    );
    type Saved = { serial: string; containers: { pkcs8: string; spki: string; name: string }[] };
    const edits: ((s: Saved) => void)[] = [
      (s) => {
        (s.containers[0] as Saved['containers'][0]).pkcs8 = 'AAAA';
      },
      (s) => {
        const [a, b] = s.containers as [Saved['containers'][0], Saved['containers'][0]];
        [a.spki, b.spki] = [b.spki, a.spki];
      },
      (s) => {
        (s.containers[0] as Saved['containers'][0]).name = '';
      },
      (s) => {
        s.serial = 'OTHER';
      },
    ];
    for (const edit of edits) {
      const copy = structuredClone(saved) as Saved;
      edit(copy);
      const store = new MemoryStore();
      await store.save('card-K1', new TextEncoder().encode(JSON.stringify(copy)));
      expect(await codeOf(PhysicalSmartCard.open(store, 'K1'))).toBe('ERR_STATE_CORRUPT');
    }
    const intact = new MemoryStore();
    await intact.save('card-K1', new TextEncoder().encode(JSON.stringify(saved)));
    expect((await PhysicalSmartCard.open(intact, 'K1')).id).toBe('K1');
  });

  it('refuses to open a card that is not saved, or saved state that is damaged', async () => {
    const store = new MemoryStore();
    expect(await codeOf(PhysicalSmartCard.open(store, 'nope'))).toBe('ERR_INVALID_INPUT');
    const original = new MemoryStore();
    await insertedCard({ store: original, serial: 'X1' });
    const bytes = (await original.load('card-X1')) as Uint8Array;
    for (const damaged of [bytes.slice(0, bytes.length - 10), new Uint8Array([0xff, 0xfe])]) {
      await store.save('card-X1', damaged);
      expect(await codeOf(PhysicalSmartCard.open(store, 'X1'))).toBe('ERR_STATE_CORRUPT');
    }
    const text = new TextDecoder()
      .decode(bytes)
      .replace('"attemptsRemaining":5', '"attemptsRemaining":4');
    await store.save('card-X1', new TextEncoder().encode(text));
    expect(await codeOf(PhysicalSmartCard.open(store, 'X1'))).toBe('ERR_STATE_CORRUPT');
  });

  it.each<[string, PhysicalSmartCardOptions]>([
    ['a bad serial', { serial: '../etc' }],
    ['too many containers', { maxContainers: 1000 }],
    ['an empty label', { label: '' }],
    ['a trivial PIN', { pin: '11111111' }],
    ['a short PUK', { puk: '1' }],
  ])('refuses to be made with %s', async (_, options) => {
    expect(await codeOf(PhysicalSmartCard.create({ pinHashIterations: 1, ...options }))).toMatch(
      /^ERR_(INVALID_INPUT|PIN_POLICY)$/,
    );
  });

  it('toString names the card, never a secret', async () => {
    const { card } = await insertedCard({ serial: 'S-1' });
    expect(String(card)).toBe('physical smart card S-1');
  });
});
