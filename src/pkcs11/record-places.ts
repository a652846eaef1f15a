/**
 * Where the SDK's record of a token is kept: a public data object on the token, a `CardStore`,
 * or this process's memory. Each write is refused when the place holds a newer record.
 * Internal.
 */
import type { CardStore } from '../card/storage/card-store.js';
import { SmartCardError, StorageError } from '../errors.js';
import { type Binding, ckrOf, type Handle, type Library, moduleFault } from './binding.js';
import { type CardRecord, decodeRecord, encodeRecord, savedCardRecord } from './record.js';

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

  /** The record one data object holds; a `StateCorruptError` when it holds none. */
  #decode(session: Handle, handle: Handle): CardRecord {
    const [attr] = this.#lib.C_GetAttributeValue(session, handle, [{ type: this.#pk.CKA_VALUE }]);
    const value = attr?.value;
    if (!(value instanceof Buffer) || value.length > MAX_RECORD_BYTES) {
      throw savedCardRecord.corrupt('its data object has no value, or one too large');
    }
    return decodeRecord(value);
  }

  #readAll(session: Handle): { handle: Handle; record: CardRecord }[] {
    return this.#objects(session).map((handle) => ({
      handle,
      record: this.#decode(session, handle),
    }));
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
        return { handle, seq: this.#decode(session, handle).seq };
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
