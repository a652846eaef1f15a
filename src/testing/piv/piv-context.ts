/**
 * What the PIV test card's command handlers share: the card's saved state (read and committed),
 * its session (what a power cycle forgets), WebCrypto and the key source, and the answers they
 * give.
 */
import type { CommandApdu, ResponseApdu } from '../../lib/apdu.js';
import { SW } from '../../lib/apdu.js';
import type { PivCardState } from './piv-state.js';
import type { PivKeySource } from './slot-keys.js';

/** What the card knows only while it has power. */
export interface PivSession {
  /** The PIV application is selected. */
  selected: boolean;
  /** The PIN was verified since the last power-on (or log-out). */
  pinVerified: boolean;
  /** A VERIFY not yet used by a 9C signature (PIN policy "always"). */
  pinFreshForSignature: boolean;
  /** The management key was authenticated. */
  managementAuthenticated: boolean;
  /** The management key authentication under way: what the card sent, to check the next step. */
  managementStep:
    | { readonly kind: 'witness' | 'challenge'; readonly value: Uint8Array<ArrayBuffer> }
    | undefined;
}

/** A new session, as at power-on. */
export function freshSession(): PivSession {
  return {
    selected: false,
    pinVerified: false,
    pinFreshForSignature: false,
    managementAuthenticated: false,
    managementStep: undefined,
  };
}

/** What every command handler is given. */
export interface PivContext {
  readonly crypto: Crypto;
  readonly session: PivSession;
  readonly keySource: PivKeySource;
  /** The card's saved state as last read. */
  state(): PivCardState;
  /** Saves `next` as the card's state before the card answers; throws when it cannot. */
  commit(next: PivCardState): Promise<void>;
}

/** A command handler: one command (its chain joined) in, one answer out. */
export type PivCommandHandler = (
  context: PivContext,
  command: CommandApdu,
) => Promise<ResponseApdu>;

const EMPTY = new Uint8Array(0);

/** An answer with no data. */
export function status(sw: number): ResponseApdu {
  return { data: EMPTY, sw };
}

/** A successful answer carrying `data`. */
export function success(data: Uint8Array<ArrayBuffer> = EMPTY): ResponseApdu {
  return { data, sw: SW.OK };
}

/** 63Cx: a wrong PIN or PUK with `triesLeft` tries left (0: now blocked). */
export function triesLeftStatus(triesLeft: number): ResponseApdu {
  return status(SW.TRIES_LEFT | Math.min(triesLeft, 15));
}
