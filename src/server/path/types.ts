/**
 * The inputs and the result of {@link validateCertificatePath}.
 *
 * @module
 */
import type { Clock } from '../../clock.js';
import type { WebCrypto } from '../../crypto.js';
import type { KeyUsageName } from '../../lib/key-usage.js';
import type { OcspCache } from './ocsp/cache.js';

export type { KeyUsageName };

/**
 * Why a certificate path did not validate. One value per kind of failure:
 *
 * - `malformed`: a certificate or CRL is not strict DER X.509, or breaks a profile rule (v1,
 *   zero/negative/over-long serial, duplicate extension, empty issuer, mismatched algorithms).
 * - `no-path`: no chain from the leaf to a trust anchor exists among the certificates given.
 * - `expired` / `not-yet-valid`: an element is outside its validity window at the time.
 * - `signature`: a signature does not verify under its issuer's key.
 * - `unsupported-key`: a key or algorithm outside RSA of 2048 to 4096 bits with an odd public
 *   exponent from 3 to 2³²−1, or ECDSA P-256/384/521.
 * - `not-a-ca`: an issuer lacks a critical basicConstraints with cA, or the leaf is a CA.
 * - `path-length`: a pathLenConstraint or the depth limit is exceeded.
 * - `key-usage` / `eku`: a keyUsage or extendedKeyUsage does not allow the use.
 * - `key-identifier`: authority/subject key identifiers missing, critical or inconsistent.
 * - `unknown-critical-extension`: a critical extension this validator does not process.
 * - `name-constraints`: a name of the leaf or of an intermediate is outside a CA's permitted
 *   subtrees or within its excluded ones (RFC 5280 §4.2.1.10), or cannot be checked against them.
 * - `policy`: an explicit certificate policy is required (by `initialExplicitPolicy` or a CA's
 *   policyConstraints) and no policy of `initialPolicySet` is valid for the whole path.
 * - `revoked`: a CRL of the issuer lists the certificate, or a verified OCSP response says it
 *   is revoked.
 * - `crl-invalid`: a CRL naming the issuer does not verify under the issuer's key (nor under
 *   another key of the same CA that chains to the same anchor), is stale or not yet valid, lacks
 *   its CRL number, is malformed in its issuing distribution point, or its signer may not sign
 *   CRLs; its signer (another key of the CA, an indirect CRL's issuer) is revoked, or its status
 *   cannot be decided; an indirect CRL's issuer cannot be used, or an entry's certificateIssuer
 *   is not critical; or the CRLs in scope cover only some revocation reasons; or the
 *   certificate's CRL distribution points cannot be read: revocation cannot be decided (in every
 *   `revocation` mode).
 * - `ocsp-invalid`: with `ocsp: { mode: 'hard-fail' }`, OCSP gave no usable answer for a
 *   certificate that has a responder: the fetch threw, the responder answered other than
 *   `successful`, the response is malformed, not signed by the issuer or its delegated
 *   responder, out of date or from the future, lacks or mismatches the nonce, does not answer
 *   for the certificate, or says `unknown`. The detail says which.
 * - `too-deep` / `too-much-work`: the search hit `maxDepth` or `maxWork` (or made
 *   `2 × maxWork` signature checks, CRLs' included).
 *
 * @example
 * ```ts
 * import { type PathFailure, validateCertificatePath } from 'smartcard-2fa/server';
 *
 * declare const leaf: Uint8Array, rootCa: Uint8Array, crls: Uint8Array[];
 * const result = await validateCertificatePath({
 *   leaf,
 *   trustAnchors: [rootCa],
 *   crls,
 *   revocation: 'require',
 * });
 * if (!result.valid) {
 *   const reason: PathFailure = result.reason;
 *   if (reason === 'crl-invalid') console.warn('Fetch a current CRL, then validate again.');
 *   else console.warn(`${reason}: ${result.detail}`);
 * }
 * ```
 *
 * @category Server
 */
export type PathFailure =
  | 'malformed'
  | 'no-path'
  | 'expired'
  | 'not-yet-valid'
  | 'signature'
  | 'unsupported-key'
  | 'not-a-ca'
  | 'path-length'
  | 'key-usage'
  | 'eku'
  | 'key-identifier'
  | 'unknown-critical-extension'
  | 'name-constraints'
  | 'policy'
  | 'revoked'
  | 'crl-invalid'
  | 'ocsp-invalid'
  | 'too-deep'
  | 'too-much-work';

/**
 * The outcome of {@link validateCertificatePath}: the path found (leaf first, anchor last), or
 * the reason none was acceptable with a sentence for logs.
 *
 * @example
 * ```ts
 * import type { PathResult } from 'smartcard-2fa/server';
 *
 * function log(result: PathResult): string {
 *   return result.valid ? `ok, ${result.path.length} certificates` : `${result.reason}: ${result.detail}`;
 * }
 * ```
 *
 * @category Server
 */
export type PathResult =
  | {
      readonly valid: true;
      readonly path: Uint8Array[];
      /**
       * The certificate policies valid for the path and acceptable to `initialPolicySet` (RFC
       * 5280's authorities-constrained policy set at the leaf; `2.5.29.32.0` when anyPolicy
       * stands for them); empty when the path asserts none it could keep.
       */
      readonly policies: readonly string[];
    }
  | { readonly valid: false; readonly reason: PathFailure; readonly detail: string };

/**
 * The options of {@link validateCertificatePath}.
 *
 * @example
 * ```ts
 * import { type PathValidationOptions, validateCertificatePath } from 'smartcard-2fa/server';
 *
 * declare const leaf: Uint8Array, issuingCa: Uint8Array, rootCa: Uint8Array;
 * const options: PathValidationOptions = {
 *   leaf,
 *   intermediates: [issuingCa],
 *   trustAnchors: [rootCa],
 *   requiredEku: ['smartCardLogon', 'clientAuth'],
 *   time: Date.parse('2026-06-01T00:00:00Z'), // as of a sign-in being audited
 * };
 * const result = await validateCertificatePath(options);
 * console.log(result.valid ? `${result.path.length} certificates` : result.reason);
 * ```
 *
 * @category Server
 */
export interface PathValidationOptions {
  /** The end-entity certificate, DER. */
  readonly leaf: Uint8Array;
  /** Candidate intermediates, DER, in any order; may hold unrelated certificates and cycles. */
  readonly intermediates?: readonly Uint8Array[];
  /** The trusted certificates, DER. A path must end at one of them. */
  readonly trustAnchors: readonly Uint8Array[];
  /** The time to validate at; default: the clock's now. Compared to the whole second. */
  readonly time?: Date | number;
  /**
   * EKU OIDs of which the leaf must carry at least one (`'smartCardLogon'` and `'clientAuth'`
   * may be named instead); `'any'` for no requirement. Default: Smart Card Logon only
   * (`DEFAULT_SIGN_IN_EKU`); Client Authentication counts only when listed. anyExtendedKeyUsage
   * does not satisfy a list.
   */
  readonly requiredEku?: readonly string[] | 'any';
  /** keyUsage bits the leaf must assert when it has the extension; default `digitalSignature`. */
  readonly requiredKeyUsage?: readonly KeyUsageName[];
  /** DER CRLs; a CRL of an issuer in the path that lists a certificate fails the path. */
  readonly crls?: readonly Uint8Array[];
  /**
   * `'if-available'` (the default) checks the CRLs given that cover a certificate; `'require'`
   * also fails (`crl-invalid`) when no current complete CRL of its issuer (signed by the issuer's
   * key or another key of the same CA) covers a certificate below the trust anchor: a revoked
   * card never passes for want of a CRL. A delta CRL alone decides nothing.
   */
  readonly revocation?: 'if-available' | 'require';
  /**
   * How far, in ms, the validation time may be before a CRL's thisUpdate or after its
   * nextUpdate, for a server whose clock differs a little from the CA's; default 300 000 (five
   * minutes, the tolerance Kerberos gives AD clocks by default). Certificates' validity is exact.
   */
  readonly crlClockSkewMs?: number;
  /**
   * The certificate policies (OIDs) acceptable to this service: RFC 5280's
   * user-initial-policy-set. Default: any policy. With `initialExplicitPolicy`, a path must carry
   * one of them from the anchor's child down to the card's certificate (a PIV deployment names its
   * authentication policy, say); without it, `result.policies` says which of them are valid.
   */
  readonly initialPolicySet?: readonly string[];
  /** RFC 5280's initial-explicit-policy: every path needs a valid acceptable policy. Default false. */
  readonly initialExplicitPolicy?: boolean;
  /** RFC 5280's initial-policy-mapping-inhibit: CAs' policyMappings are not followed. Default false. */
  readonly initialPolicyMappingInhibit?: boolean;
  /** RFC 5280's initial-any-policy-inhibit: anyPolicy in a certificate counts for nothing. Default false. */
  readonly initialAnyPolicyInhibit?: boolean;
  /**
   * Ask the certificates' OCSP responders (RFC 6960) too: see {@link OcspOptions}. Without it,
   * nothing is fetched and only the CRLs given count.
   */
  readonly ocsp?: OcspOptions;
  /** The most intermediates a path may hold, self-issued ones not counted; default 8. */
  readonly maxDepth?: number;
  /**
   * The most issuer signature checks the search may make; default 64. CRL signature checks
   * count too: one validation makes at most `2 × maxWork` signature checks in all.
   */
  readonly maxWork?: number;
  /** The WebCrypto to verify signatures with; default: the runtime's. */
  readonly crypto?: WebCrypto;
  /** The clock giving the default time. */
  readonly clock?: Clock;
}

/**
 * What an OCSP fetcher is handed: the responder's URL and the DER OCSPRequest to POST to it
 * (`content-type: application/ocsp-request`). The fetcher answers the response body's bytes.
 *
 * @example
 * ```ts
 * import type { OcspFetchRequest } from 'smartcard-2fa/server';
 *
 * async function fetchOcsp(request: OcspFetchRequest): Promise<Uint8Array> {
 *   const response = await fetch(request.url, {
 *     method: 'POST',
 *     headers: { 'content-type': 'application/ocsp-request' },
 *     body: request.body,
 *     signal: AbortSignal.timeout(5_000),
 *   });
 *   if (!response.ok) throw new Error(`OCSP responder answered HTTP ${response.status}`);
 *   return new Uint8Array(await response.arrayBuffer());
 * }
 * ```
 *
 * @category Server
 */
export interface OcspFetchRequest {
  /** The responder's http(s) URL. */
  readonly url: string;
  /** The DER OCSPRequest (backed by an ArrayBuffer, so `fetch` takes it as a body). */
  readonly body: Uint8Array<ArrayBuffer>;
}

/**
 * The `ocsp` option of {@link validateCertificatePath}: ask each certificate's OCSP responder
 * (RFC 6960) about it. The SDK opens no connection itself: `fetch` does (a browser's `fetch`, a
 * test's stub, a proxy). The responder is the certificate's authorityInfoAccess id-ad-ocsp URL
 * (http or https), else `responderUrl`; a certificate with neither is not checked by OCSP. A
 * verified `revoked` answer fails the path (`revoked`); a verified `good` one decides the
 * status, so `revocation: 'require'` needs no CRL for that certificate; CRLs given are still
 * checked, and either can revoke. Any other outcome is a failure: `'hard-fail'` fails the path
 * (`ocsp-invalid`), `'soft-fail'` (the default) leaves the CRLs and `revocation` to decide.
 *
 * @example
 * ```ts
 * import { OcspCache, validateCertificatePath, type OcspOptions } from 'smartcard-2fa/server';
 *
 * declare const leaf: Uint8Array, issuingCa: Uint8Array, rootCa: Uint8Array;
 * const ocsp: OcspOptions = {
 *   fetch: async ({ url, body }) => {
 *     const response = await fetch(url, { method: 'POST', body,
 *       headers: { 'content-type': 'application/ocsp-request' } });
 *     return new Uint8Array(await response.arrayBuffer());
 *   },
 *   mode: 'hard-fail', // a responder that cannot answer refuses the sign-in
 *   responderUrl: 'http://ocsp.contoso.com/ocsp', // for certificates without an AIA URL
 *   cache: new OcspCache(),
 * };
 * const result = await validateCertificatePath({
 *   leaf,
 *   intermediates: [issuingCa],
 *   trustAnchors: [rootCa],
 *   ocsp,
 * });
 * if (!result.valid && result.reason === 'ocsp-invalid') console.warn(result.detail);
 * ```
 *
 * @category Server
 */
export interface OcspOptions {
  /** Sends one request and answers the response's bytes; a throw is a failure to answer. */
  readonly fetch: (request: OcspFetchRequest) => Promise<Uint8Array>;
  /** The responder for certificates without an OCSP URL in their authorityInfoAccess. */
  readonly responderUrl?: string;
  /** Ask `responderUrl` about every certificate, whatever its authorityInfoAccess says. */
  readonly overrideResponderUrl?: boolean;
  /** What a failure to get a usable answer does; default `'soft-fail'` (see above). */
  readonly mode?: 'hard-fail' | 'soft-fail';
  /** Send a nonce (32 random octets, RFC 8954); default true. A response's nonce must match. */
  readonly nonce?: boolean;
  /**
   * Refuse a fetched response that does not echo the nonce; default false (RFC 5019 responders
   * and AD CS may answer from a cache without one). Stapled `responses` are then not used.
   */
  readonly requireNonce?: boolean;
  /** The CertID hash of requests; default `'SHA-1'`, what RFC 5019 responders and AD CS expect. */
  readonly certIdHash?: 'SHA-1' | 'SHA-256';
  /** Tolerance, in ms, on thisUpdate and nextUpdate; default 300 000 (five minutes). */
  readonly clockSkewMs?: number;
  /**
   * How old (by thisUpdate) an answer without nextUpdate may be, in ms; default 3 600 000 (one
   * hour). Such an answer is kept in the cache as long.
   */
  readonly maxAgeMs?: number;
  /** DER OCSPResponses fetched beforehand (stapled), tried before asking a responder. */
  readonly responses?: readonly Uint8Array[];
  /** Verified answers shared across validations; see {@link OcspCache}. */
  readonly cache?: OcspCache;
}
