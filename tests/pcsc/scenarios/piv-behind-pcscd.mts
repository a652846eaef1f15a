/**
 * Inside the stack's namespaces: an EmulatedPivCard inserted into vpcd, a PcscReader that finds
 * it through pcscd, a few PIN operations, then the card taken out. Prints JSON lines:
 * `{"step":...}`.
 */
import { PivSmartCard } from '../../../src/card/index.js';
import { PcscReader } from '../../../src/pcsc/pcsc-reader.js';
import { insertIntoVpcd } from '../../../src/pcsc/vpcd-card-link.js';
import { EmulatedPivCard } from '../../../src/testing/index.js';

const port = Number(process.argv[2] ?? 20123);
/** `first`: the card is in the reader before the PcscReader opens; `later`: after. */
const order = process.argv[3] ?? 'later';
const say = (record: object) => process.stdout.write(`${JSON.stringify(record)}\n`);

const emulated = await EmulatedPivCard.create({ serial: 12345678 });
const early = order === 'first' ? await insertIntoVpcd(emulated, { port }) : undefined;
if (early !== undefined) await new Promise((resolve) => setTimeout(resolve, 1500)); // pcscd polls
const reader = await PcscReader.open({ name: 'test' });
say({ step: 'open', readers: reader.readers, card: reader.card !== null });
const removedEvent = new Promise<void>((resolve) => reader.on('removed', () => resolve()));
const inserted = early ?? (await insertIntoVpcd(emulated, { port }));
const card = await reader.waitForCard({ timeout: 15_000 });
if (!(card instanceof PivSmartCard)) throw new Error('no PIV card seen');
say({ step: 'inserted', id: card.id, status: await card.pinStatus() });
say({ step: 'wrong-pin', result: await card.verifyPin('654321') });
say({ step: 'status', status: await card.pinStatus() });
say({ step: 'right-pin', result: await card.verifyPin('123456') });
await inserted.remove();
await removedEvent;
const after = await card.pinStatus().then(
  () => 'answered',
  (error: { code?: string }) => error.code,
);
say({ step: 'removed', card: reader.card !== null, after });
await reader.close();
process.exit(0);
