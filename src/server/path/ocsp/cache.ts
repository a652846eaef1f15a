/**
 * {@link OcspCache}: verified OCSP answers kept per issuer key and serial number until their
 * nextUpdate, so validations that share one (an Authenticator's, say) ask a responder once per
 * certificate and period.
 *
 * @module
 */
import { InvalidInputError } from '../../../errors.js';
import { internalSlot } from '../../../lib/internal-slot.js';
import { CachedAnswers, MAX_WARMED_RESPONSE_BYTES } from './cached-answers.js';
import { readOcspResponse } from './response.js';

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
   * ones that answer for no certificate, ones over 64 KiB, any beyond 4 for one serial number
   * (so one sign-in checks at most 4 signatures of them), and any beyond `capacity` serial
   * numbers or 32 MiB waiting in all are left out. A waiting response is let go when a
   * validation takes it, or by `clear()`.
   */
  warm(responses: readonly Uint8Array[]): number {
    if (!Array.isArray(responses)) {
      throw new InvalidInputError('OcspCache.warm takes an array of DER OCSP responses.');
    }
    let taken = 0;
    // Most recent last in `responses()`: taken first, so a smaller cache keeps the newest.
    for (const der of [...responses].reverse()) {
      if (!(der instanceof Uint8Array) || der.length > MAX_WARMED_RESPONSE_BYTES) continue;
      const read = readOcspResponse(der);
      if (typeof read === 'string' || !('basic' in read)) continue;
      const serials = read.basic.responses.map((single) => single.certId.serial);
      if (serials.length > 0 && this.#answers.addPending(serials, new Uint8Array(der))) taken += 1;
    }
    return taken;
  }
}
