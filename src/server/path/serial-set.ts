/**
 * The revoked serial numbers of one CRL, kept compactly: offsets into the CRL's own bytes,
 * sorted, so a lookup is a binary search and 100,000 serials cost about 500 kB beside the CRL's
 * bytes (not an object per serial). Internal.
 */

/** Serials longer than this never match: the certificate reader refuses them. */
const MAX_SERIAL = 21;
/** The reason {@link SerialSet.reasonOf} gives an entry that is neither on hold nor removed. */
export const OTHER_REASON = 255;

/** A sorted set of serial numbers (INTEGER contents) that live in one buffer.
 *
 * @category Server
 */
export class SerialSet {
  readonly #bytes: Uint8Array;
  readonly #starts: Uint32Array;
  readonly #lengths: Uint8Array;
  readonly #released: ReadonlyMap<number, number>;

  /**
   * `starts[i]` and `lengths[i]` locate serial `i` in `bytes` (minimal INTEGER contents, as the
   * strict reader checked); `releasable` gives the CRLReason of the few entries a delta CRL
   * may concern (certificateHold, removeFromCRL) by their serial's start. Serials longer than
   * 21 octets are left out.
   */
  constructor(
    bytes: Uint8Array,
    starts: readonly number[],
    lengths: readonly number[],
    releasable: ReadonlyMap<number, number> = new Map(),
  ) {
    this.#bytes = bytes;
    const kept: number[] = [];
    for (let i = 0; i < starts.length; i++) if ((lengths[i] ?? 0) <= MAX_SERIAL) kept.push(i);
    const order = Uint32Array.from(kept).sort((a, b) =>
      this.#compare(
        starts[a] as number,
        lengths[a] as number,
        starts[b] as number,
        lengths[b] as number,
      ),
    );
    this.#starts = new Uint32Array(order.length);
    this.#lengths = new Uint8Array(order.length);
    this.#released = releasable;
    for (let i = 0; i < order.length; i++) {
      this.#starts[i] = starts[order[i] as number] as number;
      this.#lengths[i] = lengths[order[i] as number] as number;
    }
  }

  get size(): number {
    return this.#starts.length;
  }

  /** Whether `serial` (INTEGER contents, minimal) is in the set. */
  has(serial: Uint8Array): boolean {
    return this.#find(serial) >= 0;
  }

  /**
   * The CRLReason of `serial`'s entry when it is certificateHold or removeFromCRL, else
   * {@link OTHER_REASON}; -1 when it is not listed. With `belongs` (told an entry's serial
   * offset), only an entry it accepts counts: an indirect CRL may list one serial for several
   * issuers.
   */
  reasonOf(serial: Uint8Array, belongs?: (start: number) => boolean): number {
    let index = this.#find(serial);
    if (index < 0) return -1;
    if (belongs !== undefined) {
      while (index > 0 && this.#compareTo(index - 1, serial) === 0) index -= 1;
      while (index < this.#starts.length && !belongs(this.#starts[index] as number)) {
        index += 1;
        if (index === this.#starts.length || this.#compareTo(index, serial) !== 0) return -1;
      }
    }
    return this.#released.get(this.#starts[index] as number) ?? OTHER_REASON;
  }

  #find(serial: Uint8Array): number {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = this.#compareTo(middle, serial);
      if (order === 0) return middle;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  /** Shorter first, then byte by byte. */
  #compare(a: number, aLength: number, b: number, bLength: number): number {
    if (aLength !== bLength) return aLength - bLength;
    const bytes = this.#bytes;
    for (let i = 0; i < aLength; i++) {
      const d = (bytes[a + i] as number) - (bytes[b + i] as number);
      if (d !== 0) return d;
    }
    return 0;
  }

  #compareTo(index: number, serial: Uint8Array): number {
    const length = this.#lengths[index] as number;
    if (length !== serial.length) return length - serial.length;
    const start = this.#starts[index] as number;
    for (let i = 0; i < length; i++) {
      const d = (this.#bytes[start + i] as number) - (serial[i] as number);
      if (d !== 0) return d;
    }
    return 0;
  }
}
