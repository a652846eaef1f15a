/**
 * What an `OcspCache` holds: verified answers per (issuer key, serial number), least
 * recently used first, and the responses given to `warm` that no validation has verified yet,
 * bounded in number and in bytes. Internal.
 *
 * @module
 */
import { toHex } from '../../../lib/bytes.js';
import type { CertStatus } from './single-response.js';

/** A warmed response larger than this is left out (real ones are a few kilobytes). */
export const MAX_WARMED_RESPONSE_BYTES = 64 * 1024;
/** The most bytes of warmed responses waiting for a validation, each response counted once. */
export const MAX_PENDING_BYTES = 32 * 1024 * 1024;
/**
 * The most warmed responses waiting for one serial number (a validation verifies each: this
 * bounds the signatures one sign-in may have to check), the first given kept.
 */
export const MAX_PENDING_PER_SERIAL = 4;

/** A verified answer as kept: the status and its window, and the response it was read from. */
export interface CachedAnswer {
  readonly status: CertStatus;
  readonly thisUpdate: number;
  readonly nextUpdate?: number;
  /** The whole OCSP response (DER) that was verified, to hand to another instance. */
  readonly response: Uint8Array;
}

/** The answers of one cache, least recently used first. Internal. */
export class CachedAnswers {
  readonly #entries = new Map<string, CachedAnswer>();
  readonly #capacity: number;
  /** Responses given to `warm`, not yet verified, by the serial numbers they answer for. */
  readonly #pending = new Map<string, Uint8Array[]>();
  #pendingCount = 0;
  /** For each pending response, under how many serial numbers it waits; their bytes, once each. */
  readonly #pendingRefs = new Map<Uint8Array, number>();
  #pendingBytes = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The bytes of the warmed responses no validation has taken yet, each counted once. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** The key of a certificate: its issuer's SubjectPublicKeyInfo and its serial number. */
  static key(issuerSpki: Uint8Array, serial: Uint8Array): string {
    return `${toHex(issuerSpki)}/${toHex(serial)}`;
  }

  /** The answer kept for `key`, unless `expired` says it is out of date (then it is dropped). */
  get(key: string, expired: (answer: CachedAnswer) => boolean): CachedAnswer | undefined {
    const answer = this.#entries.get(key);
    if (answer === undefined) return undefined;
    this.#entries.delete(key);
    if (expired(answer)) return undefined;
    this.#entries.set(key, answer);
    return answer;
  }

  set(key: string, answer: CachedAnswer): void {
    if (this.#capacity === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, answer);
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#capacity) break;
      this.#entries.delete(oldest);
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#pending.clear();
    this.#pendingCount = 0;
    this.#pendingRefs.clear();
    this.#pendingBytes = 0;
  }

  /** The responses of the answers kept, each once, least recently used first. */
  responses(): Uint8Array[] {
    return [...new Set([...this.#entries.values()].map((answer) => answer.response))];
  }

  /**
   * Keeps `response` for the certificates of `serials` until a validation verifies it, for each
   * serial number that has fewer than {@link MAX_PENDING_PER_SERIAL} waiting; false (nothing
   * kept) when none has room, or when it would pass `capacity` serial numbers or
   * {@link MAX_PENDING_BYTES}.
   */
  addPending(serials: readonly Uint8Array[], response: Uint8Array): boolean {
    const keys = [...new Set(serials.map(toHex))].filter(
      (key) => (this.#pending.get(key)?.length ?? 0) < MAX_PENDING_PER_SERIAL,
    );
    if (keys.length === 0 || this.#pendingCount + keys.length > this.#capacity) return false;
    if (this.#pendingBytes + response.length > MAX_PENDING_BYTES) return false;
    this.#pendingRefs.set(response, keys.length);
    this.#pendingBytes += response.length;
    for (const key of keys) {
      const list = this.#pending.get(key) ?? [];
      list.push(response);
      this.#pending.set(key, list);
      this.#pendingCount += 1;
    }
    return true;
  }

  /** The pending responses for `serial`, taken out (a validation verifies them or drops them). */
  takePending(serial: Uint8Array): Uint8Array[] {
    const key = toHex(serial);
    const list = this.#pending.get(key) ?? [];
    this.#pending.delete(key);
    this.#pendingCount -= list.length;
    for (const response of list) {
      const refs = (this.#pendingRefs.get(response) ?? 1) - 1;
      if (refs > 0) {
        this.#pendingRefs.set(response, refs);
      } else {
        this.#pendingRefs.delete(response);
        this.#pendingBytes -= response.length;
      }
    }
    return list;
  }
}
