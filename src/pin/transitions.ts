/**
 * What each PIN operation makes of a card's PIN state, as data in and data out: the status it
 * reports, an attempt spent, a new PIN, an unblock credential chosen or replaced. `PinState`
 * (state.ts) runs these one at a time and persists each result. Internal.
 */
import { UnblockUnavailableError } from '../errors.js';
import { utf8 } from '../lib/bytes.js';
import { hashSecret, matchesSecret } from './hash.js';
import type { PinStateData, UnblockKind, UnblockSlot } from './record.js';
import type { PinChangeResult, PinStatus, PinVerifyResult } from './results.js';

/** The PIN's state as {@link PinStatus} reports it. */
export function statusOf(data: PinStateData): PinStatus {
  return {
    attemptsRemaining: data.attemptsRemaining,
    maxAttempts: data.policy.maxAttempts,
    blocked: data.attemptsRemaining === 0,
    mustChange: data.mustChange,
    isDefault: data.isDefault,
    unblock: data.unblock.map((slot) => ({
      kind: slot.kind,
      attemptsRemaining: slot.attemptsRemaining,
      maxAttempts: data.policy.maxUnblockAttempts,
      blocked: slot.attemptsRemaining === 0,
    })),
  };
}

/** The state with one PIN attempt spent; `undefined` when the PIN is already blocked. */
export function withPinAttemptSpent(data: PinStateData): PinStateData | undefined {
  if (data.attemptsRemaining === 0) return undefined;
  return { ...data, attemptsRemaining: data.attemptsRemaining - 1 };
}

/** Whether `pin` is the PIN of `data` (compared in constant time, through its hash). */
export function matchesPin(crypto: Crypto, pin: string, data: PinStateData): Promise<boolean> {
  return matchesSecret(crypto, utf8(pin), data.pin, data.iterations);
}

/** The state with `pin` as its PIN, every PIN attempt restored and must-change as given. */
export async function withPin(
  crypto: Crypto,
  data: PinStateData,
  pin: string,
  mustChange: boolean,
): Promise<PinStateData> {
  return {
    ...data,
    pin: await hashSecret(crypto, utf8(pin), data.iterations),
    attemptsRemaining: data.policy.maxAttempts,
    mustChange,
    isDefault: pin === data.policy.defaultPin,
  };
}

/** The state with `slot` in place of the unblock credential of its kind. */
export function withSlot(data: PinStateData, slot: UnblockSlot): PinStateData {
  return { ...data, unblock: data.unblock.map((u) => (u.kind === slot.kind ? slot : u)) };
}

/**
 * The unblock credential of `kind` that may unblock the PIN now; {@link UnblockUnavailableError}
 * when the card has none of that kind or the PIN is not blocked (nothing is spent).
 */
export function unblockSlotOf(data: PinStateData, kind: UnblockKind): UnblockSlot {
  return unblockSlotIn(data.unblock, kind, data.attemptsRemaining === 0);
}

/**
 * Of `slots` (a state's unblock credentials, or a status's), the one of `kind`, when the PIN
 * (`pinBlocked`) can be unblocked with it; otherwise the {@link UnblockUnavailableError} that
 * says why. Both the PIN state and the emulated chip refuse with these words.
 */
export function unblockSlotIn<Slot extends { readonly kind: UnblockKind }>(
  slots: readonly Slot[],
  kind: UnblockKind,
  pinBlocked: boolean,
): Slot {
  const slot = slots.find((u) => u.kind === kind);
  if (slot === undefined) {
    throw new UnblockUnavailableError(
      kind === 'puk'
        ? 'This card has no PUK; unblock it with its admin key, or have it reset.'
        : 'This card has no admin key; unblock it with its PUK, or have it reset.',
    );
  }
  if (!pinBlocked) {
    throw new UnblockUnavailableError(
      'The PIN is not blocked, so there is nothing to unblock: change it with the current PIN. Nothing was spent.',
    );
  }
  return slot;
}

/**
 * The unblock credentials after a reset, each with every attempt restored: the current ones, or
 * `replacement` (checked credentials) hashed anew.
 */
export async function slotsAfterReset(
  crypto: Crypto,
  data: PinStateData,
  replacement: readonly { kind: UnblockKind; bytes: Uint8Array<ArrayBuffer> }[] | undefined,
): Promise<UnblockSlot[]> {
  const max = data.policy.maxUnblockAttempts;
  if (replacement === undefined) {
    return data.unblock.map((slot) => ({ ...slot, attemptsRemaining: max }));
  }
  return Promise.all(
    replacement.map(async (credential) => ({
      kind: credential.kind,
      secret: await hashSecret(crypto, credential.bytes, data.iterations),
      attemptsRemaining: max,
    })),
  );
}

/** The answer to a wrong PIN that left `attemptsRemaining`. */
export function incorrect(attemptsRemaining: number): PinVerifyResult & PinChangeResult {
  return attemptsRemaining === 0
    ? { status: 'blocked' }
    : { status: 'incorrect', attemptsRemaining };
}
