/**
 * What an `Authenticator` keeps between verifications, so that a sign-in costs little more than
 * its signature check: the trust anchors and intermediates parsed once (their keys imported
 * once), the CRLs parsed and their signatures checked once per set of CRLs, and the validated
 * path of each certificate seen, reused while every certificate in it and every CRL it was
 * checked against is current and the CRLs have not changed. Internal.
 */
import { sameBytes } from '../path/asn1.js';
import type { PathNode } from '../path/build.js';
import { type PathCertificate, parseCertificate } from '../path/certificate.js';
import type { Problem } from '../path/checks.js';
import { type PathCrl, parseCrl } from '../path/crl.js';
import type { PathSettings } from '../path/options.js';
import { type KeyCache, type ResultCache, SignatureChecker } from '../path/signature.js';
import { parseNodes, searchPath } from '../path/validate.js';
import { PathCache } from './path-cache.js';

/** How many validated paths an Authenticator keeps by default. */
export const PATH_CACHE_SIZE = 1024;

interface TrustOptions {
  readonly anchors: readonly Uint8Array[];
  readonly intermediates: readonly Uint8Array[];
  readonly settings: PathSettings;
  readonly requireRevocation: boolean;
  readonly cacheSize?: number;
}

/** A leaf whose path is valid, parsed from a copy of the caller's bytes. */
export type Trusted = { readonly leaf: PathCertificate } | Problem;

/** The parsed trust configuration of one Authenticator and its caches. */
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
  #crls: readonly { readonly der: Uint8Array; readonly crl: PathCrl }[] = [];
  /** Counts changes to the CRL set: a path found under older CRLs is never cached. */
  #generation = 0;

  constructor(options: TrustOptions) {
    this.#anchors = parseNodes(options.anchors, true);
    this.#intermediates = parseNodes(options.intermediates, false, options.anchors);
    this.#configured = [...options.anchors, ...options.intermediates];
    this.#settings = options.settings;
    this.#requireRevocation = options.requireRevocation;
    this.#paths = new PathCache(options.cacheSize ?? PATH_CACHE_SIZE);
  }

  /**
   * The current CRLs, parsed: a CRL already seen (same bytes) keeps its parsed form, so its
   * signature is checked once; a change to the set empties the path cache.
   */
  useCrls(list: readonly Uint8Array[]): readonly PathCrl[] | string {
    // Always by bytes, never by the array's identity: an app may refresh one array in place.
    const next: { der: Uint8Array; crl: PathCrl }[] = [];
    let changed = list.length !== this.#crls.length;
    for (const [i, der] of list.entries()) {
      const known = this.#crls.find((entry) => sameBytes(entry.der, der));
      if (known !== undefined) {
        if (this.#crls[i] !== known) changed = true;
        next.push(known);
        continue;
      }
      const copy = new Uint8Array(der);
      const crl = parseCrl(copy);
      if (typeof crl === 'string') return `A CRL is malformed: ${crl}.`;
      next.push({ der: copy, crl });
      changed = true;
    }
    if (changed) {
      this.#paths.clear();
      this.#generation += 1;
    }
    this.#crls = next;
    return next.map((entry) => entry.crl);
  }

  /**
   * Validates the path of `certificate` at `time` (ms) against the CRLs of the last
   * {@link useCrls}, or reuses the path found for the same bytes (and the same extra
   * intermediates) while it is still good at `time`.
   */
  async validate(
    crypto: Crypto,
    certificate: Uint8Array,
    extra: readonly Uint8Array[],
    time: number,
  ): Promise<Trusted> {
    const second = Math.floor(time / 1000) * 1000;
    const cached = this.#paths.get(certificate, extra, second);
    if (cached !== undefined) return { leaf: cached };
    const leaf = parseCertificate(new Uint8Array(certificate));
    if (typeof leaf === 'string') {
      return { reason: 'malformed', detail: `The certificate is malformed: ${leaf}.` };
    }
    // What this validation uses, fixed before the first await: other verifications may change
    // the CRLs meanwhile, and the caller may change its intermediates.
    const crls = this.#crls.map((entry) => entry.crl);
    const generation = this.#generation;
    const intermediates = extra.map((der) => new Uint8Array(der));
    const found = await searchPath({
      leaf,
      nodes: [
        ...this.#anchors,
        ...this.#intermediates,
        ...parseNodes(intermediates, false, [leaf.der, ...this.#configured]),
      ],
      crls,
      settings: this.#settings,
      time,
      requireRevocation: this.#requireRevocation,
      checker: new SignatureChecker(crypto, this.keys, this.#results, 2 * this.#settings.maxWork),
    });
    if (!Array.isArray(found)) return found;
    const window = goodWindow(found, crls);
    // Cached only when the CRLs it was checked against are still the current ones.
    if (generation === this.#generation && window.from <= second && second <= window.until) {
      this.#paths.set(leaf, intermediates, window.from, window.until);
    }
    return { leaf };
  }

  /** How many paths are cached (for tests). */
  get cachedPaths(): number {
    return this.#paths.size;
  }
}

/**
 * When a path found valid stays valid with the same CRLs: from the latest notBefore or
 * thisUpdate to the earliest notAfter or nextUpdate of the certificates in it and of every CRL
 * naming the issuer of one of them (whichever of those CRLs was checked; a CRL without
 * nextUpdate ends the window at once).
 */
function goodWindow(path: readonly PathNode[], crls: readonly PathCrl[]) {
  let from = Number.NEGATIVE_INFINITY;
  let until = Number.POSITIVE_INFINITY;
  for (const [i, node] of path.entries()) {
    from = Math.max(from, node.cert.notBefore);
    until = Math.min(until, node.cert.notAfter);
    if (i === path.length - 1) continue;
    for (const crl of crls) {
      if (!sameBytes(crl.issuer, node.cert.issuer)) continue;
      from = Math.max(from, crl.thisUpdate);
      until = Math.min(until, crl.nextUpdate ?? Number.NEGATIVE_INFINITY);
    }
  }
  return { from, until };
}
