/**
 * The second half of the seed documents: sign in with the enrolled card through the SDK's
 * sign-in machine, then Close, restore, Sign out with "Delete my sign-in information", sign in
 * again, and Exit. The demo renders `viewSignIn(snapshot)` in the chosen locale and sends the
 * events the screen takes; it never reads the machine's state names.
 */
import { DEFAULT_PIN } from 'smartcard-2fa';
import { SimulatedReader } from 'smartcard-2fa/card';
import {
  Authenticator,
  createSignInMachine,
  isSignInAddress,
  type MessageKey,
  message,
  type ParameterisedMessageKey,
  Secret,
  type SignInEvent,
  type SignInMachine,
  type SignInView,
  viewSignIn,
} from 'smartcard-2fa/session';
import { type Actor, createActor, type SnapshotFrom, waitFor } from 'xstate';
import type { DemoOptions } from './args.js';
import { ALICE, type ReadyCard } from './enroll.js';
import type { DemoState } from './state.js';
import type { Progress, Ui } from './ui.js';

/** The PIN the scripted mode chooses at the forced change, and signs in with afterwards. */
export const DEMO_PIN = 'k7#Lm2pQ';

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
type SignedInChoice = 'close' | 'restore' | 'notification' | 'sign-out' | 'exit';

/** Runs the sign-in machine from the sign-in screen to Exit. */
export async function signIn(
  ui: Ui,
  options: DemoOptions,
  state: DemoState,
  ready: ReadyCard,
): Promise<void> {
  ui.section('Sign in');
  // The server's half, in this process: it trusts the CA certificates (every CA a run made).
  const server = new Authenticator({
    trustAnchors: state.manifest.trustedCas.map((ca) => pemToDer(ca.root)),
    intermediates: state.manifest.trustedCas.map((ca) => pemToDer(ca.issuer)),
    rpId: RP_ID,
  });
  const reader = ready.physical === undefined ? undefined : new SimulatedReader("Alice's laptop");
  const machine = createSignInMachine({
    method: 'smart-card',
    ...(reader === undefined ? { card: ready.card } : { reader }),
    server,
    rpId: RP_ID,
    signInInfo: state.signInInfo,
    locale: options.locale,
    endSession: async (user) => ui.info(`(the server ends ${user.address}'s session)`),
  });
  const actor = createActor(machine);
  actor.start();
  const driver = new Driver(ui, actor, options, ready, reader);
  await driver.run();
}

/** Shows each screen and answers it: the person at the terminal, or the script. */
class Driver {
  readonly #ui: Ui;
  readonly #actor: SignInActor;
  readonly #options: DemoOptions;
  readonly #ready: ReadyCard;
  readonly #reader: SimulatedReader | undefined;
  /** What the script has done so far. */
  #signIns = 0;
  #signedOut = false;
  #closed = false;
  #steps = 0;

  constructor(
    ui: Ui,
    actor: SignInActor,
    options: DemoOptions,
    ready: ReadyCard,
    reader: SimulatedReader | undefined,
  ) {
    this.#ui = ui;
    this.#actor = actor;
    this.#options = options;
    this.#ready = ready;
    this.#reader = reader;
  }

  async run(): Promise<void> {
    let view = await this.#settle(() => {});
    while (view.status !== 'done') {
      // The script never needs many steps; a loop means something is refused over and over.
      if (!this.#ui.interactive && ++this.#steps > 40) {
        throw new Error(`The script is stuck on the ${view.route} screen.`);
      }
      view = await this.#screen(view);
    }
    this.#ui.success(`${this.#text('exit')}: ${view.prompt.text}`);
  }

  /** A label or line from the SDK's catalog, in the chosen locale. */
  #text(key: Exclude<MessageKey, ParameterisedMessageKey>): string {
    return message(key, this.#options.locale).text;
  }

  async #screen(view: SignInView): Promise<SignInView> {
    switch (view.route) {
      case 'sign-in':
        return this.#signInScreen(view);
      case 'insert-card':
        return this.#insertCard(view);
      case 'card-detected': {
        const ok = await this.#ui.confirm({
          message: view.prompt.text,
          auto: true,
          yes: 'OK',
          no: 'Cancel',
        });
        return this.#send(ok ? { type: 'OK' } : { type: 'CANCEL' });
      }
      case 'pin':
        return this.#pin(view);
      case 'change-pin':
        return this.#changePin(view);
      case 'card-blocked':
        return this.#blocked(view);
      case 'unblock':
        return this.#unblock(view);
      case 'signed-in':
        return this.#signedIn(view);
      default:
        throw new Error(`The demo does not show the ${view.route} screen.`);
    }
  }

  async #signInScreen(view: SignInView): Promise<SignInView> {
    // Back on the sign-in screen with a notice: the sign-in failed (shown already). The script
    // stops there rather than try again.
    if (!this.#ui.interactive && view.notice !== null) {
      const why = view.refusal ?? view.error?.message ?? view.notice.key;
      throw new Error(`The scripted sign-in failed: ${view.notice.text} (${why})`);
    }
    const scriptedExit = this.#signIns >= 2;
    const menu = view.address !== '' || this.#signedOut;
    // A menu's title is the first hint ("Your organization requires a smart card…").
    for (const hint of view.hints.slice(menu ? 1 : 0)) this.#ui.info(hint.text);
    if (menu) {
      const choices = [
        { value: 'sign-in' as const, label: this.#text('sign-in') },
        ...(view.address === ''
          ? []
          : [
              {
                value: 'delete' as const,
                label: this.#text('delete-sign-in-info'),
                hint: this.#text('delete-sign-in-info-effect'),
              },
            ]),
        { value: 'exit' as const, label: this.#text('exit'), hint: this.#text('exit-effect') },
      ];
      const choice = await this.#ui.select({
        message: [view.hints[0]?.text ?? view.prompt.text, view.address]
          .filter((line) => line !== '')
          .join('\n'),
        choices,
        auto: scriptedExit ? 'exit' : 'sign-in',
      });
      if (choice === 'exit') return this.#send({ type: 'EXIT' });
      if (choice === 'delete') {
        const after = await this.#send({ type: 'DELETE_SIGN_IN_INFO' });
        this.#ui.success(`${this.#text('delete-sign-in-info')}: done.`);
        return after;
      }
    }
    const address = await this.#ui.text({
      message: view.prompt.text,
      initial: view.address,
      validate: (value) =>
        isSignInAddress(value.trim()) ? undefined : this.#text('sign-in-address-invalid'),
      auto: view.address === '' ? ALICE.upn : view.address,
    });
    return this.#send({ type: 'SIGN_IN', address: address.trim() });
  }

  async #insertCard(view: SignInView): Promise<SignInView> {
    const card = this.#ready.physical;
    if (card === undefined || this.#reader === undefined) throw new Error('No card to insert.');
    this.#ui.info(
      `The demo plays the reader "${this.#reader.name}": Insert puts the card ${card.id} in.`,
    );
    const insert = await this.#ui.confirm({
      message: view.prompt.text,
      auto: true,
      yes: 'Insert the card',
      no: 'Cancel',
    });
    if (!insert) return this.#send({ type: 'CANCEL' });
    return this.#settle(() => this.#reader?.insert(card));
  }

  async #pin(view: SignInView): Promise<SignInView> {
    if (!this.#ui.interactive && view.notice !== null) {
      throw new Error(
        `The scripted PIN ${DEMO_PIN} was refused. Was this card's PIN changed in an interactive run? Use a new --state directory.`,
      );
    }
    const pin = await this.#ui.password({ message: view.prompt.text, auto: DEMO_PIN });
    return this.#send({ type: 'PIN.SUBMIT', pin: Secret.from(pin) });
  }

  async #changePin(view: SignInView): Promise<SignInView> {
    for (const violation of view.violations.slice(1)) this.#ui.warn(violation.text);
    if (!this.#ui.interactive && view.violations.length > 0) {
      throw new Error('The scripted PIN change was refused.');
    }
    // The card still has the default PIN after enrollment; the script knows no other.
    const scriptedCurrent =
      this.#ready.enrolledNow || this.#isDefaultNotice ? DEFAULT_PIN : DEMO_PIN;
    const current = await this.#ui.password({
      message: this.#text('current-pin-prompt'),
      auto: scriptedCurrent,
    });
    const next = await this.#ui.password({ message: view.prompt.text, auto: DEMO_PIN });
    const confirm = await this.#ui.password({
      message: this.#text('confirm-pin-prompt'),
      auto: DEMO_PIN,
    });
    return this.#send({
      type: 'PIN.CHANGE',
      current: Secret.from(current),
      next: Secret.from(next),
      confirm: Secret.from(confirm),
    });
  }

  #isDefaultNotice = false;

  async #blocked(view: SignInView): Promise<SignInView> {
    if (!this.#ui.interactive) throw new Error('The card is blocked.');
    const unblock = view.can({ type: 'UNBLOCK' });
    const choice = await this.#ui.select({
      message: view.prompt.text,
      choices: [
        ...(unblock ? [{ value: 'unblock' as const, label: this.#text('unblock-card') }] : []),
        { value: 'back' as const, label: this.#text('back-to-sign-in') },
      ],
      auto: 'back',
    });
    return this.#send(choice === 'unblock' ? { type: 'UNBLOCK' } : { type: 'BACK' });
  }

  async #unblock(view: SignInView): Promise<SignInView> {
    if (view.unblockWith === 'admin-key') {
      this.#ui.info('A new virtual card has the default administrator key: 0102030405060708 × 3.');
    }
    const credential = await this.#ui.password({ message: view.prompt.text, auto: '' });
    const next = await this.#ui.password({ message: this.#text('new-pin-prompt'), auto: '' });
    const confirm = await this.#ui.password({
      message: this.#text('confirm-pin-prompt'),
      auto: '',
    });
    return this.#send({
      type: 'UNBLOCK.SUBMIT',
      credential: Secret.from(credential),
      next: Secret.from(next),
      confirm: Secret.from(confirm),
    });
  }

  async #signedIn(view: SignInView): Promise<SignInView> {
    const closed = view.display === 'closed';
    const first = this.#signIns === 1;
    const auto: SignedInChoice = !first
      ? 'exit'
      : !this.#closed
        ? 'close'
        : closed && view.unread === 0
          ? 'notification'
          : closed
            ? 'restore'
            : 'sign-out';
    const unread = view.unread > 0 ? ` (${view.unread} unread)` : '';
    const choices = [
      closed
        ? { value: 'restore' as const, label: this.#text('restore-display') }
        : { value: 'close' as const, label: this.#text('close') },
      ...(closed
        ? [{ value: 'notification' as const, label: 'A notification arrives (demo)' }]
        : []),
      {
        value: 'sign-out' as const,
        label: this.#text('sign-out'),
        hint: this.#text('sign-out-effect'),
      },
      { value: 'exit' as const, label: this.#text('exit'), hint: this.#text('exit-effect') },
    ];
    const choice = await this.#ui.select({
      message: `${view.prompt.text}${unread}`,
      choices,
      auto,
    });
    switch (choice) {
      case 'close':
        this.#closed = true;
        return this.#send({ type: 'CLOSE' });
      case 'restore':
        return this.#send({ type: 'RESTORE' });
      case 'notification':
        return this.#send({ type: 'NOTIFICATION' });
      case 'sign-out': {
        const remove = await this.#ui.confirm({
          message: `${this.#text('delete-sign-in-info')}? ${this.#text('delete-sign-in-info-effect')}`,
          auto: true,
        });
        const after = await this.#send({ type: 'SIGN_OUT', deleteSignInInfo: remove });
        this.#signedOut = true;
        this.#closed = false;
        const kept = after.address === '' ? 'deleted' : `kept: ${after.address}`;
        this.#ui.info(`Signed out. The sign-in address is ${kept}.`);
        return after;
      }
      case 'exit':
        return this.#send({ type: 'EXIT' });
    }
  }

  /** Sends what the user did, when the screen takes it, and waits for the next screen. */
  #send(event: SignInEvent): Promise<SignInView> {
    const view = viewSignIn(this.#actor.getSnapshot());
    if (!view.can(event)) throw new Error(`The ${view.route} screen does not take ${event.type}.`);
    return this.#settle(() => this.#actor.send(event));
  }

  /**
   * Does `act`, then shows what the machine does until it waits for the user again: the busy
   * steps (a spinner, or a line each), and every notice on the way.
   */
  async #settle(act: () => void): Promise<SignInView> {
    const notices: { key: string; text: string }[] = [];
    let spinner: Progress | undefined;
    let busyText = '';
    // A notice is shown once, when it appears: it may stay in the view for several screens.
    let shown = viewSignIn(this.#actor.getSnapshot()).notice?.text;
    const watch = (view: SignInView) => {
      if (view.notice !== null && view.notice.text !== shown) notices.push(view.notice);
      shown = view.notice?.text;
      if (view.notice?.key === 'pin-change-default') this.#isDefaultNotice = true;
      // Only the steps with a progress text of their own (not a PIN check under its prompt).
      if (view.status !== 'busy' || !BUSY_PROMPTS.has(view.prompt.key)) return;
      if (view.prompt.text === busyText) return;
      busyText = view.prompt.text;
      if (!this.#ui.interactive) this.#ui.info(`… ${busyText}`);
      else if (spinner === undefined) spinner = this.#ui.progress(busyText);
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
          this.#ui.success(notice.text);
        } else {
          this.#ui.warn(notice.text);
        }
      }
      if (!before && view.route === 'signed-in') {
        this.#signIns++;
        const card = view.card === null ? '' : ` with the ${view.card.kind} card ${view.card.id}`;
        this.#ui.success(`Signed in as ${view.user?.address}${card}.`);
      }
      return view;
    } finally {
      subscription.unsubscribe();
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
