/**
 * Sign in with a smart card: the Lync / Skype for Business two-factor sign-in procedure through the
 * sign-in machine. Alice's virtual card was just enrolled with the default PIN and a forced PIN
 * change. She types her sign-in address and chooses Sign In, must change the default PIN before she
 * is signed in, closes the display and restores it, signs out with "Delete my sign-in information",
 * signs in again (a wrong PIN first), and exits.
 *
 * This is the code of docs/sign-in.md. Run it with `npx tsx examples/sign-in.ts`.
 */
import { pathToFileURL } from 'node:url';
import { type SmartCard, SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';
import {
  CertificateAuthority,
  type DirectoryEntry,
  EnrollmentBuilder,
  enrollCard,
} from 'smartcard-2fa/enrollment';
import { Authenticator } from 'smartcard-2fa/server';
import {
  type AuthenticationOutcome,
  createSignInMachine,
  MemorySignInInfoStore,
  resolveLocale,
  Secret,
  type SignInActorInput,
  type SignInEvent,
  type SignInMachine,
  type SignInView,
  viewSignIn,
} from 'smartcard-2fa/session';
import { type Actor, createActor, fromPromise, type SnapshotFrom, waitFor } from 'xstate';

export type Log = (line: string) => void;
export type SignInActor = Actor<SignInMachine>;

const ALICE = {
  account: 'CONTOSO\\alice',
  commonName: 'Alice Example',
  upn: 'alice@contoso.com',
  email: 'alice@contoso.com',
} as const satisfies DirectoryEntry;

// The relying party id: the client signs the challenge under it, and the server checks it.
const RP_ID = 'intranet.contoso.com';

export async function main(log: Log = console.log): Promise<void> {
  // The PKI and Alice's card, as docs/enroll-a-card.md makes them. The CA keys are ECDSA P-256
  // only to keep the example quick.
  const ca = await CertificateAuthority.create({
    name: 'Contoso Root CA',
    issuing: { name: 'Contoso Issuing CA' },
    keyAlgorithm: 'ECDSA-P256',
    directory: [ALICE],
  });
  const card = await VirtualSmartCard.create({ tpm: await SoftwareTpm.create(), pin: 'default' });
  const enrolled = await enrollCard({
    card,
    request: EnrollmentBuilder.smartcardUser().upn(ALICE.upn).email(ALICE.email),
    submit: (request) => ca.issue(request, { requester: ALICE.account }),
    requirePinChange: true,
  });
  const pin = await card.pinStatus();
  log(
    `card: ${card.kind}, ${enrolled.status}, default PIN ${pin.isDefault}, must change ${pin.mustChange}`,
  );

  // The server's half: it trusts the CA and checks that the certificate is the address's.
  const server = new Authenticator({
    trustAnchors: [ca.root],
    intermediates: [ca.issuer],
    rpId: RP_ID,
  });

  const machine = createSignInMachine({
    method: 'smart-card',
    card, // a virtual card is always there; a physical card's `reader` instead
    server,
    rpId: RP_ID,
    signInInfo: new MemorySignInInfoStore(), // remembers the address between runs
    endSession: async (user) => log(`(the app ends ${user.address}'s session on the server)`),
  });
  const actor = createActor(machine);
  show(actor, log);
  actor.start();
  await settled(actor);

  await user(actor, log, { type: 'SIGN_IN', address: ALICE.upn });
  // The card's PIN is the default one: the machine asks for a new PIN before signing in.
  await user(actor, log, {
    type: 'PIN.CHANGE',
    current: Secret.from('12345678'),
    next: Secret.from('12345678'),
    confirm: Secret.from('12345678'),
  });
  const signedIn = await user(actor, log, {
    type: 'PIN.CHANGE',
    current: Secret.from('12345678'),
    next: Secret.from('k7#Lm2pQ'),
    confirm: Secret.from('k7#Lm2pQ'),
  });
  log(`signed in as ${signedIn.user?.address} with a ${signedIn.card?.kind} card`);

  // Close: the session goes on in the background and counts notifications.
  await user(actor, log, { type: 'CLOSE' });
  await user(actor, log, { type: 'NOTIFICATION' });
  await user(actor, log, { type: 'RESTORE' });

  // Sign out, deleting the remembered address; then sign in again, a wrong PIN first.
  const signedOut = await user(actor, log, { type: 'SIGN_OUT', deleteSignInInfo: true });
  log(`address after sign out: "${signedOut.address}"`);
  await user(actor, log, { type: 'SIGN_IN', address: ALICE.upn });
  await user(actor, log, { type: 'PIN.SUBMIT', pin: Secret.from('k7#Lm2pX') });
  await user(actor, log, { type: 'PIN.SUBMIT', pin: Secret.from('k7#Lm2pQ') });

  // Exit: ends the session and stops the machine.
  const exited = await user(actor, log, { type: 'EXIT' });
  log(`machine: ${exited.status}`);

  await inKorean(card, server, log);
}

/**
 * The same machine with the prompts in Korean, and one step replaced, as tests and apps replace
 * any of them: here `authenticate`, so that no server is asked.
 */
async function inKorean(card: SmartCard, server: Authenticator, log: Log): Promise<void> {
  const machine = createSignInMachine({
    method: 'smart-card',
    card,
    server,
    locale: resolveLocale(['ko', 'en']), // a browser's navigator.languages
  }).provide({
    actors: {
      authenticate: fromPromise<AuthenticationOutcome, SignInActorInput<'authenticate'>>(
        async ({ input }) => ({ verified: true, user: { address: input.address } }),
      ),
    },
  });
  const actor = createActor(machine);
  show(actor, log);
  actor.start();
  await user(actor, log, { type: 'SIGN_IN', address: ALICE.upn });
  await user(actor, log, { type: 'PIN.SUBMIT', pin: Secret.from('k7#Lm2pQ') });
  actor.stop();
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

/** One line per screen: route, status, prompt and what just happened. */
function describe(view: SignInView): string {
  const notice = view.notice === null ? '' : ` (${view.notice.text})`;
  const violations = view.violations.slice(1).map((v) => ` (${v.text})`);
  const unread = view.unread > 0 ? ` [${view.unread} unread]` : '';
  return `${view.route} [${view.status}]: ${view.prompt.text}${unread}${notice}${violations.join('')}`;
}

/** What the user does: the button, shown without its secrets, sent when the machine takes it. */
export async function user(actor: SignInActor, log: Log, event: SignInEvent): Promise<SignInView> {
  const view = viewSignIn(actor.getSnapshot());
  if (!view.can(event)) throw new Error(`${view.route} does not take ${event.type}`);
  const fields = JSON.stringify({ ...event, type: undefined }); // a Secret shows as "[Secret]"
  log(`> ${event.type}${fields === '{}' ? '' : ` ${fields}`}`);
  actor.send(event);
  return settled(actor);
}

/** Waits until the machine waits for the user again, or is done. */
export async function settled(actor: SignInActor) {
  const idle = (snapshot: SnapshotFrom<typeof actor>) => viewSignIn(snapshot).status !== 'busy';
  return viewSignIn(await waitFor(actor, idle, { timeout: 30_000 }));
}

/**
 * A rate limit for the server's challenge endpoint: at most `perClient` challenges per client
 * address in each window of `windowMs`. Call it with the HTTP request's address before
 * `authenticator.challenge()`, and answer 429 when it says no. It forgets every count when a
 * window ends, so it holds at most one number per client seen in the current window.
 */
export function limitChallenges(perClient: number, windowMs: number, now = () => Date.now()) {
  let windowStart = now();
  let counts = new Map<string, number>();
  return (clientAddress: string): boolean => {
    if (now() - windowStart >= windowMs) {
      windowStart = now();
      counts = new Map();
    }
    const count = counts.get(clientAddress) ?? 0;
    if (count >= perClient) return false;
    counts.set(clientAddress, count + 1);
    return true;
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
