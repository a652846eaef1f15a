/**
 * Inside the stack's namespaces, the SDK through pcscd: PivSmartCard via PcscReader runs the
 * SmartCard contract (a new emulated PIV card inserted into vpcd for each case), then enrolls a
 * card (enrollCard: key generated on the card, request signed by it, certificate written to 9A)
 * and signs in with it through the sign-in machine, pulling it mid-session under each removal
 * policy. Prints JSON lines: `{"case":...,"ok":...}`, `{"step":...}`, `{"step":"done"}`. Every
 * APDU the SDK sends goes to the artifact trace `sdk-through-pcscd` (../support/apdu-trace.ts).
 */
import { createActor, waitFor } from 'xstate';
import { FACTORY_DEFAULTS } from '../../../src/card/piv/piv-constants.js';
import { EnrollmentBuilder, enrollCard } from '../../../src/enrollment/index.js';
import { PcscReader } from '../../../src/pcsc/pcsc-reader.js';
import { insertIntoVpcd, type VpcdInsertion } from '../../../src/pcsc/vpcd-card-link.js';
import {
  createSignInMachine,
  type RemovalPolicy,
  Secret,
  viewSignIn,
} from '../../../src/session/index.js';
import {
  createTestPki,
  EmulatedPivCard,
  smartCardContract,
  TEST_USERS,
  waitForRoute,
} from '../../../src/testing/index.js';
import { apduTraceFile } from '../support/apdu-trace.js';

const port = Number(process.argv[2] ?? 20123);
const say = (record: object) => process.stdout.write(`${JSON.stringify(record)}\n`);
const trace = apduTraceFile('sdk-through-pcscd');
const reader = await PcscReader.open({
  name: 'pcscd',
  piv: {
    managementKey: { algorithm: 'AES-192', key: FACTORY_DEFAULTS.managementKey },
    onApdu: trace.onApdu,
  },
});

/** Puts `emulated` into vpcd's reader and answers the PivSmartCard the reader opens for it. */
async function insert(emulated: EmulatedPivCard) {
  const insertion = await insertIntoVpcd(emulated, { port });
  const card = await reader.waitForCard({ timeout: 15_000 });
  if (card === null) throw new Error('pcscd reported no card in time');
  return { card, insertion };
}

/** Takes the card out and waits until the reader has reported it. */
async function remove(insertion: VpcdInsertion): Promise<void> {
  const reported = new Promise<void>((resolve) => {
    const stop = reader.on('removed', () => {
      stop();
      resolve();
    });
  });
  await insertion.remove();
  await reported;
}

const cases = smartCardContract({
  async makeCard() {
    const { card, insertion } = await insert(await EmulatedPivCard.create());
    return {
      card,
      pin: FACTORY_DEFAULTS.pin,
      puk: FACTORY_DEFAULTS.puk,
      cleanup: () => remove(insertion),
    };
  },
  maxAttempts: FACTORY_DEFAULTS.tries,
  kind: 'physical',
  algorithms: ['RSA-2048', 'ECDSA-P256'],
  unblocks: true,
  // removable: false - through pcscd a removal is seen a poll later and a card put back is a
  // new PivSmartCard, which the contract's synchronous remove()/insert() cannot express; the
  // sign-in below pulls the card mid-session under each removal policy instead.
});
for (const contractCase of cases) {
  trace.note(`contract: ${contractCase.name}`);
  const started = Date.now();
  const outcome = await contractCase.run().then(
    () => ({ ok: true }),
    (error: Error) => ({ ok: false, error: `${error.name}: ${error.message}` }),
  );
  say({ case: contractCase.name, ms: Date.now() - started, ...outcome });
}

trace.note('enrollCard');
const pki = await createTestPki();
const alice = TEST_USERS.alice;
const emulated = await EmulatedPivCard.create();
let { card, insertion } = await insert(emulated);
const enrolled = await enrollCard({
  card,
  pin: FACTORY_DEFAULTS.pin,
  request: new EnrollmentBuilder()
    .template('SmartcardUser')
    .algorithm('RSA-2048')
    .keySpec('exchange')
    .upn(alice.upn)
    .email(alice.email),
  submit: (built) => pki.ca.issue(built, { requester: alice.account }),
});
const stored = enrolled.status === 'installed' ? await card.certificate(enrolled.container) : null;
say({
  step: 'enrolled',
  status: enrolled.status,
  stored: enrolled.status === 'installed' && stored !== null && stored.length > 0,
  generatedIn9A: trace.commands.some((command) => command.startsWith('0047009a')),
  certificateIn9A: trace.commands.some((command) => /^[01]0db3fff..5c035fc105/.test(command)),
});
await card.logout();

const server = await pki.authenticator();
for (const removal of ['no-action', 'lock', 'sign-out'] as RemovalPolicy[]) {
  trace.note(`sign-in, removal '${removal}'`);
  const actor = createActor(
    createSignInMachine({ method: 'smart-card', reader, server, rpId: pki.rpId, removal }),
  ).start();
  await waitForRoute(actor, 'sign-in');
  actor.send({ type: 'SIGN_IN', address: alice.upn });
  const first = await waitFor(actor, (s) => ['card-detected', 'pin'].includes(viewSignIn(s).route));
  if (viewSignIn(first).route === 'card-detected') actor.send({ type: 'OK' });
  await waitForRoute(actor, 'pin');
  actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(FACTORY_DEFAULTS.pin) });
  const signedIn = await waitForRoute(actor, 'signed-in', { timeout: 20_000 });
  await remove(insertion);
  const out = await waitFor(actor, (s) => {
    const view = viewSignIn(s);
    return view.notice !== null || view.route !== 'signed-in';
  });
  const outView = viewSignIn(out);
  ({ card, insertion } = await insert(emulated));
  let back = viewSignIn(actor.getSnapshot());
  if (removal === 'lock') {
    back = await waitFor(actor, (s) => viewSignIn(s).prompt.key === 'pin-prompt').then(viewSignIn);
    actor.send({ type: 'PIN.SUBMIT', pin: Secret.from(FACTORY_DEFAULTS.pin) });
    back = await waitFor(actor, (s) => {
      const view = viewSignIn(s);
      return view.route === 'signed-in' || (view.status === 'input' && view.notice !== null);
    }).then(viewSignIn);
  }
  say({
    step: `removal-${removal}`,
    signedIn: signedIn.user?.address,
    out: { route: outView.route, notice: outView.notice?.key ?? null, prompt: outView.prompt.key },
    back: { route: back.route, user: back.user?.address ?? null, notice: back.notice?.key ?? null },
  });
  actor.stop();
  await card.logout();
}
await remove(insertion);
await reader.close();
say({ step: 'done', trace: trace.path });
process.exit(0);
