/**
 * The checks on one certificate in its place in a path: the leaf, an intermediate, or a trust
 * anchor. Each returns the first problem found, or `undefined`. Internal.
 */

import * as EXTENSION from '../../lib/x509-extension-oids.js';
import { sameBytes } from './asn1.js';
import type { PathCertificate } from './certificate.js';
import { KNOWN_CRITICAL } from './extensions.js';
import type { KeyUsageName, PathFailure } from './types.js';

/** A problem with a certificate, as a {@link PathFailure} and a sentence.
 *
 * @category Server
 */
export interface Problem {
  readonly reason: PathFailure;
  readonly detail: string;
}

/** anyExtendedKeyUsage: never satisfies a list of required purposes.
 *
 * @category Server
 */
export const ANY_EKU = '2.5.29.37.0';

/** What the leaf must allow.
 *
 * @category Server
 */
export interface LeafRequirements {
  readonly eku: readonly string[] | 'any';
  readonly keyUsage: readonly KeyUsageName[];
}

const problem = (reason: PathFailure, detail: string): Problem => ({ reason, detail });

/** Checks that apply to every certificate in a path. `time` is in whole seconds (ms).
 *
 * @category Server
 */
export function checkAny(cert: PathCertificate, role: string, time: number): Problem | undefined {
  if (time < cert.notBefore) {
    return problem('not-yet-valid', `The ${role} is valid from ${iso(cert.notBefore)}.`);
  }
  if (time > cert.notAfter)
    return problem('expired', `The ${role} expired at ${iso(cert.notAfter)}.`);
  for (const [oid, extension] of cert.extensions) {
    if (extension.critical && !KNOWN_CRITICAL.has(oid)) {
      return problem('unknown-critical-extension', `The ${role} has a critical ${oid} extension.`);
    }
  }
  if (cert.extensions.get(EXTENSION.policyConstraints)?.critical === false) {
    return problem('malformed', `The ${role} has a non-critical policyConstraints extension.`);
  }
  if (cert.extensions.get(EXTENSION.subjectKeyIdentifier)?.critical) {
    return problem('key-identifier', `The ${role} has a critical subjectKeyIdentifier.`);
  }
  if (cert.aki !== undefined) {
    if (cert.extensions.get(EXTENSION.authorityKeyIdentifier)?.critical) {
      return problem('key-identifier', `The ${role} has a critical authorityKeyIdentifier.`);
    }
    if (cert.aki.keyId === undefined || cert.aki.hasIssuerAndSerial) {
      return problem(
        'key-identifier',
        `The ${role}'s authorityKeyIdentifier must hold a key identifier and nothing else.`,
      );
    }
  }
  if (cert.keyUsage?.has('keyCertSign') && cert.basic?.cA !== true) {
    return problem('key-usage', `The ${role} asserts keyCertSign without being a CA.`);
  }
  return undefined;
}

/** Checks on the end-entity certificate.
 *
 * @category Server
 */
export function checkLeaf(
  cert: PathCertificate,
  time: number,
  needs: LeafRequirements,
): Problem | undefined {
  const common = checkAny(cert, 'certificate', time);
  if (common !== undefined) return common;
  if (cert.basic?.cA === true) {
    return problem('not-a-ca', 'The certificate is a CA certificate, not an end entity.');
  }
  if (cert.aki === undefined && !cert.selfIssued) {
    return problem('key-identifier', 'The certificate has no authorityKeyIdentifier.');
  }
  if (cert.nameConstraints !== undefined) {
    return problem('malformed', 'The certificate has nameConstraints, which only a CA may carry.');
  }
  if (needs.eku !== 'any') {
    const eku = cert.eku ?? [];
    if (!needs.eku.some((oid) => oid !== ANY_EKU && eku.includes(oid))) {
      return problem(
        'eku',
        `The certificate's extended key usage allows none of ${needs.eku.join(', ')}.`,
      );
    }
  }
  const missing = needs.keyUsage.filter((name) => cert.keyUsage?.has(name) === false);
  if (missing.length > 0) {
    return problem('key-usage', `The certificate's key usage lacks ${missing.join(', ')}.`);
  }
  return undefined;
}

/** Checks on a certificate that issues another: an intermediate or a trust anchor.
 *
 * @category Server
 */
export function checkIssuer(
  cert: PathCertificate,
  anchor: boolean,
  time: number,
): Problem | undefined {
  const role = anchor ? 'trust anchor' : 'intermediate';
  const common = checkAny(cert, role, time);
  if (common !== undefined) return common;
  if (cert.basic?.cA !== true) {
    return problem('not-a-ca', `The ${role} is not a CA (basicConstraints cA is not set).`);
  }
  if (cert.extensions.get(EXTENSION.basicConstraints)?.critical !== true) {
    return problem('not-a-ca', `The ${role}'s basicConstraints is not critical.`);
  }
  if (cert.keyUsage !== undefined && !cert.keyUsage.has('keyCertSign')) {
    return problem('key-usage', `The ${role}'s key usage lacks keyCertSign.`);
  }
  if (cert.subjectEmpty) return problem('malformed', `The ${role} has an empty subject.`);
  if (cert.ski === undefined) {
    return problem('key-identifier', `The ${role} has no subjectKeyIdentifier.`);
  }
  if (!anchor && cert.aki === undefined && !cert.selfIssued) {
    return problem('key-identifier', `The ${role} has no authorityKeyIdentifier.`);
  }
  if (anchor && cert.selfIssued && cert.aki?.keyId !== undefined) {
    if (!sameBytes(cert.aki.keyId, cert.ski)) {
      return problem('key-identifier', `The ${role}'s own key identifiers disagree.`);
    }
  }
  return undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
