import type { Clock } from '../../clock.js';
import { getCrypto } from '../../crypto.js';
import { InvalidInputError, TpmUnavailableError } from '../../errors.js';
import { internalSlot } from '../../lib/internal-slot.js';
import { SerialQueue } from '../../lib/serial-queue.js';
import type { CardStore } from '../storage/card-store.js';
import { type CardSealing, makeCardSealing } from './card-sealing.js';
import {
  type AntiHammeringPolicy,
  CLEAR_COUNTER,
  countFailure,
  type LockoutCounter,
  lockoutError,
  lockoutStatus,
  type TpmAttemptResult,
  type TpmLockoutStatus,
} from './lockout.js';
import {
  checkCreateOptions,
  checkOpenOptions,
  checkStore,
  type OpenSoftwareTpmOptions,
  type SoftwareTpmOptions,
} from './options.js';
import { loadTpmRecord, type TpmData } from './record.js';
import { SavedTpm } from './saved-tpm.js';
import {
  assertContext,
  DEVICE_ID,
  deriveDeviceId,
  deriveStorageKey,
  SEED_BYTES,
  sealBlob,
  unsealBlob,
} from './seal.js';

/**
 * The card-state sealing of each `SoftwareTpm`, for virtual cards only: set by the TPM's
 * constructor, read with `tpmCardSealing.get(tpm)` (see src/lib/internal-slot.ts).
 */
export const tpmCardSealing = internalSlot<SoftwareTpm, CardSealing>('SoftwareTpm card sealing');

/**
 * One device's TPM, in software: a device identity, a storage key that seals data to this device,
 * and anti-hammering that slows down PIN guessing as a TPM does.
 *
 * - **Identity.** `deviceId` is the first 16 bytes (32 hex digits) of SHA-256 over a label and
 *   the TPM's random 32-byte seed. The TPM is saved in its store under `tpm-<deviceId>`.
 * - **Sealing.** {@link SoftwareTpm.seal} encrypts with AES-GCM-256 under a key derived from
 *   the seed (HKDF-SHA-256) as a non-extractable `CryptoKey`; nothing returns the seed or the key.
 *   Blobs name their device in clear: another device's blob fails with `DeviceMismatchError`,
 *   a damaged one (or the wrong context) with `StateCorruptError`.
 * - **Anti-hammering.** {@link SoftwareTpm.authorize} counts a failure *before* running an attempt
 *   and takes it back on success. The failure that reaches `failureThreshold` locks the TPM for
 *   `lockoutMs`, each further one for twice as long (up to `maxLockoutMs`); one failure is
 *   forgiven per `recoveryMs` since the last. Time comes from the injected clock.
 *
 * What it protects against: copying a card's sealed state to another device. What it does not:
 * someone who can read the TPM's own store, which holds the seed (a hardware TPM keeps it in
 * chip memory that software cannot read).
 *
 * Several objects of one TPM (opened from one store, in one process or several) share its record
 * when the store has `swap`: each change is made to the record as saved now and written only over
 * what was read, so failures add up, a success takes back only its own failure, and the NV
 * counters never go back.
 *
 * `authorize` and `clearLockout` run one at a time in call order. `seal` and `unseal` change
 * nothing and run at once, so an attempt may seal from inside `authorize`; an attempt must not
 * call `authorize` or `clearLockout` (it would wait for itself).
 *
 * @example
 * ```ts
 * import { MemoryStore, SoftwareTpm } from 'smartcard-2fa/card';
 *
 * const store = new MemoryStore();
 * const tpm = await SoftwareTpm.create({ store });
 * const blob = await tpm.seal(new TextEncoder().encode('card state'), 'card-0042');
 *
 * const sameDevice = await SoftwareTpm.open(store, tpm.deviceId);
 * await sameDevice.unseal(blob, 'card-0042'); // the bytes of 'card state'
 *
 * const ok = await tpm.authorize(async () => ({ failed: false, value: 'verified' }));
 * ```
 *
 * @category Cards
 */
export class SoftwareTpm {
  readonly #crypto: Crypto;
  readonly #key: CryptoKey;
  readonly #saved: SavedTpm;
  readonly #clock: Clock;
  /** Authorizations and clears, one at a time in call order. */
  readonly #authorizations = new SerialQueue();
  #enabled = true;

  private constructor(
    crypto: Crypto,
    keys: { storage: CryptoKey; card: CryptoKey },
    store: CardStore | undefined,
    clock: Clock,
    data: TpmData,
  ) {
    this.#crypto = crypto;
    this.#key = keys.storage;
    this.#saved = new SavedTpm(crypto, store, data);
    this.#clock = clock;
    const saved = this.#saved;
    tpmCardSealing.set(
      this,
      makeCardSealing({
        crypto,
        key: keys.card,
        deviceId: data.deviceId,
        nv: (context) => saved.data.nv[context] ?? 0,
        assertEnabled: () => this.#assertEnabled(),
        advance: (context, version) => saved.advance(context, version),
      }),
    );
  }

  /**
   * A new device's TPM with a random seed, saved to `options.store` (if given) before it is
   * returned.
   *
   * @throws `InvalidInputError` for invalid options; `StorageError` if saving fails.
   */
  static async create(options?: SoftwareTpmOptions): Promise<SoftwareTpm> {
    const { clock, store, policy } = checkCreateOptions(options);
    const crypto = await getCrypto(options);
    const seed = crypto.getRandomValues(new Uint8Array(SEED_BYTES));
    const deviceId = await deriveDeviceId(crypto, seed);
    const keys = await deriveKeys(crypto, seed);
    const data: TpmData = { deviceId, seed, policy, counter: CLEAR_COUNTER, nv: {} };
    const tpm = new SoftwareTpm(crypto, keys, store, clock, data);
    await tpm.#saved.commit(data);
    return tpm;
  }

  /**
   * The TPM `deviceId` saved in `store`, with its failure count, lockout and policy as saved.
   *
   * @throws `InvalidInputError` for an invalid store, device id or options;
   * `TpmUnavailableError` when the store has no such TPM; `StateCorruptError` for a
   * damaged record; `StorageError` when the store cannot be read.
   */
  static async open(
    store: CardStore,
    deviceId: string,
    options?: OpenSoftwareTpmOptions,
  ): Promise<SoftwareTpm> {
    checkStore(store);
    if (typeof deviceId !== 'string' || !DEVICE_ID.test(deviceId)) {
      throw new InvalidInputError('A TPM device id is 32 lowercase hex digits.');
    }
    const clock = checkOpenOptions(options);
    const crypto = await getCrypto(options);
    const data = await loadTpmRecord(crypto, store, deviceId);
    return new SoftwareTpm(crypto, await deriveKeys(crypto, data.seed), store, clock, data);
  }

  /** This device's identity: 32 lowercase hex digits. Not a secret. */
  get deviceId(): string {
    return this.#saved.data.deviceId;
  }

  /** The anti-hammering policy this TPM enforces. */
  get antiHammering(): AntiHammeringPolicy {
    return this.#saved.data.policy;
  }

  /** Whether the TPM is on; see {@link SoftwareTpm.disable}. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /**
   * Turns the TPM off, as in firmware settings: until {@link SoftwareTpm.enable}, `seal`,
   * `unseal`, `authorize` and `clearLockout` throw `TpmUnavailableError`. Not saved.
   */
  disable(): void {
    this.#enabled = false;
  }

  /** Turns the TPM back on after {@link SoftwareTpm.disable}. */
  enable(): void {
    this.#enabled = true;
  }

  /**
   * Encrypts `data` so that only this TPM opens it, and only with the same `context` (1 to 256
   * characters naming what the data is, such as a card id).
   *
   * @throws `InvalidInputError` for data that is not a Uint8Array or a bad context;
   * `TpmUnavailableError` while the TPM is disabled.
   */
  async seal(data: Uint8Array, context: string): Promise<Uint8Array<ArrayBuffer>> {
    if (!(data instanceof Uint8Array)) throw new InvalidInputError('seal() takes a Uint8Array.');
    assertContext(context);
    this.#assertEnabled();
    return sealBlob(this.#crypto, this.#key, this.deviceId, data.slice(), context);
  }

  /**
   * Decrypts a blob that this TPM sealed with the same `context`.
   *
   * @throws `DeviceMismatchError` for a blob sealed by another device's TPM;
   * `StateCorruptError` for a damaged, truncated or edited blob, or another context;
   * `InvalidInputError` for bad arguments; `TpmUnavailableError` while disabled.
   */
  async unseal(blob: Uint8Array, context: string): Promise<Uint8Array<ArrayBuffer>> {
    if (!(blob instanceof Uint8Array)) throw new InvalidInputError('unseal() takes a Uint8Array.');
    assertContext(context);
    this.#assertEnabled();
    return unsealBlob(this.#crypto, this.#key, this.deviceId, blob.slice(), context);
  }

  /** The anti-hammering state now, without changing anything. */
  lockout(): TpmLockoutStatus {
    const data = this.#saved.data;
    return lockoutStatus(data.policy, data.counter, this.#now());
  }

  /**
   * Runs one authorization `attempt` (a PIN check, say) under anti-hammering. While locked out it
   * throws `TpmLockoutError` and does not run `attempt`. Otherwise it counts a failure and
   * saves it, runs `attempt`, and takes the failure back (saving again) unless the attempt reports
   * `failed: true`. If `attempt` throws, the failure stays counted and the error propagates.
   *
   * @throws `TpmUnavailableError` while disabled; `StorageError` if saving fails (the
   * first save: nothing counted and `attempt` not run; the second: the failure stays counted);
   * `InvalidInputError` if `attempt` is not a function or reports no boolean `failed`.
   */
  async authorize<T>(attempt: () => Promise<TpmAttemptResult<T>>): Promise<T> {
    if (typeof attempt !== 'function') {
      throw new InvalidInputError('authorize() takes an async function.');
    }
    return this.#authorizations.run(async () => {
      this.#assertEnabled();
      await this.#saved.update((d) => d); // the failure count as saved now, by any TPM object
      const before = this.#saved.data;
      const now = this.#now();
      const status = lockoutStatus(before.policy, before.counter, now);
      if (status.lockedOut) throw lockoutError(status);
      let prior = before.counter;
      let counted = before.counter;
      await this.#saved.update((data) => {
        prior = data.counter;
        counted = countFailure(data.policy, data.counter, now);
        return { ...data, counter: counted };
      });
      const result: unknown = await attempt();
      const failed = (result as { failed?: unknown } | null | undefined)?.failed;
      if (typeof failed !== 'boolean') {
        throw new InvalidInputError('An authorize() attempt must resolve to { failed, value }.');
      }
      // Taken back only if no other TPM object counted a failure since: never forgive theirs.
      if (!failed) {
        await this.#saved.update((data) =>
          sameCounter(data.counter, counted) ? { ...data, counter: prior } : data,
        );
      }
      return (result as TpmAttemptResult<T>).value;
    });
  }

  /**
   * Forgets every failure and ends any lockout, as an administrator's
   * `tpm2_dictionarylockout --clear-lockout`, and saves that.
   *
   * @throws `TpmUnavailableError` while disabled; `StorageError` if saving fails.
   */
  clearLockout(): Promise<void> {
    return this.#authorizations.run(async () => {
      this.#assertEnabled();
      await this.#saved.update((d) => ({ ...d, counter: CLEAR_COUNTER }));
    });
  }

  /** `SoftwareTpm(<deviceId>)`: names the device, reveals nothing secret. */
  toString(): string {
    return `SoftwareTpm(${this.deviceId})`;
  }

  #now(): number {
    const now = this.#clock.now();
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      throw new InvalidInputError('The clock returned something that is not a finite number.');
    }
    return Math.floor(now);
  }

  #assertEnabled(): void {
    if (!this.#enabled) {
      throw new TpmUnavailableError(
        'The TPM is disabled. Turn it on in the firmware settings (here: call enable()).',
      );
    }
  }
}

async function deriveKeys(crypto: Crypto, seed: Uint8Array) {
  const [storage, card] = await Promise.all([
    deriveStorageKey(crypto, seed, 'storage'),
    deriveStorageKey(crypto, seed, 'card-state'),
  ]);
  return { storage, card };
}

function sameCounter(a: LockoutCounter, b: LockoutCounter): boolean {
  return (
    a.failedTries === b.failedTries &&
    a.lastFailureAt === b.lastFailureAt &&
    a.lockoutMs === b.lockoutMs
  );
}
