/**
 * The sign-in machine's other screens as the demo shows them: the sign-in screen (its menu once
 * an address is stored or the user signed out), the card to insert, and the signed-in window
 * (Close, a notification, Show the display again, Sign out, Exit).
 */
import type { SimulatedReader } from 'smartcard-2fa/card';
import { isSignInAddress, type SignInView } from 'smartcard-2fa/session';
import type { PinScreenContext } from './pin-screens.js';
import { ALICE } from './station.js';
import { sdkText } from './texts/index.js';

/** How far the walk-through got: the script's next answer depends on it. */
export interface Walk {
  signIns: number;
  signedOut: boolean;
  closed: boolean;
  /** Before the card's first sign-in: stored sign-in information is best deleted. */
  firstUse: boolean;
}

/** What these screens need from the sign-in driver. */
export interface SessionScreenContext extends PinScreenContext {
  readonly walk: Walk;
  /** The laptop's reader, for a physical card. */
  readonly reader: SimulatedReader | undefined;
  /** Does `act` and waits for the next screen. */
  settle(act: () => void): Promise<SignInView>;
}

type SignedInChoice = 'close' | 'restore' | 'notification' | 'sign-out' | 'exit';

/** The sign-in screen: a menu (Sign In, Delete my sign-in information, Exit), then the address. */
export async function signInScreen(
  view: SignInView,
  at: SessionScreenContext,
): Promise<SignInView> {
  const { ui, walk } = at;
  const text = (key: Parameters<typeof sdkText>[0]) => sdkText(key, at.options.locale);
  // Back on the sign-in screen with a notice: the sign-in failed (shown already). The script
  // stops there rather than try again.
  if (!ui.interactive && view.notice !== null) {
    const why = view.refusal ?? view.error?.message ?? view.notice.key;
    throw new Error(`The scripted sign-in failed: ${view.notice.text} (${why})`);
  }
  const scriptedExit = walk.signIns >= 2;
  const menu = view.address !== '' || walk.signedOut;
  // The advice to delete stored sign-in information is for a card's first use only.
  const hints = view.hints.filter(
    (hint) => walk.firstUse || hint.key !== 'delete-sign-in-info-recommended',
  );
  // A menu's title is the first hint ("Your organization requires a smart card…").
  for (const hint of hints.slice(menu ? 1 : 0)) ui.info(hint.text);
  if (menu) {
    const choices = [
      { value: 'sign-in' as const, label: text('sign-in') },
      ...(view.address === ''
        ? []
        : [
            {
              value: 'delete' as const,
              label: text('delete-sign-in-info'),
              hint: text('delete-sign-in-info-effect'),
            },
          ]),
      { value: 'exit' as const, label: text('exit'), hint: text('exit-effect') },
    ];
    const choice = await ui.select({
      message: [hints[0]?.text ?? view.prompt.text, view.address]
        .filter((line) => line !== '')
        .join('\n'),
      choices,
      auto: scriptedExit ? 'exit' : 'sign-in',
    });
    if (choice === 'exit') return at.send({ type: 'EXIT' });
    if (choice === 'delete') {
      const after = await at.send({ type: 'DELETE_SIGN_IN_INFO' });
      ui.success(ui.texts.labelled(text('delete-sign-in-info'), ui.texts.deleted));
      return after;
    }
  }
  const address = await ui.text({
    message: view.prompt.text,
    initial: view.address,
    validate: (value) =>
      isSignInAddress(value.trim()) ? undefined : text('sign-in-address-invalid'),
    auto: view.address === '' ? ALICE.upn : view.address,
  });
  return at.send({ type: 'SIGN_IN', address: address.trim() });
}

/** "Insert your smart card": the demo plays the reader and inserts the card on Insert. */
export async function insertCardScreen(
  view: SignInView,
  at: SessionScreenContext,
): Promise<SignInView> {
  const card = at.ready.physical;
  const reader = at.reader;
  if (card === undefined || reader === undefined) throw new Error('No card to insert.');
  const texts = at.ui.texts;
  at.ui.info(texts.playsReader(reader.name, card.id));
  const insert = await at.ui.confirm({
    message: view.prompt.text,
    auto: true,
    yes: texts.insertCard,
    no: texts.cancel,
  });
  if (!insert) return at.send({ type: 'CANCEL' });
  return at.settle(() => reader.insert(card));
}

/** The signed-in window: Close (or Show the display again), a notification, Sign out, Exit. */
export async function signedInScreen(
  view: SignInView,
  at: SessionScreenContext,
): Promise<SignInView> {
  const { ui, walk } = at;
  const texts = ui.texts;
  const text = (key: Parameters<typeof sdkText>[0]) => sdkText(key, at.options.locale);
  const closed = view.display === 'closed';
  const auto: SignedInChoice =
    walk.signIns !== 1
      ? 'exit'
      : !walk.closed
        ? 'close'
        : closed && view.unread === 0
          ? 'notification'
          : closed
            ? 'restore'
            : 'sign-out';
  const unread = view.unread > 0 ? texts.unread(view.unread) : '';
  const choices = [
    closed
      ? { value: 'restore' as const, label: text('restore-display') }
      : { value: 'close' as const, label: text('close') },
    ...(closed ? [{ value: 'notification' as const, label: texts.notification }] : []),
    { value: 'sign-out' as const, label: text('sign-out'), hint: text('sign-out-effect') },
    { value: 'exit' as const, label: text('exit'), hint: text('exit-effect') },
  ];
  const choice = await ui.select({ message: `${view.prompt.text}${unread}`, choices, auto });
  switch (choice) {
    case 'close':
      walk.closed = true;
      return at.send({ type: 'CLOSE' });
    case 'restore':
      return at.send({ type: 'RESTORE' });
    case 'notification':
      return at.send({ type: 'NOTIFICATION' });
    case 'sign-out': {
      const remove = await ui.confirm({
        message: texts.question(text('delete-sign-in-info'), text('delete-sign-in-info-effect')),
        auto: true,
      });
      const after = await at.send({ type: 'SIGN_OUT', deleteSignInInfo: remove });
      walk.signedOut = true;
      walk.closed = false;
      ui.info(texts.signedOut(after.address));
      return after;
    }
    case 'exit':
      return at.send({ type: 'EXIT' });
  }
}
