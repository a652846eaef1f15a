/**
 * {@link OcspCache}: verified OCSP answers kept per issuer key and serial number until their
 * nextUpdate, so validations that share one (an Authenticator's, say) ask a responder once per
 * certificate and period.
 *
 * @module
 */
import { InvalidInputError } from '../../../errors.js';
import { toHex } from '../../../lib/bytes.js';
import { internalSlot } from '../../../lib/internal-slot.js';
import { readOcspResponse } from './response.js';
import type { CertStatus } from './single-response.js';

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

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
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
  }

  /** The responses of the answers kept, each once, least recently used first. */
  responses(): Uint8Array[] {
    return [...new Set([...this.#entries.values()].map((answer) => answer.response))];
  }

  /** Keeps `response` for the certificates of `serials` until a validation verifies it. */
  addPending(serials: readonly Uint8Array[], response: Uint8Array): boolean {
    if (this.#pendingCount + serials.length > this.#capacity) return false;
    for (const serial of serials) {
      const key = toHex(serial);
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
    return list;
  }
}

/** Each cache's answers: path validation reaches them through this slot. Internal. */
export const cachedAnswers = internalSlot<OcspCache, CachedAnswers>('OcspCache answers');

/** The options of an {@link OcspCache}.
 *
 * @example
 * ```ts
 * import { OcspCache, type OcspCacheOptions } from 'smartcard-2fa/server';
 *
 * const options: OcspCacheOptions = { capacity: 50_000 }; // one answer per card in use
 * const cache = new OcspCache(options);
 * console.log(cache.capacity); // 50000
 * ```
 *
 * @category Server
 */
export interface OcspCacheOptions {
  /** How many certificates' answers to keep; the least recently used go first. Default 10,000. */
  readonly capacity?: number;
}

/**
 * Verified OCSP answers (good or revoked), kept per (issuer key, serial number) until the
 * answer's nextUpdate (or, without one, while its thisUpdate is within `maxAgeMs`), at most
 * `capacity` of them, the least recently used dropped first. Give one cache to every validation
 * of a service (`ocsp: { cache }`): a certificate is then asked about once per responder
 * period, not once per sign-in. Only answers whose signature verified are kept; a cached answer
 * is used without a nonce (it was checked when it was fetched).
 *
 * @example
 * ```ts
 * import { OcspCache, type OcspFetchRequest, validateCertificatePath } from 'smartcard-2fa/server';
 *
 * declare const leaf: Uint8Array, rootCa: Uint8Array;
 * const cache = new OcspCache({ capacity: 10_000 });
 * const fetchOcsp = async ({ url, body }: OcspFetchRequest) => {
 *   const response = await fetch(url, {
 *     method: 'POST',
 *     headers: { 'content-type': 'application/ocsp-request' },
 *     body,
 *   });
 *   return new Uint8Array(await response.arrayBuffer());
 * };
 * const result = await validateCertificatePath({
 *   leaf,
 *   trustAnchors: [rootCa],
 *   ocsp: { fetch: fetchOcsp, cache },
 * });
 * console.log(result.valid, cache.size); // the answer is kept for the next sign-in
 * ```
 *
 * @category Server
 */
export class OcspCache {
  /** The most answers kept. */
  readonly capacity: number;
  readonly #answers: CachedAnswers;

  /** @throws `InvalidInputError` when `capacity` is not a non-negative integer. */
  constructor(options: OcspCacheOptions = {}) {
    const capacity = options.capacity ?? 10_000;
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new InvalidInputError('OcspCache: capacity must be a non-negative integer.');
    }
    this.capacity = capacity;
    this.#answers = new CachedAnswers(capacity);
    cachedAnswers.set(this, this.#answers);
  }

  /** How many answers are kept now. */
  get size(): number {
    return this.#answers.size;
  }

  /** Forgets every answer, and every response given to `warm` (after a CA's compromise, say). */
  clear(): void {
    this.#answers.clear();
  }

  /**
   * The OCSP responses (DER) behind the answers kept, each once: what another instance, or this
   * one after a restart, takes with {@link OcspCache.warm} instead of asking the responders
   * again. They are the responders' own signed bytes; keep them anywhere (a file, Redis).
   */
  responses(): Uint8Array[] {
    return this.#answers.responses().map((response) => new Uint8Array(response));
  }

  /**
   * Gives the cache OCSP responses another instance kept (`responses()`), to be used in place of
   * asking the responder. Nothing in them is trusted: a validation that needs a certificate's
   * status verifies the response it finds here exactly as one it fetched (the responder's
   * signature and authority, the CertID, thisUpdate and nextUpdate, `maxAgeMs`), keeps it when
   * it passes, and otherwise drops it and asks the responder, so a tampered, stale or foreign
   * response costs a fetch, never a pass. Of the verified answers in hand for a certificate
   * (warmed, stapled, already kept), a revocation wins, else the latest; a response for another
   * issuer's certificate of the same serial number waits for that certificate. Not used when
   * `requireNonce` is set (no kept response carries this validation's nonce). Answers how many
   * responses were taken, the most recent first (the end of `responses()`): malformed ones,
   * ones that answer for no certificate, and any beyond `capacity` are left out.
   */
  warm(responses: readonly Uint8Array[]): number {
    if (!Array.isArray(responses)) {
      throw new InvalidInputError('OcspCache.warm takes an array of DER OCSP responses.');
    }
    let taken = 0;
    // Most recent last in `responses()`: taken first, so a smaller cache keeps the newest.
    for (const der of [...responses].reverse()) {
      if (!(der instanceof Uint8Array)) continue;
      const read = readOcspResponse(der);
      if (typeof read === 'string' || !('basic' in read)) continue;
      const serials = read.basic.responses.map((single) => single.certId.serial);
      if (serials.length > 0 && this.#answers.addPending(serials, new Uint8Array(der))) taken += 1;
    }
    return taken;
  }
}
