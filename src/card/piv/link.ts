/**
 * The PIV card's link layer: one command APDU in, one complete response out, over an
 * {@link ApduTransport} that does nothing but carry bytes. It chains commands whose data is
 * over 255 bytes (ISO 7816-4 §5.1.1: CLA bit 10 on all but the last), collects `61xx` answers
 * with GET RESPONSE, resends a command answered `6Cxx` with the Le the card asked for, hands
 * every exchange to the trace hook with secrets masked, and turns a transport that throws into
 * `ERR_CARD_REMOVED`.
 */
import { CardRemovedError, DeviceMismatchError } from '../../errors.js';
import {
  type CommandApdu,
  decodeResponse,
  encodeCommand,
  type ResponseApdu,
  SW,
  swText,
} from '../../lib/apdu.js';
import { concatBytes } from '../../lib/bytes.js';
import { INS } from './piv-constants.js';
import type { ApduEvent, ApduTransport } from './transport.js';

/** The most data one short command carries. */
const MAX_SHORT_DATA = 255;
/** CLA bit: more commands of this chain follow. */
const CHAINING = 0x10;
/** The most GET RESPONSE rounds one answer may take (64 KiB in 256-byte parts, and some). */
const MAX_RESPONSE_ROUNDS = 300;
/** The byte a masked secret shows in the trace: `*`. */
const MASK = 0x2a;

/** How a command is sent: whether its data, or its answer's data, is a secret to mask in the trace. */
export interface SendOptions {
  /** The command's data (a PIN, a PUK, a management key block). */
  readonly secret?: boolean;
  /** The answer's data (a decryption's raw result, the card's management key blocks). */
  readonly secretAnswer?: boolean;
}

/** The link to one card: see the module's comment. */
export class PivLink {
  readonly #transport: ApduTransport;
  readonly #onApdu: ((event: ApduEvent) => void) | undefined;
  #lost = false;

  constructor(transport: ApduTransport, onApdu?: (event: ApduEvent) => void) {
    this.#transport = transport;
    this.#onApdu = onApdu;
  }

  /** True once a transmit failed (the card was taken out) until {@link resume} is called. */
  get lost(): boolean {
    return this.#lost;
  }

  /** Marks the card as taken out: the next operation starts a new card session. */
  markLost(): void {
    this.#lost = true;
  }

  /** A new card session begins (the application was selected again). */
  resume(): void {
    this.#lost = false;
  }

  /** Sends `command` (chained when long) and answers its whole response. */
  async send(command: CommandApdu, options: SendOptions = {}): Promise<ResponseApdu> {
    const { data } = command;
    let offset = 0;
    while (data.length - offset > MAX_SHORT_DATA) {
      const part = data.subarray(offset, offset + MAX_SHORT_DATA);
      const { ne: _ne, ...header } = command;
      const response = await this.#exchange(
        { ...header, cla: command.cla | CHAINING, data: part },
        options,
      );
      if (response.sw !== SW.OK) return response;
      offset += MAX_SHORT_DATA;
    }
    const last = offset === 0 ? command : { ...command, data: data.subarray(offset) };
    let response = await this.#exchange(last, options);
    if ((response.sw & 0xff00) === SW.WRONG_LE) {
      response = await this.#exchange({ ...last, ne: response.sw & 0xff || 256 }, options);
    }
    return this.#collect(response, options);
  }

  /** Appends the parts a `61xx` answer announces, with GET RESPONSE, until the last. */
  async #collect(first: ResponseApdu, options: SendOptions): Promise<ResponseApdu> {
    let response = first;
    const parts: Uint8Array[] = [];
    for (let round = 0; (response.sw & 0xff00) === SW.MORE_DATA; round++) {
      if (round === MAX_RESPONSE_ROUNDS) {
        throw new DeviceMismatchError('The card announced more response data without end.');
      }
      parts.push(response.data);
      const ne = response.sw & 0xff || 256;
      response = await this.#exchange(
        { cla: 0, ins: INS.GET_RESPONSE, p1: 0, p2: 0, data: new Uint8Array(0), ne },
        options,
      );
    }
    if (parts.length === 0) return response;
    return { data: concatBytes(...parts, response.data), sw: response.sw };
  }

  /** One command over the transport, traced. */
  async #exchange(command: CommandApdu, options: SendOptions): Promise<ResponseApdu> {
    if (this.#lost) throw new CardRemovedError('The card was taken out of its reader.');
    const bytes = encodeCommand(command);
    let answer: Uint8Array;
    try {
      answer = await this.#transport.transmit(bytes);
    } catch (cause) {
      this.#lost = true;
      throw new CardRemovedError(
        'The card did not answer: it was taken out of its reader, or the reader is gone.',
        { cause },
      );
    }
    if (!(answer instanceof Uint8Array) || answer.length < 2) {
      throw new DeviceMismatchError('The card answered with fewer than the two status bytes.');
    }
    const response = decodeResponse(answer);
    this.#trace(bytes, command, answer, options);
    return response;
  }

  #trace(bytes: Uint8Array, command: CommandApdu, answer: Uint8Array, options: SendOptions): void {
    if (this.#onApdu === undefined) return;
    const shown = new Uint8Array(bytes);
    const maskCommand = options.secret === true && command.data.length > 0;
    if (maskCommand) {
      const dataStart = shown.length - command.data.length - (command.ne === undefined ? 0 : 1);
      shown.fill(MASK, dataStart, dataStart + command.data.length);
    }
    const response = new Uint8Array(answer);
    const maskAnswer = options.secretAnswer === true && response.length > 2;
    if (maskAnswer) response.fill(MASK, 0, response.length - 2);
    this.#onApdu({ command: shown, response, masked: maskCommand || maskAnswer });
  }
}

/** The status word as text for a message: `the card answered 6A80 to GET DATA`. */
export function answered(sw: number, what: string): string {
  return `The card answered ${swText(sw)} to ${what}.`;
}
