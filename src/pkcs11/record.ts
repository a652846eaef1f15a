import { createHash, randomBytes } from 'node:crypto';
import type { CardStore } from '../card/storage/card-store.js';
import { SmartCardError, StateCorruptError, StorageError } from '../errors.js';
import { type Binding, ckrOf, type Handle, type Library, moduleFault } from './binding.js';

/**
 * What the SDK keeps about a token beside the token's own state: its stable id, the retry
 * counter and must-change of the SDK's PIN rules, the friendly names of key containers.
 *
 * @category Cards
 */
export interface CardRecord {
  /** Written with every change; the highest is the current record. */
  readonly seq: number;
  /** The card's stable id: random, made when the token is first opened. */
  readonly id: string;
  /** Wrong PINs still allowed by the SDK's counter; `null` without one. */
  readonly attemptsRemaining: number | null;
  /**
   * Wrong security officer's PINs still allowed by the SDK's counter (kept when it counts the
   * user PIN); `null` without one. Records written before it existed read as `null`.
   */
  readonly soAttemptsRemaining: number | null;
  /** The PIN must be changed before the card is used further. */
  readonly mustChange: boolean;
  /** Friendly names of containers, by container name. */
  readonly friendlyNames: Readonly<Record<string, string>>;
}

/** Where a record lives: a data object on the token, a `CardStore`, or this process's memory.
 *
 * @category Cards
 */
export interface RecordPlace {
  /** `token`, `store` or `memory`. */
  readonly kind: 'token' | 'store' | 'memory';
  read(): Promise<CardRecord | undefined>;
  /**
   * Writes `record` unless the place already holds a record with a `seq` as high or higher
   * (someone else wrote since it was read): then nothing is written and the answer is `false`,
   * and the caller reads again. PKCS#11 has no lock: this is best effort, not atomic.
   */
  write(record: CardRecord): Promise<boolean>;
}

const APPLICATION = 'smartcard-2fa';
const LABEL = 'card-state';
const MAX_RECORD_BYTES = 16 * 1024;

export function newRecord(
  attemptsRemaining: number | null,
  soAttemptsRemaining: number | null = null,
): CardRecord {
  return {
    seq: 1,
    id: randomBytes(8).toString('hex'),
    attemptsRemaining,
    soAttemptsRemaining,
    mustChange: false,
    friendlyNames: {},
  };
}

export function encodeRecord(record: CardRecord): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ v: 1, ...record }));
}

export function decodeRecord(bytes: Uint8Array): CardRecord {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new StateCorruptError("The token's smartcard-2fa record is not readable.", { cause });
  }
  const r = value as Partial<Record<keyof CardRecord | 'v', unknown>>;
  const names = r.friendlyNames;
  const so = r.soAttemptsRemaining ?? null;
  const ok =
    typeof value === 'object' &&
    value !== null &&
    r.v === 1 &&
    typeof r.seq === 'number' &&
    Number.isSafeInteger(r.seq) &&
    typeof r.id === 'string' &&
    /^[0-9a-f]{16}$/.test(r.id) &&
    (r.attemptsRemaining === null ||
      (typeof r.attemptsRemaining === 'number' &&
        Number.isInteger(r.attemptsRemaining) &&
        r.attemptsRemaining >= 0 &&
        r.attemptsRemaining <= 255)) &&
    (so === null || (typeof so === 'number' && Number.isInteger(so) && so >= 0 && so <= 255)) &&
    typeof r.mustChange === 'boolean' &&
    typeof names === 'object' &&
    names !== null &&
    Object.values(names).every((n) => typeof n === 'string');
  if (!ok) throw new StateCorruptError("The token's smartcard-2fa record is malformed.");
  return {
    seq: r.seq as number,
    id: r.id as string,
    attemptsRemaining: r.attemptsRemaining as number | null,
    soAttemptsRemaining: so as number | null,
    mustChange: r.mustChange as boolean,
    friendlyNames: { ...(names as Record<string, string>) },
  };
}

/**
 * The record as public data objects on the token (application `smartcard-2fa`, label
 * `card-state`), readable and writable without a PIN, so that a wrong PIN is counted before the
 * token is asked. A write makes a new object, then destroys the older ones it saw: a write cut
 * short leaves the old record or both, and the highest `seq` wins. A write whose `seq` is not
 * above every record present writes nothing (another card object or process wrote meanwhile).
 *
 * @category Cards
 */
export class TokenRecord implements RecordPlace {
  readonly kind = 'token';
  readonly #pk: Binding;
  readonly #lib: Library;
  readonly #session: () => Handle;

  constructor(pk: Binding, lib: Library, session: () => Handle) {
    this.#pk = pk;
    this.#lib = lib;
    this.#session = session;
  }

  #objects(session: Handle): Handle[] {
    const pk = this.#pk;
    this.#lib.C_FindObjectsInit(session, [
      { type: pk.CKA_CLASS, value: pk.CKO_DATA },
      { type: pk.CKA_APPLICATION, value: APPLICATION },
      { type: pk.CKA_LABEL, value: LABEL },
    ]);
    try {
      return this.#lib.C_FindObjects(session, 16);
    } finally {
      this.#lib.C_FindObjectsFinal(session);
    }
  }

  #readAll(session: Handle): { handle: Handle; record: CardRecord }[] {
    return this.#objects(session).map((handle) => {
      const [attr] = this.#lib.C_GetAttributeValue(session, handle, [{ type: this.#pk.CKA_VALUE }]);
      const value = attr?.value;
      if (!(value instanceof Buffer) || value.length > MAX_RECORD_BYTES) {
        throw new StateCorruptError("The token's smartcard-2fa record has no value.");
      }
      return { handle, record: decodeRecord(value) };
    });
  }

  async read(): Promise<CardRecord | undefined> {
    try {
      const all = this.#readAll(this.#session());
      return all.reduce<CardRecord | undefined>(
        (best, { record }) => (best === undefined || record.seq > best.seq ? record : best),
        undefined,
      );
    } catch (error) {
      throw moduleFault(error, 'reading the smartcard-2fa record');
    }
  }

  /** The record objects and their `seq` (-1 for one that cannot be read: it is replaced). */
  #seqs(session: Handle): { handle: Handle; seq: number }[] {
    return this.#objects(session).map((handle) => {
      try {
        const [attr] = this.#lib.C_GetAttributeValue(session, handle, [
          { type: this.#pk.CKA_VALUE },
        ]);
        const value = attr?.value;
        if (!(value instanceof Buffer) || value.length > MAX_RECORD_BYTES)
          return { handle, seq: -1 };
        return { handle, seq: decodeRecord(value).seq };
      } catch (error) {
        if (SmartCardError.is(error, 'ERR_STATE_CORRUPT')) return { handle, seq: -1 };
        throw error;
      }
    });
  }

  async write(record: CardRecord): Promise<boolean> {
    const pk = this.#pk;
    try {
      const session = this.#session();
      const old = this.#seqs(session);
      // Someone else wrote since the record was read: their change must not be undone.
      if (old.some(({ seq }) => seq >= record.seq)) return false;
      this.#lib.C_CreateObject(session, [
        { type: pk.CKA_CLASS, value: pk.CKO_DATA },
        { type: pk.CKA_TOKEN, value: true },
        { type: pk.CKA_PRIVATE, value: false },
        { type: pk.CKA_MODIFIABLE, value: true },
        { type: pk.CKA_APPLICATION, value: APPLICATION },
        { type: pk.CKA_LABEL, value: LABEL },
        { type: pk.CKA_VALUE, value: Buffer.from(encodeRecord(record)) },
      ]);
      // Only the objects seen before, all older: one written meanwhile by another is kept.
      for (const { handle } of old) this.#lib.C_DestroyObject(session, handle);
      return true;
    } catch (error) {
      if (SmartCardError.is(error)) throw error;
      throw moduleFault(error, 'writing the smartcard-2fa record');
    }
  }

  /** Whether the token takes public data objects (a TPM token makes every object private). */
  static refused(error: unknown): boolean {
    const ckr = ckrOf(error);
    return (
      ckr === 'CKR_ATTRIBUTE_VALUE_INVALID' ||
      ckr === 'CKR_TEMPLATE_INCONSISTENT' ||
      ckr === 'CKR_ATTRIBUTE_TYPE_INVALID' ||
      ckr === 'CKR_USER_NOT_LOGGED_IN' ||
      ckr === 'CKR_TOKEN_WRITE_PROTECTED' ||
      ckr === 'CKR_SESSION_READ_ONLY' ||
      ckr === 'CKR_FUNCTION_NOT_SUPPORTED'
    );
  }
}

/** The record in a `CardStore` (a file store, say), under a name made from the token's identity.
 *
 * @category Cards
 */
export class StoreRecord implements RecordPlace {
  readonly kind = 'store';
  readonly #store: CardStore;
  readonly #name: string;

  constructor(store: CardStore, name: string) {
    this.#store = store;
    this.#name = name;
  }

  async read(): Promise<CardRecord | undefined> {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.#store.load(this.#name);
    } catch (error) {
      if (SmartCardError.is(error)) throw error;
      throw new StorageError("Reading the token's record from its store failed.", {
        cause: error,
      });
    }
    return bytes === undefined ? undefined : decodeRecord(bytes);
  }

  async write(record: CardRecord): Promise<boolean> {
    let current: CardRecord | undefined;
    try {
      current = await this.read();
    } catch (error) {
      // A record that cannot be read is replaced.
      if (!SmartCardError.is(error, 'ERR_STATE_CORRUPT')) throw error;
    }
    if (current !== undefined && current.seq >= record.seq) return false;
    try {
      await this.#store.save(this.#name, encodeRecord(record));
    } catch (error) {
      if (SmartCardError.is(error)) throw error;
      throw new StorageError("Saving the token's record failed; nothing was changed.", {
        cause: error,
      });
    }
    return true;
  }
}

/** The record in this process's memory only: lost when the process ends.
 *
 * @category Cards
 */
export class MemoryRecord implements RecordPlace {
  readonly kind = 'memory';
  #record: CardRecord | undefined;

  async read(): Promise<CardRecord | undefined> {
    return this.#record;
  }

  async write(record: CardRecord): Promise<boolean> {
    if (this.#record !== undefined && this.#record.seq >= record.seq) return false;
    this.#record = record;
    return true;
  }
}

/** A store name for a token: `pkcs11-` and a hash of what the token says about itself.
 *
 * @category Cards
 */
export function storeName(parts: readonly string[]): string {
  const hash = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `pkcs11-${hash.slice(0, 32)}`;
}
