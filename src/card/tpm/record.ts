/**
 * The saved form of a `SoftwareTpm` (its "NV memory"): canonical JSON in UTF-8. Internal.
 *
 * ```json
 * {"antiHammering":{...},"deviceId":"<32 hex>","format":"smartcard-2fa/software-tpm",
 *  "integrity":{"algorithm":"SHA-256","tag":"<base64>"},
 *  "lockout":{"failedTries":0,"lastFailureAt":null,"lockoutMs":0},"seed":"<base64>","version":1}
 * ```
 *
 * The seed is in the record: the record *is* the TPM. The SHA-256 tag detects damage, not a
 * deliberate edit; whoever can write a TPM's own store owns that TPM.
 *
 * @module
 */
import {
  InvalidInputError,
  SmartCardError,
  StateCorruptError,
  StorageError,
  TpmUnavailableError,
} from '../../errors.js';
import { constantTimeEqual, fromBase64, toBase64, utf8 } from '../../lib/bytes.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import { savedRecord } from '../../lib/saved-record.js';
import type { CardStore } from '../storage/card-store.js';
import type { AntiHammeringPolicy, LockoutCounter } from './lockout.js';
import { resolvePolicy } from './options.js';
import { DEVICE_ID, deriveDeviceId, SEED_BYTES } from './seal.js';

const FORMAT = 'smartcard-2fa/software-tpm';
const VERSION = 1;

const saved = savedRecord('saved TPM');
const { corrupt, object: objectOf, integer: integerOf } = saved;

/** Everything a TPM keeps. @internal */
export interface TpmData {
  readonly deviceId: string;
  readonly seed: Uint8Array;
  readonly policy: AntiHammeringPolicy;
  readonly counter: LockoutCounter;
  /** Monotonic counters (NV counters), by name: the versions of state sealed for cards. */
  readonly nv: Readonly<Record<string, number>>;
}

/** The store name of the TPM with this device id. @internal */
export function recordName(deviceId: string): string {
  return `tpm-${deviceId}`;
}

/**
 * Loads and decodes the TPM `deviceId` from `store`: `TpmUnavailableError` when it is not
 * there, `StorageError` when the store fails, `StateCorruptError` when damaged.
 *
 * @internal
 */
export async function loadTpmRecord(
  crypto: Crypto,
  store: CardStore,
  deviceId: string,
): Promise<TpmData> {
  const bytes = await readTpmBytes(store, recordName(deviceId));
  if (bytes === undefined) {
    throw new TpmUnavailableError(`No TPM with device id ${deviceId} is in this store.`);
  }
  return decodeTpmRecord(crypto, bytes, deviceId);
}

/** The bytes saved under `name`; `StorageError` when the store fails. */
async function readTpmBytes(store: CardStore, name: string): Promise<Uint8Array | undefined> {
  try {
    return await store.load(name);
  } catch (cause) {
    if (SmartCardError.is(cause)) throw cause;
    throw new StorageError('Reading the TPM from its store failed.', { cause });
  }
}

/** Saves `data` to `store`; `StorageError` when that fails. @internal */
export async function saveTpmRecord(
  crypto: Crypto,
  store: CardStore,
  data: TpmData,
): Promise<void> {
  const bytes = await encodeTpmRecord(crypto, data);
  try {
    await store.save(recordName(data.deviceId), bytes);
  } catch (cause) {
    throw new StorageError('Saving the TPM state failed; the change was not made.', { cause });
  }
}

/** How many times in a row an update is read and applied again after losing a `swap`. */
const MAX_RACES = 32;

/**
 * Applies `change` to the TPM record as saved now and writes the result only over the bytes it
 * read (the store's `swap`), reading again when another `SoftwareTpm` object (in this process or
 * another) wrote first: the NV counters and the failure count of a device never go back because
 * a stale object saved. Returns the record as written (or as read, when `change` leaves it as it
 * is). A store without `swap` gets `change(current)` saved plainly, as before.
 *
 * @internal
 */
export async function updateTpmRecord(
  crypto: Crypto,
  store: CardStore,
  current: TpmData,
  change: (data: TpmData) => TpmData,
): Promise<TpmData> {
  if (typeof store.swap !== 'function') {
    const next = change(current);
    if (next !== current) await saveTpmRecord(crypto, store, next);
    return next;
  }
  const name = recordName(current.deviceId);
  for (let race = 1; ; race++) {
    const saved = await readTpmBytes(store, name);
    const fresh =
      saved === undefined ? current : await decodeTpmRecord(crypto, saved, current.deviceId);
    const next = change(fresh);
    if (next === fresh) return fresh;
    const bytes = await encodeTpmRecord(crypto, next);
    let swapped: boolean;
    try {
      swapped = await store.swap(name, saved, bytes);
    } catch (cause) {
      if (SmartCardError.is(cause)) throw cause;
      throw new StorageError('Saving the TPM state failed; the change was not made.', { cause });
    }
    if (swapped) return next;
    if (race >= MAX_RACES) {
      throw new StorageError(
        `The saved TPM changed under this object ${MAX_RACES} times in a row (other objects or processes use it); the change was not made.`,
      );
    }
  }
}

/** The record's bytes. @internal */
export async function encodeTpmRecord(crypto: Crypto, data: TpmData): Promise<Uint8Array> {
  const body = {
    format: FORMAT,
    version: VERSION,
    deviceId: data.deviceId,
    seed: toBase64(data.seed),
    antiHammering: { ...data.policy },
    lockout: { ...data.counter },
    nv: { ...data.nv },
  };
  const tag = toBase64(await digest(crypto, body));
  return utf8(canonicalJson({ ...body, integrity: { algorithm: 'SHA-256', tag } }));
}

/**
 * Checks and decodes a record saved for `deviceId`; throws `StateCorruptError` for
 * anything not valid, including a record of another device or one whose seed is damaged.
 *
 * @internal
 */
export async function decodeTpmRecord(
  crypto: Crypto,
  bytes: Uint8Array,
  deviceId: string,
): Promise<TpmData> {
  const record = objectOf(saved.json(bytes), 'the saved TPM');
  if (record.format !== FORMAT) throw corrupt('it is not a smartcard-2fa software TPM');
  if (record.version !== VERSION)
    throw corrupt(`version ${String(record.version)} is not supported`);
  const { integrity, ...body } = record;
  const check = objectOf(integrity, 'integrity');
  if (check.algorithm !== 'SHA-256') throw corrupt('integrity.algorithm is not SHA-256');
  const tag = typeof check.tag === 'string' ? fromBase64(check.tag) : undefined;
  if (tag === undefined || !constantTimeEqual(tag, await digest(crypto, body))) {
    throw corrupt('its integrity check failed (damaged or edited)');
  }

  const seed = saved.base64(record.seed, 'seed', SEED_BYTES);
  if (typeof record.deviceId !== 'string' || !DEVICE_ID.test(record.deviceId)) {
    throw corrupt('deviceId is not 32 hex digits');
  }
  if (record.deviceId !== deviceId) throw corrupt(`it is the TPM of device ${record.deviceId}`);
  if ((await deriveDeviceId(crypto, seed)) !== deviceId) {
    throw corrupt('its seed does not belong to its device id');
  }

  let policy: AntiHammeringPolicy;
  try {
    policy = resolvePolicy(objectOf(record.antiHammering, 'antiHammering'));
  } catch (cause) {
    if (!(cause instanceof InvalidInputError)) throw cause;
    throw new StateCorruptError('The saved TPM has an invalid anti-hammering policy.', { cause });
  }
  const lockout = objectOf(record.lockout, 'lockout');
  const failedTries = integerOf(lockout.failedTries, 'lockout.failedTries', 0);
  const lastFailureAt =
    lockout.lastFailureAt === null && failedTries === 0
      ? null
      : integerOf(lockout.lastFailureAt, 'lockout.lastFailureAt', Number.MIN_SAFE_INTEGER);
  const lockoutMs = integerOf(lockout.lockoutMs, 'lockout.lockoutMs', 0, policy.maxLockoutMs);
  const nvRecord = objectOf(record.nv, 'nv');
  const nv: Record<string, number> = {};
  for (const [name, value] of Object.entries(nvRecord)) {
    if (name.length === 0 || name.length > 256) throw corrupt('an nv counter name is invalid');
    nv[name] = integerOf(value, `nv.${name}`, 0);
  }
  return { deviceId, seed, policy, counter: { failedTries, lastFailureAt, lockoutMs }, nv };
}

async function digest(crypto: Crypto, body: unknown): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(canonicalJson(body))));
}
