import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HashName } from '../../src/card/contract/smart-card.js';
import { PhysicalSmartCard, SimulatedReader } from '../../src/card/index.js';
import { SmartCardError } from '../../src/index.js';

/**
 * Wycheproof's RSASSA-PKCS1-v1_5 signature-generation vectors (tests/conformance/data/): each
 * group's private key is imported onto an emulated card, and the card's signature of each message
 * must equal the vector byte for byte (PKCS#1 v1.5 signatures are deterministic).
 *
 * Deliberate divergences, checked below rather than skipped silently:
 * - SHA-224 groups: WebCrypto has no SHA-224, so a card cannot sign with it (8 cases).
 * - Public exponent 3 groups: a card holds only RSA keys with exponent 65537, as the keys it
 *   generates; importing one is refused with ERR_INVALID_INPUT (3 cases).
 */
interface Group {
  keySize: string;
  sha: string;
  privateKeyPkcs8: string;
  privateKey: { publicExponent: string };
  tests: { tcId: number; msg: string; sig: string; result: string }[];
}

const path = new URL('./data/wycheproof-rsa-pkcs1-2048-sig-gen.json', import.meta.url);
const suite = JSON.parse(readFileSync(path, 'utf8')) as {
  numberOfTests: number;
  testGroups: Group[];
};
const hex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));
const supported: readonly string[] = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];

describe('Wycheproof rsa_pkcs1_2048_sig_gen on an emulated card', () => {
  it('signs byte for byte as the vectors say', async () => {
    const card = await PhysicalSmartCard.create({
      pin: 'k7#Lm2pQ',
      pinHashIterations: 1,
      maxContainers: 16,
    });
    new SimulatedReader().insert(card);
    await card.verifyPin('k7#Lm2pQ');
    let compared = 0;
    let unsupportedHash = 0;
    let refusedKeys = 0;
    for (const group of suite.testGroups) {
      const pkcs8 = hex(group.privateKeyPkcs8);
      if (group.privateKey.publicExponent !== '010001') {
        const error = await card.importKeyPair(pkcs8).catch((e: unknown) => e);
        expect(SmartCardError.is(error, 'ERR_INVALID_INPUT')).toBe(true);
        refusedKeys += group.tests.length;
        continue;
      }
      if (!supported.includes(group.sha)) {
        unsupportedHash += group.tests.length;
        continue;
      }
      const key = await card.importKeyPair(pkcs8, { keySpec: 'signature' });
      for (const test of group.tests) {
        const signature = await card.sign(key.name, hex(test.msg), { hash: group.sha as HashName });
        expect(Buffer.from(signature).toString('hex'), `tcId ${test.tcId}`).toBe(test.sig);
        compared += 1;
      }
      await card.deleteContainer(key.name);
    }
    expect({ compared, unsupportedHash, refusedKeys }).toEqual({
      compared: 32,
      unsupportedHash: 8,
      refusedKeys: 3,
    });
    expect(compared + unsupportedHash + refusedKeys).toBe(suite.numberOfTests);
  });
});
