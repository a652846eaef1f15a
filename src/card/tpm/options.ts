import type { Clock } from '../../clock.js';
import { systemClock } from '../../clock.js';
import type { CryptoOptions } from '../../crypto.js';
import { InvalidInputError } from '../../errors.js';
import type { CardStore } from '../storage/card-store.js';
import type { AntiHammeringPolicy } from './lockout.js';

/**
 * How an existing `SoftwareTpm` runs: which clock drives its lockouts, which WebCrypto it uses.
 *
 * @example
 * ```ts
 * import { MemoryStore, SoftwareTpm, type OpenSoftwareTpmOptions } from 'smartcard-2fa/card';
 *
 * const store = new MemoryStore();
 * const { deviceId } = await SoftwareTpm.create({ store });
 * const options: OpenSoftwareTpmOptions = { clock: { now: () => Date.now() } };
 * const tpm = await SoftwareTpm.open(store, deviceId, options);
 * ```
 *
 * @category Cards
 */
export interface OpenSoftwareTpmOptions extends CryptoOptions {
  /** The time that lockouts and recovery follow; `systemClock` by default. */
  clock?: Clock;
}

/**
 * What a new `SoftwareTpm` starts with. Every option is optional.
 *
 * @example
 * ```ts
 * import { MemoryStore, SoftwareTpm, type SoftwareTpmOptions } from 'smartcard-2fa/card';
 *
 * const options: SoftwareTpmOptions = {
 *   store: new MemoryStore(),
 *   antiHammering: { failureThreshold: 5, lockoutMs: 30_000 },
 * };
 * const tpm = await SoftwareTpm.create(options);
 * ```
 *
 * @category Cards
 */
export interface SoftwareTpmOptions extends OpenSoftwareTpmOptions {
  /**
   * Where the TPM keeps its record (its "NV memory"), under the name `tpm-<deviceId>`. Without a
   * store the TPM lives only as long as the object, and so do the blobs it sealed.
   */
  store?: CardStore;
  /**
   * The dictionary-attack policy, merged onto {@link DEFAULT_ANTI_HAMMERING}. It is saved with the
   * TPM: a TPM opened later keeps it.
   */
  antiHammering?: Partial<AntiHammeringPolicy>;
}

const SECOND = 1000;
const HOUR = 60 * 60 * SECOND;
const MAX_MS = 365 * 24 * HOUR;
const MAX_THRESHOLD = 1000;

/**
 * The anti-hammering policy of a new `SoftwareTpm` unless told otherwise: the Windows example
 * TPM policy (9 failures, then a 10 s lockout doubling after each further failure), capped at
 * 24 hours, with one failure forgiven per 2 hours.
 *
 * @example
 * ```ts
 * import { DEFAULT_ANTI_HAMMERING, SoftwareTpm } from 'smartcard-2fa/card';
 *
 * DEFAULT_ANTI_HAMMERING.failureThreshold; // 9
 * const tpm = await SoftwareTpm.create({ antiHammering: { lockoutMs: 1_000 } });
 * // The rest is the default:
 * tpm.antiHammering.maxLockoutMs === DEFAULT_ANTI_HAMMERING.maxLockoutMs; // true
 * ```
 *
 * @category Cards
 */
export const DEFAULT_ANTI_HAMMERING: AntiHammeringPolicy = Object.freeze({
  failureThreshold: 9,
  lockoutMs: 10 * SECOND,
  maxLockoutMs: 24 * HOUR,
  recoveryMs: 2 * HOUR,
});

const POLICY_KEYS = Object.keys(DEFAULT_ANTI_HAMMERING) as (keyof AntiHammeringPolicy)[];

/** Checks `options` of `SoftwareTpm.open`; returns the clock. @internal */
export function checkOpenOptions(options: unknown): Clock {
  if (options === undefined) return systemClock;
  const checked = objectOf(options, 'The options');
  const clock = checked.clock ?? systemClock;
  if (typeof (objectOf(clock, 'clock') as { now?: unknown }).now !== 'function') {
    throw new InvalidInputError('clock must be an object with a now() method.');
  }
  return clock as Clock;
}

/** Checks `options` of `SoftwareTpm.create`; returns the clock, store and whole policy. @internal */
export function checkCreateOptions(options: unknown): {
  clock: Clock;
  store: CardStore | undefined;
  policy: AntiHammeringPolicy;
} {
  const clock = checkOpenOptions(options);
  const fields = (options ?? {}) as Record<string, unknown>;
  const store = fields.store === undefined ? undefined : checkStore(fields.store);
  const given =
    fields.antiHammering === undefined ? {} : objectOf(fields.antiHammering, 'antiHammering');
  return { clock, store, policy: resolvePolicy(given) };
}

/** Throws unless `store` looks like a {@link CardStore}. @internal */
export function checkStore(store: unknown): CardStore {
  const storeFields = objectOf(store, 'store') as Record<string, unknown>;
  if (typeof storeFields.load !== 'function' || typeof storeFields.save !== 'function') {
    throw new InvalidInputError('store must be a CardStore (with load() and save() methods).');
  }
  return store as CardStore;
}

/**
 * `given` merged onto the defaults; throws `InvalidInputError` for an unknown key or a
 * value out of range.
 *
 * @internal
 */
export function resolvePolicy(given: Record<string, unknown>): AntiHammeringPolicy {
  for (const key of Object.keys(given)) {
    if (!(POLICY_KEYS as string[]).includes(key)) {
      throw new InvalidInputError(
        `antiHammering has no option "${key}"; the options are ${POLICY_KEYS.join(', ')}.`,
      );
    }
  }
  const pick = (key: keyof AntiHammeringPolicy) => given[key] ?? DEFAULT_ANTI_HAMMERING[key];
  const failureThreshold = integerOf(
    pick('failureThreshold'),
    'failureThreshold',
    1,
    MAX_THRESHOLD,
  );
  const lockoutMs = integerOf(pick('lockoutMs'), 'lockoutMs', 1, MAX_MS);
  const maxLockoutMs = integerOf(pick('maxLockoutMs'), 'maxLockoutMs', lockoutMs, MAX_MS);
  const recoveryMs = integerOf(pick('recoveryMs'), 'recoveryMs', 1, MAX_MS);
  return Object.freeze({ failureThreshold, lockoutMs, maxLockoutMs, recoveryMs });
}

function integerOf(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(`antiHammering.${name} must be an integer from ${min} to ${max}.`);
  }
  return value;
}

function objectOf(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError(`${name} must be an object.`);
  }
  return value as Record<string, unknown>;
}
