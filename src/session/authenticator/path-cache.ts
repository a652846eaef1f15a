/**
 * The validated paths an `Authenticator` remembers: by the certificate's bytes (a fingerprint
 * to find the entry, then the bytes themselves compared, so a fingerprint collision is only a
 * miss) and the intermediates the response carried, each good from one time to another. At
 * most `max` entries: the least recently used goes first. Internal.
 */
import { sameBytes } from '../path/asn1.js';
import type { PathCertificate } from '../path/certificate.js';

interface Entry {
  readonly leaf: PathCertificate;
  readonly extra: readonly Uint8Array[];
  /** ms since 1970, whole seconds: the path is good from `from` to `until`, both included. */
  readonly from: number;
  readonly until: number;
}

/** FNV-1a (32 bits) of the bytes, with their length: a map key, not a security boundary. */
export function fingerprint(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i] as number;
    hash = Math.imul(hash, 0x01000193);
  }
  return `${bytes.length}:${(hash >>> 0).toString(36)}`;
}

/** A bounded map from certificate bytes to the leaf of a validated path. */
export class PathCache {
  readonly #max: number;
  readonly #entries = new Map<string, Entry>();

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached leaf for these bytes when its path is good at `time` (whole seconds, ms). */
  get(
    certificate: Uint8Array,
    extra: readonly Uint8Array[],
    time: number,
  ): PathCertificate | undefined {
    const key = fingerprint(certificate);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (time < entry.from || time > entry.until) {
      this.#entries.delete(key);
      return undefined;
    }
    if (!sameBytes(entry.leaf.der, certificate) || !sameList(entry.extra, extra)) return undefined;
    // Most recently used last, so eviction takes the least recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.leaf;
  }

  /** Remembers a validated path's leaf (parsed from bytes nobody else holds). */
  set(leaf: PathCertificate, extra: readonly Uint8Array[], from: number, until: number): void {
    const key = fingerprint(leaf.der);
    this.#entries.delete(key);
    while (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    if (this.#max < 1) return;
    const copies = extra.map((der) => new Uint8Array(der));
    this.#entries.set(key, { leaf, extra: copies, from, until });
  }

  clear(): void {
    this.#entries.clear();
  }
}

function sameList(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  return a.length === b.length && a.every((der, i) => sameBytes(der, b[i] as Uint8Array));
}
