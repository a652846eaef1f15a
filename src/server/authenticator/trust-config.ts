/**
 * The trust half of `AuthenticatorOptions`, checked once and shared by everything that validates
 * a certificate the way the Authenticator does: the anchors and intermediates, the CRLs (a list
 * or a function), the EKU, revocation, CRL clock skew, policy and OCSP options, and the
 * {@link TrustState} (parsed CAs, CRL catalog, path cache) made on first use. The Authenticator
 * and the mTLS `ClientCertificateVerifier` each hold one. Internal.
 */
import { type Clock, systemClock } from '../../clock.js';
import { getCrypto } from '../../crypto.js';
import { InvalidInputError } from '../../errors.js';
import { OcspCache } from '../path/ocsp/cache.js';
import { readPathOptions } from '../path/options.js';
import type { OcspOptions, PathFailure } from '../path/types.js';
import { type Trusted, TrustState } from './trust.js';
import type { AuthenticatorOptions } from './types.js';

/** The options of `AuthenticatorOptions` that say which certificates are trusted. */
export type TrustOptions = Pick<
  AuthenticatorOptions,
  | 'trustAnchors'
  | 'intermediates'
  | 'crls'
  | 'requiredEku'
  | 'clock'
  | 'crypto'
  | 'revocation'
  | 'crlClockSkewMs'
  | 'ocsp'
  | (typeof POLICY_OPTIONS)[number]
>;

/** The checked trust options of one Authenticator or verifier, and its caches. */
export class TrustConfig {
  readonly clock: Clock;
  readonly #anchors: readonly Uint8Array[];
  readonly #intermediates: readonly Uint8Array[];
  readonly #crls: readonly Uint8Array[] | (() => Promise<readonly Uint8Array[]>);
  readonly #crypto: AuthenticatorOptions['crypto'];
  readonly #settings: ReturnType<typeof readPathOptions>;
  readonly #requireRevocation: boolean;
  #state: TrustState | undefined;

  /** @throws `InvalidInputError` naming `owner` when an option has the wrong type. */
  constructor(options: TrustOptions, owner: string) {
    const bad = (message: string): never => {
      throw new InvalidInputError(`${owner}: ${message}.`);
    };
    const derList = (value: unknown, name: string): readonly Uint8Array[] => {
      if (!Array.isArray(value) || value.some((item) => !(item instanceof Uint8Array))) {
        bad(`${name} must be an array of Uint8Array (DER)`);
      }
      return (value as Uint8Array[]).map((item) => new Uint8Array(item));
    };
    this.#anchors = derList(options.trustAnchors, 'trustAnchors');
    if (this.#anchors.length === 0) bad('trustAnchors must hold at least one certificate');
    this.#intermediates = derList(options.intermediates ?? [], 'intermediates');
    const { crls } = options;
    this.#crls = typeof crls === 'function' ? crls : derList(crls ?? [], 'crls');
    this.clock = options.clock ?? systemClock;
    this.#crypto = options.crypto;
    const revocation = options.revocation ?? 'if-available';
    if (revocation !== 'if-available' && revocation !== 'require') {
      throw new InvalidInputError('revocation is "if-available" or "require".');
    }
    this.#requireRevocation = revocation === 'require';
    const skew = options.crlClockSkewMs;
    if (skew !== undefined && (!Number.isInteger(skew) || skew < 0)) {
      bad('crlClockSkewMs must be a non-negative integer');
    }
    const { ocsp } = options;
    const withCache: OcspOptions | undefined =
      ocsp === undefined ? undefined : { ...ocsp, cache: ocsp.cache ?? new OcspCache() };
    const policy: Record<string, unknown> = {};
    for (const name of POLICY_OPTIONS) {
      if (options[name] !== undefined) policy[name] = options[name];
    }
    this.#settings = readPathOptions({
      leaf: new Uint8Array(0),
      trustAnchors: this.#anchors,
      ...(options.requiredEku === undefined ? {} : { requiredEku: options.requiredEku }),
      ...(skew === undefined ? {} : { crlClockSkewMs: skew }),
      ...policy,
      ...(withCache === undefined ? {} : { ocsp: withCache }),
    });
  }

  /** The WebCrypto of the options, or the runtime's. */
  getCrypto(): Promise<Crypto> {
    return getCrypto(this.#crypto === undefined ? {} : { crypto: this.#crypto });
  }

  /**
   * Validates `certificate`'s path at `now` with this verification's CRLs (fetched now when
   * `crls` is a function): its leaf, parsed, or the path failure. Call {@link remember} with the
   * result once the holder has proved the key.
   */
  async check(
    certificate: Uint8Array,
    extra: readonly Uint8Array[],
    now: number,
  ): Promise<{ readonly trusted: Extract<Trusted, { leaf: unknown }> } | PathProblem> {
    const crls = await this.#currentCrls();
    if (typeof crls === 'string') return { pathReason: 'crl-invalid', detail: crls };
    const state = this.state();
    const crypto = await this.getCrypto();
    // This verification's own CRLs (or newer ones of the same issuer key, never older).
    const fetched = await state.readCrls(crypto, crls, typeof this.#crls !== 'function');
    if (typeof fetched === 'string') return { pathReason: 'malformed', detail: fetched };
    const trusted = await state.validate(crypto, certificate, extra, now, fetched);
    if (!('leaf' in trusted)) return { pathReason: trusted.reason, detail: trusted.detail };
    return { trusted };
  }

  /** The parsed anchors and intermediates and the caches, made on first use. */
  state(): TrustState {
    this.#state ??= new TrustState({
      anchors: this.#anchors,
      intermediates: this.#intermediates,
      settings: this.#settings,
      requireRevocation: this.#requireRevocation,
    });
    return this.#state;
  }

  async #currentCrls(): Promise<readonly Uint8Array[] | string> {
    const crls = this.#crls;
    if (typeof crls !== 'function') return crls;
    try {
      const list = await crls();
      if (Array.isArray(list) && list.every((crl) => crl instanceof Uint8Array)) return list;
      return 'The crls function did not return an array of Uint8Array.';
    } catch (error) {
      return `The CRLs could not be fetched: ${error instanceof Error ? error.message : String(error)}.`;
    }
  }
}

/** Why a path is not valid. */
export interface PathProblem {
  readonly pathReason: PathFailure;
  readonly detail: string;
}

const POLICY_OPTIONS = [
  'initialPolicySet',
  'initialExplicitPolicy',
  'initialPolicyMappingInhibit',
  'initialAnyPolicyInhibit',
] as const;
