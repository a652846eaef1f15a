/**
 * Testing an app without real cards, with `smartcard-2fa/testing`: a test PKI, test cards
 * enrolled in one call, faults on demand (a card pulled out while it signs, a blocked PIN, a torn
 * write, a failure of your choice), the trace of what the card did, and sign-in scripts.
 *
 * This is the code of docs/testing.md. Run it with `npx tsx examples/testing.ts`.
 */
import { pathToFileURL } from 'node:url';
import { CardRemovedError, SmartCardError } from 'smartcard-2fa';
import { createSignInMachine, Secret } from 'smartcard-2fa/session';
import {
  type CardTraceEntry,
  createTestCard,
  createTestPki,
  runSignIn,
  smartCardContract,
} from 'smartcard-2fa/testing';

type Log = (line: string) => void;

const ALICE = 'alice@contoso.test';

export async function main(log: Log = console.log): Promise<void> {
  // A root CA, an issuing CA and a directory with Alice and Bob; ECDSA CA keys, made at once.
  const pki = await createTestPki();
  const server = await pki.authenticator(); // trusts the test PKI

  // Alice's physical card, enrolled with a Smartcard User certificate, in a reader.
  const { card, reader, pin } = await createTestCard({
    kind: 'physical',
    serial: 'ALICE-01',
    enrolled: { pki, user: 'alice' },
  });
  log(`card: ${card.kind} ${card.id} in ${reader.name}, certificate for ${ALICE}`);

  // The card is pulled out while it signs the challenge; Alice puts it back and signs in.
  card.removeDuring('sign');
  const machine = createSignInMachine({
    method: 'smart-card',
    reader,
    server,
    rpId: pki.rpId,
  });
  const run = await runSignIn(machine, [
    { type: 'SIGN_IN', address: ALICE },
    { expect: 'card-detected' },
    { type: 'OK' },
    { type: 'PIN.SUBMIT', pin: Secret.from(pin) },
    { expect: 'insert-card' },
    { run: () => reader.insert(card) },
    { expect: 'card-detected' },
    { type: 'OK' },
    { type: 'PIN.SUBMIT', pin: Secret.from(pin) },
    { expect: 'signed-in' },
  ]);
  run.actor.stop();
  log(`routes: ${run.routes.join(' > ')}`);
  log(`signed in as ${run.view.user?.address}`);
  log('trace:');
  for (const entry of card.trace) log(`  ${describe(entry)}`);

  // A blocked card: wrong PINs until the card says so, then the sign-in offers to unblock it.
  const blocked = await createTestCard({ kind: 'virtual', serial: 'ALICE-VSC', enrolled: { pki } });
  await blocked.card.blockPin();
  const refused = await runSignIn(
    createSignInMachine({ method: 'smart-card', card: blocked.card, server, rpId: pki.rpId }),
    [{ type: 'SIGN_IN', address: ALICE }, { expect: 'card-blocked' }],
  );
  refused.actor.stop();
  log(`blocked card: ${refused.view.route}, unblock with the ${refused.view.unblockWith}`);

  // A torn write: the card's next write fails and nothing of it lands; no attempt is spent.
  const torn = await createTestCard({ kind: 'physical', serial: 'TORN-01', pin: 'k7#Lm2pQ' });
  torn.card.tearNextWrite();
  log(`torn wrong-PIN check: ${await codeOf(torn.card.verifyPin('Not-my-PIN'))}`);
  log(`attempts left after it: ${(await torn.card.pinStatus()).attemptsRemaining}`);

  // Any operation can fail with the error you choose, without reaching the card.
  torn.card.failNext('pinStatus', new CardRemovedError('The card was pulled out.'));
  log(`failed pinStatus: ${await codeOf(torn.card.pinStatus())}`);
  log(`then: ${(await torn.card.pinStatus()).attemptsRemaining} attempts left`);

  // Your own card against the SmartCard contract: each case runs on a fresh card from makeCard.
  const cases = smartCardContract({
    makeCard: async () => {
      const fresh = await createTestCard({ kind: 'virtual', pin: 'k7#Lm2pQ', puk: '27182818' });
      return { card: fresh.card, pin: 'k7#Lm2pQ', puk: '27182818' };
    },
    kind: 'virtual',
    maxAttempts: 5,
    algorithms: ['RSA-2048', 'ECDSA-P256'],
    unblocks: true, // a PUK unblocks it; not removable, so the removal case is left out
  });
  let passed = 0;
  for (const contractCase of cases) {
    await contractCase.run(); // rejects with a ContractViolation naming the case
    passed += 1;
  }
  log(`contract: ${passed} of ${cases.length} cases passed, first "${cases[0]?.name}"`);
}

/** One trace entry: the operation, how it ended, and the fault the kit injected, if any. */
function describe(entry: CardTraceEntry): string {
  const injected = entry.injected === undefined ? '' : ` (${entry.injected})`;
  return `${entry.operation}: ${entry.outcome}${injected}`;
}

/** The SDK error code a promise rejects with, or how it resolved. */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    return `resolved ${JSON.stringify(await promise)}`;
  } catch (error) {
    return SmartCardError.is(error) ? error.code : 'an unexpected error';
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
