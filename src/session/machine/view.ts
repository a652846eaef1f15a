import type { SnapshotFrom } from 'xstate';
import type { CardKind } from '../../card/contract/smart-card.js';
import type { Locale } from '../messages/locale.js';
import { type Message, message } from '../messages/message.js';
import type { MessageKey } from '../messages/message-keys.js';
import type { SignInMachine } from './machine.js';
import type { SessionUser } from './option-types.js';
import type { Notice, SignInEvent, SignInFault } from './types.js';

/**
 * The screen an app shows. Stable: state names may change between versions, routes do not.
 *
 * @example
 * ```ts
 * import type { Actor } from 'xstate';
 * import { type SignInMachine, type SignInRoute, viewSignIn } from 'smartcard-2fa/session';
 *
 * function screenFor(route: SignInRoute): string {
 *   switch (route) {
 *     case 'pin':
 *       return 'PinScreen';
 *     case 'change-pin':
 *       return 'ChangePinScreen';
 *     case 'signed-in':
 *       return 'HomeScreen';
 *     default:
 *       return 'StatusScreen'; // the other routes show the prompt alone
 *   }
 * }
 * declare const actor: Actor<SignInMachine>;
 * console.log(screenFor(viewSignIn(actor.getSnapshot()).route));
 * ```
 *
 * @category Client
 */
export type SignInRoute =
  | 'sign-in'
  | 'password'
  | 'insert-card'
  | 'card-detected'
  | 'pin'
  | 'change-pin'
  | 'card-blocked'
  | 'unblock'
  | 'signing-in'
  | 'signed-in'
  | 'locked'
  | 'signing-out'
  | 'exiting'
  | 'exited';

/**
 * `'input'`: the machine waits for the user; `'busy'`: a card, store or server step is running
 * (it takes `CANCEL`, except while signing out or exiting, which end by themselves or by the
 * operation timeout); `'done'`: the program exited.
 *
 * @example
 * ```ts
 * import type { Actor } from 'xstate';
 * import { type SignInMachine, type SignInStatus, viewSignIn } from 'smartcard-2fa/session';
 *
 * declare const actor: Actor<SignInMachine>;
 * declare const spinner: HTMLElement;
 * actor.subscribe((snapshot) => {
 *   const status: SignInStatus = viewSignIn(snapshot).status;
 *   spinner.hidden = status !== 'busy';
 *   if (status === 'done') actor.stop();
 * });
 * ```
 *
 * @category Client
 */
export type SignInStatus = 'input' | 'busy' | 'done';

/**
 * What an app reads from the sign-in machine: the facade over a snapshot.
 *
 * @example
 * ```ts
 * import type { Actor } from 'xstate';
 * import { type SignInMachine, type SignInView, viewSignIn } from 'smartcard-2fa/session';
 *
 * declare const actor: Actor<SignInMachine>;
 * declare const okButton: HTMLButtonElement, promptElement: HTMLElement;
 * function render(view: SignInView) {
 *   const notice = view.notice === null ? '' : ` (${view.notice.text})`;
 *   promptElement.textContent = `${view.prompt.text}${notice}`;
 *   okButton.disabled = !view.can('PIN.SUBMIT');
 * }
 * actor.subscribe((snapshot) => render(viewSignIn(snapshot)));
 * ```
 *
 * @category Client
 */
export interface SignInView {
  /** The screen to show. */
  readonly route: SignInRoute;
  /** Waiting for the user, busy, or done. */
  readonly status: SignInStatus;
  /** The screen's main message, localized. */
  readonly prompt: Message;
  /** What just happened (a wrong PIN, a refusal, an error), localized; or `null`. */
  readonly notice: Message | null;
  /** The rules a new PIN broke, localized, one each. */
  readonly violations: readonly Message[];
  /**
   * Standing advice for the screen, localized: on the sign-in screen of smart card sign-in, that
   * a smart card is required, and, when sign-in information is stored, that deleting it is
   * recommended before a card's first use.
   */
  readonly hints: readonly Message[];
  /** PIN attempts left when the card says; `null` when unknown or not asked. */
  readonly attemptsRemaining: number | null;
  /** The signed-in window is shown (`'open'`) or closed to the background (`'closed'`). */
  readonly display: 'open' | 'closed';
  /** Notifications that arrived while the display was closed. */
  readonly unread: number;
  /** The sign-in address (pre-filled or typed). */
  readonly address: string;
  /** The signed-in user, or `null`. */
  readonly user: SessionUser | null;
  /** The card in use, or `null`. */
  readonly card: { readonly id: string; readonly kind: CardKind } | null;
  /** On the unblock screen: which credential it asks for. */
  readonly unblockWith: 'puk' | 'admin-key' | null;
  /** The server's reason for the last refusal, or `null`. */
  readonly refusal: string | null;
  /** The last fault's code and message, or `null`. */
  readonly error: SignInFault | null;
  /** The locale of every text here. */
  readonly locale: Locale;
  /**
   * Whether the machine would take `event` now (a button's enabled state). An event type alone
   * asks about the event without its fields: no `Secret` is needed to enable an OK button. Pass
   * the whole event where a guard reads a field: `SIGN_IN` checks its `address` (by type alone,
   * the pre-filled one).
   */
  can(event: SignInEvent | SignInEvent['type']): boolean;
}

/** What each state node declares in its `meta`. */
interface RouteMeta {
  readonly route: SignInRoute;
  readonly prompt: MessageKey;
}

function isRouteMeta(value: unknown): value is RouteMeta {
  return typeof value === 'object' && value !== null && 'route' in value && 'prompt' in value;
}

/** A notice's text; `message` checks the parameters again. */
const localize = message as (key: MessageKey, locale: Locale, params?: unknown) => Message;

function text(notice: Notice, locale: Locale): Message {
  return localize(notice.key, locale, notice.params);
}

/**
 * Reads a sign-in machine snapshot as the stable facade apps render.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { createSignInMachine, viewSignIn } from 'smartcard-2fa/session';
 *
 * const actor = createActor(
 *   createSignInMachine({ method: 'password', verifyPassword: async () => ({ verified: false }) }),
 * ).start();
 * const view = viewSignIn(actor.getSnapshot());
 * view.route; // 'sign-in'
 * view.can({ type: 'SIGN_IN', address: 'alice@example.com' }); // true
 * ```
 *
 * @category Client
 */
export function viewSignIn(snapshot: SnapshotFrom<SignInMachine>): SignInView {
  const context = snapshot.context;
  const locale = context.locale;
  const meta = Object.values(snapshot.getMeta()).find(isRouteMeta);
  const route: SignInRoute = meta?.route ?? 'sign-in';
  let promptKey: MessageKey = meta?.prompt ?? 'sign-in-address-prompt';
  if (route === 'unblock' && context.unblockWith === 'admin-key') {
    promptKey = 'unblock-admin-key-prompt';
  } else if (route === 'signed-in' && context.display === 'closed') {
    promptKey = 'display-closed';
  }
  const status: SignInStatus =
    snapshot.status === 'done' ? 'done' : snapshot.hasTag('busy') ? 'busy' : 'input';
  const card = context.card;
  const hints: MessageKey[] = [];
  if (route === 'sign-in' && context.method === 'smart-card') {
    hints.push('smart-card-required');
    if (context.address !== '') hints.push('delete-sign-in-info-recommended');
  }
  return {
    route,
    status,
    prompt: text({ key: promptKey } as Notice, locale),
    notice: context.notice === null ? null : text(context.notice, locale),
    violations: context.violations.map((v) => text(v, locale)),
    hints: hints.map((key) => text({ key } as Notice, locale)),
    attemptsRemaining: context.attemptsRemaining,
    display: context.display,
    unread: context.unread,
    address: context.address,
    user: context.user,
    card: card === null ? null : { id: card.id, kind: card.kind },
    unblockWith: context.unblockWith,
    refusal: context.refusal,
    error: context.error,
    locale,
    can: (event) =>
      snapshot.can(typeof event === 'string' ? ({ type: event } as SignInEvent) : event),
  };
}
