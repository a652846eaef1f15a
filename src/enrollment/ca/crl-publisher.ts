/**
 * What the CA publishes as CRLs: the issuing CA's, one series per key (or one of every key), each
 * signed by that key or by the CRL-signing key, and the root's. Internal.
 */
import { type AuthorityKeys, urlOfKey } from './authority-keys.js';
import { buildCrl } from './crl.js';
import { type CrlOptions, CrlSeries, checkCrlOptions } from './crl-series.js';
import type { Ledger } from './ledger.js';
import type { Settings } from './options.js';

/** The CRLs of a CA, numbered one after another across every series.
 *
 * @category Certificate authority
 */
export class CrlPublisher {
  readonly #keys: AuthorityKeys;
  readonly #ledger: Ledger;
  readonly #settings: Settings;
  /** A series per key index, and `'all'`: deltas are made of the same series' complete CRL. */
  readonly #series = new Map<number | 'all', CrlSeries>();
  #rootCrlNumber = 0;

  constructor(keys: AuthorityKeys, ledger: Ledger, settings: Settings) {
    this.#keys = keys;
    this.#ledger = ledger;
    this.#settings = settings;
  }

  /** A CRL of the issuing CA: see `CertificateAuthority.crl`. */
  async crl(options: CrlOptions): Promise<Uint8Array<ArrayBuffer>> {
    const scope = checkCrlOptions(options).key ?? this.#keys.currentIndex;
    const signer =
      this.#keys.crlSigner ?? (scope === 'all' ? this.#keys.current : this.#keys.key(scope));
    let series = this.#series.get(scope);
    if (series === undefined) {
      series = new CrlSeries();
      this.#series.set(scope, series);
    }
    const revocations = this.#ledger.revocations(scope === 'all' ? undefined : scope);
    const content = series.next(
      this.#scoped(options, scope),
      revocations,
      this.#ledger.peekCrlNumber(),
    );
    this.#ledger.nextCrlNumber();
    return buildCrl({
      issuer: signer,
      ...content,
      now: this.#settings.clock.now(),
      validityDays: this.#settings.crlValidityDays,
    });
  }

  /**
   * Once the CA has several keys, a key's own CRL lists only its certificates, yet a relying
   * party may take a CRL signed by another key of the CA as covering them (RFC 5280 §6.3.3 (f)):
   * it is scoped to that key's distribution point (an issuing distribution point) unless the
   * options name one.
   */
  #scoped(options: CrlOptions, scope: number | 'all'): CrlOptions {
    if (scope === 'all' || this.#keys.issuing.length === 1) return options;
    if (options.distributionPoint !== undefined) return options;
    return { ...options, distributionPoint: urlOfKey(this.#settings.crlUrl, scope) };
  }

  /** The root's CRL (empty: the root revokes nothing here); the issuing CA's when the root issues. */
  async rootCrl(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.#keys.rootIssues) return this.crl({});
    this.#rootCrlNumber += 1;
    return buildCrl({
      issuer: this.#keys.root,
      revoked: [],
      crlNumber: this.#rootCrlNumber,
      now: this.#settings.clock.now(),
      validityDays: this.#settings.crlValidityDays,
    });
  }
}
