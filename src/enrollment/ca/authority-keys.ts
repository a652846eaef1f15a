/**
 * The keys of an embedded CA: the root, the issuing CA's keys one after another (a key rollover
 * adds one: the same name, a new key and a new certificate from the root), and an optional
 * separate CRL-signing key. Internal.
 */
import { InvalidInputError } from '../../errors.js';
import { createCrlSigner } from './delegated-keys.js';
import type { Settings } from './options.js';
import { createHierarchy, createSigningCa, type SigningCa } from './signing-key.js';

/** How long an issuing CA's certificate is valid, in years (the root's: 20). */
const ISSUING_YEARS = 10;

/** The root, every key the issuing CA has had, and the CRL signer if any.
 *
 * @category Certificate authority
 */
export class AuthorityKeys {
  readonly root: SigningCa;
  readonly #issuing: SigningCa[];
  /** The separate CRL-signing key, when the CA has one. */
  readonly crlSigner: SigningCa | undefined;
  readonly #crypto: Crypto;
  readonly #settings: Settings;

  private constructor(
    crypto: Crypto,
    settings: Settings,
    root: SigningCa,
    issuer: SigningCa,
    crlSigner: SigningCa | undefined,
  ) {
    this.#crypto = crypto;
    this.#settings = settings;
    this.root = root;
    this.#issuing = [issuer];
    this.crlSigner = crlSigner;
  }

  /** Makes the root, the issuing CA when asked, and the CRL-signing key when asked. */
  static async create(crypto: Crypto, settings: Settings): Promise<AuthorityKeys> {
    const now = settings.clock.now();
    const { root, issuer } = await createHierarchy({
      crypto,
      keyAlgorithm: settings.keyAlgorithm,
      rootName: settings.rootName,
      issuingName: settings.issuingName,
      rootCrlUrl: settings.rootCrlUrl,
      now,
      policies: settings.certificatePolicies,
    });
    const crlSigner = settings.crlSigningKey
      ? await createCrlSigner({
          crypto,
          keyAlgorithm: settings.keyAlgorithm,
          ca: issuer,
          parent: root,
          now,
          // Under a root, the root's CRL covers it; a root's own CRL cannot vouch for its signer.
          parentCrlUrl: issuer === root ? undefined : settings.rootCrlUrl,
        })
      : undefined;
    return new AuthorityKeys(crypto, settings, root, issuer, crlSigner);
  }

  /** Whether the root itself issues (no issuing CA). */
  get rootIssues(): boolean {
    return this.#issuing[0] === this.root;
  }

  /** The issuing CA's keys, oldest first: index 0 is the first key. */
  get issuing(): readonly SigningCa[] {
    return this.#issuing;
  }

  /** The index of the newest key, which issues now. */
  get currentIndex(): number {
    return this.#issuing.length - 1;
  }

  /** The newest key. */
  get current(): SigningCa {
    return this.#issuing[this.currentIndex] as SigningCa;
  }

  /** The key of index `index`; `InvalidInputError` for one the CA never had. */
  key(index: number): SigningCa {
    const key = Number.isInteger(index) ? this.#issuing[index] : undefined;
    if (key === undefined) {
      throw new InvalidInputError(
        `The issuing CA has keys 0 to ${this.currentIndex}; there is no key ${String(index)}.`,
      );
    }
    return key;
  }

  /**
   * A new key for the issuing CA, certified by the root under the same name; it issues from now
   * on, and the older keys' certificates stay valid. Answers its index.
   */
  async rollOver(): Promise<number> {
    const name = this.#settings.issuingName;
    if (this.rootIssues || name === undefined) {
      throw new InvalidInputError(
        'rollOverKey() renews an issuing CA: create the CA with `issuing` to roll its key over (a new root key is a new trust anchor).',
      );
    }
    const next = await createSigningCa({
      crypto: this.#crypto,
      keyAlgorithm: this.#settings.keyAlgorithm,
      commonName: name,
      now: this.#settings.clock.now(),
      years: ISSUING_YEARS,
      parent: this.root,
      parentCrlUrl: this.#settings.rootCrlUrl,
      policies: this.#settings.certificatePolicies,
    });
    this.#issuing.push(next);
    return this.currentIndex;
  }

  /**
   * The certificates a relying party passes as intermediates: the CRL signer's first, then the
   * issuing CA's of every key, newest first (the root is a trust anchor, not among them). The
   * signer comes first because OpenSSL 3.0 (`-extended_crl`) may take the first certificate of
   * the CRL issuer's name whose key identifier it has not read yet as the CRL's signer.
   */
  intermediates(): Uint8Array<ArrayBuffer>[] {
    const issuing = this.rootIssues ? [] : [...this.#issuing].reverse();
    const signer = this.crlSigner === undefined ? [] : [this.crlSigner];
    return [...signer, ...issuing].map((key) => key.certificate.slice());
  }
}

/**
 * The URL of key `index`'s CRL (or certificate), as AD CS names them: the URL as configured for
 * the first key, then `(1)`, `(2)`, ... before the file's extension (`issuing.crl`,
 * `issuing(1).crl`; `issuing.crt`, `issuing(1).crt`).
 *
 * @category Certificate authority
 */
export function urlOfKey(url: string, index: number): string {
  if (index === 0) return url;
  const parsed = new URL(url);
  const dot = parsed.pathname.lastIndexOf('.');
  const slash = parsed.pathname.lastIndexOf('/');
  const at = dot > slash ? dot : parsed.pathname.length;
  parsed.pathname = `${parsed.pathname.slice(0, at)}(${index})${parsed.pathname.slice(at)}`;
  return parsed.href;
}

/**
 * The URLs a certificate issued by key `index` carries: its key's CRL, the OCSP responder, and
 * its key's certificate when `caIssuersUrl` is set.
 *
 * @category Certificate authority
 */
export function urlsInCertificates(
  settings: Pick<Settings, 'crlUrl' | 'ocspUrl' | 'caIssuersUrl'>,
  index: number,
): { readonly crlUrl: string; readonly ocspUrl?: string; readonly caIssuersUrl?: string } {
  const { ocspUrl, caIssuersUrl } = settings;
  return {
    crlUrl: urlOfKey(settings.crlUrl, index),
    ...(ocspUrl === undefined ? {} : { ocspUrl }),
    ...(caIssuersUrl === undefined ? {} : { caIssuersUrl: urlOfKey(caIssuersUrl, index) }),
  };
}
