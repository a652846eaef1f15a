import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  MemoryStore,
  PhysicalSmartCard,
  SimulatedReader,
  type SmartCard,
} from '../../../src/card/index.js';
import { certificateFor } from '../../support/certificate.js';
import { codeOf } from '../../support/errors.js';
import { fixtureKeySource, fixturePkcs8 } from '../../support/fixture-keys.js';

/**
 * Removal at every step of every operation: a card pulled out at any checkpoint of an
 * operation fails it with ERR_CARD_REMOVED and is, in memory and in its store, as it was
 * before the operation. The one deliberate exception: a PIN check whose attempt was already
 * written keeps it spent (a card losing power mid-check gives no free try).
 */
const PIN = 'k7#Lm2pQ';
const data = new Uint8Array([1, 2, 3]);

interface Fixture {
  card: PhysicalSmartCard;
  reader: SimulatedReader;
  store: MemoryStore;
  key: string;
  certificate: Uint8Array;
  spare: string;
}

/** The card, with its PIN blocked for `unblockPin` (only a blocked PIN can be unblocked). */
async function setUp(hook: (step: string) => void, name: string): Promise<Fixture> {
  const store = new MemoryStore();
  const card = await PhysicalSmartCard.create({
    serial: 'R-1',
    pin: PIN,
    mustChange: false,
    puk: '27182818',
    pinHashIterations: 1,
    keySource: fixtureKeySource,
    store,
    hooks: { checkpoint: hook },
  });
  const reader = new SimulatedReader();
  reader.insert(card);
  await card.verifyPin(PIN);
  const key = (await card.generateKeyPair()).name;
  const spare = (await card.generateKeyPair()).name;
  const certificate = await certificateFor((await card.containers())[0]?.publicKey as Uint8Array);
  if (name === 'unblockPin')
    while (!(await card.pinStatus()).blocked) await card.verifyPin('wrong-PIN');
  return { card, reader, store, key, certificate, spare };
}

async function snapshot(card: SmartCard) {
  const containers = await card.containers();
  return {
    containers,
    certificates: await Promise.all(containers.map((c) => card.certificate(c.name))),
    pin: await card.pinStatus(),
  };
}

const operations: [string, (f: Fixture) => Promise<unknown>][] = [
  ['verifyPin (right)', (f) => f.card.verifyPin(PIN)],
  ['verifyPin (wrong)', (f) => f.card.verifyPin('wrong-PIN')],
  ['changePin', (f) => f.card.changePin(PIN, 'Zx9!vB3n')],
  ['unblockPin', (f) => f.card.unblockPin('27182818', 'Zx9!vB3n')],
  ['requirePinChange', (f) => f.card.requirePinChange()],
  ['generateKeyPair', (f) => f.card.generateKeyPair({ algorithm: 'ECDSA-P256' })],
  ['importKeyPair', (f) => f.card.importKeyPair(fixturePkcs8('RSA-2048')[3] as Uint8Array)],
  ['sign', (f) => f.card.sign(f.key, data)],
  [
    'decrypt',
    async (f) => {
      const spki = (await f.card.containers())[0]?.publicKey as Uint8Array;
      const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
      const ciphertext = publicEncrypt(
        { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
        Buffer.from('secret'),
      );
      return f.card.decrypt(f.key, new Uint8Array(ciphertext));
    },
  ],
  ['installCertificate', (f) => f.card.installCertificate(f.key, f.certificate)],
  ['deleteContainer', (f) => f.card.deleteContainer(f.spare)],
  ['info', (f) => f.card.info()],
  ['containers', (f) => f.card.containers()],
  ['certificate', (f) => f.card.certificate(f.key)],
];

describe('removal at every step of every operation', () => {
  it.each(operations)('%s', async (name, operation) => {
    // First a clean run, to learn the steps this operation passes.
    const steps: string[] = [];
    let recording = false;
    const clean = await setUp((step) => {
      if (recording) steps.push(step);
    }, name);
    recording = true;
    await operation(clean);
    expect(steps.length, `${name} has checkpoints`).toBeGreaterThan(0);

    for (let k = 0; k < steps.length; k++) {
      let armed = false;
      let seen = 0;
      const f = await setUp(() => {
        if (armed && seen++ === k) f.reader.remove();
      }, name);
      const before = await snapshot(f.card);
      armed = true;
      const code = await codeOf(operation(f));
      armed = false;
      expect(code, `${name}, removed at ${steps[k]}`).toBe('ERR_CARD_REMOVED');
      f.reader.insert(f.card);
      const after = await snapshot(f.card);
      // The session ended with the removal.
      expect((await f.card.info()).pinVerified).toBe(false);
      const copy = new MemoryStore();
      await copy.save('card-R-1', (await f.store.load('card-R-1')) as Uint8Array);
      const reopened = await PhysicalSmartCard.open(copy, 'R-1');
      f.reader.remove();
      f.reader.insert(reopened);
      expect(await snapshot(reopened), 'the store holds what the card holds').toEqual(after);
      const spentOne =
        (before.pin.attemptsRemaining ?? 0) - (after.pin.attemptsRemaining ?? 0) === 1 &&
        (name.startsWith('verifyPin') || name === 'changePin');
      const spentUnblock =
        name === 'unblockPin' &&
        (before.pin.unblock[0]?.attemptsRemaining ?? 0) -
          (after.pin.unblock[0]?.attemptsRemaining ?? 0) ===
          1;
      if (spentOne || spentUnblock) {
        // The attempt was written before the card lost power: spent, never free, and nothing else.
        expect(after.containers).toEqual(before.containers);
        expect(after.certificates).toEqual(before.certificates);
        expect(after.pin.mustChange).toBe(before.pin.mustChange);
      } else {
        expect(after, `${name}, removed at ${steps[k]}`).toEqual(before);
      }
    }
  });
});
