/**
 * The sign-in machine's PIN screens as the demo shows them: the PIN, the forced PIN change, a
 * blocked card and its unblock. The rules come before the fields, and each field is checked as
 * it is submitted (with the SDK's localized policy messages), so a PIN the machine would refuse
 * never leaves its field.
 */
import { DEFAULT_PIN } from 'smartcard-2fa';
import { Secret, type SignInEvent, type SignInView } from 'smartcard-2fa/session';
import { adminKeyHex, adminKeyProblem } from './admin-key.js';
import type { DemoOptions } from './args.js';
import type { ReadyCard } from './enroll.js';
import { newPin, newPinRulesLines, pinFormat, samePin } from './pin-rules.js';
import { sdkText } from './texts/index.js';
import type { Ui } from './ui.js';

/** The PIN the scripted mode chooses at the forced change, and signs in with afterwards. */
export const DEMO_PIN = 'k7#Lm2pQ';

/** What the PIN screens need from the sign-in driver. */
export interface PinScreenContext {
  readonly ui: Ui;
  readonly options: DemoOptions;
  readonly ready: ReadyCard;
  /** Whether the machine said the card still has the default PIN. */
  readonly defaultPinNotice: boolean;
  /** Sends what the user did and waits for the next screen. */
  send(event: SignInEvent): Promise<SignInView>;
}

/** A label or line from the SDK's catalog. */
function text(key: Parameters<typeof sdkText>[0], at: PinScreenContext): string {
  return sdkText(key, at.options.locale);
}

/** "Type the PIN for your smart card": a PIN of the wrong length is refused at the field. */
export async function pinScreen(view: SignInView, at: PinScreenContext): Promise<SignInView> {
  if (!at.ui.interactive && view.notice !== null) {
    throw new Error(
      `The scripted PIN ${DEMO_PIN} was refused. Was this card's PIN changed in an interactive run? Use a new --state directory.`,
    );
  }
  const pin = await at.ui.password({
    message: view.prompt.text,
    validate: pinFormat(at.options.locale),
    auto: DEMO_PIN,
  });
  return at.send({ type: 'PIN.SUBMIT', pin: Secret.from(pin) });
}

/** The forced change: current PIN, new PIN, confirmation, each checked at its field. */
export async function changePinScreen(view: SignInView, at: PinScreenContext): Promise<SignInView> {
  const { ui, options } = at;
  for (const violation of view.violations.slice(1)) ui.warn(violation.text);
  if (!ui.interactive && view.violations.length > 0) {
    throw new Error('The scripted PIN change was refused.');
  }
  for (const line of newPinRulesLines(ui.texts, true)) ui.info(line);
  // The card still has the default PIN after enrollment; the script knows no other.
  const scriptedCurrent = at.ready.enrolledNow || at.defaultPinNotice ? DEFAULT_PIN : DEMO_PIN;
  const current = await ui.password({
    message: text('current-pin-prompt', at),
    validate: pinFormat(options.locale),
    auto: scriptedCurrent,
  });
  const next = await ui.password({
    message: view.prompt.text,
    validate: newPin(options.locale, current),
    auto: DEMO_PIN,
  });
  const confirm = await ui.password({
    message: text('confirm-pin-prompt', at),
    validate: samePin(next, options.locale),
    auto: DEMO_PIN,
  });
  return at.send({
    type: 'PIN.CHANGE',
    current: Secret.from(current),
    next: Secret.from(next),
    confirm: Secret.from(confirm),
  });
}

/** A blocked card: Unblock (when the card has a credential left) or back. */
export async function blockedScreen(view: SignInView, at: PinScreenContext): Promise<SignInView> {
  if (!at.ui.interactive) throw new Error('The card is blocked.');
  const unblock = view.can({ type: 'UNBLOCK' });
  const choice = await at.ui.select({
    message: view.prompt.text,
    choices: [
      ...(unblock ? [{ value: 'unblock' as const, label: text('unblock-card', at) }] : []),
      { value: 'back' as const, label: text('back-to-sign-in', at) },
    ],
    auto: 'back',
  });
  return at.send(choice === 'unblock' ? { type: 'UNBLOCK' } : { type: 'BACK' });
}

/**
 * The unblock: the PUK, or the admin key (its format shown first: hex digits, spaces allowed,
 * or `default`), then a new PIN the holder chooses, and its confirmation.
 */
export async function unblockScreen(view: SignInView, at: PinScreenContext): Promise<SignInView> {
  const { ui, options } = at;
  for (const violation of view.violations.slice(1)) ui.warn(violation.text);
  const adminKey = view.unblockWith === 'admin-key';
  if (adminKey) ui.info(ui.texts.adminKeyFormat);
  const typed = await ui.password({
    message: view.prompt.text,
    ...(adminKey ? { validate: (key: string) => adminKeyProblem(key, ui.texts) } : {}),
    auto: '',
  });
  for (const line of newPinRulesLines(ui.texts, false)) ui.info(line);
  const next = await ui.password({
    message: text('new-pin-prompt', at),
    validate: newPin(options.locale),
    auto: '',
  });
  const confirm = await ui.password({
    message: text('confirm-pin-prompt', at),
    validate: samePin(next, options.locale),
    auto: '',
  });
  return at.send({
    type: 'UNBLOCK.SUBMIT',
    credential: Secret.from(adminKey ? adminKeyHex(typed) : typed),
    next: Secret.from(next),
    confirm: Secret.from(confirm),
  });
}
