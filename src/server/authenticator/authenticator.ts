/**
 * The server side of a sign-in: the {@link Authenticator} issues challenges and verifies the
 * card's answers.
 *
 * @module
 */

import { checkAddress } from '../../challenge/address.js';
import { checkRpId, signInMessage } from '../../challenge/signed-message.js';
import type { Clock } from '../../clock.js';
import { InvalidInputError } from '../../errors.js';
import { toBase64 } from '../../lib/bytes.js';
import type { PathFailure } from '../path/types.js';
import { identitiesOf, matchIdentity, readIdentityOption } from './identity.js';
import { responseProblem } from './input.js';
import { checkSid, readSidOption, type SidRequirement } from './sid-mapping.js';
import { verifyCardSignature } from './signature.js';
import { type ChallengeStore, MemoryChallengeStore, type StoredChallenge } from './store.js';
import { TrustConfig } from './trust-config.js';
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
  readonly #ttl: number;
  readonly #store: ChallengeStore;
  readonly #clock: Clock;
  readonly #rpId: string;
  readonly #identity: 'upn' | 'upn-or-email';
  readonly #sid: SidRequirement | undefined;
  readonly #trust: TrustConfig;

  /** @throws `InvalidInputError` when an option has the wrong type, or `rpId` is missing. */
  constructor(options: AuthenticatorOptions) {
    if (typeof options !== 'object' || options === null) bad('options must be an object');
    this.#trust = new TrustConfig(options, 'Authenticator');
    const ttl = options.challengeTtlMs ?? 60_000;
    if (!Number.isInteger(ttl) || ttl < 1) bad('challengeTtlMs must be a positive integer');
    this.#ttl = ttl;
    this.#store = options.store ?? new MemoryChallengeStore();
    this.#clock = this.#trust.clock;
    this.#rpId = checkRpId(options.rpId, 'Authenticator');
    this.#identity = readIdentityOption(options.identity, 'Authenticator');
    this.#sid = readSidOption(options.securityIdentifier, 'Authenticator');
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

    const checked = await this.#trust.check(
      response.certificate,
      response.intermediates ?? [],
      now,
    );
    if (!('trusted' in checked)) return certificateFailure(checked.pathReason, checked.detail);
    const { trusted } = checked;
    const { leaf } = trusted;
    const crypto = await this.#getCrypto();
    const trust = this.#trust.state();

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

  #getCrypto(): Promise<Crypto> {
    return this.#trust.getCrypto();
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

function bad(message: string): never {
  throw new InvalidInputError(`Authenticator: ${message}.`);
}
