/**
 * Certificate policies (RFC 5280 §6.1): the valid policy tree, the initial policy set and the
 * explicit-policy, mapping-inhibit and any-policy-inhibit inputs, policyMappings,
 * policyConstraints and inhibitAnyPolicy. Each case also runs through `openssl verify
 * -policy_check` with the same inputs, which must agree.
 */
import * as asn1js from 'asn1js';
import { beforeAll, describe, expect, it } from 'vitest';
import { integer, oid, sequence, tlv } from '../../../src/lib/der-write.js';
import { toPem } from '../../../src/lib/pem.js';
import { type PathValidationOptions, validateCertificatePath } from '../../../src/server/index.js';
import { hasOpenssl, openssl, scratch } from '../../support/openssl.js';
import { ext, type Issued, issue, NOW } from './support/issue.js';

const ANY = '2.5.29.32.0';
const A = '1.3.6.1.4.1.55738.1.1';
const B = '1.3.6.1.4.1.55738.1.2';
const C = '1.3.6.1.4.1.55738.1.3';

const asBlock = (der: Uint8Array) => asn1js.fromBER(der.slice().buffer).result;
const policies = (...oids: string[]) =>
  ext('2.5.29.32', asBlock(sequence(...oids.map((policy) => sequence(oid(policy))))));
const mappings = (...pairs: [string, string][]) =>
  ext(
    '2.5.29.33',
    asBlock(sequence(...pairs.map(([from, to]) => sequence(oid(from), oid(to))))),
    true,
  );
const requireExplicit = (skip: number) =>
  ext('2.5.29.36', asBlock(sequence(tlv(0x80, Uint8Array.of(skip)))), true);
const inhibitMapping = (skip: number) =>
  ext('2.5.29.36', asBlock(sequence(tlv(0x81, Uint8Array.of(skip)))), true);
const inhibitAny = (skip: number) => ext('2.5.29.54', asBlock(integer(skip)), true);

type Inputs = Pick<
  PathValidationOptions,
  | 'initialPolicySet'
  | 'initialExplicitPolicy'
  | 'initialPolicyMappingInhibit'
  | 'initialAnyPolicyInhibit'
>;

interface Case {
  readonly name: string;
  /** Extensions of the intermediates, top first, and of the leaf. */
  readonly intermediates: readonly (readonly ReturnType<typeof ext>[])[];
  readonly leaf: readonly ReturnType<typeof ext>[];
  readonly inputs?: Inputs;
  /** The policies the result names, or 'policy' when the path must fail. */
  readonly expected: readonly string[] | 'policy';
}

const CASES: readonly Case[] = [
  { name: 'no policies anywhere, none required', intermediates: [[]], leaf: [], expected: [] },
  {
    name: 'no policies anywhere, explicit policy required',
    intermediates: [[]],
    leaf: [],
    inputs: { initialExplicitPolicy: true },
    expected: 'policy',
  },
  {
    name: 'one policy down the path',
    intermediates: [[policies(A)]],
    leaf: [policies(A)],
    inputs: { initialPolicySet: [A], initialExplicitPolicy: true },
    expected: [A],
  },
  {
    name: 'the leaf asserts another policy',
    intermediates: [[policies(A)]],
    leaf: [policies(B)],
    inputs: { initialExplicitPolicy: true },
    expected: 'policy',
  },
  {
    name: 'a valid policy that is not in the initial set',
    intermediates: [[policies(A, B)]],
    leaf: [policies(B)],
    inputs: { initialPolicySet: [A], initialExplicitPolicy: true },
    expected: 'policy',
  },
  {
    name: 'not in the initial set, but explicit policy is not required',
    intermediates: [[policies(A, B)]],
    leaf: [policies(B)],
    inputs: { initialPolicySet: [A] },
    expected: [],
  },
  {
    name: 'a CA asserting anyPolicy passes the leaf’s policy',
    intermediates: [[policies(ANY)]],
    leaf: [policies(A)],
    inputs: { initialPolicySet: [A], initialExplicitPolicy: true },
    expected: [A],
  },
  {
    name: 'anyPolicy inhibited by the initial input',
    intermediates: [[policies(ANY)]],
    leaf: [policies(A)],
    inputs: { initialExplicitPolicy: true, initialAnyPolicyInhibit: true },
    expected: 'policy',
  },
  {
    name: 'anyPolicy inhibited below a CA by inhibitAnyPolicy 0',
    intermediates: [[policies(A), inhibitAny(0)]],
    leaf: [policies(ANY)],
    inputs: { initialExplicitPolicy: true },
    expected: 'policy',
  },
  {
    name: 'a mapping from the CA’s policy to the leaf’s',
    intermediates: [[policies(A), mappings([A, B])], [policies(B)]],
    leaf: [policies(B)],
    inputs: { initialPolicySet: [A], initialExplicitPolicy: true },
    expected: [A],
  },
  {
    name: 'mappings inhibited by the initial input',
    intermediates: [[policies(A), mappings([A, B])], [policies(B)]],
    leaf: [policies(B)],
    inputs: { initialExplicitPolicy: true, initialPolicyMappingInhibit: true },
    expected: 'policy',
  },
  {
    name: 'mappings inhibited below a CA by inhibitPolicyMapping 0',
    intermediates: [
      [policies(A), inhibitMapping(0)],
      [policies(A), mappings([A, B])],
    ],
    leaf: [policies(B)],
    inputs: { initialExplicitPolicy: true },
    expected: 'policy',
  },
  {
    name: 'a CA requires explicit policy: the leaf without one fails',
    intermediates: [[policies(A), requireExplicit(0)]],
    leaf: [],
    expected: 'policy',
  },
  {
    name: 'a CA requires explicit policy: the leaf with its policy passes',
    intermediates: [[policies(A), requireExplicit(0)]],
    leaf: [policies(A)],
    expected: [A],
  },
  {
    name: 'requireExplicitPolicy counts certificates: 1 lets the next one skip',
    intermediates: [[policies(A), requireExplicit(1)], []],
    leaf: [policies(C)],
    expected: 'policy',
  },
];

let root: Issued;

beforeAll(async () => {
  root = await issue({ subject: 'Policy Root', ca: true });
});

async function chainFor(testCase: Case): Promise<{ cas: Issued[]; leaf: Issued }> {
  const cas: Issued[] = [];
  let issuer = root;
  for (const [index, extra] of testCase.intermediates.entries()) {
    issuer = await issue({
      subject: `Policy CA ${index + 1}`,
      issuer,
      ca: true,
      extra: [...extra],
    });
    cas.push(issuer);
  }
  return { cas, leaf: await issue({ subject: 'Alice', issuer, extra: [...testCase.leaf] }) };
}

function opensslAgrees(testCase: Case, cas: Issued[], leaf: Issued): boolean {
  const files = scratch();
  try {
    const args = ['verify', '-policy_check', '-attime', String(Math.floor(NOW.getTime() / 1000))];
    // RFC 5280's default user-initial-policy-set is anyPolicy; OpenSSL's, with no -policy, is
    // empty (an explicit policy then always fails), so anyPolicy is passed to it by name.
    for (const policy of testCase.inputs?.initialPolicySet ?? [ANY]) args.push('-policy', policy);
    if (testCase.inputs?.initialExplicitPolicy) args.push('-explicit_policy');
    if (testCase.inputs?.initialPolicyMappingInhibit) args.push('-inhibit_map');
    if (testCase.inputs?.initialAnyPolicyInhibit) args.push('-inhibit_any');
    args.push('-CAfile', files.file('root.pem', toPem('CERTIFICATE', root.der)));
    const untrusted = cas.map((ca) => toPem('CERTIFICATE', ca.der)).join('');
    args.push('-untrusted', files.file('cas.pem', untrusted));
    args.push(files.file('leaf.pem', toPem('CERTIFICATE', leaf.der)));
    try {
      return /leaf\.pem: OK/.test(openssl(...args));
    } catch {
      return false;
    }
  } finally {
    files.remove();
  }
}

describe('certificate policies', () => {
  it.each(CASES)('$name', async (testCase) => {
    const { cas, leaf } = await chainFor(testCase);
    const result = await validateCertificatePath({
      leaf: leaf.der,
      intermediates: cas.map((ca) => ca.der),
      trustAnchors: [root.der],
      time: NOW,
      ...testCase.inputs,
    });
    if (testCase.expected === 'policy') {
      expect(result.valid ? 'valid' : result.reason).toBe('policy');
    } else {
      expect(result.valid ? result.policies : `${result.reason}: ${result.detail}`).toEqual(
        testCase.expected,
      );
    }
    if (hasOpenssl) expect(opensslAgrees(testCase, cas, leaf)).toBe(testCase.expected !== 'policy');
  });

  it('bounds the policy tree: mappings that multiply it end in too-much-work (CVE-2023-0464)', async () => {
    const many = Array.from({ length: 8 }, (_, index) => `1.3.6.1.4.1.55738.2.${index + 1}`);
    const everyToEvery = many.flatMap((from) => many.map((to): [string, string] => [from, to]));
    const ca = [policies(...many), mappings(...everyToEvery)];
    const testCase: Case = {
      name: 'explosion',
      intermediates: [ca, ca, ca, ca],
      leaf: [policies(...many)],
      expected: [],
    };
    const { cas, leaf } = await chainFor(testCase);
    const result = await validateCertificatePath({
      leaf: leaf.der,
      intermediates: cas.map((one) => one.der),
      trustAnchors: [root.der],
      time: NOW,
      initialExplicitPolicy: true,
    });
    expect(result.valid ? 'valid' : result.reason).toBe('too-much-work');
  });

  it('refuses policy options of the wrong type', async () => {
    const options = { leaf: root.der, trustAnchors: [root.der] };
    await expect(validateCertificatePath({ ...options, initialPolicySet: [] })).rejects.toThrow(
      /initialPolicySet/,
    );
    await expect(
      validateCertificatePath({ ...options, initialPolicySet: ['not an oid'] }),
    ).rejects.toThrow(/initialPolicySet/);
    const explicit = 'yes' as unknown as boolean;
    await expect(
      validateCertificatePath({ ...options, initialExplicitPolicy: explicit }),
    ).rejects.toThrow(/initialExplicitPolicy/);
  });
});
