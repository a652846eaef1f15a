/**
 * Inside the stack's namespaces: an EmulatedPivCard (its state in a MemoryStore) inserted into
 * vpcd for real tools to use, and the SDK beside it on the same card, driven by JSON lines on
 * stdin: `{"do":"renew"}` (a new card in its place), `{"do":"setup"}` (keys and certificates through PivSmartCard: RSA-2048 in 9A, P-256 in
 * 9C), `{"do":"inspect","pin":...}` (the SDK reads the card's state from its store), `{"do":"remove"}`.
 * Prints JSON lines `{"step":...}`. Arguments: port, serial, `3des` or `aes` (management key),
 * trace name (the SDK's APDUs go to an artifact file, see ../support/apdu-trace.ts).
 */
import { createInterface } from 'node:readline';
import { FACTORY_DEFAULTS } from '../../../src/card/piv/piv-constants.js';
import { MemoryStore } from '../../../src/card/storage/card-store.js';
import { insertIntoVpcd } from '../../../src/pcsc/vpcd-card-link.js';
import { certificateFor } from '../../../src/testing/contract/test-certificate.js';
import { EmulatedPivCard } from '../../../src/testing/index.js';
import { apduTraceFile } from '../support/apdu-trace.js';
import { sdkOnSavedCard } from '../support/sdk-card.js';

const [portText = '20123', serialText = '12345678', keyKind = 'aes', traceName = 'card'] =
  process.argv.slice(2);
const firstSerial = Number(serialText);
const algorithm = keyKind === '3des' ? '3DES' : 'AES-192';
const managementKey = { algorithm, key: FACTORY_DEFAULTS.managementKey } as const;
const say = (record: object) => process.stdout.write(`${JSON.stringify(record)}\n`);
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const trace = apduTraceFile(traceName);

let store = new MemoryStore();
let serial = firstSerial;
let inserted = await insertCard();

/** A factory-fresh card with the current serial and store, put into vpcd's reader. */
async function insertCard() {
  const emulated = await EmulatedPivCard.create({ serial, store, managementKey: { algorithm } });
  return insertIntoVpcd(emulated, { port: Number(portText) });
}

/** Takes the card out and puts a new one in (serial + 1, a new store). */
async function renew(): Promise<void> {
  await inserted.remove();
  store = new MemoryStore();
  serial += 1;
  inserted = await insertCard();
  say({ step: 'renew', serial });
}

/** The SDK on the card as its store holds it now: a second object on the same store. */
const sdkCard = () => sdkOnSavedCard(store, serial, { managementKey, onApdu: trace.onApdu });

/** RSA-2048 in 9A and P-256 in 9C (the SDK fills 9A, 9D, 9E, 9C in turn), each certified. */
async function setup(): Promise<void> {
  trace.note('setup: keys in 9A and 9C with certificates');
  const card = await sdkCard();
  await card.verifyPin(FACTORY_DEFAULTS.pin);
  const authentication = await card.generateKeyPair({ container: 'authentication' });
  const fillers = [];
  for (const name of ['filler-9d', 'filler-9e']) {
    fillers.push(await card.generateKeyPair({ container: name, algorithm: 'ECDSA-P256' }));
  }
  const signature = await card.generateKeyPair({ container: 'signature', algorithm: 'ECDSA-P256' });
  for (const filler of fillers) await card.deleteContainer(filler.name);
  const certificates: Record<string, string> = {};
  for (const [slot, key] of [
    ['9a', authentication],
    ['9c', signature],
  ] as const) {
    const certificate = await certificateFor(crypto, key.publicKey, `PIV ${slot} test`);
    await card.installCertificate(key.name, certificate);
    certificates[slot] = base64(certificate);
  }
  await card.logout();
  say({ step: 'setup', certificates });
}

/** What the SDK reads from the card's store: PIN tries, containers, and the PIN checked. */
async function inspect(pin: string | undefined): Promise<void> {
  trace.note('inspect: the SDK reads the card');
  const card = await sdkCard();
  const status = await card.pinStatus();
  const containers = (await card.containers()).map(async (container) => ({
    name: container.name,
    algorithm: container.algorithm,
    hasCertificate: container.hasCertificate,
    certificate: container.hasCertificate
      ? base64((await card.certificate(container.name)) ?? new Uint8Array(0))
      : null,
  }));
  const verified = pin === undefined ? null : await card.verifyPin(pin);
  say({ step: 'inspect', status, containers: await Promise.all(containers), verified });
}

const commands = createInterface({ input: process.stdin });
say({ step: 'inserted', serial });
for await (const line of commands) {
  const command = JSON.parse(line) as { do: string; pin?: string };
  try {
    if (command.do === 'setup') await setup();
    else if (command.do === 'inspect') await inspect(command.pin);
    else if (command.do === 'renew') await renew();
    else if (command.do === 'remove') break;
  } catch (error) {
    say({ step: 'error', do: command.do, message: String(error) });
  }
}
await inserted.remove();
say({ step: 'removed', trace: trace.path });
process.exit(0);
