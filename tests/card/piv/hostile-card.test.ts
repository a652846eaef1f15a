/**
 * A card that answers garbage: every response of the PIV test card has a chance of being mutated
 * (bytes flipped, cut, grown, or replaced), and whatever PivSmartCard does with it, it answers a
 * value or throws a SmartCardError: never a TypeError, RangeError or the APDU reader's own error.
 * Fixed seeds, a fixed number of runs.
 */
import { describe, expect, it } from 'vitest';
import { PivSmartCard } from '../../../src/card/index.js';
import { FACTORY_DEFAULTS } from '../../../src/card/piv/piv-constants.js';
import { utf8 } from '../../../src/lib/bytes.js';
import { certificateFor } from '../../../src/testing/contract/test-certificate.js';
import { EmulatedPivCard } from '../../../src/testing/piv/emulated-piv-card.js';
import { mutate, Outcomes, Random } from '../../fuzz/support/mutate.js';
import { FACTORY_MANAGEMENT_KEY } from './piv-support.js';

const RUNS = 150;

/** One response in `odds` mutated: the tree mutations of the fuzz kit, or random bytes. */
function hostile(emulated: EmulatedPivCard, random: Random, odds: number) {
  return {
    async transmit(command: Uint8Array): Promise<Uint8Array> {
      const answer = await emulated.transmit(command);
      if (random.below(odds) !== 0) return answer;
      return random.below(3) === 0 ? random.bytes(random.below(8)) : mutate(answer, random).bytes;
    },
  };
}

describe('PivSmartCard and a hostile card', () => {
  it('answers values or SmartCardErrors, whatever the card answers', {
    timeout: 60_000,
  }, async () => {
    const outcomes = new Outcomes();
    const crypto = globalThis.crypto;
    for (let run = 0; run < RUNS; run++) {
      const random = new Random(0x9a17 + run);
      const emulated = await EmulatedPivCard.create({ preset: 'factory' });
      let card: PivSmartCard | undefined;
      await outcomes.run(`run ${run}: open`, async () => {
        card = await PivSmartCard.open(hostile(emulated, random, 5), {
          managementKey: FACTORY_MANAGEMENT_KEY,
        });
      });
      if (card === undefined) continue;
      const piv = card;
      const names: string[] = [];
      const steps: [string, () => Promise<unknown>][] = [
        ['info', () => piv.info()],
        ['pinStatus', () => piv.pinStatus()],
        ['verifyPin', () => piv.verifyPin(FACTORY_DEFAULTS.pin)],
        [
          'generate P-256',
          async () => names.push((await piv.generateKeyPair({ algorithm: 'ECDSA-P256' })).name),
        ],
        ['generate RSA', async () => names.push((await piv.generateKeyPair()).name)],
        ['containers', () => piv.containers()],
        ['sign', () => Promise.all(names.map((name) => piv.sign(name, utf8('data'))))],
        ['decrypt', () => Promise.all(names.map((name) => piv.decrypt(name, new Uint8Array(256))))],
        [
          'install',
          async () => {
            const [first] = await piv.containers();
            if (first)
              await piv.installCertificate(
                first.name,
                await certificateFor(crypto, first.publicKey),
              );
          },
        ],
        ['certificate', () => Promise.all(names.map((name) => piv.certificate(name)))],
        ['delete', () => Promise.all(names.map((name) => piv.deleteContainer(name)))],
        ['logout', () => piv.logout()],
      ];
      for (const [label, step] of steps) await outcomes.run(`run ${run}: ${label}`, step);
    }
    expect(outcomes.untyped).toEqual([]);
    expect(outcomes.typed).toBeGreaterThan(0);
    expect(outcomes.answered).toBeGreaterThan(0);
  });
});
