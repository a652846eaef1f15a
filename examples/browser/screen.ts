/**
 * Renders the sign-in machine's view (`viewSignIn`) into index.html: one part per route, every
 * text from the view or, for box labels and captions the SDK has no message for, labels.ts; and
 * every button enabled exactly when `view.can(event)` says the machine takes its event.
 */
import {
  type Locale,
  type MessageKey,
  message,
  Secret,
  type SignInEvent,
  type SignInView,
} from 'smartcard-2fa/session';
import { element, ui } from './elements.js';
import { LABELS, type PageLabels } from './labels.js';

/**
 * A button, the event it sends (secrets are read, and their boxes emptied, only on click) and
 * the same event without the secrets, to ask `view.can` for the button's enabled state.
 */
export interface Button {
  readonly element: HTMLButtonElement;
  readonly event: () => SignInEvent;
  readonly probe: () => SignInEvent;
}

/** Stands in for a secret in the events only asked about (`view.can`), never sent. */
const UNSENT = Secret.from('');

function button(id: string, event: () => SignInEvent, probe = event): Button {
  return { element: element(id, HTMLButtonElement), event, probe };
}

/** A box's value as a Secret; the box is emptied at once. */
function take(input: HTMLInputElement): Secret {
  const secret = Secret.from(input.value);
  input.value = '';
  return secret;
}

/** Every button of the sign-in screens; its enabled state is `view.can(probe)`. */
export const BUTTONS: readonly Button[] = [
  button('sign-in', () => ({ type: 'SIGN_IN', address: ui.address.value })),
  button('delete-sign-in-info', () => ({ type: 'DELETE_SIGN_IN_INFO' })),
  button('exit-sign-in', () => ({ type: 'EXIT' })),
  button(
    'password-ok',
    () => ({ type: 'PASSWORD.SUBMIT', password: take(ui.password) }),
    () => ({ type: 'PASSWORD.SUBMIT', password: UNSENT }),
  ),
  ...['password-cancel', 'insert-cancel', 'detected-cancel', 'pin-cancel', 'busy-cancel'].map(
    (id) => button(id, () => ({ type: 'CANCEL' })),
  ),
  button('detected-ok', () => ({ type: 'OK' })),
  button(
    'pin-ok',
    () => ({ type: 'PIN.SUBMIT', pin: take(ui.pin) }),
    () => ({ type: 'PIN.SUBMIT', pin: UNSENT }),
  ),
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
  button('unblock', () => ({ type: 'UNBLOCK' })),
  button('back', () => ({ type: 'BACK' })),
  button(
    'unblock-submit',
    () => ({
      type: 'UNBLOCK.SUBMIT',
      credential: take(ui.credential),
      next: take(ui.unblockNewPin),
      confirm: take(ui.unblockConfirmPin),
    }),
    () => ({ type: 'UNBLOCK.SUBMIT', credential: UNSENT, next: UNSENT, confirm: UNSENT }),
  ),
  button('unblock-cancel', () => ({ type: 'CANCEL' })),
  button('close', () => ({ type: 'CLOSE' })),
  button('restore', () => ({ type: 'RESTORE' })),
  button('notify', () => ({ type: 'NOTIFICATION' })),
  button('sign-out', () => ({ type: 'SIGN_OUT', deleteSignInInfo: ui.deleteOnSignOut.checked })),
  button('exit', () => ({ type: 'EXIT' })),
];

/** How a notice looks: a success, a neutral note, a warning, or (everything else) an error. */
const TONES: Partial<Record<MessageKey, 'success' | 'info' | 'warning'>> = {
  'pin-changed': 'success',
  'pin-change-default': 'info',
  'pin-change-required': 'info',
  cancelled: 'info',
  'card-removed': 'info',
  'card-removed-locked': 'warning',
  'card-removed-signed-out': 'info',
  'pin-last-attempt': 'warning',
  'pin-wrong': 'warning',
  'pin-wrong-unknown-attempts': 'warning',
};

function list(target: HTMLUListElement, texts: readonly string[]): void {
  target.replaceChildren(
    ...texts.map((text) => {
      const item = document.createElement('li');
      item.textContent = text;
      return item;
    }),
  );
}

/** Puts every fixed caption of the page in `locale`: page labels and the SDK's captions. */
export function translate(locale: Locale): void {
  const labels = LABELS[locale];
  document.documentElement.lang = locale;
  document.querySelectorAll<HTMLElement>('[data-label]').forEach((part) => {
    const text = labels[part.dataset.label as keyof PageLabels];
    if (typeof text === 'string') part.textContent = text;
  });
  document.querySelectorAll<HTMLElement>('[data-message]').forEach((part) => {
    part.textContent = message(part.dataset.message as 'sign-in', locale).text;
  });
  ui.progress.setAttribute('aria-label', labels.wait);
}

/** The routes of a session, once signed in: the title is no longer "Sign in". */
const SESSION_ROUTES: readonly SignInView['route'][] = ['signed-in', 'signing-out', 'exiting'];

let shown: { route: string; status: string; locale: Locale } | null = null;

/** Renders a view: the page reads viewSignIn(snapshot), never the machine's state names. */
export function render(view: SignInView): void {
  const labels = LABELS[view.locale];
  const busy = view.status === 'busy';
  if (shown?.locale !== view.locale) translate(view.locale);
  document.body.dataset.route = view.route;
  document.body.dataset.status = view.status;
  ui.screen.setAttribute('aria-busy', String(busy));
  ui.progress.hidden = !busy;
  ui.prompt.textContent = view.prompt.text;
  ui.prompt.dataset.key = view.prompt.key;
  ui.notice.textContent = view.notice?.text ?? '';
  // A notice that says what the prompt says already (the locked screen's) is not repeated;
  // exited, there is nothing to do but close the page, and only the page's own line stays.
  ui.notice.hidden =
    view.notice === null || view.notice.key === view.prompt.key || view.route === 'exited';
  ui.prompt.hidden = view.route === 'exited';
  ui.notice.dataset.key = view.notice?.key ?? '';
  ui.notice.dataset.tone = view.notice === null ? '' : (TONES[view.notice.key] ?? 'error');
  // Every rule the new PIN broke; the first one is the notice already.
  list(
    ui.violations,
    view.violations.slice(1).map((v) => v.text),
  );
  list(
    ui.hints,
    view.hints.map((h) => h.text),
  );
  ui.errorCode.hidden = view.error === null;
  ui.errorCode.textContent = view.error === null ? '' : `${labels.errorCode}: ${view.error.code}`;
  ui.attempts.hidden = view.attemptsRemaining === null;
  ui.attempts.textContent = labels.attempts(view.attemptsRemaining ?? 0);
  ui.credentialLabel.textContent = view.unblockWith === 'admin-key' ? labels.adminKey : labels.puk;
  const who = view.user?.name ?? view.user?.address ?? '';
  ui.user.textContent = view.user?.address ?? '';
  ui.avatar.textContent = who.slice(0, 1).toUpperCase();
  ui.unread.hidden = view.unread === 0;
  ui.unread.textContent = labels.unread(view.unread);
  // Attributes, not `hidden` properties: the illustrations are SVG elements.
  ui.screen.querySelectorAll('[data-routes]').forEach((part) => {
    const routes = (part.getAttribute('data-routes') ?? '').split(' ');
    part.toggleAttribute('hidden', !routes.includes(view.route));
  });
  // The account being signed in to, under the title, once the address is chosen (signed in,
  // the user's own box says it).
  ui.account.textContent = view.address;
  ui.account.hidden =
    view.address === '' || ['sign-in', 'signed-in', 'exited'].includes(view.route);
  ui.title.textContent =
    view.route === 'locked'
      ? labels.titleLocked
      : view.route === 'exited'
        ? labels.titleExited
        : SESSION_ROUTES.includes(view.route)
          ? labels.titleSignedIn
          : labels.title;
  for (const b of BUTTONS) {
    const taken = view.can(b.probe());
    b.element.disabled = !taken;
    // Unblock (no credential left) and Cancel (not while signing out) go when not taken.
    if (b.element.dataset.onlyWhenTaken !== undefined) b.element.hidden = !taken;
  }
  // The machine takes RESTORE while the display is open, and CLOSE while it is closed (they do
  // nothing then): show the one that means something.
  ui.close.hidden = view.display === 'closed';
  ui.restore.hidden = view.display === 'open';
  // Boxes stay put while a step runs, so their focus and text survive it.
  ui.screen.querySelectorAll('input').forEach((input) => {
    input.readOnly = busy;
  });
  const changed = shown?.route !== view.route || (shown?.status === 'busy' && !busy);
  shown = { route: view.route, status: view.status, locale: view.locale };
  if (!changed) return;
  // The remembered address, or none after "Delete my sign-in information".
  if (view.route === 'sign-in' && !busy) ui.address.value = view.address;
  // Focus the first empty box of the screen, as a native sign-in window does.
  const boxes = Array.from(
    ui.screen.querySelectorAll<HTMLInputElement>('input:not([type=checkbox])'),
  );
  const visible = boxes.filter((box) => box.offsetParent !== null);
  (visible.find((box) => box.value === '') ?? visible[0])?.focus();
}
