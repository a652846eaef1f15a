/**
 * The CRLs an `Authenticator` has read, recognised again cheaply: by their length and their
 * last bytes (the signature), so a `crls()` that returns the same CRL of 100,000 entries on
 * every verification costs a map lookup, not a parse or a byte-by-byte comparison. Only CRLs
 * whose signature verified under a configured CA's key are remembered: bytes that share a
 * remembered CRL's length and signature but differ elsewhere could not verify, so reading them
 * as the remembered CRL loses nothing. Bounded in bytes, least recently used out. Internal.
 */
import { sameBytes } from '../path/asn1.js';
import { type PathCrl, parseCrl } from '../path/crl.js';

/** The CRLs one verification fetched, parsed, and a name for that set.
 *
 * @category Server
 */
export interface FetchedCrls {
  readonly crls: readonly PathCrl[];
  /** The same for the same remembered CRLs; unique when one of them is not remembered. */
  readonly id: string;
}

/** How many bytes of CRLs an Authenticator keeps parsed by default.
 *
 * @category Server
 */
export const CRL_CATALOG_BYTES = 64 * 1024 * 1024;

/** How many trailing bytes (the signature and more) recognise a CRL, with its length. */
const TAIL = 96;

interface Entry {
  readonly crl: PathCrl;
  readonly id: number;
}

/** Parsed CRLs by their recognition key.
 *
 * @category Server
 */
export class CrlCatalog {
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, { der: Uint8Array; entry: Promise<Entry | string> }>();
  readonly #maxBytes: number;
  /** Whether a CRL verifies under the key of a configured CA that it names. */
  readonly #authentic: (crl: PathCrl) => Promise<boolean>;
  #bytes = 0;
  #nextId = 1;

  constructor(authentic: (crl: PathCrl) => Promise<boolean>, maxBytes = CRL_CATALOG_BYTES) {
    this.#authentic = authentic;
    this.#maxBytes = maxBytes;
  }

  /** How many CRLs are remembered (for tests). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The CRLs of `list`, parsed from copies (or from the bytes themselves when `owned`: nobody
   * else can change them) or recognised; why one is malformed otherwise.
   */
  async read(list: readonly Uint8Array[], owned = false): Promise<FetchedCrls | string> {
    const crls: PathCrl[] = [];
    const ids: number[] = [];
    for (const der of list) {
      const key = recognitionKey(der);
      const known = this.#entries.get(key);
      if (known !== undefined) {
        this.#entries.delete(key); // most recently used last
        this.#entries.set(key, known);
        crls.push(known.crl);
        ids.push(known.id);
        continue;
      }
      const entry = await this.#first(key, der, owned);
      if (typeof entry === 'string') return `A CRL is malformed: ${entry}.`;
      crls.push(entry.crl);
      ids.push(entry.id);
    }
    return { crls, id: ids.join(',') };
  }

  /**
   * Parses a CRL not remembered; verifications that bring the same bytes while its signature is
   * being checked share the one parse (a refresh under load parses a large CRL once).
   */
  #first(key: string, der: Uint8Array, owned: boolean): Promise<Entry | string> {
    const pending = this.#pending.get(key);
    if (pending !== undefined && sameBytes(pending.der, der)) return pending.entry;
    const entry = this.#parse(key, der, owned);
    this.#pending.set(key, { der, entry });
    void entry.finally(() => {
      if (this.#pending.get(key)?.entry === entry) this.#pending.delete(key);
    });
    return entry;
  }

  async #parse(key: string, der: Uint8Array, owned: boolean): Promise<Entry | string> {
    const crl = parseCrl(owned ? der : new Uint8Array(der));
    if (typeof crl === 'string') return crl;
    const entry = { crl, id: this.#nextId++ };
    let authentic = false;
    try {
      authentic = await this.#authentic(crl);
    } catch {
      authentic = false; // a check it could not make: not remembered, read again next time
    }
    if (authentic) this.#remember(key, entry);
    return entry;
  }

  #remember(key: string, entry: Entry): void {
    const size = entry.crl.der.length;
    if (size > this.#maxBytes) return;
    const old = this.#entries.get(key);
    if (old !== undefined) this.#bytes -= old.crl.der.length;
    this.#entries.delete(key);
    while (this.#bytes + size > this.#maxBytes) {
      const oldest = this.#entries.entries().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value[0]);
      this.#bytes -= oldest.value[1].crl.der.length;
    }
    this.#entries.set(key, entry);
    this.#bytes += size;
  }
}

/** The length and the last bytes, as a string. */
function recognitionKey(der: Uint8Array): string {
  let key = `${der.length}:`;
  for (let i = Math.max(0, der.length - TAIL); i < der.length; i++) {
    key += String.fromCharCode(der[i] as number);
  }
  return key;
}
