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
import type { CertStatus } from './single-response.js';

/** A verified answer as kept: the status and its window. */
export interface CachedAnswer {
  readonly status: CertStatus;
  readonly thisUpdate: number;
  readonly nextUpdate?: number;
}

/** The answers of one cache, least recently used first. Internal. */
export class CachedAnswers {
  readonly #entries = new Map<string, CachedAnswer>();
  readonly #capacity: number;

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

  /** Forgets every answer (after a CA's compromise, say). */
  clear(): void {
    this.#answers.clear();
  }
}
