/**
 * The options, inputs and results of the {@link ClientCertificateVerifier}.
 *
 * @module
 */
import type { TrustOptions } from '../authenticator/trust-config.js';
import type { AuthenticatorOptions, SignedInUser } from '../authenticator/types.js';
import type { PathFailure } from '../path/types.js';
import type { AccountMappingOptions, CertificateMapping, MappingKind } from './identity-mapping.js';
import type { PeerCertificateLike } from './input.js';

export type { PeerCertificateLike } from './input.js';

/**
 * Options of the {@link ClientCertificateVerifier}: the Authenticator's trust and identity
 * options, taken with the same meaning and defaults (an `AuthenticatorOptions` object may be
 * passed as it is; its challenge options are not read), and `accounts` for identity mapping.
 *
 * @example
 * ```ts
 * import type { ClientCertificateOptions } from 'smartcard-2fa/server';
 *
 * declare const root: Uint8Array, issuing: Uint8Array;
 * declare function fetchCrl(): Promise<Uint8Array>;
 * const options: ClientCertificateOptions = {
 *   trustAnchors: [root],
 *   intermediates: [issuing],
 *   crls: async () => [await fetchCrl()],
 *   revocation: 'require',
 * };
 * ```
 *
 * @category Server
 */
export interface ClientCertificateOptions
  extends TrustOptions,
    Pick<AuthenticatorOptions, 'identity' | 'securityIdentifier'> {
  /**
   * Map the certificate to one of the app's accounts as a domain controller does
   * (altSecurityIdentities, strong mappings first); see {@link AccountMappingOptions}. Without
   * it the certificate's UPN (or e-mail, with `identity: 'upn-or-email'`) names the user.
   */
  readonly accounts?: AccountMappingOptions;
}

/**
 * Where the client certificate came from, one of:
 *
 * - `peerCertificate`: Node's `tlsSocket.getPeerCertificate(true)` (the TLS terminator is this
 *   process).
 * - `clientCert` (+ `clientCertChain`): RFC 9440 header values a reverse proxy set.
 * - `nginxEscapedCert`: the header an nginx set from `$ssl_client_escaped_cert`.
 *
 * Header values must come from a proxy that removes any the client sent: the verifier trusts
 * whoever terminated TLS to have checked the key (the handshake's CertificateVerify).
 *
 * @example
 * ```ts
 * import type { IncomingMessage } from 'node:http';
 * import type { TLSSocket } from 'node:tls';
 * import type { ClientCertificateInput } from 'smartcard-2fa/server';
 *
 * declare const request: IncomingMessage;
 * const direct: ClientCertificateInput = {
 *   peerCertificate: (request.socket as TLSSocket).getPeerCertificate(true),
 * };
 * const proxied: ClientCertificateInput = { nginxEscapedCert: request.headers['x-ssl-client-cert'] };
 * ```
 *
 * @category Server
 */
export type ClientCertificateInput =
  | { readonly peerCertificate: PeerCertificateLike | Readonly<Record<string, never>> | null }
  | { readonly clientCert: string | undefined; readonly clientCertChain?: string | undefined }
  | { readonly nginxEscapedCert: string | string[] | undefined };

/**
 * Why a client certificate was not accepted: `no-certificate` (none was sent or forwarded),
 * `malformed-input` (the input could not be read: a header's syntax, a size cap, a chain of more
 * than nine certificates),
 * `certificate-invalid` (the path: `pathReason` says why, as for the Authenticator), `no-identity`
 * (no UPN, or e-mail where allowed, names a user), `wrong-user` (a SID that is not the
 * account's), `no-account` (no account for any allowed mapping).
 *
 * @example
 * ```ts
 * import type { ClientCertificateFailure } from 'smartcard-2fa/server';
 *
 * const retry = (reason: ClientCertificateFailure) => reason === 'no-certificate';
 * console.log(retry('certificate-invalid')); // false
 * ```
 *
 * @category Server
 */
export type ClientCertificateFailure =
  | 'no-certificate'
  | 'malformed-input'
  | 'certificate-invalid'
  | 'no-identity'
  | 'wrong-user'
  | 'no-account';

/**
 * Who a client certificate names. Without `accounts`: the certificate's UPN (or e-mail address,
 * with `identity: 'upn-or-email'`) as `name` and `address`, `matched` saying which. With
 * `accounts`: the account the mapping found as `name` and `address`, `matched` the mapping's
 * kind. `upn`, `email` and `sid` are the certificate's, when it has them.
 *
 * @example
 * ```ts
 * import type { ClientCertificateUser, ClientCertificateVerifier } from 'smartcard-2fa/server';
 *
 * declare const verifier: ClientCertificateVerifier, peerCertificate: { raw: Uint8Array };
 * const result = await verifier.verify({ peerCertificate });
 * if (result.verified) {
 *   const user: ClientCertificateUser = result.user;
 *   console.log(`${user.name} signed in (by ${user.matched})`);
 * }
 * ```
 *
 * @category Server
 */
export interface ClientCertificateUser extends Omit<SignedInUser, 'matched'> {
  /** What named the user: the certificate's UPN or e-mail, or an account mapping's kind. */
  readonly matched: 'upn' | 'email' | MappingKind;
}

/**
 * The outcome of {@link ClientCertificateVerifier.verify}: never a throw for a bad certificate.
 * `user` is as the Authenticator's (`address` is the name the certificate matched on); with
 * `accounts`, `account` is the app's account and `mapping` the mapping that found it.
 *
 * @example
 * ```ts
 * import type { ClientCertificateResult } from 'smartcard-2fa/server';
 *
 * function status(result: ClientCertificateResult): number {
 *   if (result.verified) return 200;
 *   console.warn('mTLS sign-in refused', result.reason, result.detail); // for the log only
 *   return result.reason === 'no-certificate' ? 401 : 403;
 * }
 * ```
 *
 * @category Server
 */
export type ClientCertificateResult =
  | {
      readonly verified: true;
      readonly user: ClientCertificateUser;
      /** The account `accounts.lookup` answered, when that option is given. */
      readonly account?: string;
      /** The mapping that found `account`. */
      readonly mapping?: CertificateMapping;
      /** The client's certificate, DER. */
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
      readonly reason: Exclude<ClientCertificateFailure, 'certificate-invalid'>;
      readonly detail: string;
    };
