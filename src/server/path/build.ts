/**
 * Path building: a depth-first search from the leaf towards the trust anchors, over issuers
 * whose subject matches the issuer name as RFC 5280 §7.1 compares names (key identifiers order and prune the
 * candidates). A certificate is never used twice in one path, so cycles end; every signature
 * check counts against a work budget, so adversarial bundles end too. Internal.
 */
import { sameBytes } from './asn1.js';
import type { PathCertificate } from './certificate.js';
import { ANY_EKU, checkIssuer, type Problem } from './checks.js';
import type { PathCrl } from './crl.js';
import { nameConstraintProblem } from './name-constraint-check.js';
import type { OcspSession } from './ocsp/check.js';
import { type PolicyInputs, processPolicies } from './policy-tree.js';
import { checkRevocation, type RevocationPolicy } from './revocation.js';
import { CheckBudgetExceeded, type KeyFacts, type SignatureChecker } from './signature.js';

/** A certificate the search may use, with its key facts.
 *
 * @category Server
 */
export interface PathNode {
  readonly cert: PathCertificate;
  readonly key: KeyFacts | string;
  readonly anchor: boolean;
}

/** What the search needs besides the certificates.
 *
 * @category Server
 */
export interface SearchContext {
  readonly time: number;
  readonly maxDepth: number;
  readonly maxWork: number;
  readonly crls: readonly PathCrl[];
  readonly revocation: RevocationPolicy;
  readonly checker: SignatureChecker;
  /**
   * The required purposes the leaf has. An issuer with an extended key usage extension (other
   * than anyExtendedKeyUsage) must allow one of them: EKUs nest down a path, as Windows' CryptoAPI
   * and the CA/Browser Forum treat them. `'any'` when no purpose is required.
   */
  readonly purposes: readonly string[] | 'any';
  /** The certificate policy inputs: a path whose policies fail them is not taken. */
  readonly policy: PolicyInputs;
  /** OCSP, when the validation asks responders (see `ocsp/check.ts`). */
  readonly ocsp?: OcspSession;
}

/** Whether an issuer's EKU (if it has one) allows one of the leaf's purposes. */
function allowsPurposes(cert: PathCertificate, purposes: readonly string[] | 'any'): boolean {
  if (purposes === 'any' || cert.eku === undefined || cert.eku.includes(ANY_EKU)) return true;
  return purposes.some((oid) => cert.eku?.includes(oid));
}

class OutOfWork extends Error {}

/** Finds a valid path from `leaf` to an anchor among `nodes`, or the most telling problem.
 *
 * @category Server
 */
export async function buildPath(
  leaf: PathNode,
  nodes: readonly PathNode[],
  context: SearchContext,
): Promise<PathNode[] | Problem> {
  let work = 0;
  let best: { problem: Problem; depth: number } | undefined;
  const issuerProblems = new Map<PathNode, Problem | undefined>();
  const note = (problem: Problem, depth: number) => {
    if (best === undefined || depth > best.depth) best = { problem, depth };
  };

  const extend = async (chain: PathNode[]): Promise<PathNode[] | undefined> => {
    const current = chain[chain.length - 1] as PathNode;
    const below = chain.slice(1).filter((node) => !node.cert.selfIssued).length;
    for (const candidate of candidates(current, chain, nodes)) {
      const depth = chain.length;
      if (!issuerProblems.has(candidate)) {
        issuerProblems.set(candidate, checkIssuer(candidate.cert, candidate.anchor, context.time));
      }
      const problem = issuerProblems.get(candidate);
      if (problem !== undefined) {
        note(problem, depth);
        continue;
      }
      if (typeof candidate.key === 'string') {
        note({ reason: 'unsupported-key', detail: `An issuer has ${candidate.key}.` }, depth);
        continue;
      }
      if (!allowsPurposes(candidate.cert, context.purposes)) {
        note(
          {
            reason: 'eku',
            detail: `An issuer's extended key usage does not allow the certificate's purpose.`,
          },
          depth,
        );
        continue;
      }
      const constrained = nameConstraintProblem(candidate.cert, chain);
      if (constrained !== undefined) {
        note(constrained, depth);
        continue;
      }
      const pathLen = candidate.cert.basic?.pathLen;
      if (pathLen !== undefined && below > pathLen) {
        note(
          { reason: 'path-length', detail: `An issuer allows ${pathLen} intermediates below it.` },
          depth,
        );
        continue;
      }
      const counted = below + (candidate.anchor || candidate.cert.selfIssued ? 0 : 1);
      if (counted > context.maxDepth) {
        note(
          {
            reason: 'too-deep',
            detail: `The path needs more than ${context.maxDepth} intermediates.`,
          },
          depth,
        );
        continue;
      }
      work += 1;
      if (work > context.maxWork) throw new OutOfWork();
      const subjectCert = current.cert;
      const verified = await context.checker.verify(
        candidate.cert.spki,
        candidate.key,
        subjectCert.algorithm,
        subjectCert.tbs,
        subjectCert.signature,
      );
      if (verified !== true) {
        const detail =
          verified === false
            ? 'A signature does not verify under its issuer’s key.'
            : `A certificate uses ${verified}.`;
        note({ reason: verified === false ? 'signature' : 'unsupported-key', detail }, depth);
        continue;
      }
      // OCSP first: a revoked answer fails, a good one stands in for a required CRL.
      const ocsp = await context.ocsp?.verdict(subjectCert, candidate.cert, candidate.key);
      if (ocsp !== undefined && ocsp !== 'good') {
        note(ocsp, depth);
        continue;
      }
      const revocation = await checkRevocation(
        subjectCert,
        candidate.cert,
        candidate.key,
        context.crls,
        context.checker,
        context.time,
        ocsp === 'good' ? { ...context.revocation, require: false } : context.revocation,
      );
      if (revocation !== undefined) {
        note(revocation, depth);
        continue;
      }
      const next = [...chain, candidate];
      if (candidate.anchor) {
        const policies = pathPolicies(next, context.policy);
        if ('reason' in policies) {
          note(policies, depth);
          continue;
        }
        return next;
      }
      const found = await extend(next);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  try {
    const found = await extend([leaf]);
    if (found !== undefined) return found;
  } catch (error) {
    if (error instanceof CheckBudgetExceeded) {
      return {
        reason: 'too-much-work',
        detail: `No path was found within the signature checks allowed (${error.message}).`,
      };
    }
    if (!(error instanceof OutOfWork)) throw error;
    return {
      reason: 'too-much-work',
      detail: `No path was found within ${context.maxWork} signature checks.`,
    };
  }
  return (
    best?.problem ?? {
      reason: 'no-path',
      detail: 'No issuer of the certificate leads to a trust anchor.',
    }
  );
}

/**
 * Policy processing over a complete `path` (leaf first, the anchor last): the anchor is the
 * trust anchor of RFC 5280 §6.1, not processed; the others from its child down to the leaf.
 */
export function pathPolicies(
  path: readonly PathNode[],
  inputs: PolicyInputs,
): ReturnType<typeof processPolicies> {
  return processPolicies(
    path
      .slice(0, -1)
      .map((node) => node.cert)
      .reverse(),
    inputs,
  );
}

/** Issuers of `current` not yet in `chain`: anchors first, then matching key identifiers. */
function candidates(
  current: PathNode,
  chain: readonly PathNode[],
  nodes: readonly PathNode[],
): PathNode[] {
  const keyId = current.cert.aki?.keyId;
  const matches = nodes.filter((node) => {
    if (chain.includes(node) || node.cert.subjectKey !== current.cert.issuerKey) return false;
    return keyId === undefined || node.cert.ski === undefined || sameBytes(keyId, node.cert.ski);
  });
  const rank = (node: PathNode) =>
    (node.anchor ? 0 : 2) - (keyId !== undefined && node.cert.ski !== undefined ? 1 : 0);
  return matches.sort((a, b) => rank(a) - rank(b));
}
