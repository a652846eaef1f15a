import { getCrypto } from '../crypto.js';
import { InvalidInputError, StorageError } from '../errors.js';
import { SerialQueue } from '../lib/serial-queue.js';
import {
  checkUnblockCredential,
  checkUnblockCredentials,
  credentialKind,
  type UnblockCredential,
} from './credential.js';
import { matchesSecret } from './hash.js';
import { PinPolicy } from './policy.js';
import {
  decodeRecord,
  encodeRecord,
  importIntegrityKey,
  type PinStateData,
  type PinStateRecord,
} from './record.js';
import { LostRace, PinRecordKeeper } from './record-keeper.js';
import type { PinChangeResult, PinStatus, PinUnblockResult, PinVerifyResult } from './results.js';
import {
  assertNewPin,
  assertPinFormat,
  type CreatePinStateOptions,
  initialState,
  optionalBoolean,
  type PinStateOptions,
} from './state-options.js';
import {
  incorrect,
  matchesPin,
  slotsAfterReset,
  statusOf,
  unblockSlotOf,
  withPin,
  withPinAttemptSpent,
  withSlot,
} from './transitions.js';

/**
 * The PIN state of one card: the PIN as a salted hash, the attempts left, blocked, must-change,
 * and the unblock credentials (PUK, admin key), each with its own counter.
 *
 * Operations run one at a time in call order. Each change is handed to `persist` before it takes
 * effect; a wrong PIN's attempt is spent (and persisted) before the comparison and given back only
 * when the PIN is right. Bad input throws and changes nothing.
 *
 * Several objects (or processes) may share one saved record: give each a `load` that reads the
 * record as saved now, and a `persist` that writes only over the record last loaded (a
 * compare-and-swap) and resolves `false` when that record was replaced meanwhile. Then every
 * operation starts from the freshest record, each spent attempt is written over exactly the
 * counter it was taken from before any comparison, and a lost race is loaded again and retried
 * (up to 32 times, then `StorageError` with nothing compared): no number of objects compares
 * more wrong PINs than the policy allows, and a blocked PIN stays blocked for all of them.
 *
 * @example
 * ```ts
 * import { PinState } from 'smartcard-2fa/pin';
 *
 * const state = await PinState.create(); // PIN 12345678, change on first use
 * await state.verify('12345678'); // { status: 'verified', mustChange: true }
 * await state.change('12345678', 'k7#Lm2pQ'); // { status: 'changed' }
 * await state.verify('00000000'); // { status: 'incorrect', attemptsRemaining: 4 }
 * const record = await state.toRecord(); // plain data, no secret in clear
 * ```
 *
 * @category PIN
 */
export class PinState {
  readonly #crypto: Crypto;
  readonly #key: CryptoKey | undefined;
  readonly #keeper: PinRecordKeeper;
  #policy: PinPolicy;
  #data: PinStateData;
  readonly #queue = new SerialQueue();

  private constructor(
    crypto: Crypto,
    key: CryptoKey | undefined,
    options: PinStateOptions,
    data: PinStateData,
  ) {
    this.#crypto = crypto;
    this.#key = key;
    this.#keeper = new PinRecordKeeper(crypto, key, options);
    this.#data = data;
    this.#policy = new PinPolicy(data.policy);
  }

  /**
   * A new card's PIN state, handed to `persist` once before it is returned.
   *
   * @throws {@link InvalidInputError} for invalid options; {@link PinPolicyError} for an initial
   * PIN (other than the default) that breaks the policy; {@link StorageError} if saving fails.
   */
  static async create(options: CreatePinStateOptions = {}): Promise<PinState> {
    const { crypto, key, data } = await initialState(options);
    const state = new PinState(crypto, key, options, data);
    try {
      await state.#commit(data);
    } catch (error) {
      if (!(error instanceof LostRace)) throw error;
      throw new StorageError(
        'persist refused the first record: a PIN state is saved there already.',
      );
    }
    return state;
  }

  /**
   * A PIN state from a record made by {@link PinState.toRecord} (the object or its JSON text).
   * Nothing is persisted by restoring.
   *
   * @throws {@link StateCorruptError} for a truncated, edited or otherwise invalid record, or
   * one saved with a different integrity key (or none).
   */
  static async restore(record: unknown, options: PinStateOptions = {}): Promise<PinState> {
    const crypto = await getCrypto(options);
    const key = await importIntegrityKey(crypto, options.integrityKey);
    const data = await decodeRecord(crypto, record, key);
    const state = new PinState(crypto, key, options, data);
    state.#keeper.loaded(record);
    return state;
  }

  /**
   * Takes the record as saved now (from the `load` option) as the current state, so that
   * {@link PinState.status} reports it; without `load`, nothing happens. Every operation does
   * this first by itself.
   *
   * @throws {@link StateCorruptError} for a damaged saved record; {@link StorageError} when
   * `load` fails or finds nothing saved.
   */
  refresh(): Promise<void> {
    return this.#exclusive(() => this.#reload());
  }

  /** The card's PIN policy. */
  get policy(): PinPolicy {
    return this.#policy;
  }

  /** The PIN's state, without spending an attempt. */
  status(): PinStatus {
    return statusOf(this.#data);
  }

  /**
   * Checks a PIN. A PIN of the wrong length or characters cannot be right: it throws
   * {@link PinPolicyError} and spends nothing. Otherwise one attempt is spent and persisted, the
   * PIN compared in constant time, and the attempts restored only if it was right.
   *
   * @throws {@link InvalidInputError} if `pin` is not a string; {@link StorageError} if saving
   * fails (before the comparison: nothing spent; after a right PIN: the attempt stays spent).
   */
  async verify(pin: string): Promise<PinVerifyResult> {
    assertPinFormat(this.#policy, pin, 'PIN');
    return this.#run(async () => {
      const spent = await this.#spendPinAttempt();
      if (spent === undefined) return { status: 'blocked' };
      if (!(await matchesPin(this.#crypto, pin, spent))) return incorrect(spent.attemptsRemaining);
      await this.#commit({ ...spent, attemptsRemaining: spent.policy.maxAttempts });
      return { status: 'verified', mustChange: spent.mustChange };
    });
  }

  /**
   * Replaces the PIN after checking the current one, and clears must-change. The new PIN is
   * checked against the whole policy first; if it breaks a rule, {@link PinPolicyError} lists
   * them all and nothing is spent.
   */
  async change(current: string, next: string): Promise<PinChangeResult> {
    assertPinFormat(this.#policy, current, 'current PIN');
    assertNewPin(this.#policy, next, current);
    return this.#run(async () => {
      const spent = await this.#spendPinAttempt();
      if (spent === undefined) return { status: 'blocked' };
      if (!(await matchesPin(this.#crypto, current, spent)))
        return incorrect(spent.attemptsRemaining);
      // The default PIN is never a PIN to keep: choosing it again means changing it again.
      const renewed = await withPin(this.#crypto, spent, next, next === spent.policy.defaultPin);
      await this.#commit(renewed);
      return { status: 'changed' };
    });
  }

  /**
   * Sets a new PIN on a blocked PIN with the PUK (a string) or the admin key (bytes); the PIN's
   * attempts are restored. Each credential has its own counter, spent before the comparison like
   * the PIN's. The reuse rule does not apply: the holder forgot the PIN.
   *
   * @param options.mustChange Whether the new PIN must be changed before use; by default true
   * for an admin key (an administrator chose it) or a new PIN that is the default PIN, and false
   * for a PUK (the holder chose it).
   * @throws {@link UnblockUnavailableError} when the card has no credential of that kind, or
   * when the PIN is not blocked (change it with the current PIN instead); nothing is spent.
   */
  async unblock(
    credential: string | Uint8Array<ArrayBuffer>,
    next: string,
    options: { mustChange?: boolean } = {},
  ): Promise<PinUnblockResult> {
    const kind = credentialKind(credential);
    const { bytes } = checkUnblockCredential({ kind, value: credential });
    const mustChange =
      optionalBoolean(options.mustChange, 'mustChange') ??
      (kind === 'admin-key' || next === this.#policy.rules.defaultPin);
    assertNewPin(this.#policy, next, undefined);
    return this.#run(async () => {
      const data = this.#data;
      const slot = unblockSlotOf(data, kind);
      if (slot.attemptsRemaining === 0) return { status: 'blocked' };
      const left = slot.attemptsRemaining - 1;
      const spent = withSlot(data, { ...slot, attemptsRemaining: left });
      await this.#commit(spent);
      if (!(await matchesSecret(this.#crypto, bytes, slot.secret, data.iterations))) {
        return incorrect(left);
      }
      const renewed = await withPin(this.#crypto, spent, next, mustChange);
      await this.#commit(
        withSlot(renewed, { ...slot, attemptsRemaining: data.policy.maxUnblockAttempts }),
      );
      return { status: 'unblocked' };
    });
  }

  /**
   * An administrator's reset: the PIN goes back to the policy's default with must-change set
   * (unless `mustChange: false`) and every counter is restored; `unblock` replaces the unblock
   * credentials (`null` or `[]` removes them). Who may reset is the card's decision, not this
   * state's.
   */
  async reset(
    options: {
      mustChange?: boolean;
      unblock?: UnblockCredential | readonly UnblockCredential[] | null;
    } = {},
  ): Promise<void> {
    const mustChange = optionalBoolean(options.mustChange, 'mustChange') ?? true;
    const replacement =
      options.unblock === undefined ? undefined : checkUnblockCredentials(options.unblock ?? []);
    return this.#run(async () => {
      const data = this.#data;
      const unblock = await slotsAfterReset(this.#crypto, data, replacement);
      const renewed = await withPin(this.#crypto, data, data.policy.defaultPin, mustChange);
      await this.#commit({ ...renewed, unblock });
    });
  }

  /**
   * Sets or clears must-change without touching the PIN: the enrollment station's "force a PIN
   * change on first use". Who may do it is the card's decision (it asks for a verified PIN).
   */
  async setMustChange(mustChange: boolean): Promise<void> {
    const value = optionalBoolean(mustChange, 'mustChange');
    if (value === undefined) throw new InvalidInputError('mustChange must be true or false.');
    return this.#run(() => this.#commit({ ...this.#data, mustChange: value }));
  }

  /** The state as plain JSON-safe data, with its integrity tag; no secret in clear. */
  toRecord(): Promise<PinStateRecord> {
    return encodeRecord(this.#crypto, this.#data, this.#key);
  }

  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    return this.#queue.run(operation);
  }

  /**
   * Runs `operation` in turn, from the freshest saved record; when one of its writes loses a
   * race (another object wrote first), loads again and runs it again, a bounded number of times.
   */
  #run<T>(operation: () => Promise<T>): Promise<T> {
    return this.#exclusive(() => this.#keeper.retry(() => this.#reload(), operation));
  }

  /** Takes the record as saved now as the current state (when `load` gives a new one). */
  async #reload(): Promise<void> {
    const data = await this.#keeper.load();
    if (data === undefined) return;
    this.#data = data;
    this.#policy = new PinPolicy(data.policy);
  }

  /** Spends one PIN attempt and persists it; `undefined` when the PIN is already blocked. */
  async #spendPinAttempt(): Promise<PinStateData | undefined> {
    const spent = withPinAttemptSpent(this.#data);
    if (spent !== undefined) await this.#commit(spent);
    return spent;
  }

  /** Persists `next` (a lost race throws), then makes it the current state. */
  async #commit(next: PinStateData): Promise<void> {
    await this.#keeper.save(next);
    this.#data = next;
  }
}
