/// <reference types="node" />
/**
 * One card in a PC/SC reader as an `ApduTransport`: each command goes to `SCardTransmit` as it
 * is. GET RESPONSE for `61xx` and a new Le for `6Cxx` are the PIV card's link layer's (the
 * `smartcard` binding ignores its own `autoGetResponse`).
 */
import type { CardInterface } from 'smartcard';
import type { ApduTransport } from '../card/piv/transport.js';

/** A connected card of the `smartcard` binding (what its `card-inserted` event carries). */
export type PcscCardHandle = Pick<CardInterface, 'transmit' | 'atr'>;

/** The most answer bytes a transmit may bring: a full extended answer and its status word. */
const MAX_RESPONSE = 65_538;

/**
 * A transport over `card` that reports removal: `removed()` is called by the reader when
 * pcscd says the card left, and every transmit after it throws.
 */
export class PcscTransport implements ApduTransport {
  readonly #card: PcscCardHandle;
  readonly #listeners = new Set<() => void>();
  #removed = false;

  constructor(card: PcscCardHandle) {
    this.#card = card;
  }

  /** The card's answer to reset. */
  get atr(): Uint8Array | null {
    return this.#card.atr === null ? null : new Uint8Array(this.#card.atr);
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.#removed) throw new Error('the card was taken out of the reader');
    const response = await this.#card.transmit(Buffer.from(command), {
      maxRecvLength: MAX_RESPONSE,
      autoGetResponse: false,
    });
    return new Uint8Array(response);
  }

  onRemoved(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Marks the card gone and tells the listeners, once. */
  removed(): void {
    if (this.#removed) return;
    this.#removed = true;
    for (const listener of [...this.#listeners]) listener();
  }
}
