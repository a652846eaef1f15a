/**
 * The revocation check of one certificate against the CRLs of its issuer, and the memory of the
 * newest CRL seen per issuer key and scope, so that revocation never goes back. Internal.
 */
import { toHex } from '../../lib/bytes.js';
import { getOrInsert } from '../../lib/maps.js';
import { sameBytes } from './asn1.js';
import type { PathNode } from './build.js';
import type { PathCertificate } from './certificate.js';
import type { Problem } from './checks.js';
import type { PathCrl } from './crl.js';
import { listedReason } from './crl-entry-issuers.js';
import { ALL_REASONS, reasonsCovered } from './crl-scope.js';
import { findCrlSigner, type SignerSearch } from './crl-signer.js';
import { CERTIFICATE_HOLD, deltaFor, REMOVE_FROM_CRL, revokedBy } from './delta.js';
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
    const slot = `${crl.issuerKey}\u0000${toHex(spki)}\u0000${crl.scope}`;
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
  /**
   * Where to look for a CRL signed by another key of the issuer (a CRL-signing key, the CA's key
   * after a rollover) or by an indirect CRL's issuer, and that key's path; without it, such a
   * CRL is not used.
   */
  readonly signers?: SignerSearch;
  /**
   * Set while the path of a CRL's signer is checked (see `findCrlSigner`): no further signer is
   * looked for, and only this one may sign a CRL about itself.
   */
  readonly signerInCheck?: PathNode;
}

/** Whether `cert` is a CA certificate that may sign certificates (not only CRLs). */
function issuesCertificates(cert: PathCertificate): boolean {
  return cert.basic?.cA === true && (cert.keyUsage?.has('keyCertSign') ?? true);
}

/** Signature checks of CRLs already made, by CRL and issuer key (both parsed per validation). */
const verifiedCrls = new WeakMap<PathCrl, WeakMap<Uint8Array, Promise<boolean | string>>>();

/**
 * Checks `cert` against the CRLs naming its issuer, and the indirect CRLs (RFC 5280 §5.2.5) of
 * another issuer that one of its distribution points names as cRLIssuer; a CRL of another
 * issuer without indirectCRL is never used. A CRL whose scope (issuing distribution point)
 * leaves `cert` out is passed over. Each other must verify under `issuer`'s key, or under the
 * key of a certificate {@link findCrlSigner} finds (another key of the CA, the indirect CRL's
 * issuer): one that does not (or uses an algorithm the path may not) makes the status
 * undecidable (`crl-invalid`) in every mode (unless a configured CA certificate of the same name
 * with another key, one that issues certificates, signed it: that key's own CRL), as does one
 * that is stale, not yet valid, flawed, or from an issuer not allowed to sign CRLs. A usable
 * complete CRL, or a newer one of the same issuer key and scope seen before, as updated by its
 * newest delta CRL, listing the serial for the certificate's issuer (certificateIssuer entries
 * say whose an entry is) revokes it. The complete CRLs used must together cover every reason
 * (RFC 5280 §6.3.3): CRLs that cover only some leave the status undecided in every mode; none
 * at all fails only when revocation is required.
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
  const revoked: Problem = {
    reason: 'revoked',
    detail: 'The certificate is listed on its issuer’s CRL.',
  };
  const complete: PathCrl[] = [];
  const deltas: PathCrl[] = [];
  let reasons = 0;
  for (const fetched of crls) {
    const indirect = fetched.issuerKey !== cert.issuerKey;
    if (indirect && fetched.idp?.indirect !== true) continue;
    let covers: number;
    try {
      covers = reasonsCovered(fetched.idp, cert, indirect ? fetched.issuerKey : undefined);
    } catch {
      return invalid('the certificate’s CRL distribution points cannot be read');
    }
    if (covers === 0) continue;
    const verified = indirect ? false : await verifyOnce(fetched, issuer.spki, issuerKey, checker);
    let signedBy = issuer;
    if (verified !== true) {
      const other = await findCrlSigner(fetched, cert, issuer, { crls, policy, checker, time });
      if (other === undefined) {
        if (!indirect && isAnotherKeysCrl(fetched, issuer, policy)) continue;
        return invalid(
          indirect
            ? 'no certificate of its issuer that may sign CRLs, with a valid path to the same trust anchor, was given'
            : verified === false
              ? 'its signature does not verify under the issuer’s key'
              : `its signature uses ${verified}`,
        );
      }
      signedBy = other;
    }
    if (signedBy.keyUsage !== undefined && !signedBy.keyUsage.has('cRLSign')) {
      return invalid('its issuer is not allowed to sign CRLs');
    }
    const crl = policy.history.newest(fetched, signedBy.spki);
    policy.relied?.(crl);
    if (crl.flaw !== undefined) return invalid(crl.flaw);
    if (time + policy.skewMs < crl.thisUpdate) return invalid('it is not yet valid');
    // Without nextUpdate a CRL would never go stale: an old one could hide a later revocation.
    if (crl.nextUpdate === undefined) return invalid('it has no nextUpdate');
    if (time - policy.skewMs > crl.nextUpdate) return invalid('it is out of date');
    if (crl.deltaBase !== undefined) {
      deltas.push(crl);
      continue;
    }
    // Only a hold (or an expired certificate's entry) is ever released by a delta CRL.
    const listed = listedReason(crl, cert.serial, cert.issuerKey);
    if (listed >= 0 && listed !== CERTIFICATE_HOLD && listed !== REMOVE_FROM_CRL) return revoked;
    complete.push(crl);
    reasons |= covers;
  }
  for (const base of complete) {
    if (revokedBy(base, deltaFor(base, deltas), cert.serial, cert.issuerKey)) return revoked;
  }
  if (reasons !== 0 && (reasons & ALL_REASONS) !== ALL_REASONS) {
    return {
      reason: 'crl-invalid',
      detail: 'The CRLs of the certificate’s issuer given cover only some revocation reasons.',
    };
  }
  if (policy.require && reasons === 0) {
    return {
      reason: 'crl-invalid',
      detail: 'No current CRL of the certificate’s issuer was given, and revocation is required.',
    };
  }
  return undefined;
}

/**
 * Whether `crl` is the CRL of a configured CA certificate of `issuer`'s name with another key,
 * one that issues certificates (a CA renewed under the same name): that key's own CRL.
 */
function isAnotherKeysCrl(
  crl: PathCrl,
  issuer: PathCertificate,
  policy: RevocationPolicy,
): boolean {
  const signer = policy.signerOf?.(crl);
  return signer !== undefined && !sameBytes(signer.spki, issuer.spki) && issuesCertificates(signer);
}

/** Each CRL is verified once per issuer key, however many paths the search tries. */
function verifyOnce(
  crl: PathCrl,
  spki: Uint8Array,
  key: KeyFacts,
  checker: SignatureChecker,
): Promise<boolean | string> {
  const byKey = getOrInsert(verifiedCrls, crl, () => new WeakMap());
  return getOrInsert(byKey, spki, () =>
    checker.verify(spki, key, crl.algorithm, crl.tbs, crl.signature),
  );
}
