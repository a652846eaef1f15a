/**
 * Inside the PC/SC stack's namespaces: the Kerberos test's PKI (the embedded CA and the KDC's
 * certificate, written to STATE_DIR), and Alice's emulated PIV card enrolled through the SDK
 * (enrollCard with PivSmartCard: an RSA-2048 key generated on the card in 9A, the request signed
 * by it, the certificate with her UPN and Smart Card Logon written to 9A), then inserted into
 * vpcd for kinit to use through OpenSC. Asked by JSON lines on stdin: `{"do":"status"}` (the SDK
 * reads the PIN's tries from the card), `{"do":"remove"}`. Prints JSON lines `{"step":...}`.
 * Arguments: vpcd's port, STATE_DIR.
 */
import { createInterface } from 'node:readline';
import { FACTORY_DEFAULTS } from '../../../src/card/piv/piv-constants.js';
import { MemoryStore } from '../../../src/card/storage/card-store.js';
import { EnrollmentBuilder, enrollCard } from '../../../src/enrollment/index.js';
import { insertIntoVpcd } from '../../../src/pcsc/vpcd-card-link.js';
import { EmulatedPivCard } from '../../../src/testing/index.js';
import { sdkOnSavedCard } from '../../pcsc/support/sdk-card.js';
import { ALICE, makeKdcPki } from '../support/kdc-pki.js';

const [portText = '20123', dir = '.'] = process.argv.slice(2);
const say = (record: object) => process.stdout.write(`${JSON.stringify(record)}\n`);
const serial = 27182818;
const store = new MemoryStore();
const managementKey = { algorithm: 'AES-192', key: FACTORY_DEFAULTS.managementKey } as const;

/** The SDK on the card as its store holds it now (a second object on the same card). */
const sdkCard = () => sdkOnSavedCard(store, serial, { managementKey });

const { ca } = await makeKdcPki(dir);
const emulated = await EmulatedPivCard.create({ serial, store });
const enrolled = await enrollCard({
  card: await sdkCard(),
  pin: FACTORY_DEFAULTS.pin,
  request: new EnrollmentBuilder()
    .template('SmartcardUser')
    .algorithm('RSA-2048')
    .keySpec('exchange')
    .upn(ALICE.upn)
    .email(ALICE.email),
  submit: (request) => ca.issue(request, { requester: ALICE.account }),
});
if (enrolled.status !== 'installed') throw new Error(`enrollment: ${enrolled.status}`);
const inserted = await insertIntoVpcd(emulated, { port: Number(portText) });
say({ step: 'inserted', container: enrolled.container, upn: enrolled.summary.upn });

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as { do: string };
  if (command.do === 'remove') break;
  try {
    if (command.do === 'status')
      say({ step: 'status', status: await (await sdkCard()).pinStatus() });
  } catch (error) {
    say({ step: 'error', do: command.do, message: String(error) });
  }
}
await inserted.remove();
say({ step: 'removed' });
process.exit(0);
