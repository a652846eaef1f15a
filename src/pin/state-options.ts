import type { WebCryptoKey } from '../crypto.js';
import { type CryptoOptions, getCrypto } from '../crypto.js';
import { InvalidInputError, PinPolicyError } from '../errors.js';
import { utf8 } from '../lib/bytes.js';
import { checkUnblockCredentials, type UnblockCredential } from './credential.js';
import { DEFAULT_ITERATIONS, hashSecret, MAX_ITERATIONS } from './hash.js';
import { PinPolicy } from './policy.js';
import { importIntegrityKey, type PinStateData, type PinStateRecord } from './record.js';
import type { PinPolicyRules } from './rules.js';

/**
 * How a `PinState` keeps itself: where it saves, with which key, with which crypto.
 *
 * @example
 * ```ts
 * import { PinState, type PinStateOptions, type PinStateRecord } from 'smartcard-2fa/pin';
 *
 * let saved: PinStateRecord | undefined;
 * const options: PinStateOptions = { persist: (record) => { saved = record; } };
 * const state = await PinState.create(options);
 * await state.verify('00000000'); // the spent attempt was saved before the PIN was compared
 * const later = await PinState.restore(saved, options);
 * console.log(later.status().attemptsRemaining); // 4
 * ```
 *
 * @category PIN
 */
export interface PinStateOptions extends CryptoOptions {
  /**
   * Called with the new record before every change takes effect, and awaited. A wrong-PIN
   * attempt is persisted here *before* the PIN is compared, so losing power mid-check never
   * gives a free try. If it throws, the operation stops with `StorageError`.
   *
   * With `load`, write the record only over the one `load` last returned (a compare-and-swap)
   * and resolve `false`, writing nothing, when that one was replaced meanwhile: the operation
   * then loads again and starts over from the fresher record.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a persist written as statements returns void
  persist?: (record: PinStateRecord) => void | boolean | Promise<void | boolean>;
  /**
   * The record as saved now (the object or its JSON text), read before every operation, for a
   * PIN state that other objects or processes share (with a compare-and-swap `persist`).
   * Returning the same object as last time means "unchanged". `undefined` (nothing saved) stops
   * the operation with `StorageError`.
   */
  load?: () => PinStateRecord | string | undefined | Promise<PinStateRecord | string | undefined>;
  /**
   * Authenticates saved records (HMAC-SHA-256): raw bytes (16 or more) or an HMAC-SHA-256
   * CryptoKey usable to sign. A record saved with a key is restored only with the same key.
   */
  integrityKey?: WebCryptoKey | Uint8Array<ArrayBuffer>;
}

/**
 * What a new card's PIN state starts with.
 *
 * @example
 * ```ts
 * import { PinState } from 'smartcard-2fa/pin';
 *
 * const state = await PinState.create({
 *   policy: { maxAttempts: 3 },
 *   unblock: { kind: 'puk', value: '87654321' },
 * });
 * ```
 *
 * @category PIN
 */
export interface CreatePinStateOptions extends PinStateOptions {
  /** The card's rules: a `PinPolicy`, or rules merged onto the defaults. */
  policy?: PinPolicy | Partial<PinPolicyRules>;
  /** The initial PIN; the policy's default PIN when left out. */
  pin?: string;
  /**
   * Whether the PIN must be changed before first use. Left out: always when the PIN is the
   * policy's default PIN (whatever the policy's `changeOnFirstUse`), else `changeOnFirstUse`.
   * Pass `false` by name to keep a default PIN without a forced change.
   */
  mustChange?: boolean;
  /**
   * What unblocks the PIN: a PUK, an admin key, or both (a list with at most one of each kind),
   * each with its own counter. Without one, only an administrator's reset does.
   */
  unblock?: UnblockCredential | readonly UnblockCredential[];
  /** PBKDF2-SHA-256 iterations per check (1 to 10,000,000); 100,000 by default. */
  iterations?: number;
}

/** Checks the options of `PinState.create` and builds the first state (not yet persisted).
 *
 * @category PIN
 */
export async function initialState(
  options: CreatePinStateOptions,
): Promise<{ crypto: Crypto; key: CryptoKey | undefined; data: PinStateData }> {
  const policy = PinPolicy.from(options.policy);
  const rules = policy.rules;
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new InvalidInputError(`iterations must be an integer from 1 to ${MAX_ITERATIONS}.`);
  }
  const pin = options.pin ?? rules.defaultPin;
  if (typeof pin !== 'string') throw new InvalidInputError('The initial PIN must be a string.');
  if (pin !== rules.defaultPin) {
    const violations = policy.validate(pin);
    if (violations.length > 0) {
      throw new PinPolicyError('The initial PIN does not meet the PIN policy.', violations);
    }
  }
  const mustChange =
    optionalBoolean(options.mustChange, 'mustChange') ??
    (pin === rules.defaultPin || rules.changeOnFirstUse);
  const unblock = options.unblock === undefined ? [] : checkUnblockCredentials(options.unblock);
  const crypto = await getCrypto(options);
  const key = await importIntegrityKey(crypto, options.integrityKey);
  const data: PinStateData = {
    policy: rules,
    iterations,
    pin: await hashSecret(crypto, utf8(pin), iterations),
    attemptsRemaining: rules.maxAttempts,
    mustChange,
    isDefault: pin === rules.defaultPin,
    unblock: await Promise.all(
      unblock.map(async (credential) => ({
        kind: credential.kind,
        secret: await hashSecret(crypto, credential.bytes, iterations),
        attemptsRemaining: rules.maxUnblockAttempts,
      })),
    ),
  };
  return { crypto, key, data };
}

/** `value` if it is a boolean or undefined; InvalidInputError otherwise.
 *
 * @category PIN
 */
export function optionalBoolean(value: unknown, name: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new InvalidInputError(`${name} must be true or false.`);
  }
  return value;
}

/** Throws unless `pin` is a string the policy's format allows (else it cannot be right).
 *
 * @category PIN
 */
export function assertPinFormat(
  policy: PinPolicy,
  pin: unknown,
  label: string,
): asserts pin is string {
  if (typeof pin !== 'string') throw new InvalidInputError(`The ${label} must be a string.`);
  const violations = policy.checkFormat(pin);
  if (violations.length > 0) {
    throw new PinPolicyError(
      `The ${label} cannot be right: ${violations.map((v) => v.message).join(' ')}`,
      violations,
    );
  }
}

/** Throws unless `next` may be set as the new PIN, listing every rule it breaks.
 *
 * @category PIN
 */
export function assertNewPin(
  policy: PinPolicy,
  next: unknown,
  current: string | undefined,
): asserts next is string {
  if (typeof next !== 'string') throw new InvalidInputError('The new PIN must be a string.');
  const violations = policy.validate(next, current === undefined ? {} : { currentPin: current });
  if (violations.length > 0) {
    throw new PinPolicyError(
      `The new PIN does not meet the card's PIN policy: ${violations.map((v) => v.message).join(' ')}`,
      violations,
    );
  }
}
