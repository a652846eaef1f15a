/**
 * Whether the certificates below a CA keep within its name constraints: each certificate's
 * names read once, and a bound on the comparisons one certificate may cost. Internal.
 */
import { unreadable } from '../../lib/der.js';
import type { PathCertificate } from './certificate.js';
import type { Problem } from './checks.js';
import { type CertificateNames, certificateNames } from './general-names.js';
import { nameConstraintViolation } from './name-constraints.js';

/**
 * The most name-to-constraint comparisons one certificate may need against one CA: far above
 * what real CAs and cards carry (tens of constraints, a few names), far below the quadratic
 * blow-up a hostile certificate can ask for.
 */
const MAX_COMPARISONS = 1 << 16;

const namesCache = new WeakMap<PathCertificate, CertificateNames | string>();

/** A certificate's names, read once; a string when they cannot be read. */
function namesOf(cert: PathCertificate): CertificateNames | string {
  let names = namesCache.get(cert);
  if (names === undefined) {
    try {
      names = certificateNames(cert.der, cert.subjectName, cert.extensions);
    } catch (error) {
      names = unreadable(error);
    }
    namesCache.set(cert, names);
  }
  return names;
}

/**
 * The problem when `issuer`'s name constraints do not hold for the certificates below it in
 * `chain` (the leaf first): the leaf, and each intermediate that is not self-issued.
 */
export function nameConstraintProblem(
  issuer: PathCertificate,
  chain: readonly { readonly cert: PathCertificate }[],
): Problem | undefined {
  const constraints = issuer.nameConstraints;
  if (constraints === undefined) return undefined;
  const bases = constraints.permitted.length + constraints.excluded.length;
  for (const [index, { cert }] of chain.entries()) {
    if (index > 0 && cert.selfIssued) continue;
    const names = namesOf(cert);
    const count = typeof names === 'string' ? 0 : names.alternatives.length + 1;
    if (count * bases > MAX_COMPARISONS) {
      return {
        reason: 'too-much-work',
        detail: `Checking ${count} names against ${bases} name constraints is more than ${MAX_COMPARISONS} comparisons.`,
      };
    }
    const why =
      typeof names === 'string'
        ? `its names cannot be read (${names})`
        : nameConstraintViolation(constraints, names);
    if (why !== undefined) {
      const role = index === 0 ? 'certificate' : 'an intermediate';
      return { reason: 'name-constraints', detail: `For ${role}, ${why}.` };
    }
  }
  return undefined;
}
