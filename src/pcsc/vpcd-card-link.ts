/// <reference types="node" />
/**
 * A card in software put into a virtual reader of the real PC/SC stack: vpcd (the vsmartcard
 * project's reader driver for pcscd) listens on a TCP port, and a card that connects to it is
 * inserted; closing the connection removes it. Each message is a two-byte big-endian length and
 * its bytes: one byte is a control (0 power off, 1 power on, 2 reset, 4 send the ATR), more is a
 * command APDU to answer with a response APDU.
 */
import { connect, type Socket } from 'node:net';
import { InvalidInputError } from '../errors.js';

/**
 * A card as vpcd needs it: its ATR and one response APDU per command APDU.
 *
 * @example
 * ```ts
 * import { type ApduCard, insertIntoVpcd } from 'smartcard-2fa/pcsc';
 *
 * // A card that knows no command: every APDU gets 6D00 (instruction not supported).
 * const card: ApduCard = {
 *   atr: Uint8Array.of(0x3b, 0x80, 0x80, 0x01, 0x01),
 *   transmit: async () => Uint8Array.of(0x6d, 0x00),
 * };
 * await insertIntoVpcd(card, { port: 20123 });
 * ```
 *
 * @category Testing
 */
export interface ApduCard {
  /** The answer to reset, sent when the reader asks for it. */
  readonly atr: Uint8Array;
  /** Answers one command APDU with one response APDU (data and status word). */
  transmit(command: Uint8Array): Promise<Uint8Array>;
  /** Told when the reader powers the card off, on or resets it: volatile state goes. */
  powerCycle?(): void | Promise<void>;
}

/**
 * A card in a vpcd reader: `remove()` takes it out; `removed` settles when it is out (also when
 * pcscd or vpcd goes away).
 *
 * @example
 * ```ts
 * import { type ApduCard, insertIntoVpcd, type VpcdInsertion } from 'smartcard-2fa/pcsc';
 *
 * declare const card: ApduCard;
 * const inserted: VpcdInsertion = await insertIntoVpcd(card, { port: 20123 });
 * void inserted.removed.then(() => console.log('the card is out of the reader'));
 * await inserted.remove();
 * ```
 *
 * @category Testing
 */
export interface VpcdInsertion {
  /** Settles when the card is out of the reader. */
  readonly removed: Promise<void>;
  /** Takes the card out (closes the connection to vpcd); resolves once it is out. */
  remove(): Promise<void>;
}

/**
 * Where vpcd listens for its card.
 *
 * @example
 * ```ts
 * import { type ApduCard, insertIntoVpcd, type VpcdAddress } from 'smartcard-2fa/pcsc';
 *
 * declare const card: ApduCard;
 * const address: VpcdAddress = { host: '127.0.0.1', port: 0x4e9b }; // DEVICENAME /dev/null:0x4E9B
 * await insertIntoVpcd(card, address);
 * ```
 *
 * @category Testing
 */
export interface VpcdAddress {
  /** vpcd's card port: its reader's `DEVICENAME /dev/null:0xPORT` (20123 in scripts/pcsc). */
  readonly port: number;
  /** Default `127.0.0.1` (vpcd listens on every interface: run it in a namespace of its own). */
  readonly host?: string;
}

/**
 * Inserts `card` into the vpcd reader listening at `address`: resolves once connected.
 *
 * @throws `InvalidInputError` for a bad port; the socket's error when nothing listens there.
 * @example
 * ```ts
 * import { type ApduCard, insertIntoVpcd } from 'smartcard-2fa/pcsc';
 *
 * declare const card: ApduCard; // a card application in software
 * const inserted = await insertIntoVpcd(card, { port: 20123 }); // pcscd now sees a card
 * await inserted.remove(); // and now it does not
 * ```
 *
 * @category Testing
 */
export async function insertIntoVpcd(card: ApduCard, address: VpcdAddress): Promise<VpcdInsertion> {
  const { port, host = '127.0.0.1' } = address;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new InvalidInputError(`insertIntoVpcd: port must be 1 to 65535, not ${String(port)}.`);
  }
  const socket = await new Promise<Socket>((resolve, reject) => {
    const opened = connect({ host, port }, () => {
      opened.off('error', reject);
      resolve(opened);
    });
    opened.once('error', reject);
  });
  socket.setNoDelay(true);
  const removed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => socket.destroy());
  serve(card, socket);
  return {
    removed,
    async remove() {
      socket.end();
      socket.destroy();
      await removed;
    },
  };
}

/** Reads framed messages from `socket` in order and answers each, one at a time. */
function serve(card: ApduCard, socket: Socket): void {
  let buffered = new Uint8Array(0);
  let queue = Promise.resolve();
  socket.on('data', (chunk: Buffer) => {
    const joined = new Uint8Array(buffered.length + chunk.length);
    joined.set(buffered, 0);
    joined.set(chunk, buffered.length);
    buffered = joined;
    while (buffered.length >= 2) {
      const length = ((buffered[0] as number) << 8) | (buffered[1] as number);
      if (buffered.length < 2 + length) break;
      const message = buffered.slice(2, 2 + length);
      buffered = buffered.slice(2 + length);
      queue = queue
        .then(() => answer(card, socket, message))
        .catch(() => {
          socket.destroy();
        });
    }
  });
}

async function answer(card: ApduCard, socket: Socket, message: Uint8Array): Promise<void> {
  if (socket.destroyed) return;
  if (message.length === 1) {
    const control = message[0];
    if (control === 4) send(socket, card.atr);
    else if (control === 0 || control === 1 || control === 2) await card.powerCycle?.();
    return;
  }
  if (message.length === 0) return;
  send(socket, await card.transmit(message));
}

function send(socket: Socket, bytes: Uint8Array): void {
  const frame = new Uint8Array(2 + bytes.length);
  frame[0] = bytes.length >> 8;
  frame[1] = bytes.length & 0xff;
  frame.set(bytes, 2);
  socket.write(frame);
}
