/**
 * The PIN side of the emulated chip: PIN checks under the device's guard, and the card session
 * they open. Internal.
 *
 * @module
 */
import { PinRequiredError } from '../../errors.js';
import {
  checkUnblockCredential,
  credentialKind,
  type UnblockCredential,
} from '../../pin/credential.js';
import type {
  PinChangeResult,
  PinState,
  PinStatus,
  PinUnblockResult,
  PinVerifyResult,
} from '../../pin/index.js';
import { assertNewPin, assertPinFormat, optionalBoolean } from '../../pin/state-options.js';
import { unblockSlotIn } from '../../pin/transitions.js';
import * as input from '../contract/input.js';
import type { ContainerStore } from './containers.js';
import { type Transaction, unwrapPinError } from './transaction.js';

/**
 * Runs one PIN check under the device's protection: a TPM's anti-hammering for a virtual card,
 * nothing more for a physical one. `failed` says whether the attempt counts as a failure.
 *
 * @category Cards
 */
export type PinGuard = <T>(attempt: () => Promise<{ failed: boolean; value: T }>) => Promise<T>;

const unguarded: PinGuard = async (attempt) => (await attempt()).value;

/** What {@link ChipPins} needs from its chip. */
interface ChipPinsDeps {
  readonly transaction: <T>(operation: (tx: Transaction) => Promise<T>) => Promise<T>;
  readonly guard?: PinGuard | undefined;
}

/**
 * A chip's PIN state and card session, as {@link ContainerStore} holds its keys: each operation
 * runs as one card transaction of the chip. The session is the presence generation in which a
 * PIN was last verified, so it ends when the card loses power, and on
 * {@link ChipPins.endSession}.
 *
 * @internal
 */
export class ChipPins {
  readonly #pin: PinState;
  readonly #deps: ChipPinsDeps;
  /** The presence generation in which a PIN was verified; the session ends when it changes. */
  #verifiedIn: number | undefined;

  constructor(pin: PinState, deps: ChipPinsDeps) {
    this.#pin = pin;
    this.#deps = deps;
  }

  /** Takes the PIN record as saved now (the chip does, at the start of each transaction). */
  refresh(): Promise<void> {
    return this.#pin.refresh();
  }

  /** The PIN's state, and whether it was verified in the session `tx` runs in. */
  sessionIn(tx: Transaction): { pin: PinStatus; pinVerified: boolean } {
    return { pin: this.#pin.status(), pinVerified: this.#verifiedIn === tx.generation };
  }

  /** Throws `PinRequiredError` unless a PIN was verified in the session `tx` runs in. */
  requireVerified(tx: Transaction): void {
    if (this.#verifiedIn !== tx.generation) {
      throw new PinRequiredError(
        'Verify the PIN first: this operation uses a private key, and no PIN has been verified since the card was inserted, reset or logged out.',
      );
    }
  }

  status(): Promise<PinStatus> {
    return this.#deps.transaction(async () => this.#pin.status());
  }

  verify(pin: string): Promise<PinVerifyResult> {
    return this.#deps.transaction(async (tx) => {
      assertPinFormat(this.#pin.policy, pin, 'PIN');
      if (this.#pin.status().blocked) return { status: 'blocked' } as const;
      const result = await this.#guarded(
        () => this.#pin.verify(pin),
        (r) => r.status !== 'verified',
      );
      this.#verifiedIn = result.status === 'verified' ? tx.generation : undefined;
      return result;
    });
  }

  change(current: string, next: string): Promise<PinChangeResult> {
    return this.#deps.transaction(async (tx) => {
      assertPinFormat(this.#pin.policy, current, 'current PIN');
      assertNewPin(this.#pin.policy, next, current);
      if (this.#pin.status().blocked) return { status: 'blocked' } as const;
      const result = await this.#guarded(
        () => this.#pin.change(current, next),
        (r) => r.status !== 'changed',
      );
      if (result.status === 'changed') this.#verifiedIn = tx.generation;
      else this.#verifiedIn = undefined;
      return result;
    });
  }

  unblock(
    credential: string | Uint8Array<ArrayBuffer>,
    next: string,
    options?: { mustChange?: boolean },
  ): Promise<PinUnblockResult> {
    return this.#deps.transaction(async () => {
      const checked = input.options<{ mustChange: boolean }>(options, 'unblockPin options');
      const mustChange = optionalBoolean(checked.mustChange, 'mustChange');
      const kind = credentialKind(credential);
      checkUnblockCredential({ kind, value: credential } as UnblockCredential);
      assertNewPin(this.#pin.policy, next, undefined);
      // Nothing to compare: no PIN attempt and no TPM failure to count, the session goes on.
      const status = this.#pin.status();
      const slot = unblockSlotIn(status.unblock, kind, status.blocked);
      if (slot.blocked) return { status: 'blocked' } as const;
      this.#verifiedIn = undefined;
      return this.#guarded(
        () => this.#pin.unblock(credential, next, mustChange === undefined ? {} : { mustChange }),
        (r) => r.status !== 'unblocked',
      );
    });
  }

  /** "Force a PIN change on first use", as the enrollment station sets it; needs the PIN. */
  requireChange(): Promise<void> {
    return this.#deps.transaction(async (tx) => {
      this.requireVerified(tx);
      await pinCall(() => this.#pin.setMustChange(true));
    });
  }

  /** Ends the card session (logout, card reset). */
  endSession(): Promise<void> {
    return this.#deps.transaction(async () => {
      this.#verifiedIn = undefined;
    });
  }

  #guarded<T>(attempt: () => Promise<T>, failed: (value: T) => boolean): Promise<T> {
    const guard = this.#deps.guard ?? unguarded;
    return pinCall(() =>
      guard(async () => {
        const value = await attempt();
        return { failed: failed(value), value };
      }),
    );
  }
}

async function pinCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw unwrapPinError(error);
  }
}
