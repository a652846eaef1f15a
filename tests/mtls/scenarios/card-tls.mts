/**
 * Inside the PC/SC stack's namespaces: Alice's EmulatedPivCard, enrolled through the SDK (a P-256
 * key generated on the card in 9A, Smartcard Logon certificate from the tests' CA), put into
 * vpcd's reader; and examples/mtls-server.ts on 127.0.0.1 trusting that CA. A TLS client (curl
 * with OpenSSL's PKCS#11 engine over OpenSC) then signs the handshake on the card.
 *
 * Arguments: vpcd port, a folder for `alice.pem`, `ca.pem` and `openssl.cnf`. Prints JSON lines:
 * `{"step":"ready","port":...}`, one `{"step":"result",...}` per request, and on stdin
 * `{"do":"trace"}` the instruction bytes of the APDUs the card answered since `ready`
 * (`{"step":"trace","ins":[...]}`); `{"do":"stop"}` ends it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startMtlsServer } from '../../../examples/mtls-server.js';
import { FACTORY_DEFAULTS } from '../../../src/card/piv/piv-constants.js';
import { MemoryStore } from '../../../src/card/storage/card-store.js';
import { enrollCard } from '../../../src/enrollment/index.js';
import { insertIntoVpcd } from '../../../src/pcsc/vpcd-card-link.js';
import { EmulatedPivCard } from '../../../src/testing/index.js';
import { logonRequest } from '../../enrollment/support/alice-card.js';
import { sdkOnSavedCard } from '../../pcsc/support/sdk-card.js';
import { ALICE, makeCa, pem, serverCertificate } from '../support/pki.js';

const [vpcdPort = '20123', folder = '.'] = process.argv.slice(2);
const say = (record: object) => process.stdout.write(`${JSON.stringify(record)}\n`);

const store = new MemoryStore();
const serial = 17_000_017;
await EmulatedPivCard.create({ serial, store, managementKey: { algorithm: 'AES-192' } });
const ca = await makeCa();
const card = await sdkOnSavedCard(store, serial, {
  managementKey: { algorithm: 'AES-192', key: FACTORY_DEFAULTS.managementKey },
});
const enrolled = await enrollCard({
  card,
  pin: FACTORY_DEFAULTS.pin,
  request: logonRequest(ALICE.upn),
  submit: (request) => ca.issue(request, { requester: ALICE.account }),
});
if (enrolled.status !== 'installed') throw new Error(`enrollment ended ${enrolled.status}`);
await card.logout();

// The card as OpenSC sees it through pcscd: every instruction byte it answers is counted.
const instructions: number[] = [];
const reopened = await EmulatedPivCard.open({ store, serial });
const inserted = await insertIntoVpcd(
  {
    atr: reopened.atr,
    powerCycle: () => reopened.powerCycle(),
    async transmit(command) {
      instructions.push(command[1] ?? -1);
      return reopened.transmit(command);
    },
  },
  { port: Number(vpcdPort) },
);

const server = await startMtlsServer({
  ...serverCertificate(),
  verifier: {
    trustAnchors: [ca.root],
    intermediates: [ca.issuer],
    crls: async () => [await ca.crl(), await ca.rootCrl()],
    revocation: 'require',
  },
  onResult: (result) =>
    say(
      result.verified
        ? { step: 'result', verified: true, user: result.user.name }
        : { step: 'result', verified: false, reason: result.reason, detail: result.detail },
    ),
});
writeFileSync(join(folder, 'alice.pem'), pem('CERTIFICATE', enrolled.certificate));
writeFileSync(join(folder, 'ca.pem'), ca.pem.root);
instructions.length = 0;
say({ step: 'ready', port: server.port });

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as { do: string };
  if (command.do === 'trace') say({ step: 'trace', ins: instructions.splice(0) });
  else if (command.do === 'stop') break;
}
await server.close();
await inserted.remove();
process.exit(0);
