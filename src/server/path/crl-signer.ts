/**
 * Who signed a CRL when the certificate issuer's key did not (RFC 5280 §6.3.3 (f)): another key
 * of the same CA (a separate CRL-signing key with its own certificate of the same name and
 * cRLSign, or the CA's new key after a rollover), or, for an indirect CRL (§5.2.5), the CRL
 * issuer a distribution point names. The signer is found among the path's certificates and
 * trusted only when its own path, checked against the CRLs given too, and the certificate
 * issuer's end at the same trust anchor. Internal.
 */
import { sameBytes } from './asn1.js';
import { buildPath, type PathNode } from './build.js';
import type { PathCertificate } from './certificate.js';
import type { PathCrl } from './crl.js';
import { ANY_POLICY } from './policy-extensions.js';
import { CrlHistory, type RevocationPolicy } from './revocation.js';
import { CheckBudgetExceeded, type SignatureChecker } from './signature.js';

/** What a search for a CRL's signer may use: the certificates and bounds of the path search.
 *
 * @category Server
 */
export interface SignerSearch {
  readonly nodes: readonly PathNode[];
  readonly maxDepth: number;
  readonly maxWork: number;
}

/** The revocation check a CRL's signer is looked for in.
 *
 * @category Server
 */
export interface SignerContext {
  /** The CRLs given: the signer's own path is checked against them. */
  readonly crls: readonly PathCrl[];
  readonly policy: RevocationPolicy;
  readonly checker: SignatureChecker;
  readonly time: number;
}

const ANY = {
  initialPolicySet: [ANY_POLICY],
  initialExplicitPolicy: false,
  initialPolicyMappingInhibit: false,
  initialAnyPolicyInhibit: false,
};

/**
 * The certificate other than `issuer` that signed `crl` and may be relied on for `cert` at
 * `time`: the CRL issuer's name, a key that verifies the CRL, cRLSign (when it has keyUsage),
 * within its validity, and a path to the trust anchor `issuer`'s own path ends at, valid
 * against the CRLs given (its own revocation included). That path is checked one level deep,
 * as OpenSSL checks a CRL's path: a CRL about the signer must be signed by its issuer's key, or
 * by the signer itself, whose word on its own standing it then is (a CRL listing its own
 * signer revokes it; the issuer's key can still revoke the signer on its own CRL). `undefined`
 * when none.
 */
export async function findCrlSigner(
  crl: PathCrl,
  cert: PathCertificate,
  issuer: PathCertificate,
  context: SignerContext,
): Promise<PathCertificate | undefined> {
  const inCheck = context.policy.signerInCheck;
  if (inCheck !== undefined) {
    if (inCheck.cert !== cert || !(await mayHaveSigned(inCheck, crl, context))) return undefined;
    return inCheck.cert;
  }
  const search = context.policy.signers;
  if (search === undefined) return undefined;
  const anchorsOfIssuer = await anchorsOf(issuer, search, context);
  if (anchorsOfIssuer.size === 0) return undefined;
  for (const node of search.nodes) {
    if (sameBytes(node.cert.spki, issuer.spki)) continue; // the issuer's key did not sign it
    if (!(await mayHaveSigned(node, crl, context))) continue;
    const anchors = await anchorsOf(node.cert, search, context, node);
    if ([...anchors].some((anchor) => anchorsOfIssuer.has(anchor))) return node.cert;
  }
  return undefined;
}

/** Whether `node`'s certificate may sign CRLs of `crl`'s issuer at the time, and signed `crl`. */
async function mayHaveSigned(
  node: PathNode,
  crl: PathCrl,
  { checker, time }: SignerContext,
): Promise<boolean> {
  const signer = node.cert;
  if (signer.subjectKey !== crl.issuerKey || typeof node.key === 'string') return false;
  if (signer.keyUsage !== undefined && !signer.keyUsage.has('cRLSign')) return false;
  if (time < signer.notBefore || time > signer.notAfter) return false;
  const verified = await checker.verify(
    signer.spki,
    node.key,
    crl.algorithm,
    crl.tbs,
    crl.signature,
  );
  return verified === true;
}

/**
 * The trust anchor a valid path from `cert` ends at (itself when it is one), as a set. The
 * path of `signer` (a CRL's signer) is checked against the CRLs given, without a further
 * search for CRL signers; any other path (the certificate issuer's) without CRLs: the path
 * being validated checks the issuer's revocation itself.
 */
async function anchorsOf(
  cert: PathCertificate,
  search: SignerSearch,
  context: SignerContext,
  signer?: PathNode,
): Promise<Set<PathCertificate>> {
  const node = search.nodes.find((candidate) => candidate.cert === cert);
  if (node?.anchor) return new Set([cert]);
  if (node === undefined || typeof node.key === 'string') return new Set();
  const { policy } = context;
  const found = await buildPath(node, search.nodes, {
    time: context.time,
    maxDepth: search.maxDepth,
    maxWork: search.maxWork,
    crls: signer === undefined ? [] : context.crls,
    revocation:
      signer === undefined
        ? { require: false, skewMs: 0, history: new CrlHistory() }
        : {
            require: policy.require,
            skewMs: policy.skewMs,
            history: policy.history,
            ...(policy.relied === undefined ? {} : { relied: policy.relied }),
            ...(policy.signerOf === undefined ? {} : { signerOf: policy.signerOf }),
            signerInCheck: signer,
          },
    checker: context.checker,
    purposes: 'any',
    policy: ANY,
  });
  // Out of work on the way is out of work for the whole validation, not a missing signer.
  if (!Array.isArray(found) && found.reason === 'too-much-work') {
    throw new CheckBudgetExceeded(found.detail);
  }
  const anchor = Array.isArray(found) ? found[found.length - 1] : undefined;
  return anchor === undefined ? new Set() : new Set([anchor.cert]);
}
