/**
 * The certificate policy extensions (RFC 5280 §4.2.1.4, .5, .11, .14) as path validation reads
 * them: the policies a certificate asserts, the mappings a CA makes between its domain's
 * policies and its subjects', and the CA's constraints on what follows. Each throws
 * {@link DerError} on what breaks their syntax. Internal.
 */
import { DerError, readSingle, type Tlv } from '../../lib/der.js';
import { contentOf, expect, oidOf, sequence, smallIntegerOf } from '../../lib/der-values.js';
import { sequenceOf } from '../../lib/x509-extensions.js';

/** anyPolicy (2.5.29.32.0). */
export const ANY_POLICY = '2.5.29.32.0';

/** What the policy extensions of one certificate say. */
export interface CertificatePolicyFacts {
  /** certificatePolicies: the policy OIDs (qualifiers are not read). */
  readonly policies?: readonly string[];
  /** policyMappings: issuerDomainPolicy → the subjectDomainPolicies it maps to. */
  readonly policyMappings?: ReadonlyMap<string, readonly string[]>;
  /** policyConstraints' two skip counts, each when present. */
  readonly policyConstraints?: {
    readonly requireExplicit?: number;
    readonly inhibitMapping?: number;
  };
  /** inhibitAnyPolicy's skip count. */
  readonly inhibitAnyPolicy?: number;
}

/** certificatePolicies: `SEQUENCE SIZE (1..MAX) OF PolicyInformation`, each OID once. */
export function certificatePolicies(value: Uint8Array): string[] {
  const policies = sequenceOf(value).map((information) => {
    const [identifier, qualifiers, extra] = sequence(value, information);
    expect(extra === undefined, 'a PolicyInformation with extra fields');
    if (qualifiers !== undefined) expect(qualifiers.tag === 0x30, 'bad policy qualifiers');
    return oidOf(value, identifier);
  });
  expect(policies.length > 0, 'an empty certificatePolicies');
  expect(new Set(policies).size === policies.length, 'a certificate policy appears twice');
  return policies;
}

/** policyMappings: `SEQUENCE SIZE (1..MAX) OF SEQUENCE { issuerDomainPolicy, subjectDomainPolicy }`. */
export function policyMappings(value: Uint8Array): Map<string, string[]> {
  const pairs = sequenceOf(value);
  expect(pairs.length > 0, 'an empty policyMappings');
  const mappings = new Map<string, string[]>();
  for (const pair of pairs) {
    const [issuerPolicy, subjectPolicy, extra] = sequence(value, pair);
    expect(extra === undefined, 'a policy mapping with extra fields');
    const from = oidOf(value, issuerPolicy);
    const to = oidOf(value, subjectPolicy);
    expect(from !== ANY_POLICY && to !== ANY_POLICY, 'anyPolicy is mapped');
    const targets = mappings.get(from) ?? [];
    if (!targets.includes(to)) targets.push(to);
    mappings.set(from, targets);
  }
  return mappings;
}

/** A `[n] IMPLICIT SkipCerts` (INTEGER 0..MAX), as a number. */
function skipCerts(value: Uint8Array, tlv: Tlv): number {
  const bytes = contentOf(value, tlv);
  expect(bytes.length > 0 && bytes.length <= 6, 'a SkipCerts out of range');
  expect(((bytes[0] as number) & 0x80) === 0, 'a negative SkipCerts');
  expect(
    bytes.length === 1 || bytes[0] !== 0 || ((bytes[1] as number) & 0x80) !== 0,
    'a padded SkipCerts',
  );
  return bytes.reduce((number, byte) => number * 256 + byte, 0);
}

/** policyConstraints: `SEQUENCE { [0] requireExplicitPolicy, [1] inhibitPolicyMapping }`, not empty. */
export function policyConstraints(value: Uint8Array): {
  requireExplicit?: number;
  inhibitMapping?: number;
} {
  const parts = sequenceOf(value);
  expect(parts.length > 0, 'an empty policyConstraints');
  const out: { requireExplicit?: number; inhibitMapping?: number } = {};
  let last = -1;
  for (const part of parts) {
    const index = part.tag - 0x80;
    if (index !== 0 && index !== 1) throw new DerError('policyConstraints holds something else');
    expect(index > last, 'policyConstraints out of order');
    last = index;
    if (index === 0) out.requireExplicit = skipCerts(value, part);
    else out.inhibitMapping = skipCerts(value, part);
  }
  return out;
}

/** inhibitAnyPolicy: `SkipCerts ::= INTEGER (0..MAX)`. */
export function inhibitAnyPolicy(value: Uint8Array): number {
  return smallIntegerOf(value, readSingle(value));
}
