/**
 * What an `Authenticator` keeps between verifications, so that a sign-in costs little more than
 * its signature check: the trust anchors and intermediates parsed once (their keys imported
 * once), each distinct CRL parsed and its signature checked once, the newest CRL of each issuer
 * key (so revocation never goes back), and the validated path of each certificate whose holder
 * proved the key, reused while every certificate in it and every CRL it was checked against is
 * current, with the same CRLs fetched and none newer seen since. Internal.
 */
import type { PathNode } from '../path/build.js';
import { type PathCertificate, parseCertificate } from '../path/certificate.js';
import type { Problem } from '../path/checks.js';
import type { PathCrl } from '../path/crl.js';
import type { PathSettings } from '../path/options.js';
import { CrlHistory } from '../path/revocation.js';
import { type KeyCache, type ResultCache, SignatureChecker } from '../path/signature.js';
import { openOcspSession, type PathSearch, parseNodes, searchPath } from '../path/validate.js';
import { CrlCatalog, type FetchedCrls } from './crl-catalog.js';
import { PathCache, type PathCheckedWith } from './path-cache.js';

/** How many validated paths an Authenticator keeps by default.
 *
 * @category Server
 */
export const PATH_CACHE_SIZE = 1024;
/** How many bytes of certificates (leaves and a client's intermediates) those paths may hold.
 *
 * @category Server
 */
export const PATH_CACHE_BYTES = 4 * 1024 * 1024;

interface TrustOptions {
  readonly anchors: readonly Uint8Array[];
  readonly intermediates: readonly Uint8Array[];
  readonly settings: PathSettings;
  readonly requireRevocation: boolean;
  readonly cacheSize?: number;
  readonly cacheBytes?: number;
}

/** A path found valid, to be remembered once the certificate's holder has proved the key.
 *
 * @category Server
 */
export interface FoundPath {
  readonly leaf: PathCertificate;
  readonly intermediates: readonly Uint8Array[];
  readonly from: number;
  readonly until: number;
  readonly checkedWith: PathCheckedWith;
}

/** A leaf whose path is valid, parsed from a copy of the caller's bytes.
 *
 * @category Server
 */
export type Trusted = { readonly leaf: PathCertificate; readonly found?: FoundPath } | Problem;

/** The parsed trust configuration of one Authenticator and its caches.
 *
 * @category Server
 */
export class TrustState {
  readonly #anchors: readonly PathNode[];
  readonly #intermediates: readonly PathNode[];
  readonly #configured: readonly Uint8Array[];
  readonly #settings: PathSettings;
  readonly #requireRevocation: boolean;
  /** Imported keys of the configured CAs (and of cached leaves) by their parsed SPKI. */
  readonly keys: KeyCache = new WeakMap();
  /** Signature checks between certificates and CRLs parsed here (from copies) and kept. */
  readonly #results: ResultCache = new WeakMap();
  readonly #paths: PathCache;
  readonly #history = new CrlHistory();
  #catalog: CrlCatalog | undefined;
  /** The configured CA whose key signed each remembered CRL. */
  readonly #signers = new WeakMap<PathCrl, PathCertificate>();

  constructor(options: TrustOptions) {
    this.#anchors = parseNodes(options.anchors, true);
    this.#intermediates = parseNodes(options.intermediates, false, options.anchors);
    this.#configured = [...options.anchors, ...options.intermediates];
    this.#settings = options.settings;
    this.#requireRevocation = options.requireRevocation;
    this.#paths = new PathCache(
      options.cacheSize ?? PATH_CACHE_SIZE,
      options.cacheBytes ?? PATH_CACHE_BYTES,
    );
  }

  /**
   * The CRLs one verification fetched, parsed (from copies, unless `owned`: the Authenticator's
   * own copies of its static list): a CRL read before (same length and signature)
   * keeps its parsed form and its checked signature. Nothing shared changes: each verification
   * validates against its own CRLs (or newer ones of the same issuer key, never older).
   */
  readCrls(
    crypto: Crypto,
    list: readonly Uint8Array[],
    owned = false,
  ): Promise<FetchedCrls | string> {
    this.#catalog ??= new CrlCatalog(async (crl) => {
      // Bounded by the configured certificates, not by the request: no check budget here.
      const checker = new SignatureChecker(crypto, this.keys, this.#results, Infinity);
      for (const node of [...this.#anchors, ...this.#intermediates]) {
        if (typeof node.key === 'string' || node.cert.subjectKey !== crl.issuerKey) continue;
        const { spki } = node.cert;
        if (
          (await checker.verify(spki, node.key, crl.algorithm, crl.tbs, crl.signature)) === true
        ) {
          this.#signers.set(crl, node.cert);
          return true;
        }
      }
      return false;
    });
    return this.#catalog.read(list, owned);
  }

  /**
   * Validates the path of `certificate` at `time` (ms) against `fetched`, or reuses the path
   * found for the same bytes, intermediates and CRLs while it is still good at `time`. A new
   * path comes back as `found`, for {@link remember} once the answer's signature verifies.
   */
  async validate(
    crypto: Crypto,
    certificate: Uint8Array,
    extra: readonly Uint8Array[],
    time: number,
    fetched: FetchedCrls,
  ): Promise<Trusted> {
    const second = Math.floor(time / 1000) * 1000;
    const checkedWith = { crls: fetched.id, advances: this.#history.advances };
    const cached = this.#paths.get(certificate, extra, second, checkedWith);
    if (cached !== undefined) return { leaf: cached };
    const leaf = parseCertificate(new Uint8Array(certificate));
    if (typeof leaf === 'string') {
      return { reason: 'malformed', detail: `The certificate is malformed: ${leaf}.` };
    }
    // Copies, fixed before the first await: the caller may change its intermediates.
    const intermediates = extra.map((der) => new Uint8Array(der));
    const relied = new Set<PathCrl>();
    const skewMs = this.#settings.crlClockSkewMs;
    const search: PathSearch = {
      leaf,
      nodes: [
        ...this.#anchors,
        ...this.#intermediates,
        ...parseNodes(intermediates, false, [leaf.der, ...this.#configured]),
      ],
      crls: fetched.crls,
      settings: this.#settings,
      time,
      revocation: {
        require: this.#requireRevocation,
        skewMs,
        history: this.#history,
        relied: (crl) => relied.add(crl),
        signerOf: (crl) => this.#signers.get(crl),
      },
      checker: new SignatureChecker(crypto, this.keys, this.#results, 2 * this.#settings.maxWork),
    };
    const ocsp = openOcspSession(search, crypto);
    const found = await searchPath(ocsp === undefined ? search : { ...search, ocsp });
    if (!Array.isArray(found)) return found;
    // A path checked by OCSP is not cached: the next verification asks the OCSP cache again.
    if (ocsp !== undefined) return { leaf };
    const window = goodWindow(found, relied, skewMs);
    if (window.from > second || second > window.until) return { leaf };
    return { leaf, found: { leaf, intermediates, ...window, checkedWith } };
  }

  /**
   * Caches a path {@link validate} found, unless a newer CRL was seen since it began: called
   * only once the certificate's key has signed the answer, so a stranger's certificate and
   * intermediates never take room in the cache.
   */
  remember(trusted: Trusted): void {
    if (!('leaf' in trusted) || trusted.found === undefined) return;
    const { leaf, intermediates, from, until, checkedWith } = trusted.found;
    if (checkedWith.advances !== this.#history.advances) return;
    this.#paths.set(leaf, intermediates, from, until, checkedWith);
  }

  /** How many paths are cached (for tests). */
  get cachedPaths(): number {
    return this.#paths.size;
  }

  /** How many bytes the cached paths account for (for tests). */
  get cachedBytes(): number {
    return this.#paths.bytes;
  }
}

/**
 * When a path found valid stays valid with the same CRLs: from the latest notBefore or
 * thisUpdate to the earliest notAfter or nextUpdate of the certificates in it and of every CRL
 * the checks relied on (CRL times widened by the clock skew allowed; a CRL without nextUpdate
 * ends the window at once).
 */
function goodWindow(path: readonly PathNode[], relied: ReadonlySet<PathCrl>, skewMs: number) {
  let from = Number.NEGATIVE_INFINITY;
  let until = Number.POSITIVE_INFINITY;
  for (const node of path) {
    from = Math.max(from, node.cert.notBefore);
    until = Math.min(until, node.cert.notAfter);
  }
  for (const crl of relied) {
    from = Math.max(from, crl.thisUpdate - skewMs);
    until = Math.min(until, (crl.nextUpdate ?? Number.NEGATIVE_INFINITY) + skewMs);
  }
  return { from, until };
}
