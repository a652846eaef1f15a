import { randomBytes } from 'node:crypto';
import * as input from '../card/input.js';
import type {
  CardPinChangeResult,
  CardPinStatus,
  CardPinUnblockResult,
  CardPinVerifyResult,
} from '../card/pin-results.js';
import type { CardStore } from '../card/store.js';
import { SerialQueue } from '../card/transaction.js';
import type {
  CardInfo,
  CardKind,
  GenerateKeyPairOptions,
  HashName,
  KeyAlgorithmName,
  KeyContainerInfo,
  SmartCard,
} from '../card/types.js';
import {
  CardRemovedError,
  CertificateInvalidError,
  CertificateMismatchError,
  InvalidInputError,
  KeyNotFoundError,
  KeyUsageError,
  PinPolicyError,
  PinRequiredError,
  SmartCardError,
  StorageError,
  UnblockUnavailableError,
} from '../errors.js';
import { certificateSpki, DerError } from '../lib/der.js';
import { credentialKind } from '../pin/credential.js';
import { PinPolicy } from '../pin/policy.js';
import type { PinPolicyRules } from '../pin/rules.js';
import { assertNewPin, assertPinFormat, optionalBoolean } from '../pin/state-options.js';
import {
  acquireModule,
  type Binding,
  CKF_REMOVABLE_DEVICE,
  CKF_TOKEN_PRESENT,
  CKS_RO_USER_FUNCTIONS,
  CKS_RW_USER_FUNCTIONS,
  ckrOf,
  type Handle,
  isRemoval,
  type Library,
  loadBinding,
  moduleFault,
  releaseModule,
  type Template,
} from './binding.js';
import {
  canonicalSpki,
  certificateSubject,
  digest,
  digestInfo,
  oaepDecode,
  p256Spki,
  rsaModulus,
  rsaSpki,
} from './keys.js';
import {
  type CardRecord,
  MemoryRecord,
  newRecord,
  type RecordPlace,
  StoreRecord,
  storeName,
  TokenRecord,
} from './record.js';

/**
 * How the SDK counts wrong PINs: `'token'` leaves it to the token (its own counter and lock;
 * attempts left are `null` unless the token says "final try"); `{ maxAttempts }` keeps the SDK's
 * own counter beside the token, spent before the token is asked, for tokens that never lock
 * (SoftHSM2). Other software using the token does not see the SDK's counter.
 *
 * @example
 * ```ts
 * import type { Pkcs11RetryCounter } from 'smartcard-2fa/pkcs11';
 *
 * const counter: Pkcs11RetryCounter = { maxAttempts: 5 };
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
 * import type { Pkcs11CardOptions } from 'smartcard-2fa/pkcs11';
 *
 * const options: Pkcs11CardOptions = {
 *   module: '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
 *   label: 'PIV Card Holder pin',
 * };
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

/** Tokens known to count wrong PINs without ever locking: the SDK counts for them. */
function neverLocks(manufacturer: string, model: string): boolean {
  return manufacturer === 'SoftHSM project' || model.startsWith('SoftHSM');
}

interface Token {
  readonly slot: Handle;
  readonly label: string;
  readonly serial: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly minPinLen: number;
  readonly maxPinLen: number;
}

/** The tokens present in the module's slots that match `label` and `serial`.
 *
 * @category Cards
 */
export function findTokens(
  pk: Binding,
  lib: Library,
  match: { readonly label?: string | undefined; readonly serial?: string | undefined },
): Token[] {
  const found: Token[] = [];
  for (const slot of lib.C_GetSlotList(true)) {
    let info: ReturnType<Library['C_GetTokenInfo']>;
    try {
      info = lib.C_GetTokenInfo(slot);
    } catch (error) {
      if (isRemoval(error)) continue;
      throw error;
    }
    if ((info.flags & pk.CKF_TOKEN_INITIALIZED) === 0) continue;
    const token: Token = {
      slot,
      label: info.label.trim(),
      serial: info.serialNumber.trim(),
      manufacturer: info.manufacturerID.trim(),
      model: info.model.trim(),
      minPinLen: info.minPinLen,
      maxPinLen: info.maxPinLen,
    };
    if (match.label !== undefined && token.label !== match.label) continue;
    if (match.serial !== undefined && token.serial !== match.serial) continue;
    found.push(token);
  }
  return found;
}

function text(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
    throw new InvalidInputError(`${name} must be 1 to 64 characters.`);
  }
  return value;
}

function defaultPolicy(
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

function retryCounter(value: unknown, fallback: number | null): number | null {
  if (value === undefined) return fallback;
  if (value === 'token') return null;
  const max = (value as { maxAttempts?: unknown } | null)?.maxAttempts;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 255) {
    throw new InvalidInputError('retryCounter is "token" or { maxAttempts: 1 to 255 }.');
  }
  return max;
}

/**
 * The record with its counters fitted to this card's: set to the maximum where the SDK counts
 * but the record has none (or more), `null` where the SDK does not count. The same record when
 * nothing changes.
 */
function normalized(
  record: CardRecord,
  maxAttempts: number | null,
  maxSoAttempts: number | null,
): CardRecord {
  const clamp = (value: number | null, max: number | null): number | null =>
    max === null ? null : value === null ? max : Math.min(value, max);
  const attemptsRemaining = clamp(record.attemptsRemaining, maxAttempts);
  const soAttemptsRemaining = clamp(record.soAttemptsRemaining, maxSoAttempts);
  return attemptsRemaining === record.attemptsRemaining &&
    soAttemptsRemaining === record.soAttemptsRemaining
    ? record
    : { ...record, attemptsRemaining, soAttemptsRemaining };
}

/** A key container as found on the token. */
interface Container {
  readonly name: string;
  readonly id: Buffer;
  readonly publicKey: Handle;
  readonly algorithm: KeyAlgorithmName;
  readonly keySpec: 'exchange' | 'signature';
  readonly spki: Uint8Array<ArrayBuffer>;
}

const HASH_MECHANISM = {
  'SHA-1': 'CKM_SHA1_RSA_PKCS',
  'SHA-256': 'CKM_SHA256_RSA_PKCS',
  'SHA-384': 'CKM_SHA384_RSA_PKCS',
  'SHA-512': 'CKM_SHA512_RSA_PKCS',
} as const;

/** How long the CKA_ID of the SDK's containers is, and its key spec markers (byte 6). */
const ID_BYTES = 16;
const EXCHANGE = 0x45; // 'E'
const SIGNATURE = 0x53; // 'S'

/** The P-256 curve's OID, as CKA_EC_PARAMS. */
const P256 = Buffer.from('06082a8648ce3d030107', 'hex');

/**
 * A {@link SmartCard} over a PKCS#11 token: a PIV card or YubiKey through OpenSC, a hardware
 * token, the TPM through tpm2-pkcs11, SoftHSM2. Key pairs are generated on the token (private,
 * sensitive, never extractable) and tied to their public key and certificate objects by
 * `CKA_ID` and `CKA_LABEL` (the container name). Operations run one at a time, in call order.
 *
 * What the token cannot do, the SDK adds, and says so: a retry counter for tokens that never
 * lock (see {@link Pkcs11CardOptions.retryCounter}), must-change and the PIN policy, a stable
 * card id (random, kept in the SDK's record: a TPM token's serial is all zeros), and RSA-OAEP
 * with SHA-256 by unpadding a raw RSA result when the token's OAEP lacks the hash.
 *
 * @example
 * ```ts
 * import { Pkcs11SmartCard } from 'smartcard-2fa/pkcs11';
 *
 * const card = await Pkcs11SmartCard.open({
 *   module: '/usr/lib/softhsm/libsofthsm2.so',
 *   label: 'my-token',
 * });
 * const result = await card.verifyPin('12345678');
 * console.log(result.status);
 * await card.close();
 * ```
 *
 * @category Cards
 */
export class Pkcs11SmartCard implements SmartCard {
  /** Physical (a removable token) or virtual. */
  readonly kind: CardKind;
  readonly #pk: Binding;
  readonly #lib: Library;
  readonly #module: string;
  readonly #match: { readonly label?: string | undefined; readonly serial?: string | undefined };
  readonly #policy: PinPolicy;
  readonly #maxAttempts: number | null;
  /** The SDK's counter for the security officer's PIN: kept when it counts the user PIN. */
  readonly #maxSoAttempts: number | null;
  readonly #place: RecordPlace;
  readonly #queue = new SerialQueue();
  #token: Token;
  #record: CardRecord;
  #session: Handle | undefined;
  #removed = false;
  #closed = false;
  /**
   * The token answered CKR_PIN_LOCKED and no PIN was verified since: a token that locks without
   * a flag saying so (the TPM) is blocked until its owner resets it, which this card cannot see.
   */
  #lockedSeen = false;

  private constructor(how: {
    pk: Binding;
    lib: Library;
    module: string;
    match: { label?: string | undefined; serial?: string | undefined };
    token: Token;
    kind: CardKind;
    policy: PinPolicy;
    maxAttempts: number | null;
    maxSoAttempts: number | null;
    place: RecordPlace;
    record: CardRecord;
    session: Handle;
  }) {
    this.#pk = how.pk;
    this.#lib = how.lib;
    this.#module = how.module;
    this.#match = how.match;
    this.#token = how.token;
    this.kind = how.kind;
    this.#policy = how.policy;
    this.#maxAttempts = how.maxAttempts;
    this.#maxSoAttempts = how.maxSoAttempts;
    this.#place = how.place;
    this.#record = how.record;
    this.#session = how.session;
  }

  /**
   * Opens the token in `options.module` with the label (or serial) given: the only initialised
   * token present when neither is given. Loads the module once per process (set what it reads
   * from the environment, as `SOFTHSM2_CONF`, before). Call {@link close} when done.
   *
   * @throws `UnsupportedEnvironmentError` without the pkcs11js binding or the module;
   * `CardRemovedError` when no such token is present; `InvalidInputError` for bad options or
   * when several tokens match.
   */
  static async open(options: Pkcs11CardOptions): Promise<Pkcs11SmartCard> {
    const o = input.options<Pkcs11CardOptions>(options, 'Pkcs11SmartCard.open options');
    if (typeof o.module !== 'string' || o.module.length === 0) {
      throw new InvalidInputError('module must be the path of a PKCS#11 module.');
    }
    const match = { label: text(o.label, 'label'), serial: text(o.serial, 'serial') };
    if (o.kind !== undefined && o.kind !== 'physical' && o.kind !== 'virtual') {
      throw new InvalidInputError('kind must be "physical" or "virtual".');
    }
    const state = o.state ?? 'token';
    if (state !== 'token' && (typeof state !== 'object' || state === null)) {
      throw new InvalidInputError('state must be "token" or a CardStore.');
    }
    const pk = loadBinding();
    const lib = acquireModule(o.module);
    try {
      return await Pkcs11SmartCard.#openToken(pk, lib, o, match, state);
    } catch (error) {
      releaseModule(o.module);
      throw error;
    }
  }

  static async #openToken(
    pk: Binding,
    lib: Library,
    o: Partial<Pkcs11CardOptions>,
    match: { label: string | undefined; serial: string | undefined },
    state: 'token' | CardStore,
  ): Promise<Pkcs11SmartCard> {
    let tokens: Token[];
    try {
      tokens = findTokens(pk, lib, match);
    } catch (error) {
      throw moduleFault(error, 'listing the tokens');
    }
    const [token, other] = tokens;
    if (token === undefined) {
      const which = match.label ?? match.serial;
      throw new CardRemovedError(
        which === undefined
          ? 'No initialised token is present in the module. Insert one and try again.'
          : `No token "${which}" is present in the module. Insert it and try again.`,
      );
    }
    if (other !== undefined) {
      throw new InvalidInputError(
        'Several tokens match: give the label and serial of the one to open.',
      );
    }
    const policy = defaultPolicy(token, o.pinPolicy);
    const maxAttempts = retryCounter(
      o.retryCounter,
      neverLocks(token.manufacturer, token.model) ? policy.rules.maxAttempts : null,
    );
    const maxSoAttempts = maxAttempts === null ? null : policy.rules.maxUnblockAttempts;
    let kind = o.kind;
    let session: Handle;
    try {
      kind ??=
        (lib.C_GetSlotInfo(token.slot).flags & CKF_REMOVABLE_DEVICE) !== 0 ? 'physical' : 'virtual';
      session = lib.C_OpenSession(token.slot, pk.CKF_SERIAL_SESSION | pk.CKF_RW_SESSION);
    } catch (error) {
      throw moduleFault(error, 'opening a session');
    }
    const identity = [token.manufacturer, token.model, token.serial, token.label];
    // The record's session: this one while opening, then the card's current one.
    let sessionOf = (): Handle => session;
    let place: RecordPlace;
    let record: CardRecord | undefined;
    if (state !== 'token') {
      place = new StoreRecord(state, storeName(identity));
      record = await place.read();
    } else {
      const onToken = new TokenRecord(pk, lib, () => sessionOf());
      record = await onToken.read();
      place = onToken;
      if (record === undefined) {
        record = newRecord(maxAttempts, maxSoAttempts);
        try {
          await onToken.write(record);
        } catch (error) {
          if (!TokenRecord.refused(SmartCardError.is(error) ? error.cause : error)) throw error;
          // A token that makes every object private: the record lives in memory, its id
          // derived from what the token says about itself, so that it stays the same.
          place = new MemoryRecord();
          record = { ...record, id: storeName(identity).slice(-16) };
        }
      }
    }
    if (record === undefined) {
      record = newRecord(maxAttempts, maxSoAttempts);
      await place.write(record);
    }
    const normal = normalized(record, maxAttempts, maxSoAttempts);
    if (normal !== record) {
      record = { ...normal, seq: record.seq + 1 };
      // Not written: another card object or process wrote meanwhile; theirs is read back.
      if (!(await place.write(record)))
        record = normalized((await place.read()) ?? record, maxAttempts, maxSoAttempts);
    }
    const card = new Pkcs11SmartCard({
      pk,
      lib,
      module: o.module as string,
      match,
      token,
      kind,
      policy,
      maxAttempts,
      maxSoAttempts,
      place,
      record,
      session,
    });
    sessionOf = () => card.#open();
    return card;
  }

  /** The card's stable id: random, made the first time the SDK opened the token. */
  get id(): string {
    return this.#record.id;
  }

  /** The PIN rules the SDK applies. */
  get pinPolicy(): PinPolicy {
    return this.#policy;
  }

  /** Where the SDK's record is kept: on the `token`, in a `store`, or in `memory`. */
  get recordPlace(): 'token' | 'store' | 'memory' {
    return this.#place.kind;
  }

  // ---------------------------------------------------------------- transactions

  /**
   * Runs `operation` in turn, the token present; `fresh` reads the SDK's record again first
   * (another card object or process may have changed it since).
   */
  #run<T>(what: string, operation: () => Promise<T>, fresh = true): Promise<T> {
    return this.#queue.run(async () => {
      if (this.#closed) throw new InvalidInputError('This card was closed: open it again.');
      this.#checkPresent(what);
      try {
        if (fresh) await this.#refresh();
        return await operation();
      } catch (error) {
        if (!SmartCardError.is(error) && isRemoval(error)) this.#lostToken();
        const fault = moduleFault(error, what);
        if (SmartCardError.is(fault, 'ERR_CARD_REMOVED')) this.#lostToken();
        throw fault;
      }
    });
  }

  /** Throws CardRemovedError unless the token is in its slot (found again if its slot moved). */
  #checkPresent(what: string): void {
    let present = false;
    try {
      present = (this.#lib.C_GetSlotInfo(this.#token.slot).flags & CKF_TOKEN_PRESENT) !== 0;
      if (present) {
        const info = this.#lib.C_GetTokenInfo(this.#token.slot);
        present =
          info.label.trim() === this.#token.label &&
          info.serialNumber.trim() === this.#token.serial;
      }
    } catch (error) {
      if (!isRemoval(error)) throw moduleFault(error, what);
    }
    if (!present) {
      const [again] = findTokens(this.#pk, this.#lib, {
        label: this.#token.label,
        serial: this.#token.serial,
      });
      if (again !== undefined) {
        this.#lostToken();
        this.#token = again;
        present = true;
      }
    }
    if (!present || this.#removed) {
      this.#lostToken();
      throw new CardRemovedError(
        `The token is not present (while ${what}). Insert it and try again; nothing was changed.`,
      );
    }
  }

  /** The token went away: its sessions (and login) are gone. */
  #lostToken(): void {
    if (this.#session !== undefined) {
      try {
        this.#lib.C_CloseSession(this.#session);
      } catch {
        // the session died with the token
      }
    }
    this.#session = undefined;
  }

  /**
   * Tells the card its token was taken out (a {@link Pkcs11Reader} does): the session ends,
   * and every operation answers `CardRemovedError` until the token is back.
   *
   * @internal
   */
  markRemoved(): void {
    this.#removed = true;
    this.#lostToken();
  }

  /**
   * Tells the card its token is back (a {@link Pkcs11Reader} does): a new session, not logged in.
   * The SDK's record is read again by the next operation (every operation that uses it does).
   *
   * @internal
   */
  markInserted(): void {
    this.#removed = false;
    this.#lockedSeen = false;
  }

  #open(): Handle {
    if (this.#session === undefined) {
      this.#session = this.#lib.C_OpenSession(
        this.#token.slot,
        this.#pk.CKF_SERIAL_SESSION | this.#pk.CKF_RW_SESSION,
      );
    }
    return this.#session;
  }

  #loggedIn(): boolean {
    if (this.#session === undefined) return false;
    const { state } = this.#lib.C_GetSessionInfo(this.#session);
    return state === CKS_RW_USER_FUNCTIONS || state === CKS_RO_USER_FUNCTIONS;
  }

  #logout(): void {
    if (this.#session === undefined) return;
    try {
      this.#lib.C_Logout(this.#session);
    } catch (error) {
      if (ckrOf(error) !== 'CKR_USER_NOT_LOGGED_IN') throw error;
    }
  }

  #requirePin(): Handle {
    if (!this.#loggedIn()) {
      throw new PinRequiredError(
        'Verify the PIN first: this operation uses a private key, and no PIN has been verified since the token was inserted, reset or logged out.',
      );
    }
    return this.#open();
  }

  /** Reads the SDK's record again from its place (the highest `seq`). */
  async #refresh(): Promise<CardRecord> {
    const read = await this.#place.read();
    // The place is the truth, even with a lower seq (a token initialised again, say); nothing
    // there (a memory place never written, a record deleted): the one this card holds.
    if (read !== undefined) this.#record = normalized(read, this.#maxAttempts, this.#maxSoAttempts);
    return this.#record;
  }

  /**
   * Writes the record changed by `change`, computed from the current record: when another card
   * object or process wrote since it was read, it is read again and `change` computed anew, so
   * that their change (a spent attempt) is never undone. `change` answers `undefined` to write
   * nothing. Answers the record written (or the current one).
   */
  async #update(
    change: (current: CardRecord) => Partial<Omit<CardRecord, 'seq' | 'id'>> | undefined,
  ): Promise<CardRecord> {
    for (let tries = 0; ; tries++) {
      const current = this.#record;
      const changed = change(current);
      if (changed === undefined) return current;
      const next: CardRecord = { ...current, ...changed, seq: current.seq + 1 };
      if (await this.#place.write(next)) {
        this.#record = next;
        return next;
      }
      if (tries >= 8) {
        throw new StorageError(
          "The SDK's record kept changing under this card (other processes writing it); nothing was changed.",
        );
      }
      const read = await this.#place.read();
      if (read !== undefined)
        this.#record = normalized(read, this.#maxAttempts, this.#maxSoAttempts);
      else this.#record = { ...this.#record, seq: this.#record.seq + 1 };
    }
  }

  async #write(change: Partial<Omit<CardRecord, 'seq' | 'id'>>): Promise<void> {
    await this.#update(() => change);
  }

  #flags(): number {
    return this.#lib.C_GetTokenInfo(this.#token.slot).flags;
  }

  // ---------------------------------------------------------------- PIN

  #status(): CardPinStatus {
    const pk = this.#pk;
    const flags = this.#flags();
    const r = this.#record;
    const finalTry = (flags & pk.CKF_USER_PIN_FINAL_TRY) !== 0;
    const tokenLocked = (flags & pk.CKF_USER_PIN_LOCKED) !== 0 || this.#lockedSeen;
    const counted = r.attemptsRemaining;
    return {
      attemptsRemaining: counted ?? (tokenLocked ? 0 : finalTry ? 1 : null),
      maxAttempts: this.#maxAttempts,
      blocked: counted === 0 || tokenLocked,
      mustChange: r.mustChange || (flags & pk.CKF_USER_PIN_TO_BE_CHANGED) !== 0,
      isDefault: null,
      ...(counted === null && finalTry ? { finalTry: true } : {}),
      unblock: [
        {
          kind: 'puk',
          attemptsRemaining: r.soAttemptsRemaining,
          maxAttempts: this.#maxSoAttempts,
          blocked: r.soAttemptsRemaining === 0 || (flags & pk.CKF_SO_PIN_LOCKED) !== 0,
        },
      ],
    };
  }

  /** Serial, label, manufacturer, blank or not, and the PIN's state; no PIN attempt spent. */
  info(): Promise<CardInfo> {
    return this.#run('reading the token', async () => {
      const containers = this.#containers();
      return {
        id: this.id,
        kind: this.kind,
        serial: this.#token.serial,
        label: this.#token.label,
        manufacturer: this.#token.manufacturer,
        blank: containers.length === 0,
        containers: { used: containers.length, max: null },
        pin: this.#status(),
        pinVerified: this.#loggedIn(),
      };
    });
  }

  /**
   * The PIN's state: the SDK's counter when it counts, else what the token's flags say
   * (`attemptsRemaining: null` when the token cannot tell).
   */
  pinStatus(): Promise<CardPinStatus> {
    return this.#run('reading the PIN state', async () => this.#status());
  }

  /**
   * Spends one attempt of the SDK's counter (written first: a token losing power mid-check
   * gives no free try), then logs in with `C_Login`. The count is the one on the token (or in the
   * store) now, not the one this object saw last: several card objects or processes share it.
   */
  async #attempt(
    pin: string,
  ): Promise<
    | { readonly status: 'ok' }
    | { readonly status: 'incorrect'; readonly attemptsRemaining: number | null }
    | { readonly status: 'blocked' }
  > {
    const counted = this.#maxAttempts !== null;
    let blocked = false;
    const spent = await this.#update((r) => {
      if (!counted || r.attemptsRemaining === null) return undefined;
      if (r.attemptsRemaining === 0) {
        blocked = true;
        return undefined;
      }
      return { attemptsRemaining: r.attemptsRemaining - 1 };
    });
    if (blocked) return { status: 'blocked' };
    const left = counted ? spent.attemptsRemaining : null;
    const session = this.#open();
    this.#logout();
    try {
      this.#lib.C_Login(session, this.#pk.CKU_USER, pin);
    } catch (error) {
      const ckr = ckrOf(error);
      if (ckr === 'CKR_PIN_INCORRECT') {
        if (left === 0) return { status: 'blocked' };
        const final = (this.#flags() & this.#pk.CKF_USER_PIN_FINAL_TRY) !== 0;
        return { status: 'incorrect', attemptsRemaining: left ?? (final ? 1 : null) };
      }
      if (ckr === 'CKR_PIN_LOCKED') {
        this.#lockedSeen = true;
        return { status: 'blocked' };
      }
      if (ckr === 'CKR_PIN_LEN_RANGE' || ckr === 'CKR_PIN_INVALID') {
        // The token never compared the PIN: the attempt is given back (others' kept).
        if (left !== null) await this.#giveBack('attemptsRemaining', this.#maxAttempts);
        throw new PinPolicyError(`The token refused the PIN's length or characters (${ckr}).`, [
          { code: 'token-refused', message: `The token refused the PIN (${ckr}).` },
        ]);
      }
      // Any other failure: the token may have compared the PIN, the attempt stays spent.
      throw error;
    }
    this.#lockedSeen = false;
    if (left !== null) await this.#write({ attemptsRemaining: this.#maxAttempts });
    return { status: 'ok' };
  }

  /** Gives back one attempt of a counter, on the current count (up to its maximum). */
  async #giveBack(
    counter: 'attemptsRemaining' | 'soAttemptsRemaining',
    max: number | null,
  ): Promise<void> {
    if (max === null) return;
    await this.#update((r) => {
      const now = r[counter];
      return now === null || now >= max ? undefined : { [counter]: now + 1 };
    });
  }

  /** Checks the PIN; when right, the token is logged in until logout, reset or removal. */
  verifyPin(pin: string): Promise<CardPinVerifyResult> {
    return this.#run('verifying the PIN', async () => {
      assertPinFormat(this.#policy, pin, 'PIN');
      const result = await this.#attempt(pin);
      if (result.status !== 'ok') return result as CardPinVerifyResult;
      return { status: 'verified', mustChange: this.#status().mustChange };
    });
  }

  /** Replaces the PIN with `C_SetPIN`, after the SDK's policy; a success leaves it logged in. */
  changePin(current: string, next: string): Promise<CardPinChangeResult> {
    return this.#run('changing the PIN', async () => {
      assertPinFormat(this.#policy, current, 'current PIN');
      assertNewPin(this.#policy, next, current);
      const result = await this.#attempt(current);
      if (result.status !== 'ok') return result as CardPinChangeResult;
      try {
        this.#lib.C_SetPIN(this.#open(), current, next);
      } catch (error) {
        const ckr = ckrOf(error);
        if (ckr === 'CKR_PIN_LEN_RANGE' || ckr === 'CKR_PIN_INVALID') {
          this.#logout();
          throw new PinPolicyError(`The token refused the new PIN (${ckr}).`, [
            { code: 'token-refused', message: `The token refused the new PIN (${ckr}).` },
          ]);
        }
        throw error;
      }
      if (this.#record.mustChange) await this.#write({ mustChange: false });
      return { status: 'changed' };
    });
  }

  /**
   * Sets a new PIN as the token's security officer: `C_Login` with the SO PIN (the "PUK"),
   * then `C_InitPIN`. Resets the SDK's counter. Admin keys (bytes) are not a PKCS#11 notion.
   */
  unblockPin(
    credential: string | Uint8Array<ArrayBuffer>,
    next: string,
    options?: { mustChange?: boolean },
  ): Promise<CardPinUnblockResult> {
    return this.#run('unblocking the PIN', async () => {
      const o = input.options<{ mustChange: boolean }>(options, 'unblockPin options');
      const mustChange = optionalBoolean(o.mustChange, 'mustChange') ?? false;
      if (credentialKind(credential) !== 'puk') {
        throw new UnblockUnavailableError(
          "A PKCS#11 token is unblocked with its security officer's PIN (a string), not an admin key.",
        );
      }
      if ((credential as string).length === 0) {
        throw new InvalidInputError("The security officer's PIN must not be empty.");
      }
      assertNewPin(this.#policy, next, undefined);
      // The SDK's counter for the SO PIN, spent before C_Login(CKU_SO) as the user PIN's is.
      const max = this.#maxSoAttempts;
      let blocked = false;
      const spent = await this.#update((r) => {
        if (max === null || r.soAttemptsRemaining === null) return undefined;
        if (r.soAttemptsRemaining === 0) {
          blocked = true;
          return undefined;
        }
        return { soAttemptsRemaining: r.soAttemptsRemaining - 1 };
      });
      if (blocked) return { status: 'blocked' };
      const left = max === null ? null : spent.soAttemptsRemaining;
      const session = this.#open();
      this.#logout();
      try {
        this.#lib.C_Login(session, this.#pk.CKU_SO, credential as string);
      } catch (error) {
        const ckr = ckrOf(error);
        if (ckr === 'CKR_PIN_INCORRECT') {
          if (left === 0) return { status: 'blocked' };
          return { status: 'incorrect', attemptsRemaining: left };
        }
        if (ckr === 'CKR_PIN_LOCKED') {
          this.#lockedSeen = true;
          return { status: 'blocked' };
        }
        if ((ckr === 'CKR_PIN_LEN_RANGE' || ckr === 'CKR_PIN_INVALID') && left !== null) {
          await this.#giveBack('soAttemptsRemaining', max);
        }
        throw error;
      }
      if (left !== null && left !== max) await this.#write({ soAttemptsRemaining: max });
      try {
        this.#lib.C_InitPIN(session, next);
      } catch (error) {
        const ckr = ckrOf(error);
        if (ckr === 'CKR_PIN_LEN_RANGE' || ckr === 'CKR_PIN_INVALID') {
          throw new PinPolicyError(`The token refused the new PIN (${ckr}).`, [
            { code: 'token-refused', message: `The token refused the new PIN (${ckr}).` },
          ]);
        }
        throw error;
      } finally {
        this.#logout();
      }
      this.#lockedSeen = false;
      await this.#write({ attemptsRemaining: this.#maxAttempts, mustChange });
      return { status: 'unblocked' };
    });
  }

  /**
   * Marks the PIN as to be changed before further use (kept in the SDK's record: PKCS#11 has
   * no call for it). Needs a verified PIN.
   */
  requirePinChange(): Promise<void> {
    return this.#run('marking the PIN', async () => {
      this.#requirePin();
      await this.#write({ mustChange: true });
    });
  }

  /** Logs out (`C_Logout`): the PIN must be verified again. */
  logout(): Promise<void> {
    return this.#run(
      'logging out',
      async () => {
        this.#logout();
      },
      false,
    );
  }

  /**
   * Logs out and closes the session, as a warm reset; nothing stored changes. Forgets a
   * CKR_PIN_LOCKED seen: after a TPM's lockout is reset, reset the card (or open it again).
   */
  reset(): Promise<void> {
    return this.#run(
      'resetting',
      async () => {
        this.#logout();
        this.#lostToken();
        this.#lockedSeen = false;
      },
      false,
    );
  }

  /** Logs out, closes the session and gives back the module; the card cannot be used after. */
  close(): Promise<void> {
    return this.#queue.run(async () => {
      if (this.#closed) return;
      this.#closed = true;
      try {
        this.#logout();
      } catch {
        // closing is best effort
      }
      this.#lostToken();
      releaseModule(this.#module);
    });
  }

  // ---------------------------------------------------------------- containers

  #find(session: Handle, template: Template, max = 64): Handle[] {
    this.#lib.C_FindObjectsInit(session, template);
    try {
      return this.#lib.C_FindObjects(session, max);
    } finally {
      this.#lib.C_FindObjectsFinal(session);
    }
  }

  #attr(session: Handle, object: Handle, type: number): Buffer | undefined {
    const [attribute] = this.#lib.C_GetAttributeValue(session, object, [{ type }]);
    const value = attribute?.value;
    return value instanceof Buffer ? value : undefined;
  }

  #describe(session: Handle, handle: Handle): Container | undefined {
    const pk = this.#pk;
    const label = this.#attr(session, handle, pk.CKA_LABEL)?.toString('utf8');
    const id = this.#attr(session, handle, pk.CKA_ID);
    const type = this.#attr(session, handle, pk.CKA_KEY_TYPE);
    if (label === undefined || id === undefined || type === undefined || label === '') {
      return undefined;
    }
    const keyType = type.readUIntLE(0, Math.min(type.length, 6));
    let spki: Uint8Array<ArrayBuffer>;
    let algorithm: KeyAlgorithmName;
    if (keyType === pk.CKK_RSA) {
      const modulus = this.#attr(session, handle, pk.CKA_MODULUS);
      const exponent = this.#attr(session, handle, pk.CKA_PUBLIC_EXPONENT);
      if (modulus === undefined || exponent === undefined) return undefined;
      spki = rsaSpki(modulus, exponent);
      const bits = (modulus.length - (modulus[0] === 0 ? 1 : 0)) * 8;
      if (bits !== 2048 && bits !== 3072 && bits !== 4096) return undefined;
      algorithm = `RSA-${bits}` as KeyAlgorithmName;
    } else if (keyType === pk.CKK_EC) {
      const params = this.#attr(session, handle, pk.CKA_EC_PARAMS);
      const point = this.#attr(session, handle, pk.CKA_EC_POINT);
      if (params === undefined || point === undefined || !params.equals(P256)) return undefined;
      spki = p256Spki(point);
      algorithm = 'ECDSA-P256';
    } else {
      return undefined;
    }
    // The SDK's containers carry their key spec in CKA_ID (tpm2-pkcs11 sets CKA_ENCRYPT on
    // every RSA public key); a key made by other software is `exchange` if it may encrypt.
    const marker = id.length === ID_BYTES ? id[6] : undefined;
    const encrypt =
      marker === undefined || (marker !== EXCHANGE && marker !== SIGNATURE)
        ? this.#attr(session, handle, pk.CKA_ENCRYPT)?.[0] === 1
        : marker === EXCHANGE;
    const keySpec = algorithm.startsWith('RSA') && encrypt ? 'exchange' : 'signature';
    return { name: label, id, publicKey: handle, algorithm, keySpec, spki };
  }

  /** The containers: public keys (readable without a PIN) in the order they were made. */
  #containers(): Container[] {
    const session = this.#open();
    const pk = this.#pk;
    const found = this.#find(session, [{ type: pk.CKA_CLASS, value: pk.CKO_PUBLIC_KEY }], 256)
      .map((handle) => this.#describe(session, handle))
      .filter((c): c is Container => c !== undefined);
    return found.sort((a, b) => Buffer.compare(a.id, b.id));
  }

  #container(name: string): Container {
    const found = this.#containers().find((c) => c.name === name);
    if (found === undefined) {
      throw new KeyNotFoundError(`The token has no key container named "${String(name)}".`);
    }
    return found;
  }

  #info(c: Container, session: Handle): KeyContainerInfo {
    return {
      name: c.name,
      keySpec: c.keySpec,
      algorithm: c.algorithm,
      friendlyName: this.#record.friendlyNames[c.name],
      publicKey: c.spki.slice(),
      hasCertificate: this.#certificates(session, c).length > 0,
    };
  }

  #certificates(session: Handle, c: Container): Handle[] {
    const pk = this.#pk;
    return this.#find(session, [
      { type: pk.CKA_CLASS, value: pk.CKO_CERTIFICATE },
      { type: pk.CKA_ID, value: c.id },
    ]);
  }

  #privateKey(session: Handle, c: Container): Handle {
    const pk = this.#pk;
    const [key] = this.#find(session, [
      { type: pk.CKA_CLASS, value: pk.CKO_PRIVATE_KEY },
      { type: pk.CKA_ID, value: c.id },
    ]);
    if (key === undefined) {
      throw new KeyNotFoundError(`Container "${c.name}" has a public key but no private key.`);
    }
    return key;
  }

  #mechanisms(): number[] {
    return this.#lib.C_GetMechanismList(this.#token.slot);
  }

  /** The key containers on the token (public keys, readable without a PIN). */
  containers(): Promise<KeyContainerInfo[]> {
    return this.#run('listing the containers', async () => {
      const session = this.#open();
      return this.#containers().map((c) => this.#info(c, session));
    });
  }

  /**
   * Generates a key pair on the token: RSA (`CKM_RSA_PKCS_KEY_PAIR_GEN`, exponent 65537) or
   * P-256 (`CKM_EC_KEY_PAIR_GEN`) when the token offers it. The private key is a token object,
   * private, sensitive and never extractable; an `exchange` key may also decrypt.
   */
  generateKeyPair(options?: GenerateKeyPairOptions): Promise<KeyContainerInfo> {
    return this.#run('generating a key pair', async () => {
      const o = input.keyPairOptions(options);
      const session = this.#requirePin();
      const pk = this.#pk;
      const name = o.container ?? input.automaticName(globalThis.crypto);
      if (this.#containers().some((c) => c.name === name)) {
        throw new InvalidInputError(`The token already has a container named "${name}".`);
      }
      const rsa = o.algorithm.startsWith('RSA');
      const mechanisms = this.#mechanisms();
      const mechanism = rsa ? pk.CKM_RSA_PKCS_KEY_PAIR_GEN : pk.CKM_EC_KEY_PAIR_GEN;
      if (!mechanisms.includes(mechanism) || (!rsa && !mechanisms.includes(pk.CKM_ECDSA))) {
        throw new InvalidInputError(`This token cannot generate ${o.algorithm} key pairs.`);
      }
      if (rsa) {
        const { maxKeySize } = this.#lib.C_GetMechanismInfo(this.#token.slot, mechanism);
        const bits = Number(o.algorithm.slice(4));
        if (maxKeySize > 0 && maxKeySize < bits) {
          throw new InvalidInputError(`This token generates RSA keys of up to ${maxKeySize} bits.`);
        }
      }
      // CKA_ID: the time (containers list in the order they were made), the key spec, and
      // random bytes.
      const exchange = rsa && o.keySpec === 'exchange';
      const id = Buffer.alloc(ID_BYTES);
      id.writeUIntBE(Date.now(), 0, 6);
      id[6] = exchange ? EXCHANGE : SIGNATURE;
      randomBytes(ID_BYTES - 7).copy(id, 7);
      const common = [
        { type: pk.CKA_TOKEN, value: true },
        { type: pk.CKA_ID, value: id },
        { type: pk.CKA_LABEL, value: name },
      ];
      const publicTemplate: Template = [
        ...common,
        { type: pk.CKA_CLASS, value: pk.CKO_PUBLIC_KEY },
        { type: pk.CKA_PRIVATE, value: false },
        { type: pk.CKA_VERIFY, value: true },
        // Only what is true: tpm2-pkcs11 refuses a key pair whose `false`s it derives itself.
        ...(exchange ? [{ type: pk.CKA_ENCRYPT, value: true }] : []),
        ...(rsa
          ? [
              { type: pk.CKA_KEY_TYPE, value: pk.CKK_RSA },
              { type: pk.CKA_MODULUS_BITS, value: Number(o.algorithm.slice(4)) },
              { type: pk.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
            ]
          : [
              { type: pk.CKA_KEY_TYPE, value: pk.CKK_EC },
              { type: pk.CKA_EC_PARAMS, value: P256 },
            ]),
      ];
      const privateTemplate: Template = [
        ...common,
        { type: pk.CKA_CLASS, value: pk.CKO_PRIVATE_KEY },
        { type: pk.CKA_KEY_TYPE, value: rsa ? pk.CKK_RSA : pk.CKK_EC },
        { type: pk.CKA_PRIVATE, value: true },
        { type: pk.CKA_SENSITIVE, value: true },
        { type: pk.CKA_EXTRACTABLE, value: false },
        { type: pk.CKA_SIGN, value: true },
        ...(exchange ? [{ type: pk.CKA_DECRYPT, value: true }] : []),
      ];
      // The asynchronous call runs on libuv's pool: RSA generation on a token takes 0.1-0.5 s,
      // which must not stall the event loop (a UI, the sign-in machine's timers).
      const keys = await this.#lib.C_GenerateKeyPairAsync(
        session,
        { mechanism },
        publicTemplate,
        privateTemplate,
      );
      const container = this.#describe(session, keys.publicKey);
      if (container === undefined) {
        this.#destroy(session, [keys.publicKey, keys.privateKey]);
        throw new InvalidInputError(`The token made a key pair the SDK cannot read back.`);
      }
      if (o.friendlyName !== undefined) {
        const friendlyName = o.friendlyName;
        await this.#update((r) => ({
          friendlyNames: { ...r.friendlyNames, [name]: friendlyName },
        }));
      }
      return this.#info(container, session);
    });
  }

  #destroy(session: Handle, handles: readonly Handle[]): void {
    for (const handle of handles) this.#lib.C_DestroyObject(session, handle);
  }

  /**
   * Signs on the token: `CKM_SHA*_RSA_PKCS` (or the hash's DigestInfo with `CKM_RSA_PKCS` when
   * the token lacks the combined mechanism), or `CKM_ECDSA` over the hash (r‖s).
   */
  sign(
    container: string,
    data: Uint8Array<ArrayBuffer>,
    options?: { hash?: HashName },
  ): Promise<Uint8Array<ArrayBuffer>> {
    return this.#run(
      'signing',
      async () => {
        const hash = input.hashName(
          input.options<{ hash: HashName }>(options, 'sign options').hash,
        );
        const message = Buffer.from(input.bytes(data, 'data', input.MAX_SIGN_BYTES));
        const session = this.#requirePin();
        const c = this.#container(container);
        const key = this.#privateKey(session, c);
        const pk = this.#pk;
        const mechanisms = this.#mechanisms();
        let mechanism: number;
        let signed: Buffer;
        if (c.algorithm.startsWith('RSA')) {
          const combined = pk[HASH_MECHANISM[hash]];
          if (mechanisms.includes(combined)) {
            mechanism = combined;
            signed = message;
          } else {
            mechanism = pk.CKM_RSA_PKCS;
            signed = digestInfo(hash, message);
          }
        } else {
          mechanism = pk.CKM_ECDSA;
          signed = digest(hash, message);
        }
        this.#lib.C_SignInit(session, { mechanism }, key);
        const signature = await this.#lib.C_SignAsync(session, signed, Buffer.alloc(1024));
        return new Uint8Array(signature);
      },
      false,
    );
  }

  /**
   * Decrypts RSA-OAEP on the token: `CKM_RSA_PKCS_OAEP`, or, when the token's OAEP lacks the
   * hash (SoftHSM2 has only SHA-1), the raw RSA operation `CKM_RSA_X_509` on the token and the
   * OAEP unpadding in the SDK.
   */
  decrypt(
    container: string,
    ciphertext: Uint8Array<ArrayBuffer>,
    options?: { hash?: 'SHA-1' | 'SHA-256' },
  ): Promise<Uint8Array<ArrayBuffer>> {
    return this.#run(
      'decrypting',
      async () => {
        const o = input.options<{ hash: 'SHA-1' | 'SHA-256' }>(options, 'decrypt options');
        const hash = input.hashName(o.hash, ['SHA-1', 'SHA-256']) as 'SHA-1' | 'SHA-256';
        const data = Buffer.from(input.bytes(ciphertext, 'ciphertext', 512));
        const session = this.#requirePin();
        const c = this.#container(container);
        if (c.keySpec !== 'exchange' || !c.algorithm.startsWith('RSA')) {
          throw new KeyUsageError(
            c.keySpec !== 'exchange'
              ? `Container "${container}" holds a signature key, which cannot decrypt.`
              : `Container "${container}" holds an ECDSA key, which cannot decrypt.`,
          );
        }
        const size = Number(c.algorithm.slice(4)) / 8;
        if (data.length !== size) {
          throw new InvalidInputError('The ciphertext is not as long as the key modulus.');
        }
        // RSADP's range check (RFC 8017 §5.1.2), and 0 and 1, which no OAEP padding gives: the
        // token is not asked (a TPM answers a zero ciphertext with TPM_RC_FAILURE).
        const n = rsaModulus(c.spki);
        const value = BigInt(`0x${data.toString('hex')}`);
        if (value < 2n || value >= n) {
          throw new InvalidInputError('The ciphertext does not decrypt with this key.');
        }
        const key = this.#privateKey(session, c);
        const plain = this.#decrypt(session, key, hash, data, size);
        if (plain === undefined) {
          throw new InvalidInputError('The ciphertext does not decrypt with this key.');
        }
        return new Uint8Array(plain);
      },
      false,
    );
  }

  #decrypt(
    session: Handle,
    key: Handle,
    hash: 'SHA-1' | 'SHA-256',
    data: Buffer,
    size: number,
  ): Buffer | undefined {
    const pk = this.#pk;
    const mechanisms = this.#mechanisms();
    const bad = new Set([
      'CKR_ENCRYPTED_DATA_INVALID',
      'CKR_ENCRYPTED_DATA_LEN_RANGE',
      'CKR_DATA_INVALID',
      'CKR_DATA_LEN_RANGE',
    ]);
    if (mechanisms.includes(pk.CKM_RSA_PKCS_OAEP)) {
      const parameter = {
        type: pk.CK_PARAMS_RSA_OAEP,
        hashAlg: hash === 'SHA-1' ? pk.CKM_SHA_1 : pk.CKM_SHA256,
        mgf: hash === 'SHA-1' ? pk.CKG_MGF1_SHA1 : pk.CKG_MGF1_SHA256,
        source: 1, // CKZ_DATA_SPECIFIED, with no label
      };
      let started = false;
      try {
        this.#lib.C_DecryptInit(session, { mechanism: pk.CKM_RSA_PKCS_OAEP, parameter }, key);
        started = true;
        return this.#lib.C_Decrypt(session, data, Buffer.alloc(size));
      } catch (error) {
        const ckr = ckrOf(error) ?? '';
        if (started && bad.has(ckr)) return undefined;
        const unsupported =
          !started &&
          (ckr === 'CKR_MECHANISM_PARAM_INVALID' ||
            ckr === 'CKR_ARGUMENTS_BAD' ||
            ckr === 'CKR_MECHANISM_INVALID');
        if (!unsupported || !mechanisms.includes(pk.CKM_RSA_X_509)) throw error;
      }
    } else if (!mechanisms.includes(pk.CKM_RSA_X_509)) {
      throw new KeyUsageError('This token cannot decrypt with RSA-OAEP.');
    }
    let raw: Buffer;
    try {
      this.#lib.C_DecryptInit(session, { mechanism: pk.CKM_RSA_X_509 }, key);
      raw = this.#lib.C_Decrypt(session, data, Buffer.alloc(size));
    } catch (error) {
      if (bad.has(ckrOf(error) ?? '')) return undefined;
      throw error;
    }
    const em = Buffer.alloc(size);
    raw.copy(em, size - raw.length);
    return oaepDecode(hash, em);
  }

  /**
   * Stores a DER X.509 certificate as a certificate object (`CKO_CERTIFICATE`, `CKC_X_509`)
   * with the container's `CKA_ID` and label, replacing the one stored before.
   */
  installCertificate(
    container: string,
    der: Uint8Array,
    options?: { friendlyName?: string },
  ): Promise<void> {
    return this.#run('storing the certificate', async () => {
      const o = input.options<{ friendlyName: string }>(options, 'installCertificate options');
      input.friendlyName(o.friendlyName);
      const cert = input.bytes(der, 'certificate', input.MAX_CERTIFICATE_BYTES);
      let spki: Uint8Array;
      let subject: Buffer;
      try {
        spki = certificateSpki(cert);
        subject = certificateSubject(cert);
      } catch (cause) {
        if (!(cause instanceof DerError)) throw cause;
        throw new CertificateInvalidError(
          `The certificate is not a DER X.509 certificate (${cause.message}). PEM text must be decoded to DER first.`,
          { cause },
        );
      }
      const session = this.#requirePin();
      const c = this.#container(container);
      const theirs = canonicalSpki(spki);
      if (theirs === undefined || !theirs.equals(Buffer.from(c.spki))) {
        throw new CertificateMismatchError(
          `The certificate's public key is not the key of container "${container}".`,
        );
      }
      const pk = this.#pk;
      const old = this.#certificates(session, c);
      this.#lib.C_CreateObject(session, [
        { type: pk.CKA_CLASS, value: pk.CKO_CERTIFICATE },
        { type: pk.CKA_CERTIFICATE_TYPE, value: pk.CKC_X_509 },
        { type: pk.CKA_TOKEN, value: true },
        { type: pk.CKA_PRIVATE, value: false },
        { type: pk.CKA_ID, value: c.id },
        { type: pk.CKA_LABEL, value: c.name },
        { type: pk.CKA_SUBJECT, value: subject },
        { type: pk.CKA_VALUE, value: Buffer.from(cert) },
      ]);
      this.#destroy(session, old);
    });
  }

  /** The DER certificate stored with the container, or `null`; no PIN needed. */
  certificate(container: string): Promise<Uint8Array<ArrayBuffer> | null> {
    return this.#run('reading the certificate', async () => {
      const session = this.#open();
      const c = this.#container(container);
      const [cert] = this.#certificates(session, c);
      if (cert === undefined) return null;
      const value = this.#attr(session, cert, this.#pk.CKA_VALUE);
      return value === undefined ? null : new Uint8Array(value);
    });
  }

  /** Destroys the container's private key, public key and certificate objects. */
  deleteContainer(container: string): Promise<void> {
    return this.#run('deleting a container', async () => {
      const session = this.#requirePin();
      const c = this.#container(container);
      const pk = this.#pk;
      const objects = [
        ...this.#certificates(session, c),
        ...this.#find(session, [
          { type: pk.CKA_CLASS, value: pk.CKO_PRIVATE_KEY },
          { type: pk.CKA_ID, value: c.id },
        ]),
        c.publicKey,
      ];
      this.#destroy(session, objects);
      await this.#update((r) => {
        if (r.friendlyNames[c.name] === undefined) return undefined;
        const { [c.name]: _, ...friendlyNames } = r.friendlyNames;
        return { friendlyNames };
      });
    });
  }

  /** The card as text, for logs: kind, label and id only. */
  toString(): string {
    return `${this.kind} PKCS#11 token ${this.#token.label} (${this.id})`;
  }
}
