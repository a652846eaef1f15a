/**
 * What a {@link PivSmartCard} needs from below: something that carries one command APDU to the
 * card and brings its response back (a PC/SC card handle, a test card in the same process), and
 * the trace of what went over it.
 *
 * @module
 */

/**
 * A link to one card that exchanges raw APDUs: `transmit(command)` sends the command's bytes and
 * resolves with the response's bytes (data and the two status bytes), as PC/SC's
 * `SCardTransmit` does. It need not answer `61xx` with GET RESPONSE or `6Cxx` with a new Le,
 * nor chain long commands: the card's link layer does those. A transmit that throws means the
 * card is gone (taken out, its reader unplugged): the operation fails with `ERR_CARD_REMOVED`,
 * the thrown error as its `cause`, and the next operation selects the PIV application again.
 *
 * @example
 * ```ts
 * import { type ApduTransport, PivSmartCard } from 'smartcard-2fa/card';
 *
 * declare const reader: { transmit(bytes: Uint8Array): Promise<Uint8Array> }; // a PC/SC card
 * const transport: ApduTransport = { transmit: (command) => reader.transmit(command) };
 * const card = await PivSmartCard.open(transport);
 * console.log((await card.pinStatus()).attemptsRemaining); // from the card's 63Cx
 * ```
 *
 * @category Cards
 */
export interface ApduTransport {
  /** Sends one command APDU; resolves with the response APDU, status word last. */
  transmit(command: Uint8Array): Promise<Uint8Array>;
  /**
   * Registers `listener`, called when the card is taken out (a reader's removal event), and
   * answers a function that unregisters it. Optional: without it, removal is learnt from the
   * next transmit that throws.
   */
  onRemoved?(listener: () => void): () => void;
}

/**
 * One command and its response as they went over the transport, given to the `onApdu` hook of
 * {@link PivCardOptions}. Data that carries a secret is replaced by as many `0x2A` bytes (`*`)
 * and `masked` is true: a command's PIN or PUK, the management key's blocks both ways, and the
 * raw result of a decryption (it holds the plaintext). Headers, lengths and status words are
 * as sent.
 *
 * @example
 * ```ts
 * import { type ApduEvent, type ApduTransport, PivSmartCard } from 'smartcard-2fa/card';
 *
 * declare const transport: ApduTransport;
 * const trace: ApduEvent[] = [];
 * const card = await PivSmartCard.open(transport, { onApdu: (event) => trace.push(event) });
 * await card.verifyPin('123456');
 * trace.map((event) => event.masked); // [false, true]: SELECT, then VERIFY with its PIN masked
 * ```
 *
 * @category Cards
 */
export interface ApduEvent {
  /** The command's bytes, secret data masked. */
  readonly command: Uint8Array<ArrayBuffer>;
  /** The response's bytes, status word last. */
  readonly response: Uint8Array<ArrayBuffer>;
  /** Whether the command's data or the response's data was masked. */
  readonly masked: boolean;
}
