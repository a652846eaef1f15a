/** A PivSmartCard on the PIV test card in this process, behind a transport that can be pulled. */
import {
  type ApduEvent,
  type ApduTransport,
  type PivCardOptions,
  PivSmartCard,
} from '../../../src/card/index.js';
import { FACTORY_DEFAULTS } from '../../../src/card/piv/piv-constants.js';
import { EmulatedPivCard } from '../../../src/testing/piv/emulated-piv-card.js';

/** The factory card's management key: AES-192, 01..08 three times (a YubiKey 5.7's). */
export const FACTORY_MANAGEMENT_KEY = {
  algorithm: 'AES-192',
  key: FACTORY_DEFAULTS.managementKey,
} as const;

/** A transport to `emulated` that a test can take out and put back, as a reader's slot. */
export class TestSlot implements ApduTransport {
  readonly #emulated: EmulatedPivCard;
  readonly #listeners = new Set<() => void>();
  present = true;

  constructor(emulated: EmulatedPivCard) {
    this.#emulated = emulated;
  }

  transmit(command: Uint8Array): Promise<Uint8Array> {
    if (!this.present) return Promise.reject(new Error('SCARD_W_REMOVED_CARD'));
    return this.#emulated.transmit(command);
  }

  onRemoved(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Takes the card out: its power goes, its session ends. */
  remove(): void {
    this.present = false;
    this.#emulated.powerCycle();
    for (const listener of this.#listeners) listener();
  }

  insert(): void {
    this.present = true;
  }
}

/** A factory-fresh emulated card opened as a PivSmartCard with its management key. */
export async function openPivCard(options: PivCardOptions = {}) {
  const emulated = await EmulatedPivCard.create({ preset: 'factory' });
  const slot = new TestSlot(emulated);
  const trace: ApduEvent[] = [];
  const card = await PivSmartCard.open(slot, {
    managementKey: FACTORY_MANAGEMENT_KEY,
    onApdu: (event) => trace.push(event),
    ...options,
  });
  return { card, emulated, slot, trace };
}
