/**
 * First sign-in: the Lync / Skype for Business client's "Sign in for the first time" through the
 * sign-in machine, where the organisation still allows password sign-in. The first time, the
 * sign-in address box is empty: Alice mistypes her address, then her password, then signs in. The
 * next time, the box is filled in from the stored sign-in information and Sign In takes it. When
 * her smart card arrives she chooses "Delete my sign-in information" on the sign-in screen before
 * its first use. Last, the same screens in Korean and Traditional Chinese.
 *
 * This is the code of docs/first-sign-in.md. Run it with `npx tsx examples/first-sign-in.ts`.
 */
import { pathToFileURL } from 'node:url';
import { SimulatedReader } from 'smartcard-2fa/card';
import { CertificateAuthority, type DirectoryEntry } from 'smartcard-2fa/enrollment';
import { Authenticator } from 'smartcard-2fa/server';
import {
  createSignInMachine,
  isSignInAddress,
  type Locale,
  MemorySignInInfoStore,
  message,
  type PasswordVerifier,
  resolveLocale,
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

// The organisation's own password check, in the app (a call to its directory, say). The SDK
// hands it the password as a string here and nowhere else, and never stores a password.
const verifyPassword: PasswordVerifier = async ({ address, password }) =>
  address === ALICE.upn && password === 'correct horse battery staple'
    ? { verified: true, user: { address, name: ALICE.commonName } }
    : { verified: false };

export async function main(log: Log = console.log): Promise<void> {
  // The rule the sign-in screen applies, and the server too: an e-mail-like address.
  log(`"alice" is a sign-in address: ${isSignInAddress('alice')}`);
  log(`"${ALICE.upn}" is a sign-in address: ${isSignInAddress(ALICE.upn)}`);

  // Where the address is remembered between runs: in memory here; in a browser,
  // new WebStorageSignInInfoStore(localStorage); in Node, a CardStoreSignInInfoStore over a FileStore.
  const signInInfo = new MemorySignInInfoStore();
  const machine = createSignInMachine({ method: 'password', verifyPassword, signInInfo });

  // The first run: nothing is stored yet, so the sign-in address box is empty.
  const first = createActor(machine);
  show(first, log);
  first.start();
  await settled(first);
  await user(first, log, { type: 'SIGN_IN', address: 'alice' }); // not a sign-in address
  await user(first, log, { type: 'SIGN_IN', address: ALICE.upn });
  await user(first, log, { type: 'PASSWORD.SUBMIT', password: Secret.from('Tr0ub4dor&3') });
  const signedIn = await user(first, log, {
    type: 'PASSWORD.SUBMIT',
    password: Secret.from('correct horse battery staple'),
  });
  log(`signed in as ${signedIn.user?.name} (${signedIn.user?.address})`);
  await user(first, log, { type: 'EXIT' });
  log(`stored sign-in information: ${await stored(signInInfo)}`);

  // The next run: the box is filled in from the stored sign-in information. Alice confirms that
  // the address shown is hers, and Sign In without an address takes it.
  const next = createActor(machine);
  show(next, log);
  next.start();
  await settled(next);
  await user(next, log, { type: 'SIGN_IN' });
  await user(next, log, {
    type: 'PASSWORD.SUBMIT',
    password: Secret.from('correct horse battery staple'),
  });
  await user(next, log, { type: 'EXIT' });

  await beforeTheCardsFirstUse(signInInfo, log);
  for (const locale of [resolveLocale(['ko', 'en']), resolveLocale(['zh-Hant-TW', 'en'])]) {
    await inLanguage(locale, log);
  }
}

/**
 * Alice's smart card has arrived and the organisation now signs in with smart cards. Before the
 * card's first use she deletes her sign-in information from the sign-in screen.
 */
async function beforeTheCardsFirstUse(signInInfo: SignInInfoStore, log: Log): Promise<void> {
  // The CA and the server as in docs/sign-in.md; the card goes into the reader after Sign In.
  const ca = await CertificateAuthority.create({
    name: 'Contoso Root CA',
    keyAlgorithm: 'ECDSA-P256',
    directory: [ALICE],
  });
  const rpId = 'intranet.contoso.com';
  const machine = createSignInMachine({
    method: 'smart-card',
    reader: new SimulatedReader(),
    server: new Authenticator({ trustAnchors: [ca.root], rpId }),
    rpId,
    signInInfo,
  });
  const actor = createActor(machine);
  show(actor, log);
  actor.start();
  const screen = await settled(actor);
  for (const hint of screen.hints) log(`hint: ${hint.text}`);
  const deleted = await user(actor, log, { type: 'DELETE_SIGN_IN_INFO' });
  for (const hint of deleted.hints) log(`hint: ${hint.text}`);
  log(`stored sign-in information: ${await stored(signInInfo)}`);
  await user(actor, log, { type: 'EXIT' });
}

/** The first sign-in's screens in another language: the client's terms in each. */
async function inLanguage(locale: Locale, log: Log): Promise<void> {
  const buttons = ['sign-in', 'delete-sign-in-info', 'exit'] as const;
  log(`${locale}: ${buttons.map((key) => message(key, locale).text).join(' | ')}`);
  log(`${locale}: ${message('delete-sign-in-info-recommended', locale).text}`);
  const actor = createActor(createSignInMachine({ method: 'password', verifyPassword, locale }));
  show(actor, log);
  actor.start();
  await user(actor, log, { type: 'SIGN_IN', address: 'alice' });
  await user(actor, log, { type: 'SIGN_IN', address: ALICE.upn });
  await user(actor, log, { type: 'PASSWORD.SUBMIT', password: Secret.from('Tr0ub4dor&3') });
  actor.stop();
}

/** What the store holds: the address only, or nothing. */
async function stored(store: SignInInfoStore): Promise<string> {
  const info = await store.load();
  return info === undefined ? 'nothing' : JSON.stringify(info);
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

/** One line per screen: route, status, prompt, the address box, and what just happened. */
function describe(view: SignInView): string {
  const box = view.route === 'sign-in' ? ` [address: "${view.address}"]` : '';
  const notice = view.notice === null ? '' : ` (${view.notice.text})`;
  return `${view.route} [${view.status}]: ${view.prompt.text}${box}${notice}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
