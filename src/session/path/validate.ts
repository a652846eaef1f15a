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
import { buildPath, type PathNode } from './build.js';
import { type PathCertificate, parseCertificate } from './certificate.js';
import { ANY_EKU, checkLeaf } from './checks.js';
import { type PathCrl, parseCrl } from './crl.js';
import { readPathOptions } from './options.js';
import { keyFacts, SignatureChecker } from './signature.js';
import type { PathFailure, PathResult, PathValidationOptions } from './types.js';

/**
 * Builds and checks a certification path from `leaf` to one of `trustAnchors`.
 *
 * The search goes depth first from the leaf over issuers whose subject equals the issuer name
 * (DER, byte for byte), preferring trust anchors and matching key identifiers, never using a
 * certificate twice, and trying alternatives when a branch fails. On each element it checks the
 * validity window at `time` (to the whole second), the issuer's signature (RSA ≥ 2048 bits or
 * ECDSA P-256/384/521 with SHA-2), critical basicConstraints with cA on issuers (anchors
 * included), pathLenConstraint (self-issued intermediates not counted), keyCertSign when an
 * issuer has keyUsage, subject and authority key identifiers, unknown critical extensions, and
 * CRLs of the issuer. On the leaf: not a CA, the required EKU (anyExtendedKeyUsage does not
 * satisfy a list) and key usage. Bad certificates never throw: the result says why.
 *
 * @throws `InvalidInputError` when an option has the wrong type.
 * @example
 * ```ts
 * import { validateCertificatePath } from 'smartcard-2fa/session';
 *
 * declare const leaf: Uint8Array, issuingCa: Uint8Array, root: Uint8Array;
 * const result = await validateCertificatePath({
 *   leaf,
 *   intermediates: [issuingCa],
 *   trustAnchors: [root],
 * });
 * if (!result.valid) console.warn(`sign-in refused: ${result.reason} (${result.detail})`);
 * ```
 */
export async function validateCertificatePath(options: PathValidationOptions): Promise<PathResult> {
  const settings = readPathOptions(options);
  const crypto = await getCrypto(options.crypto === undefined ? {} : { crypto: options.crypto });
  const clock = options.clock ?? systemClock;
  const at = options.time === undefined ? clock.now() : new Date(options.time).getTime();
  const time = Math.floor(at / 1000) * 1000;

  const leaf = parseCertificate(options.leaf);
  if (typeof leaf === 'string') return fail('malformed', `The certificate is malformed: ${leaf}.`);
  const crls: PathCrl[] = [];
  for (const der of options.crls ?? []) {
    const crl = parseCrl(der);
    if (typeof crl === 'string') return fail('malformed', `A CRL is malformed: ${crl}.`);
    crls.push(crl);
  }
  const leafProblem = checkLeaf(leaf, time, settings);
  if (leafProblem !== undefined) return fail(leafProblem.reason, leafProblem.detail);
  const leafKey = keyFacts(leaf.spki);
  if (typeof leafKey === 'string')
    return fail('unsupported-key', `The certificate has ${leafKey}.`);

  const nodes = collectNodes(leaf, options.trustAnchors, options.intermediates ?? []);
  const found = await buildPath({ cert: leaf, key: leafKey, anchor: false }, nodes, {
    time,
    maxDepth: settings.maxDepth,
    maxWork: settings.maxWork,
    crls,
    requireRevocation: options.revocation === 'require',
    checker: new SignatureChecker(crypto),
    purposes:
      settings.eku === 'any'
        ? 'any'
        : settings.eku.filter((oid) => oid !== ANY_EKU && (leaf.eku ?? []).includes(oid)),
  });
  if (!Array.isArray(found)) return fail(found.reason, found.detail);
  return { valid: true, path: found.map((node) => new Uint8Array(node.cert.der)) };
}

/** Parses anchors then intermediates, dropping unparseable ones and duplicates (anchors win). */
function collectNodes(
  leaf: PathCertificate,
  anchors: readonly Uint8Array[],
  intermediates: readonly Uint8Array[],
): PathNode[] {
  const nodes: PathNode[] = [];
  const seen: Uint8Array[] = [leaf.der];
  const add = (der: Uint8Array, anchor: boolean) => {
    if (seen.some((other) => sameBytes(other, der))) return;
    seen.push(der);
    const cert = parseCertificate(der);
    if (typeof cert !== 'string') nodes.push({ cert, key: keyFacts(cert.spki), anchor });
  };
  for (const der of anchors) add(der, true);
  for (const der of intermediates) add(der, false);
  return nodes;
}

function fail(reason: PathFailure, detail: string): PathResult {
  return { valid: false, reason, detail };
}
