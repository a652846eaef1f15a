/**
 * Inside the PC/SC stack's namespaces: Alice's emulated PIV card, enrolled by the SDK's
 * CertificateAuthority (a P-256 key generated on the card, template SmartcardLogon: Client
 * Authentication + Smart Card Logon, her UPN), put into vpcd's reader with the default PIN; and
 * examples/mtls-server.ts on 127.0.0.1, asking for a client certificate and checking the one it
 * gets with the SDK's ClientCertificateVerifier (path, the CA's CRLs required, Smart Card Logon
 * EKU, UPN). Every APDU the card answers through vpcd is written to an artifact trace.
 *
 * Arguments: vpcd port, HTTPS port, a folder with the server's `server.key` and `server.crt`
 * (written by the test). Prints JSON lines: `{"step":"ready","caPem":...}`, one
 * `{"step":"request",...}` per HTTPS request, `{"step":"status",...}` (the card's PIN tries, read
 * by the SDK from the card's store) when stdin says `{"do":"status"}`, and `{"step":"removed"}`
 * after `{"do":"remove"}`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startMtlsServer } from '../../../examples/mtls-server.js';
import { FACTORY_DEFAULTS } from '../../../src/card/piv/piv-constants.js';
import { MemoryStore } from '../../../src/card/storage/card-store.js';
import { CertificateAuthority, enrollCard } from '../../../src/enrollment/index.js';
import { insertIntoVpcd } from '../../../src/pcsc/vpcd-card-link.js';
import { EmulatedPivCard } from '../../../src/testing/index.js';
import { logonRequest } from '../../enrollment/support/alice-card.js';
import { apduTraceFile } from '../../pcsc/support/apdu-trace.js';
import { sdkOnSavedCard } from '../../pcsc/support/sdk-card.js';

const [vpcdPort = '20123', httpsPort = '8443', folder = '.'] = process.argv.slice(2);
const say = (record: object) => process.stdout.write(`${JSON.stringify(record)}\n`);
const ALICE = {
  account: 'CONTOSO\\alice',
  commonName: 'Alice Example',
  upn: 'alice@contoso.com',
} as const;

const store = new MemoryStore();
const serial = 17_171_717;
const managementKey = { algorithm: 'AES-192', key: FACTORY_DEFAULTS.managementKey } as const;
await EmulatedPivCard.create({
  serial,
  store,
  managementKey: { algorithm: 'AES-192' },
});

/** The SDK on the card through a second object on the same store. */
const sdkCard = () => sdkOnSavedCard(store, serial, { managementKey });

const ca = await CertificateAuthority.create({
  issuing: true,
  keyAlgorithm: 'ECDSA-P256',
  directory: [ALICE],
});
const enrolling = await sdkCard();
const enrolled = await enrollCard({
  card: enrolling,
  pin: FACTORY_DEFAULTS.pin,
  request: logonRequest(ALICE.upn),
  submit: (request) => ca.issue(request, { requester: ALICE.account }),
});
if (enrolled.status !== 'installed') throw new Error(`enrollment: ${enrolled.status}`);
await enrolling.logout();

// What OpenSC, through pcscd and vpcd, asks of the card, one line per APDU (PINs masked).
const trace = apduTraceFile('mtls-browser-card');
const reopened = await EmulatedPivCard.open({ store, serial });
const inserted = await insertIntoVpcd(
  {
    atr: reopened.atr,
    powerCycle: () => reopened.powerCycle(),
    async transmit(command) {
      const response = await reopened.transmit(command);
      // VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER: header and length kept, PIN masked.
      const masked = [0x20, 0x24, 0x2c].includes(command[1] ?? 0) && command.length > 5;
      const shown = masked ? command.map((byte, i) => (i < 5 ? byte : 0x2a)) : command.slice();
      trace.onApdu({ command: shown, response, masked });
      return response;
    },
  },
  { port: Number(vpcdPort) },
);

const server = await startMtlsServer({
  port: Number(httpsPort),
  key: readFileSync(join(folder, 'server.key'), 'utf8'),
  cert: readFileSync(join(folder, 'server.crt'), 'utf8'),
  verifier: {
    trustAnchors: [ca.root],
    intermediates: ca.intermediates,
    crls: async () => [await ca.crl(), await ca.rootCrl()],
    revocation: 'require',
  },
  onResult: (result) =>
    say(
      result.verified
        ? { step: 'request', verified: true, user: result.user.name, upn: result.user.upn }
        : { step: 'request', verified: false, reason: result.reason, detail: result.detail },
    ),
});
writeFileSync(join(folder, 'root.pem'), ca.pem.root);
writeFileSync(join(folder, 'issuer.pem'), ca.pem.issuer);
say({ step: 'ready', trace: trace.path, commonName: ALICE.commonName, upn: ALICE.upn });

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as { do: string };
  try {
    if (command.do === 'status') {
      const card = await sdkCard();
      say({ step: 'status', ...(await card.pinStatus()) });
    } else if (command.do === 'remove') break;
  } catch (error) {
    say({ step: 'error', do: command.do, message: String(error) });
  }
}
await server.close();
await inserted.remove();
say({ step: 'removed' });
process.exit(0);
