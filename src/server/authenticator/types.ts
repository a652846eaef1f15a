/**
 * The options, inputs and results of the {@link Authenticator}.
 *
 * @module
 */
import type { Clock } from '../../clock.js';
import type { WebCrypto } from '../../crypto.js';
import type { OcspOptions, PathFailure } from '../path/types.js';
import type { ChallengeStore } from './store.js';

export type { SignInChallenge, SignInResponse } from '../../challenge/types.js';

/**
 * Options of the {@link Authenticator} constructor. `trustAnchors` and `rpId` are required.
 *
 * @example
 * ```ts
 * import type { AuthenticatorOptions } from 'smartcard-2fa/server';
 *
 * declare const root: Uint8Array, issuing: Uint8Array;
 * declare function fetchCrl(): Promise<Uint8Array>;
 * const options: AuthenticatorOptions = {
 *   trustAnchors: [root],
 *   intermediates: [issuing],
 *   crls: async () => [await fetchCrl()],
 *   rpId: 'intranet.contoso.com',
 * };
 * ```
 *
 * @category Server
 */
export interface AuthenticatorOptions {
  /** The trusted root (or issuing) CA certificates, DER. */
  readonly trustAnchors: readonly Uint8Array[];
  /** Intermediate CA certificates, DER, added to those a response carries. */
  readonly intermediates?: readonly Uint8Array[];
  /** CRLs, DER, or a function called on each verification that returns the current ones. */
  readonly crls?: readonly Uint8Array[] | (() => Promise<readonly Uint8Array[]>);
  /**
   * EKU OIDs (or the names `'smartCardLogon'`, `'clientAuth'`) of which the certificate needs
   * one; default Smart Card Logon only. Add `'clientAuth'` only to accept certificates whose key
   * may be in software (no card, no PIN).
   */
  readonly requiredEku?: readonly string[] | 'any';
  /** How long a challenge may be answered, in ms; default 60 000. */
  readonly challengeTtlMs?: number;
  /** Where challenges wait; default a new {@link MemoryChallengeStore}. */
  readonly store?: ChallengeStore;
  /** The clock for challenge expiry and certificate validity. */
  readonly clock?: Clock;
  /** The WebCrypto to use; default the runtime's. */
  readonly crypto?: WebCrypto;
  /**
   * This service's name (its host name, such as `intranet.contoso.com`, the one its users
   * reach it at): required. Every challenge names it, the client refuses a challenge for any
   * other service than the one it expects, and it is bound into every signed message, so that
   * an answer made for another service never verifies here.
   */
  readonly rpId: string;
  /**
   * Which certificate names may match the sign-in address: the UPN only (the default, as
   * Windows' strong certificate mapping), or also the e-mail address (`'upn-or-email'`), which
   * people can often edit in the directory.
   */
  readonly identity?: 'upn' | 'upn-or-email';
  /**
   * `'require'`: a certificate below the trust anchors with no current CRL of its issuer fails
   * (`certificate-invalid`, `crl-invalid`); give every issuer's CRL (the issuing CA's and the
   * root's). Default `'if-available'`: the CRLs given are checked. See `validateCertificatePath`.
   */
  readonly revocation?: 'if-available' | 'require';
  /**
   * How far, in ms, the time may be before a CRL's thisUpdate or after its nextUpdate, for a
   * server whose clock differs a little from the CA's; default 300 000 (five minutes). See
   * `validateCertificatePath`.
   */
  readonly crlClockSkewMs?: number;
  /**
   * The certificate policies this service accepts, and the other policy inputs of RFC 5280
   * §6.1.1, as {@link validateCertificatePath} takes them: with `initialExplicitPolicy`, a card
   * whose path keeps none of `initialPolicySet` is refused (`certificate-invalid`, the detail
   * naming the policy). Defaults: any policy, nothing required.
   */
  readonly initialPolicySet?: readonly string[];
  /** Every path must keep a policy of `initialPolicySet`; default false. */
  readonly initialExplicitPolicy?: boolean;
  /** CAs' policyMappings are not followed; default false. */
  readonly initialPolicyMappingInhibit?: boolean;
  /** anyPolicy in a certificate counts for nothing; default false. */
  readonly initialAnyPolicyInhibit?: boolean;
  /**
   * Ask OCSP responders too, as {@link validateCertificatePath} does (`mode`, nonce, responder
   * URL, stapled `responses`). The Authenticator keeps one `OcspCache` for all its
   * verifications (or uses `ocsp.cache`, which several Authenticators may share), so a card's
   * status is fetched once until the responder's nextUpdate. With OCSP, a validated path is not
   * reused from the path cache: every verification asks the OCSP cache or the responder.
   */
  readonly ocsp?: OcspOptions;
  /**
   * Strong certificate mapping (KB5014754), as domain controllers enforce it: the certificate's
   * SID (the extension 1.3.6.1.4.1.311.25.2 or a SAN URI `tag:microsoft.com,2022-09-14:sid:`)
   * must be the account's, which `lookup` finds in the app's directory. A different SID is
   * `wrong-user`. Default: not compared with any account (the SID is still read into `user.sid`);
   * a certificate whose SID is malformed, or that carries two different SIDs, is refused either way.
   */
  readonly securityIdentifier?: SecurityIdentifierOptions;
}

/**
 * How the {@link Authenticator} checks the SID in a card certificate against the account's.
 *
 * @example
 * ```ts
 * import { Authenticator, type SecurityIdentifierOptions } from 'smartcard-2fa/server';
 *
 * declare const root: Uint8Array;
 * declare const directory: Map<string, { objectSid: string }>; // by UPN
 * const securityIdentifier: SecurityIdentifierOptions = {
 *   lookup: (user) => directory.get(user.name)?.objectSid,
 *   mode: 'require', // as a domain controller in Full Enforcement mode
 * };
 * const authenticator = new Authenticator({ trustAnchors: [root], rpId: 'intranet.contoso.com', securityIdentifier });
 * ```
 *
 * @category Server
 */
export interface SecurityIdentifierOptions {
  /**
   * The SID (`S-1-5-21-...`) of the account `user` names (key on `user.name`, the certificate's
   * matching UPN or e-mail), or `undefined` when the directory has none.
   */
  lookup(user: SignedInUser): string | undefined | Promise<string | undefined>;
  /**
   * `'require'` (the default, Full Enforcement): a certificate without a SID is refused.
   * `'if-present'` (Compatibility mode): a certificate without one passes on its UPN alone, and
   * one with a SID must carry the account's.
   */
  readonly mode?: 'require' | 'if-present';
}

/**
 * Why a verification failed, in the order the checks run:
 *
 * - `malformed-response`: the response is not of the right shape or is too large (nothing
 *   was consumed).
 * - `unknown-challenge` / `challenge-used` / `challenge-expired`: the challenge was never
 *   issued here (or was swept or evicted), was already answered, or is past its time.
 * - `wrong-service`: the response was signed for another service (`rpId`) than this one.
 * - `certificate-invalid`: the certificate does not chain to the trust anchors; `pathReason`
 *   says why (`revoked`, `expired`, `eku`, ...).
 * - `bad-signature`: the signature is not over this challenge's message by the certificate's key.
 * - `wrong-user`: neither a UPN nor an e-mail address in the certificate is the address the
 *   challenge was issued for.
 *
 * The reasons are for the server's log. Show the user one message for all of them ("Sign-in
 * failed"): telling a client which check failed helps an attacker more than the user.
 *
 * @example
 * ```ts
 * import type { Authenticator, SignInResponse, VerifyFailureReason } from 'smartcard-2fa/server';
 *
 * declare const authenticator: Authenticator;
 * declare const response: SignInResponse;
 * const result = await authenticator.verify(response);
 * if (!result.verified) {
 *   const reason: VerifyFailureReason = result.reason;
 *   console.warn('sign-in refused', reason, result.detail); // precise, for the log only
 *   const askAgain = reason === 'challenge-expired' || reason === 'unknown-challenge';
 *   console.log(askAgain ? 'Sign-in took too long: try again.' : 'Sign-in failed.');
 * }
 * ```
 *
 * @category Server
 */
export type VerifyFailureReason =
  | 'malformed-response'
  | 'unknown-challenge'
  | 'challenge-used'
  | 'challenge-expired'
  | 'wrong-service'
  | 'certificate-invalid'
  | 'bad-signature'
  | 'wrong-user';

/**
 * Who signed in: the address the challenge was issued for, and the certificate's UPN and
 * e-mail address (the one that matched, else the first of its kind).
 *
 * @example
 * ```ts
 * import type { Authenticator, SignedInUser, SignInResponse } from 'smartcard-2fa/server';
 *
 * declare const authenticator: Authenticator;
 * declare const response: SignInResponse;
 * const result = await authenticator.verify(response);
 * if (result.verified) {
 *   const user: SignedInUser = result.user;
 *   // Key accounts on the certificate's name, not on the address as typed.
 *   console.log(`${user.name} signed in (matched its ${user.matched})`);
 * }
 * ```
 *
 * @category Server
 */
export interface SignedInUser {
  /** The address as it was asked for (trimmed). Key accounts on `name`, not on this. */
  readonly address: string;
  /** Which certificate name matched the address. */
  readonly matched: 'upn' | 'email';
  /** The matching name as the certificate spells it: the identity to key accounts on. */
  readonly name: string;
  /** The certificate's UPN (the matching one, else the first). */
  readonly upn?: string;
  /** The certificate's e-mail address (the matching one, else the first). */
  readonly email?: string;
  /** The user's SID, when the certificate carries one (strong certificate mapping). */
  readonly sid?: string;
}

/**
 * The outcome of {@link Authenticator.verify}. A failure is a value, never a throw; `detail`
 * is a sentence for logs.
 *
 * @example
 * ```ts
 * import type { VerifyResult } from 'smartcard-2fa/server';
 *
 * function answer(result: VerifyResult): { status: number; body: string } {
 *   if (result.verified) return { status: 200, body: `Welcome, ${result.user.address}` };
 *   console.warn('sign-in refused', result.reason, result.detail);
 *   return { status: 401, body: 'Sign-in failed.' }; // one message for every reason
 * }
 * ```
 *
 * @category Server
 */
export type VerifyResult =
  | {
      readonly verified: true;
      readonly user: SignedInUser;
      /** The certificate that signed in, DER. */
      readonly certificate: Uint8Array;
    }
  | {
      readonly verified: false;
      readonly reason: 'certificate-invalid';
      readonly pathReason: PathFailure;
      readonly detail: string;
    }
  | {
      readonly verified: false;
      readonly reason: Exclude<VerifyFailureReason, 'certificate-invalid'>;
      readonly detail: string;
    };
