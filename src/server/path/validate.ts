/**
 * `validateCertificatePath`: the server-side check that a sign-in certificate chains to a trust
 * anchor, with the constraints pkijs' chain engine leaves out (EKU, pathLenConstraint, key
 * identifiers, critical extensions, revocation) and bounds on depth and work.
 *
 * @module
 */
import { systemClock } from '../../clock.js';
import { getCrypto } from '../../crypto.js';
import { sameBytes } from './asn1.js';
import { buildPath, type PathNode, pathPolicies } from './build.js';
import { type PathCertificate, parseCertificate } from './certificate.js';
import { ANY_EKU, checkLeaf, type Problem } from './checks.js';
import { type PathCrl, parseCrl } from './crl.js';
import { OcspSession } from './ocsp/check.js';
import { type PathSettings, readPathOptions } from './options.js';
import { CrlHistory, checkRevocation, type RevocationPolicy } from './revocation.js';
import { keyFacts, SignatureChecker } from './signature.js';
import type { PathFailure, PathResult, PathValidationOptions } from './types.js';

/**
 * Builds and checks a certification path from `leaf` to one of `trustAnchors`.
 *
 * The search goes depth first from the leaf over issuers whose subject equals the issuer name
 * (as RFC 5280 §7.1 compares names: case, spaces and PrintableString or UTF8String do not
 * matter), preferring trust anchors and matching key identifiers, never using a
 * certificate twice, and trying alternatives when a branch fails. On each element it checks the
 * validity window at `time` (to the whole second), the issuer's signature (RSA of 2048 to 4096
 * bits with an exponent up to 2³²−1, or ECDSA P-256/384/521, with SHA-2), critical
 * basicConstraints with cA on issuers (anchors included), pathLenConstraint (self-issued
 * intermediates not counted), keyCertSign when an issuer has keyUsage, subject and authority
 * key identifiers, unknown critical extensions, and CRLs of the issuer. On the leaf: not a CA,
 * the required EKU (anyExtendedKeyUsage does not satisfy a list) and key usage. Bad
 * certificates never throw: the result says why.
 *
 * @throws `InvalidInputError` when an option has the wrong type.
 * @example
 * ```ts
 * import { validateCertificatePath } from 'smartcard-2fa/server';
 *
 * declare const leaf: Uint8Array, issuingCa: Uint8Array, root: Uint8Array;
 * const result = await validateCertificatePath({
 *   leaf,
 *   intermediates: [issuingCa],
 *   trustAnchors: [root],
 * });
 * if (!result.valid) console.warn(`sign-in refused: ${result.reason} (${result.detail})`);
 * ```
 *
 * @category Server
 */
export async function validateCertificatePath(options: PathValidationOptions): Promise<PathResult> {
  const settings = readPathOptions(options);
  const crypto = await getCrypto(options.crypto === undefined ? {} : { crypto: options.crypto });
  const clock = options.clock ?? systemClock;
  const at = options.time === undefined ? clock.now() : new Date(options.time).getTime();

  const leaf = parseCertificate(options.leaf);
  if (typeof leaf === 'string') return fail('malformed', `The certificate is malformed: ${leaf}.`);
  const crls: PathCrl[] = [];
  for (const der of options.crls ?? []) {
    const crl = parseCrl(der);
    if (typeof crl === 'string') return fail('malformed', `A CRL is malformed: ${crl}.`);
    crls.push(crl);
  }
  const search: PathSearch = {
    leaf,
    nodes: [
      ...parseNodes(options.trustAnchors, true, [leaf.der]),
      ...parseNodes(options.intermediates ?? [], false, [leaf.der, ...options.trustAnchors]),
    ],
    crls,
    settings,
    time: at,
    revocation: {
      require: options.revocation === 'require',
      skewMs: settings.crlClockSkewMs,
      history: new CrlHistory(),
    },
    // Issuers' signatures (at most maxWork), CRLs' and OCSP responses' together.
    checker: new SignatureChecker(crypto, undefined, undefined, 2 * settings.maxWork),
  };
  const ocsp = openOcspSession(search, crypto);
  const found = await searchPath(ocsp === undefined ? search : { ...search, ocsp });
  if (!Array.isArray(found)) return fail(found.reason, found.detail);
  const policies = pathPolicies(found, settings.policy);
  return {
    valid: true,
    path: found.map((node) => new Uint8Array(node.cert.der)),
    policies: 'reason' in policies ? [] : policies.policies,
  };
}

/** What {@link searchPath} needs: everything parsed, so a caller may parse once for many.
 *
 * @category Server
 */
export interface PathSearch {
  readonly leaf: PathCertificate;
  /** Anchors and intermediates, without duplicates (see {@link parseNodes}). */
  readonly nodes: readonly PathNode[];
  readonly crls: readonly PathCrl[];
  readonly settings: PathSettings;
  /** ms since 1970; checked to the whole second. */
  readonly time: number;
  readonly revocation: RevocationPolicy;
  readonly checker: SignatureChecker;
  /** OCSP for this validation (see {@link openOcspSession}); none when not given. */
  readonly ocsp?: OcspSession;
}

/** The leaf's checks and the path search: the valid path (leaf first), or the problem. Internal.
 *
 * @category Server
 */
export async function searchPath(search: PathSearch): Promise<PathNode[] | Problem> {
  const { leaf, settings } = search;
  const time = Math.floor(search.time / 1000) * 1000;
  const leafProblem = checkLeaf(leaf, time, settings);
  if (leafProblem !== undefined) return leafProblem;
  const leafKey = keyFacts(leaf.spki);
  if (typeof leafKey === 'string') {
    return { reason: 'unsupported-key', detail: `The certificate has ${leafKey}.` };
  }
  return buildPath({ cert: leaf, key: leafKey, anchor: false }, search.nodes, {
    ...(search.ocsp === undefined ? {} : { ocsp: search.ocsp }),
    time,
    maxDepth: settings.maxDepth,
    maxWork: settings.maxWork,
    crls: search.crls,
    revocation: {
      ...search.revocation,
      signers: { nodes: search.nodes, maxDepth: settings.maxDepth, maxWork: settings.maxWork },
    },
    checker: search.checker,
    policy: settings.policy,
    purposes:
      settings.eku === 'any'
        ? 'any'
        : settings.eku.filter((oid) => oid !== ANY_EKU && (leaf.eku ?? []).includes(oid)),
  });
}

/**
 * The OCSP state of one validation when `search.settings` asks for OCSP (else `undefined`):
 * responses are checked with `search.checker` (counting toward its bound), a delegated
 * responder's certificate against `search.crls` under `search.revocation`, and at most
 * `maxWork` requests are sent. One per validation: it asks about each certificate once.
 *
 * @category Server
 */
export function openOcspSession(
  search: Omit<PathSearch, 'ocsp'>,
  crypto: Crypto,
): OcspSession | undefined {
  const { settings, checker, crls } = search;
  if (settings.ocsp === undefined) return undefined;
  const time = Math.floor(search.time / 1000) * 1000;
  const policy: RevocationPolicy = {
    ...search.revocation,
    signers: { nodes: search.nodes, maxDepth: settings.maxDepth, maxWork: settings.maxWork },
  };
  return new OcspSession(
    settings.ocsp,
    {
      crypto,
      checker,
      time,
      responderRevocation: (responder, issuer, issuerKey) =>
        checkRevocation(responder, issuer, issuerKey, crls, checker, time, policy),
    },
    settings.maxWork,
  );
}

/**
 * Parses certificates as path nodes, dropping unparseable ones and any whose bytes are in
 * `skip` or earlier in `ders` (so anchors, parsed first and skipped by intermediates, win).
 *
 * @category Server
 */
export function parseNodes(
  ders: readonly Uint8Array[],
  anchor: boolean,
  skip: readonly Uint8Array[] = [],
): PathNode[] {
  const nodes: PathNode[] = [];
  const seen: Uint8Array[] = [...skip];
  for (const der of ders) {
    if (seen.some((other) => sameBytes(other, der))) continue;
    seen.push(der);
    const cert = parseCertificate(der);
    if (typeof cert !== 'string') nodes.push({ cert, key: keyFacts(cert.spki), anchor });
  }
  return nodes;
}

function fail(reason: PathFailure, detail: string): PathResult {
  return { valid: false, reason, detail };
}
