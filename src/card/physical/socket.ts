import type { ChipPresence } from '../chip/transaction.js';

/**
 * Where a physical card sits: in a reader or not, and a generation that changes every time it
 * leaves one (losing power, which ends its session and interrupts its operations).
 *
 * @category Cards
 */
export class Socket implements ChipPresence {
  #holder: object | null = null;
  #generation = 0;

  get holder(): object | null {
    return this.#holder;
  }

  present(): boolean {
    return this.#holder !== null;
  }

  generation(): number {
    return this.#generation;
  }

  plugInto(holder: object): void {
    this.#holder = holder;
  }

  unplug(): void {
    this.#holder = null;
    this.#generation += 1;
  }
}

const sockets = new WeakMap<object, Socket>();

/** The socket of a physical card, for readers.
 *
 * @category Cards
 */
export function socketOf(card: object): Socket | undefined {
  return sockets.get(card);
}

export function registerSocket(card: object, socket: Socket): void {
  sockets.set(card, socket);
}
