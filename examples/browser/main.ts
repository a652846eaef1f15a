/**
 * Sign in with a smart card, in the browser: the page of docs/browser.md. Everything runs in the
 * page with the browser's own WebCrypto: a CA (ECDSA P-256, to be quick), Alice's virtual card
 * (a `VirtualSmartCard` on a `SoftwareTpm` with a `MemoryStore`) enrolled with the default PIN
 * and a forced PIN change, the server's `Authenticator`, and the sign-in machine, rendered from
 * `viewSignIn` as a small form. Nothing leaves the page.
 *
 * Build and serve it with `npx tsx examples/browser/build.ts --serve`.
 */
import { MemoryStore, SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';
import {
  CertificateAuthority,
  type DirectoryEntry,
  EnrollmentBuilder,
  enrollCard,
} from 'smartcard-2fa/enrollment';
import {
  Authenticator,
  createSignInMachine,
  MemorySignInInfoStore,
  resolveLocale,
  Secret,
  type SignInEvent,
  type SignInRoute,
  type SignInView,
  viewSignIn,
} from 'smartcard-2fa/session';
import { createActor } from 'xstate';

const ALICE = {
  account: 'CONTOSO\\alice',
  commonName: 'Alice Example',
  upn: 'alice@contoso.com',
  email: 'alice@contoso.com',
} as const satisfies DirectoryEntry;

const RP_ID = location.hostname || 'localhost';

/** The element with this id; the page is static, so a missing one is a bug in index.html. */
function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`index.html has no ${type.name} #${id}`);
  return found;
}

const ui = {
  setup: element('setup', HTMLElement),
  screen: element('screen', HTMLElement),
  prompt: element('prompt', HTMLElement),
  notice: element('notice', HTMLElement),
  violations: element('violations', HTMLUListElement),
  hints: element('hints', HTMLUListElement),
  attempts: element('attempts', HTMLElement),
  user: element('user', HTMLElement),
  unread: element('unread', HTMLElement),
  signInForm: element('sign-in-form', HTMLFormElement),
  address: element('address', HTMLInputElement),
  pinForm: element('pin-form', HTMLFormElement),
  pin: element('pin', HTMLInputElement),
  changePinForm: element('change-pin-form', HTMLFormElement),
  currentPin: element('current-pin', HTMLInputElement),
  newPin: element('new-pin', HTMLInputElement),
  confirmPin: element('confirm-pin', HTMLInputElement),
  deleteOnSignOut: element('delete-on-sign-out', HTMLInputElement),
  close: element('close', HTMLButtonElement),
  restore: element('restore', HTMLButtonElement),
};

/**
 * A button, the event it sends (PINs are read, and their boxes emptied, only on click) and the
 * same event without the PINs, to ask `view.can` for the button's enabled state.
 */
interface Button {
  readonly element: HTMLButtonElement;
  readonly event: () => SignInEvent;
  readonly probe: () => SignInEvent;
}

/** Stands in for a PIN in the events only asked about (`view.can`), never sent. */
const UNSENT = Secret.from('');

function button(id: string, event: () => SignInEvent, probe = event): Button {
  return { element: element(id, HTMLButtonElement), event, probe };
}

/** Every button; its enabled state is `view.can(probe)`. */
const buttons: readonly Button[] = [
  button('sign-in', () => ({ type: 'SIGN_IN', address: ui.address.value })),
  button('delete-sign-in-info', () => ({ type: 'DELETE_SIGN_IN_INFO' })),
  button(
    'pin-ok',
    () => ({ type: 'PIN.SUBMIT', pin: take(ui.pin) }),
    () => ({ type: 'PIN.SUBMIT', pin: UNSENT }),
  ),
  button('pin-cancel', () => ({ type: 'CANCEL' })),
  button(
    'change-pin',
    () => ({
      type: 'PIN.CHANGE',
      current: take(ui.currentPin),
      next: take(ui.newPin),
      confirm: take(ui.confirmPin),
    }),
    () => ({ type: 'PIN.CHANGE', current: UNSENT, next: UNSENT, confirm: UNSENT }),
  ),
  button('change-pin-cancel', () => ({ type: 'CANCEL' })),
  button('close', () => ({ type: 'CLOSE' })),
  button('restore', () => ({ type: 'RESTORE' })),
  button('notify', () => ({ type: 'NOTIFICATION' })),
  button('sign-out', () => ({ type: 'SIGN_OUT', deleteSignInInfo: ui.deleteOnSignOut.checked })),
  button('exit', () => ({ type: 'EXIT' })),
];

/** A PIN box's value as a Secret; the box is emptied at once. */
function take(input: HTMLInputElement): Secret {
  const secret = Secret.from(input.value);
  input.value = '';
  return secret;
}

function list(target: HTMLUListElement, texts: readonly string[]): void {
  target.replaceChildren(
    ...texts.map((text) => {
      const item = document.createElement('li');
      item.textContent = text;
      return item;
    }),
  );
}

let shownRoute: SignInRoute | null = null;

/** Renders a view: the app reads viewSignIn(snapshot), never the machine's state names. */
function render(view: SignInView): void {
  document.body.dataset.route = view.route;
  document.body.dataset.status = view.status;
  ui.screen.setAttribute('aria-busy', String(view.status === 'busy'));
  ui.prompt.textContent = view.prompt.text;
  ui.notice.textContent = view.notice?.text ?? '';
  ui.notice.hidden = view.notice === null;
  ui.notice.dataset.key = view.notice?.key ?? '';
  // Every rule the new PIN broke; the first one is the notice already.
  list(
    ui.violations,
    view.violations.slice(1).map((v) => v.text),
  );
  list(
    ui.hints,
    view.hints.map((h) => h.text),
  );
  ui.attempts.hidden = view.attemptsRemaining === null;
  ui.attempts.textContent = `Attempts remaining: ${view.attemptsRemaining ?? ''}`;
  ui.user.textContent = view.user?.address ?? '';
  ui.unread.hidden = view.unread === 0;
  ui.unread.textContent = `${view.unread} unread notification${view.unread === 1 ? '' : 's'}`;
  ui.screen.querySelectorAll<HTMLElement>('[data-routes]').forEach((part) => {
    part.hidden = !(part.dataset.routes ?? '').split(' ').includes(view.route);
  });
  for (const b of buttons) b.element.disabled = !view.can(b.probe());
  // The machine takes RESTORE while the display is open, and CLOSE while it is closed (they do
  // nothing then): show the one that means something.
  ui.close.hidden = view.display === 'closed';
  ui.restore.hidden = view.display === 'open';
  if (view.route !== shownRoute) {
    shownRoute = view.route;
    // The remembered address, or none after "Delete my sign-in information".
    if (view.route === 'sign-in') ui.address.value = view.address;
    // Focus the first box of the new screen, as a native sign-in window does.
    ui.screen.querySelector<HTMLElement>('[data-routes]:not([hidden]) input')?.focus();
  }
}

async function start(): Promise<void> {
  // The PKI and Alice's card, as docs/enroll-a-card.md makes them, with the page's WebCrypto.
  const ca = await CertificateAuthority.create({
    name: 'Contoso Root CA',
    issuing: { name: 'Contoso Issuing CA' },
    keyAlgorithm: 'ECDSA-P256',
    directory: [ALICE],
  });
  const store = new MemoryStore();
  const tpm = await SoftwareTpm.create({ store });
  const card = await VirtualSmartCard.create({ tpm, store, pin: 'default' });
  await enrollCard({
    card,
    request: EnrollmentBuilder.seedDocuments().upn(ALICE.upn).email(ALICE.email),
    submit: (request) => ca.issue(request, { requester: ALICE.account }),
    requirePinChange: true,
  });

  // The server's half, here in the page: it trusts the CA and checks the address.
  const server = new Authenticator({
    trustAnchors: [ca.root],
    intermediates: [ca.issuer],
    rpId: RP_ID,
  });

  // No rpId here: in a page the client expects challenges for the page's own host name
  // (location.hostname), and refuses one that names any other service.
  const machine = createSignInMachine({
    method: 'smart-card',
    card,
    server,
    signInInfo: new MemorySignInInfoStore(),
    locale: resolveLocale(['en']),
  });
  const actor = createActor(machine);
  actor.subscribe({
    next: (snapshot) => render(viewSignIn(snapshot)),
    error: (error) => console.error('sign-in machine failed', error),
  });
  actor.start();
  // Sign In is enabled for an address the machine takes: check again as the user types.
  ui.address.addEventListener('input', () => render(viewSignIn(actor.getSnapshot())));

  for (const b of buttons) {
    const send = (event: Event) => {
      event.preventDefault();
      // Sent only when the machine takes it: a click while busy does nothing.
      if (viewSignIn(actor.getSnapshot()).can(b.probe())) actor.send(b.event());
    };
    if (b.element.type === 'submit') b.element.form?.addEventListener('submit', send);
    else b.element.addEventListener('click', send);
  }

  ui.setup.textContent =
    `Alice's virtual card is enrolled: sign in as ${ALICE.upn} with the default PIN ` +
    '12345678, which you must change first.';
  ui.screen.hidden = false;
  document.body.dataset.ready = 'true';
}

start().catch((error: unknown) => {
  ui.setup.textContent = `The page could not start: ${String(error)}`;
  document.body.dataset.ready = 'error';
  console.error(error);
});
