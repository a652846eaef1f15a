/**
 * Close, Sign out, Exit: the three ways to leave the Lync / Skype for Business client (its File
 * menu), as the sign-in machine does them. Alice signs in with her virtual smart card, closes the
 * display while two notifications arrive, restores it, signs out (her address stays), signs in
 * again and signs out with "Delete my sign-in information", signs in a third time and exits.
 *
 * This is the code of docs/close-sign-out-exit.md. Run it with
 * `npx tsx examples/close-sign-out-exit.ts`.
 */
import { pathToFileURL } from 'node:url';
import { SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';
import {
  CertificateAuthority,
  type DirectoryEntry,
  EnrollmentBuilder,
  enrollCard,
} from 'smartcard-2fa/enrollment';
import { Authenticator } from 'smartcard-2fa/server';
import {
  createSignInMachine,
  MemorySignInInfoStore,
  Secret,
  type SignInInfoStore,
  type SignInView,
  viewSignIn,
} from 'smartcard-2fa/session';
import { createActor } from 'xstate';
import { type Log, type SignInActor, settled, user } from './sign-in.js';

const ALICE = {
  account: 'CONTOSO\\alice',
  commonName: 'Alice Example',
  upn: 'alice@contoso.com',
  email: 'alice@contoso.com',
} as const satisfies DirectoryEntry;

const RP_ID = 'intranet.contoso.com';
const PIN = 'k7#Lm2pQ'; // Alice's own PIN, the default one changed long ago

export async function main(log: Log = console.log): Promise<void> {
  // Alice's enrolled virtual card and the server, as docs/sign-in.md makes them.
  const ca = await CertificateAuthority.create({
    name: 'Contoso Root CA',
    keyAlgorithm: 'ECDSA-P256',
    directory: [ALICE],
  });
  const card = await VirtualSmartCard.create({ tpm: await SoftwareTpm.create(), pin: PIN });
  await enrollCard({
    card,
    pin: PIN,
    request: EnrollmentBuilder.smartcardUser().upn(ALICE.upn).email(ALICE.email),
    submit: (request) => ca.issue(request, { requester: ALICE.account }),
    requirePinChange: false,
  });
  const server = new Authenticator({ trustAnchors: [ca.root], rpId: RP_ID });

  const signInInfo = new MemorySignInInfoStore();
  const machine = createSignInMachine({
    method: 'smart-card',
    card,
    server,
    rpId: RP_ID,
    signInInfo, // the address is remembered after each sign-in
    endSession: async (user) => log(`(endSession: the app ends ${user.address}'s session)`),
  });
  const actor = createActor(machine);
  show(actor, log);
  actor.start();
  await settled(actor);
  await signIn(actor, log, ALICE.upn);
  log(`stored: ${await stored(signInInfo)}; card PIN verified: ${(await card.info()).pinVerified}`);

  // Close: the display closes, the session goes on and counts what arrives meanwhile.
  const closed = await user(actor, log, { type: 'CLOSE' });
  log(`display: ${closed.display}, signed in as ${closed.user?.address}`);
  await user(actor, log, { type: 'NOTIFICATION' });
  const waiting = await user(actor, log, { type: 'NOTIFICATION' });
  log(`unread: ${waiting.unread}`);
  const restored = await user(actor, log, { type: 'RESTORE' });
  log(`display: ${restored.display}, unread: ${restored.unread}`);

  // Sign out: the session ends, the program goes on, the sign-in screen shows the address.
  const signedOut = await user(actor, log, { type: 'SIGN_OUT' });
  log(`address box: "${signedOut.address}"; stored: ${await stored(signInInfo)}`);
  log(`card PIN verified: ${(await card.info()).pinVerified}`);

  // Sign out with "Delete my sign-in information": the address is gone from the store too.
  await signIn(actor, log); // Sign In takes the address shown
  const deleted = await user(actor, log, { type: 'SIGN_OUT', deleteSignInInfo: true });
  log(`address box: "${deleted.address}"; stored: ${await stored(signInInfo)}`);

  // Exit: the session ends and the program stops; the sign-in information is kept.
  await signIn(actor, log, ALICE.upn);
  const exited = await user(actor, log, { type: 'EXIT' });
  log(`route: ${exited.route}, status: ${exited.status}, actor: ${actor.getSnapshot().status}`);
  log(`stored: ${await stored(signInInfo)}; card PIN verified: ${(await card.info()).pinVerified}`);
}

/** Sign In (with the address typed, or the one shown), then the card's PIN. */
async function signIn(actor: SignInActor, log: Log, address?: string): Promise<SignInView> {
  await user(
    actor,
    log,
    address === undefined ? { type: 'SIGN_IN' } : { type: 'SIGN_IN', address },
  );
  return user(actor, log, { type: 'PIN.SUBMIT', pin: Secret.from(PIN) });
}

/** What the store holds: the address only, or nothing. */
async function stored(store: SignInInfoStore): Promise<string> {
  return (await store.load())?.address ?? 'nothing';
}

/** Renders each new screen: the app reads viewSignIn(snapshot), never the state names. */
function show(actor: SignInActor, log: Log): void {
  let shown = '';
  actor.subscribe((snapshot) => {
    const screen = describe(viewSignIn(snapshot));
    if (screen !== shown) log(screen);
    shown = screen;
  });
}

/** One line per screen: route, status, prompt, unread notifications and what just happened. */
function describe(view: SignInView): string {
  const unread = view.unread > 0 ? ` [${view.unread} unread]` : '';
  const notice = view.notice === null ? '' : ` (${view.notice.text})`;
  return `${view.route} [${view.status}]: ${view.prompt.text}${unread}${notice}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
