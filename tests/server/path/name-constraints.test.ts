/**
 * Name constraints (RFC 5280 §4.2.1.10) on a CA: every form of name a card's certificate can
 * carry, permitted and excluded, on an intermediate and on the trust anchor. Each case also
 * runs through OpenSSL's verifier, which must agree (UPN constraints are Active Directory's and
 * OpenSSL does not process them: those cases say so and skip it). Without OpenSSL installed the
 * comparison is skipped, with the warning tests/support/openssl.ts prints naming the package.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { explicit, oid, sequence, setOf, tlv, utf8String } from '../../../src/lib/der-write.js';
import { toPem } from '../../../src/lib/pem.js';
import { validateCertificatePath } from '../../../src/server/index.js';
import { parseCertificate } from '../../../src/server/path/certificate.js';
import { hasOpenssl, openssl, scratch } from '../../support/openssl.js';
import { ext, type Issued, issue, NOW } from './support/issue.js';

const ascii = (text: string) => new TextEncoder().encode(text);
const latin1 = (text: string) => Uint8Array.from(text, (character) => character.charCodeAt(0));
const UPN = '1.3.6.1.4.1.311.20.2.3';

/** GeneralName encodings, by form. */
const dns = (text: string) => tlv(0x82, ascii(text));
const email = (text: string) => tlv(0x81, ascii(text));
const uri = (text: string) => tlv(0x86, ascii(text));
const ip = (...bytes: number[]) => tlv(0x87, Uint8Array.from(bytes));
const upn = (text: string) => tlv(0xa0, oid(UPN), explicit(0, utf8String(text)));
const directory = (name: Uint8Array) => tlv(0xa4, name);

type Attribute = readonly [string, Uint8Array];
const O = (value: string, tag = 0x13) => ['2.5.4.10', tlv(tag, latin1(value))] as const;
const CN = (value: string) => ['2.5.4.3', utf8String(value)] as const;
const EMAIL_ADDRESS = (value: string) => ['1.2.840.113549.1.9.1', tlv(0x16, ascii(value))] as const;
const dn = (...attributes: Attribute[]) =>
  sequence(...attributes.map(([type, value]) => setOf(sequence(oid(type), value))));

const asBlock = (der: Uint8Array) => asn1js.fromBER(der.slice().buffer).result;
const nameConstraints = (permitted: Uint8Array[], excluded: Uint8Array[] = [], critical = true) => {
  const subtrees = (tag: number, bases: Uint8Array[]) =>
    bases.length === 0 ? [] : [tlv(tag, ...bases.map((base) => sequence(base)))];
  const value = sequence(...subtrees(0xa0, permitted), ...subtrees(0xa1, excluded));
  return ext('2.5.29.30', asBlock(value), critical);
};
const subjectAltName = (...names: Uint8Array[]) => ext('2.5.29.17', asBlock(sequence(...names)));
const rdns = (der: Uint8Array) => pkijs.RelativeDistinguishedNames.fromBER(der.slice().buffer);

let root: Issued;

beforeAll(async () => {
  root = await issue({ subject: 'Root', ca: true });
});

interface Case {
  readonly name: string;
  readonly constraints: pkijs.Extension;
  readonly subject?: Uint8Array;
  readonly san?: readonly Uint8Array[];
  readonly valid: boolean;
  /** Why OpenSSL is not asked, when it is not. */
  readonly notOpenssl?: string;
  /** The constraints sit on the trust anchor instead of an intermediate. */
  readonly onAnchor?: boolean;
}

const CASES: readonly Case[] = [
  {
    name: 'dNSName in a permitted domain',
    constraints: nameConstraints([dns('contoso.com')]),
    san: [dns('pc1.contoso.com')],
    valid: true,
  },
  {
    name: 'dNSName outside it',
    constraints: nameConstraints([dns('contoso.com')]),
    san: [dns('pc1.fabrikam.com')],
    valid: false,
  },
  {
    name: 'dNSName that only ends like it',
    constraints: nameConstraints([dns('contoso.com')]),
    san: [dns('evilcontoso.com')],
    valid: false,
  },
  {
    name: 'dNSName in an excluded subdomain',
    constraints: nameConstraints([], [dns('lab.contoso.com')]),
    san: [dns('x.lab.contoso.com')],
    valid: false,
  },
  {
    name: 'rfc822Name on the permitted host',
    constraints: nameConstraints([email('contoso.com')]),
    san: [email('alice@contoso.com')],
    valid: true,
  },
  {
    name: 'rfc822Name on a host below it, not permitted by a host',
    constraints: nameConstraints([email('contoso.com')]),
    san: [email('alice@eu.contoso.com')],
    valid: false,
  },
  {
    name: 'rfc822Name below a permitted .domain',
    constraints: nameConstraints([email('.contoso.com')]),
    san: [email('alice@eu.contoso.com')],
    valid: true,
  },
  {
    name: 'rfc822Name another mailbox than the permitted one',
    constraints: nameConstraints([email('alice@contoso.com')]),
    san: [email('bob@contoso.com')],
    valid: false,
  },
  {
    name: 'rfc822Name excluded',
    constraints: nameConstraints([], [email('fabrikam.com')]),
    san: [email('mallory@FABRIKAM.com')],
    valid: false,
  },
  {
    name: 'emailAddress in the subject, checked as an rfc822Name',
    constraints: nameConstraints([email('contoso.com')]),
    subject: dn(CN('Alice'), EMAIL_ADDRESS('alice@fabrikam.com')),
    valid: false,
  },
  {
    name: 'directoryName: the subject within the permitted subtree, written another way',
    constraints: nameConstraints([directory(dn(O('CONTOSO', 0x0c)))]),
    subject: dn(O('Contoso'), CN('Alice')),
    valid: true,
  },
  {
    name: 'directoryName: the subject outside it',
    constraints: nameConstraints([directory(dn(O('Contoso')))]),
    subject: dn(O('Fabrikam'), CN('Alice')),
    valid: false,
  },
  {
    name: 'directoryName: a SAN directory name excluded',
    constraints: nameConstraints([], [directory(dn(O('Fabrikam')))]),
    san: [directory(dn(O('Fabrikam'), CN('Bob')))],
    valid: false,
  },
  {
    name: 'iPAddress in the permitted network',
    constraints: nameConstraints([ip(10, 0, 0, 0, 255, 0, 0, 0)]),
    san: [ip(10, 1, 2, 3)],
    valid: true,
  },
  {
    name: 'iPAddress outside it',
    constraints: nameConstraints([ip(10, 0, 0, 0, 255, 0, 0, 0)]),
    san: [ip(192, 168, 0, 1)],
    valid: false,
  },
  {
    name: 'URI whose host is below a permitted .domain',
    constraints: nameConstraints([uri('.contoso.com')]),
    san: [uri('https://www.contoso.com/users/alice')],
    valid: true,
  },
  {
    name: 'URI whose host is elsewhere',
    constraints: nameConstraints([uri('.contoso.com')]),
    san: [uri('https://contoso.com.evil.example/')],
    valid: false,
  },
  {
    name: 'names of forms not constrained pass',
    constraints: nameConstraints([dns('contoso.com')]),
    san: [email('alice@fabrikam.com')],
    valid: true,
  },
  {
    name: 'constraints on the trust anchor apply too',
    constraints: nameConstraints([dns('contoso.com')]),
    san: [dns('pc1.fabrikam.com')],
    valid: false,
    onAnchor: true,
  },
  {
    name: 'a non-critical nameConstraints is enforced all the same',
    constraints: nameConstraints([dns('contoso.com')], [], false),
    san: [dns('pc1.fabrikam.com')],
    valid: false,
  },
  {
    name: 'UPN with a permitted suffix',
    constraints: nameConstraints([upn('contoso.com')]),
    san: [upn('alice@contoso.com')],
    valid: true,
    notOpenssl: 'OpenSSL does not process UPN constraints',
  },
  {
    name: 'UPN with another suffix',
    constraints: nameConstraints([upn('contoso.com')]),
    san: [upn('alice@fabrikam.com')],
    valid: false,
    notOpenssl: 'OpenSSL does not process UPN constraints',
  },
];

async function chainFor(
  testCase: Case,
): Promise<{ anchor: Issued; ica: Issued | null; leaf: Issued }> {
  const extra = [...(testCase.san === undefined ? [] : [subjectAltName(...testCase.san)])];
  const subjectName = testCase.subject === undefined ? {} : { subjectName: rdns(testCase.subject) };
  if (testCase.onAnchor === true) {
    const anchor = await issue({
      subject: 'Constrained Root',
      ca: true,
      extra: [testCase.constraints],
    });
    const leaf = await issue({ subject: 'Alice', issuer: anchor, extra, ...subjectName });
    return { anchor, ica: null, leaf };
  }
  const ica = await issue({
    subject: 'Constrained CA',
    issuer: root,
    ca: true,
    extra: [testCase.constraints],
  });
  const leaf = await issue({ subject: 'Alice', issuer: ica, extra, ...subjectName });
  return { anchor: root, ica, leaf };
}

describe('name constraints', () => {
  it.each(CASES)('$name', async (testCase) => {
    const { anchor, ica, leaf } = await chainFor(testCase);
    const result = await validateCertificatePath({
      leaf: leaf.der,
      intermediates: ica === null ? [] : [ica.der],
      trustAnchors: [anchor.der],
      time: NOW,
    });
    expect(result.valid ? 'valid' : `${result.reason}: ${result.detail}`).toMatch(
      testCase.valid ? /^valid$/ : /^name-constraints: /,
    );
    if (!hasOpenssl || testCase.notOpenssl !== undefined) return;
    const files = scratch();
    try {
      const args = ['verify', '-attime', String(Math.floor(NOW.getTime() / 1000))];
      args.push('-CAfile', files.file('anchor.pem', toPem('CERTIFICATE', anchor.der)));
      if (ica !== null)
        args.push('-untrusted', files.file('ica.pem', toPem('CERTIFICATE', ica.der)));
      args.push(files.file('leaf.pem', toPem('CERTIFICATE', leaf.der)));
      let verdict: string;
      try {
        verdict = openssl(...args);
      } catch (error) {
        verdict = (error as Error).message;
      }
      expect(/leaf\.pem: OK/.test(verdict), `openssl: ${verdict}`).toBe(testCase.valid);
    } finally {
      files.remove();
    }
  });

  it('drops a CA whose subtree has a minimum or maximum as malformed: no path', async () => {
    const bounded = sequence(tlv(0xa0, sequence(dns('contoso.com'), tlv(0x81, Uint8Array.of(1)))));
    const ica = await issue({
      subject: 'Bounded CA',
      issuer: root,
      ca: true,
      extra: [ext('2.5.29.30', asBlock(bounded), true)],
    });
    const leaf = await issue({
      subject: 'Alice',
      issuer: ica,
      extra: [subjectAltName(dns('a.contoso.com'))],
    });
    const result = await validateCertificatePath({
      leaf: leaf.der,
      intermediates: [ica.der],
      trustAnchors: [root.der],
      time: NOW,
    });
    expect(result.valid ? 'valid' : result.reason).toBe('no-path');
    expect(parseCertificate(ica.der)).toMatch(/minimum or maximum/);
  });
});
