/**
 * The server side of a sign-in: the {@link Authenticator} issues challenges and verifies the
 * card's answers.
 *
 * @module
 */

import { checkAddress } from '../../challenge/address.js';
import { checkRpId, signInMessage } from '../../challenge/signed-message.js';
import { type Clock, systemClock } from '../../clock.js';
import { getCrypto } from '../../crypto.js';
import { InvalidInputError } from '../../errors.js';
import { toBase64 } from '../../lib/bytes.js';
import { OcspCache } from '../path/ocsp/cache.js';
import { readPathOptions } from '../path/options.js';
import type { OcspOptions, PathFailure } from '../path/types.js';
import { identitiesOf, matchIdentity } from './identity.js';
import { responseProblem } from './input.js';
import { checkSid, readSidOption, type SidRequirement } from './sid-mapping.js';
import { verifyCardSignature } from './signature.js';
import { type ChallengeStore, MemoryChallengeStore, type StoredChallenge } from './store.js';
import { TrustState } from './trust.js';
import type {
  AuthenticatorOptions,
  SignedInUser,
  SignInChallenge,
  SignInResponse,
  VerifyFailureReason,
  VerifyResult,
} from './types.js';

/**
 * Decides whether a card's holder may sign in, in the manner of a WebAuthn server: one call
 * issues a challenge, one verifies the answer, with safe defaults.
 *
 * Every challenge names this service (`rpId`, required); the client's `signChallenge`
 * (`smartcard-2fa/session`) refuses one for another service than the client expects, so a
 * hostile service cannot pass this one's challenges on for its users' cards to sign.
 *
 * `verify` checks, in order: the challenge exists, is unused and unexpired (consumed at once
 * by this call, whatever its outcome: a replay, even a concurrent one, fails); the response is
 * for this `rpId`; the certificate chains to `trustAnchors` ({@link validateCertificatePath}:
 * validity, EKU, key usage, name constraints, policies, CRLs); the signature is over this
 * challenge's domain-separated message (see `signChallenge` in `smartcard-2fa/session`) by the
 * certificate's key, with SHA-256 (RSASSA-PKCS1-v1_5, or ECDSA as r‖s or DER); a UPN
 * or e-mail address in the certificate's SAN equals the challenge's address, ASCII case
 * ignored. A failure is a result with a precise reason for the server's log; show the user one
 * message for all of them.
 *
 * @example
 * ```ts
 * import { signChallenge } from 'smartcard-2fa/session';
import { Authenticator } from 'smartcard-2fa/server';
 * import type { SmartCard } from 'smartcard-2fa/card';
 *
 * declare const root: Uint8Array, issuing: Uint8Array, card: SmartCard, container: string;
 * const authenticator = new Authenticator({
 *   trustAnchors: [root],
 *   intermediates: [issuing],
 *   rpId: 'intranet.contoso.com',
 * });
 * const challenge = await authenticator.challenge({ address: 'alice@contoso.com' });
 * const response = await signChallenge(card, container, challenge, { rpId: 'intranet.contoso.com' });
 * const result = await authenticator.verify(response);
 * if (result.verified) console.warn(`signed in: ${result.user.upn}`);
 * else console.warn(`refused: ${result.reason}, ${result.detail}`);
 * ```
 *
 * @category Server
 */
export class Authenticator {
  readonly #anchors: readonly Uint8Array[];
  readonly #intermediates: readonly Uint8Array[];
  readonly #crls: AuthenticatorOptions['crls'];
  readonly #eku: readonly string[] | 'any' | undefined;
  readonly #ttl: number;
  readonly #store: ChallengeStore;
  readonly #clock: Clock;
  readonly #crypto: Crypto | undefined;
  readonly #rpId: string;
  readonly #identity: 'upn' | 'upn-or-email';
  readonly #revocation: 'if-available' | 'require';
  readonly #crlClockSkewMs: number | undefined;
  readonly #policyInputs: PolicyOptions;
  readonly #ocsp: OcspOptions | undefined;
  readonly #sid: SidRequirement | undefined;
  #trust: TrustState | undefined;

  /** @throws `InvalidInputError` when an option has the wrong type, or `rpId` is missing. */
  constructor(options: AuthenticatorOptions) {
    if (typeof options !== 'object' || options === null) bad('options must be an object');
    this.#anchors = derList(options.trustAnchors, 'trustAnchors');
    if (this.#anchors.length === 0) bad('trustAnchors must hold at least one certificate');
    this.#intermediates = derList(options.intermediates ?? [], 'intermediates');
    const { crls } = options;
    this.#crls = typeof crls === 'function' ? crls : derList(crls ?? [], 'crls');
    this.#eku = options.requiredEku;
    const ttl = options.challengeTtlMs ?? 60_000;
    if (!Number.isInteger(ttl) || ttl < 1) bad('challengeTtlMs must be a positive integer');
    this.#ttl = ttl;
    this.#store = options.store ?? new MemoryChallengeStore();
    this.#clock = options.clock ?? systemClock;
    this.#crypto = options.crypto;
    this.#rpId = checkRpId(options.rpId, 'Authenticator');
    const identity = options.identity ?? 'upn';
    if (identity !== 'upn' && identity !== 'upn-or-email') {
      throw new InvalidInputError('identity is "upn" or "upn-or-email".');
    }
    this.#identity = identity;
    const revocation = options.revocation ?? 'if-available';
    if (revocation !== 'if-available' && revocation !== 'require') {
      throw new InvalidInputError('revocation is "if-available" or "require".');
    }
    this.#revocation = revocation;
    const skew = options.crlClockSkewMs;
    if (skew !== undefined && (!Number.isInteger(skew) || skew < 0)) {
      bad('crlClockSkewMs must be a non-negative integer');
    }
    this.#crlClockSkewMs = skew;
    this.#policyInputs = policyOptionsOf(options);
    this.#sid = readSidOption(options.securityIdentifier);
    const { ocsp } = options;
    this.#ocsp = ocsp === undefined ? undefined : { ...ocsp, cache: ocsp.cache ?? new OcspCache() };
    readPathOptions({
      leaf: new Uint8Array(0),
      trustAnchors: this.#anchors,
      ...this.#policyInputs,
      ...(this.#ocsp === undefined ? {} : { ocsp: this.#ocsp }),
    });
  }

  /**
   * Issues a single-use challenge of 32 random bytes for `address`, valid for `challengeTtlMs`,
   * naming this service (`rpId`).
   *
   * @throws `InvalidInputError` when `address` is not an e-mail-like sign-in address;
   * `TooManyChallengesError` when the store is full of open challenges.
   */
  async challenge(request: { readonly address: string }): Promise<SignInChallenge> {
    const address = checkAddress((request as { address?: unknown } | null)?.address);
    const crypto = await this.#getCrypto();
    const id = toBase64(crypto.getRandomValues(new Uint8Array(18)))
      .replaceAll('+', '-')
      .replaceAll('/', '_');
    const challenge = crypto.getRandomValues(new Uint8Array(32));
    const issuedAt = this.#clock.now();
    const record: StoredChallenge = {
      id,
      challenge,
      address,
      issuedAt,
      expiresAt: issuedAt + this.#ttl,
    };
    await this.#store.put(record, issuedAt);
    return { id, rpId: this.#rpId, challenge: challenge.slice(), expiresAt: record.expiresAt };
  }

  /** Verifies the card's answer to a challenge; see the class for the checks and their order. */
  async verify(response: SignInResponse): Promise<VerifyResult> {
    const problem = responseProblem(response);
    if (problem !== undefined) return fail('malformed-response', `${capital(problem)}.`);
    const taken = await this.#store.take(response.id, this.#clock.now());
    if (taken.status !== 'taken') return challengeFailure(taken.status);
    const { record } = taken;
    const now = this.#clock.now();
    if (now >= record.expiresAt) return fail('challenge-expired', 'The challenge has expired.');
    if (response.rpId !== this.#rpId) {
      return fail('wrong-service', 'The response was signed for another service (rpId).');
    }

    const crls = await this.#currentCrls();
    if (typeof crls === 'string') return certificateFailure('crl-invalid', crls);
    const trust = this.#trustState();
    const crypto = await this.#getCrypto();
    // This verification's own CRLs (or newer ones of the same issuer key, never older).
    const fetched = await trust.readCrls(crypto, crls, typeof this.#crls !== 'function');
    if (typeof fetched === 'string') return certificateFailure('malformed', fetched);
    const extra = response.intermediates ?? [];
    const trusted = await trust.validate(crypto, response.certificate, extra, now, fetched);
    if (!('leaf' in trusted)) return certificateFailure(trusted.reason, trusted.detail);
    const { leaf } = trusted;

    const message = signInMessage(this.#rpId, record.id, record.challenge);
    const signed = await verifyCardSignature(
      crypto,
      leaf.spki,
      message,
      response.signature,
      trust.keys,
    );
    if (signed !== true) return fail('bad-signature', `${capital(signed)}.`);
    // Only now is the path worth keeping: its holder has proved the key.
    trust.remember(trusted);

    const identities = identitiesOf(leaf);
    if (typeof identities === 'string') {
      return fail('wrong-user', `The subjectAltName is unreadable: ${identities}.`);
    }
    const match = matchIdentity(identities, record.address, this.#identity);
    if (match === undefined) {
      return fail(
        'wrong-user',
        this.#identity === 'upn'
          ? 'No UPN in the certificate is the address.'
          : 'No UPN or e-mail address in the certificate is the address.',
      );
    }
    const user: SignedInUser = { address: record.address, ...match };
    const sid = await checkSid(this.#sid, response.certificate, user);
    if ('refused' in sid) return fail('wrong-user', sid.refused);
    return {
      verified: true,
      user: sid.sid === undefined ? user : { ...user, sid: sid.sid },
      certificate: new Uint8Array(response.certificate),
    };
  }

  /** The parsed anchors and intermediates and the caches, made on the first verification. */
  #trustState(): TrustState {
    this.#trust ??= new TrustState({
      anchors: this.#anchors,
      intermediates: this.#intermediates,
      settings: readPathOptions({
        leaf: new Uint8Array(0),
        trustAnchors: this.#anchors,
        ...(this.#eku === undefined ? {} : { requiredEku: this.#eku }),
        ...(this.#crlClockSkewMs === undefined ? {} : { crlClockSkewMs: this.#crlClockSkewMs }),
        ...this.#policyInputs,
        ...(this.#ocsp === undefined ? {} : { ocsp: this.#ocsp }),
      }),
      requireRevocation: this.#revocation === 'require',
    });
    return this.#trust;
  }

  #getCrypto(): Promise<Crypto> {
    return getCrypto(this.#crypto === undefined ? {} : { crypto: this.#crypto });
  }

  async #currentCrls(): Promise<readonly Uint8Array[] | string> {
    const crls = this.#crls;
    if (typeof crls !== 'function') return crls ?? [];
    try {
      const list = await crls();
      if (Array.isArray(list) && list.every((crl) => crl instanceof Uint8Array)) return list;
      return 'The crls function did not return an array of Uint8Array.';
    } catch (error) {
      return `The CRLs could not be fetched: ${error instanceof Error ? error.message : String(error)}.`;
    }
  }
}

function challengeFailure(status: 'used' | 'expired' | 'unknown'): VerifyResult {
  if (status === 'used') return fail('challenge-used', 'The challenge was already answered.');
  if (status === 'expired') return fail('challenge-expired', 'The challenge has expired.');
  return fail('unknown-challenge', 'No such challenge was issued, or it was swept or evicted.');
}

function certificateFailure(pathReason: PathFailure, detail: string): VerifyResult {
  return { verified: false, reason: 'certificate-invalid', pathReason, detail };
}

function fail(reason: Exclude<VerifyFailureReason, 'certificate-invalid'>, detail: string) {
  return { verified: false, reason, detail } as const;
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function derList(value: unknown, name: string): readonly Uint8Array[] {
  if (!Array.isArray(value) || value.some((item) => !(item instanceof Uint8Array))) {
    bad(`${name} must be an array of Uint8Array (DER)`);
  }
  return value.map((item: Uint8Array) => new Uint8Array(item));
}

function bad(message: string): never {
  throw new InvalidInputError(`Authenticator: ${message}.`);
}

/** The certificate policy inputs, passed on to path validation as they are. */
type PolicyOptions = Pick<AuthenticatorOptions, (typeof POLICY_OPTIONS)[number]>;

const POLICY_OPTIONS = [
  'initialPolicySet',
  'initialExplicitPolicy',
  'initialPolicyMappingInhibit',
  'initialAnyPolicyInhibit',
] as const;

function policyOptionsOf(options: AuthenticatorOptions): PolicyOptions {
  const out: { -readonly [K in keyof PolicyOptions]?: PolicyOptions[K] } = {};
  for (const name of POLICY_OPTIONS) {
    if (options[name] !== undefined) Object.assign(out, { [name]: options[name] });
  }
  return out;
}
