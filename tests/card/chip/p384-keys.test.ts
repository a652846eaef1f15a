/**
 * ECDSA P-384 keys on the emulated chip: generated and imported (PKCS#8 from WebCrypto), kept in
 * the card's saved state, and signing after the card is opened again; a P-521 key is refused.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, PhysicalSmartCard, SimulatedReader } from '../../../src/card/index.js';
import { fixtureKeySource } from '../../support/fixture-keys.js';

const PIN = 'k7#Lm2pQ';
const DATA = new TextEncoder().encode('challenge');

async function pkcs8Of(namedCurve: string): Promise<Uint8Array<ArrayBuffer>> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  return new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
}

async function verifies(spki: Uint8Array, signature: Uint8Array, hash: string): Promise<boolean> {
  const key = await crypto.subtle.importKey(
    'spki',
    new Uint8Array(spki),
    { name: 'ECDSA', namedCurve: 'P-384' },
    false,
    ['verify'],
  );
  return crypto.subtle.verify({ name: 'ECDSA', hash }, key, new Uint8Array(signature), DATA);
}

describe('PhysicalSmartCard: ECDSA-P384 keys', () => {
  it('generates and imports P-384 keys, keeps them in its store and signs with them', async () => {
    const store = new MemoryStore();
    const options = { pin: PIN, mustChange: false, pinHashIterations: 1 };
    const card = await PhysicalSmartCard.create({
      ...options,
      store,
      serial: 'P384',
      keySource: fixtureKeySource,
    });
    const reader = new SimulatedReader();
    reader.insert(card);
    await card.verifyPin(PIN);
    const generated = await card.generateKeyPair({ algorithm: 'ECDSA-P384', keySpec: 'signature' });
    const imported = await card.importKeyPair(await pkcs8Of('P-384'), { keySpec: 'signature' });
    expect(generated.algorithm).toBe('ECDSA-P384');
    expect(imported.algorithm).toBe('ECDSA-P384');
    reader.remove();

    const again = await PhysicalSmartCard.open(store, 'P384', { keySource: fixtureKeySource });
    reader.insert(again);
    expect(await again.containers()).toEqual([generated, imported]);
    await again.verifyPin(PIN);
    for (const key of [generated, imported]) {
      const signature = await again.sign(key.name, DATA, { hash: 'SHA-384' });
      expect(signature.length).toBe(96);
      expect(await verifies(key.publicKey, signature, 'SHA-384')).toBe(true);
      expect(await verifies(key.publicKey, await again.sign(key.name, DATA), 'SHA-256')).toBe(true);
    }
  });

  it('refuses to import a P-521 key', async () => {
    const card = await PhysicalSmartCard.create({
      pin: PIN,
      mustChange: false,
      pinHashIterations: 1,
    });
    new SimulatedReader().insert(card);
    await card.verifyPin(PIN);
    await expect(card.importKeyPair(await pkcs8Of('P-521'))).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: 'The private key is not a PKCS#8 RSA, P-256 or P-384 key.',
    });
  });
});
