/**
 * The revocation check of one certificate against the CRLs of its issuer, and the memory of the
 * newest CRL seen per issuer key and scope, so that revocation never goes back. Internal.
 */
import { sameBytes } from './asn1.js';
import type { PathCertificate } from './certificate.js';
import type { Problem } from './checks.js';
import type { PathCrl } from './crl.js';
import type { KeyFacts, SignatureChecker } from './signature.js';

/**
 * The newest CRL seen of each issuer (name and key) and scope, by CRL number. A CRL whose
 * signature verified under its issuer's key moves its slot forward; an older one (a lower
 * number) is replaced by the newest in every check, so a CRL that revoked a certificate cannot
 * be undone by serving an earlier one that is still within its validity.
 *
 * @category Server
 */
export class CrlHistory {
  readonly #newest = new Map<string, PathCrl>();
  #advances = 0;

  /** How many times a slot moved forward: a cached result made before a change is stale. */
  get advances(): number {
    return this.#advances;
  }

  /**
   * The CRL to rely on in place of `crl`, verified under `spki`: itself or a newer one. Newer
   * is a higher CRL number, or the same number with a later thisUpdate (a CA that does not
   * count up still cannot be rolled back); of two that neither is newer, the one fetched.
   */
  newest(crl: PathCrl, spki: Uint8Array): PathCrl {
    if (crl.number === undefined) return crl;
    const slot = `${crl.issuerKey}\u0000${latin1(spki)}\u0000${crl.scope}`;
    const known = this.#newest.get(slot);
    if (known === crl) return crl;
    if (known?.number !== undefined) {
      const order =
        known.number === crl.number
          ? Math.sign(known.thisUpdate - crl.thisUpdate)
          : known.number > crl.number
            ? 1
            : -1;
      if (order > 0) return known;
      if (order === 0) return crl;
    }
    this.#newest.set(slot, crl);
    this.#advances += 1;
    return crl;
  }
}

/** How revocation is checked along a path.
 *
 * @category Server
 */
export interface RevocationPolicy {
  /** Fail a certificate below the anchor that no current CRL of its issuer covers. */
  readonly require: boolean;
  /** Tolerance, in ms, on thisUpdate and nextUpdate for clocks that differ from the CA's. */
  readonly skewMs: number;
  readonly history: CrlHistory;
  /** Told of each CRL a check relied on (for how long a result stays good). */
  readonly relied?: (crl: PathCrl) => void;
  /**
   * The configured CA certificate (an anchor or an intermediate the relying party gave) whose
   * key signed `crl`, when one did: a CRL of a CA's other key (a CA renewed under the same name)
   * is that key's, not undecided for certificates of this one.
   */
  readonly signerOf?: (crl: PathCrl) => PathCertificate | undefined;
}

/** Whether `cert` is a CA certificate that may sign certificates (not only CRLs). */
function issuesCertificates(cert: PathCertificate): boolean {
  return cert.basic?.cA === true && (cert.keyUsage?.has('keyCertSign') ?? true);
}

/** Signature checks of CRLs already made, by CRL and issuer key (both parsed per validation). */
const verifiedCrls = new WeakMap<PathCrl, WeakMap<Uint8Array, Promise<boolean | string>>>();

/**
 * Checks `cert` against the CRLs naming its issuer. Each must verify under `issuer`'s key:
 * one that names the issuer and does not (or uses an algorithm the path may not) makes the
 * status undecidable (`crl-invalid`) in every mode (unless a configured CA certificate of the
 * same name with another key, one that issues certificates, signed it: that key's own CRL), as
 * does one that is stale, not yet valid, flawed, or from an issuer not allowed to sign CRLs. A
 * usable CRL, or a newer one of the same issuer key and scope seen before, listing the serial
 * revokes it.
 *
 * @category Server
 */
export async function checkRevocation(
  cert: PathCertificate,
  issuer: PathCertificate,
  issuerKey: KeyFacts,
  crls: readonly PathCrl[],
  checker: SignatureChecker,
  time: number,
  policy: RevocationPolicy,
): Promise<Problem | undefined> {
  const invalid = (why: string): Problem => ({
    reason: 'crl-invalid',
    detail: `The CRL of the certificate's issuer cannot be used: ${why}.`,
  });
  let covered = false;
  for (const fetched of crls) {
    if (fetched.issuerKey !== cert.issuerKey) continue;
    const verified = await verifyOnce(fetched, issuer.spki, issuerKey, checker);
    if (verified !== true) {
      const signer = policy.signerOf?.(fetched);
      const otherKey = signer !== undefined && !sameBytes(signer.spki, issuer.spki);
      if (otherKey && issuesCertificates(signer)) continue;
      return invalid(
        verified === false
          ? 'its signature does not verify under the issuer’s key'
          : `its signature uses ${verified}`,
      );
    }
    if (issuer.keyUsage !== undefined && !issuer.keyUsage.has('cRLSign')) {
      return invalid('its issuer is not allowed to sign CRLs');
    }
    const crl = policy.history.newest(fetched, issuer.spki);
    policy.relied?.(crl);
    if (crl.flaw !== undefined) return invalid(crl.flaw);
    if (time + policy.skewMs < crl.thisUpdate) return invalid('it is not yet valid');
    // Without nextUpdate a CRL would never go stale: an old one could hide a later revocation.
    if (crl.nextUpdate === undefined) return invalid('it has no nextUpdate');
    if (time - policy.skewMs > crl.nextUpdate) return invalid('it is out of date');
    if (crl.revoked.has(cert.serial)) {
      return { reason: 'revoked', detail: 'The certificate is listed on its issuer’s CRL.' };
    }
    covered = true;
  }
  if (policy.require && !covered) {
    return {
      reason: 'crl-invalid',
      detail: 'No current CRL of the certificate’s issuer was given, and revocation is required.',
    };
  }
  return undefined;
}

/** Each CRL is verified once per issuer key, however many paths the search tries. */
function verifyOnce(
  crl: PathCrl,
  spki: Uint8Array,
  key: KeyFacts,
  checker: SignatureChecker,
): Promise<boolean | string> {
  let byKey = verifiedCrls.get(crl);
  if (byKey === undefined) {
    byKey = new WeakMap();
    verifiedCrls.set(crl, byKey);
  }
  let verified = byKey.get(spki);
  if (verified === undefined) {
    verified = checker.verify(spki, key, crl.algorithm, crl.tbs, crl.signature);
    byKey.set(spki, verified);
  }
  return verified;
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i] as number);
  return out;
}
