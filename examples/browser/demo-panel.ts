/**
 * The demo panel beside the sign-in screen: what a tester needs to know about Alice's card (the
 * address, the PIN as the card says it is now, the PUK or admin key) and, with `?card=reader`, the buttons
 * that insert and remove the card. It reads the card itself (`pinStatus`), so what it says about
 * the PIN is never stale: the default PIN until it is changed, then the PIN the holder chose.
 */
import type { Locale } from 'smartcard-2fa/session';
import { ALICE, ALICE_PASSWORD, type Demo } from './demo.js';
import { ui } from './elements.js';
import { LABELS } from './labels.js';

/** What the panel knows of the PIN: `data-pin` on the panel, for tests and styles. */
type PinState = 'default' | 'chosen' | 'blocked';

let pinState: PinState = 'default';
let asked = 0;

function show(demo: Demo, locale: Locale): void {
  const labels = LABELS[locale];
  ui.demoAddress.textContent = ALICE.upn;
  if (demo.method === 'password') {
    ui.demoSecretName.textContent = labels.password;
    ui.demoPin.textContent = ALICE_PASSWORD;
    ui.demoPukName.hidden = true;
    ui.demoPuk.hidden = true;
  } else {
    ui.demoSecretName.textContent = labels.pin;
    ui.demoPin.textContent =
      pinState === 'default'
        ? labels.demoPinDefault
        : pinState === 'chosen'
          ? labels.demoPinChosen
          : labels.demoPinBlocked;
    ui.demoPukName.textContent = demo.unblock.kind === 'puk' ? labels.demoPuk : labels.demoAdminKey;
    ui.demoPuk.textContent = demo.unblock.value;
  }
  ui.demoCard.dataset.pin = pinState;
  ui.demoReader.hidden = demo.reader === null;
  const inReader = demo.reader?.holdsCard() === true;
  ui.demoReader.dataset.card = inReader ? 'in' : 'out';
  ui.demoReaderState.textContent = inReader ? labels.cardInReader : labels.cardOutOfReader;
  ui.demoInsert.disabled = inReader;
  ui.demoRemove.disabled = !inReader;
}

/**
 * Reads the card's PIN state again and shows it; a card out of its reader cannot say, and the
 * panel keeps what it knew. Answers that arrive after a newer question are dropped.
 */
export function refreshDemoPanel(demo: Demo, locale: Locale): void {
  show(demo, locale);
  const question = ++asked;
  if (demo.reader?.holdsCard() === false) return;
  demo.card.pinStatus().then(
    (status) => {
      if (question !== asked) return;
      pinState = status.blocked ? 'blocked' : status.isDefault ? 'default' : 'chosen';
      show(demo, locale);
    },
    () => undefined,
  );
}

/** Shows the panel and wires the reader buttons (with `?card=reader`). */
export function startDemoPanel(demo: Demo, locale: () => Locale): void {
  ui.demoCard.hidden = false;
  const reader = demo.reader;
  if (reader !== null) {
    ui.demoInsert.addEventListener('click', () => {
      reader.insert();
      refreshDemoPanel(demo, locale());
    });
    ui.demoRemove.addEventListener('click', () => {
      reader.remove();
      refreshDemoPanel(demo, locale());
    });
  }
  refreshDemoPanel(demo, locale());
}
