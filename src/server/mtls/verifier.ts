/**
 * Mutual TLS sign-in: the client certificate a TLS terminator (this Node process, or a reverse
 * proxy in front of it) received, checked as the Authenticator checks a card's.
 *
 * @module
 */
import { InvalidInputError } from '../../errors.js';
import {
  type CertificateIdentities,
  identitiesOf,
  matchIdentity,
  readIdentityOption,
} from '../authenticator/identity.js';
import { checkSid, readSidOption, type SidRequirement } from '../authenticator/sid-mapping.js';
import { TrustConfig } from '../authenticator/trust-config.js';
import type { SignedInUser } from '../authenticator/types.js';
import type { PathCertificate } from '../path/certificate.js';
import { findAccount, readAccountsOption } from './account-lookup.js';
import {
  type AccountMappingOptions,
  type CertificateMapping,
  certificateMappings,
} from './identity-mapping.js';
import {
  type ReadCertificates,
  readClientCertHeaders,
  readEscapedPem,
  readPeerCertificate,
} from './input.js';
import type {
  ClientCertificateFailure,
  ClientCertificateInput,
  ClientCertificateOptions,
  ClientCertificateResult,
  ClientCertificateUser,
} from './types.js';

/**
 * Verifies TLS client certificates (mutual TLS) with the Authenticator's rules: the same
 * options, path validation, revocation (CRLs, OCSP), EKU, policy and SID checks, through the
 * same trust machinery (parsed CAs, CRL catalog, path cache, OCSP cache), kept by this verifier
 * for all its verifications. It is a class of its own, not an Authenticator method, because it
 * needs none of the Authenticator's challenge options and store, and a service may run it
 * without running challenge sign-in at all.
 *
 * There is no challenge: the TLS handshake's CertificateVerify already proved the key, and the
 * verifier trusts the TLS terminator for that. Give it header input (`clientCert`,
 * `nginxEscapedCert`) only from a proxy that sets the header itself and removes any copy the
 * client sent; otherwise anyone may send a header naming anyone's certificate.
 *
 * The EKU default is the Authenticator's: Smart Card Logon. Card certificates carry it beside
 * Client Authentication (which browsers need to offer a certificate); a certificate with Client
 * Authentication alone may have its key in software, and is refused (`eku`) unless
 * `requiredEku` names `'clientAuth'`.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:https';
 * import type { TLSSocket } from 'node:tls';
 * import { ClientCertificateVerifier } from 'smartcard-2fa/server';
 *
 * declare const root: Uint8Array, issuing: Uint8Array, key: string, cert: string;
 * const verifier = new ClientCertificateVerifier({ trustAnchors: [root], intermediates: [issuing] });
 * createServer({ key, cert, requestCert: true, rejectUnauthorized: false }, async (req, res) => {
 *   const peerCertificate = (req.socket as TLSSocket).getPeerCertificate(true);
 *   const result = await verifier.verify({ peerCertificate });
 *   res.writeHead(result.verified ? 200 : 403).end(result.verified ? result.user.name : '');
 * }).listen(8443, '127.0.0.1');
 * ```
 *
 * @category Server
 */
export class ClientCertificateVerifier {
  readonly #trust: TrustConfig;
  readonly #identity: 'upn' | 'upn-or-email';
  readonly #sid: SidRequirement | undefined;
  readonly #accounts: Required<AccountMappingOptions> | undefined;

  /** @throws `InvalidInputError` when an option has the wrong type. */
  constructor(options: ClientCertificateOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidInputError('ClientCertificateVerifier: options must be an object.');
    }
    this.#trust = new TrustConfig(options, 'ClientCertificateVerifier');
    this.#identity = readIdentityOption(options.identity, 'ClientCertificateVerifier');
    this.#sid = readSidOption(options.securityIdentifier, 'ClientCertificateVerifier');
    this.#accounts = readAccountsOption(options.accounts);
  }

  /**
   * Verifies the client certificate in `input`: readable and within the size caps, a valid path
   * to the trust anchors (the chain the client sent helps, the configured intermediates too),
   * then the user: with `accounts`, the first account a mapping names (strong ones only by
   * default); without, the UPN (or e-mail) in the SAN; with `securityIdentifier`, the SID must be
   * that account's.
   *
   * @throws `InvalidInputError` when `input` is not one of the {@link ClientCertificateInput} forms.
   */
  async verify(input: ClientCertificateInput): Promise<ClientCertificateResult> {
    const read = readInput(input);
    if ('none' in read) return fail('no-certificate', read.none);
    if ('malformed' in read) return fail('malformed-input', read.malformed);
    const checked = await this.#trust.check(read.certificate, read.intermediates, this.#now());
    if (!('trusted' in checked)) {
      const { pathReason, detail } = checked;
      return { verified: false, reason: 'certificate-invalid', pathReason, detail };
    }
    const { leaf } = checked.trusted;
    // The TLS terminator checked possession of the key: the path is worth keeping.
    this.#trust.state().remember(checked.trusted);
    const identities = identitiesOf(leaf);
    if (typeof identities === 'string') {
      return fail('no-identity', `The subjectAltName is unreadable: ${identities}.`);
    }
    let user: ClientCertificateUser;
    let found: { readonly account: string; readonly mapping: CertificateMapping } | undefined;
    const named = nameOf(identities, this.#identity);
    if (this.#accounts !== undefined) {
      const mapped = await this.#mapAccount(leaf, identities);
      if (typeof mapped === 'string') return fail('no-account', mapped);
      found = mapped;
      user = {
        ...named,
        address: mapped.account,
        name: mapped.account,
        matched: mapped.mapping.kind,
      };
    } else if (named.name !== undefined) {
      user = { ...named, address: named.name, name: named.name };
    } else {
      const names = this.#identity === 'upn' ? 'UPN' : 'UPN or e-mail address';
      return fail('no-identity', `The certificate has no ${names}.`);
    }
    const sid = await checkSid(this.#sid, leaf.der, user as SignedInUser);
    if ('refused' in sid) return fail('wrong-user', sid.refused);
    return {
      verified: true,
      user: sid.sid === undefined ? user : { ...user, sid: sid.sid },
      ...(found ?? {}),
      certificate: new Uint8Array(leaf.der),
    };
  }

  async #mapAccount(leaf: PathCertificate, identities: CertificateIdentities) {
    let mappings: CertificateMapping[];
    try {
      mappings = await certificateMappings(leaf, identities, await this.#trust.getCrypto());
    } catch (error) {
      return `The certificate's names are unreadable: ${(error as Error).message}.`;
    }
    return findAccount(this.#accounts as Required<AccountMappingOptions>, mappings);
  }

  #now(): number {
    return this.#trust.clock.now();
  }
}

function readInput(input: ClientCertificateInput): ReadCertificates {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidInputError(
      'verify takes { peerCertificate } or { clientCert } or { nginxEscapedCert }.',
    );
  }
  if ('peerCertificate' in input) return readPeerCertificate(input.peerCertificate);
  if ('clientCert' in input) return readClientCertHeaders(input.clientCert, input.clientCertChain);
  if ('nginxEscapedCert' in input) {
    const value = input.nginxEscapedCert;
    // `headers` joins a repeated header with ', ' (two PEM blocks: refused); `headersDistinct`
    // gives an array.
    if (Array.isArray(value)) return { malformed: 'The certificate header came more than once.' };
    return readEscapedPem(value);
  }
  throw new InvalidInputError(
    'verify takes { peerCertificate } or { clientCert } or { nginxEscapedCert }.',
  );
}

/** The certificate's first UPN (or e-mail, when allowed) and its first of each kind. */
function nameOf(identities: CertificateIdentities, mode: 'upn' | 'upn-or-email') {
  const first = identities.upns[0] ?? (mode === 'upn' ? undefined : identities.emails[0]);
  const match = first === undefined ? undefined : matchIdentity(identities, first, mode);
  const upn = identities.upns[0];
  const email = identities.emails[0];
  return {
    matched: match?.matched ?? ('upn' as const),
    ...(match === undefined ? {} : { name: match.name }),
    ...(upn === undefined ? {} : { upn }),
    ...(email === undefined ? {} : { email }),
  };
}

function fail(reason: Exclude<ClientCertificateFailure, 'certificate-invalid'>, detail: string) {
  return { verified: false, reason, detail } as const;
}
