import type { CardKind } from '../card/contract/smart-card.js';
import type { CardStore } from '../card/storage/card-store.js';
import { InvalidInputError } from '../errors.js';
import { PinPolicy } from '../pin/policy.js';
import type { PinPolicyRules } from '../pin/rules.js';
import type { Token } from './token.js';

/**
 * How the SDK counts wrong PINs: `'token'` leaves it to the token (its own counter and lock;
 * attempts left are `null` unless the token says "final try"); `{ maxAttempts }` keeps the SDK's
 * own counter beside the token, spent before the token is asked, for tokens that never lock
 * (SoftHSM2). Other software using the token does not see the SDK's counter.
 *
 * @example
 * ```ts
 * import { type Pkcs11RetryCounter, Pkcs11SmartCard } from 'smartcard-2fa/pkcs11';
 *
 * const retryCounter: Pkcs11RetryCounter = { maxAttempts: 5 }; // the SDK counts wrong PINs
 * const card = await Pkcs11SmartCard.open({
 *   module: '/usr/lib/softhsm/libsofthsm2.so',
 *   label: 'my-token',
 *   retryCounter,
 * });
 * console.log((await card.pinStatus()).attemptsRemaining); // 5 on a fresh token
 * ```
 *
 * @category Cards
 */
export type Pkcs11RetryCounter = 'token' | { readonly maxAttempts: number };

/**
 * What {@link Pkcs11SmartCard.open} takes: the module and which token, and what the SDK adds.
 *
 * @example
 * ```ts
 * import { type Pkcs11CardOptions, Pkcs11SmartCard } from 'smartcard-2fa/pkcs11';
 *
 * const options: Pkcs11CardOptions = {
 *   module: '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
 *   label: 'PIV Card Holder pin',
 * };
 * const card = await Pkcs11SmartCard.open(options);
 * console.log((await card.info()).label);
 * ```
 *
 * @category Cards
 */
export interface Pkcs11CardOptions {
  /** The PKCS#11 module's path, as `/usr/lib/softhsm/libsofthsm2.so`. */
  readonly module: string;
  /** The token's label (slot ids change: tokens are found by label or serial). */
  readonly label?: string;
  /** The token's serial number; with `label`, both must match. */
  readonly serial?: string;
  /** `physical` or `virtual`; by default `physical` when the slot is removable. */
  readonly kind?: CardKind;
  /**
   * The PIN rules the SDK applies before the token sees a PIN: a `PinPolicy`, or rules merged
   * onto these defaults: the token's length limits (at least 4), printable ASCII, no trivial,
   * default or reused new PIN, no change on first use.
   */
  readonly pinPolicy?: PinPolicy | Partial<PinPolicyRules>;
  /**
   * Who counts wrong PINs (see {@link Pkcs11RetryCounter}). By default the SDK counts, with the
   * policy's `maxAttempts`, on tokens known never to lock (SoftHSM2), and the token elsewhere.
   */
  readonly retryCounter?: Pkcs11RetryCounter;
  /**
   * Where the SDK keeps its record (the card id, its retry counter, must-change, friendly
   * names): `'token'` (the default) as a public data object on the token, or a `CardStore`.
   * A token that refuses public data objects (tpm2-pkcs11) without a store keeps the record in
   * this process's memory only.
   */
  readonly state?: 'token' | CardStore;
}

/** Which token to open: by label, serial, both, or the only one present.
 *
 * @example
 * ```ts
 * import type { TokenMatch } from './options.js';
 *
 * const match: TokenMatch = { label: 'my-token' };
 * ```
 *
 * @category Cards
 */
export interface TokenMatch {
  readonly label?: string | undefined;
  readonly serial?: string | undefined;
}

/** The options of {@link Pkcs11SmartCard.open}, checked.
 *
 * @example
 * ```ts
 * import { type CheckedCardOptions, checkCardOptions } from './options.js';
 *
 * const o: CheckedCardOptions = checkCardOptions({ module: '/usr/lib/softhsm/libsofthsm2.so' });
 * ```
 *
 * @category Cards
 */
export interface CheckedCardOptions {
  readonly module: string;
  readonly match: TokenMatch;
  readonly kind: CardKind | undefined;
  readonly pinPolicy: PinPolicy | Partial<PinPolicyRules> | undefined;
  readonly retryCounter: unknown;
  readonly state: 'token' | CardStore;
}

function text(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
    throw new InvalidInputError(`${name} must be 1 to 64 characters.`);
  }
  return value;
}

/** Checks the options of {@link Pkcs11SmartCard.open} (all but the retry counter, checked once
 * the token's policy is known); `InvalidInputError` for a bad one.
 *
 * @example
 * ```ts
 * import { checkCardOptions } from './options.js';
 *
 * const o = checkCardOptions({ module: '/usr/lib/softhsm/libsofthsm2.so', label: 'my-token' });
 * ```
 *
 * @category Cards
 */
export function checkCardOptions(options: Partial<Pkcs11CardOptions>): CheckedCardOptions {
  if (typeof options.module !== 'string' || options.module.length === 0) {
    throw new InvalidInputError('module must be the path of a PKCS#11 module.');
  }
  const match = { label: text(options.label, 'label'), serial: text(options.serial, 'serial') };
  if (options.kind !== undefined && options.kind !== 'physical' && options.kind !== 'virtual') {
    throw new InvalidInputError('kind must be "physical" or "virtual".');
  }
  const state = options.state ?? 'token';
  if (state !== 'token' && (typeof state !== 'object' || state === null)) {
    throw new InvalidInputError('state must be "token" or a CardStore.');
  }
  return {
    module: options.module,
    match,
    kind: options.kind,
    pinPolicy: options.pinPolicy,
    retryCounter: options.retryCounter,
    state,
  };
}

/** Tokens known to count wrong PINs without ever locking: the SDK counts for them. */
function neverLocks(token: Token): boolean {
  return token.manufacturer === 'SoftHSM project' || token.model.startsWith('SoftHSM');
}

/** The PIN policy for `token`: the one given, or the given rules over the token's limits.
 *
 * @example
 * ```ts
 * import { tokenPolicy } from './options.js';
 * import type { Token } from './token.js';
 *
 * declare const token: Token; // findToken(pk, lib, match)
 * const policy = tokenPolicy(token, { maxAttempts: 3 });
 * ```
 *
 * @category Cards
 */
export function tokenPolicy(
  token: Token,
  given: PinPolicy | Partial<PinPolicyRules> | undefined,
): PinPolicy {
  if (given instanceof PinPolicy) return given;
  const min = Math.max(4, token.minPinLen);
  const max = token.maxPinLen > 0 ? Math.min(127, Math.max(min, token.maxPinLen)) : 127;
  return PinPolicy.from({
    minLength: min,
    maxLength: max,
    changeOnFirstUse: false,
    ...(given ?? {}),
  });
}

/** The SDK's counters for `token`: `null` where the SDK does not count.
 *
 * @example
 * ```ts
 * import type { RetryCounters } from './options.js';
 *
 * const counters: RetryCounters = { maxAttempts: 5, maxSoAttempts: 3 };
 * ```
 *
 * @category Cards
 */
export interface RetryCounters {
  /** The user PIN's maximum. */
  readonly maxAttempts: number | null;
  /** The security officer's PIN's maximum: counted when the user PIN is. */
  readonly maxSoAttempts: number | null;
}

/**
 * The SDK's counters: the `retryCounter` option's, else the policy's on tokens that never
 * lock; `InvalidInputError` for a bad option.
 *
 * @example
 * ```ts
 * import { retryCounters, tokenPolicy } from './options.js';
 * import type { Token } from './token.js';
 *
 * declare const token: Token; // findToken(pk, lib, match)
 * const policy = tokenPolicy(token, undefined);
 * const { maxAttempts } = retryCounters({ maxAttempts: 5 }, token, policy);
 * ```
 *
 * @category Cards
 */
export function retryCounters(value: unknown, token: Token, policy: PinPolicy): RetryCounters {
  const maxAttempts = retryCounter(value, neverLocks(token) ? policy.rules.maxAttempts : null);
  return {
    maxAttempts,
    maxSoAttempts: maxAttempts === null ? null : policy.rules.maxUnblockAttempts,
  };
}

function retryCounter(value: unknown, fallback: number | null): number | null {
  if (value === undefined) return fallback;
  if (value === 'token') return null;
  const max = (value as { maxAttempts?: unknown } | null)?.maxAttempts;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 255) {
    throw new InvalidInputError('retryCounter is "token" or { maxAttempts: 1 to 255 }.');
  }
  return max;
}
