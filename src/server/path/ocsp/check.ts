/**
 * OCSP in one validation: for a certificate and its issuer, the answer of a stapled response,
 * of the cache, or of the responder (fetched once per certificate and issuer key, at most
 * `maxFetches` times), verified and judged. A revoked answer fails the path; a good one decides
 * the status; anything else is a failure that fails the path only in hard-fail mode. Internal.
 */
import { toHex } from '../../../lib/bytes.js';
import { octetString } from '../../../lib/der-write.js';
import { getOrInsert } from '../../../lib/maps.js';
import type { DigestName } from '../../../lib/signature-algorithms.js';
import type { PathCertificate } from '../certificate.js';
import type { Problem } from '../checks.js';
import type { KeyFacts } from '../signature.js';
import type { OcspFetchRequest } from '../types.js';
import { type AnswerChecks, answerProblem, findAnswer, timeProblem } from './answer.js';
import { cachedAnswers, type OcspCache } from './cache.js';
import { type CachedAnswer, CachedAnswers } from './cached-answers.js';
import { type CertIdInput, encodeCertId, encodeOcspRequest, NONCE_OCTETS } from './request.js';
import { responderUrlFor } from './responder-url.js';
import { type ReadResponse, readOcspResponse } from './response.js';
import { checkResponseSigner, type SignerContext } from './signer.js';
import type { SingleResponse } from './single-response.js';

/** The `ocsp` option after checking, with defaults filled in. */
export interface OcspSettings {
  readonly fetch: (request: OcspFetchRequest) => Promise<Uint8Array>;
  readonly responderUrl: string | undefined;
  readonly overrideResponderUrl: boolean;
  readonly hardFail: boolean;
  readonly nonce: boolean;
  readonly requireNonce: boolean;
  readonly certIdHash: DigestName;
  readonly clockSkewMs: number;
  readonly maxAgeMs: number;
  readonly responses: readonly Uint8Array[];
  readonly cache: OcspCache | undefined;
}

/** A verified answer in hand: the cache's, or a response's (to keep) with its DER. */
type Found =
  | { readonly answer: CachedAnswer; readonly der?: undefined }
  | { readonly answer: SingleResponse; readonly der: Uint8Array };

/** Of the verified answers in hand, a revocation if any says so, else the latest good one. */
function strongest(found: readonly Found[]): Found | undefined {
  const revoked = found.find((item) => item.answer.status.kind === 'revoked');
  if (revoked !== undefined) return revoked;
  return found.reduce<Found | undefined>(
    (best, item) =>
      best === undefined || item.answer.thisUpdate > best.answer.thisUpdate ? item : best,
    undefined,
  );
}

/** What OCSP decided: the certificate is good, a problem for the path, or nothing. */
export type OcspVerdict = 'good' | Problem | undefined;

/** The OCSP state of one validation. */
export class OcspSession {
  readonly #settings: OcspSettings;
  readonly #signer: SignerContext;
  readonly #maxFetches: number;
  /** By certificate, then by the issuer's key (two CA certificates of one key are one issuer). */
  readonly #verdicts = new Map<PathCertificate, Map<string, Promise<OcspVerdict>>>();
  readonly #cache: CachedAnswers | undefined;
  #stapled: [Uint8Array, ReadResponse][] | undefined;
  #fetches = 0;

  constructor(settings: OcspSettings, signer: SignerContext, maxFetches: number) {
    this.#settings = settings;
    this.#signer = signer;
    this.#maxFetches = maxFetches;
    this.#cache = settings.cache === undefined ? undefined : cachedAnswers.get(settings.cache);
  }

  /** What OCSP says of `cert` issued by `issuer`: asked once per validation. */
  verdict(
    cert: PathCertificate,
    issuer: PathCertificate,
    issuerKey: KeyFacts,
  ): Promise<OcspVerdict> {
    const byIssuer = getOrInsert(this.#verdicts, cert, () => new Map());
    return getOrInsert(byIssuer, toHex(issuer.spki), () => this.#decide(cert, issuer, issuerKey));
  }

  async #decide(
    cert: PathCertificate,
    issuer: PathCertificate,
    issuerKey: KeyFacts,
  ): Promise<OcspVerdict> {
    const settings = this.#settings;
    const target = { issuerName: issuer.subject, issuerSpki: issuer.spki, serial: cert.serial };
    const cacheKey = CachedAnswers.key(issuer.spki, cert.serial);
    const cached = this.#cache?.get(
      cacheKey,
      (answer) => timeProblem(answer, this.#checks()) !== undefined,
    );
    // Responses another instance kept (OcspCache.warm), for this serial number: verified here
    // as if fetched. A stapled or kept response cannot carry this validation's nonce.
    const pending = settings.requireNonce ? [] : (this.#cache?.takePending(cert.serial) ?? []);
    if (cached !== undefined && (cached.status.kind === 'revoked' || pending.length === 0)) {
      return this.#conclude(cached);
    }
    let failure: string | undefined;
    const found: Found[] = cached === undefined ? [] : [{ answer: cached }];
    if (!settings.requireNonce) {
      for (const [der, response] of this.#stapledResponses()) {
        const answer = await this.#judge(response, target, issuer, issuerKey, 'stapled');
        if (answer === undefined) continue;
        if (typeof answer !== 'string') found.push({ answer, der });
        else failure ??= `a stapled response ${answer}`;
      }
      for (const der of pending) {
        const answer = await this.#judge(
          readOcspResponse(der),
          target,
          issuer,
          issuerKey,
          'stapled',
        );
        // Another issuer's certificate of the same serial number: it waits for that one.
        if (answer === undefined) this.#cache?.addPending([cert.serial], der);
        else if (typeof answer !== 'string') found.push({ answer, der });
        // One that fails (tampered, stale, foreign signer) is dropped; the responder is asked.
      }
    }
    const chosen = strongest(found);
    if (chosen?.der !== undefined) return this.#keep(cacheKey, chosen.answer, chosen.der);
    if (chosen !== undefined) return this.#conclude(chosen.answer);
    const url = responderUrlFor(cert, settings.responderUrl, settings.overrideResponderUrl);
    if (url !== undefined) {
      const asked = await this.#ask(url, target, issuer, issuerKey);
      if (!(typeof asked === 'object' && 'failure' in asked)) return asked;
      failure = asked.failure;
    }
    if (failure === undefined || !settings.hardFail) return undefined;
    return {
      reason: 'ocsp-invalid',
      detail: `OCSP gives no usable answer for the certificate: ${failure}.`,
    };
  }

  /** Asks the responder at `url`: the verdict, or why there is none. */
  async #ask(
    url: string,
    target: CertIdInput,
    issuer: PathCertificate,
    issuerKey: KeyFacts,
  ): Promise<{ readonly failure: string } | Exclude<OcspVerdict, undefined>> {
    const settings = this.#settings;
    this.#fetches += 1;
    if (this.#fetches > this.#maxFetches) {
      return { failure: `one validation may send at most ${this.#maxFetches} OCSP requests` };
    }
    const nonce = settings.nonce
      ? this.#signer.crypto.getRandomValues(new Uint8Array(NONCE_OCTETS))
      : undefined;
    const certId = await encodeCertId(this.#signer.crypto, settings.certIdHash, target);
    const body = encodeOcspRequest([certId], nonce);
    let bytes: Uint8Array;
    try {
      bytes = await settings.fetch({ url, body });
      if (!(bytes instanceof Uint8Array)) {
        return { failure: `the fetcher for ${url} did not return bytes` };
      }
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return { failure: `the responder at ${url} could not be reached (${why})` };
    }
    // What the response's nonce extnValue must hold: the nonce as an OCTET STRING.
    const expected = nonce === undefined ? undefined : octetString(nonce);
    const answer = await this.#judge(readOcspResponse(bytes), target, issuer, issuerKey, expected);
    if (answer === undefined) {
      return { failure: `the response from ${url} does not answer for the certificate` };
    }
    if (typeof answer === 'string') return { failure: `the response from ${url} ${answer}` };
    return this.#keep(CachedAnswers.key(issuer.spki, target.serial), answer, bytes);
  }

  /**
   * The certificate's SingleResponse in `response`, `undefined` when it has none, or why the
   * response cannot be used. The signature is checked only for a response that answers.
   */
  async #judge(
    response: ReadResponse | string,
    target: CertIdInput,
    issuer: PathCertificate,
    issuerKey: KeyFacts,
    nonce: AnswerChecks['nonce'],
  ): Promise<SingleResponse | string | undefined> {
    if (typeof response === 'string') return `is malformed (${response})`;
    if (!('basic' in response)) return `has the status ${response.status}`;
    const { basic } = response;
    const single = await findAnswer(basic, target, this.#signer.crypto);
    if (single === undefined) return undefined;
    const problem = answerProblem(basic, single, { ...this.#checks(), nonce });
    if (problem !== undefined) return `cannot be used: ${problem}`;
    const signer = await checkResponseSigner(basic, issuer, issuerKey, this.#signer);
    if (signer !== undefined) return `cannot be used: ${signer}`;
    if (single.status.kind === 'unknown') return 'says the certificate is unknown to its responder';
    return single;
  }

  #keep(
    key: string,
    single: SingleResponse,
    response: Uint8Array,
  ): Exclude<OcspVerdict, undefined> {
    const { status, thisUpdate, nextUpdate } = single;
    this.#cache?.set(key, {
      status,
      thisUpdate,
      ...(nextUpdate === undefined ? {} : { nextUpdate }),
      response: new Uint8Array(response),
    });
    return this.#conclude(single);
  }

  #conclude(answer: Pick<SingleResponse, 'status'>): Exclude<OcspVerdict, undefined> {
    const { status } = answer;
    if (status.kind !== 'revoked') return 'good';
    const reason = status.reason === undefined ? '' : ` (${status.reason})`;
    return {
      reason: 'revoked',
      detail: `The certificate's OCSP responder says it was revoked at ${new Date(status.revokedAt).toISOString()}${reason}.`,
    };
  }

  #checks(): Omit<AnswerChecks, 'nonce'> {
    const { clockSkewMs, maxAgeMs, requireNonce } = this.#settings;
    return { time: this.#signer.time, clockSkewMs, maxAgeMs, requireNonce };
  }

  #stapledResponses(): [Uint8Array, ReadResponse][] {
    // Only basic responses can answer for a certificate; the rest are passed over.
    this.#stapled ??= this.#settings.responses.flatMap((der): [Uint8Array, ReadResponse][] => {
      const read = readOcspResponse(der);
      return typeof read === 'string' || !('basic' in read) ? [] : [[der, read]];
    });
    return this.#stapled;
  }
}
