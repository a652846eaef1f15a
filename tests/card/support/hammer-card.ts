/**
 * A child process for tests/card/chip/shared-card.test.ts: opens one saved card through several
 * `FileStore`s on its directory (several card objects in this process), tries a wrong PIN
 * `tries` times on each at once, and prints how many PINs it compared, as JSON.
 *
 * node --import tsx tests/card/support/hammer-card.ts <dir> <physical|virtual> <serial> <deviceId|-> <objects> <tries>
 */
import {
  PhysicalSmartCard,
  SimulatedReader,
  SoftwareTpm,
  VirtualSmartCard,
} from '../../../src/card/index.js';
import { FileStore } from '../../../src/node/index.js';
import { tracingCrypto } from '../../pin/helpers.js';

const [dir, kind, serial, deviceId, objects, tries] = process.argv.slice(2);
if (dir === undefined || serial === undefined || deviceId === undefined) {
  throw new Error('usage: hammer-card.ts <dir> <kind> <serial> <deviceId|-> <objects> <tries>');
}
const events: string[] = [];
const { crypto } = tracingCrypto(events);

async function open() {
  const store = new FileStore(dir as string);
  if (kind === 'physical') {
    const card = await PhysicalSmartCard.open(store, serial as string, { crypto });
    new SimulatedReader().insert(card);
    return card;
  }
  const tpm = await SoftwareTpm.open(store, deviceId as string, { crypto });
  return VirtualSmartCard.open(tpm, store, serial as string, { crypto });
}

const cards = await Promise.all(Array.from({ length: Number(objects) }, open));
events.length = 0;
const results = await Promise.all(
  cards.flatMap((card) =>
    Array.from({ length: Number(tries) }, () => card.verifyPin('wrong-PIN').then((r) => r.status)),
  ),
);
const compares = events.filter((event) => event === 'derive').length;
process.stdout.write(JSON.stringify({ compares, results }));
