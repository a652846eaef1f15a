/**
 * The validated paths an `Authenticator` remembers: by the certificate's bytes (a fingerprint
 * to find the entry, then the bytes themselves compared, so a fingerprint collision is only a
 * miss), the intermediates the response carried and the CRLs the path was checked against,
 * each good from one time to another. Bounded twice: at most `maxEntries` entries and
 * `maxBytes` bytes of certificates (a client's own intermediates count), the least recently
 * used going first. Internal.
 */
import { sameBytes } from '../path/asn1.js';
import type { PathCertificate } from '../path/certificate.js';

/** What a cached path was checked against, besides the certificates.
 *
 * @category Server
 */
export interface PathCheckedWith {
  /** Names the set of CRLs the verification fetched. */
  readonly crls: string;
  /** How often the newest CRLs had moved forward (see `CrlHistory.advances`). */
  readonly advances: number;
}

interface Entry extends PathCheckedWith {
  readonly leaf: PathCertificate;
  readonly extra: readonly Uint8Array[];
  /** ms since 1970, whole seconds: the path is good from `from` to `until`, both included. */
  readonly from: number;
  readonly until: number;
  readonly bytes: number;
}

/** Bookkeeping an entry costs beside its certificates' bytes (parsed fields, the map). */
const ENTRY_OVERHEAD = 1024;

/** FNV-1a (32 bits) of the bytes, with their length: a map key, not a security boundary.
 *
 * @category Server
 */
export function fingerprint(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i] as number;
    hash = Math.imul(hash, 0x01000193);
  }
  return `${bytes.length}:${(hash >>> 0).toString(36)}`;
}

/** A bounded map from certificate bytes to the leaf of a validated path.
 *
 * @category Server
 */
export class PathCache {
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(maxEntries: number, maxBytes = Number.POSITIVE_INFINITY) {
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The bytes the entries account for (certificates and bookkeeping). */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * The cached leaf for these bytes when its path is good at `time` (whole seconds, ms) and was
   * checked with the same intermediates and CRLs, none having moved forward since.
   */
  get(
    certificate: Uint8Array,
    extra: readonly Uint8Array[],
    time: number,
    checkedWith: PathCheckedWith,
  ): PathCertificate | undefined {
    const key = fingerprint(certificate);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (time < entry.from || time > entry.until || entry.advances !== checkedWith.advances) {
      this.#delete(key);
      return undefined;
    }
    if (entry.crls !== checkedWith.crls) return undefined;
    if (!sameBytes(entry.leaf.der, certificate) || !sameList(entry.extra, extra)) return undefined;
    // Most recently used last, so eviction takes the least recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.leaf;
  }

  /** Remembers a validated path's leaf (parsed from bytes nobody else holds). */
  set(
    leaf: PathCertificate,
    extra: readonly Uint8Array[],
    from: number,
    until: number,
    checkedWith: PathCheckedWith,
  ): void {
    const key = fingerprint(leaf.der);
    this.#delete(key);
    const bytes = extra.reduce((n, der) => n + der.length, leaf.der.length + ENTRY_OVERHEAD);
    if (this.#maxEntries < 1 || bytes > this.#maxBytes) return;
    while (this.#entries.size >= this.#maxEntries || this.#bytes + bytes > this.#maxBytes) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#delete(oldest.value);
    }
    const copies = extra.map((der) => new Uint8Array(der));
    const { crls, advances } = checkedWith;
    this.#entries.set(key, { leaf, extra: copies, from, until, crls, advances, bytes });
    this.#bytes += bytes;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}

function sameList(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  return a.length === b.length && a.every((der, i) => sameBytes(der, b[i] as Uint8Array));
}
