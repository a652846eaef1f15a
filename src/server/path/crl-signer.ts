/**
 * A CRL signed by another key of its issuer (RFC 5280 §6.3.3 (f)): a separate CRL-signing key
 * with its own certificate (same name, cRLSign), or the CA's new key after a key rollover.
 * The signer is found among the path's certificates, and trusted only when its own path and the
 * certificate issuer's end at the same trust anchor, at the same time. Internal.
 */
import { sameBytes } from './asn1.js';
import { buildPath, type PathNode } from './build.js';
import type { PathCertificate } from './certificate.js';
import type { PathCrl } from './crl.js';
import { ANY_POLICY } from './policy-extensions.js';
import { CrlHistory } from './revocation.js';
import type { SignatureChecker } from './signature.js';

/** What a search for a CRL's signer may use: the certificates and bounds of the path search.
 *
 * @category Server
 */
export interface SignerSearch {
  readonly nodes: readonly PathNode[];
  readonly maxDepth: number;
  readonly maxWork: number;
}

const ANY = {
  initialPolicySet: [ANY_POLICY],
  initialExplicitPolicy: false,
  initialPolicyMappingInhibit: false,
  initialAnyPolicyInhibit: false,
};

/**
 * The certificate of another key of `issuer` that signed `crl` and may be relied on at `time`:
 * the same name, a key that verifies the CRL, cRLSign (when it has keyUsage), within its
 * validity, and a path to the trust anchor `issuer`'s own path ends at. `undefined` when none.
 * The signer's own revocation is not checked (its path is validated without CRLs).
 */
export async function findCrlSigner(
  crl: PathCrl,
  issuer: PathCertificate,
  search: SignerSearch,
  checker: SignatureChecker,
  time: number,
): Promise<PathCertificate | undefined> {
  const anchorsOfIssuer = await anchorsOf(issuer, search, checker, time);
  if (anchorsOfIssuer.size === 0) return undefined;
  for (const node of search.nodes) {
    const signer = node.cert;
    if (signer.subjectKey !== crl.issuerKey || typeof node.key === 'string') continue;
    if (sameBytes(signer.spki, issuer.spki)) continue; // the issuer's key did not sign it
    if (signer.keyUsage !== undefined && !signer.keyUsage.has('cRLSign')) continue;
    if (time < signer.notBefore || time > signer.notAfter) continue;
    const verified = await checker.verify(
      signer.spki,
      node.key,
      crl.algorithm,
      crl.tbs,
      crl.signature,
    );
    if (verified !== true) continue;
    const anchors = await anchorsOf(signer, search, checker, time);
    if ([...anchors].some((anchor) => anchorsOfIssuer.has(anchor))) return signer;
  }
  return undefined;
}

/** The trust anchor a valid path from `cert` ends at (itself when it is one), as a set. */
async function anchorsOf(
  cert: PathCertificate,
  search: SignerSearch,
  checker: SignatureChecker,
  time: number,
): Promise<Set<PathCertificate>> {
  const node = search.nodes.find((candidate) => candidate.cert === cert);
  if (node?.anchor) return new Set([cert]);
  if (node === undefined || typeof node.key === 'string') return new Set();
  const found = await buildPath(node, search.nodes, {
    time,
    maxDepth: search.maxDepth,
    maxWork: search.maxWork,
    crls: [],
    revocation: { require: false, skewMs: 0, history: new CrlHistory() },
    checker,
    purposes: 'any',
    policy: ANY,
  });
  const anchor = Array.isArray(found) ? found[found.length - 1] : undefined;
  return anchor === undefined ? new Set() : new Set([anchor.cert]);
}
