/**
 * The second half of the walk-through, the Lync/Skype for Business two-factor procedure: sign in
 * with the enrolled card through the SDK's sign-in machine, then Close, restore, Sign out with
 * "Delete my sign-in information", sign in again, and Exit. The demo renders
 * `viewSignIn(snapshot)` in the chosen locale and sends the events the screen takes; it never
 * reads the machine's state names. The PIN screens are in `pin-screens.ts`.
 */
import { SimulatedReader } from 'smartcard-2fa/card';
import { Authenticator } from 'smartcard-2fa/server';
import {
  createSignInMachine,
  type MessageKey,
  type SignInEvent,
  type SignInMachine,
  type SignInServer,
  type SignInView,
  viewSignIn,
} from 'smartcard-2fa/session';
import { type Actor, createActor, type SnapshotFrom, waitFor } from 'xstate';
import type { DemoOptions } from './args.js';
import type { ReadyCard } from './enroll.js';
import { PIN_POLICY } from './pin-rules.js';
import { blockedScreen, changePinScreen, pinScreen, unblockScreen } from './pin-screens.js';
import {
  insertCardScreen,
  type SessionScreenContext,
  signedInScreen,
  signInScreen,
  type Walk,
} from './session-screens.js';
import { startSignInServer } from './sign-in-server.js';
import type { DemoState } from './state.js';
import { sdkText } from './texts/index.js';
import type { Progress, Ui } from './ui.js';

export { DEMO_PIN } from './pin-screens.js';

/** The relying party id: the card signs the challenge under it, and the server checks it. */
const RP_ID = 'intranet.contoso.com';

type SignInActor = Actor<SignInMachine>;

/** The prompts of busy screens that say what is going on. */
const BUSY_PROMPTS: ReadonlySet<MessageKey> = new Set<MessageKey>([
  'reading-card',
  'signing-in',
  'sign-out-effect',
  'exit-effect',
]);

/** Runs the sign-in machine from the sign-in screen to Exit. */
export async function signIn(
  ui: Ui,
  options: DemoOptions,
  state: DemoState,
  ready: ReadyCard,
): Promise<void> {
  ui.section(ui.texts.signInSection);
  // The server's half: it trusts the CA certificates (every CA a run made), and listens on
  // 127.0.0.1; the machine reaches it over HTTP, as a page reaches its server.
  const authenticator = new Authenticator({
    trustAnchors: state.manifest.trustedCas.map((ca) => pemToDer(ca.root)),
    intermediates: state.manifest.trustedCas.map((ca) => pemToDer(ca.issuer)),
    rpId: RP_ID,
  });
  const server = await startSignInServer(authenticator, (failure) =>
    ui.info(ui.texts.serverRefused(failure.route, failure.reason)),
  );
  ui.info(ui.texts.serverListens(server.url));
  try {
    await walk(ui, options, state, ready, server.client);
  } finally {
    await server.close();
  }
}

/** The sign-in machine, from the sign-in screen to Exit, against `server`. */
async function walk(
  ui: Ui,
  options: DemoOptions,
  state: DemoState,
  ready: ReadyCard,
  server: SignInServer,
): Promise<void> {
  const reader =
    ready.physical === undefined ? undefined : new SimulatedReader(ui.texts.laptopReader);
  const machine = createSignInMachine({
    method: 'smart-card',
    ...(reader === undefined ? { card: ready.card } : { reader }),
    server,
    rpId: RP_ID,
    signInInfo: state.signInInfo,
    locale: options.locale,
    // The rules the PIN fields check, so that the machine and the fields agree.
    pinPolicy: PIN_POLICY,
    endSession: async (user) => ui.info(ui.texts.serverEnds(user.address)),
  });
  const actor = createActor(machine);
  actor.start();
  const driver = new Driver(ui, actor, options, ready, reader, () =>
    state.recordFirstUse(options.card),
  );
  await driver.run();
}

/** Shows each screen and answers it: the person at the terminal, or the script. */
class Driver implements SessionScreenContext {
  readonly ui: Ui;
  readonly options: DemoOptions;
  readonly ready: ReadyCard;
  readonly reader: SimulatedReader | undefined;
  readonly walk: Walk;
  readonly #actor: SignInActor;
  readonly #firstUsed: () => Promise<void>;
  defaultPinNotice = false;
  #steps = 0;

  constructor(
    ui: Ui,
    actor: SignInActor,
    options: DemoOptions,
    ready: ReadyCard,
    reader: SimulatedReader | undefined,
    firstUsed: () => Promise<void>,
  ) {
    this.ui = ui;
    this.options = options;
    this.ready = ready;
    this.reader = reader;
    this.walk = { signIns: 0, signedOut: false, closed: false, firstUse: ready.firstUse };
    this.#actor = actor;
    this.#firstUsed = firstUsed;
  }

  async run(): Promise<void> {
    let view = await this.settle(() => {});
    while (view.status !== 'done') {
      // The script never needs many steps; a loop means something is refused over and over.
      if (!this.ui.interactive && ++this.#steps > 40) {
        throw new Error(`The script is stuck on the ${view.route} screen.`);
      }
      view = await this.#screen(view);
    }
    this.ui.success(this.ui.texts.labelled(sdkText('exit', this.options.locale), view.prompt.text));
  }

  async #screen(view: SignInView): Promise<SignInView> {
    switch (view.route) {
      case 'sign-in':
        return signInScreen(view, this);
      case 'insert-card':
        return insertCardScreen(view, this);
      case 'card-detected': {
        const ok = await this.ui.confirm({
          message: view.prompt.text,
          auto: true,
          yes: this.ui.texts.ok,
          no: this.ui.texts.cancel,
        });
        return this.send(ok ? { type: 'OK' } : { type: 'CANCEL' });
      }
      case 'pin':
        return pinScreen(view, this);
      case 'change-pin':
        return changePinScreen(view, this);
      case 'card-blocked':
        return blockedScreen(view, this);
      case 'unblock':
        return unblockScreen(view, this);
      case 'signed-in':
        return signedInScreen(view, this);
      default:
        throw new Error(`The demo does not show the ${view.route} screen.`);
    }
  }

  /** Sends what the user did, when the screen takes it, and waits for the next screen. */
  send(event: SignInEvent): Promise<SignInView> {
    const view = viewSignIn(this.#actor.getSnapshot());
    if (!view.can(event)) throw new Error(`The ${view.route} screen does not take ${event.type}.`);
    return this.settle(() => this.#actor.send(event));
  }

  /**
   * Does `act`, then shows what the machine does until it waits for the user again: the busy
   * steps (a spinner, or a line each), and every notice on the way.
   */
  async settle(act: () => void): Promise<SignInView> {
    const notices: { key: string; text: string }[] = [];
    let spinner: Progress | undefined;
    let busyText = '';
    // A notice is shown once, when it appears: it may stay in the view for several screens.
    let shown = viewSignIn(this.#actor.getSnapshot()).notice?.text;
    const watch = (view: SignInView) => {
      if (view.notice !== null && view.notice.text !== shown) notices.push(view.notice);
      shown = view.notice?.text;
      if (view.notice?.key === 'pin-change-default') this.defaultPinNotice = true;
      // Only the steps with a progress text of their own (not a PIN check under its prompt).
      if (view.status !== 'busy' || !BUSY_PROMPTS.has(view.prompt.key)) return;
      if (view.prompt.text === busyText) return;
      busyText = view.prompt.text;
      if (!this.ui.interactive) this.ui.info(`… ${busyText}`);
      else if (spinner === undefined) spinner = this.ui.progress(busyText);
      else spinner.message(busyText);
    };
    const subscription = this.#actor.subscribe((snapshot) => watch(viewSignIn(snapshot)));
    const before = this.#signedInNow();
    try {
      act();
      const idle = (snapshot: SnapshotFrom<SignInMachine>) =>
        viewSignIn(snapshot).status !== 'busy';
      const view = viewSignIn(await waitFor(this.#actor, idle, { timeout: 60_000 }));
      watch(view);
      spinner?.stop(busyText);
      for (const notice of notices) {
        if (notice.key === 'pin-changed' || notice.key === 'display-closed') {
          this.ui.success(notice.text);
        } else {
          this.ui.warn(notice.text);
        }
      }
      if (!before && view.route === 'signed-in') await this.#signedInNote(view);
      return view;
    } finally {
      subscription.unsubscribe();
    }
  }

  /** "Signed in as …"; the card's first use is over. */
  async #signedInNote(view: SignInView): Promise<void> {
    this.walk.signIns++;
    const card =
      view.card === null ? undefined : `${this.ui.texts.card[view.card.kind]} ${view.card.id}`;
    this.ui.success(this.ui.texts.signedIn(view.user?.address ?? '', card));
    if (this.walk.firstUse) {
      this.walk.firstUse = false;
      await this.#firstUsed();
    }
  }

  #signedInNow(): boolean {
    return viewSignIn(this.#actor.getSnapshot()).route === 'signed-in';
  }
}

function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const base64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}
