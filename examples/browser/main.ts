/**
 * Sign in with a smart card, in the browser: the page of docs/browser.md. Everything runs in the
 * page with the browser's own WebCrypto: a CA, Alice's card enrolled with the default PIN and a
 * forced PIN change (demo.ts), the server's `Authenticator`, and the sign-in machine, rendered
 * from `viewSignIn` (screen.ts) in the language the browser prefers, or the one picked on the
 * page. Nothing leaves the page.
 *
 * Build and serve it with `npx tsx examples/browser/build.ts --serve`.
 */
import {
  createSignInMachine,
  type Locale,
  MemorySignInInfoStore,
  resolveLocale,
  type SignInView,
  SUPPORTED_LOCALES,
  viewSignIn,
} from 'smartcard-2fa/session';
import { type Actor, createActor } from 'xstate';
import { createDemo, type Demo } from './demo.js';
import { refreshDemoPanel, startDemoPanel } from './demo-panel.js';
import { ui } from './elements.js';
import { LANGUAGE_NAMES } from './labels.js';
import { BUTTONS, render, translate } from './screen.js';

type SignInActor = Actor<ReturnType<typeof createSignInMachine>>;

/** The sign-in address survives a change of language: the store keeps it across machines. */
const signInInfo = new MemorySignInInfoStore();
let actor: SignInActor | null = null;
let shownStep = '';
/** The address typed before the language changed, put back once the new machine is ready. */
let typedAddress: string | null = null;

function view(): SignInView | null {
  return actor === null ? null : viewSignIn(actor.getSnapshot());
}

/** Shows a view, and asks the card for the demo panel once a step has ended. */
function show(demo: Demo, current: SignInView): void {
  render(current);
  if (typedAddress !== null && current.route === 'sign-in' && current.status === 'input') {
    if (current.address === '') ui.address.value = typedAddress;
    typedAddress = null;
    render(current);
  }
  // The language can change only on the sign-in screen: a new machine starts in it.
  ui.locale.value = current.locale;
  ui.locale.disabled = !(current.route === 'sign-in' && current.status === 'input');
  const step = `${current.route} ${current.status}`;
  if (step === shownStep || current.status === 'busy') return;
  shownStep = step;
  refreshDemoPanel(demo, current.locale);
}

/** Starts a sign-in machine in `locale` (stopping the one before, which logs the card out). */
function startMachine(demo: Demo, locale: Locale): void {
  actor?.stop();
  shownStep = '';
  const machine = createSignInMachine({ ...demo.options, signInInfo, locale });
  const next: SignInActor = createActor(machine);
  actor = next;
  next.subscribe({
    next: (snapshot) => {
      if (actor === next) show(demo, viewSignIn(snapshot));
    },
    error: (error) => console.error('sign-in machine failed', error),
  });
  next.start();
}

async function start(): Promise<void> {
  const preferred = resolveLocale(navigator.languages);
  translate(preferred);
  const demo = await createDemo(location.search);

  ui.locale.replaceChildren(
    ...SUPPORTED_LOCALES.map((locale) => new Option(LANGUAGE_NAMES[locale], locale)),
  );
  ui.locale.addEventListener('change', () => {
    const chosen = SUPPORTED_LOCALES.find((locale) => locale === ui.locale.value);
    if (chosen === undefined || view()?.locale === chosen) return;
    typedAddress = ui.address.value;
    startMachine(demo, chosen);
  });
  // Sign In is enabled for an address the machine takes: check again as the user types.
  ui.address.addEventListener('input', () => {
    const current = view();
    if (current !== null) render(current);
  });
  for (const b of BUTTONS) {
    const send = (event: Event) => {
      event.preventDefault();
      // Sent only when the machine takes it: a click while busy does nothing.
      if (actor !== null && viewSignIn(actor.getSnapshot()).can(b.probe())) actor.send(b.event());
    };
    if (b.element.type === 'submit') b.element.form?.addEventListener('submit', send);
    else b.element.addEventListener('click', send);
  }

  startDemoPanel(demo, () => view()?.locale ?? preferred);
  startMachine(demo, preferred);
  ui.setup.hidden = true;
  ui.screen.hidden = false;
  document.body.dataset.ready = 'true';
}

start().catch((error: unknown) => {
  ui.setupText.textContent = `The page could not start: ${String(error)}`;
  ui.setup.dataset.failed = 'true';
  document.body.dataset.ready = 'error';
  console.error(error);
});
