/**
 * The embedded certificate authority: its CA certificates, the request pipeline from request to
 * disposition, approvals, revocation and CRLs.
 */
import { getCrypto } from '../../crypto.js';
import { InvalidInputError } from '../../errors.js';
import { toPem } from '../../lib/pem.js';
import type { DirectoryEntry, Disposition } from '../request/types.js';
import { agentNoLongerValid } from './agent-recheck.js';
import { AuthorityKeys, urlsInCertificates } from './authority-keys.js';
import type { RevocationReason } from './crl.js';
import { CrlPublisher } from './crl-publisher.js';
import type { CrlOptions } from './crl-series.js';
import { checkDirectory, checkSubject, templateRefusal } from './directory.js';
import { issueEndEntity } from './end-entity.js';
import { examineRequest } from './examine.js';
import { type CertificateRequestInput, requestBytes } from './input.js';
import { type CertificateRecord, Ledger, type PendingRequest } from './ledger.js';
import {
  createOcspResponder,
  type OcspResponder,
  type OcspResponderOptions,
} from './ocsp-responder.js';
import {
  type CertificateAuthorityOptions,
  type IssueOptions,
  type Settings,
  settingsOf,
} from './options.js';
import type { CaPem } from './pem.js';
import { checkIssueOptions, subjectOf } from './submitter.js';

/**
 * An embedded certificate authority, as AD CS behaves for smart card enrollment: a root (and
 * optionally an issuing CA) with non-extractable WebCrypto keys; `issue` checks a PKCS#10 or
 * CMC request (proof of possession, the CMC signer, an enrollment agent's certificate, the
 * template, the key) and answers a {@link Disposition} built from the directory; `revoke` and
 * `crl` publish revocations. Faults in the request throw `RequestInvalidError`
 * (`ERR_REQUEST_INVALID`) and are not recorded; policy outcomes are dispositions.
 *
 * @example
 * ```ts
 * import { CertificateAuthority } from 'smartcard-2fa/enrollment';
 *
 * const ca = await CertificateAuthority.create({
 *   issuing: true,
 *   directory: [
 *     {
 *       account: 'CONTOSO\\alice',
 *       commonName: 'Alice Example',
 *       upn: 'alice@contoso.com',
 *       email: 'alice@contoso.com',
 *       domainComponents: ['contoso', 'com'],
 *     },
 *   ],
 * });
 * declare const csrPem: string; // from EnrollmentBuilder.build(card)
 * const answer = await ca.issue(csrPem, { requester: 'CONTOSO\\alice' });
 * if (answer.status === 'issued') console.log(answer.serialNumber);
 * ```
 *
 * @category Certificate authority
 */
export class CertificateAuthority {
  readonly #crypto: Crypto;
  readonly #settings: Settings;
  readonly #keys: AuthorityKeys;
  readonly #ledger = new Ledger();
  readonly #crls: CrlPublisher;

  private constructor(crypto: Crypto, settings: Settings, keys: AuthorityKeys) {
    this.#crypto = crypto;
    this.#settings = settings;
    this.#keys = keys;
    this.#crls = new CrlPublisher(keys, this.#ledger, settings);
  }

  /**
   * Makes the CA: generates the root key (and the issuing CA's) and certifies them. Bad options
   * throw `InvalidInputError`.
   */
  static async create(options: CertificateAuthorityOptions): Promise<CertificateAuthority> {
    const settings = settingsOf(options);
    const crypto = await getCrypto(options);
    return new CertificateAuthority(crypto, settings, await AuthorityKeys.create(crypto, settings));
  }

  /** The root certificate, DER (a copy). */
  get root(): Uint8Array<ArrayBuffer> {
    return this.#keys.root.certificate.slice();
  }

  /**
   * The certificate that signs what the CA issues now, DER: the issuing CA's (of its newest key,
   * after `rollOverKey()`), or the root's.
   */
  get issuer(): Uint8Array<ArrayBuffer> {
    return this.#keys.current.certificate.slice();
  }

  /** The chain of a certificate issued now, issuer first, up to and including the root. */
  get chain(): Uint8Array<ArrayBuffer>[] {
    return this.#keys.rootIssues ? [this.root] : [this.issuer, this.root];
  }

  /**
   * Every CA certificate a relying party passes as intermediates to validate any certificate or
   * CRL of this CA: the CRL signer's, then the issuing CA's certificate of each key, newest first.
   */
  get intermediates(): Uint8Array<ArrayBuffer>[] {
    return this.#keys.intermediates();
  }

  /** The CRL-signing key's certificate, DER, with `crlSigningKey`; else `undefined`. */
  get crlSigner(): Uint8Array<ArrayBuffer> | undefined {
    return this.#keys.crlSigner?.certificate.slice();
  }

  /** The root, issuer and chain as PEM. */
  get pem(): CaPem {
    return {
      root: toPem('CERTIFICATE', this.#keys.root.certificate),
      issuer: toPem('CERTIFICATE', this.#keys.current.certificate),
      chain: this.chain.map((der) => toPem('CERTIFICATE', der)).join(''),
    };
  }

  /**
   * Renews the issuing CA with a new key: a new certificate from the root with the same name and
   * a new key identifier; what the CA issues from now on is signed by the new key, whose CRLs
   * are `crl({ key })`. Earlier certificates, and the issuing CA's earlier certificates, stay
   * valid. Answers the new key's index (1 after the first rollover). `InvalidInputError` for a CA
   * without an issuing CA.
   */
  async rollOverKey(): Promise<number> {
    return this.#keys.rollOver();
  }

  /**
   * An OCSP responder (RFC 6960) for the certificates this CA issues: see {@link OcspResponder}
   * and {@link OcspResponderOptions}; serve it over HTTP with `ocspHttpHandler`.
   */
  ocspResponder(options: OcspResponderOptions = {}): OcspResponder {
    const context = { crypto: this.#crypto, keys: this.#keys, ledger: this.#ledger };
    return createOcspResponder({ ...context, settings: this.#settings }, options);
  }

  /**
   * Answers a certificate request: `issued`, `pending` (the template needs approval) or `denied`
   * (the subject is not in the directory, is disabled, lacks the UPN or e-mail the template
   * needs, or the submitter is not the agent who signed). A malformed, badly signed or
   * unacceptable request throws `RequestInvalidError`, as does one above `maxRequestBytes`
   * (refused by its size before it is read); a self-enrollment without `requester` throws
   * `InvalidInputError`. Request ids count from 1.
   */
  async issue(request: CertificateRequestInput, options: IssueOptions = {}): Promise<Disposition> {
    const { requester, template } = checkIssueOptions(options);
    const directory =
      options.directory === undefined
        ? this.#settings.directory
        : checkDirectory(options.directory);
    const { der, format } = requestBytes(request, this.#settings.maxRequestBytes);
    const examined = await examineRequest(der, format, {
      crypto: this.#crypto,
      templates: this.#settings.templates,
      template,
    });
    const subject = await subjectOf(examined, requester, {
      ledger: this.#ledger,
      directory,
      now: this.#settings.clock.now(),
    });
    if ('denial' in subject) return this.#ledger.add((id) => denied(id, subject.denial));
    const refusal = templateRefusal(
      this.#settings.permissions,
      examined.template.name,
      subject.agent ?? subject.account,
    );
    if (refusal !== undefined) return this.#ledger.add((id) => denied(id, refusal));
    const checked = await checkSubject(directory, subject.account, examined.template);
    if ('denial' in checked) return this.#ledger.add((id) => denied(id, checked.denial));
    const pending: PendingRequest = {
      account: subject.account,
      spki: examined.spki,
      template: examined.template,
      directory,
      ...(examined.signer.kind === 'agent' && subject.agent !== undefined
        ? { agent: { account: subject.agent, certificate: examined.signer.certificate } }
        : {}),
    };
    const { template: chosen } = examined;
    if (
      chosen.requiresApproval ||
      this.#settings.approvalTemplates.has(chosen.name.toLowerCase())
    ) {
      const reason = 'Taken Under Submission: the template needs a CA manager to approve it.';
      return this.#ledger.add((requestId) => ({ status: 'pending', requestId, reason }), pending);
    }
    const issued = await this.#certify(pending, checked.entry);
    return this.#ledger.add((requestId) => ({ ...issued, requestId }));
  }

  /**
   * Issues a pending request, after checking the directory again (a CA manager's "Issue"; AD CS
   * runs its policy again too), and answers its new disposition. Refuses a request that is not
   * pending with `InvalidInputError`.
   */
  async approve(requestId: number): Promise<Disposition> {
    const pending = this.#ledger.take(requestId);
    try {
      // Judged again as at submission: the same directory, and the agent still an agent.
      const agentDenial = await agentNoLongerValid(
        pending,
        this.#ledger,
        this.#settings.clock.now(),
      );
      if (agentDenial !== undefined) return this.#ledger.settle(denied(requestId, agentDenial));
      const checked = await checkSubject(pending.directory, pending.account, pending.template);
      if ('denial' in checked) return this.#ledger.settle(denied(requestId, checked.denial));
      return this.#ledger.settle({ ...(await this.#certify(pending, checked.entry)), requestId });
    } catch (error) {
      this.#ledger.putBack(requestId, pending);
      throw error;
    }
  }

  /** Denies a pending request (a CA manager's "Deny"); `InvalidInputError` if not pending. */
  async deny(requestId: number, reason = 'Denied by the CA manager.'): Promise<Disposition> {
    if (typeof reason !== 'string') throw new InvalidInputError('reason is a string.');
    this.#ledger.take(requestId);
    return this.#ledger.settle(denied(requestId, reason));
  }

  /** The current disposition of a request, or `undefined` for an id this CA never gave. */
  disposition(requestId: number): Disposition | undefined {
    return this.#ledger.disposition(requestId);
  }

  /**
   * Revokes a certificate this CA issued, by serial number (hex; case, colons and spaces do not
   * matter). An unknown or already revoked serial throws `InvalidInputError`; a certificate on
   * `certificateHold` can be revoked again with a final reason.
   */
  async revoke(serialNumber: string, reason: RevocationReason = 'unspecified'): Promise<void> {
    this.#ledger.revoke(serialNumber, reason, this.#settings.clock.now());
  }

  /**
   * A new CRL (DER) from the issuing CA, each with the next number: a complete CRL listing every
   * revocation, or with `deltaOf` a delta CRL of the latest complete one; with
   * `distributionPoint` scoped by an issuing distribution point; with `key`, another key's CRL
   * after a rollover. Signed by the CRL-signing key with `crlSigningKey`.
   *
   * @throws `InvalidInputError` for options of the wrong type, or a `deltaOf` that is not the
   * latest complete CRL.
   */
  async crl(options: CrlOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
    return this.#crls.crl(options);
  }

  /**
   * The root's CRL, for a CA with an issuing CA: the root revokes nothing here, but a relying
   * party that checks every level (`openssl verify -crl_check_all`) needs it. Without an
   * issuing CA it is `crl()`.
   */
  async rootCrl(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#crls.rootCrl();
  }

  async #certify(request: PendingRequest, entry: DirectoryEntry) {
    const keyIndex = this.#keys.currentIndex;
    const issued = await issueEndEntity({
      crypto: this.#crypto,
      issuer: this.#keys.current,
      entry,
      template: request.template,
      spki: request.spki,
      now: this.#settings.clock.now(),
      ...urlsInCertificates(this.#settings, keyIndex),
      policies: this.#settings.certificatePolicies,
    });
    const record: CertificateRecord = { ...issued, ...request, keyIndex, revocation: undefined };
    this.#ledger.addCertificate(record);
    return {
      status: 'issued' as const,
      certificate: issued.der.slice(),
      pem: toPem('CERTIFICATE', issued.der),
      serialNumber: issued.serialNumber,
    };
  }
}

function denied(requestId: number, reason: string): Disposition {
  return { status: 'denied', requestId, reason };
}
