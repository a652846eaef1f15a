import { beforeAll, describe, expect, it } from 'vitest';
import { implicitPrimitive, sequence } from '../../../src/lib/der-write.js';
import { hasOpenssl, NEEDS_OPENSSL } from '../../support/openssl.js';
import {
  distributionPoints,
  type Files,
  type IdpOptions,
  idp,
  opensslVerdict,
  ourVerdict,
  type PointName,
  rawExtension,
} from './support/crl-pki.js';
import { crl, type Issued, issue } from './support/issue.js';

/**
 * The issuing distribution point (RFC 5280 §5.2.5, §6.3.3 (b), (d)): a CRL covers a certificate
 * only when its scope fits, and the CRLs used must cover every reason together. The root's CRL
 * judges the intermediate, the intermediate's CRL the leaf; every case asks `revocation:
 * 'require'` of us and `-crl_check_all` of OpenSSL, and both answer the same.
 */
const ROOT_POINT = 'http://pki.example/root.crl';
const POINT = 'http://pki.example/issuing.crl';

let root: Issued;
let inter: Issued;

beforeAll(async () => {
  root = await issue({ subject: 'IDP Root', ca: true });
  inter = await issue({
    subject: 'IDP Issuing CA',
    issuer: root,
    ca: true,
    extra: [distributionPoints(ROOT_POINT)],
  });
});

const NO_CHANGE = '2031-01-01T00:00:00Z';
const scoped = (issuer: Issued, revoked: number[], scope?: IdpOptions, number = 1) =>
  crl(issuer, revoked, NO_CHANGE, issuer.keys, undefined, {
    number,
    extra: scope === undefined ? [] : [idp(scope)],
  });
/** Both verdicts on `leaf` with the intermediate's CRLs and the root's (a complete one by default). */
async function verdicts(leaf: Issued, interCrls: Uint8Array[], rootCrls?: Uint8Array[]) {
  const files: Files = {
    leaf: leaf.der,
    intermediates: [inter.der],
    anchors: [root.der],
    crls: [...(rootCrls ?? [await scoped(root, [])]), ...interCrls],
  };
  const ours = await ourVerdict(files);
  return { ours, openssl: hasOpenssl ? opensslVerdict(files) : ours };
}

/** A leaf issued with a known serial (so a CRL can list it) and these distribution points. */
const numberedLeaf = (serial: number, ...points: PointName[]): Promise<Issued> =>
  issue({
    subject: 'Alice',
    issuer: inter,
    serial,
    extra: points.length ? [distributionPoints(...points)] : [],
  });

describe(`the issuing distribution point (OpenSSL's side ${hasOpenssl ? 'run' : `skipped: ${NEEDS_OPENSSL}`})`, () => {
  it('a critical IDP naming the certificate’s distribution point is processed: it revokes', async () => {
    const leaf = await numberedLeaf(9001, POINT);
    const both = await verdicts(leaf, [await scoped(inter, [9001], { point: POINT })]);
    expect(both).toEqual({ ours: 'revoked', openssl: 'revoked' });
    const clean = await verdicts(leaf, [await scoped(inter, [], { point: POINT })]);
    expect(clean).toEqual({ ours: 'valid', openssl: 'valid' });
  });

  it('names compare as RFC 5280 says: a URI’s scheme and host without case', async () => {
    const leaf = await numberedLeaf(9002, 'HTTP://PKI.Example/issuing.crl');
    const both = await verdicts(leaf, [await scoped(inter, [9002], { point: POINT })]);
    // OpenSSL compares the names byte for byte: to it, this CRL is for another point.
    expect(both).toEqual({ ours: 'revoked', openssl: hasOpenssl ? 'crl-invalid' : 'revoked' });
  });

  it('a CRL for another distribution point does not cover the certificate', async () => {
    const leaf = await numberedLeaf(9003, POINT);
    const other = await scoped(inter, [9003], { point: 'http://pki.example/other.crl' });
    expect(await verdicts(leaf, [other])).toEqual({ ours: 'crl-invalid', openssl: 'crl-invalid' });
    // Without `require` we pass it, as no CRL of its own was given; OpenSSL always requires one.
    const files = { leaf: leaf.der, intermediates: [inter.der], anchors: [root.der] };
    expect(await ourVerdict({ ...files, crls: [other] }, 'if-available')).toBe('valid');
  });

  it('a certificate without distribution points is covered only by a CRL without a point', async () => {
    const leaf = await numberedLeaf(9004);
    const pointed = await scoped(inter, [9004], { point: POINT });
    expect(await verdicts(leaf, [pointed])).toEqual({
      ours: 'crl-invalid',
      openssl: 'crl-invalid',
    });
    const users = await scoped(inter, [9004], { onlyUserCerts: true });
    expect(await verdicts(leaf, [users])).toEqual({ ours: 'revoked', openssl: 'revoked' });
  });

  it('a relative distribution point name is the CRL issuer’s name and one RDN more', async () => {
    const leaf = await numberedLeaf(9005, { relative: 'Part 1' });
    const part1 = await scoped(inter, [9005], { point: { relative: 'Part 1' } });
    expect(await verdicts(leaf, [part1])).toEqual({ ours: 'revoked', openssl: 'revoked' });
    const part2 = await scoped(inter, [9005], { point: { relative: 'Part 2' } });
    expect(await verdicts(leaf, [part2])).toEqual({ ours: 'crl-invalid', openssl: 'crl-invalid' });
  });

  it('user-only CRLs skip CA certificates, CA-only CRLs skip end entities', async () => {
    const leaf = await numberedLeaf(9006, POINT);
    const interClean = await scoped(inter, []);
    const rootUsers = await scoped(root, [], { onlyUserCerts: true });
    expect(await verdicts(leaf, [interClean], [rootUsers])).toEqual({
      ours: 'crl-invalid',
      openssl: 'crl-invalid',
    });
    const rootCas = await scoped(root, [], { onlyCaCerts: true });
    expect(await verdicts(leaf, [interClean], [rootCas])).toEqual({
      ours: 'valid',
      openssl: 'valid',
    });
    const interCas = await scoped(inter, [9006], { onlyCaCerts: true });
    expect(await verdicts(leaf, [interCas])).toEqual({
      ours: 'crl-invalid',
      openssl: 'crl-invalid',
    });
  });

  it('an attribute-certificate CRL never covers a public-key certificate', async () => {
    const leaf = await numberedLeaf(9007, POINT);
    const attributes = await scoped(inter, [9007], { onlyAttributeCerts: true });
    expect(await verdicts(leaf, [attributes])).toEqual({
      ours: 'crl-invalid',
      openssl: 'crl-invalid',
    });
  });

  it('CRLs of some reasons decide only together, and fail alone even when revocation is optional', async () => {
    const leaf = await numberedLeaf(9008, POINT);
    const keys = await scoped(inter, [], { point: POINT, onlySomeReasons: ['keyCompromise'] }, 1);
    const rest = await scoped(
      inter,
      [],
      {
        point: POINT,
        onlySomeReasons: [
          'cACompromise',
          'affiliationChanged',
          'superseded',
          'cessationOfOperation',
          'certificateHold',
          'privilegeWithdrawn',
          'aACompromise',
        ],
      },
      2,
    );
    expect(await verdicts(leaf, [keys])).toEqual({ ours: 'crl-invalid', openssl: 'crl-invalid' });
    // RFC 5280 §6.3.3 accumulates reasons_mask over the CRLs used, so the two decide together.
    expect(await verdicts(leaf, [keys, rest])).toEqual({ ours: 'valid', openssl: 'valid' });
    const files = { leaf: leaf.der, intermediates: [inter.der], anchors: [root.der] };
    const rootCrl = await scoped(root, []);
    expect(await ourVerdict({ ...files, crls: [rootCrl, keys] }, 'if-available')).toBe(
      'crl-invalid',
    );
    const revokedForKeys = await scoped(
      inter,
      [9008],
      { point: POINT, onlySomeReasons: ['keyCompromise'] },
      3,
    );
    // A CRL of some reasons that lists the certificate revokes it, alone or with the others.
    expect(await verdicts(leaf, [revokedForKeys])).toEqual({ ours: 'revoked', openssl: 'revoked' });
    expect(await verdicts(leaf, [revokedForKeys, rest])).toEqual({
      ours: 'revoked',
      openssl: 'revoked',
    });
  });

  it('reads the IDP strictly: an empty one, a FALSE written out, two kinds at once are malformed', async () => {
    const leaf = await numberedLeaf(9009, POINT);
    const flag = (n: number, value = 0xff) => implicitPrimitive(n, new Uint8Array([value]));
    const withIdp = (value: Uint8Array) =>
      crl(inter, [], NO_CHANGE, inter.keys, undefined, {
        extra: [rawExtension('2.5.29.28', new Uint8Array(value), true)],
      });
    const files = { leaf: leaf.der, intermediates: [inter.der], anchors: [root.der] };
    for (const value of [sequence(), sequence(flag(1, 0)), sequence(flag(1), flag(2))]) {
      const crls = [await scoped(root, []), await withIdp(value)];
      expect(await ourVerdict({ ...files, crls }, 'if-available')).toBe('malformed');
    }
    // A non-critical IDP is processed all the same.
    const other = await crl(inter, [9009], NO_CHANGE, inter.keys, undefined, {
      extra: [idp({ point: 'http://pki.example/other.crl', critical: false })],
    });
    expect(await verdicts(leaf, [other])).toEqual({ ours: 'crl-invalid', openssl: 'crl-invalid' });
  });
});
